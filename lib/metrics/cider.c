/* CIDEr-D as pycocoevalcap's Cider() computes it (cider/cider_scorer.py):
 * Vedantam et al. 2015, tf-idf vectors of 1..4-grams with document frequency
 * over each item's set of references, clipping, a Gaussian length penalty
 * with sigma = 6, mean over n, / number of references, x 10. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/summation.h"
#include "metrics/caption_metric.h"
#include "text/ngram.h"
#include "text/ngram_df.h"

#define N 4

/* One caption as a tf-idf vector: its distinct n-grams of each order in
 * first-occurrence order (the order Python's dict iterates counts2vec's
 * input), their weights, the norms, and its number of bigrams (a reference
 * keeps only its norms and length: its weights go to a dense array). N-grams
 * are the item's local ids (text/ngram.h), so that every array touched per
 * occurrence stays in cache. */
typedef struct vec {
  uint32_t *gram; /* local ids */
  double *w;
  size_t n[N], start[N];
  size_t cap;
  double norm[N];
  size_t length;
} vec;

typedef struct ctx {
  const p2ci_caption_set *set;
  /* The corpus-wide key of an n-gram: its word ids + 1 (0: no word), `bits`
   * bits each (as many as the vocabulary's size takes), the first word's
   * highest; in one word (key0) when N * bits <= 64, else (wide) in two. */
  unsigned bits;
  int wide;
  uint32_t *df1;        /* 1-grams: per word id */
  /* longer n-grams: one record per item and distinct n-gram, in local id
   * order, added in the document-frequency pass and read back while scoring;
   * one counter per order (2, 3, 4), as the shorter keys take fewer bytes */
  p2ci_ngram_df df[N - 1];
  double *log_df;  /* log(max(1, d)) for d = 0 .. N */
  double ref_len;  /* log(N) */
  p2ci_item_ngrams pass1; /* the numbering of the document-frequency pass */
  const p2ci_item_ngrams *it; /* the item's n-grams (the scorer's while scoring) */
  uint8_t *in_ref; /* per local id: occurs in a reference */
  double *idf;    /* per local id: log(N) - log(max(1, df)) */
  uint32_t *tf;   /* per local id, 0 between uses */
  double *ref_w;  /* per local id: the current reference's weight (read for the
                     hypothesis' n-grams only: 0 there when not in the reference) */
  /* per longer n-gram of the item (a record of df), by order, from
   * (order - 2) * local_cap on, in local id order: */
  uint64_t *key[2];
  uint8_t *counts; /* occurs in a reference */
  uint32_t *dfs;
  size_t local_cap;
  vec hyp, ref;
} ctx;

/* The per-id arrays. */
static void free_local(ctx *c)
{
  free(c->in_ref);
  free(c->idf);
  free(c->tf);
  free(c->ref_w);
  for (int i = 0; i < 2; i++) free(c->key[i]);
  free(c->counts);
  free(c->dfs);
}

static int reserve_local(ctx *c, size_t n)
{
  if (n <= c->local_cap) return P2C_OK;
  size_t cap = n * 2;
  free_local(c);
  c->in_ref = malloc(cap * sizeof *c->in_ref);
  c->idf = malloc(cap * sizeof *c->idf);
  c->tf = calloc(cap, sizeof *c->tf);
  c->ref_w = malloc(cap * sizeof *c->ref_w);
  for (int i = 0; i < 2; i++) c->key[i] = p2ci_malloc_array(cap, (N - 1) * sizeof *c->key[i]);
  c->counts = p2ci_malloc_array(cap, N - 1);
  c->dfs = p2ci_malloc_array(cap, (N - 1) * sizeof *c->dfs);
  c->local_cap = c->in_ref && c->idf && c->tf && c->ref_w && c->key[0] && c->key[1] && c->counts &&
                         c->dfs
                     ? cap
                     : 0;
  return c->local_cap ? P2C_OK : P2C_ERR_NOMEM;
}

/* The numbered item's records for df: the keys of its n-grams of order 2 and
 * more (text/ngram.h gives every id's key and the ids of each order), by
 * order, in local id order, in c->key (order o + 2 from o * c->local_cap on);
 * when counting, also whether each occurs in a reference (from c->in_ref) in
 * c->counts, and the 1-grams' share of the document frequencies in df1; else
 * the 1-grams' idf. */
static P2CI_ALWAYS_INLINE void records(ctx *c, const int counting, const int wide)
{
  const p2ci_ngrams *g = &c->it->g;
  const uint64_t *restrict full0 = g->key[0], *restrict full1 = g->key[1];
  const uint8_t *restrict in_ref = c->in_ref;
  const uint32_t *restrict ids = g->of_order[0];
  if (counting) {
    uint32_t *restrict df1 = c->df1;
    for (size_t i = 0; i < g->n_of_order[0]; i++) df1[full0[ids[i]] - 1] += in_ref[ids[i]];
  } else {
    const double *restrict log_df = c->log_df;
    const uint32_t *restrict df1 = c->df1;
    double *restrict idf = c->idf;
    const double ref_len = c->ref_len;
    for (size_t i = 0; i < g->n_of_order[0]; i++)
      idf[ids[i]] = ref_len - log_df[df1[full0[ids[i]] - 1]]; /* as in item_idf */
  }
  for (size_t o = 0; o < N - 1; o++) {
    size_t at = o * c->local_cap, m = g->n_of_order[o + 1];
    uint64_t *restrict key0 = c->key[0] + at, *restrict key1 = c->key[1] + at;
    uint8_t *restrict counts = c->counts + at;
    ids = g->of_order[o + 1];
    for (size_t i = 0; i < m; i++) {
      key0[i] = full0[ids[i]];
      if (wide) key1[i] = full1[ids[i]];
      if (counting) counts[i] = in_ref[ids[i]];
    }
  }
}

/* Whether the keys of order o + 2 take two words. */
static int two_words(const ctx *c, size_t o) { return (o + 2) * c->bits > 64; }

/* records(), compiled for each pass and key size. */
static void item_records(ctx *c, int counting)
{
  if (c->wide) counting ? records(c, 1, 1) : records(c, 0, 1);
  else counting ? records(c, 1, 0) : records(c, 0, 0);
}

/* Document frequency: in how many items' reference sets each n-gram occurs.
 * 1-grams are counted by word id; longer ones are recorded in c->df, one
 * record per item and distinct n-gram. *any: some reference has a word. */
static int document_frequency(ctx *c, int *any)
{
  const p2ci_caption_set *set = c->set;
  *any = 0;
  for (size_t item = 0; item < set->n_items; item++) {
    int rc = p2ci_item_ngrams_number(&c->pass1, set, item);
    const p2ci_ngrams *g = &c->pass1.g;
    if (!rc) rc = reserve_local(c, g->n_ids);
    if (rc) return rc;
    c->it = &c->pass1;
    size_t refs_end = g->off[p2ci_set_num_refs(set, item) + 1];
    if (g->n_ids) memset(c->in_ref, 0, g->n_ids); /* in_ref is NULL before the first n-gram */
    for (size_t i = g->off[1]; i < refs_end; i++) c->in_ref[g->ids[i]] = 1;
    if (refs_end > g->off[1]) *any = 1;
    item_records(c, 1);
    for (size_t o = 0; o < N - 1 && !rc; o++) {
      size_t at = o * c->local_cap;
      rc = p2ci_ngram_df_add(&c->df[o], c->key[0] + at, two_words(c, o) ? c->key[1] + at : NULL,
                             c->counts + at, g->n_of_order[o + 1]);
    }
    if (rc) return rc;
  }
  int rc = P2C_OK;
  for (size_t o = 0; o < N - 1 && !rc; o++) rc = p2ci_ngram_df_count(&c->df[o]);
  return rc;
}

/* idf of every n-gram of the numbered item: the 1-grams' from their df by
 * word, the longer ones' from c->df. */
static int item_idf(ctx *c)
{
  item_records(c, 0);
  const p2ci_ngrams *g = &c->it->g;
  const double *restrict log_df = c->log_df;
  double *restrict idf = c->idf;
  const double ref_len = c->ref_len;
  for (size_t o = 0; o < N - 1; o++) {
    size_t at = o * c->local_cap, m = g->n_of_order[o + 1];
    const uint32_t *restrict dfs = c->dfs + at, *restrict ids = g->of_order[o + 1];
    int rc = p2ci_ngram_df_next(&c->df[o], c->key[0] + at, two_words(c, o) ? c->key[1] + at : NULL,
                                c->dfs + at, m);
    if (rc) return rc;
    /* np.log(float(len(crefs))) - np.log(max(1.0, df)) */
    for (size_t i = 0; i < m; i++) idf[ids[i]] = ref_len - log_df[dfs[i]];
  }
  return P2C_OK;
}

/* pycocoevalcap's vector length: the sum of the bigrams' counts. */
static size_t bigrams(size_t n1) { return n1 > 1 ? n1 - 1 : 0; }

/* The hypothesis' vector, from its n-grams g (n1 words). */
static int hyp_vec(ctx *c, const uint32_t *g, size_t n1, vec *v)
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
      c->tf[g[i]] = 0;
    }
    v->n[k] = out - v->start[k];
    v->norm[k] = sqrt(norm);
    pos += len;
  }
  v->length = bigrams(n1);
  return P2C_OK;
}

/* A reference's norms and length, and its weights by local id in dense. Only
 * the hypothesis' n-grams are read there, and those have the ids below the
 * number of its distinct n-grams (it is numbered first). */
static void ref_vec(ctx *c, const uint32_t *g, size_t n1, vec *v, double *dense)
{
  uint32_t *restrict tf = c->tf;
  const double *restrict idf = c->idf;
  size_t total = p2ci_ngrams_count(n1, N);
  for (size_t i = 0; i < total; i++) tf[g[i]]++;
  size_t pos = 0;
  for (int k = 0; k < N; k++) {
    size_t len = n1 > (size_t)k ? n1 - (size_t)k : 0;
    double norm = 0.0;
    for (size_t i = pos; i < pos + len; i++) {
      uint32_t t = tf[g[i]];
      if (!t) continue; /* seen earlier in this caption */
      double w = (double)t * idf[g[i]];
      dense[g[i]] = w;
      norm += w * w;
      tf[g[i]] = 0;
    }
    v->norm[k] = sqrt(norm);
    pos += len;
  }
  v->length = bigrams(n1);
}

/* The item's score, from its n-grams it. */
static int item_score(ctx *c, const p2ci_item_ngrams *it, double *out)
{
  size_t n_refs = it->n_captions - 1;
  const p2ci_ngrams *g = &it->g;
  c->it = it;
  int rc = reserve_local(c, g->n_ids);
  if (!rc) rc = item_idf(c);
  if (!rc) rc = hyp_vec(c, g->ids + g->off[0], it->len[0], &c->hyp);
  if (rc) return rc;
  const vec *h = &c->hyp, *r = &c->ref;
  size_t hyp_ids = h->start[N - 1] + h->n[N - 1];
  double score[N] = {0.0, 0.0, 0.0, 0.0};
  for (size_t j = 1; j <= n_refs; j++) {
    /* weights of the previous reference (or item) where this one has none */
    if (hyp_ids) memset(c->ref_w, 0, hyp_ids * sizeof *c->ref_w);
    ref_vec(c, g->ids + g->off[j], it->len[j], &c->ref, c->ref_w);
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
  }
  double avg = p2ci_mean_numpy(score, N);
  avg /= (double)n_refs;
  avg *= 10.0;
  *out = avg;
  return P2C_OK;
}

/* Frees the run c; with corpus, gives the corpus score first. */
static int cider_finish(void *p, const double *per_item, double *corpus, p2c_error *err)
{
  (void)err;
  ctx *c = p;
  if (corpus) *corpus = p2ci_mean_numpy(per_item, c->set->n_items);
  p2ci_item_ngrams_release(&c->pass1);
  for (size_t o = 0; o < N - 1; o++) p2ci_ngram_df_release(&c->df[o]);
  free(c->df1);
  free(c->log_df);
  free_local(c);
  free(c->hyp.gram);
  free(c->hyp.w);
  free(c);
  return P2C_OK;
}

/* The document frequencies, before any item is scored. */
static int cider_start(void *state, const p2ci_caption_set *set, void **run, p2c_error *err)
{
  (void)state;
  if (set->n_items >= UINT32_MAX)
    return p2ci_error(err, P2C_ERR_LIMIT, "CIDEr: more than 2^32 - 2 items");
  ctx *c = calloc(1, sizeof *c);
  if (!c) return p2ci_error(err, P2C_ERR_NOMEM, "CIDEr: out of memory");
  c->set = set;
  size_t n_words = p2ci_vocab_size(set->vocab), occurrences[N - 1] = {0};
  for (size_t i = 0; i < set->first[set->n_items]; i++)
    for (size_t k = 2, n1 = set->words[P2CI_SPLIT_WS][i].len; k <= N && k <= n1; k++)
      occurrences[k - 2] += n1 - k + 1;
  c->bits = p2ci_item_ngrams_key_bits(set);
  c->wide = N * c->bits > 64; /* as in text/ngram.c */
  c->log_df = p2ci_malloc_array(set->n_items + 1, sizeof *c->log_df);
  c->df1 = p2ci_calloc_array(n_words ? n_words : 1, sizeof *c->df1);
  int rc = p2ci_item_ngrams_init(&c->pass1, set, 1), any = 0;
  /* at most one record per occurrence, and one counted per item and n-gram */
  for (size_t o = 0; o < N - 1 && !rc; o++)
    rc = p2ci_ngram_df_init(&c->df[o], (unsigned)(o + 2) * c->bits, occurrences[o], set->n_items);
  if (!rc && (!c->log_df || !c->df1)) rc = P2C_ERR_NOMEM;
  if (!rc) rc = document_frequency(c, &any);
  if (!rc && !any)
    rc = p2ci_error(err, P2C_ERR_EMPTY,
                    "CIDEr: no reference holds any word, so there is no document frequency "
                    "(pycocoevalcap fails here with \"max() arg is an empty sequence\")");
  if (rc == P2C_ERR_NOMEM) p2ci_error(err, rc, "CIDEr: out of memory");
  else if (rc == P2C_ERR_LIMIT) p2ci_error(err, rc, "CIDEr: too many n-grams");
  else if (rc && rc != P2C_ERR_EMPTY) p2ci_error(err, rc, "CIDEr: internal error");
  if (rc) {
    cider_finish(c, NULL, NULL, NULL);
    return rc;
  }
  /* one log per df value */
  for (size_t d = 0; d <= set->n_items; d++) c->log_df[d] = log(d > 1 ? (double)d : 1.0);
  c->ref_len = log((double)set->n_items);
  p2ci_item_ngrams_release(&c->pass1);
  *run = c;
  return P2C_OK;
}

static int cider_item(void *p, size_t item, const p2ci_item_ngrams *it, double *out, p2c_error *err)
{
  int rc = item_score(p, it, out);
  if (rc == P2C_ERR_NOMEM) return p2ci_error(err, rc, "CIDEr: out of memory");
  if (rc) return p2ci_error(err, rc, "CIDEr: key '%s': internal error", ((ctx *)p)->set->keys[item]);
  return P2C_OK;
}

const p2ci_caption_metric p2ci_metric_cider_d = {
    .name = "CIDEr",
    .flags = P2CI_METRIC_DEFAULT | P2CI_METRIC_NGRAM_KEYS,
    .n_outputs = 1,
    .outputs = {"CIDEr"},
    .start = cider_start,
    .item = cider_item,
    .finish = cider_finish,
};
