/* METEOR 1.5's normalizer, on the valid UTF-8 its callers give it. */
#include "fuzz.h"
#include "text/meteor_normalizer.h"
#include "text/pystr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static p2ci_meteor_normalizer *n;
  static p2ci_meteor_scratch *s;
  if (!n && (p2ci_meteor_normalizer_new(&n, NULL) != 0 || !(s = p2ci_meteor_scratch_new())))
    abort();
  const char *text = (const char *)data;
  /* Callers pass NUL-terminated strings they checked with p2ci_utf8_check. */
  if (memchr(text, 0, size) || p2ci_utf8_check(text, size) != size) return 0;
  const char *out = NULL;
  size_t out_len = 0;
  if (p2ci_meteor_normalize(n, s, text, size, &out, &out_len) != 0) abort();
  if (strlen(out) != out_len) abort();
  if (out_len && (out[0] == ' ' || out[out_len - 1] == ' ' || strstr(out, "  "))) abort();
  return 0;
}
