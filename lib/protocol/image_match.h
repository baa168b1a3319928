/* One image of the Pix2Cap-COCO protocols: from the masks layer's matching of
 * one image (pairs, IoUs, void and crowd rules) to every decision of "which
 * pairs count". Pure functions of their input: safe to run on many images at
 * once. */
#ifndef P2C_PROTOCOL_IMAGE_MATCH_H
#define P2C_PROTOCOL_IMAGE_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "masks/overlap.h"
#include "p2ceval.h"

/* A segment as the protocol sees it. */
typedef struct p2ci_seg {
  int64_t id;
  int64_t category_id;
  int32_t cat;  /* index of category_id in the GT categories, -1 when unknown */
  int iscrowd;
  int64_t area; /* GT: the JSON area (panopticapi); prediction: its PNG pixel count */
} p2ci_seg;

typedef struct p2ci_image_input {
  int64_t image_id;
  const p2ci_seg *gt;
  size_t ngt;
  const p2ci_seg *pred;
  size_t npred;
  /* The id maps' overlap histogram (masks/overlap.h), predictions keyed by
   * id; every prediction id in it is listed once in pred (checked before). */
  const p2ci_overlap *ov;
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
} p2ci_image_match;

/* Fill *m (free with p2ci_image_match_free) from the masks layer's matching
 * of the image (p2ci_pq_image_from_overlap). class_agnostic drops the
 * category condition of best_gt only. Returns P2C_OK, or an error in *err. */
int p2ci_image_match_run(const p2ci_image_input *in, int class_agnostic, p2ci_image_match *m,
                         p2c_error *err);
void p2ci_image_match_free(p2ci_image_match *m);

#endif
