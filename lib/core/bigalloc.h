/* Large zeroed arrays (hash tables, per-id counters) straight from the
 * kernel, asking for transparent huge pages: on virtual machines a page fault
 * costs microseconds, and a 100 MB table has 25 000 small pages. */
#ifndef P2C_CORE_BIGALLOC_H
#define P2C_CORE_BIGALLOC_H

#include <stddef.h>

/* n * size zeroed bytes, or NULL (overflow, out of memory). Free with
 * p2ci_big_free(p, n, size) with the same n and size. */
void *p2ci_big_calloc(size_t n, size_t size);
void p2ci_big_free(void *p, size_t n, size_t size);

#endif
