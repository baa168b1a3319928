/* The PTB tokenizer (pycocoevalcap's Stanford PTBTokenizer, in C). */
#include "fuzz.h"
#include "p2ceval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static p2c_tokenizer *t;
  if (!t && p2c_tokenizer_create(&t, NULL) != 0) abort();
  const char *out = NULL;
  size_t out_len = 0;
  if (p2c_tokenize(t, (const char *)data, size, &out, &out_len) != 0) {
    if (!p2c_tokenizer_last_error(t)[0]) abort();
    return 0;
  }
  /* NUL bytes (JSON "\u0000") pass through as any other character. */
  if (!memchr(data, 0, size) && strlen(out) != out_len) abort();
  return 0;
}
