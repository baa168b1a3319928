#include <stdio.h>
#include <string.h>

#include "core/internal.h"

int p2ci_verror(p2c_error *err, int code, const char *fmt, va_list ap)
{
  if (err) {
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
  }
  return code;
}

int p2ci_error(p2c_error *err, int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  p2ci_verror(err, code, fmt, ap);
  va_end(ap);
  return code;
}

void p2ci_error_copy(p2c_error *dst, const p2c_error *src)
{
  if (dst && src && dst != src) *dst = *src;
}

void p2ci_error_clear(p2c_error *err)
{
  if (err) {
    err->code = P2C_OK;
    err->message[0] = '\0';
  }
}
