/* A growable NUL-terminated text buffer. A failed append sets .failed and
 * makes later appends no-ops, so callers check once at the end. */
#ifndef P2C_SYNTH_STRBUF_H
#define P2C_SYNTH_STRBUF_H

#include <stddef.h>

#include "core/internal.h"

typedef struct p2ci_sb {
  char *data; /* NULL until the first append */
  size_t len, cap;
  int failed; /* P2C_ERR_NOMEM after a failed allocation */
} p2ci_sb;

void p2ci_sb_append(p2ci_sb *b, const char *s, size_t n);
void p2ci_sb_puts(p2ci_sb *b, const char *s);
void p2ci_sb_printf(p2ci_sb *b, const char *fmt, ...) P2CI_PRINTF(2, 3);
/* A JSON string literal, quotes included. */
void p2ci_sb_json_string(p2ci_sb *b, const char *s);
void p2ci_sb_free(p2ci_sb *b);

#endif
