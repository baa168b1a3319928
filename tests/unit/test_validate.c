/* p2c_validate: the reference's own error cases (panopticapi sample and the
 * Pix2Cap-COCO scripts), the parity sets, and a small hand-made data set with
 * one of every problem. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "p2ceval.h"
#include "testutil.h"

static p2c_validation *run(const p2c_dataset *gt, const p2c_dataset *pred, int check_pngs,
                           int require_captions, size_t max_problems)
{
  p2c_validate_options o = P2C_VALIDATE_OPTIONS_INIT;
  o.check_pngs = check_pngs;
  o.require_captions = require_captions;
  o.max_problems = max_problems;
  p2c_validation *v = NULL;
  p2c_error e;
  if (p2c_validate(gt, pred, &o, &v, &e) != P2C_OK) ck_abort_msg("%s", e.message);
  return v;
}

/* One expected problem: severity, image, segment, a piece of the file name
 * and of the message. */
typedef struct want {
  int severity;
  int64_t image, segment;
  const char *file, *message;
} want;

static void expect(const p2c_validation *v, const want *w, size_t n)
{
  for (size_t i = 0; i < p2c_validation_count(v); i++) {
    p2c_problem p;
    ck_assert_int_eq(p2c_validation_problem(v, i, &p), P2C_OK);
    if (i >= n || p.severity != w[i].severity || p.image_id != w[i].image ||
        p.segment_id != w[i].segment || !strstr(p.file, w[i].file) || !strstr(p.message, w[i].message))
      ck_abort_msg("problem %zu: %s %s image %lld segment %lld: %s", i,
                   p.severity ? "warning" : "error", p.file, (long long)p.image_id,
                   (long long)p.segment_id, p.message);
  }
  ck_assert_uint_eq(p2c_validation_count(v), n);
  size_t errors = 0;
  for (size_t i = 0; i < n; i++) errors += w[i].severity == P2C_PROBLEM_ERROR;
  ck_assert_uint_eq(p2c_validation_num_errors(v), errors);
}

#define E P2C_PROBLEM_ERROR
#define W P2C_PROBLEM_WARNING

/* panopticapi's messages from the golden run, parsed for their ids. */
static cJSON *golden_errors(void)
{
  cJSON *root = p2ct_parity_json("panoptic/panopticapi_sample/outputs/errors.cpu2.json");
  ck_assert_ptr_nonnull(root);
  return root;
}

static const char *golden_message(const cJSON *root, const char *name)
{
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "errors"), name);
  const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "args0");
  if (!m) m = cJSON_GetObjectItemCaseSensitive(e, "str");
  ck_assert(cJSON_IsString(m));
  return m->valuestring;
}

START_TEST(panopticapi_error_cases)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("panopticapi_error_cases");
    return;
  }
  char gt_path[1024], png_dir[1024], rel[256];
  snprintf(gt_path, sizeof gt_path, "%s", p2ct_parity("panoptic/panopticapi_sample/inputs/gt/panoptic_examples.json"));
  snprintf(png_dir, sizeof png_dir, "%s", p2ct_parity("panoptic/panopticapi_sample/inputs/gt/panoptic_examples"));
  p2c_dataset *gt = p2ct_load_dataset(gt_path, P2C_DATASET_GT, NULL);
  cJSON *golden = golden_errors();
  long long image, segment, category, a, b;
  const char *m;

  /* The golden run used the GT PNGs as predictions. */
#define PRED(name) (snprintf(rel, sizeof rel, "panoptic/panopticapi_sample/inputs/pred_err_%s/pred.json", name), \
                    p2ct_load_dataset(p2ct_parity(rel), P2C_DATASET_PRED, png_dir))
  p2c_dataset *pred = PRED("png_not_json");
  m = golden_message(golden, "err_png_not_json");
  ck_assert_int_eq(sscanf(m, "In the image with ID %lld segment with ID %lld is presented in PNG", &image, &segment), 2);
  p2c_validation *v = run(gt, pred, 1, 0, 0);
  want w1[] = {{E, image, segment, "000000439180.png", "id is in the PNG (797 pixels) but not in the JSON"}};
  expect(v, w1, 1);
  p2c_validation_free(v);
  p2c_dataset_free(pred);

  pred = PRED("unknown_category");
  m = golden_message(golden, "err_unknown_category");
  ck_assert_int_eq(sscanf(m, "In the image with ID %lld segment with ID %lld has unknown category_id %lld", &image,
                          &segment, &category), 3);
  char msg[128];
  snprintf(msg, sizeof msg, "category_id %lld is not a ground-truth category", category);
  v = run(gt, pred, 1, 0, 0);
  want w2[] = {{E, image, segment, "pred.json", msg}};
  expect(v, w2, 1);
  p2c_validation_free(v);
  p2c_dataset_free(pred);

  pred = PRED("json_not_png");
  m = golden_message(golden, "err_json_not_png");
  ck_assert_int_eq(sscanf(m, "In the image with ID %lld the following segment IDs [%lld, %lld]", &image, &a, &b), 3);
  v = run(gt, pred, 1, 0, 0);
  /* panopticapi lists them in set order ([5, 77]); we follow segments_info */
  want w3[] = {{E, image, b, "pred.json", "segment is in the JSON but not in the PNG"},
               {E, image, a, "pred.json", "segment is in the JSON but not in the PNG"}};
  expect(v, w3, 2);
  p2c_validation_free(v);
  p2c_dataset_free(pred);

  pred = PRED("missing_image");
  m = golden_message(golden, "err_missing_image");
  ck_assert_int_eq(sscanf(m, "no prediction for the image with id: %lld", &image), 1);
  v = run(gt, pred, 1, 0, 0);
  want w4[] = {{E, image, -1, "pred.json", "no prediction for this image"}};
  expect(v, w4, 1);
  p2c_validation_free(v);
  p2c_dataset_free(pred);

  /* panopticapi stops at the first; both are reported */
  pred = PRED("two_errors");
  m = golden_message(golden, "err_two_errors");
  ck_assert_int_eq(sscanf(m, "In the image with ID %lld segment with ID %lld is presented in PNG", &image, &segment), 2);
  v = run(gt, pred, 1, 0, 0);
  want w5[] = {{E, image, 16757838, "pred.json", "category_id 9999 is not a ground-truth category"},
               {E, image, segment, "000000142238.png", "id is in the PNG (3528 pixels) but not in the JSON"}};
  expect(v, w5, 2);
  p2c_validation_free(v);
  p2c_dataset_free(pred);

  /* a folder that does not exist */
  char missing_dir[1024];
  snprintf(missing_dir, sizeof missing_dir, "%s", p2ct_parity("panoptic/panopticapi_sample/inputs/does_not_exist"));
  pred = p2ct_load_dataset(p2ct_parity("panoptic/panopticapi_sample/inputs/pred_perturbed/pred.json"), P2C_DATASET_PRED,
                           missing_dir);
  v = run(gt, pred, 1, 0, 0);
  want w6[] = {{E, -1, -1, "does_not_exist", "folder with the predicted PNGs does not exist"}};
  expect(v, w6, 1);
  p2c_validation_free(v);
  p2c_dataset_free(pred);

  /* the perturbed prediction is valid for PQ, but has no captions */
  pred = p2ct_load_dataset(p2ct_parity("panoptic/panopticapi_sample/inputs/pred_perturbed/pred.json"), P2C_DATASET_PRED, NULL);
  v = run(gt, pred, 1, 0, 0);
  ck_assert_uint_eq(p2c_validation_count(v), 0);
  p2c_validation_free(v);
  v = run(gt, pred, 1, 1, 0);
  ck_assert_uint_eq(p2c_validation_count(v), 50 + 46); /* every description and caption */
  ck_assert_uint_eq(p2c_validation_num_errors(v), 96);
  p2c_validation_free(v);
  v = run(gt, pred, 1, 1, 10);
  ck_assert_uint_eq(p2c_validation_count(v), 10);
  ck_assert_int_eq(p2c_validation_truncated(v), 1);
  p2c_validation_free(v);
  p2c_dataset_free(pred);
#undef PRED
  cJSON_Delete(golden);
  p2c_dataset_free(gt);
}
END_TEST

static void pix2cap_case(const char *name, const want *w, size_t n)
{
  char gt_path[1024], rel[256];
  snprintf(rel, sizeof rel, "panoptic/errors_pix2cap/inputs/%s/gt.json", name);
  snprintf(gt_path, sizeof gt_path, "%s", p2ct_parity(rel));
  snprintf(rel, sizeof rel, "panoptic/errors_pix2cap/inputs/%s/pred.json", name);
  const char *pred_path = p2ct_parity(rel);
  p2c_dataset *gt = p2ct_load_dataset(gt_path, P2C_DATASET_GT, NULL);
  p2c_dataset *pred = p2ct_load_dataset(pred_path, P2C_DATASET_PRED, NULL);
  p2c_validation *v = run(gt, pred, 1, 1, 0);
  expect(v, w, n);
  p2c_validation_free(v);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
}

START_TEST(pix2cap_error_cases)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("pix2cap_error_cases");
    return;
  }
  /* Every case holds a list-valued caption at image 100111 (skipped by the
   * official scripts: a warning). The errors are what errors.json shows the
   * scripts raising on. */
  const want list = {W, 100111, 6316397, "pred.json", "'caption' is not a string; the official scripts skip"};
  want caption_none[] = {{E, 100037, 8578653, "pred.json", "'caption' is null"}, list};
  pix2cap_case("caption_none", caption_none, 2);
  want caption_missing[] = {{E, 100037, 8578653, "pred.json", "'caption' is missing"}, list};
  pix2cap_case("caption_key_missing", caption_missing, 2);
  want description[] = {list, {E, 100148, 10518793, "gt.json", "'description' is missing"}};
  pix2cap_case("description_key_missing", description, 2);
  want missing[] = {{E, 100111, -1, "pred.json", "no prediction for this image"}};
  pix2cap_case("missing_image", missing, 1);
  want unknown[] = {{E, 100037, 8578653, "pred.json", "category_id 999 is not a ground-truth category"}, list};
  pix2cap_case("unknown_pred_category", unknown, 2);
  /* degenerate but valid inputs: the metrics, not validation, handle them */
  pix2cap_case("no_true_positive", &list, 1);
  pix2cap_case("all_pred_void", NULL, 0);
}
END_TEST

START_TEST(parity_sets_are_valid)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("parity_sets_are_valid");
    return;
  }
  static const char *const names[] = {"small", "medium", "chunkdrop", "edge"};
  for (size_t i = 0; i < 4; i++) {
    char gt_path[1024], rel[128];
    snprintf(rel, sizeof rel, "panoptic/%s/inputs/gt.json", names[i]);
    snprintf(gt_path, sizeof gt_path, "%s", p2ct_parity(rel));
    snprintf(rel, sizeof rel, "panoptic/%s/inputs/pred.json", names[i]);
    p2c_dataset *gt = p2ct_load_dataset(gt_path, P2C_DATASET_GT, NULL);
    p2c_dataset *pred = p2ct_load_dataset(p2ct_parity(rel), P2C_DATASET_PRED, NULL);
    p2c_validation *v = run(gt, pred, 1, 1, 0);
    if (!strcmp(names[i], "edge")) {
      /* the edge set's deliberate oddities, which the references accept */
      want w[] = {
          {W, 100148, 11179237, "gt/000000100148.png", "id is in the PNG (200 pixels) but not in the JSON; PQ ignores"},
          {W, 100148, 7048345, "gt.json", "'area' is 300 but the PNG has 100 pixels of this id"},
          {W, 100148, 7224739, "gt.json", "segment is in the JSON but not in the PNG; it counts as a false negative"},
          {W, 100185, 16043502, "gt.json", "category_id 999 is not in categories[]; PQ ignores this category"},
          {W, 100222, 15835742, "pred.json", "'caption' is not a string"},
          {W, 999999, -1, "pred.json", "prediction for an image that is not in the ground truth; it is ignored"},
      };
      expect(v, w, 6);
    } else if (!strcmp(names[i], "chunkdrop")) {
      want w[] = {{W, 100111, 6316397, "pred.json", "'caption' is not a string"}};
      expect(v, w, 1);
    } else {
      expect(v, NULL, 0);
    }
    p2c_validation_free(v);
    p2c_dataset_free(gt);
    p2c_dataset_free(pred);
  }
}
END_TEST

/* ---- a hand-made data set with one of every problem ----------------------- */

static void build_broken_set(void)
{
  p2ct_tmp_mkdir("gt");
  p2ct_tmp_mkdir("pred");
  p2ct_tmp_write("gt.json",
                 "{\"categories\": [{\"id\": 1, \"isthing\": 1}, {\"id\": 2, \"isthing\": 0}],"
                 " \"images\": [{\"id\": 1, \"width\": 4, \"height\": 3}, {\"id\": 2, \"width\": 4, \"height\": 3},"
                 "              {\"id\": 3, \"width\": 4, \"height\": 3}],"
                 " \"annotations\": ["
                 "  {\"image_id\": 1, \"file_name\": \"1.png\", \"segments_info\": ["
                 "    {\"id\": 10, \"category_id\": 1, \"iscrowd\": 0, \"area\": 6, \"description\": \"a b\"},"
                 "    {\"id\": 20, \"category_id\": 2, \"iscrowd\": 0, \"area\": 7, \"description\": \"c\"}]},"
                 "  {\"image_id\": 2, \"file_name\": \"2.png\", \"segments_info\": ["
                 "    {\"id\": 30, \"category_id\": 2, \"iscrowd\": 0, \"area\": 12, \"description\": \"d e f\"},"
                 "    {\"id\": 31, \"category_id\": 1, \"iscrowd\": 1, \"area\": 0, \"description\": \"g\"}]}]}");
  p2ct_tmp_write("pred.json",
                 "{\"annotations\": ["
                 "  {\"image_id\": 4, \"file_name\": \"4.png\", \"segments_info\": []},"
                 "  {\"image_id\": 1, \"file_name\": \"1.png\", \"segments_info\": ["
                 "    {\"id\": 11, \"category_id\": 1, \"caption\": \"a b\"},"
                 "    {\"id\": 21, \"category_id\": 2, \"caption\": null},"
                 "    {\"id\": 22, \"category_id\": 7}]},"
                 "  {\"image_id\": 2, \"file_name\": \"2.png\", \"segments_info\": ["
                 "    {\"id\": 30, \"category_id\": 2, \"caption\": [\"d\"]}]}]}");
  uint32_t g1[12] = {10, 10, 20, 20, 10, 10, 20, 20, 10, 10, 20, 20};
  uint32_t g2[12] = {30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30};
  uint32_t p1[12] = {11, 11, 21, 21, 11, 11, 21, 21, 11, 11, 21, 99};
  uint32_t p2[15] = {30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30};
  p2ct_tmp_write_ids("gt/1.png", g1, 4, 3);
  p2ct_tmp_write_ids("gt/2.png", g2, 4, 3);
  p2ct_tmp_write_ids("pred/1.png", p1, 4, 3);
  p2ct_tmp_write_ids("pred/2.png", p2, 5, 3);
}

START_TEST(every_problem_once)
{
  p2ct_tmpdir_make();
  build_broken_set();
  char gt_path[512], pred_path[512];
  snprintf(gt_path, sizeof gt_path, "%s/gt.json", p2ct_tmpdir);
  snprintf(pred_path, sizeof pred_path, "%s/pred.json", p2ct_tmpdir);
  p2c_dataset *gt = p2ct_load_dataset(gt_path, P2C_DATASET_GT, NULL);
  p2c_dataset *pred = p2ct_load_dataset(pred_path, P2C_DATASET_PRED, NULL);
  p2c_validation *v = run(gt, pred, 1, 1, 0);
  want all[] = {
      {E, 1, 21, "pred.json", "'caption' is null"},
      {E, 1, 22, "pred.json", "category_id 7 is not a ground-truth category"},
      {E, 1, 22, "pred.json", "'caption' is missing"},
      {W, 1, 20, "gt.json", "'area' is 7 but the PNG has 6 pixels of this id"},
      {E, 1, 99, "pred/1.png", "id is in the PNG (1 pixels) but not in the JSON"},
      {E, 1, 22, "pred.json", "segment is in the JSON but not in the PNG"},
      {W, 2, 30, "pred.json", "'caption' is not a string"},
      {E, 2, -1, "pred/2.png", "PNG is 5x3 but the ground truth is 4x3"},
      {W, 2, 31, "gt.json", "segment is in the JSON but not in the PNG; it counts as a false negative"},
      {W, 3, -1, "gt.json", "image is in images[] but not in annotations[]; the evaluation skips it"},
      {W, 4, -1, "pred.json", "prediction for an image that is not in the ground truth"},
  };
  expect(v, all, sizeof all / sizeof all[0]);
  p2c_problem p;
  ck_assert_int_eq(p2c_validation_problem(v, 7, &p), P2C_OK);
  ck_assert_int_eq(p.code, P2C_ERR_MISMATCH);
  ck_assert_int_eq(p2c_validation_problem(v, 11, &p), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_validation_truncated(v), 0);
  p2c_validation_free(v);

  /* JSON only */
  v = run(gt, pred, 0, 1, 0);
  want json_only[] = {all[0], all[1], all[2], all[6], all[9], all[10]};
  expect(v, json_only, 6);
  p2c_validation_free(v);
  /* no captions needed */
  v = run(gt, pred, 0, 0, 0);
  want no_captions[] = {all[1], all[9], all[10]};
  expect(v, no_captions, 3);
  p2c_validation_free(v);
  /* a cap on the number of problems */
  v = run(gt, pred, 1, 1, 4);
  expect(v, all, 4);
  ck_assert_int_eq(p2c_validation_truncated(v), 1);
  p2c_validation_free(v);

  /* unreadable PNGs: a missing file, a corrupt one; images[] disagreeing with
   * the GT PNG */
  char path[600];
  snprintf(path, sizeof path, "%s/pred/1.png", p2ct_tmpdir);
  remove(path);
  snprintf(path, sizeof path, "%s/gt/2.png", p2ct_tmpdir);
  p2ct_write_text(path, "not a png");
  uint32_t g1[15] = {10, 10, 20, 20, 20, 10, 10, 20, 20, 20, 10, 10, 20, 20, 20};
  p2ct_tmp_write_ids("gt/1.png", g1, 5, 3);
  v = run(gt, pred, 1, 0, 0);
  want io[] = {
      all[1],
      {E, 1, -1, "pred/1.png", "cannot open: No such file or directory"},
      {W, 1, -1, "gt/1.png", "PNG is 5x3 but images[] says 4x3"},
      {W, 1, 20, "gt.json", "'area' is 7 but the PNG has 9 pixels of this id"},
      {E, 2, -1, "gt/2.png", "not a valid PNG"},
      {E, 2, -1, "pred/2.png", "PNG is 5x3 but the ground truth is 4x3"}, /* images[] size */
      all[9],
      all[10],
  };
  expect(v, io, sizeof io / sizeof io[0]);
  p2c_validation_free(v);
  p2c_dataset_free(pred);

  /* both folders missing */
  pred = p2ct_load_dataset(pred_path, P2C_DATASET_PRED, "/nonexistent/pred");
  p2c_dataset *gt2 = p2ct_load_dataset(gt_path, P2C_DATASET_GT, "/nonexistent/gt");
  v = run(gt2, pred, 1, 0, 0);
  want folders[] = {{E, -1, -1, "/nonexistent/gt", "folder with the ground-truth PNGs does not exist"},
                    {E, -1, -1, "/nonexistent/pred", "folder with the predicted PNGs does not exist"},
                    all[1], all[9], all[10]};
  expect(v, folders, 5);
  p2c_validation_free(v);

  /* arguments */
  p2c_error e;
  ck_assert_int_eq(p2c_validate(pred, gt, NULL, &v, &e), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_null(v);
  ck_assert_int_eq(p2c_validate(gt, NULL, NULL, &v, &e), P2C_ERR_INVALID_ARG);
  p2c_validation_free(NULL);
  ck_assert_uint_eq(p2c_validation_count(NULL), 0);
  p2c_dataset_free(gt2);
  p2c_dataset_free(pred);
  p2c_dataset_free(gt);
  p2ct_tmpdir_remove();
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("validate");
  TCase *tc = tcase_create("validate");
  tcase_set_timeout(tc, 300); /* sanitizer builds on a loaded machine */
  tcase_add_test(tc, panopticapi_error_cases);
  tcase_add_test(tc, pix2cap_error_cases);
  tcase_add_test(tc, parity_sets_are_valid);
  tcase_add_test(tc, every_problem_once);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
