#include "text/split.h"

size_t p2ci_pyspace_len(const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *)s;
  unsigned char c = u[0];
  if (c < 0x80) return (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) ? 1 : 0;
  if (c == 0xc2 && len >= 2) return (u[1] == 0x85 || u[1] == 0xa0) ? 2 : 0;
  if (len < 3) return 0;
  if (c == 0xe1) return (u[1] == 0x9a && u[2] == 0x80) ? 3 : 0; /* U+1680 */
  if (c == 0xe2 && u[1] == 0x80) /* U+2000..200A, 2028, 2029, 202F */
    return ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf) ? 3 : 0;
  if (c == 0xe2 && u[1] == 0x81) return u[2] == 0x9f ? 3 : 0; /* U+205F */
  if (c == 0xe3) return (u[1] == 0x80 && u[2] == 0x80) ? 3 : 0; /* U+3000 */
  return 0;
}

int p2ci_split_whitespace(const char *s, size_t len, p2ci_word_fn fn, void *ctx)
{
  size_t i = 0;
  while (i < len) {
    size_t w;
    while (i < len && (w = p2ci_pyspace_len(s + i, len - i)) > 0) i += w;
    if (i >= len) break;
    size_t start = i;
    while (i < len && p2ci_pyspace_len(s + i, len - i) == 0) i++;
    int rc = fn(ctx, s + start, i - start);
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
