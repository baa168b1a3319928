#include <stdlib.h>
#include <string.h>

#include "core/bigalloc.h"
#include "core/internal.h"
#include "text/hash.h"
#include "text/ngram.h"

/* Key and id side by side: a probe costs one cache miss, not two. */
typedef struct slot {
  uint64_t key; /* prefix id << 32 | last word */
  uint32_t id1; /* id + 1; 0 = empty */
  uint32_t pad;
} slot;

struct p2ci_ngrams {
  size_t n_words, n;
  slot *slots;
  size_t mask;
};

p2ci_ngrams *p2ci_ngrams_create(size_t n_words, size_t expected)
{
  if (n_words >= UINT32_MAX / 2) return NULL;
  p2ci_ngrams *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->n_words = g->n = n_words;
  g->mask = 4095;
  /* load factor 1/2 at the expected size: growing costs a copy of the table */
  while (g->mask < expected * 2 && g->mask < ((size_t)1 << 31)) g->mask = g->mask * 2 + 1;
  g->slots = p2ci_big_calloc(g->mask + 1, sizeof *g->slots);
  if (!g->slots) {
    free(g);
    return NULL;
  }
  return g;
}

void p2ci_ngrams_free(p2ci_ngrams *g)
{
  if (!g) return;
  p2ci_big_free(g->slots, g->mask + 1, sizeof *g->slots);
  free(g);
}

static int rehash(p2ci_ngrams *g)
{
  size_t nmask = g->mask * 2 + 1;
  slot *s = p2ci_big_calloc(nmask + 1, sizeof *s);
  if (!s) return P2C_ERR_NOMEM;
  for (size_t i = 0; i <= g->mask; i++) {
    if (!g->slots[i].id1) continue;
    size_t j = (size_t)p2ci_hash_mix(g->slots[i].key) & nmask;
    while (s[j].id1) j = (j + 1) & nmask;
    s[j] = g->slots[i];
  }
  p2ci_big_free(g->slots, g->mask + 1, sizeof *g->slots);
  g->slots = s;
  g->mask = nmask;
  return P2C_OK;
}

size_t p2ci_ngrams_size(const p2ci_ngrams *g) { return g->n; }

size_t p2ci_ngrams_count(size_t len, unsigned max_n)
{
  size_t c = 0;
  for (unsigned k = 1; k <= max_n && k <= len; k++) c += len - k + 1;
  return c;
}

/* Longest run of n-grams looked up together: their slots are prefetched
 * first, so the cache misses overlap. */
#define BATCH 32

int p2ci_ngrams_of(p2ci_ngrams *g, const uint32_t *words, size_t len, unsigned max_n,
                   uint32_t *out)
{
  if (max_n < 1 || max_n > P2CI_NGRAM_MAX) return P2C_ERR_INVALID_ARG;
  for (size_t i = 0; i < len; i++) {
    if (words[i] >= g->n_words) return P2C_ERR_INVALID_ARG;
    out[i] = words[i];
  }
  const uint32_t *below = out; /* the (k-1)-grams, by start position */
  uint32_t *cur = out + len;
  for (unsigned k = 2; k <= max_n && k <= len; k++) {
    size_t m = len - k + 1;
    for (size_t b = 0; b < m; b += BATCH) {
      size_t e = b + BATCH < m ? b + BATCH : m;
      uint64_t key[BATCH], h[BATCH];
      /* grow first, so that no slot moves inside a batch */
      if ((g->n - g->n_words + (e - b)) * 2 > g->mask && rehash(g)) return P2C_ERR_NOMEM;
      for (size_t i = b; i < e; i++) {
        key[i - b] = (uint64_t)below[i] << 32 | words[i + k - 1];
        h[i - b] = p2ci_hash_mix(key[i - b]);
        __builtin_prefetch(&g->slots[h[i - b] & g->mask]);
      }
      for (size_t i = b; i < e; i++) {
        size_t j = (size_t)h[i - b] & g->mask;
        for (;;) {
          slot *s = &g->slots[j];
          if (!s->id1) {
            if (g->n >= UINT32_MAX - 2) return P2C_ERR_LIMIT;
            s->key = key[i - b];
            s->id1 = (uint32_t)++g->n;
            cur[i] = s->id1 - 1;
            break;
          }
          if (s->key == key[i - b]) {
            cur[i] = s->id1 - 1;
            break;
          }
          j = (j + 1) & g->mask;
        }
      }
    }
    below = cur;
    cur += m;
  }
  return P2C_OK;
}
