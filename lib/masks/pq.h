/* Panoptic quality internals shared by the matcher, the accumulator and the
 * dataset driver. */
#ifndef P2C_MASKS_PQ_H
#define P2C_MASKS_PQ_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

struct p2c_pq {
  size_t ncat;
  int64_t *cat_ids; /* categories order, each id once */
  int *isthing;
  size_t *by_id; /* indices into cat_ids, sorted by id (for lookups) */
  int64_t *tp, *fp, *fn;
  double *iou;
  size_t nimages;
  p2c_error err;
};

/* One accumulation step of an image, applied in order by p2c_pq_add. */
typedef struct p2ci_pq_tp {
  long cat; /* category index, -1 when unknown (panopticapi drops it) */
  double iou;
} p2ci_pq_tp;

struct p2c_pq_image {
  int64_t image_id;
  p2c_pq_pair *pairs;
  size_t npairs;
  p2ci_pq_tp *tps; /* in pair order: the order the IoU sums run in */
  size_t ntp;
  long *fn_cats, *fp_cats;
  size_t nfn, nfp;
  uint8_t *gt_outcome, *pred_outcome;
  size_t ngt, npred;
};

/* Index of a category id, or -1. */
long p2ci_pq_category(const p2c_pq *pq, int64_t id);

#endif
