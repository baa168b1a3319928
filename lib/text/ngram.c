#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "text/ngram.h"

/* Key and id side by side: one probe, one cache line. gen tells the slots
 * (and words) of this call from stale ones, so that nothing is cleared
 * between calls. */
struct p2ci_ngram_slot {
  uint64_t key; /* prefix id << 32 | last word's id */
  uint32_t id, gen;
};

int p2ci_ngrams_init(p2ci_ngrams *g, size_t n_words, unsigned key_bits)
{
  memset(g, 0, sizeof *g);
  if (key_bits > 32 || (key_bits && (n_words >> key_bits))) return P2C_ERR_INVALID_ARG;
  g->n_words = n_words;
  g->key_bits = key_bits;
  g->wide = P2CI_NGRAM_MAX * key_bits > 64;
  g->word_id = calloc(n_words ? n_words : 1, sizeof *g->word_id);
  return g->word_id ? P2C_OK : P2C_ERR_NOMEM;
}

void p2ci_ngrams_release(p2ci_ngrams *g)
{
  if (!g) return;
  free(g->word_id);
  free(g->ids_buf);
  free(g->order_buf);
  free(g->key_buf[0]);
  free(g->key_buf[1]);
  free(g->off_buf);
  free(g->slots);
  memset(g, 0, sizeof *g);
}

size_t p2ci_ngrams_count(size_t len, unsigned max_n)
{
  size_t c = 0;
  for (unsigned k = 1; k <= max_n && k <= len; k++) c += len - k + 1;
  return c;
}

/* Room for total n-gram occurrences (hence at most that many distinct ones). */
static int reserve(p2ci_ngrams *g, size_t total, size_t n_captions)
{
  if (p2ci_grow(&g->off_buf, &g->off_cap, n_captions + 1, sizeof *g->off_buf)) return P2C_ERR_NOMEM;
  if (total > g->cap) {
    size_t cap = total + total / 2;
    uint32_t *ids = realloc(g->ids_buf, cap * sizeof *ids);
    if (ids) g->ids_buf = ids;
    uint32_t *order = realloc(g->order_buf, cap * sizeof *order);
    if (order) g->order_buf = order;
    for (unsigned i = 0; i < (g->key_bits ? 1 + g->wide : 0u); i++) {
      uint64_t *key = realloc(g->key_buf[i], cap * sizeof *key);
      if (!key) return P2C_ERR_NOMEM;
      g->key_buf[i] = key;
    }
    if (!ids || !order) return P2C_ERR_NOMEM;
    g->cap = cap;
  }
  /* load factor at most 1/2 */
  size_t want = 64;
  while (want < 2 * total) want *= 2;
  if (want > g->slots_cap) {
    free(g->slots);
    g->slots = calloc(want, sizeof *g->slots);
    if (!g->slots) {
      g->slots_cap = 0;
      return P2C_ERR_NOMEM;
    }
    g->slots_cap = want; /* generation 0: empty */
  }
  g->mask = want - 1;
  if (++g->gen == 0) { /* wrapped: every slot and word could look current */
    memset(g->slots, 0, g->slots_cap * sizeof *g->slots);
    memset(g->word_id, 0, (g->n_words ? g->n_words : 1) * sizeof *g->word_id);
    g->gen = 1;
  }
  return P2C_OK;
}

/* The numbering, for keys (0/1) of two words or one (wide 1/0); g reserved. */
static P2CI_ALWAYS_INLINE int number(p2ci_ngrams *g, const uint32_t *const *words, const size_t *len,
                                     size_t n_captions, unsigned max_n, const int keys,
                                     const int wide)
{
  /* the ids of order k from start[k] on in order_buf: room for every
   * occurrence of the orders below */
  uint32_t *start[P2CI_NGRAM_MAX], *of_order[P2CI_NGRAM_MAX];
  size_t at = 0;
  for (unsigned k = 1; k <= max_n; k++) {
    start[k - 1] = of_order[k - 1] = g->order_buf + at;
    for (size_t c = 0; c < n_captions; c++) at += len[c] >= k ? len[c] - k + 1 : 0;
  }
  int rc = P2C_OK;
  uint32_t *restrict ids = g->ids_buf, n = 0;
  uint64_t *restrict key0 = g->key_buf[0], *restrict key1 = g->key_buf[1];
  uint64_t *restrict word_id = g->word_id;
  const size_t n_words = g->n_words;
  const unsigned bits = g->key_bits;
  size_t first_ids = 0;
  const uint32_t gen = g->gen;
  const size_t mask = g->mask;
  p2ci_ngram_slot *slots = g->slots;
  size_t pos = 0;
  for (size_t c = 0; c < n_captions; c++) {
    const uint32_t *w = words[c];
    size_t m = len[c];
    g->off_buf[c] = pos;
    uint32_t *out = ids + pos;
    for (size_t i = 0; i < m; i++) {
      if (w[i] >= n_words) {
        rc = P2C_ERR_INVALID_ARG;
        goto done;
      }
      uint64_t *wi = &word_id[w[i]];
      if ((uint32_t)(*wi >> 32) != gen) {
        if (keys) {
          key0[n] = (uint64_t)w[i] + 1;
          if (wide) key1[n] = 0;
        }
        *of_order[0]++ = n;
        *wi = (uint64_t)gen << 32 | n++;
      }
      out[i] = (uint32_t)*wi;
    }
    const uint32_t *below = out, *last = out; /* last: the words' ids */
    out += m;
    for (unsigned k = 2; k <= max_n && k <= m; k++) {
      size_t cnt = m - k + 1;
      uint32_t *restrict new_id = of_order[k - 1];
      for (size_t i = 0; i < cnt; i++) {
        uint64_t key = (uint64_t)below[i] << 32 | last[i + k - 1];
        size_t j = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
        for (;;) {
          p2ci_ngram_slot *s = &slots[j];
          if (s->gen != gen) {
            s->key = key;
            s->gen = gen;
            s->id = n;
            if (keys) {
              uint64_t prefix = key0[below[i]];
              if (wide) key1[n] = key1[below[i]] << bits | prefix >> (64 - bits);
              key0[n] = prefix << bits | key0[last[i + k - 1]];
            }
            *new_id++ = n;
            out[i] = n++;
            break;
          }
          if (s->key == key) {
            out[i] = s->id;
            break;
          }
          j = (j + 1) & mask;
        }
      }
      of_order[k - 1] = new_id;
      below = out;
      out += cnt;
    }
    pos = (size_t)(out - ids);
    if (c == 0) first_ids = n;
  }
  g->off_buf[n_captions] = pos;
done:
  if (rc) return rc;
  g->ids = ids;
  g->off = g->off_buf;
  g->n_ids = n;
  g->first_ids = first_ids;
  for (unsigned k = 0; k < P2CI_NGRAM_MAX; k++) {
    g->of_order[k] = k < max_n ? start[k] : NULL;
    g->n_of_order[k] = k < max_n ? (size_t)(of_order[k] - start[k]) : 0;
  }
  g->key[0] = key0;
  g->key[1] = wide ? key1 : NULL;
  return P2C_OK;
}

int p2ci_ngrams_number(p2ci_ngrams *g, const uint32_t *const *words, const size_t *len,
                       size_t n_captions, unsigned max_n)
{
  if (max_n < 1 || max_n > P2CI_NGRAM_MAX) return P2C_ERR_INVALID_ARG;
  size_t total = 0;
  for (size_t c = 0; c < n_captions; c++) total += p2ci_ngrams_count(len[c], max_n);
  if (total >= UINT32_MAX) return P2C_ERR_LIMIT;
  int rc = reserve(g, total, n_captions);
  if (rc) return rc;
  if (!g->key_bits) return number(g, words, len, n_captions, max_n, 0, 0);
  if (!g->wide) return number(g, words, len, n_captions, max_n, 1, 0);
  return number(g, words, len, n_captions, max_n, 1, 1);
}
