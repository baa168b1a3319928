/* Shared by fuzz_dataset_gt.c and fuzz_dataset_pred.c: load the input as a
 * panoptic JSON of one kind, then walk everything the public API shows. */
#ifndef P2C_TESTS_FUZZ_DATASET_H
#define P2C_TESTS_FUZZ_DATASET_H
#include "fuzz.h"
#include "p2ceval.h"

static inline void fuzz_dataset(const uint8_t *data, size_t size, int kind)
{
  const char *path = fuzz_write("in.json", data, size);
  p2c_load_options opts = P2C_LOAD_OPTIONS_INIT;
  opts.kind = kind;
  p2c_dataset *ds = NULL;
  p2c_error err;
  if (p2c_dataset_load(path, &opts, &ds, &err) != 0) {
    if (ds || !err.message[0]) abort(); /* a failure must say why and give nothing */
    return;
  }
  size_t total = 0;
  for (size_t c = 0; c < p2c_dataset_num_categories(ds); c++) {
    p2c_category_info ci;
    size_t back;
    if (p2c_dataset_category(ds, c, &ci) != 0 || !ci.name) abort();
    if (p2c_dataset_find_category(ds, ci.id, &back) != 0) abort();
  }
  for (size_t i = 0; i < p2c_dataset_num_images(ds); i++) {
    p2c_image_info ii;
    size_t back;
    if (p2c_dataset_image(ds, i, &ii) != 0 || p2c_dataset_find_image(ds, ii.id, &back) != 0 ||
        back != i)
      abort();
    for (size_t s = 0; s < ii.num_segments; s++) {
      p2c_segment_info si;
      size_t found;
      if (p2c_dataset_segment(ds, i, s, &si) != 0) abort();
      if (si.caption_kind == P2C_CAPTION_STRING && strlen(si.caption) > size) abort();
      if (p2c_dataset_find_segment(ds, i, si.id, &found) != 0) abort();
    }
    total += ii.num_segments;
  }
  if (total != p2c_dataset_num_segments(ds)) abort();
  p2c_dataset_free(ds);
}
#endif
