/* Python str.lower / str.split on UTF-8; see pystr.h. */
#include "text/pystr.h"

#include "text/pylower_table.h"

int p2ci_utf8_next(const char *str, size_t len, size_t *pos, uint32_t *cp)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t i = *pos;
  unsigned c = s[i];
  if (c < 0x80) {
    *cp = c;
    *pos = i + 1;
    return 1;
  }
  size_t n;
  uint32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1, v = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2, v = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (len - i - 1 < n) return 0;
  for (size_t k = 1; k <= n; k++) {
    unsigned t = s[i + k];
    if ((t & 0xC0) != 0x80) return 0;
    v = (v << 6) | (t & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  *pos = i + n + 1;
  return 1;
}

size_t p2ci_utf8_check(const char *s, size_t len)
{
  size_t i = 0;
  uint32_t cp;
  while (i < len) {
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    size_t at = i;
    if (!p2ci_utf8_next(s, len, &i, &cp)) return at;
  }
  return len;
}

size_t p2ci_utf8_put(uint32_t cp, char *out)
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

static int in_ranges(const uint32_t (*r)[2], size_t n, uint32_t cp)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cp < r[mid][0])
      hi = mid;
    else if (cp > r[mid][1])
      lo = mid + 1;
    else
      return 1;
  }
  return 0;
}

static uint32_t lower_cp(uint32_t cp)
{
  size_t lo = 0, hi = sizeof pylower_map / sizeof pylower_map[0];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cp < pylower_map[mid][0])
      hi = mid;
    else if (cp > pylower_map[mid][0])
      lo = mid + 1;
    else
      return pylower_map[mid][1];
  }
  return cp;
}

#define NCASED (sizeof pylower_cased / sizeof pylower_cased[0])
#define NIGNORABLE (sizeof pylower_ignorable / sizeof pylower_ignorable[0])

/* Decode the code point that ends just before byte end (valid UTF-8). */
static uint32_t prev_cp(const char *s, size_t *end)
{
  size_t i = *end;
  do
    i--;
  while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
  size_t p = i;
  uint32_t cp = 0;
  p2ci_utf8_next(s, *end, &p, &cp);
  *end = i;
  return cp;
}

/* CPython unicodeobject.c handle_capital_sigma: Σ lowercases to ς when a cased
 * letter precedes it and none follows, case-ignorable characters skipped. */
static int final_sigma(const char *s, size_t len, size_t at, size_t after)
{
  size_t j = at;
  uint32_t c = 0;
  int found = 0;
  while (j > 0) {
    c = prev_cp(s, &j);
    if (!in_ranges(pylower_ignorable, NIGNORABLE, c)) {
      found = 1;
      break;
    }
  }
  if (!found || !in_ranges(pylower_cased, NCASED, c)) return 0;
  j = after;
  while (j < len) {
    if (!p2ci_utf8_next(s, len, &j, &c)) return 1;
    if (!in_ranges(pylower_ignorable, NIGNORABLE, c)) return !in_ranges(pylower_cased, NCASED, c);
  }
  return 1;
}

size_t p2ci_pylower(const char *s, size_t len, char *out)
{
  size_t i = 0, o = 0;
  while (i < len) {
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
      out[o++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
      i++;
      continue;
    }
    size_t at = i;
    uint32_t cp;
    if (!p2ci_utf8_next(s, len, &i, &cp)) { /* callers validate first; copy through */
      out[o++] = (char)b;
      i = at + 1;
      continue;
    }
    if (cp == 0x130) {
      out[o++] = 'i';
      o += p2ci_utf8_put(0x307, out + o);
    } else if (cp == 0x3A3) {
      o += p2ci_utf8_put(final_sigma(s, len, at, i) ? 0x3C2 : 0x3C3, out + o);
    } else {
      o += p2ci_utf8_put(lower_cp(cp), out + o);
    }
  }
  return o;
}

int p2ci_pyspace(uint32_t cp)
{
  if (cp > 0x3000) return 0;
  for (size_t k = 0; k < sizeof pysplit_space / sizeof pysplit_space[0]; k++)
    if (pysplit_space[k] == cp) return 1;
  return 0;
}

size_t p2ci_pyspace_len(const char *s, size_t len)
{
  unsigned char b = (unsigned char)s[0];
  if (b < 0x80) return b == ' ' || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F);
  size_t p = 0;
  uint32_t cp;
  return p2ci_utf8_next(s, len, &p, &cp) && p2ci_pyspace(cp) ? p : 0;
}

/* Token bytes advance one at a time: a UTF-8 continuation byte never starts
 * a space, so this cuts valid text where CPython does, and invalid bytes stay
 * inside tokens. */
int p2ci_pysplit_next(const char *s, size_t len, size_t *pos, size_t *start, size_t *tok_len)
{
  size_t i = *pos, w = 0;
  while (i < len && (w = p2ci_pyspace_len(s + i, len - i)) > 0) i += w;
  if (i >= len) {
    *pos = len;
    return 0;
  }
  *start = i;
  while (i < len && (w = p2ci_pyspace_len(s + i, len - i)) == 0) i++;
  *tok_len = i - *start;
  *pos = i < len ? i + w : len;
  return 1;
}

int p2ci_split_whitespace(const char *s, size_t len, p2ci_word_fn fn, void *ctx)
{
  size_t pos = 0, start, n;
  while (p2ci_pysplit_next(s, len, &pos, &start, &n)) {
    int rc = fn(ctx, s + start, n);
    if (rc) return rc;
  }
  return 0;
}

int p2ci_split_space(const char *s, size_t len, p2ci_word_fn fn, void *ctx)
{
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i == len || s[i] == ' ') {
      int rc = fn(ctx, s + start, i - start);
      if (rc) return rc;
      start = i + 1;
    }
  }
  return 0;
}
