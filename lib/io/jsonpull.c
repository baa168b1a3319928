#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/jsonpull.h"

/* Nesting limit, as cJSON's: deep enough for any data set, shallow enough
 * that the per-level flags stay small. */
#define MAX_DEPTH 1000

/* Per nesting level: is it an object, has its first member been read. */
enum { LEVEL_OBJECT = 1, LEVEL_STARTED = 2 };

void p2ci_jr_init(p2ci_jreader *r, const char *name, const char *text, size_t len, p2c_error *err)
{
  memset(r, 0, sizeof *r);
  r->text = r->p = text;
  r->end = text + len;
  r->name = name;
  r->err = err;
}

void p2ci_jr_free(p2ci_jreader *r)
{
  free(r->buf);
  r->buf = NULL;
}

int p2ci_jr_fail(p2ci_jreader *r, const char *what)
{
  if (r->failed) return r->failed;
  size_t line = 1, col = 1;
  for (const char *q = r->text; q < r->p && q < r->end; q++) {
    if (*q == '\n') {
      line++;
      col = 1;
    } else col++;
  }
  r->failed = P2C_ERR_PARSE;
  return p2ci_error(r->err, P2C_ERR_PARSE, "%s: invalid JSON at line %zu, column %zu: %s", r->name, line,
                    col, what);
}

static int nomem(p2ci_jreader *r)
{
  if (!r->failed) r->failed = p2ci_error(r->err, P2C_ERR_NOMEM, "%s: out of memory", r->name);
  return r->failed;
}

static void skip_ws(p2ci_jreader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t')) r->p++;
}

/* One buffer, allocated on first use, holds the per-level flags (its first
 * MAX_DEPTH + 1 bytes) and then the scratch space for strings and numbers. */
static unsigned char *levels(p2ci_jreader *r)
{
  if (!r->buf) {
    r->buf_cap = 256 + MAX_DEPTH + 1;
    r->buf = malloc(r->buf_cap);
  }
  return r->buf ? (unsigned char *)r->buf : NULL;
}

/* String and number scratch space starts after the level flags. */
static char *scratch(p2ci_jreader *r, size_t need)
{
  size_t off = MAX_DEPTH + 1;
  if (!levels(r)) return NULL;
  if (need > r->buf_cap - off) {
    size_t cap = r->buf_cap;
    if (p2ci_grow(&r->buf, &cap, off + need, 1) != P2C_OK) return NULL;
    r->buf_cap = cap;
  }
  return r->buf + off;
}

p2ci_jtype p2ci_jr_peek(p2ci_jreader *r)
{
  if (r->failed) return P2CI_J_NONE;
  skip_ws(r);
  if (r->p >= r->end) {
    p2ci_jr_fail(r, "unexpected end of file");
    return P2CI_J_NONE;
  }
  switch (*r->p) {
  case '{': return P2CI_J_OBJECT;
  case '[': return P2CI_J_ARRAY;
  case '"': return P2CI_J_STRING;
  case 't': return P2CI_J_TRUE;
  case 'f': return P2CI_J_FALSE;
  case 'n': return P2CI_J_NULL;
  case '-':
  case '0': case '1': case '2': case '3': case '4':
  case '5': case '6': case '7': case '8': case '9': return P2CI_J_NUMBER;
  case 'N':
  case 'I':
    /* Python's json.dump writes these for float('nan') / float('inf'). */
    p2ci_jr_fail(r, "NaN and Infinity are not JSON numbers");
    return P2CI_J_NONE;
  default: p2ci_jr_fail(r, "expected a value"); return P2CI_J_NONE;
  }
}

static int hex4(const char *p, unsigned *out)
{
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return -1;
  }
  *out = v;
  return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | cp >> 6);
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | cp >> 12);
    o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | cp >> 18);
  o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
  o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

int p2ci_jr_string(p2ci_jreader *r, const char **s, size_t *len)
{
  if (p2ci_jr_peek(r) != P2CI_J_STRING) return r->failed ? r->failed : p2ci_jr_fail(r, "expected a string");
  const char *start = ++r->p;
  /* Decoded text is never longer than the source (escapes only shrink). */
  const char *q = start;
  while (q < r->end && *q != '"') q += (*q == '\\' && q + 1 < r->end) ? 2 : 1;
  char *out = scratch(r, (size_t)(q - start) + 1);
  if (!out) return nomem(r);
  size_t n = 0;
  for (;;) {
    if (r->p >= r->end) return p2ci_jr_fail(r, "unterminated string");
    unsigned char c = (unsigned char)*r->p;
    if (c == '"') break;
    if (c < 0x20) return p2ci_jr_fail(r, "control character in a string");
    if (c != '\\') {
      out[n++] = (char)c;
      r->p++;
      continue;
    }
    if (r->p + 1 >= r->end) return p2ci_jr_fail(r, "unterminated string");
    char e = r->p[1];
    r->p += 2;
    switch (e) {
    case '"': out[n++] = '"'; break;
    case '\\': out[n++] = '\\'; break;
    case '/': out[n++] = '/'; break;
    case 'b': out[n++] = '\b'; break;
    case 'f': out[n++] = '\f'; break;
    case 'n': out[n++] = '\n'; break;
    case 'r': out[n++] = '\r'; break;
    case 't': out[n++] = '\t'; break;
    case 'u': {
      unsigned cp, lo;
      if (r->end - r->p < 4 || hex4(r->p, &cp)) return p2ci_jr_fail(r, "bad \\u escape");
      r->p += 4;
      /* A surrogate pair is one character; a lone surrogate is kept as its
       * 3-byte form (Python keeps it in the str too). */
      if (cp >= 0xD800 && cp < 0xDC00 && r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u' &&
          !hex4(r->p + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        r->p += 6;
      }
      n += put_utf8(out + n, cp); /* at most 4 bytes for 6 or 12 source bytes */
      break;
    }
    default: r->p -= 2; return p2ci_jr_fail(r, "bad escape in a string");
    }
  }
  r->p++; /* closing quote */
  out[n] = '\0';
  *s = out;
  if (len) *len = n;
  return P2C_OK;
}

int p2ci_jr_number(p2ci_jreader *r, double *v)
{
  if (p2ci_jr_peek(r) != P2CI_J_NUMBER) return r->failed ? r->failed : p2ci_jr_fail(r, "expected a number");
  const char *q = r->p;
  /* RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  if (q < r->end && *q == '-') q++;
  if (q < r->end && *q == 'I') return p2ci_jr_fail(r, "NaN and Infinity are not JSON numbers");
  if (q >= r->end || *q < '0' || *q > '9') return p2ci_jr_fail(r, "bad number");
  if (*q == '0') q++;
  else
    while (q < r->end && *q >= '0' && *q <= '9') q++;
  if (q < r->end && *q == '.') {
    q++;
    if (q >= r->end || *q < '0' || *q > '9') return p2ci_jr_fail(r, "bad number");
    while (q < r->end && *q >= '0' && *q <= '9') q++;
  }
  if (q < r->end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < r->end && (*q == '+' || *q == '-')) q++;
    if (q >= r->end || *q < '0' || *q > '9') return p2ci_jr_fail(r, "bad number");
    while (q < r->end && *q >= '0' && *q <= '9') q++;
  }
  if (q < r->end && ((*q >= '0' && *q <= '9') || *q == '.'))
    return p2ci_jr_fail(r, "bad number (leading zero)");
  size_t n = (size_t)(q - r->p);
  char *tmp = scratch(r, n + 1);
  if (!tmp) return nomem(r);
  memcpy(tmp, r->p, n);
  tmp[n] = '\0';
  char *endp = NULL;
  *v = strtod(tmp, &endp); /* overflow gives +-HUGE_VAL: callers refuse non-finite values */
  if (endp != tmp + n) return p2ci_jr_fail(r, "number not understood (is LC_NUMERIC 'C'?)");
  r->p = q;
  return P2C_OK;
}

int p2ci_jr_literal(p2ci_jreader *r)
{
  p2ci_jtype t = p2ci_jr_peek(r);
  const char *word = t == P2CI_J_TRUE ? "true" : t == P2CI_J_FALSE ? "false" : t == P2CI_J_NULL ? "null" : NULL;
  if (!word) return r->failed ? r->failed : p2ci_jr_fail(r, "expected true, false or null");
  size_t n = strlen(word);
  if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n)) return p2ci_jr_fail(r, "expected a value");
  r->p += n;
  return P2C_OK;
}

static int open_level(p2ci_jreader *r, char c, unsigned char kind)
{
  skip_ws(r);
  if (r->p >= r->end || *r->p != c)
    return p2ci_jr_fail(r, c == '{' ? "expected an object" : "expected an array");
  unsigned char *lv = levels(r);
  if (!lv) return nomem(r);
  if (r->depth >= MAX_DEPTH) return p2ci_jr_fail(r, "nested too deeply");
  r->p++;
  lv[++r->depth] = kind;
  return P2C_OK;
}

int p2ci_jr_object_begin(p2ci_jreader *r) { return r->failed ? r->failed : open_level(r, '{', LEVEL_OBJECT); }
int p2ci_jr_array_begin(p2ci_jreader *r) { return r->failed ? r->failed : open_level(r, '[', 0); }

/* Before the next member: 1 when there is one, 0 at the closing bracket. */
static int next_member(p2ci_jreader *r, char close)
{
  if (r->failed) return r->failed;
  if (!r->buf || r->depth == 0) return p2ci_jr_fail(r, "no open object or array (a bug)");
  unsigned char *lv = (unsigned char *)r->buf;
  skip_ws(r);
  if (r->p >= r->end) return p2ci_jr_fail(r, "unexpected end of file");
  int started = lv[r->depth] & LEVEL_STARTED;
  if (*r->p == close) {
    r->p++;
    r->depth--;
    return 0;
  }
  if (started) {
    if (*r->p != ',')
      return p2ci_jr_fail(r, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == close) return p2ci_jr_fail(r, "trailing comma");
  }
  lv[r->depth] |= LEVEL_STARTED;
  return 1;
}

int p2ci_jr_object_next(p2ci_jreader *r, const char **key)
{
  int rc = next_member(r, '}');
  if (rc != 1) return rc;
  skip_ws(r);
  if (r->p >= r->end || *r->p != '"') return p2ci_jr_fail(r, "expected a key (a string)");
  if ((rc = p2ci_jr_string(r, key, NULL)) != P2C_OK) return rc;
  skip_ws(r);
  if (r->p >= r->end || *r->p != ':') return p2ci_jr_fail(r, "expected ':'");
  r->p++;
  return 1;
}

int p2ci_jr_array_next(p2ci_jreader *r) { return next_member(r, ']'); }

int p2ci_jr_skip(p2ci_jreader *r)
{
  int base = r->depth;
  do {
    /* At a value: consume it, or open its container. */
    switch (p2ci_jr_peek(r)) {
    case P2CI_J_OBJECT: p2ci_jr_object_begin(r); break;
    case P2CI_J_ARRAY: p2ci_jr_array_begin(r); break;
    case P2CI_J_STRING: {
      const char *s;
      p2ci_jr_string(r, &s, NULL);
      break;
    }
    case P2CI_J_NUMBER: {
      double v;
      p2ci_jr_number(r, &v);
      break;
    }
    case P2CI_J_NONE: return r->failed;
    default: p2ci_jr_literal(r); break;
    }
    /* Close finished containers until one has another member. */
    while (!r->failed && r->depth > base) {
      const char *key;
      int more = (((unsigned char *)r->buf)[r->depth] & LEVEL_OBJECT) ? p2ci_jr_object_next(r, &key)
                                                                      : p2ci_jr_array_next(r);
      if (more == 1) break;
    }
  } while (!r->failed && r->depth > base);
  return r->failed;
}

int p2ci_jr_finish(p2ci_jreader *r)
{
  if (r->failed) return r->failed;
  skip_ws(r);
  if (r->p < r->end) return p2ci_jr_fail(r, "unexpected text after the JSON value");
  return P2C_OK;
}
