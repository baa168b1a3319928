/* Java String semantics over UTF-8 (see java_string.h). */
#include "text/java_string.h"

#include "text/pystr.h"
#include "text/unicode_lower.h"

size_t p2ci_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
  unsigned c = s[0];
  if (c < 0x80 || n < 2) {
    *cp = c;
    return 1;
  }
  if (c < 0xE0) {
    *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
    return 2;
  }
  if (c < 0xF0 || n < 4) {
    *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    return 3;
  }
  *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
        ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
  return 4;
}

int32_t p2ci_java_hash(const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *)s;
  uint32_t h = 0;
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    if (p[i] < 0x80) {
      h = 31u * h + p[i++];
      continue;
    }
    i += p2ci_utf8_decode(p + i, n - i, &cp);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      h = 31u * h + (0xD800 + (cp >> 10));
      h = 31u * h + (0xDC00 + (cp & 0x3FF));
    } else {
      h = 31u * h + cp;
    }
  }
  return (int32_t)h;
}

size_t p2ci_java_lower(const char *s, size_t n, char *out)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, o = 0;
  while (i < n) {
    unsigned c = p[i];
    if (c < 0x80) {
      out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      i++;
      continue;
    }
    uint32_t cp;
    size_t len = p2ci_utf8_decode(p + i, n - i, &cp);
    if (cp == 0x130) { /* the one multi-character lowercase outside Turkish locales */
      out[o++] = 'i';
      o += p2ci_utf8_put(0x307, out + o);
    } else {
      o += p2ci_utf8_put(p2ci_unicode_lower(cp), out + o);
    }
    i += len;
  }
  out[o] = '\0';
  return o;
}
