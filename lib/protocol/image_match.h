/* One image of the Pix2Cap-COCO protocols: from the segments of both sides and
 * their pixel overlaps to every decision of "which pairs count". Pure
 * functions of their input: safe to run on many images at once. */
#ifndef P2C_PROTOCOL_IMAGE_MATCH_H
#define P2C_PROTOCOL_IMAGE_MATCH_H

#include <stddef.h>
#include <stdint.h>

/* A segment as the protocol sees it. */
typedef struct p2ci_seg {
  int64_t id;
  int64_t category_id;
  int32_t cat;  /* index of category_id in the GT categories, -1 when unknown */
  int iscrowd;
  int64_t area; /* GT: the JSON area (panopticapi); prediction: its PNG pixel count */
} p2ci_seg;

/* Segment index of an overlap side that is not a listed segment. */
#define P2CI_VOID (-1)     /* id 0 */
#define P2CI_UNLISTED (-2) /* an id the JSON does not list (GT only: pred ids are validated) */

/* Pixel count of one (GT id, prediction id) combination. */
typedef struct p2ci_overlap {
  int32_t g, p; /* segment indices, or P2CI_VOID / P2CI_UNLISTED */
  int64_t count;
} p2ci_overlap;

typedef struct p2ci_image_input {
  const p2ci_seg *gt;
  size_t ngt;
  const p2ci_seg *pred;
  size_t npred;
  /* In ascending (GT id, prediction id) order, as np.unique lists them. */
  const p2ci_overlap *ov;
  size_t nov;
} p2ci_image_input;

typedef struct p2ci_pair {
  int32_t g, p;
  double iou;
} p2ci_pair;

typedef struct p2ci_image_match {
  /* PQ matches (same category, GT not crowd, IoU > 0.5) in pair order. With a
   * wrong JSON area a GT can pass with two predictions: tp keeps both (the
   * official scripts count both); one_to_one marks the first of each. */
  p2ci_pair *tp;
  unsigned char *one_to_one;
  size_t ntp;
  /* Every overlapping pair with the same category and a non-crowd GT, in pair
   * order: the official mAP records. */
  p2ci_pair *records;
  size_t nrec;
  unsigned char *gt_matched;   /* [ngt] */
  unsigned char *pred_matched; /* [npred] */
  /* [npred] an unmatched prediction lying mostly (> 1/2) on void or on the
   * last crowd GT segment of its category: neither TP nor FP in PQ. */
  unsigned char *pred_ignored;
  /* [npred] the overlapping non-crowd GT with the highest IoU (same category,
   * unless class-agnostic), first in GT JSON order on ties; -1 when none. */
  int32_t *best_gt;
  double *best_iou;
  int64_t *pred_void; /* [npred] pixels of each prediction on GT void */
} p2ci_image_match;

/* Fill *m (free with p2ci_image_match_free). class_agnostic drops the category
 * condition of best_gt only. Returns P2C_OK or P2C_ERR_NOMEM. */
int p2ci_image_match_run(const p2ci_image_input *in, int class_agnostic, p2ci_image_match *m);
void p2ci_image_match_free(p2ci_image_match *m);

/* IoU as panopticapi: intersection / (pred area + GT area - intersection -
 * pred pixels on GT void), in double as numpy's true division of int64. */
double p2ci_pair_iou(int64_t inter, int64_t pred_area, int64_t gt_area, int64_t pred_void);

#endif
