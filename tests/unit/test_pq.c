/* Panoptic quality against panopticapi's own outputs (../shared/parity/panoptic),
 * plus the matching rules on hand-made id maps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "masks/overlap.h"
#include "masks/pq.h"
#include "masks/pyset.h"
#include "p2ceval.h"
#include "testutil.h"

/* ---- hand-made image: TP, class mismatch, crowd, void, ignored FP --------- */

/* 6 x 4:   GT            pred
 *   1 1 1 2 2 2    5 5 5 5 6 6
 *   1 1 1 2 2 2    5 5 5 5 6 6
 *   0 0 3 3 3 3    7 7 7 7 0 0
 *   0 0 3 3 3 3    7 7 7 7 0 0      3 = crowd of category 10 */
static const uint32_t GT_IDS[24] = {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
                                    0, 0, 3, 3, 3, 3, 0, 0, 3, 3, 3, 3};
static const uint32_t PRED_IDS[24] = {5, 5, 5, 5, 6, 6, 5, 5, 5, 5, 6, 6,
                                      7, 7, 7, 7, 0, 0, 7, 7, 7, 7, 0, 0};
static const p2c_pq_segment GT_SEGS[3] = {{1, 10, 0, 6}, {2, 20, 0, 6}, {3, 10, 1, 8}};
static const p2c_pq_segment PRED_SEGS[3] = {{5, 10, 0, 0}, {6, 20, 0, 0}, {7, 10, 0, 0}};
static const p2c_category_info CATS[3] = {{10, "a", 1}, {20, "b", 0}, {30, "c", 1}};

static p2c_pq_image_input toy_input(void)
{
  p2c_pq_image_input in;
  memset(&in, 0, sizeof in);
  in.image_id = 42;
  in.width = 6;
  in.height = 4;
  in.gt_ids = GT_IDS;
  in.pred_ids = PRED_IDS;
  in.gt = GT_SEGS;
  in.num_gt = 3;
  in.pred = PRED_SEGS;
  in.num_pred = 3;
  return in;
}

static void check_toy(const p2c_pq_image *img, int instances)
{
  /* pairs ascending (gt, pred): (0,7) (1,5) (2,5) (2,6) (3,0) (3,7); with
   * instance masks the prediction key is its index and void pixels are no prediction */
  static const int64_t want_gt[] = {0, 1, 2, 2, 3, 3}, want_pred[] = {7, 5, 5, 6, 0, 7};
  static const int64_t want_inter[] = {4, 6, 2, 4, 4, 4};
  size_t n = p2c_pq_image_num_pairs(img), k = 0;
  ck_assert_uint_eq(n, instances ? 5 : 6);
  for (size_t i = 0; i < 6; i++) {
    if (instances && want_pred[i] == 0) continue;
    p2c_pq_pair p;
    ck_assert_int_eq(p2c_pq_image_pair(img, k++, &p), P2C_OK);
    ck_assert_int_eq(p.gt_id, want_gt[i]);
    ck_assert_int_eq(p.pred_id, want_pred[i]);
    ck_assert_int_eq(p.intersection, want_inter[i]);
    if (want_gt[i] == 1) { /* union = 8 + 6 - 6 - 0 */
      ck_assert_int_eq(p.union_area, 8);
      ck_assert(p.iou == 0.75);
      ck_assert_uint_eq(p.flags, P2C_PAIR_SAME_CATEGORY | P2C_PAIR_MATCHED);
    }
    if (want_gt[i] == 2 && want_pred[i] == 6) ck_assert(p.iou == 4.0 / 6.0 && (p.flags & P2C_PAIR_MATCHED));
    if (want_gt[i] == 2 && want_pred[i] == 5) ck_assert_uint_eq(p.flags, 0);
    if (want_gt[i] == 3 && want_pred[i] == 7) ck_assert_uint_eq(p.flags, P2C_PAIR_SAME_CATEGORY | P2C_PAIR_GT_CROWD);
  }
  ck_assert_int_eq(p2c_pq_image_gt_outcome(img, 0), P2C_PQ_TP);
  ck_assert_int_eq(p2c_pq_image_gt_outcome(img, 1), P2C_PQ_TP);
  ck_assert_int_eq(p2c_pq_image_gt_outcome(img, 2), P2C_PQ_CROWD);
  ck_assert_int_eq(p2c_pq_image_pred_outcome(img, 0), P2C_PQ_TP);
  ck_assert_int_eq(p2c_pq_image_pred_outcome(img, 1), P2C_PQ_TP);
  /* 4 pixels on void + 4 on the crowd of its category, of 8: not a FP */
  ck_assert_int_eq(p2c_pq_image_pred_outcome(img, 2), P2C_PQ_IGNORED);
  double m[9];
  ck_assert_int_eq(p2c_pq_image_iou_matrix(img, m, 3, 3), P2C_OK);
  ck_assert(m[0 * 3 + 0] == 0.75 && m[1 * 3 + 1] == 4.0 / 6.0 && m[1 * 3 + 0] == 2.0 / 12.0);
  ck_assert(m[2 * 3 + 2] == 0.5); /* crowd: share of pred 7 inside it */
  ck_assert(m[0 * 3 + 1] == 0.0 && m[0 * 3 + 2] == 0.0);
}

START_TEST(toy_image_rules)
{
  p2c_pq *pq = NULL;
  p2c_error err;
  ck_assert_int_eq(p2c_pq_create(CATS, 3, &pq, &err), P2C_OK);
  p2c_pq_image_input in = toy_input();
  p2c_pq_image *img = NULL;
  ck_assert_int_eq(p2c_pq_image_compute(pq, &in, &img, &err), P2C_OK);
  check_toy(img, 0);
  ck_assert_int_eq(p2c_pq_add(pq, img), P2C_OK);
  p2c_pq_image_free(img);

  /* the same prediction as instance masks gives the same counts */
  p2c_rle *masks[3];
  uint8_t bytes[24];
  for (int s = 0; s < 3; s++) {
    for (int i = 0; i < 24; i++) bytes[i] = PRED_IDS[i] == (uint32_t)PRED_SEGS[s].id;
    ck_assert_int_eq(p2c_rle_encode(bytes, 4, 6, P2C_MASK_ROW_MAJOR, &masks[s], NULL), P2C_OK);
  }
  in.pred_ids = NULL;
  in.pred_masks = (const p2c_rle *const *)masks;
  ck_assert_int_eq(p2c_pq_image_compute(pq, &in, &img, &err), P2C_OK);
  check_toy(img, 1);
  ck_assert_int_eq(p2c_pq_add(pq, img), P2C_OK);
  p2c_pq_image_free(img);
  for (int s = 0; s < 3; s++) p2c_rle_free(masks[s]);

  p2c_pq_class c;
  ck_assert_int_eq(p2c_pq_get_class(pq, 0, &c), P2C_OK);
  ck_assert_int_eq(c.category_id, 10);
  ck_assert_int_eq(c.tp, 2);
  ck_assert_int_eq(c.fp + c.fn, 0);
  ck_assert(c.iou == 0.75 + 0.75 && c.pq == 0.75 && c.sq == 0.75 && c.rq == 1.0);
  ck_assert_int_eq(p2c_pq_get_class(pq, 2, &c), P2C_OK);
  ck_assert(!c.counted && c.pq == 0.0);
  p2c_pq_summary s;
  ck_assert_int_eq(p2c_pq_get_summary(pq, P2C_PQ_ALL, &s), P2C_OK);
  ck_assert_int_eq(s.n, 2);
  ck_assert(s.pq == (0.75 + (4.0 / 6.0 + 4.0 / 6.0) / 2) / 2);
  ck_assert_int_eq(p2c_pq_get_summary(pq, P2C_PQ_STUFF, &s), P2C_OK);
  ck_assert_int_eq(s.n, 1);
  /* no prediction at all: every non-crowd GT is a FN */
  in = toy_input();
  in.pred_ids = NULL;
  in.num_pred = 0;
  ck_assert_int_eq(p2c_pq_image_compute(pq, &in, &img, &err), P2C_OK);
  ck_assert_int_eq(p2c_pq_image_gt_outcome(img, 0), P2C_PQ_FN);
  ck_assert_int_eq(p2c_pq_image_gt_outcome(img, 2), P2C_PQ_CROWD);
  ck_assert_uint_eq(p2c_pq_image_num_pairs(img), 0);
  p2c_pq_image_free(img);
  p2c_pq_free(pq);
  p2c_pq_free(NULL);
  p2c_pq_image_free(NULL);
}
END_TEST

/* The internal entry the protocol layer uses: the same image from an overlap
 * the caller counted, without an accumulator (no category check). */
START_TEST(toy_image_from_overlap)
{
  p2c_pq_image_input in = toy_input();
  p2ci_overlap ov;
  ck_assert_int_eq(p2ci_overlap_idmaps(in.gt_ids, in.pred_ids, (size_t)in.width * (size_t)in.height, &ov),
                   P2C_OK);
  p2c_pq_image *img = NULL;
  p2c_error err;
  ck_assert_int_eq(p2ci_pq_image_from_overlap(NULL, &in, &ov, &img, &err), P2C_OK);
  check_toy(img, 0);
  p2c_pq_image_free(img);
  /* the maps are not read again: only the histogram counts */
  in.width = in.height = 0;
  ck_assert_int_eq(p2ci_pq_image_from_overlap(NULL, &in, &ov, &img, &err), P2C_OK);
  check_toy(img, 0);
  p2c_pq_image_free(img);
  p2ci_overlap_free(&ov);
  ck_assert_int_eq(p2ci_pq_image_from_overlap(NULL, &in, NULL, &img, &err), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_null(img);
}
END_TEST

START_TEST(toy_image_errors)
{
  p2c_pq *pq = NULL;
  p2c_error err;
  ck_assert_int_eq(p2c_pq_create(CATS, 3, &pq, &err), P2C_OK);
  p2c_pq_image_input in = toy_input();
  p2c_pq_image *img = NULL;
  p2c_pq_segment pred[3];
  memcpy(pred, PRED_SEGS, sizeof pred);
  in.pred = pred;
  in.pred_name = "pred/42.png";
  pred[1].id = 9; /* 6 is in the PNG only, 9 in the JSON only */
  ck_assert_int_eq(p2c_pq_image_compute(pq, &in, &img, &err), P2C_ERR_MISMATCH);
  ck_assert_str_eq(err.message, "pred/42.png: In the image with ID 42 segment with ID 6 is presented in PNG and not presented in JSON.");
  ck_assert_ptr_null(img);
  pred[1].id = 6;
  pred[2].category_id = 99;
  ck_assert_int_eq(p2c_pq_image_compute(pq, &in, &img, &err), P2C_ERR_MISMATCH);
  ck_assert_str_eq(err.message, "pred/42.png: In the image with ID 42 segment with ID 7 has unknown category_id 99.");
  pred[2].category_id = 10;
  in.num_pred = 2; /* 7 is in the PNG only */
  ck_assert_int_eq(p2c_pq_image_compute(pq, &in, &img, &err), P2C_ERR_MISMATCH);
  in.num_pred = 3;
  p2c_pq_segment more[5];
  memcpy(more, PRED_SEGS, sizeof PRED_SEGS);
  more[3] = (p2c_pq_segment){77, 10, 0, 0};
  more[4] = (p2c_pq_segment){5000, 10, 0, 0};
  in.pred = more;
  in.num_pred = 5;
  ck_assert_int_eq(p2c_pq_image_compute(pq, &in, &img, &err), P2C_ERR_MISMATCH);
  /* CPython lists set([5, 6, 7, 77, 5000]) minus {5, 6, 7} as [5000, 77] */
  ck_assert_str_eq(err.message, "pred/42.png: In the image with ID 42 the following segment IDs [5000, 77] are presented in JSON and not presented in PNG.");
  p2c_pq_free(pq);
}
END_TEST

/* ---- goldens ------------------------------------------------------------- */

static p2c_dataset *load_ds(const char *rel, const char *png_rel, int kind)
{
  char path[4096], dir[4096];
  snprintf(path, sizeof path, "%s", p2ct_parity(rel));
  if (png_rel) snprintf(dir, sizeof dir, "%s", p2ct_parity(png_rel));
  return p2ct_load_dataset(path, kind, png_rel ? dir : NULL);
}

static const char *GROUPS[3] = {"All", "Things", "Stuff"};

/* Compare one run with panopticapi's result JSON; returns the counts. */
static void compare_result(const p2c_pq *pq, const cJSON *result, p2ct_cmp *cmp, const char *name)
{
  for (int g = 0; g < 3; g++) {
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(result, GROUPS[g]);
    p2c_pq_summary s;
    ck_assert_int_eq(p2c_pq_get_summary(pq, g, &s), P2C_OK);
    ck_assert_int_eq(s.n, (int)p2ct_json_num(want, "n"));
    ck_assert_msg(p2ct_cmp_add(cmp, p2ct_json_num(want, "pq"), s.pq), "%s %s pq", name, GROUPS[g]);
    ck_assert_msg(p2ct_cmp_add(cmp, p2ct_json_num(want, "sq"), s.sq), "%s %s sq", name, GROUPS[g]);
    ck_assert_msg(p2ct_cmp_add(cmp, p2ct_json_num(want, "rq"), s.rq), "%s %s rq", name, GROUPS[g]);
  }
  const cJSON *pc = cJSON_GetObjectItemCaseSensitive(result, "per_class");
  ck_assert_uint_eq((size_t)cJSON_GetArraySize(pc), p2c_pq_num_classes(pq));
  for (size_t i = 0; i < p2c_pq_num_classes(pq); i++) {
    p2c_pq_class c;
    p2c_pq_get_class(pq, i, &c);
    const cJSON *want = cJSON_GetArrayItem(pc, (int)i);
    ck_assert_int_eq(atoll(want->string), c.category_id); /* same order as panopticapi */
    ck_assert_msg(p2ct_cmp_add(cmp, p2ct_json_num(want, "pq"), c.pq), "%s class %lld pq", name, (long long)c.category_id);
    ck_assert_msg(p2ct_cmp_add(cmp, p2ct_json_num(want, "sq"), c.sq), "%s class %lld sq", name, (long long)c.category_id);
    ck_assert_msg(p2ct_cmp_add(cmp, p2ct_json_num(want, "rq"), c.rq), "%s class %lld rq", name, (long long)c.category_id);
  }
}

static p2c_pq *run_pq(const p2c_dataset *gt, const p2c_dataset *pred, int threads)
{
  p2c_pq_options o = P2C_PQ_OPTIONS_INIT;
  o.threads = threads;
  p2c_pq *pq = NULL;
  p2c_error err;
  ck_assert_msg(p2c_pq_compute(gt, pred, &o, &pq, &err) == P2C_OK, "%s", err.message);
  return pq;
}

/* Same bits for every class and summary. */
static void assert_same(const p2c_pq *a, const p2c_pq *b)
{
  ck_assert_uint_eq(p2c_pq_num_classes(a), p2c_pq_num_classes(b));
  for (size_t i = 0; i < p2c_pq_num_classes(a); i++) {
    p2c_pq_class x, y;
    p2c_pq_get_class(a, i, &x);
    p2c_pq_get_class(b, i, &y);
    ck_assert(x.tp == y.tp && x.fp == y.fp && x.fn == y.fn);
    ck_assert(memcmp(&x.iou, &y.iou, sizeof x.iou) == 0 && memcmp(&x.pq, &y.pq, sizeof x.pq) == 0);
  }
}

typedef struct golden {
  const char *name, *gt_json, *gt_dir, *pred_json, *pred_dir, *result, *counts;
} golden;

static const golden GOLDENS[] = {
    {"panopticapi_sample identity", "panoptic/panopticapi_sample/inputs/gt/panoptic_examples.json", NULL,
     "panoptic/panopticapi_sample/inputs/gt/panoptic_examples.json", NULL,
     "panoptic/panopticapi_sample/outputs/identity.cpu1.result.json", NULL},
    {"panopticapi_sample perturbed", "panoptic/panopticapi_sample/inputs/gt/panoptic_examples.json", NULL,
     "panoptic/panopticapi_sample/inputs/pred_perturbed/pred.json", NULL,
     "panoptic/panopticapi_sample/outputs/perturbed.cpu1.result.json", NULL},
    {"small", "panoptic/small/inputs/gt.json", NULL, "panoptic/small/inputs/pred.json", NULL,
     "panoptic/small/outputs/pq_panopticapi.cpu1.result.json", "panoptic/small/outputs/debug.metrics.cpu1.json"},
    {"medium", "panoptic/medium/inputs/gt.json", NULL, "panoptic/medium/inputs/pred.json", NULL,
     "panoptic/medium/outputs/pq_panopticapi.cpu1.result.json", "panoptic/medium/outputs/debug.metrics.cpu1.json"},
    {"edge", "panoptic/edge/inputs/gt.json", NULL, "panoptic/edge/inputs/pred.json", NULL,
     "panoptic/edge/outputs/pq_panopticapi.cpu1.result.json", "panoptic/edge/outputs/debug.metrics.cpu1.json"},
    {"chunkdrop", "panoptic/chunkdrop/inputs/gt.json", NULL, "panoptic/chunkdrop/inputs/pred.json", NULL,
     "panoptic/chunkdrop/outputs/pq_panopticapi.cpu1.result.json",
     "panoptic/chunkdrop/outputs/debug.metrics.cpu1.json"},
};

START_TEST(goldens_bit_identical_any_thread_count)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("panoptic goldens");
    return;
  }
  p2ct_cmp all, counts;
  p2ct_cmp_init(&all, "PQ/SQ/RQ (All, Things, Stuff, per class)", 1e-12);
  p2ct_cmp_init(&counts, "per-class TP/FP/FN/IoU sums", 1e-12);
  for (size_t k = 0; k < sizeof GOLDENS / sizeof GOLDENS[0]; k++) {
    const golden *g = &GOLDENS[k];
    p2c_dataset *gt = load_ds(g->gt_json, g->gt_dir, P2C_DATASET_GT);
    p2c_dataset *pred = load_ds(g->pred_json, g->pred_dir, P2C_DATASET_PRED);
    p2c_pq *pq1 = run_pq(gt, pred, 1), *pq2 = run_pq(gt, pred, 2), *pq3 = run_pq(gt, pred, 3);
    assert_same(pq1, pq2);
    assert_same(pq1, pq3);
    cJSON *res = p2ct_parity_json(g->result);
    size_t before = all.identical;
    compare_result(pq1, cJSON_GetObjectItemCaseSensitive(res, "result"), &all, g->name);
    printf("%s: %zu values bit-identical (threads 1, 2, 3 give the same bits)\n", g->name,
           all.identical - before);
    cJSON_Delete(res);
    if (g->counts) {
      /* the Pix2Cap script's per-category counts (one chunk) are panopticapi's */
      cJSON *dbg = p2ct_parity_json(g->counts);
      const cJSON *per = cJSON_GetObjectItemCaseSensitive(dbg, "metrics_per_category");
      for (size_t i = 0; i < p2c_pq_num_classes(pq1); i++) {
        p2c_pq_class c;
        p2c_pq_get_class(pq1, i, &c);
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)c.category_id);
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(per, key);
        if (!w) {
          ck_assert(c.tp + c.fp + c.fn == 0);
          continue;
        }
        ck_assert(p2ct_cmp_add(&counts, p2ct_json_num(w, "tp"), (double)c.tp));
        ck_assert(p2ct_cmp_add(&counts, p2ct_json_num(w, "fp"), (double)c.fp));
        ck_assert(p2ct_cmp_add(&counts, p2ct_json_num(w, "fn"), (double)c.fn));
        ck_assert_msg(p2ct_cmp_add(&counts, p2ct_json_num(w, "iou"), c.iou), "%s class %s iou %.17g", g->name, key, c.iou);
      }
      cJSON_Delete(dbg);
    }
    p2c_pq_free(pq1);
    p2c_pq_free(pq2);
    p2c_pq_free(pq3);
    p2c_dataset_free(gt);
    p2c_dataset_free(pred);
  }
  p2ct_cmp_report(&all);
  p2ct_cmp_report(&counts);
  ck_assert_uint_eq(all.identical, all.total);
  ck_assert_uint_eq(counts.identical, counts.total);
}
END_TEST

/* per-image stats of panopticapi_sample (a fresh PQStat per image) */
typedef struct per_image_ctx {
  const p2c_dataset *gt;
  const cJSON *want;
  size_t k;
  p2ct_cmp *cmp;
} per_image_ctx;

static int check_image(void *user, size_t gi, const p2c_pq_image *img)
{
  per_image_ctx *c = user;
  const cJSON *w = cJSON_GetArrayItem(c->want, (int)c->k++);
  ck_assert_int_eq((int64_t)p2ct_json_num(w, "image_id"), p2c_pq_image_id(img));
  size_t ncat = p2c_dataset_num_categories(c->gt);
  p2c_category_info *cats = calloc(ncat, sizeof *cats);
  for (size_t i = 0; i < ncat; i++) p2c_dataset_category(c->gt, i, &cats[i]);
  p2c_pq *one = NULL;
  ck_assert_int_eq(p2c_pq_create(cats, ncat, &one, NULL), P2C_OK);
  ck_assert_int_eq(p2c_pq_add(one, img), P2C_OK);
  const cJSON *per = cJSON_GetObjectItemCaseSensitive(w, "per_category");
  size_t seen = 0;
  for (size_t i = 0; i < ncat; i++) {
    p2c_pq_class k;
    p2c_pq_get_class(one, i, &k);
    if (k.tp + k.fp + k.fn == 0) continue;
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)k.category_id);
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(per, key);
    ck_assert_msg(x != NULL, "image %lld class %s", (long long)p2c_pq_image_id(img), key);
    ck_assert(p2ct_cmp_add(c->cmp, p2ct_json_num(x, "tp"), (double)k.tp));
    ck_assert(p2ct_cmp_add(c->cmp, p2ct_json_num(x, "fp"), (double)k.fp));
    ck_assert(p2ct_cmp_add(c->cmp, p2ct_json_num(x, "fn"), (double)k.fn));
    ck_assert(p2ct_cmp_add(c->cmp, p2ct_json_num(x, "iou"), k.iou));
    seen++;
  }
  ck_assert_uint_eq(seen, (size_t)cJSON_GetArraySize(per));
  p2c_pq_free(one);
  free(cats);
  (void)gi;
  return 0;
}

START_TEST(sample_per_image_stats)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("panopticapi_sample per image");
    return;
  }
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "panopticapi_sample per-image TP/FP/FN/IoU", 1e-12);
  const char *preds[2] = {"panoptic/panopticapi_sample/inputs/gt/panoptic_examples.json",
                          "panoptic/panopticapi_sample/inputs/pred_perturbed/pred.json"};
  const char *want[2] = {"panoptic/panopticapi_sample/outputs/identity.per_image.json",
                         "panoptic/panopticapi_sample/outputs/perturbed.per_image.json"};
  for (int r = 0; r < 2; r++) {
    p2c_dataset *gt = load_ds("panoptic/panopticapi_sample/inputs/gt/panoptic_examples.json", NULL, P2C_DATASET_GT);
    p2c_dataset *pred = load_ds(preds[r], NULL, P2C_DATASET_PRED);
    cJSON *w = p2ct_parity_json(want[r]);
    per_image_ctx ctx = {gt, w, 0, &cmp};
    p2c_pq_options o = P2C_PQ_OPTIONS_INIT;
    o.threads = 2;
    o.on_image = check_image;
    o.user = &ctx;
    p2c_pq *pq = NULL;
    p2c_error err;
    ck_assert_msg(p2c_pq_compute(gt, pred, &o, &pq, &err) == P2C_OK, "%s", err.message);
    ck_assert_uint_eq(ctx.k, (size_t)cJSON_GetArraySize(w));
    p2c_pq_free(pq);
    cJSON_Delete(w);
    p2c_dataset_free(gt);
    p2c_dataset_free(pred);
  }
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cmp.identical, cmp.total);
}
END_TEST

START_TEST(sample_errors_have_panopticapi_messages)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("panopticapi_sample errors");
    return;
  }
  cJSON *errs = p2ct_parity_json("panoptic/panopticapi_sample/outputs/errors.cpu2.json");
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(errs, "errors");
  static const char *cases[] = {"err_png_not_json", "err_unknown_category", "err_json_not_png",
                                "err_missing_image", "err_two_errors"};
  size_t same = 0;
  for (size_t i = 0; i < 5; i++) {
    char rel[256];
    snprintf(rel, sizeof rel, "panoptic/panopticapi_sample/inputs/pred_%s/pred.json", cases[i]);
    p2c_dataset *gt = load_ds("panoptic/panopticapi_sample/inputs/gt/panoptic_examples.json", NULL, P2C_DATASET_GT);
    p2c_dataset *pred = load_ds(rel, "panoptic/panopticapi_sample/inputs/gt/panoptic_examples", P2C_DATASET_PRED);
    p2c_pq_options o = P2C_PQ_OPTIONS_INIT;
    o.threads = 2;
    p2c_pq *pq = NULL;
    p2c_error err;
    ck_assert_int_ne(p2c_pq_compute(gt, pred, &o, &pq, &err), P2C_OK);
    ck_assert_ptr_null(pq);
    const char *want = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(e, cases[i]), "args0")->valuestring;
    /* ours = "<file>: " + panopticapi's message */
    size_t lw = strlen(want), lg = strlen(err.message);
    ck_assert_msg(lg >= lw && !strcmp(err.message + lg - lw, want), "%s: '%s' vs '%s'", cases[i], err.message, want);
    ck_assert_msg(strstr(err.message, ".png: ") || strstr(err.message, ".json: "), "%s names no file: %s", cases[i], err.message);
    same++;
    p2c_dataset_free(gt);
    p2c_dataset_free(pred);
  }
  printf("panopticapi_sample errors: %zu/5 messages end with panopticapi's exact text\n", same);
  cJSON_Delete(errs);
}
END_TEST


/* What panopticapi crashes on (numpy broadcasting error): PNGs of two sizes. */
START_TEST(png_size_mismatch_is_an_error)
{
  p2ct_tmpdir_make();
  p2ct_tmp_mkdir("gt");
  p2ct_tmp_mkdir("pred");
  static const char *js =
      "{\"images\": [{\"id\": 7, \"file_name\": \"7.jpg\", \"width\": 6, \"height\": 4}],"
      " \"annotations\": [{\"image_id\": 7, \"file_name\": \"7.png\", \"segments_info\":"
      " [{\"id\": 1, \"category_id\": 10, \"iscrowd\": 0, \"area\": 24}]}],"
      " \"categories\": [{\"id\": 10, \"name\": \"a\", \"isthing\": 1}]}";
  uint32_t ids[30];
  for (int i = 0; i < 30; i++) ids[i] = 1;
  p2ct_tmp_write_ids("gt/7.png", ids, 6, 4);
  p2ct_tmp_write_ids("pred/7.png", ids, 5, 6);
  p2c_dataset *gt = p2ct_load_dataset(p2ct_tmp_write("gt.json", js), P2C_DATASET_GT, NULL);
  p2c_dataset *pred = p2ct_load_dataset(p2ct_tmp_write("pred.json", js), P2C_DATASET_PRED, NULL);
  p2c_pq *pq = NULL;
  p2c_error err;
  ck_assert_int_eq(p2c_pq_compute(gt, pred, NULL, &pq, &err), P2C_ERR_MISMATCH);
  char want[8192];
  snprintf(want, sizeof want, "image 7: %s/pred/7.png is 5x6 but %s/gt/7.png is 6x4 (width x height)",
           p2ct_tmpdir, p2ct_tmpdir);
  ck_assert_str_eq(err.message, want);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  p2ct_tmpdir_remove();
}
END_TEST


/* The prediction PNGs of a golden set rewritten as instance-format RLEs: the
 * same matching must give panopticapi's bits. */
static void write_instances(const p2c_dataset *pred, const char *path)
{
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs("[", f);
  int first = 1;
  for (size_t i = 0; i < p2c_dataset_num_images(pred); i++) {
    p2c_image_info ii;
    p2c_dataset_image(pred, i, &ii);
    if (!ii.png_name) continue;
    p2c_idmap *m = NULL;
    p2c_error rerr;
    if (p2c_dataset_read_idmap(pred, i, &m, &rerr) != P2C_OK) continue; /* edge/: an image not in the GT, without PNG */
    int w = p2c_idmap_width(m), h = p2c_idmap_height(m);
    uint8_t *bytes = malloc((size_t)w * (size_t)h);
    ck_assert_ptr_nonnull(bytes);
    for (size_t s = ii.num_segments; s-- > 0;) { /* reversed: file order must not matter */
      p2c_segment_info si;
      p2c_dataset_segment(pred, i, s, &si);
      for (int p = 0; p < w * h; p++) bytes[p] = p2c_idmap_data(m)[p] == (uint32_t)si.id;
      p2c_rle *r = NULL;
      ck_assert_int_eq(p2c_rle_encode(bytes, h, w, P2C_MASK_ROW_MAJOR, &r, NULL), P2C_OK);
      size_t n = p2c_rle_to_string(r, NULL, 0);
      char *str = malloc(n + 1);
      p2c_rle_to_string(r, str, n + 1);
      fprintf(f, "%s{\"image_id\": %lld, \"category_id\": %lld, \"id\": %lld, \"score\": 0.5, "
                 "\"segmentation\": {\"size\": [%d, %d], \"counts\": \"",
              first ? "" : ",\n", (long long)ii.id, (long long)si.category_id, (long long)si.id, h, w);
      for (const char *c = str; *c; c++) {
        if (*c == '\\') fputc('\\', f);
        fputc(*c, f);
      }
      fputs("\"}}", f);
      first = 0;
      free(str);
      p2c_rle_free(r);
    }
    free(bytes);
    p2c_idmap_free(m);
  }
  fputs("]\n", f);
  fclose(f);
}

START_TEST(instance_predictions_score_like_pngs)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("instance-format predictions");
    return;
  }
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "instance-format RLE predictions vs panopticapi on the PNGs", 1e-12);
  for (size_t k = 1; k < sizeof GOLDENS / sizeof GOLDENS[0]; k++) {
    const golden *g = &GOLDENS[k];
    p2c_dataset *gt = load_ds(g->gt_json, g->gt_dir, P2C_DATASET_GT);
    p2c_dataset *pred = load_ds(g->pred_json, g->pred_dir, P2C_DATASET_PRED);
    char path[] = "/tmp/p2c_instances_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    write_instances(pred, path);
    p2c_instances *inst = NULL;
    p2c_error err;
    ck_assert_msg(p2c_instances_load(path, &inst, &err) == P2C_OK, "%s", err.message);
    p2c_pq_options o = P2C_PQ_OPTIONS_INIT;
    o.threads = 2;
    p2c_pq *pq = NULL;
    ck_assert_msg(p2c_pq_compute_instances(gt, inst, &o, &pq, &err) == P2C_OK, "%s", err.message);
    cJSON *res = p2ct_parity_json(g->result);
    compare_result(pq, cJSON_GetObjectItemCaseSensitive(res, "result"), &cmp, g->name);
    cJSON_Delete(res);
    p2c_pq_free(pq);
    p2c_instances_free(inst);
    remove(path);
    p2c_dataset_free(gt);
    p2c_dataset_free(pred);
  }
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cmp.identical, cmp.total);
}
END_TEST

START_TEST(instance_errors_name_the_entry)
{
  char path[] = "/tmp/p2c_instances_XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  close(fd);
  p2ct_write_text(path, "[{\"image_id\": 3, \"category_id\": 1, \"segmentation\": {\"size\": [3, 4], \"counts\": \"0<\"}},"
                        " {\"image_id\": 5, \"category_id\": 1, \"segmentation\": {\"size\": [3, 4], \"counts\": \"1z7\"}}]");
  p2c_instances *inst = NULL;
  p2c_error err;
  ck_assert_int_eq(p2c_instances_load(path, &inst, &err), P2C_ERR_PARSE);
  char want[512];
  snprintf(want, sizeof want, "%s: [1] (image 5): segmentation: RLE counts string has an invalid byte 0x7a at offset 1 (allowed: '0'..'o')", path);
  ck_assert_str_eq(err.message, want);
  p2ct_write_text(path, "{\"annotations\": [{\"image_id\": 3, \"category_id\": 1, \"score\": 0.2, \"caption\": \"a cat\","
                        " \"segmentation\": {\"size\": [3, 4], \"counts\": [0, 12]}}]}");
  ck_assert_int_eq(p2c_instances_load(path, &inst, &err), P2C_OK);
  p2c_instance_info ii;
  ck_assert_int_eq(p2c_instances_get(inst, 0, &ii), P2C_OK);
  ck_assert_str_eq(ii.caption, "a cat");
  ck_assert_int_eq(ii.id, 1);
  size_t entry = 99;
  ck_assert_uint_eq(p2c_instances_image_count(inst, 3), 1);
  ck_assert_uint_eq(p2c_instances_image_count(inst, 4), 0);
  ck_assert_int_eq(p2c_instances_image_entry(inst, 3, 0, &entry), P2C_OK);
  ck_assert_uint_eq(entry, 0);
  ck_assert_int_eq(p2c_instances_image_entry(inst, 3, 1, &entry), P2C_ERR_INVALID_ARG);
  ck_assert_uint_eq(p2c_rle_area(ii.mask), 12);
  p2c_instances_free(inst);
  remove(path);
}
END_TEST


/* list(set(all) - {all[::3]}) as CPython 3.11 prints it (values from /usr/bin/python3). */
START_TEST(python_set_order_of_missing_ids)
{
  static const int64_t all[3][25] = {
      {3992384, 9942865, 9130652, 2188132, 6206818, 15367004, 10132097, 7953299, 10497845, 9745081, 1099392, 10160275, 220923, 15247443, 14050400, 7872413, 4351239, 9240633, 3931422, 3216933, 16704149, 12031748, 7889713, 9076036, 14033495},
      {9221281, 7991881, 6662813, 10721785, 14445554, 2526925, 3891006, 10651195, 2543802, 14563384, 15532942, 8777525, 6542053, 12436143, 254121, 11264416, 13039835, 1074270, 2674288, 12720993, 16064136, 9917006, 717881, 5054433, 13087512},
      {520291, 13817221, 14521138, 4520314, 7931414, 9978242, 12059865, 15437667, 14744033, 6502993, 11981105, 13222273, 15453472, 7162779, 6626387, 12215927, 13437020, 9678939, 7459504, 16174810, 15696541, 2250649, 14744936, 6132403, 1635013}};
  static const int64_t want[3][9] = {
      {10132097, 12031748, 7872413, 3931422, 9745081, 3992384, 14033495, 2188132, 220923},
      {13087512, 11264416, 9221281, 14563384, 3891006, 9917006, 6542053, 2674288, 10721785},
      {2250649, 15453472, 7459504, 1635013, 6502993, 12059865, 520291, 12215927, 4520314}};
  for (int t = 0; t < 3; t++) {
    int64_t ids[9];
    for (int i = 0; i < 9; i++) ids[i] = all[t][3 * i];
    ck_assert_int_eq(p2ci_pyset_order(all[t], 25, ids, 9), 0);
    for (int i = 0; i < 9; i++) ck_assert_int_eq(ids[i], want[t][i]);
  }
}
END_TEST


/* panopticapi with 2 processes sums each half separately: medium and edge
 * then differ in the last bits from one process; the compatibility option
 * reproduces both. */
START_TEST(panopticapi_two_processes)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("panopticapi 2-process goldens");
    return;
  }
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "panopticapi with 2 processes (panopticapi_processes = 2)", 1e-12);
  size_t differs_from_one = 0;
  for (size_t k = 0; k < sizeof GOLDENS / sizeof GOLDENS[0]; k++) {
    const golden *g = &GOLDENS[k];
    char rel[512];
    snprintf(rel, sizeof rel, "%s", g->result);
    char *dot = strstr(rel, ".cpu1.");
    ck_assert_ptr_nonnull(dot);
    dot[4] = '2';
    p2c_dataset *gt = load_ds(g->gt_json, g->gt_dir, P2C_DATASET_GT);
    p2c_dataset *pred = load_ds(g->pred_json, g->pred_dir, P2C_DATASET_PRED);
    p2c_pq_options o = P2C_PQ_OPTIONS_INIT;
    o.threads = 3;
    o.panopticapi_processes = 2;
    p2c_pq *pq = NULL, *one = run_pq(gt, pred, 2);
    p2c_error err;
    ck_assert_msg(p2c_pq_compute(gt, pred, &o, &pq, &err) == P2C_OK, "%s", err.message);
    cJSON *res = p2ct_parity_json(rel);
    compare_result(pq, cJSON_GetObjectItemCaseSensitive(res, "result"), &cmp, g->name);
    cJSON_Delete(res);
    for (size_t i = 0; i < p2c_pq_num_classes(pq); i++) {
      p2c_pq_class a, b;
      p2c_pq_get_class(pq, i, &a);
      p2c_pq_get_class(one, i, &b);
      if (a.iou != b.iou) {
        differs_from_one++;
        break;
      }
    }
    p2c_pq_free(pq);
    p2c_pq_free(one);
    p2c_dataset_free(gt);
    p2c_dataset_free(pred);
  }
  p2ct_cmp_report(&cmp);
  printf("sets whose 2-process IoU sums differ from 1 process: %zu\n", differs_from_one);
  ck_assert_uint_eq(cmp.identical, cmp.total);
  ck_assert_uint_ge(differs_from_one, 2); /* medium and edge */
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("pq");
  TCase *tc = tcase_create("pq");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, toy_image_rules);
  tcase_add_test(tc, toy_image_errors);
  tcase_add_test(tc, toy_image_from_overlap);
  tcase_add_test(tc, python_set_order_of_missing_ids);
  tcase_add_test(tc, goldens_bit_identical_any_thread_count);
  tcase_add_test(tc, panopticapi_two_processes);
  tcase_add_test(tc, sample_per_image_stats);
  tcase_add_test(tc, sample_errors_have_panopticapi_messages);
  tcase_add_test(tc, png_size_mismatch_is_an_error);
  tcase_add_test(tc, instance_predictions_score_like_pngs);
  tcase_add_test(tc, instance_errors_name_the_entry);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
