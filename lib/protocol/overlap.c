#include "protocol/overlap.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

/* An open-addressing table keyed by the id pair; runs of equal pairs (most of
 * a panoptic image) are counted before touching it. */
typedef struct table {
  p2ci_idpair_count *slot;
  unsigned char *used;
  size_t cap, len;
} table;

static size_t hash(uint64_t k, size_t mask)
{
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return (size_t)k & mask;
}

static int table_init(table *t, size_t cap)
{
  t->cap = cap;
  t->len = 0;
  t->slot = p2ci_malloc_array(cap, sizeof *t->slot);
  t->used = p2ci_calloc_array(cap, 1);
  if (!t->slot || !t->used) {
    free(t->slot);
    free(t->used);
    return P2C_ERR_NOMEM;
  }
  return P2C_OK;
}

static int table_add(table *t, uint64_t key, int64_t count);

static int table_grow(table *t)
{
  table bigger;
  if (t->cap > SIZE_MAX / 4 || table_init(&bigger, t->cap * 2) != P2C_OK) return P2C_ERR_NOMEM;
  for (size_t i = 0; i < t->cap; i++)
    if (t->used[i]) table_add(&bigger, t->slot[i].key, t->slot[i].count);
  free(t->slot);
  free(t->used);
  *t = bigger;
  return P2C_OK;
}

static int table_add(table *t, uint64_t key, int64_t count)
{
  size_t mask = t->cap - 1, i = hash(key, mask);
  while (t->used[i]) {
    if (t->slot[i].key == key) {
      t->slot[i].count += count;
      return P2C_OK;
    }
    i = (i + 1) & mask;
  }
  if ((t->len + 1) * 2 > t->cap) {
    int rc = table_grow(t);
    if (rc != P2C_OK) return rc;
    return table_add(t, key, count);
  }
  t->used[i] = 1;
  t->slot[i].key = key;
  t->slot[i].count = count;
  t->len++;
  return P2C_OK;
}

static int by_key(const void *a, const void *b)
{
  uint64_t x = ((const p2ci_idpair_count *)a)->key, y = ((const p2ci_idpair_count *)b)->key;
  return x < y ? -1 : x > y;
}

int p2ci_overlap_count(const uint32_t *gt, const uint32_t *pred, size_t n, p2ci_idpair_count **out,
                       size_t *nout)
{
  *out = NULL;
  *nout = 0;
  table t;
  if (table_init(&t, 256) != P2C_OK) return P2C_ERR_NOMEM;
  size_t i = 0;
  while (i < n) {
    const uint32_t g = gt[i], p = pred[i];
    size_t j = i + 1;
    while (j < n && gt[j] == g && pred[j] == p) j++;
    if (table_add(&t, (uint64_t)g << 32 | p, (int64_t)(j - i)) != P2C_OK) {
      free(t.slot);
      free(t.used);
      return P2C_ERR_NOMEM;
    }
    i = j;
  }
  size_t k = 0;
  for (size_t s = 0; s < t.cap; s++)
    if (t.used[s]) t.slot[k++] = t.slot[s];
  free(t.used);
  qsort(t.slot, k, sizeof *t.slot, by_key);
  *out = t.slot;
  *nout = k;
  return P2C_OK;
}
