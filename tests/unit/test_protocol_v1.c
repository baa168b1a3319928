/* The p2c-v1 protocol on a hand-made data set whose every number is worked
 * out below (and in docs/metrics.md): panopticapi PQ, the DenseCap ranking
 * (best GT, first taker, ignored predictions, unscored last), exact AP. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/json.h"
#include "p2ceval.h"
#include "protocol/image_match.h"
#include "testutil.h"

static char dir[256];

static void write_text(const char *name, const char *text)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

static void write_png(const char *name, const uint32_t *ids, int w)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  p2c_error err;
  ck_assert_msg(p2c_idmap_write_png(path, ids, w, 1, &err) == P2C_OK, "%s", err.message);
}

/* Image 1 (12 x 1): GT g1 = px 0-3, g2 = px 4-7, crowd g3 = px 8-11, all
 * category 1. Predictions: p1 = px 0-3 (0.9, IoU 1 with g1), p2 = px 4-5
 * (0.8, IoU 0.5 with g2: not a PQ match), p3 = px 6-7 (0.7, best GT g2,
 * already taken by p2), p4 = px 8-11 (0.95, on the crowd: ignored).
 * Image 2 (6 x 1): GT g1 category 2, predicted exactly, no score. */
static void make_set(void)
{
  snprintf(dir, sizeof dir, "/tmp/p2c-test-v1-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char sub[300];
  snprintf(sub, sizeof sub, "%s/gt", dir);
  mkdir(sub, 0700);
  snprintf(sub, sizeof sub, "%s/pred", dir);
  mkdir(sub, 0700);
  write_text("gt.json",
             "{\"categories\": [{\"id\": 1, \"name\": \"a\", \"isthing\": 1},"
             " {\"id\": 2, \"name\": \"b\", \"isthing\": 0}],"
             " \"images\": [{\"id\": 1, \"file_name\": \"1.jpg\", \"width\": 12, \"height\": 1},"
             " {\"id\": 2, \"file_name\": \"2.jpg\", \"width\": 6, \"height\": 1}],"
             " \"annotations\": [{\"image_id\": 1, \"file_name\": \"1.png\", \"segments_info\": ["
             "{\"id\": 1, \"category_id\": 1, \"iscrowd\": 0, \"area\": 4, \"description\": \"a red car\"},"
             "{\"id\": 2, \"category_id\": 1, \"iscrowd\": 0, \"area\": 4, \"description\": \"a blue car\"},"
             "{\"id\": 3, \"category_id\": 1, \"iscrowd\": 1, \"area\": 4, \"description\": \"cars\"}]},"
             " {\"image_id\": 2, \"file_name\": \"2.png\", \"segments_info\": ["
             "{\"id\": 1, \"category_id\": 2, \"iscrowd\": 0, \"area\": 6, \"description\": \"the sky\"}]}]}");
  write_text("pred.json",
             "{\"annotations\": [{\"image_id\": 1, \"file_name\": \"1.png\", \"segments_info\": ["
             "{\"id\": 1, \"category_id\": 1, \"caption\": \"a red car\", \"score\": 0.9},"
             "{\"id\": 2, \"category_id\": 1, \"caption\": \"a car\", \"score\": 0.8},"
             "{\"id\": 3, \"category_id\": 1, \"caption\": \"a car\", \"score\": 0.7},"
             "{\"id\": 4, \"category_id\": 1, \"caption\": \"cars\", \"score\": 0.95}]},"
             " {\"image_id\": 2, \"file_name\": \"2.png\", \"segments_info\": ["
             "{\"id\": 1, \"category_id\": 2, \"caption\": \"the blue sky\"}]}]}");
  const uint32_t g1[12] = {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
  const uint32_t p1[12] = {1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 4, 4};
  const uint32_t g2[6] = {1, 1, 1, 1, 1, 1};
  write_png("gt/1.png", g1, 12);
  write_png("pred/1.png", p1, 12);
  write_png("gt/2.png", g2, 6);
  write_png("pred/2.png", g2, 6);
}

static void remove_set(void)
{
  static const char *const files[] = {"gt/1.png", "gt/2.png", "pred/1.png", "pred/2.png", "gt.json",
                                      "pred.json", "gt", "pred"};
  char path[512];
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    remove(path);
  }
  rmdir(dir);
}

static char *run(int threads, p2c_eval_summary *S)
{
  char gp[300], pp[300];
  snprintf(gp, sizeof gp, "%s/gt.json", dir);
  snprintf(pp, sizeof pp, "%s/pred.json", dir);
  p2c_dataset *gt = NULL, *pred = NULL;
  p2c_error err;
  p2c_load_options go = P2C_LOAD_OPTIONS_INIT, po = P2C_LOAD_OPTIONS_INIT;
  po.kind = P2C_DATASET_PRED;
  ck_assert_msg(p2c_dataset_load(gp, &go, &gt, &err) == P2C_OK, "%s", err.message);
  ck_assert_msg(p2c_dataset_load(pp, &po, &pred, &err) == P2C_OK, "%s", err.message);
  p2c_eval_options o = P2C_EVAL_OPTIONS_INIT;
  o.threads = threads ? threads : 1;
  p2c_evaluator *ev = NULL;
  ck_assert_int_eq(p2c_evaluator_create(gt, &o, &ev, &err), P2C_OK);
  if (threads) {
    ck_assert_msg(p2c_evaluator_run(ev, gt, pred) == P2C_OK, "%s", p2c_evaluator_last_error(ev));
  } else { /* threads 0: one image at a time through the public API */
    for (size_t i = 0; i < p2c_dataset_num_images(gt); i++) {
      p2c_image_info ii;
      size_t pi;
      p2c_idmap *gm = NULL, *pm = NULL;
      ck_assert_int_eq(p2c_dataset_image(gt, i, &ii), P2C_OK);
      ck_assert_int_eq(p2c_dataset_find_image(pred, ii.id, &pi), P2C_OK);
      ck_assert_int_eq(p2c_dataset_read_idmap(gt, i, &gm, &err), P2C_OK);
      ck_assert_int_eq(p2c_dataset_read_idmap(pred, pi, &pm, &err), P2C_OK);
      ck_assert_msg(p2c_evaluator_add_image(ev, gt, i, pred, gm, pm) == P2C_OK, "%s",
                    p2c_evaluator_last_error(ev));
      p2c_idmap_free(gm);
      p2c_idmap_free(pm);
    }
  }
  ck_assert_msg(p2c_evaluator_finish(ev) == P2C_OK, "%s", p2c_evaluator_last_error(ev));
  ck_assert_int_eq(p2c_evaluator_summary(ev, S), P2C_OK);
  char *json = strdup(p2c_evaluator_json(ev));
  ck_assert_int_eq(p2c_evaluator_add_image(ev, gt, 0, pred, NULL, NULL), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_evaluator_finish(ev), P2C_ERR_STATE);
  p2c_evaluator_free(ev);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  return json;
}

START_TEST(worked_example)
{
  make_set();
  p2c_eval_summary S;
  char *j1 = run(1, &S);
  /* PQ: category 1 tp 1 (IoU 1), fp 2 (p2, p3; p4 ignored), fn 1 (g2):
   * pq = 1 / (1 + 1 + 0.5) = 0.4; category 2 pq = 1; All = 0.7 */
  ck_assert(S.pq == (1.0 / 2.5 + 1.0) / 2);
  ck_assert(S.pq_things == 0.4 && S.pq_stuff == 1.0);
  ck_assert_uint_eq(S.tp, 2);
  ck_assert_uint_eq(S.fp, 2);
  ck_assert_uint_eq(S.fn, 1);
  ck_assert_uint_eq(S.caption_pairs, 2);
  /* ranking p1 (0.9), p2 (0.8), p3 (0.7), then the unscored one; npos 3.
   * IoU 0.3..0.5: TP TP FP TP: p = 1 up to recall 2/3, then 3/4 */
  ck_assert_uint_eq(S.map_entries, 4);
  ck_assert_uint_eq(S.map_npos, 3);
  const double lo = (67.0 + 34 * 0.75) / 101, hi = (34.0 + 33 * 0.5) / 101;
  ck_assert(S.det_ap[0] == lo && S.det_ap[1] == lo && S.det_ap[2] == lo);
  /* IoU 0.6, 0.7: p2 fails: TP FP FP TP */
  ck_assert(S.det_ap[3] == hi && S.det_ap[4] == hi);
  ck_assert(S.detmap == ((((lo + lo) + lo) + hi) + hi) / 5);
  /* threads do not change a byte */
  p2c_eval_summary S2;
  char *j2 = run(2, &S2);
  ck_assert_str_eq(j1, j2);
  /* nor does adding the images one at a time */
  char *j3 = run(0, &S2);
  ck_assert_str_eq(j1, j3);
  free(j1);
  free(j2);
  free(j3);
  remove_set();
}
END_TEST

/* The per-image rules: IoU with void excluded from the union, the last crowd
 * segment of the category absorbing unmatched predictions, the best GT. */
START_TEST(image_rules)
{
  /* GT: 0 = void; g0 cat 7 area 10; g1 cat 7 crowd area 10; g2 cat 7 crowd area 5 (last crowd).
   * pred p0 cat 7 area 12: 8 px on g0, 4 px on void -> IoU 8 / (12 + 10 - 8 - 4) = 0.8
   * pred p1 cat 7 area 6: 1 on g1, 4 on g2, 1 on void: (1 + 4) / 6 > 0.5 -> ignored
   * pred p2 cat 7 area 6: 4 on g1 (not the last crowd), 2 on void: 2/6 -> a FP */
  p2ci_seg gt[3] = {{11, 7, 0, 0, 10}, {12, 7, 0, 1, 10}, {13, 7, 0, 1, 5}};
  p2ci_seg pr[3] = {{21, 7, 0, 0, 12}, {22, 7, 0, 0, 6}, {23, 7, 0, 0, 6}};
  p2ci_overlap ov[] = {{P2CI_VOID, 0, 4}, {P2CI_VOID, 1, 1}, {P2CI_VOID, 2, 2}, {0, 0, 8},
                       {1, 1, 1},         {1, 2, 4},         {2, 1, 4}};
  p2ci_image_input in = {gt, 3, pr, 3, ov, sizeof ov / sizeof ov[0]};
  p2ci_image_match m;
  ck_assert_int_eq(p2ci_image_match_run(&in, 0, &m), 0);
  ck_assert_uint_eq(m.ntp, 1);
  ck_assert(m.tp[0].iou == 0.8);
  ck_assert(m.pred_ignored[1] && !m.pred_ignored[2] && !m.pred_matched[2]);
  ck_assert_int_eq(m.best_gt[0], 0);
  ck_assert_int_eq(m.best_gt[1], -1); /* crowd GTs are never taken */
  ck_assert_uint_eq(m.nrec, 1);       /* records skip crowd GTs */
  p2ci_image_match_free(&m);

  /* docs difference 13: a JSON area of 10 for a GT of 40 pixels; two
   * predictions of 20 pixels on it both pass IoU 20 / (20 + 10 - 20) = 2 */
  p2ci_seg g2[1] = {{1, 3, 0, 0, 10}};
  p2ci_seg p2[2] = {{5, 3, 0, 0, 20}, {6, 3, 0, 0, 20}};
  p2ci_overlap o2[] = {{0, 0, 20}, {0, 1, 20}};
  p2ci_image_input in2 = {g2, 1, p2, 2, o2, 2};
  ck_assert_int_eq(p2ci_image_match_run(&in2, 0, &m), 0);
  ck_assert_uint_eq(m.ntp, 2); /* the official scripts count both */
  ck_assert(m.tp[0].iou == 2.0 && m.one_to_one[0] && !m.one_to_one[1]);
  p2ci_image_match_free(&m);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("protocol_v1");
  TCase *tc = tcase_create("v1");
  tcase_set_timeout(tc, 120); /* loads WordNet for METEOR 1.5; slow under sanitizers */
  tcase_add_test(tc, worked_example);
  tcase_add_test(tc, image_rules);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
