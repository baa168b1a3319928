/* The prediction panoptic JSON loader (p2c_dataset_load, P2C_DATASET_PRED). */
#include "fuzz_dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_dataset(data, size, P2C_DATASET_PRED);
  return 0;
}
