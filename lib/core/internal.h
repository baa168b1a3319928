/* Private helpers shared by every part of the library (never installed).
 * Library-internal functions are prefixed p2ci_ so a reader can tell them from
 * the public p2c_ API at a glance; -fvisibility=hidden keeps them unexported. */
#ifndef P2C_CORE_INTERNAL_H
#define P2C_CORE_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

#if defined(__GNUC__)
#define P2CI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define P2CI_PRINTF(f, a)
#endif

/* For a hot loop written once and compiled once per value of its constant
 * arguments (called with constants; -O2 does not unswitch loops). */
#if defined(__GNUC__)
#define P2CI_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define P2CI_ALWAYS_INLINE inline
#endif

/* Fill *err (if not NULL) and return code, so callers can write
 * `return p2ci_error(err, P2C_ERR_IO, "%s: cannot open", path);`. */
int p2ci_error(p2c_error *err, int code, const char *fmt, ...) P2CI_PRINTF(3, 4);
int p2ci_verror(p2c_error *err, int code, const char *fmt, va_list ap) P2CI_PRINTF(3, 0);
/* Copy an error report (for handles that keep their last error). */
void p2ci_error_copy(p2c_error *dst, const p2c_error *src);
void p2ci_error_clear(p2c_error *err);

/* Overflow-checked allocation: NULL on overflow or when out of memory. */
void *p2ci_malloc_array(size_t n, size_t size);
void *p2ci_calloc_array(size_t n, size_t size);
/* Grow *p (an array of elem-sized items with capacity *cap) to hold at least
 * need items. Returns 0, or P2C_ERR_NOMEM leaving *p untouched. */
int p2ci_grow(void *p, size_t *cap, size_t need, size_t elem);
char *p2ci_strdup(const char *s);
char *p2ci_strndup(const char *s, size_t n);

#endif
