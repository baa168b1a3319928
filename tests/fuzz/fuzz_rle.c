/* COCO compressed RLE strings: parse, re-encode, decode, and check the round
 * trip. The first 4 bytes give the size (h, w up to 2^16 each); the rest is
 * the counts string. */
#include "fuzz.h"
#include "p2ceval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 4) return 0;
  int h = data[0] | data[1] << 8, w = data[2] | data[3] << 8;
  const char *s = (const char *)data + 4;
  size_t len = size - 4;
  p2c_rle *rle = NULL;
  p2c_error err;
  if (p2c_rle_from_string(h, w, s, len, &rle, &err) != 0) {
    if (rle || !err.message[0]) abort();
    return 0;
  }
  if (p2c_rle_height(rle) != h || p2c_rle_width(rle) != w) abort();
  size_t need = p2c_rle_to_string(rle, NULL, 0);
  char *str = malloc(need + 1);
  if (!str) abort();
  if (p2c_rle_to_string(rle, str, need + 1) != need) abort();
  p2c_rle *again = NULL;
  if (p2c_rle_from_string(h, w, str, need, &again, &err) != 0) abort();
  size_t n = p2c_rle_num_counts(rle);
  if (p2c_rle_num_counts(again) != n ||
      (n && memcmp(p2c_rle_counts(rle), p2c_rle_counts(again), n * sizeof(uint32_t))))
    abort();
  uint64_t area = p2c_rle_area(rle);
  double bbox[4];
  p2c_rle_bbox(rle, bbox);
  if ((size_t)h * (size_t)w <= (size_t)1 << 20) {
    uint8_t *mask = malloc((size_t)h * w + 1);
    if (!mask) abort();
    if (p2c_rle_decode(rle, mask, P2C_MASK_ROW_MAJOR) != 0) abort();
    uint64_t ones = 0;
    for (size_t i = 0; i < (size_t)h * w; i++) ones += mask[i];
    if (ones != area) abort();
    free(mask);
  }
  free(str);
  p2c_rle_free(again);
  p2c_rle_free(rle);
  return 0;
}
