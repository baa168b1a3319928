/* Panoptic quality internals shared by the matcher, the accumulator and the
 * dataset driver. */
#ifndef P2C_MASKS_PQ_H
#define P2C_MASKS_PQ_H

#include <stddef.h>
#include <stdint.h>

#include "masks/overlap.h"
#include "p2ceval.h"

struct p2c_pq {
  size_t ncat;
  int64_t *cat_ids; /* categories order, each id once */
  int *isthing;
  size_t *by_id; /* indices into cat_ids, sorted by id (for lookups) */
  int64_t *tp, *fp, *fn;
  double *iou;
  double *chunk_iou; /* non-NULL between p2ci_pq_begin_chunk and p2ci_pq_end_chunk */
  size_t nimages;
  p2c_error err;
};

/* One accumulation step of an image, applied in order by p2c_pq_add. */
/* Events carry category ids, looked up when added, so an image computed with
 * one accumulator can be added to another (e.g. a per-image one). Unknown
 * categories are dropped, as panopticapi never reads them. */
typedef struct p2ci_pq_tp {
  int64_t category_id;
  double iou;
} p2ci_pq_tp;

struct p2c_pq_image {
  int64_t image_id;
  p2c_pq_pair *pairs;
  size_t npairs;
  p2ci_pq_tp *tps; /* in pair order: the order the IoU sums run in */
  size_t ntp;
  int64_t *fn_cats, *fp_cats; /* category ids */
  size_t nfn, nfp;
  uint8_t *gt_outcome, *pred_outcome;
  size_t ngt, npred;
};

/* panopticapi with several processes: IoUs added between begin and end go to
 * a chunk sum (from 0.0), which end adds to the totals. */
int p2ci_pq_begin_chunk(p2c_pq *pq);
void p2ci_pq_end_chunk(p2c_pq *pq);

/* p2c_pq_image_compute on the overlap histogram ov of in's maps, already
 * counted by the caller (p2ci_overlap_idmaps or p2ci_overlap_masks; borrowed):
 * the maps themselves are not read again, only whether in gives pred_ids or
 * pred_masks. pq may be NULL: prediction categories are then not checked
 * (the caller has). Thread-safe as p2c_pq_image_compute. */
int p2ci_pq_image_from_overlap(const p2c_pq *pq, const p2c_pq_image_input *in,
                               const p2ci_overlap *ov, p2c_pq_image **out, p2c_error *err);

/* Index of a category id, or -1. */
long p2ci_pq_category(const p2c_pq *pq, int64_t id);

#endif
