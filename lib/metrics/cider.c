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
#include "text/hash.h"
#include "text/ngram.h"

#define N 4

/* Document frequencies of the 2-, 3- and 4-grams of all references: an
 * open-addressing table keyed by the n-gram's word ids themselves, packed
 * in one 64-bit word (16 bits per word + 1, when the vocabulary allows it)
 * or in two (32 bits per word + 1). Slots are `stride` words: the key, then
 * the count. A zero first key word marks an empty slot (word ids + 1 > 0). */
typedef struct dftab {
  uint64_t *slots;
  size_t mask, n, stride;
} dftab;

/* Most probes of a batch are cache misses: all are issued before the first
 * is used, so that they overlap. */
#define BATCH 64

static void pack(const uint32_t *w, unsigned k, size_t stride, uint64_t key[2])
{
  key[0] = key[1] = 0;
  if (stride == 2) {
    for (unsigned q = 0; q < k; q++) key[0] |= (uint64_t)(w[q] + 1) << (16 * q);
  } else {
    for (unsigned q = 0; q < k; q++) key[q / 2] |= (uint64_t)(w[q] + 1) << (32 * (q % 2));
  }
}

static uint64_t key_hash(const uint64_t key[2])
{
  return p2ci_hash_mix(key[0] ^ key[1] * 0x9e3779b97f4a7c15ULL);
}

static int dftab_init(dftab *t, size_t n_words, size_t expected)
{
  t->stride = n_words < 0xffff ? 2 : 3;
  t->n = 0;
  size_t size = 1024;
  while (size / 2 < expected && size < ((size_t)1 << 40)) size *= 2;
  t->slots = p2ci_big_calloc(size, t->stride * sizeof *t->slots);
  t->mask = size - 1;
  return t->slots ? P2C_OK : P2C_ERR_NOMEM;
}

static void dftab_free(dftab *t)
{
  if (t->slots) p2ci_big_free(t->slots, t->mask + 1, t->stride * sizeof *t->slots);
  t->slots = NULL;
}

/* The slot of key: where it is, or the empty slot where it belongs. */
static uint64_t *dftab_slot(const dftab *t, const uint64_t key[2], uint64_t h)
{
  size_t j = (size_t)h & t->mask;
  for (;;) {
    uint64_t *s = t->slots + j * t->stride;
    if (!s[0] || (s[0] == key[0] && (t->stride == 2 || s[1] == key[1]))) return s;
    j = (j + 1) & t->mask;
  }
}

/* Room for `more` new keys at load factor 3/4 at most. */
static int dftab_reserve(dftab *t, size_t more)
{
  size_t size = t->mask + 1;
  if (t->n + more <= size / 2) return P2C_OK;
  while (t->n + more > size / 2) size *= 2;
  dftab old = *t;
  t->slots = p2ci_big_calloc(size, t->stride * sizeof *t->slots);
  if (!t->slots) {
    *t = old;
    return P2C_ERR_NOMEM;
  }
  t->mask = size - 1;
  for (size_t i = 0; i <= old.mask; i++) {
    const uint64_t *s = old.slots + i * old.stride;
    if (!s[0]) continue;
    uint64_t key[2] = {s[0], old.stride == 3 ? s[1] : 0};
    uint64_t *d = dftab_slot(t, key, key_hash(key));
    memcpy(d, s, t->stride * sizeof *d);
  }
  dftab_free(&old);
  return P2C_OK;
}

/* One caption as a tf-idf vector: its distinct n-grams of each order in
 * first-occurrence order (the order Python's dict iterates counts2vec's
 * input), their weights, the norms, and its number of bigrams. N-grams are
 * the item's local ids (text/ngram.h), so that every array touched per
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
  dftab df;          /* 2-, 3- and 4-grams */
  uint32_t *df1;     /* 1-grams, per word id */
  const double *log_df; /* log(max(1, d)) for d = 0 .. N */
  double ref_len;       /* log(N) */
  p2ci_ngrams grams;    /* the item's n-grams */
  const uint32_t **words;
  size_t *len, words_cap, len_cap;
  double *idf;    /* per local id: log(N) - log(max(1, df)) */
  uint32_t *tf;   /* per local id, 0 between uses */
  double *ref_w;  /* per local id: the current reference's weight, 0 elsewhere */
  size_t local_cap;
  vec hyp, ref;
} ctx;

/* Number the n-grams of the item's captions first .. first + n - 1. */
static int number_item(ctx *c, size_t first, size_t n)
{
  if (p2ci_grow(&c->words, &c->words_cap, n, sizeof *c->words) ||
      p2ci_grow(&c->len, &c->len_cap, n, sizeof *c->len))
    return P2C_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    c->len[i] = p2ci_set_words(c->set, first + i, P2CI_SPLIT_WS, &c->words[i]);
  return p2ci_ngrams_number(&c->grams, c->words, c->len, n, N);
}

static int reserve_local(ctx *c, size_t n)
{
  if (n <= c->local_cap) return P2C_OK;
  size_t cap = n * 2;
  free(c->idf);
  free(c->tf);
  free(c->ref_w);
  c->idf = malloc(cap * sizeof *c->idf);
  c->tf = calloc(cap, sizeof *c->tf);
  c->ref_w = calloc(cap, sizeof *c->ref_w);
  c->local_cap = c->idf && c->tf && c->ref_w ? cap : 0;
  return c->local_cap ? P2C_OK : P2C_ERR_NOMEM;
}

/* Document frequency: in how many items' reference sets each n-gram occurs.
 * Each item's distinct reference n-grams come from its local numbering. */
static int document_frequency(ctx *c, size_t *distinct)
{
  const p2ci_caption_set *set = c->set;
  dftab *t = &c->df;
  *distinct = 0;
  for (size_t item = 0; item < set->n_items; item++) {
    int rc = number_item(c, p2ci_set_ref(set, item, 0), p2ci_set_num_refs(set, item));
    if (rc) return rc;
    const p2ci_ngrams *g = &c->grams;
    *distinct += g->n_ids;
    if ((rc = dftab_reserve(t, g->n_ids))) return rc;
    for (size_t b = 0; b < g->n_ids; b += BATCH) {
      size_t e = b + BATCH < g->n_ids ? b + BATCH : g->n_ids;
      uint64_t key[BATCH][2], h[BATCH];
      for (size_t i = b; i < e; i++) {
        if (g->order[i] == 1) continue;
        pack(g->at[i], g->order[i], t->stride, key[i - b]);
        h[i - b] = key_hash(key[i - b]);
        __builtin_prefetch(t->slots + ((size_t)h[i - b] & t->mask) * t->stride, 1);
      }
      for (size_t i = b; i < e; i++) {
        if (g->order[i] == 1) {
          c->df1[*g->at[i]]++;
          continue;
        }
        uint64_t *s = dftab_slot(t, key[i - b], h[i - b]);
        if (!s[0]) {
          s[0] = key[i - b][0];
          if (t->stride == 3) s[1] = key[i - b][1];
          t->n++;
        }
        s[t->stride - 1]++;
      }
    }
  }
  return P2C_OK;
}

/* idf of every n-gram of the numbered item. */
static void item_idf(ctx *c)
{
  const p2ci_ngrams *g = &c->grams;
  const dftab *t = &c->df;
  for (size_t b = 0; b < g->n_ids; b += BATCH) {
    size_t e = b + BATCH < g->n_ids ? b + BATCH : g->n_ids;
    uint64_t key[BATCH][2], h[BATCH];
    for (size_t i = b; i < e; i++) {
      if (g->order[i] == 1) continue;
      pack(g->at[i], g->order[i], t->stride, key[i - b]);
      h[i - b] = key_hash(key[i - b]);
      __builtin_prefetch(t->slots + ((size_t)h[i - b] & t->mask) * t->stride);
    }
    for (size_t i = b; i < e; i++) {
      uint64_t d = g->order[i] == 1 ? c->df1[*g->at[i]]
                                    : dftab_slot(t, key[i - b], h[i - b])[t->stride - 1];
      /* np.log(float(len(crefs))) - np.log(max(1.0, df)) */
      c->idf[i] = c->ref_len - c->log_df[d];
    }
  }
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
  size_t n_refs = p2ci_set_num_refs(c->set, item);
  int rc = number_item(c, p2ci_set_hyp(c->set, item), n_refs + 1);
  if (!rc) rc = reserve_local(c, c->grams.n_ids);
  if (rc) return rc;
  item_idf(c);
  const p2ci_ngrams *g = &c->grams;
  rc = to_vec(c, g->ids + g->off[0], c->len[0], &c->hyp);
  const vec *h = &c->hyp, *r = &c->ref;
  double score[N] = {0.0, 0.0, 0.0, 0.0};
  for (size_t j = 1; j <= n_refs && !rc; j++) {
    rc = to_vec(c, g->ids + g->off[j], c->len[j], &c->ref);
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
  if (rc) return rc;
  double avg = p2ci_mean_numpy(score, N);
  avg /= (double)n_refs;
  avg *= 10.0;
  *out = avg;
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
  size_t n_words = p2ci_vocab_size(set->vocab), longer = 0, distinct = 0, item = 0;
  for (size_t i = 0; i < set->n_items; i++)
    for (size_t j = 0; j < p2ci_set_num_refs(set, i); j++) {
      size_t n1 = set->words[P2CI_SPLIT_WS][p2ci_set_ref(set, i, j)].len;
      longer += p2ci_ngrams_count(n1, N) - (n1 < 1 ? 0 : n1);
    }
  double *log_df = p2ci_malloc_array(set->n_items + 1, sizeof *log_df);
  c.df1 = p2ci_calloc_array(n_words ? n_words : 1, sizeof *c.df1);
  /* about a third of the longer reference n-grams of caption sets are
   * distinct (0.38 of all n-grams on the coco-caption demo corpus) */
  int rc = p2ci_ngrams_init(&c.grams, n_words);
  if (!rc) rc = dftab_init(&c.df, n_words, longer / 3);
  if (!rc && (!log_df || !c.df1)) rc = P2C_ERR_NOMEM;
  if (!rc) rc = document_frequency(&c, &distinct);
  if (rc) goto done;
  if (distinct == 0) {
    rc = p2ci_error(err, P2C_ERR_EMPTY,
                    "CIDEr: no reference holds any word, so there is no document frequency "
                    "(pycocoevalcap fails here with \"max() arg is an empty sequence\")");
    goto done;
  }
  /* one log per df value */
  for (size_t d = 0; d <= set->n_items; d++) log_df[d] = log(d > 1 ? (double)d : 1.0);
  c.log_df = log_df;
  c.ref_len = log((double)set->n_items);
  for (item = 0; item < set->n_items && !rc; item++) rc = cider_item(&c, item, &per_item[item]);
  if (rc) {
    item--;
    goto done;
  }
  *corpus = p2ci_mean_numpy(per_item, set->n_items);
done:
  if (rc == P2C_ERR_NOMEM) p2ci_error(err, rc, "CIDEr: out of memory");
  else if (rc && rc != P2C_ERR_EMPTY)
    p2ci_error(err, rc, "CIDEr: key '%s': too many words", set->keys[item]);
  dftab_free(&c.df);
  p2ci_ngrams_release(&c.grams);
  free(c.df1);
  free(log_df);
  free(c.words);
  free(c.len);
  free(c.idf);
  free(c.tf);
  free(c.ref_w);
  free(c.hyp.gram);
  free(c.hyp.w);
  free(c.ref.gram);
  free(c.ref.w);
  return rc;
}

const p2ci_caption_metric p2ci_metric_cider_d = {
    .name = "CIDEr",
    .flags = P2CI_METRIC_DEFAULT,
    .n_outputs = 1,
    .outputs = {"CIDEr"},
    .compute = cider_compute,
};
