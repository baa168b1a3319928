/* BLEU-1..4 as pycocoevalcap's Bleu(4) computes it (bleu/bleu_scorer.py,
 * option "closest"): per item and for the corpus from summed counts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/caption_metric.h"
#include "text/ngram.h"

#define N 4

typedef struct counts {
  int64_t testlen, reflen;
  int64_t guess[N], correct[N];
} counts;

/* Papineni et al. 2002 with pycocoevalcap's smoothing constants: the product
 * of (correct + 1e-15) / (guess + 1e-9) taken cumulatively, its k-th root with
 * pow, then exp(1 - 1/ratio) when ratio = (testlen + 1e-15) / (reflen + 1e-9)
 * is below 1. */
static void bleu_of(const counts *c, double out[N])
{
  const double tiny = 1e-15, small = 1e-9;
  double b = 1.0;
  for (int k = 0; k < N; k++) {
    b *= ((double)c->correct[k] + tiny) / ((double)c->guess[k] + small);
    out[k] = pow(b, 1.0 / (k + 1.0));
  }
  double ratio = ((double)c->testlen + tiny) / ((double)c->reflen + small);
  if (ratio < 1) {
    double bp = exp(1 - 1 / ratio);
    for (int k = 0; k < N; k++) out[k] *= bp;
  }
}

/* A run: the corpus counts so far, and the scratch of one item: counts
 * indexed by the item's local n-gram ids (see text/ngram.h), small enough to
 * stay in cache. */
typedef struct run {
  counts total;
  uint32_t *maxref; /* largest count in one reference */
  uint32_t *count;  /* count in the current caption, 0 between captions */
  size_t cap;
} run;

/* The counts of one item: references clip each n-gram to its largest count in
 * any single reference; the effective reference length is the closest one,
 * ties going to the shorter (min over (|r - L|, r)). */
static int item_counts(const p2ci_item_ngrams *it, run *m, counts *c)
{
  size_t n_caps = it->n_captions; /* caption 0: the hypothesis */
  const p2ci_ngrams *g = &it->g;
  if (g->n_ids >= m->cap) { /* one more for the references' other n-grams */
    size_t cap = g->n_ids * 2 + 1;
    free(m->maxref);
    free(m->count);
    m->maxref = malloc(cap * sizeof *m->maxref);
    m->count = calloc(cap, sizeof *m->count);
    m->cap = m->maxref && m->count ? cap : 0;
    if (!m->cap) return P2C_ERR_NOMEM;
  }
  const uint32_t *id = g->ids + g->off[0];
  size_t n1 = it->len[0], ng = g->off[1] - g->off[0];
  /* Only the hypothesis' n-grams are clipped, and it is numbered first: they
   * are the ids below its number of distinct n-grams. */
  size_t hyp_ids = g->first_ids;
  if (hyp_ids) memset(m->maxref, 0, hyp_ids * sizeof *m->maxref); /* maxref is NULL before the first n-gram */

  for (size_t r = 1; r < n_caps; r++) {
    const uint32_t *rid = g->ids + g->off[r];
    size_t rng = g->off[r + 1] - g->off[r];
    if (!rng) continue; /* count is NULL before the first n-gram */
    uint32_t *restrict count = m->count, *restrict maxref = m->maxref;
    /* the others all in count[hyp_ids] (cap > n_ids >= hyp_ids) */
    for (size_t i = 0; i < rng; i++) count[rid[i] < hyp_ids ? rid[i] : hyp_ids]++;
    for (size_t k = 0; k < hyp_ids; k++) {
      if (count[k] > maxref[k]) maxref[k] = count[k];
      count[k] = 0;
    }
    count[hyp_ids] = 0;
  }

  c->testlen = (int64_t)n1;
  for (int k = 0; k < N; k++) {
    c->guess[k] = n1 > (size_t)k ? (int64_t)(n1 - (size_t)k) : 0;
    c->correct[k] = 0;
  }
  for (size_t i = 0; i < ng; i++) m->count[id[i]]++;
  size_t start = 0;
  for (int k = 0; k < N && (size_t)k < n1; k++) {
    size_t len = n1 - (size_t)k;
    for (size_t i = start; i < start + len; i++) {
      uint32_t j = id[i];
      if (!m->count[j]) continue; /* counted at its first occurrence */
      c->correct[k] += m->count[j] < m->maxref[j] ? m->count[j] : m->maxref[j];
      m->count[j] = 0;
    }
    start += len;
  }

  int64_t best = -1, best_diff = 0;
  for (size_t r = 1; r < n_caps; r++) {
    int64_t l = (int64_t)it->len[r];
    int64_t d = l > c->testlen ? l - c->testlen : c->testlen - l;
    if (best < 0 || d < best_diff || (d == best_diff && l < best)) {
      best = l;
      best_diff = d;
    }
  }
  c->reflen = best;
  return P2C_OK;
}

static int bleu_start(void *state, const p2ci_caption_set *set, void **out, p2c_error *err)
{
  (void)state;
  (void)set;
  *out = calloc(1, sizeof(run));
  return *out ? P2C_OK : p2ci_error(err, P2C_ERR_NOMEM, "BLEU: out of memory");
}

static int bleu_item(void *p, size_t item, const p2ci_item_ngrams *it, double *out, p2c_error *err)
{
  (void)item;
  run *m = p;
  counts c;
  if (item_counts(it, m, &c)) return p2ci_error(err, P2C_ERR_NOMEM, "BLEU: out of memory");
  bleu_of(&c, out);
  m->total.testlen += c.testlen;
  m->total.reflen += c.reflen;
  for (int k = 0; k < N; k++) {
    m->total.guess[k] += c.guess[k];
    m->total.correct[k] += c.correct[k];
  }
  return P2C_OK;
}

static int bleu_finish(void *p, const double *per_item, double *corpus, p2c_error *err)
{
  (void)per_item;
  (void)err;
  run *m = p;
  if (corpus) bleu_of(&m->total, corpus);
  free(m->maxref);
  free(m->count);
  free(m);
  return P2C_OK;
}

const p2ci_caption_metric p2ci_metric_bleu = {
    .name = "Bleu",
    .flags = P2CI_METRIC_DEFAULT,
    .n_outputs = N,
    .outputs = {"Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4"},
    .start = bleu_start,
    .item = bleu_item,
    .finish = bleu_finish,
};
