/* A string -> int map with open addressing (FNV-1a), for METEOR 1.5's
 * dictionaries. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/meteor15.h"

static uint64_t fnv(const char *s, size_t n)
{
  uint64_t h = 1469598103934665603u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
  return h;
}

void p2ci_strmap_free(p2ci_strmap *m)
{
  if (!m) return;
  for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
  free(m->keys);
  free(m->lens);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

static size_t slot(const p2ci_strmap *m, const char *key, size_t len)
{
  size_t mask = m->cap - 1, i = (size_t)fnv(key, len) & mask;
  while (m->keys[i] && !(m->lens[i] == len && memcmp(m->keys[i], key, len) == 0)) i = (i + 1) & mask;
  return i;
}

int p2ci_strmap_get(const p2ci_strmap *m, const char *key, size_t len)
{
  if (m->cap == 0) return -1;
  size_t i = slot(m, key, len);
  return m->keys[i] ? m->vals[i] : -1;
}

static int grow(p2ci_strmap *m)
{
  p2ci_strmap n = {0};
  n.cap = m->cap ? m->cap * 2 : 1024;
  n.keys = p2ci_calloc_array(n.cap, sizeof *n.keys);
  n.lens = p2ci_calloc_array(n.cap, sizeof *n.lens);
  n.vals = p2ci_calloc_array(n.cap, sizeof *n.vals);
  if (!n.keys || !n.lens || !n.vals) {
    free(n.keys);
    free(n.lens);
    free(n.vals);
    return P2C_ERR_NOMEM;
  }
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys[i]) {
      size_t j = slot(&n, m->keys[i], m->lens[i]);
      n.keys[j] = m->keys[i];
      n.lens[j] = m->lens[i];
      n.vals[j] = m->vals[i];
    }
  n.count = m->count;
  free(m->keys);
  free(m->lens);
  free(m->vals);
  *m = n;
  return 0;
}

int p2ci_strmap_put(p2ci_strmap *m, const char *key, size_t len, int val, int *val_out)
{
  if ((m->count + 1) * 2 > m->cap && grow(m)) return P2C_ERR_NOMEM;
  size_t i = slot(m, key, len);
  if (m->keys[i]) {
    if (val_out) *val_out = m->vals[i];
    return 0;
  }
  char *k = p2ci_strndup(key, len);
  if (!k) return P2C_ERR_NOMEM;
  m->keys[i] = k;
  m->lens[i] = len;
  m->vals[i] = val;
  m->count++;
  if (val_out) *val_out = val;
  return 1;
}
