/* The growable text buffer the tools build their JSON reports in (see cli.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Room for n more bytes and the NUL. */
static int reserve(p2c_cli_buf *b, size_t n)
{
  if (b->oom) return -1;
  if (b->n + n + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->n + n + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->oom = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void p2c_cli_buf_put(p2c_cli_buf *b, const char *s, size_t n)
{
  if (reserve(b, n)) return;
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

void p2c_cli_buf_puts(p2c_cli_buf *b, const char *s) { p2c_cli_buf_put(b, s, strlen(s)); }

void p2c_cli_buf_printf(p2c_cli_buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (k < 0) {
    b->oom = 1;
    return;
  }
  if (reserve(b, (size_t)k)) return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)k;
}

void p2c_cli_buf_json_string(p2c_cli_buf *b, const char *s)
{
  p2c_cli_buf_put(b, "\"", 1);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      char e[2] = {'\\', (char)c};
      p2c_cli_buf_put(b, e, 2);
    } else if (c < 0x20) {
      p2c_cli_buf_printf(b, "\\u%04x", c);
    } else {
      p2c_cli_buf_put(b, s, 1);
    }
  }
  p2c_cli_buf_put(b, "\"", 1);
}

int p2c_cli_buf_write(p2c_cli_buf *b, const char *path)
{
  int code = P2C_EXIT_OK;
  if (b->oom) {
    p2c_cli_errorf("out of memory");
    code = P2C_EXIT_INTERNAL;
  } else if (p2c_cli_write_file(path, b->p ? b->p : "", b->n) != 0) {
    code = P2C_EXIT_INVALID;
  }
  free(b->p);
  *b = (p2c_cli_buf){NULL, 0, 0, 0};
  return code;
}
