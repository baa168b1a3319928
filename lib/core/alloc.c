#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

void *p2ci_malloc_array(size_t n, size_t size)
{
  if (size && n > SIZE_MAX / size) return NULL;
  size_t bytes = n * size;
  return malloc(bytes > 0 ? bytes : 1);
}

void *p2ci_calloc_array(size_t n, size_t size)
{
  return calloc(n ? n : 1, size ? size : 1);
}

int p2ci_grow(void *p, size_t *cap, size_t need, size_t elem)
{
  void **pp = (void **)p;
  if (need <= *cap) return P2C_OK;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) return P2C_ERR_NOMEM;
    ncap *= 2;
  }
  if (elem && ncap > SIZE_MAX / elem) return P2C_ERR_NOMEM;
  void *q = realloc(*pp, ncap * elem);
  if (!q) return P2C_ERR_NOMEM;
  *pp = q;
  *cap = ncap;
  return P2C_OK;
}

char *p2ci_strndup(const char *s, size_t n)
{
  char *d = malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *p2ci_strdup(const char *s)
{
  return s ? p2ci_strndup(s, strlen(s)) : NULL;
}
