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

/* Image 1 (12 x 1): GT g1 = px 0-3, g2 = px 4-7, crowd g3 = px 8-11, all
 * category 1. Predictions: p1 = px 0-3 (0.9, IoU 1 with g1), p2 = px 4-5
 * (0.8, IoU 0.5 with g2: not a PQ match), p3 = px 6-7 (0.7, best GT g2,
 * already taken by p2), p4 = px 8-11 (0.95, on the crowd: ignored).
 * Image 2 (6 x 1): GT g1 category 2, predicted exactly, no score. */
static void make_set(void)
{
  p2ct_tmpdir_make();
  p2ct_tmp_mkdir("gt");
  p2ct_tmp_mkdir("pred");
  p2ct_tmp_write("gt.json",
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
  p2ct_tmp_write("pred.json",
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
  p2ct_tmp_write_ids("gt/1.png", g1, 12, 1);
  p2ct_tmp_write_ids("pred/1.png", p1, 12, 1);
  p2ct_tmp_write_ids("gt/2.png", g2, 6, 1);
  p2ct_tmp_write_ids("pred/2.png", g2, 6, 1);
}

static char *run(int threads, p2c_eval_summary *S)
{
  char gp[300], pp[300];
  snprintf(gp, sizeof gp, "%s/gt.json", p2ct_tmpdir);
  snprintf(pp, sizeof pp, "%s/pred.json", p2ct_tmpdir);
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
  p2ct_tmpdir_remove();
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
  /* the id maps' histogram, ascending (GT id, prediction id) */
  p2ci_overlap_pair ov[] = {{0, 21, 4},  {0, 22, 1},  {0, 23, 2}, {11, 21, 8},
                            {12, 22, 1}, {12, 23, 4}, {13, 22, 4}};
  p2ci_overlap h = {ov, sizeof ov / sizeof ov[0]};
  p2ci_image_input in = {1, gt, 3, pr, 3, &h};
  p2ci_image_match m;
  p2c_error e;
  ck_assert_int_eq(p2ci_image_match_run(&in, 0, &m, &e), 0);
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
  p2ci_overlap_pair o2[] = {{1, 5, 20}, {1, 6, 20}};
  p2ci_overlap h2 = {o2, 2};
  p2ci_image_input in2 = {2, g2, 1, p2, 2, &h2};
  ck_assert_int_eq(p2ci_image_match_run(&in2, 0, &m, &e), 0);
  ck_assert_uint_eq(m.ntp, 2); /* the official scripts count both */
  ck_assert(m.tp[0].iou == 2.0 && m.one_to_one[0] && !m.one_to_one[1]);
  p2ci_image_match_free(&m);
}
END_TEST

/* p2c-v1 PQ is panopticapi's pq_compute: All/Things/Stuff and per class on
 * every parity set (pq_panopticapi.cpu1.result.json). */
START_TEST(pq_matches_panopticapi)
{
  static const char *const sets[] = {"small", "medium", "edge", "chunkdrop"};
  p2ct_cmp c;
  p2ct_cmp_init(&c, "p2c-v1 PQ vs panopticapi (All/Things/Stuff/per class)", 0.0);
  for (size_t k = 0; k < 4; k++) {
    char rel[256];
    snprintf(rel, sizeof rel, "panoptic/%s/inputs/gt.json", sets[k]);
    const char *gp0 = p2ct_parity(rel);
    if (!gp0) {
      p2ct_skip("p2c-v1 PQ");
      return;
    }
    char gp[512], pp[512];
    snprintf(gp, sizeof gp, "%s", gp0);
    snprintf(rel, sizeof rel, "panoptic/%s/inputs/pred.json", sets[k]);
    snprintf(pp, sizeof pp, "%s", p2ct_parity(rel));
    p2c_dataset *gt = NULL, *pred = NULL;
    p2c_error err;
    p2c_load_options po = P2C_LOAD_OPTIONS_INIT;
    po.kind = P2C_DATASET_PRED;
    ck_assert_int_eq(p2c_dataset_load(gp, NULL, &gt, &err), P2C_OK);
    ck_assert_int_eq(p2c_dataset_load(pp, &po, &pred, &err), P2C_OK);
    p2c_evaluator *ev = NULL;
    ck_assert_int_eq(p2c_evaluator_create(gt, NULL, &ev, &err), P2C_OK);
    ck_assert_msg(p2c_evaluator_run(ev, gt, pred) == P2C_OK, "%s", p2c_evaluator_last_error(ev));
    ck_assert_msg(p2c_evaluator_finish(ev) == P2C_OK, "%s", p2c_evaluator_last_error(ev));
    cJSON *got = NULL, *want = NULL;
    const char *j = p2c_evaluator_json(ev);
    ck_assert_int_eq(p2ci_json_parse("result", j, strlen(j), &got, &err), P2C_OK);
    snprintf(rel, sizeof rel, "panoptic/%s/outputs/pq_panopticapi.cpu1.result.json", sets[k]);
    ck_assert_int_eq(p2ci_json_load(p2ct_parity(rel), 0, &want, &err), P2C_OK);
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(want, "result");
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, "panoptic");
    static const char *const groups[] = {"All", "Things", "Stuff"};
    static const char *const m[] = {"pq", "sq", "rq", "n"};
    for (int a = 0; a < 3; a++)
      for (int b = 0; b < 4; b++) {
        double e = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(w, groups[a]), m[b])->valuedouble;
        double v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g, groups[a]), m[b])->valuedouble;
        ck_assert_msg(p2ct_cmp_add(&c, e, v), "%s %s %s", sets[k], groups[a], m[b]);
      }
    const cJSON *cls;
    cJSON_ArrayForEach(cls, cJSON_GetObjectItemCaseSensitive(w, "per_class"))
    {
      const cJSON *mine = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g, "per_class"), cls->string);
      ck_assert_ptr_nonnull(mine);
      for (int b = 0; b < 3; b++)
        ck_assert_msg(p2ct_cmp_add(&c, cJSON_GetObjectItemCaseSensitive(cls, m[b])->valuedouble,
                                   cJSON_GetObjectItemCaseSensitive(mine, m[b])->valuedouble),
                      "%s class %s %s", sets[k], cls->string, m[b]);
    }
    cJSON_Delete(got);
    cJSON_Delete(want);
    p2c_evaluator_free(ev);
    p2c_dataset_free(gt);
    p2c_dataset_free(pred);
  }
  p2ct_cmp_report(&c);
  ck_assert_uint_eq(c.identical, c.total);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("protocol_v1");
  TCase *tc = tcase_create("v1");
  tcase_set_timeout(tc, 120); /* loads WordNet for METEOR 1.5; slow under sanitizers */
  tcase_add_test(tc, worked_example);
  tcase_add_test(tc, image_rules);
  tcase_add_test(tc, pq_matches_panopticapi);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
