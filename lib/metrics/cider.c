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
#define PENALTIES 256

/* One caption as a tf-idf vector: the weights of its distinct n-grams of
 * each order in first-occurrence order (the order Python's dict iterates
 * counts2vec's input), the norms, and its number of bigrams (a reference
 * keeps only its norms and length: its weights go to a dense array). N-grams
 * are the item's local ids (text/ngram.h), so that every array touched per
 * occurrence stays in cache; the hypothesis is numbered first, so that its
 * n-grams in that order are the ids 0, 1, ...: its i-th weight is id i's. */
typedef struct vec {
  double *w;
  size_t n[N], start[N];
  size_t cap;
  double norm[N];
  size_t length;
} vec;

/* An entry of the document-frequency pass's table of one item's n-grams of
 * one order: the key's low word, its record, and (wide keys) where its second
 * word is. */
typedef struct seen {
  uint64_t key0;
  unsigned char *record;
  uint32_t gen; /* (item, order) of the entry; other values: empty */
  uint32_t at;
} seen;

typedef struct ctx {
  const p2ci_caption_set *set;
  /* The corpus-wide key of an n-gram: its word ids + 1 (0: no word), `bits`
   * bits each (as many as the vocabulary's size takes), the first word's
   * highest; in one word (key0) when N * bits <= 64, else (wide) in two; as
   * text/ngram.h makes them. */
  unsigned bits;
  int wide;
  uint32_t *df1;        /* 1-grams: per word id */
  /* longer n-grams: one record per item and distinct n-gram, in first-seen
   * order (the scorer's numbering's local id order), added in the
   * document-frequency pass and read back while scoring; one counter per
   * order (2, 3, 4), as the shorter keys take fewer bytes */
  p2ci_ngram_df df[N - 1];
  double *log_df;  /* log(max(1, d)) for d = 0 .. N */
  double ref_len;  /* log(N) */
  /* The document-frequency pass finds each item's distinct n-grams by their
   * keys, order by order, without numbering them: */
  uint32_t *word_item; /* per word id: the last item + 1 whose references have it */
  uint64_t *roll[2];   /* per word of the item: the key of the n-gram it starts */
  uint64_t *key1;      /* (wide) the second words of the keys of the item's
                          distinct n-grams of one order */
  size_t words_cap;
  seen *seen;
  size_t seen_mask;
  uint32_t seen_gen;
  /* Scoring, per local id of the item (text/ngram.h): */
  double *idf;    /* log(N) - log(max(1, df)) */
  uint32_t *tf;   /* 0 between uses */
  double *ref_w;  /* the current reference's weight (kept for the hypothesis'
                     n-grams only, those marked in hit) */
  uint64_t *hit;  /* bits by id: the hypothesis' n-grams in the current reference */
  size_t local_cap;
  vec hyp, ref;
  /* the length penalty by the length difference d + PENALTIES / 2, for
   * |d| < PENALTIES / 2 (0: not computed yet; it is > 0) */
  double penalty[PENALTIES];
} ctx;

/* The per-id arrays. */
static void free_local(ctx *c)
{
  free(c->idf);
  free(c->tf);
  free(c->ref_w);
  free(c->hit);
}

static int reserve_local(ctx *c, size_t n)
{
  if (n <= c->local_cap) return P2C_OK;
  size_t cap = n * 2;
  free_local(c);
  c->idf = p2ci_malloc_array(cap, sizeof *c->idf);
  c->tf = p2ci_calloc_array(cap, sizeof *c->tf);
  c->ref_w = p2ci_malloc_array(cap, sizeof *c->ref_w);
  c->hit = p2ci_malloc_array(cap / 64 + 1, sizeof *c->hit);
  c->local_cap = c->idf && c->tf && c->ref_w && c->hit ? cap : 0;
  return c->local_cap ? P2C_OK : P2C_ERR_NOMEM;
}

/* The document-frequency pass's arrays for an item of `words` words (which
 * bound its n-grams of each order). */
static int reserve_words(ctx *c, size_t words)
{
  if (words > c->words_cap) {
    size_t cap = words + words / 2;
    for (int i = 0; i < 2; i++) free(c->roll[i]);
    free(c->key1);
    c->roll[0] = p2ci_malloc_array(cap, sizeof *c->roll[0]);
    c->roll[1] = c->wide ? p2ci_malloc_array(cap, sizeof *c->roll[1]) : NULL;
    c->key1 = c->wide ? p2ci_malloc_array(cap, sizeof *c->key1) : NULL;
    int ok = c->roll[0] && (!c->wide || (c->roll[1] && c->key1));
    c->words_cap = ok ? cap : 0;
    if (!ok) return P2C_ERR_NOMEM;
  }
  /* load factor at most 1/2 */
  size_t want = 64;
  while (want < 2 * words) want *= 2;
  if (want > c->seen_mask + 1 || !c->seen) {
    free(c->seen);
    c->seen = p2ci_calloc_array(want, sizeof *c->seen); /* generation 0: empty */
    c->seen_mask = c->seen ? want - 1 : 0;
    if (!c->seen) return P2C_ERR_NOMEM;
  }
  return P2C_OK;
}

/* A generation of c->seen for the next (item, order). */
static uint32_t next_seen_gen(ctx *c)
{
  if (++c->seen_gen == 0) { /* wrapped: every entry could look current */
    memset(c->seen, 0, (c->seen_mask + 1) * sizeof *c->seen);
    c->seen_gen = 1;
  }
  return c->seen_gen;
}

/* The document-frequency pass over one item, for keys of one word or two
 * (wide: 0/1): its references' words count in df1, and each of its distinct
 * n-grams of order 2 and more gives a record of c->df, counted when it occurs
 * in a reference, in first-seen order (caption by caption, hypothesis first,
 * position by position), which is the order of the scorer's local ids of
 * that order (text/ngram.h). *any: some reference has a word. */
static P2CI_ALWAYS_INLINE int item_df(ctx *c, size_t item, int *any, const int wide)
{
  const p2ci_caption_set *set = c->set;
  const size_t first = set->first[item], n_caps = set->first[item + 1] - first;
  const p2ci_span *span = set->words[P2CI_SPLIT_WS] + first;
  const uint32_t *pool = set->pool;
  size_t words = 0;
  for (size_t j = 0; j < n_caps; j++) words += span[j].len;
  int rc = reserve_words(c, words);
  if (rc) return rc;
  const uint32_t stamp = (uint32_t)item + 1;
  uint32_t *restrict word_item = c->word_item, *restrict df1 = c->df1;
  uint64_t *restrict roll0 = c->roll[0], *restrict roll1 = c->roll[1];
  for (size_t j = 0, pos = 0; j < n_caps; j++) {
    const uint32_t *w = pool + span[j].off;
    for (size_t i = 0; i < span[j].len; i++) {
      roll0[pos + i] = (uint64_t)w[i] + 1;
      if (wide) roll1[pos + i] = 0;
      if (j && word_item[w[i]] != stamp) {
        word_item[w[i]] = stamp;
        df1[w[i]]++;
      }
    }
    if (j && span[j].len) *any = 1;
    pos += span[j].len;
  }
  const unsigned bits = c->bits;
  uint64_t *restrict key1 = c->key1;
  seen *restrict tab = c->seen;
  const size_t mask = c->seen_mask;
  for (size_t k = 2; k <= N; k++) {
    const p2ci_ngram_df_hasher hs = c->df[k - 2].hasher;
    p2ci_ngram_df_cursor cur = p2ci_ngram_df_cursor_start(&c->df[k - 2]);
    const int two = wide && k * bits > 64;
    const uint32_t gen = next_seen_gen(c);
    uint32_t n = 0;
    for (size_t j = 0, pos = 0; j < n_caps; pos += span[j].len, j++) {
      const uint32_t *w = pool + span[j].off;
      const size_t m = span[j].len;
      const uint8_t ref = j > 0;
      for (size_t i = 0; i + k <= m; i++) {
        /* the key of the n-gram at i, from that of its first k - 1 words */
        uint64_t k0 = roll0[pos + i] << bits | ((uint64_t)w[i + k - 1] + 1), k1 = 0;
        if (wide) {
          k1 = roll1[pos + i] << bits | roll0[pos + i] >> (64 - bits);
          roll1[pos + i] = k1;
        }
        roll0[pos + i] = k0;
        const uint64_t h = wide ? p2ci_ngram_df_hash(hs, k0, k1) : p2ci_ngram_df_hash1(hs, k0);
        for (size_t s = (size_t)h & mask;; s = (s + 1) & mask) {
          seen *e = &tab[s];
          if (e->gen != gen) {
            /* the n-gram's record, counted once a reference has it */
            unsigned char *r = p2ci_ngram_df_put(&cur, h, two ? &k1 : NULL, ref);
            if (!r) return P2C_ERR_LIMIT; /* cannot happen: see cider_start */
            e->key0 = k0;
            e->record = r;
            e->gen = gen;
            if (wide) {
              e->at = n;
              key1[n++] = k1;
            }
            break;
          }
          if (e->key0 == k0 && (!wide || key1[e->at] == k1)) {
            if (ref) p2ci_ngram_df_mark(e->record);
            break;
          }
        }
      }
    }
    p2ci_ngram_df_cursor_end(&cur);
  }
  return P2C_OK;
}

/* Document frequency: in how many items' reference sets each n-gram occurs.
 * *any: some reference has a word. */
static int document_frequency(ctx *c, int *any)
{
  *any = 0;
  int rc = P2C_OK;
  for (size_t item = 0; item < c->set->n_items && !rc; item++)
    rc = c->wide ? item_df(c, item, any, 1) : item_df(c, item, any, 0);
  for (size_t o = 0; o < N - 1 && !rc; o++) rc = p2ci_ngram_df_count(&c->df[o]);
  return rc;
}

/* idf of every n-gram of the numbered item g, for keys of one word or two
 * (wide: 0/1): the 1-grams' from their df by word, the longer ones' from
 * c->df. */
static P2CI_ALWAYS_INLINE int item_idf(ctx *c, const p2ci_ngrams *g, const int wide)
{
  const double *restrict log_df = c->log_df;
  double *restrict idf = c->idf;
  const double ref_len = c->ref_len;
  const uint32_t *restrict df1 = c->df1, *restrict ids = g->of_order[0];
  const uint64_t *restrict key0 = g->key[0], *restrict key1 = g->key[1];
  /* np.log(float(len(crefs))) - np.log(max(1.0, df)) */
  for (size_t i = 0; i < g->n_of_order[0]; i++) idf[ids[i]] = ref_len - log_df[df1[key0[ids[i]] - 1]];
  for (size_t o = 0; o < N - 1; o++) {
    const p2ci_ngram_df_hasher hs = c->df[o].hasher;
    p2ci_ngram_df_cursor cur = p2ci_ngram_df_cursor_start(&c->df[o]);
    int rc = P2C_OK;
    ids = g->of_order[o + 1];
    for (size_t i = 0, m = g->n_of_order[o + 1]; i < m && !rc; i++) {
      const uint32_t id = ids[i];
      uint32_t df;
      const uint64_t h = wide ? p2ci_ngram_df_hash(hs, key0[id], key1[id]) : p2ci_ngram_df_hash1(hs, key0[id]);
      rc = p2ci_ngram_df_get(&cur, h, &df);
      idf[id] = ref_len - log_df[rc ? 0 : df];
    }
    p2ci_ngram_df_cursor_end(&cur);
    if (rc) return rc;
  }
  return P2C_OK;
}

/* pycocoevalcap's vector length: the sum of the bigrams' counts. */
static size_t bigrams(size_t n1) { return n1 > 1 ? n1 - 1 : 0; }

/* The hypothesis' vector, from its n-grams g (n1 words). */
static int hyp_vec(ctx *c, const uint32_t *g, size_t n1, vec *v)
{
  size_t total = p2ci_ngrams_count(n1, N);
  if (p2ci_grow(&v->w, &v->cap, total, sizeof *v->w)) return P2C_ERR_NOMEM;
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

/* A reference's norms and length, and the weights of the hypothesis' n-grams
 * (the ids below hyp_ids) that it has, by id in dense, marked in hit. */
static void ref_vec(ctx *c, const uint32_t *g, size_t n1, vec *v, double *dense, uint64_t *hit,
                    size_t hyp_ids)
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
      if (g[i] < hyp_ids) {
        dense[g[i]] = w;
        hit[g[i] / 64] |= (uint64_t)1 << (g[i] % 64);
      }
      norm += w * w;
      tf[g[i]] = 0;
    }
    v->norm[k] = sqrt(norm);
    pos += len;
  }
  v->length = bigrams(n1);
}

/* np.e ** (-(delta ** 2) / (2 * sigma ** 2)) for delta = the hypothesis'
 * length - the reference's: a pow of e, not exp; once per difference. */
static double length_penalty(ctx *c, size_t hyp, size_t ref)
{
  double delta = (double)hyp - (double)ref;
  size_t at = hyp + PENALTIES / 2 - ref; /* wraps around when ref is longer */
  if (at < PENALTIES && c->penalty[at] != 0) return c->penalty[at];
  double penalty = pow(2.718281828459045, -(delta * delta) / 72.0);
  if (at < PENALTIES) c->penalty[at] = penalty;
  return penalty;
}

/* The item's score, from its n-grams it. */
static int item_score(ctx *c, const p2ci_item_ngrams *it, double *out)
{
  size_t n_refs = it->n_captions - 1;
  const p2ci_ngrams *g = &it->g;
  int rc = reserve_local(c, g->n_ids);
  if (!rc) rc = c->wide ? item_idf(c, g, 1) : item_idf(c, g, 0);
  if (!rc) rc = hyp_vec(c, g->ids + g->off[0], it->len[0], &c->hyp);
  if (rc) return rc;
  const vec *h = &c->hyp, *r = &c->ref;
  size_t hyp_ids = h->start[N - 1] + h->n[N - 1], hit_words = (hyp_ids + 63) / 64;
  double score[N] = {0.0, 0.0, 0.0, 0.0};
  for (size_t j = 1; j <= n_refs; j++) {
    if (hit_words) memset(c->hit, 0, hit_words * sizeof *c->hit);
    ref_vec(c, g->ids + g->off[j], it->len[j], &c->ref, c->ref_w, c->hit, hyp_ids);
    double penalty = length_penalty(c, h->length, r->length);
    /* The dot products: the reference sums min(vh, vr) * vr over the
     * hypothesis' n-grams in order; those not in this reference add +0.0,
     * which changes no sum of terms >= 0 (weights are: idf >= 0), so only
     * the marked ones are added, in the order of their ids. */
    double val[N] = {0.0, 0.0, 0.0, 0.0};
    int k = 0;
    for (size_t b = 0; b < hit_words; b++)
      for (uint64_t bits = c->hit[b]; bits; bits &= bits - 1) {
        size_t id = b * 64 + (size_t)__builtin_ctzll(bits);
        while (id >= h->start[k] + h->n[k]) k++;
        double vh = h->w[id], vr = c->ref_w[id];
        val[k] += (vr < vh ? vr : vh) * vr;
      }
    for (k = 0; k < N; k++) {
      if (h->norm[k] != 0 && r->norm[k] != 0) val[k] /= h->norm[k] * r->norm[k];
      val[k] *= penalty;
      score[k] += val[k];
    }
  }
  double avg = p2ci_mean_numpy(score, N);
  avg /= (double)n_refs;
  avg *= 10.0;
  *out = avg;
  return P2C_OK;
}

/* The document-frequency pass's arrays. */
static void free_pass(ctx *c)
{
  free(c->word_item);
  for (int i = 0; i < 2; i++) free(c->roll[i]);
  free(c->key1);
  free(c->seen);
  c->word_item = NULL;
  c->roll[0] = c->roll[1] = c->key1 = NULL;
  c->seen = NULL;
  c->words_cap = 0;
}

/* Frees the run c; with corpus, gives the corpus score first. */
static int cider_finish(void *p, const double *per_item, double *corpus, p2c_error *err)
{
  (void)err;
  ctx *c = p;
  if (corpus) *corpus = p2ci_mean_numpy(per_item, c->set->n_items);
  free_pass(c);
  for (size_t o = 0; o < N - 1; o++) p2ci_ngram_df_release(&c->df[o]);
  free(c->df1);
  free(c->log_df);
  free_local(c);
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
  c->word_item = p2ci_calloc_array(n_words ? n_words : 1, sizeof *c->word_item);
  int rc = P2C_OK, any = 0;
  /* at most one record per occurrence, and one counted per item and n-gram */
  for (size_t o = 0; o < N - 1 && !rc; o++)
    rc = p2ci_ngram_df_init(&c->df[o], (unsigned)(o + 2) * c->bits, occurrences[o], set->n_items);
  if (!rc && (!c->log_df || !c->df1 || !c->word_item)) rc = P2C_ERR_NOMEM;
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
  free_pass(c);
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
