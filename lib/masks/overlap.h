/* Per-image overlap histogram: how many pixels each (gt id, pred key) pair
 * shares, sorted ascending by (gt, pred) as panopticapi's np.unique visits them. */
#ifndef P2C_MASKS_OVERLAP_H
#define P2C_MASKS_OVERLAP_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

typedef struct p2ci_overlap_pair {
  uint32_t gt, pred; /* pred: an id (id maps) or a prediction index (instance masks) */
  uint64_t count;
} p2ci_overlap_pair;

typedef struct p2ci_overlap {
  p2ci_overlap_pair *pairs;
  size_t n;
} p2ci_overlap;

/* Two row-major id maps of n pixels, in one pass. */
int p2ci_overlap_idmaps(const uint32_t *gt, const uint32_t *pred, size_t n, p2ci_overlap *out);
/* Instance masks: pred key = mask index; masks are height x width (checked by
 * the caller) over the row-major gt map of that size. */
int p2ci_overlap_masks(const uint32_t *gt, int width, int height, const p2c_rle *const *masks,
                       size_t num_masks, p2ci_overlap *out);
void p2ci_overlap_free(p2ci_overlap *ov);

#endif
