#include "synth/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void p2ci_sb_append(p2ci_sb *b, const char *s, size_t n)
{
  if (b->failed || n == 0) return;
  if (n >= (size_t)-1 - b->len || p2ci_grow(&b->data, &b->cap, b->len + n + 1, 1)) {
    b->failed = P2C_ERR_NOMEM;
    return;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void p2ci_sb_puts(p2ci_sb *b, const char *s)
{
  p2ci_sb_append(b, s, strlen(s));
}

void p2ci_sb_printf(p2ci_sb *b, const char *fmt, ...)
{
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = P2C_ERR_INTERNAL;
    return;
  }
  if ((size_t)n < sizeof small) {
    p2ci_sb_append(b, small, (size_t)n);
    return;
  }
  if (b->failed || p2ci_grow(&b->data, &b->cap, b->len + (size_t)n + 1, 1)) {
    b->failed = b->failed ? b->failed : P2C_ERR_NOMEM;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void p2ci_sb_json_string(p2ci_sb *b, const char *s)
{
  p2ci_sb_append(b, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      char esc[2] = {'\\', (char)*p};
      p2ci_sb_append(b, esc, 2);
    } else if (*p < 0x20) {
      p2ci_sb_printf(b, "\\u%04x", *p);
    } else {
      p2ci_sb_append(b, (const char *)p, 1);
    }
  }
  p2ci_sb_append(b, "\"", 1);
}

void p2ci_sb_free(p2ci_sb *b)
{
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
}
