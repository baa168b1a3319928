#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "core/bigalloc.h"

/* Below this, malloc's own pools are cheaper. */
#define BIG ((size_t)1 << 21)

void *p2ci_big_calloc(size_t n, size_t size)
{
  if (size && n > SIZE_MAX / size) return NULL;
  size_t bytes = n * size;
  if (bytes < BIG) return calloc(bytes ? bytes : 1, 1);
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE); /* a hint: failure is harmless */
#endif
  return p;
}

void p2ci_big_free(void *p, size_t n, size_t size)
{
  if (!p) return;
  size_t bytes = n * size;
  if (bytes < BIG) free(p);
  else munmap(p, bytes);
}
