/* Id PNG decoding (the in-memory core of p2c_idmap_read_png). */
#include "fuzz.h"
#include "io/dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  p2c_idmap *map = NULL;
  p2c_error err;
  if (p2ci_idmap_decode("fuzz.png", data, size, &map, &err) != 0) {
    if (map || !err.message[0]) abort();
    return 0;
  }
  int64_t n = (int64_t)p2c_idmap_width(map) * p2c_idmap_height(map);
  if (n <= 0 || n > P2C_IDMAP_MAX_PIXELS) abort();
  const uint32_t *ids = p2c_idmap_data(map);
  uint32_t all = 0;
  for (int64_t i = 0; i < n; i++) all |= ids[i]; /* every pixel readable */
  if (all >> 24) abort();                          /* ids are 24-bit */
  p2c_idmap_free(map);
  return 0;
}
