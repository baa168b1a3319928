/* A pull parser for JSON text held in memory (RFC 8259, strict).
 *
 * The dataset loader reads files that can hold millions of values; building a
 * tree of them (cJSON) costs several allocations per value and 5-8 times the
 * file in memory. This reader walks the text instead: the caller asks for the
 * next value of the type it expects and skips the rest, so a value costs no
 * allocation at all. Errors name the file, line and column. */
#ifndef P2C_IO_JSONPULL_H
#define P2C_IO_JSONPULL_H

#include <stddef.h>

#include "p2ceval.h"

typedef enum p2ci_jtype {
  P2CI_J_NONE = 0, /* end of an object or array, or an error */
  P2CI_J_OBJECT,
  P2CI_J_ARRAY,
  P2CI_J_STRING,
  P2CI_J_NUMBER,
  P2CI_J_TRUE,
  P2CI_J_FALSE,
  P2CI_J_NULL
} p2ci_jtype;

typedef struct p2ci_jreader {
  const char *text, *p, *end;
  const char *name; /* the file, for messages */
  p2c_error *err;
  int failed;       /* sticky: once set, every call returns an error */
  int depth;
  char *buf;        /* decoded string / number scratch */
  size_t buf_cap;
} p2ci_jreader;

void p2ci_jr_init(p2ci_jreader *r, const char *name, const char *text, size_t len, p2c_error *err);
void p2ci_jr_free(p2ci_jreader *r);

/* Type of the next value (without consuming it), or P2CI_J_NONE on an error. */
p2ci_jtype p2ci_jr_peek(p2ci_jreader *r);

/* Consume a value of the given kind. Each returns P2C_OK or an error status
 * (reported in r->err, sticky). */
int p2ci_jr_string(p2ci_jreader *r, const char **s, size_t *len); /* valid until the next call */
int p2ci_jr_number(p2ci_jreader *r, double *v);
int p2ci_jr_literal(p2ci_jreader *r); /* true, false or null */
int p2ci_jr_skip(p2ci_jreader *r);    /* any value, nested ones too */

/* Objects: after p2ci_jr_object_begin, p2ci_jr_object_next returns 1 with
 * the next key (valid until the next call; its value must then be consumed),
 * 0 at the closing brace, or an error status. Arrays likewise, without keys. */
int p2ci_jr_object_begin(p2ci_jreader *r);
int p2ci_jr_object_next(p2ci_jreader *r, const char **key);
int p2ci_jr_array_begin(p2ci_jreader *r);
int p2ci_jr_array_next(p2ci_jreader *r);

/* Check that only white space follows the top-level value. */
int p2ci_jr_finish(p2ci_jreader *r);

/* Report an error at the current position ("file: invalid JSON at line L,
 * column C: what"). */
int p2ci_jr_fail(p2ci_jreader *r, const char *what);

#endif
