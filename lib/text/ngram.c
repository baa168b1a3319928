#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "text/hash.h"
#include "text/ngram.h"

/* The prefix of a 1-gram. */
#define NO_PREFIX UINT32_MAX

struct p2ci_ngrams {
  uint8_t *order; /* per id */
  size_t n, cap;
  uint64_t *keys; /* open addressing: (prefix << 32 | word), valid where ids != 0 */
  uint32_t *ids;  /* id + 1, 0 = empty */
  size_t mask;
};

p2ci_ngrams *p2ci_ngrams_create(void)
{
  p2ci_ngrams *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->mask = 4095;
  g->keys = malloc((g->mask + 1) * sizeof *g->keys);
  g->ids = calloc(g->mask + 1, sizeof *g->ids);
  if (!g->keys || !g->ids) {
    p2ci_ngrams_free(g);
    return NULL;
  }
  return g;
}

void p2ci_ngrams_free(p2ci_ngrams *g)
{
  if (!g) return;
  free(g->order);
  free(g->keys);
  free(g->ids);
  free(g);
}

static int rehash(p2ci_ngrams *g)
{
  size_t nmask = g->mask * 2 + 1;
  uint64_t *keys = malloc((nmask + 1) * sizeof *keys);
  uint32_t *ids = calloc(nmask + 1, sizeof *ids);
  if (!keys || !ids) {
    free(keys);
    free(ids);
    return P2C_ERR_NOMEM;
  }
  for (size_t i = 0; i <= g->mask; i++) {
    if (!g->ids[i]) continue;
    size_t j = (size_t)p2ci_hash_mix(g->keys[i]) & nmask;
    while (ids[j]) j = (j + 1) & nmask;
    keys[j] = g->keys[i];
    ids[j] = g->ids[i];
  }
  free(g->keys);
  free(g->ids);
  g->keys = keys;
  g->ids = ids;
  g->mask = nmask;
  return P2C_OK;
}

static int intern(p2ci_ngrams *g, uint32_t prefix, uint32_t word, unsigned order, uint32_t *id)
{
  uint64_t key = (uint64_t)prefix << 32 | word;
  size_t j = (size_t)p2ci_hash_mix(key) & g->mask;
  for (;;) {
    uint32_t id1 = g->ids[j];
    if (!id1) break;
    if (g->keys[j] == key) {
      *id = id1 - 1;
      return P2C_OK;
    }
    j = (j + 1) & g->mask;
  }
  if (g->n >= UINT32_MAX - 2) return P2C_ERR_LIMIT;
  if (p2ci_grow(&g->order, &g->cap, g->n + 1, sizeof *g->order)) return P2C_ERR_NOMEM;
  g->order[g->n] = (uint8_t)order;
  g->keys[j] = key;
  g->ids[j] = (uint32_t)(g->n + 1);
  *id = (uint32_t)g->n++;
  /* load factor at most 1/2 */
  if (g->n * 2 > g->mask) return rehash(g);
  return P2C_OK;
}

size_t p2ci_ngrams_size(const p2ci_ngrams *g) { return g->n; }

unsigned p2ci_ngrams_order(const p2ci_ngrams *g, uint32_t id) { return g->order[id]; }

size_t p2ci_ngrams_count(size_t len, unsigned max_n)
{
  size_t c = 0;
  for (unsigned k = 1; k <= max_n && k <= len; k++) c += len - k + 1;
  return c;
}

int p2ci_ngrams_of(p2ci_ngrams *g, const uint32_t *words, size_t len, unsigned max_n,
                   uint32_t *out)
{
  if (max_n < 1 || max_n > P2CI_NGRAM_MAX) return P2C_ERR_INVALID_ARG;
  const uint32_t *below = NULL; /* the (k-1)-grams, by start position */
  for (unsigned k = 1; k <= max_n && k <= len; k++) {
    for (size_t i = 0; i + k <= len; i++) {
      uint32_t prefix = k == 1 ? NO_PREFIX : below[i];
      int rc = intern(g, prefix, words[i + k - 1], k, &out[i]);
      if (rc) return rc;
    }
    below = out;
    out += len - k + 1;
  }
  return P2C_OK;
}
