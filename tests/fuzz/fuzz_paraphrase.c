/* METEOR 1.5's paraphrase table loader (plain or gzipped), then lookups and
 * a paraphrase match over a fixed sentence pair. */
#include "fuzz.h"
#include "metrics/meteor15.h"

static const char *const words[] = {"a", "the", "man", "dog", "of", "", "is running"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = fuzz_write("paraphrase.txt", data, size);
  p2ci_m15_paraphrase *p = NULL;
  p2c_error err;
  if (p2ci_m15_paraphrase_load(path, &p, &err) != 0) {
    if (p || !err.message[0]) abort();
    return 0;
  }
  for (size_t w = 0; w < sizeof words / sizeof *words; w++)
    p2ci_m15_paraphrase_word(p, words[w], strlen(words[w]));
  p2ci_m15_paraphrase_entries(p);
  p2ci_m15_paraphrase_free(p);
  return 0;
}
