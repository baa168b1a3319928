/* The COCO RLE representation, shared by the mask modules. */
#ifndef P2C_MASKS_RLE_H
#define P2C_MASKS_RLE_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

/* Canonical: cnts[i] > 0 for i >= 1, sum == h*w (< 2^32), m >= 1. */
struct p2c_rle {
  uint32_t h, w;
  size_t m;
  uint32_t *cnts;
};

/* Check h, w (non-negative, h*w < 2^32). */
int p2ci_rle_check_size(int h, int w, p2c_error *err);
/* Build a canonical RLE from runs that may contain zero lengths (after the
 * first); the caller has checked that they sum to h*w. */
int p2ci_rle_canonical(uint32_t h, uint32_t w, const uint32_t *cnts, size_t n, p2c_rle **out,
                       p2c_error *err);

#endif
