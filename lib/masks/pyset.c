/* CPython's set (Objects/setobject.c, 3.7-3.12): open addressing over a
 * power-of-two table starting at 8 slots; a key probes slot hash & mask and
 * the next LINEAR_PROBES (9) slots when they fit, then jumps to
 * i*5 + 1 + (perturb >>= 5); the table grows to the smallest power of two
 * above 4*used when fill*5 >= mask*3, re-inserting in slot order; removal
 * leaves a dummy. Iteration walks the slots. Only int keys are needed, whose
 * hash is the value modulo 2^61 - 1 (Python's numeric hash). */
#include <stdlib.h>
#include <string.h>

#include "masks/pyset.h"

#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

typedef struct pyset {
  int64_t *keys;
  uint64_t *hashes;
  unsigned char *state; /* 0 empty, 1 active, 2 dummy */
  size_t mask, fill, used;
} pyset;

static uint64_t py_hash(int64_t v)
{
  const uint64_t modulus = ((uint64_t)1 << 61) - 1;
  uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  int64_t h = (int64_t)(a % modulus);
  if (v < 0) h = -h;
  if (h == -1) h = -2;
  return (uint64_t)h;
}

static int table_new(pyset *s, size_t size)
{
  s->keys = calloc(size, sizeof *s->keys);
  s->hashes = calloc(size, sizeof *s->hashes);
  s->state = calloc(size, 1);
  s->mask = size - 1;
  s->fill = s->used = 0;
  return s->keys && s->hashes && s->state ? 0 : -1;
}

static void table_free(pyset *s)
{
  free(s->keys);
  free(s->hashes);
  free(s->state);
}

/* The first free slot of key's probe sequence (or its own slot, *found). */
static size_t probe(const pyset *s, int64_t key, uint64_t hash, int *found)
{
  size_t mask = s->mask, i = (size_t)(hash & mask);
  uint64_t perturb = hash;
  *found = 0;
  for (;;) {
    size_t probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (size_t j = 0; j <= probes; j++) {
      size_t e = i + j;
      if (s->state[e] == 0) return e;
      if (s->state[e] == 1 && s->keys[e] == key) {
        *found = 1;
        return e;
      }
    }
    perturb >>= PERTURB_SHIFT;
    i = (size_t)((i * 5 + 1 + perturb) & mask);
  }
}

static int resize(pyset *s, size_t minused)
{
  size_t size = 8;
  while (size <= minused) size <<= 1;
  pyset t;
  if (table_new(&t, size)) {
    table_free(&t);
    return -1;
  }
  for (size_t e = 0; e <= s->mask; e++) {
    if (s->state[e] != 1) continue;
    int found;
    size_t k = probe(&t, s->keys[e], s->hashes[e], &found);
    t.keys[k] = s->keys[e];
    t.hashes[k] = s->hashes[e];
    t.state[k] = 1;
    t.fill++;
    t.used++;
  }
  table_free(s);
  *s = t;
  return 0;
}

static int add(pyset *s, int64_t key)
{
  uint64_t h = py_hash(key);
  int found;
  size_t e = probe(s, key, h, &found);
  if (found) return 0;
  s->keys[e] = key;
  s->hashes[e] = h;
  s->state[e] = 1;
  s->fill++;
  s->used++;
  if (s->fill * 5 < s->mask * 3) return 0;
  return resize(s, s->used > 50000 ? s->used * 2 : s->used * 4);
}

static int cmp_i64(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

int p2ci_pyset_order(const int64_t *all, size_t nall, int64_t *ids, size_t n)
{
  qsort(ids, n, sizeof *ids, cmp_i64); /* for membership tests, and the fallback order */
  pyset s;
  if (table_new(&s, 8)) {
    table_free(&s);
    return -1;
  }
  for (size_t i = 0; i < nall; i++)
    if (add(&s, all[i])) {
      table_free(&s);
      return -1;
    }
  size_t k = 0;
  for (size_t e = 0; e <= s.mask && k < n; e++) {
    if (s.state[e] != 1) continue;
    if (bsearch(&s.keys[e], ids, n, sizeof *ids, cmp_i64)) s.keys[k++] = s.keys[e];
  }
  if (k == n) memcpy(ids, s.keys, n * sizeof *ids);
  table_free(&s);
  return 0;
}
