/* Java String semantics over UTF-8 (see java_string.h). */
#include "text/java_string.h"

#include "text/unicode_lower.h"

size_t p2ci_utf8_invalid_at(const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07, min = 0x10000;
    else return i;
    if (n - i < len) return i;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return n;
}

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

size_t p2ci_utf8_encode(uint32_t cp, char *out)
{
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
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
      o += p2ci_utf8_encode(0x307, out + o);
    } else {
      o += p2ci_utf8_encode(p2ci_unicode_lower(cp), out + o);
    }
    i += len;
  }
  out[o] = '\0';
  return o;
}
