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
 * input), their weights, the norms, and its number of bigrams. */
typedef struct vec {
  uint32_t *gram;
  double *w;
  size_t n[N], start[N];
  size_t cap;
  double norm[N];
  size_t length;
} vec;

typedef struct ctx {
  const p2ci_caption_set *set;
  double *idf;      /* per n-gram id: log(N) - log(max(1, df)) */
  uint32_t *tf;     /* per n-gram id, 0 between uses */
  double *ref_w;    /* per n-gram id: the current reference's weight, 0 elsewhere */
  vec hyp, ref;
} ctx;

static int to_vec(ctx *c, size_t caption, vec *v)
{
  size_t n1;
  const uint32_t *g = p2ci_set_ngrams(c->set, caption, &n1);
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
  int rc = to_vec(c, p2ci_set_hyp(c->set, item), &c->hyp);
  if (rc) return rc;
  const vec *h = &c->hyp, *r = &c->ref;
  double score[N] = {0.0, 0.0, 0.0, 0.0};
  size_t n_refs = p2ci_set_num_refs(c->set, item);
  for (size_t j = 0; j < n_refs; j++) {
    rc = to_vec(c, p2ci_set_ref(c->set, item, j), &c->ref);
    if (rc) return rc;
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
  c.idf = p2ci_big_calloc(ng, sizeof *c.idf);
  c.tf = p2ci_big_calloc(ng, sizeof *c.tf);
  c.ref_w = p2ci_big_calloc(ng, sizeof *c.ref_w);
  int rc = P2C_OK;
  if (!df || !log_df || !c.idf || !c.tf || !c.ref_w) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "CIDEr: out of memory");
    goto done;
  }
  rc = document_frequency(set, df, err);
  if (rc) goto done;
  /* np.log(float(len(crefs))) - np.log(max(1.0, df)), one log per df value */
  double ref_len = log((double)set->n_items);
  for (size_t d = 0; d <= set->n_items; d++) log_df[d] = log(d > 1 ? (double)d : 1.0);
  for (size_t i = 0; i < set->n_ngrams; i++) c.idf[i] = ref_len - log_df[df[i]];
  for (size_t i = 0; i < set->n_items && !rc; i++) rc = cider_item(&c, i, &per_item[i]);
  if (rc) {
    p2ci_error(err, rc, "CIDEr: out of memory");
    goto done;
  }
  *corpus = p2ci_mean_numpy(per_item, set->n_items);
done:
  p2ci_big_free(df, ng, sizeof *df);
  free(log_df);
  p2ci_big_free(c.idf, ng, sizeof *c.idf);
  p2ci_big_free(c.tf, ng, sizeof *c.tf);
  p2ci_big_free(c.ref_w, ng, sizeof *c.ref_w);
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
