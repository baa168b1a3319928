/* CIDEr-D as pycocoevalcap's Cider() computes it (cider/cider_scorer.py):
 * Vedantam et al. 2015, tf-idf vectors of 1..4-grams with document frequency
 * over each item's set of references, clipping, a Gaussian length penalty
 * with sigma = 6, mean over n, / number of references, x 10. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/bigalloc.h"
#include "core/internal.h"
#include "core/summation.h"
#include "metrics/caption_metric.h"
#include "text/ngram.h"

#define N 4

/* One caption as a tf-idf vector: its distinct n-grams of each order in
 * first-occurrence order (the order Python's dict iterates counts2vec's
 * input), their weights, the norms, and its number of bigrams. N-grams are
 * numbered locally to the item (see ctx), so that every array touched per
 * occurrence stays in cache. */
typedef struct vec {
  uint32_t *gram; /* local numbers */
  double *w;
  size_t n[N], start[N];
  size_t cap;
  double norm[N];
  size_t length;
} vec;

typedef struct ctx {
  const p2ci_caption_set *set;
  const uint32_t *df; /* per n-gram id */
  const double *log_df; /* log(max(1, d)) for d = 0 .. N */
  double ref_len;       /* log(N) */
  /* the item's distinct n-grams, numbered 0, 1, ... in first-seen order:
   * an open-addressing map from n-gram id to that number */
  uint32_t *key, *num, *used;
  size_t n_used, mask, map_cap;
  double *idf;    /* per local number: log(N) - log(max(1, df)) */
  uint32_t *tf;   /* per local number, 0 between uses */
  double *ref_w;  /* per local number: the current reference's weight, 0 elsewhere */
  uint32_t *occ;  /* the local numbers of the item's n-grams, caption after caption */
  size_t local_cap;
  vec hyp, ref;
} ctx;

static int reserve(ctx *c, size_t total)
{
  size_t want = 64;
  while (want < 2 * total) want *= 2;
  if (want > c->map_cap) {
    free(c->key);
    free(c->num);
    free(c->used);
    c->key = calloc(want, sizeof *c->key);
    c->num = malloc(want * sizeof *c->num);
    c->used = malloc(want * sizeof *c->used);
    c->map_cap = c->key && c->num && c->used ? want : 0;
    if (!c->map_cap) return P2C_ERR_NOMEM;
  }
  c->mask = want - 1;
  if (total > c->local_cap) {
    size_t cap = total * 2;
    free(c->idf);
    free(c->tf);
    free(c->ref_w);
    free(c->occ);
    c->idf = malloc(cap * sizeof *c->idf);
    c->tf = calloc(cap, sizeof *c->tf);
    c->ref_w = calloc(cap, sizeof *c->ref_w);
    c->occ = malloc(cap * sizeof *c->occ);
    c->local_cap = c->idf && c->tf && c->ref_w && c->occ ? cap : 0;
    if (!c->local_cap) return P2C_ERR_NOMEM;
  }
  return P2C_OK;
}

/* Number the n-grams of caption into occ[0..), giving new ones their idf. */
static size_t number_ngrams(ctx *c, size_t caption, uint32_t *occ, size_t *n1)
{
  const uint32_t *g = p2ci_set_ngrams(c->set, caption, n1);
  size_t total = p2ci_ngrams_count(*n1, N);
  for (size_t i = 0; i < total; i++) {
    size_t j = (size_t)((g[i] * 0x9e3779b1u) >> 7) & c->mask;
    while (c->key[j] && c->key[j] != g[i] + 1) j = (j + 1) & c->mask;
    if (!c->key[j]) {
      uint32_t k = (uint32_t)c->n_used;
      c->key[j] = g[i] + 1;
      c->num[j] = k;
      c->used[c->n_used++] = (uint32_t)j;
      /* np.log(float(len(crefs))) - np.log(max(1.0, df)) */
      c->idf[k] = c->ref_len - c->log_df[c->df[g[i]]];
    }
    occ[i] = c->num[j];
  }
  return total;
}

static int to_vec(ctx *c, const uint32_t *g, size_t n1, vec *v)
{
  size_t total = p2ci_ngrams_count(n1, N);
  if (p2ci_grow(&v->gram, &v->cap, total, sizeof *v->gram)) return P2C_ERR_NOMEM;
  if (total > 0) {
    double *w = realloc(v->w, v->cap * sizeof *w);
    if (!w) return P2C_ERR_NOMEM;
    v->w = w;
  }
  for (size_t i = 0; i < total; i++) c->tf[g[i]]++;
  size_t out = 0, pos = 0;
  v->length = 0;
  for (int k = 0; k < N; k++) {
    size_t len = n1 > (size_t)k ? n1 - (size_t)k : 0;
    v->start[k] = out;
    double norm = 0.0;
    for (size_t i = pos; i < pos + len; i++) {
      uint32_t tf = c->tf[g[i]];
      if (!tf) continue; /* seen earlier in this caption */
      double w = (double)tf * c->idf[g[i]];
      v->gram[out] = g[i];
      v->w[out++] = w;
      /* pow(w, 2) in the reference: correctly rounded, hence w * w */
      norm += w * w;
      if (k == 1) v->length += tf;
      c->tf[g[i]] = 0;
    }
    v->n[k] = out - v->start[k];
    v->norm[k] = sqrt(norm);
    pos += len;
  }
  return P2C_OK;
}

static int cider_item(ctx *c, size_t item, double *out)
{
  size_t n_refs = p2ci_set_num_refs(c->set, item), total = 0;
  for (size_t r = 0; r <= n_refs; r++)
    total += p2ci_ngrams_count(c->set->words[P2CI_SPLIT_WS][c->set->first[item] + r].len, N);
  int rc = reserve(c, total);
  if (rc) return rc;
  size_t n1, used = number_ngrams(c, p2ci_set_hyp(c->set, item), c->occ, &n1);
  rc = to_vec(c, c->occ, n1, &c->hyp);
  const vec *h = &c->hyp, *r = &c->ref;
  double score[N] = {0.0, 0.0, 0.0, 0.0};
  for (size_t j = 0; j < n_refs && !rc; j++) {
    uint32_t *occ = c->occ + used;
    used += number_ngrams(c, p2ci_set_ref(c->set, item, j), occ, &n1);
    rc = to_vec(c, occ, n1, &c->ref);
    if (rc) break;
    for (int k = 0; k < N; k++)
      for (size_t i = r->start[k]; i < r->start[k] + r->n[k]; i++) c->ref_w[r->gram[i]] = r->w[i];
    double delta = (double)h->length - (double)r->length;
    /* np.e ** (-(delta ** 2) / (2 * sigma ** 2)): a pow of e, not exp */
    double penalty = pow(2.718281828459045, -(delta * delta) / 72.0);
    for (int k = 0; k < N; k++) {
      double val = 0.0;
      for (size_t i = h->start[k]; i < h->start[k] + h->n[k]; i++) {
        double vh = h->w[i], vr = c->ref_w[h->gram[i]];
        val += (vr < vh ? vr : vh) * vr;
      }
      if (h->norm[k] != 0 && r->norm[k] != 0) val /= h->norm[k] * r->norm[k];
      val *= penalty;
      score[k] += val;
    }
    for (int k = 0; k < N; k++)
      for (size_t i = r->start[k]; i < r->start[k] + r->n[k]; i++) c->ref_w[r->gram[i]] = 0.0;
  }
  for (size_t i = 0; i < c->n_used; i++) c->key[c->used[i]] = 0;
  c->n_used = 0;
  if (rc) return rc;
  double avg = p2ci_mean_numpy(score, N);
  avg /= (double)n_refs;
  avg *= 10.0;
  *out = avg;
  return P2C_OK;
}

/* Document frequency: in how many items' reference sets each n-gram occurs.
 * Fails like the reference (max() of an empty sequence) when no reference
 * holds any word at all. */
static int document_frequency(const p2ci_caption_set *set, uint32_t *df, p2c_error *err)
{
  uint32_t *stamp = p2ci_big_calloc(set->n_ngrams, sizeof *stamp);
  if (!stamp) return p2ci_error(err, P2C_ERR_NOMEM, "CIDEr: out of memory");
  size_t distinct = 0;
  for (size_t item = 0; item < set->n_items; item++) {
    size_t n_refs = p2ci_set_num_refs(set, item);
    for (size_t j = 0; j < n_refs; j++) {
      size_t n1;
      const uint32_t *g = p2ci_set_ngrams(set, p2ci_set_ref(set, item, j), &n1);
      size_t total = p2ci_ngrams_count(n1, N);
      for (size_t i = 0; i < total; i++)
        if (stamp[g[i]] != item + 1) {
          stamp[g[i]] = (uint32_t)(item + 1);
          if (!df[g[i]]++) distinct++;
        }
    }
  }
  p2ci_big_free(stamp, set->n_ngrams, sizeof *stamp);
  if (distinct == 0)
    return p2ci_error(err, P2C_ERR_EMPTY,
                      "CIDEr: no reference holds any word, so there is no document frequency "
                      "(pycocoevalcap fails here with \"max() arg is an empty sequence\")");
  return P2C_OK;
}

static int cider_compute(void *state, const p2ci_caption_set *set, double *corpus,
                         double *per_item, p2c_error *err)
{
  (void)state;
  if (set->n_items >= UINT32_MAX)
    return p2ci_error(err, P2C_ERR_LIMIT, "CIDEr: more than 2^32 - 2 items");
  ctx c;
  memset(&c, 0, sizeof c);
  c.set = set;
  size_t ng = set->n_ngrams;
  uint32_t *df = p2ci_big_calloc(ng, sizeof *df);
  double *log_df = p2ci_malloc_array(set->n_items + 1, sizeof *log_df);
  int rc = P2C_OK;
  if (!df || !log_df) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "CIDEr: out of memory");
    goto done;
  }
  rc = document_frequency(set, df, err);
  if (rc) goto done;
  /* one log per df value */
  for (size_t d = 0; d <= set->n_items; d++) log_df[d] = log(d > 1 ? (double)d : 1.0);
  c.df = df;
  c.log_df = log_df;
  c.ref_len = log((double)set->n_items);
  for (size_t i = 0; i < set->n_items && !rc; i++) rc = cider_item(&c, i, &per_item[i]);
  if (rc) {
    p2ci_error(err, rc, "CIDEr: out of memory");
    goto done;
  }
  *corpus = p2ci_mean_numpy(per_item, set->n_items);
done:
  p2ci_big_free(df, ng, sizeof *df);
  free(log_df);
  free(c.key);
  free(c.num);
  free(c.used);
  free(c.idf);
  free(c.tf);
  free(c.ref_w);
  free(c.occ);
  free(c.hyp.gram);
  free(c.hyp.w);
  free(c.ref.gram);
  free(c.ref.w);
  return rc;
}

const p2ci_caption_metric p2ci_metric_cider_d = {
    .name = "CIDEr",
    .flags = P2CI_METRIC_DEFAULT | P2CI_METRIC_NGRAMS,
    .n_outputs = 1,
    .outputs = {"CIDEr"},
    .compute = cider_compute,
};
