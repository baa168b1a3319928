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

int p2ci_cider_wide_keys = 0;

/* The 2-, 3- and 4-grams of the corpus, numbered 0, 1, ... in first-seen
 * order: an open-addressing table keyed by the n-gram's word ids themselves,
 * packed in one 64-bit word (16 bits per word + 1, when the vocabulary
 * allows it) or in two (32 bits per word + 1). Slots are `stride` words: the
 * key, then the number. A zero first key word marks an empty slot (word
 * ids + 1 > 0); the number's word holds the document frequency in its high
 * half while the table is being filled. Any table size works (no power of
 * two: memory is the cost here), so it is sized once from an estimate and
 * rarely grows. */
typedef struct gramtab {
  uint64_t *slots;
  size_t size, n, stride;
} gramtab;

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

/* The home slot of a key: its hash's top 32 bits scaled to the size (Lemire's
 * multiply-shift range reduction). */
static size_t home(const gramtab *t, const uint64_t key[2])
{
  uint64_t h = p2ci_hash_mix(key[0] ^ key[1] * 0x9e3779b97f4a7c15ULL);
  return (size_t)(((h >> 32) * (uint64_t)t->size) >> 32);
}

static int gramtab_alloc(gramtab *t, size_t size)
{
  /* home() scales 32 hash bits; numbers are 32 bits */
  if ((uint64_t)size > ((uint64_t)1 << 32)) return P2C_ERR_LIMIT;
  t->slots = p2ci_big_calloc(size, t->stride * sizeof *t->slots);
  t->size = size;
  return t->slots ? P2C_OK : P2C_ERR_NOMEM;
}

static void gramtab_free(gramtab *t)
{
  if (t->slots) p2ci_big_free(t->slots, t->size, t->stride * sizeof *t->slots);
  t->slots = NULL;
}

/* The slot of key: where it is, or the empty slot where it belongs. */
static uint64_t *gramtab_slot(const gramtab *t, const uint64_t key[2], size_t j)
{
  for (;;) {
    uint64_t *s = t->slots + j * t->stride;
    if (!s[0] || (s[0] == key[0] && (t->stride == 2 || s[1] == key[1]))) return s;
    if (++j == t->size) j = 0;
  }
}

/* Room for `more` new keys at load factor 3/4 at most. */
static int gramtab_reserve(gramtab *t, size_t more)
{
  if (t->n + more <= t->size / 4 * 3) return P2C_OK;
  size_t size = t->size;
  while (t->n + more > size / 4 * 3) size *= 2;
  gramtab old = *t;
  int rc = gramtab_alloc(t, size);
  if (rc) {
    *t = old;
    return rc;
  }
  for (size_t i = 0; i < old.size; i++) {
    const uint64_t *s = old.slots + i * old.stride;
    if (!s[0]) continue;
    uint64_t key[2] = {s[0], old.stride == 3 ? s[1] : 0};
    memcpy(gramtab_slot(t, key, home(t, key)), s, t->stride * sizeof *s);
  }
  gramtab_free(&old);
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
  uint32_t *df1;        /* 1-grams: per word id */
  uint32_t *df;         /* longer n-grams: per corpus number (gramtab) */
  /* per item, its distinct longer n-grams' corpus numbers in local id order:
   * found once, in the document-frequency pass, read back while scoring */
  uint32_t *numbers;
  size_t numbers_n, numbers_size, numbers_pos;
  const double *log_df; /* log(max(1, d)) for d = 0 .. N */
  double ref_len;       /* log(N) */
  p2ci_ngrams grams;    /* the item's n-grams */
  const uint32_t **words;
  size_t *len, words_cap, len_cap;
  uint8_t *in_ref; /* per local id: occurs in a reference */
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
  free(c->in_ref);
  free(c->idf);
  free(c->tf);
  free(c->ref_w);
  c->in_ref = malloc(cap * sizeof *c->in_ref);
  c->idf = malloc(cap * sizeof *c->idf);
  c->tf = calloc(cap, sizeof *c->tf);
  c->ref_w = calloc(cap, sizeof *c->ref_w);
  c->local_cap = c->in_ref && c->idf && c->tf && c->ref_w ? cap : 0;
  return c->local_cap ? P2C_OK : P2C_ERR_NOMEM;
}

/* Number the n-grams of the item's hypothesis and references (caption 0: the
 * hypothesis), with room for per-id arrays. */
static int number_whole_item(ctx *c, size_t item)
{
  int rc = number_item(c, p2ci_set_hyp(c->set, item), p2ci_set_num_refs(c->set, item) + 1);
  return rc ? rc : reserve_local(c, c->grams.n_ids);
}

/* Document frequency: in how many items' reference sets each n-gram occurs.
 * Each item's distinct n-grams come from its local numbering; those of order
 * 2 and more get their corpus number here, once, and the item's numbers are
 * kept (in local id order) for scoring. *any: some reference has a word. */
static int document_frequency(ctx *c, gramtab *t, int *any)
{
  const p2ci_caption_set *set = c->set;
  *any = 0;
  for (size_t item = 0; item < set->n_items; item++) {
    int rc = number_whole_item(c, item);
    if (rc) return rc;
    const p2ci_ngrams *g = &c->grams;
    size_t refs_end = g->off[p2ci_set_num_refs(set, item) + 1];
    if (g->n_ids) memset(c->in_ref, 0, g->n_ids); /* in_ref is NULL before the first n-gram */
    for (size_t i = g->off[1]; i < refs_end; i++) c->in_ref[g->ids[i]] = 1;
    if (refs_end > g->off[1]) *any = 1;
    if ((rc = gramtab_reserve(t, g->n_ids))) return rc;
    for (size_t b = 0; b < g->n_ids; b += BATCH) {
      size_t e = b + BATCH < g->n_ids ? b + BATCH : g->n_ids;
      uint64_t key[BATCH][2];
      size_t j[BATCH];
      for (size_t i = b; i < e; i++) {
        if (g->order[i] == 1) continue;
        pack(g->at[i], g->order[i], t->stride, key[i - b]);
        j[i - b] = home(t, key[i - b]);
        __builtin_prefetch(t->slots + j[i - b] * t->stride, 1);
      }
      for (size_t i = b; i < e; i++) {
        if (g->order[i] == 1) {
          c->df1[*g->at[i]] += c->in_ref[i];
          continue;
        }
        uint64_t *s = gramtab_slot(t, key[i - b], j[i - b]);
        if (!s[0]) {
          s[0] = key[i - b][0];
          if (t->stride == 3) s[1] = key[i - b][1];
          s[t->stride - 1] = t->n++;
        }
        /* the count in the high half, next to the key: no second miss */
        s[t->stride - 1] += (uint64_t)c->in_ref[i] << 32;
        uint32_t num = (uint32_t)s[t->stride - 1];
        /* cannot overflow: an item has no more distinct n-grams than occurrences */
        c->numbers[c->numbers_n++] = num;
      }
    }
  }
  /* the counts by number, compact for the scoring pass */
  c->df = p2ci_malloc_array(t->n ? t->n : 1, sizeof *c->df);
  if (!c->df) return P2C_ERR_NOMEM;
  for (size_t i = 0; i < t->size; i++) {
    const uint64_t *s = t->slots + i * t->stride;
    if (s[0]) c->df[(uint32_t)s[t->stride - 1]] = (uint32_t)(s[t->stride - 1] >> 32);
  }
  return P2C_OK;
}

#define PREFETCH 32

/* idf of every n-gram of the numbered item. */
static void item_idf(ctx *c)
{
  const p2ci_ngrams *g = &c->grams;
  for (size_t i = 0; i < g->n_ids; i++) {
    /* the stream of numbers is known ahead: fetch the counts early */
    if (c->numbers_pos + PREFETCH < c->numbers_n)
      __builtin_prefetch(&c->df[c->numbers[c->numbers_pos + PREFETCH]]);
    uint32_t d = g->order[i] == 1 ? c->df1[*g->at[i]] : c->df[c->numbers[c->numbers_pos++]];
    /* np.log(float(len(crefs))) - np.log(max(1.0, df)) */
    c->idf[i] = c->ref_len - c->log_df[d];
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
  int rc = number_whole_item(c, item);
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
  gramtab t = {0};
  size_t n_words = p2ci_vocab_size(set->vocab), longer = 0, item = 0;
  for (size_t i = 0; i < set->first[set->n_items]; i++) {
    size_t n1 = set->words[P2CI_SPLIT_WS][i].len;
    longer += p2ci_ngrams_count(n1, N) - n1;
  }
  t.stride = n_words < 0xffff && !p2ci_cider_wide_keys ? 2 : 3;
  double *log_df = p2ci_malloc_array(set->n_items + 1, sizeof *log_df);
  c.df1 = p2ci_calloc_array(n_words ? n_words : 1, sizeof *c.df1);
  /* at most one number per longer n-gram; pages never written cost nothing */
  c.numbers_size = longer;
  c.numbers = p2ci_big_calloc(longer ? longer : 1, sizeof *c.numbers);
  int rc = p2ci_ngrams_init(&c.grams, n_words), any = 0;
  /* about a third of the longer n-grams of caption sets are distinct (0.38
   * of all n-grams on the coco-caption demo corpus): load 0.6 at that size */
  if (!rc) rc = gramtab_alloc(&t, longer / 3 / 3 * 5 + 1024);
  if (!rc && (!log_df || !c.df1 || !c.numbers)) rc = P2C_ERR_NOMEM;
  if (!rc) rc = document_frequency(&c, &t, &any);
  gramtab_free(&t); /* the numbers are all scoring needs */
  if (rc) goto done;
  if (!any) {
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
  else if (rc == P2C_ERR_LIMIT) p2ci_error(err, rc, "CIDEr: too many distinct n-grams");
  else if (rc && rc != P2C_ERR_EMPTY) p2ci_error(err, rc, "CIDEr: internal error");
  p2ci_ngrams_release(&c.grams);
  p2ci_big_free(c.numbers, longer ? longer : 1, sizeof *c.numbers);
  free(c.df1);
  free(c.df);
  free(log_df);
  free(c.words);
  free(c.len);
  free(c.in_ref);
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
