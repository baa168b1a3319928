/* BLEU-1..4 as pycocoevalcap's Bleu(4) computes it (bleu/bleu_scorer.py,
 * option "closest"): per item and for the corpus from summed counts. */
#include <math.h>
#include <stdlib.h>

#include "core/bigalloc.h"
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

typedef struct scratch {
  uint32_t *count;  /* per n-gram id, 0 between uses */
  uint32_t *maxref; /* per n-gram id, 0 between items */
  uint32_t *touched;
  size_t n_touched, cap_touched;
} scratch;

static int touch(scratch *s, uint32_t g)
{
  if (p2ci_grow(&s->touched, &s->cap_touched, s->n_touched + 1, sizeof *s->touched))
    return P2C_ERR_NOMEM;
  s->touched[s->n_touched++] = g;
  return P2C_OK;
}

/* The counts of one item: references clip each n-gram to its largest count in
 * any single reference; the effective reference length is the closest one,
 * ties going to the shorter (min over (|r - L|, r)). */
static int item_counts(const p2ci_caption_set *set, size_t item, scratch *s, counts *c)
{
  size_t n_refs = p2ci_set_num_refs(set, item);
  size_t hyp = p2ci_set_hyp(set, item), n1;
  const uint32_t *g;

  /* max counts over references, collected in maxref; touched lists them */
  s->n_touched = 0;
  for (size_t r = 0; r < n_refs; r++) {
    size_t ref = p2ci_set_ref(set, item, r);
    g = p2ci_set_ngrams(set, ref, &n1);
    size_t ng = p2ci_ngrams_count(n1, N);
    for (size_t i = 0; i < ng; i++) s->count[g[i]]++;
    for (size_t i = 0; i < ng; i++) {
      uint32_t cnt = s->count[g[i]];
      if (!cnt) continue;
      if (!s->maxref[g[i]] && touch(s, g[i])) return P2C_ERR_NOMEM;
      if (cnt > s->maxref[g[i]]) s->maxref[g[i]] = cnt;
      s->count[g[i]] = 0;
    }
  }

  g = p2ci_set_ngrams(set, hyp, &n1);
  size_t ng = p2ci_ngrams_count(n1, N);
  c->testlen = (int64_t)n1;
  for (int k = 0; k < N; k++) {
    c->guess[k] = n1 > (size_t)k ? (int64_t)(n1 - (size_t)k) : 0;
    c->correct[k] = 0;
  }
  for (size_t i = 0; i < ng; i++) s->count[g[i]]++;
  size_t start = 0;
  for (int k = 0; k < N && (size_t)k < n1; k++) {
    size_t len = n1 - (size_t)k;
    for (size_t i = start; i < start + len; i++) {
      uint32_t cnt = s->count[g[i]];
      if (!cnt) continue;
      uint32_t m = s->maxref[g[i]];
      c->correct[k] += cnt < m ? cnt : m;
      s->count[g[i]] = 0;
    }
    start += len;
  }
  for (size_t i = 0; i < s->n_touched; i++) s->maxref[s->touched[i]] = 0;

  int64_t best = -1, best_diff = 0;
  for (size_t r = 0; r < n_refs; r++) {
    int64_t l = (int64_t)set->words[P2CI_SPLIT_WS][p2ci_set_ref(set, item, r)].len;
    int64_t d = l > c->testlen ? l - c->testlen : c->testlen - l;
    if (best < 0 || d < best_diff || (d == best_diff && l < best)) {
      best = l;
      best_diff = d;
    }
  }
  c->reflen = best;
  return P2C_OK;
}

static int bleu_compute(void *state, const p2ci_caption_set *set, double *corpus,
                        double *per_item, p2c_error *err)
{
  (void)state;
  scratch s = {0};
  s.count = p2ci_big_calloc(set->n_ngrams, sizeof *s.count);
  s.maxref = p2ci_big_calloc(set->n_ngrams, sizeof *s.maxref);
  int rc = P2C_OK;
  if (!s.count || !s.maxref) rc = P2C_ERR_NOMEM;
  counts total = {0};
  for (size_t i = 0; i < set->n_items && !rc; i++) {
    counts c;
    rc = item_counts(set, i, &s, &c);
    if (rc) break;
    bleu_of(&c, per_item + i * N);
    total.testlen += c.testlen;
    total.reflen += c.reflen;
    for (int k = 0; k < N; k++) {
      total.guess[k] += c.guess[k];
      total.correct[k] += c.correct[k];
    }
  }
  if (!rc) bleu_of(&total, corpus);
  p2ci_big_free(s.count, set->n_ngrams, sizeof *s.count);
  p2ci_big_free(s.maxref, set->n_ngrams, sizeof *s.maxref);
  free(s.touched);
  if (rc) return p2ci_error(err, rc, "BLEU: out of memory");
  return P2C_OK;
}

const p2ci_caption_metric p2ci_metric_bleu = {
    .name = "Bleu",
    .flags = P2CI_METRIC_DEFAULT | P2CI_METRIC_NGRAMS,
    .n_outputs = N,
    .outputs = {"Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4"},
    .compute = bleu_compute,
};
