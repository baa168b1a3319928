/* BLEU-1..4 as pycocoevalcap's Bleu(4) computes it (bleu/bleu_scorer.py,
 * option "closest"): per item and for the corpus from summed counts. */
#include <math.h>
#include <stdlib.h>

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

/* A small open-addressing map from n-gram id to counts, local to one item:
 * it stays in cache, unlike arrays indexed by n-gram id. */
typedef struct local {
  uint32_t *key;    /* id + 1; 0 = empty */
  uint32_t *maxref; /* largest count in one reference */
  uint32_t *count;  /* count in the current caption */
  uint32_t *used;   /* occupied slots, to clear */
  size_t n_used, mask, cap;
} local;

static int local_reserve(local *m, size_t n)
{
  size_t want = 64;
  while (want < 2 * n) want *= 2;
  if (want <= m->cap) {
    m->mask = want - 1;
    return P2C_OK;
  }
  free(m->key);
  free(m->maxref);
  free(m->count);
  free(m->used);
  m->key = calloc(want, sizeof *m->key);
  m->maxref = calloc(want, sizeof *m->maxref);
  m->count = calloc(want, sizeof *m->count);
  m->used = malloc(want * sizeof *m->used);
  m->cap = m->key && m->maxref && m->count && m->used ? want : 0;
  m->mask = want - 1;
  return m->cap ? P2C_OK : P2C_ERR_NOMEM;
}

static size_t local_slot(local *m, uint32_t g)
{
  size_t j = (size_t)((g * 0x9e3779b1u) >> 7) & m->mask;
  while (m->key[j] && m->key[j] != g + 1) j = (j + 1) & m->mask;
  if (!m->key[j]) {
    m->key[j] = g + 1;
    m->used[m->n_used++] = (uint32_t)j;
  }
  return j;
}

static void local_clear(local *m)
{
  for (size_t i = 0; i < m->n_used; i++) {
    size_t j = m->used[i];
    m->key[j] = m->maxref[j] = m->count[j] = 0;
  }
  m->n_used = 0;
}

/* The counts of one item: references clip each n-gram to its largest count in
 * any single reference; the effective reference length is the closest one,
 * ties going to the shorter (min over (|r - L|, r)). */
static int item_counts(const p2ci_caption_set *set, size_t item, local *m, counts *c)
{
  size_t n_refs = p2ci_set_num_refs(set, item);
  size_t hyp = p2ci_set_hyp(set, item), n1;
  const uint32_t *g;

  size_t total = 0;
  for (size_t r = 0; r <= n_refs; r++)
    total += p2ci_ngrams_count(set->words[P2CI_SPLIT_WS][set->first[item] + r].len, N);
  if (local_reserve(m, total)) return P2C_ERR_NOMEM;

  for (size_t r = 0; r < n_refs; r++) {
    g = p2ci_set_ngrams(set, p2ci_set_ref(set, item, r), &n1);
    size_t ng = p2ci_ngrams_count(n1, N);
    for (size_t i = 0; i < ng; i++) m->count[local_slot(m, g[i])]++;
    for (size_t i = 0; i < ng; i++) {
      size_t j = local_slot(m, g[i]);
      if (m->count[j] > m->maxref[j]) m->maxref[j] = m->count[j];
      m->count[j] = 0;
    }
  }

  g = p2ci_set_ngrams(set, hyp, &n1);
  size_t ng = p2ci_ngrams_count(n1, N);
  c->testlen = (int64_t)n1;
  for (int k = 0; k < N; k++) {
    c->guess[k] = n1 > (size_t)k ? (int64_t)(n1 - (size_t)k) : 0;
    c->correct[k] = 0;
  }
  for (size_t i = 0; i < ng; i++) m->count[local_slot(m, g[i])]++;
  size_t start = 0;
  for (int k = 0; k < N && (size_t)k < n1; k++) {
    size_t len = n1 - (size_t)k;
    for (size_t i = start; i < start + len; i++) {
      size_t j = local_slot(m, g[i]);
      if (!m->count[j]) continue; /* counted at its first occurrence */
      c->correct[k] += m->count[j] < m->maxref[j] ? m->count[j] : m->maxref[j];
      m->count[j] = 0;
    }
    start += len;
  }
  local_clear(m);

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
  local m = {0};
  int rc = P2C_OK;
  counts total = {0};
  for (size_t i = 0; i < set->n_items && !rc; i++) {
    counts c;
    rc = item_counts(set, i, &m, &c);
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
  free(m.key);
  free(m.maxref);
  free(m.count);
  free(m.used);
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
