/* The overlap histogram of two id maps. Panoptic maps are made of long runs of
 * one id, so the pass walks runs where both maps keep their ids and counts each
 * run once in a small hash table; then the few distinct pairs are sorted. */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/internal.h"
#include "masks/overlap.h"
#include "masks/rle.h"

typedef struct pair_table {
  uint64_t *keys; /* (gt << 32) | pred */
  uint64_t *counts;
  uint8_t *used;
  size_t cap, n;
  size_t last; /* slot of the last key: consecutive runs often repeat it */
} pair_table;

static int table_init(pair_table *t, size_t cap)
{
  t->keys = malloc(cap * sizeof *t->keys);
  t->counts = malloc(cap * sizeof *t->counts);
  t->used = calloc(cap, 1);
  t->cap = cap;
  t->n = 0;
  t->last = 0;
  if (!t->keys || !t->counts || !t->used) return P2C_ERR_NOMEM;
  return P2C_OK;
}

static void table_free(pair_table *t)
{
  free(t->keys);
  free(t->counts);
  free(t->used);
}

/* An empty result and a table to count into (freed on failure). */
static int table_start(pair_table *t, p2ci_overlap *out)
{
  out->pairs = NULL;
  out->n = 0;
  if (table_init(t, 256) == P2C_OK) return P2C_OK;
  table_free(t);
  return P2C_ERR_NOMEM;
}

static size_t slot_of(uint64_t key, size_t cap)
{
  key *= 0x9e3779b97f4a7c15ull; /* Fibonacci hashing */
  return (size_t)(key >> 32) & (cap - 1);
}

static int table_add(pair_table *t, uint64_t key, uint64_t count);

static int table_grow(pair_table *t)
{
  pair_table big;
  if (t->cap > SIZE_MAX / 4 || table_init(&big, t->cap * 2)) {
    table_free(&big);
    return P2C_ERR_NOMEM;
  }
  for (size_t i = 0; i < t->cap; i++)
    if (t->used[i]) table_add(&big, t->keys[i], t->counts[i]);
  table_free(t);
  *t = big;
  return P2C_OK;
}

static int table_add(pair_table *t, uint64_t key, uint64_t count)
{
  if (t->used[t->last] && t->keys[t->last] == key) {
    t->counts[t->last] += count;
    return P2C_OK;
  }
  size_t s = slot_of(key, t->cap);
  while (t->used[s]) {
    if (t->keys[s] == key) {
      t->counts[s] += count;
      t->last = s;
      return P2C_OK;
    }
    s = (s + 1) & (t->cap - 1);
  }
  if (2 * (t->n + 1) > t->cap) {
    if (table_grow(t)) return P2C_ERR_NOMEM;
    return table_add(t, key, count);
  }
  t->used[s] = 1;
  t->keys[s] = key;
  t->counts[s] = count;
  t->n++;
  t->last = s;
  return P2C_OK;
}

static int cmp_pair(const void *a, const void *b)
{
  const p2ci_overlap_pair *x = a, *y = b;
  if (x->gt != y->gt) return x->gt < y->gt ? -1 : 1;
  if (x->pred != y->pred) return x->pred < y->pred ? -1 : 1;
  return 0;
}

static int table_finish(pair_table *t, p2ci_overlap *out)
{
  out->pairs = p2ci_malloc_array(t->n ? t->n : 1, sizeof *out->pairs);
  if (!out->pairs) {
    table_free(t);
    return P2C_ERR_NOMEM;
  }
  size_t k = 0;
  for (size_t i = 0; i < t->cap; i++)
    if (t->used[i]) {
      out->pairs[k].gt = (uint32_t)(t->keys[i] >> 32);
      out->pairs[k].pred = (uint32_t)t->keys[i];
      out->pairs[k].count = t->counts[i];
      k++;
    }
  out->n = k;
  table_free(t);
  qsort(out->pairs, out->n, sizeof *out->pairs, cmp_pair);
  return P2C_OK;
}

int p2ci_overlap_idmaps(const uint32_t *gt, const uint32_t *pred, size_t n, p2ci_overlap *out)
{
  pair_table t;
  if (table_start(&t, out)) return P2C_ERR_NOMEM;
  size_t i = 0;
  while (i < n) {
    uint32_t g = gt[i], p = pred[i];
    size_t j = i + 1;
    /* runs are long: compare eight (SSE2), then four pixels of both maps per step */
#if defined(__SSE2__)
    const __m128i G = _mm_set1_epi32((int)g), P = _mm_set1_epi32((int)p);
    while (j + 8 <= n) {
      __m128i a = _mm_and_si128(_mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(const void *)(gt + j)), G),
                                _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(const void *)(pred + j)), P));
      __m128i b = _mm_and_si128(_mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(const void *)(gt + j + 4)), G),
                                _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(const void *)(pred + j + 4)), P));
      if (_mm_movemask_epi8(_mm_and_si128(a, b)) != 0xFFFF) break;
      j += 8;
    }
#endif
    uint64_t gg = (uint64_t)g * 0x100000001ull, pp = (uint64_t)p * 0x100000001ull;
    while (j + 4 <= n) {
      uint64_t a[2], b[2];
      memcpy(a, gt + j, sizeof a);
      memcpy(b, pred + j, sizeof b);
      if (((a[0] ^ gg) | (a[1] ^ gg) | (b[0] ^ pp) | (b[1] ^ pp)) != 0) break;
      j += 4;
    }
    while (j < n && gt[j] == g && pred[j] == p) j++;
    if (table_add(&t, ((uint64_t)g << 32) | p, j - i)) {
      table_free(&t);
      return P2C_ERR_NOMEM;
    }
    i = j;
  }
  return table_finish(&t, out);
}

int p2ci_overlap_masks(const uint32_t *gt, int width, int height, const p2c_rle *const *masks,
                       size_t num_masks, p2ci_overlap *out)
{
  pair_table t;
  if (table_start(&t, out)) return P2C_ERR_NOMEM;
  size_t h = (size_t)height, w = (size_t)width;
  for (size_t k = 0; k < num_masks; k++) {
    const p2c_rle *r = masks[k];
    size_t p = 0;
    for (size_t i = 0; i < r->m; i++) {
      size_t end = p + r->cnts[i];
      if (i & 1) {
        /* column-major run p..end over the row-major gt map */
        for (size_t q = p; q < end;) {
          size_t x = q / h, y = q % h, stop = end - q < h - y ? end - q : h - y;
          for (size_t s = 0; s < stop;) {
            uint32_t g = gt[(y + s) * w + x];
            size_t e = s + 1;
            while (e < stop && gt[(y + e) * w + x] == g) e++;
            if (table_add(&t, ((uint64_t)g << 32) | (uint32_t)k, e - s)) {
              table_free(&t);
              return P2C_ERR_NOMEM;
            }
            s = e;
          }
          q += stop;
        }
      }
      p = end;
    }
  }
  return table_finish(&t, out);
}

void p2ci_overlap_free(p2ci_overlap *ov)
{
  if (!ov) return;
  free(ov->pairs);
  ov->pairs = NULL;
  ov->n = 0;
}
