/* The dataset loader: every parity input set, and a catalogue of broken JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "io/dataset.h"
#include "p2ceval.h"
#include "testutil.h"

/* Counts of one parity input set, read from the files with Python's json. */
typedef struct set_counts {
  const char *rel;
  int kind;
  size_t cats, images, segments;
} set_counts;

static const set_counts sets[] = {
    {"panoptic/small/inputs/gt.json", P2C_DATASET_GT, 10, 5, 23},
    {"panoptic/small/inputs/pred.json", P2C_DATASET_PRED, 10, 5, 25},
    {"panoptic/medium/inputs/gt.json", P2C_DATASET_GT, 10, 50, 418},
    {"panoptic/medium/inputs/pred.json", P2C_DATASET_PRED, 10, 50, 417},
    {"panoptic/edge/inputs/gt.json", P2C_DATASET_GT, 10, 15, 55},
    {"panoptic/edge/inputs/pred.json", P2C_DATASET_PRED, 10, 16, 61},
    {"panoptic/chunkdrop/inputs/gt.json", P2C_DATASET_GT, 10, 4, 8},
    {"panoptic/chunkdrop/inputs/pred.json", P2C_DATASET_PRED, 10, 4, 6},
    {"panoptic/panopticapi_sample/inputs/gt/panoptic_examples.json", P2C_DATASET_GT, 133, 2, 50},
    {"panoptic/panopticapi_sample/inputs/pred_perturbed/pred.json", P2C_DATASET_PRED, 133, 2, 46},
    {"panoptic/panopticapi_sample/inputs/pred_err_two_errors/pred.json", P2C_DATASET_PRED, 133, 2, 49},
    {"panoptic/panopticapi_sample/inputs/pred_err_unknown_category/pred.json", P2C_DATASET_PRED, 133, 2, 50},
    {"panoptic/panopticapi_sample/inputs/pred_err_png_not_json/pred.json", P2C_DATASET_PRED, 133, 2, 49},
    {"panoptic/panopticapi_sample/inputs/pred_err_missing_image/pred.json", P2C_DATASET_PRED, 133, 2, 18},
    {"panoptic/panopticapi_sample/inputs/pred_err_json_not_png/pred.json", P2C_DATASET_PRED, 133, 2, 52},
};

START_TEST(parity_sets_load_with_their_counts)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("parity_sets_load_with_their_counts");
    return;
  }
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
    p2c_dataset *ds = p2ct_load_dataset(p2ct_parity(sets[i].rel), sets[i].kind, NULL);
    ck_assert_uint_eq(p2c_dataset_num_categories(ds), sets[i].cats);
    ck_assert_uint_eq(p2c_dataset_num_images(ds), sets[i].images);
    ck_assert_uint_eq(p2c_dataset_num_segments(ds), sets[i].segments);
    size_t sum = 0;
    for (size_t k = 0; k < p2c_dataset_num_images(ds); k++) {
      p2c_image_info im;
      ck_assert_int_eq(p2c_dataset_image(ds, k, &im), P2C_OK);
      sum += im.num_segments;
    }
    ck_assert_uint_eq(sum, sets[i].segments);
    p2c_dataset_free(ds);
  }
  printf("loaded %zu parity JSON files with their image/segment/category counts\n",
         sizeof sets / sizeof sets[0]);
}
END_TEST

START_TEST(coco_sample_values)
{
  char path[1024];
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("coco_sample_values");
    return;
  }
  snprintf(path, sizeof path, "%s", p2ct_parity("panoptic/panopticapi_sample/inputs/gt/panoptic_examples.json"));
  p2c_dataset *ds = p2ct_load_dataset(path, P2C_DATASET_GT, NULL);
  ck_assert_str_eq(p2c_dataset_png_dir(ds),
                   p2ct_parity("panoptic/panopticapi_sample/inputs/gt/panoptic_examples"));
  ck_assert_str_eq(p2c_dataset_path(ds), path);
  ck_assert_int_eq(p2c_dataset_kind_of(ds), P2C_DATASET_GT);
  p2c_image_info im;
  ck_assert_int_eq(p2c_dataset_image(ds, 0, &im), P2C_OK);
  ck_assert(im.id == 142238);
  ck_assert_str_eq(im.file_name, "000000142238.jpg");
  ck_assert_str_eq(im.png_name, "000000142238.png");
  ck_assert_int_eq(im.width, 640);
  ck_assert_int_eq(im.height, 427);
  ck_assert_uint_eq(im.num_segments, 18);
  p2c_segment_info s;
  ck_assert_int_eq(p2c_dataset_segment(ds, 0, 0, &s), P2C_OK);
  ck_assert(s.id == 3937500 && s.category_id == 1 && s.iscrowd == 0 && s.area == 3528);
  ck_assert(s.bbox[0] == 282 && s.bbox[1] == 207 && s.bbox[2] == 48 && s.bbox[3] == 149);
  ck_assert_int_eq(s.has_bbox, 1);
  ck_assert_int_eq(s.caption_kind, P2C_CAPTION_NONE); /* COCO has no descriptions */
  ck_assert_ptr_null(s.caption);

  size_t idx, seg;
  ck_assert_int_eq(p2c_dataset_find_image(ds, 439180, &idx), P2C_OK);
  ck_assert_uint_eq(idx, 1);
  ck_assert_int_eq(p2c_dataset_find_image(ds, 1, &idx), P2C_ERR_NOT_FOUND);
  ck_assert_int_eq(p2c_dataset_find_segment(ds, 1, 2330219, &seg), P2C_OK);
  ck_assert_int_eq(p2c_dataset_segment(ds, 1, seg, &s), P2C_OK);
  ck_assert(s.id == 2330219 && s.category_id == 184 && s.area == 91045 && s.bbox[3] == 243);
  ck_assert_int_eq(p2c_dataset_find_segment(ds, 1, 3937500 + 1, &seg), P2C_ERR_NOT_FOUND);
  /* the three crowd segments of the sample */
  size_t crowd = 0;
  for (size_t i = 0; i < 2; i++) {
    p2c_dataset_image(ds, i, &im);
    for (size_t k = 0; k < im.num_segments; k++) {
      p2c_dataset_segment(ds, i, k, &s);
      if (s.iscrowd) {
        crowd++;
        ck_assert(s.id == 3153362 || s.id == 5120499 || s.id == 16175517);
      }
      /* find_segment is the inverse of the index */
      ck_assert_int_eq(p2c_dataset_find_segment(ds, i, s.id, &seg), P2C_OK);
      ck_assert_uint_eq(seg, k);
    }
  }
  ck_assert_uint_eq(crowd, 3);

  p2c_category_info c;
  ck_assert_int_eq(p2c_dataset_find_category(ds, 184, &idx), P2C_OK);
  ck_assert_int_eq(p2c_dataset_category(ds, idx, &c), P2C_OK);
  ck_assert_str_eq(c.name, "tree-merged");
  ck_assert_int_eq(c.isthing, 0);
  ck_assert_int_eq(p2c_dataset_category(ds, 0, &c), P2C_OK);
  ck_assert(c.id == 1 && c.isthing == 1);
  ck_assert_str_eq(c.name, "person");
  ck_assert_int_eq(p2c_dataset_category(ds, 132, &c), P2C_OK);
  ck_assert(c.id == 200);
  ck_assert_int_eq(p2c_dataset_category(ds, 133, &c), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_dataset_image(ds, 2, &im), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_dataset_segment(ds, 0, 18, &s), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_dataset_find_category(ds, 12, &idx), P2C_ERR_NOT_FOUND);
  p2c_dataset_free(ds);
}
END_TEST

START_TEST(pix2cap_values_and_caption_kinds)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("pix2cap_values_and_caption_kinds");
    return;
  }
  p2c_dataset *gt = p2ct_load_dataset(p2ct_parity("panoptic/small/inputs/gt.json"), P2C_DATASET_GT, NULL);
  p2c_segment_info s;
  p2c_image_info im;
  ck_assert_int_eq(p2c_dataset_segment(gt, 0, 0, &s), P2C_OK);
  ck_assert(s.id == 4583021 && s.category_id == 187 && s.area == 3117 && s.bbox[3] == 35);
  ck_assert_int_eq(s.caption_kind, P2C_CAPTION_STRING);
  ck_assert_str_eq(s.caption, "the sky");
  ck_assert_int_eq(s.has_score, 0);
  ck_assert_int_eq(p2c_dataset_image(gt, 2, &im), P2C_OK);
  ck_assert(im.id == 100111 && im.width == 128 && im.height == 96);
  ck_assert_int_eq(p2c_dataset_segment(gt, 2, im.num_segments - 1, &s), P2C_OK);
  ck_assert(s.id == 12106782 && s.area == 164 && s.bbox[0] == 79);
  ck_assert_str_eq(s.caption, "a orange big car in front of a building");
  p2c_dataset_free(gt);

  p2c_dataset *pred = p2ct_load_dataset(p2ct_parity("panoptic/small/inputs/pred.json"), P2C_DATASET_PRED, NULL);
  ck_assert_str_eq(p2c_dataset_png_dir(pred), p2ct_parity("panoptic/small/inputs/pred"));
  ck_assert_int_eq(p2c_dataset_image(pred, 0, &im), P2C_OK);
  ck_assert(im.id == 100037 && im.width == 0 && im.height == 0); /* no images[] */
  ck_assert_str_eq(im.file_name, "");
  ck_assert_int_eq(p2c_dataset_segment(pred, 0, 0, &s), P2C_OK);
  ck_assert_str_eq(s.caption, "the green cup");
  ck_assert_int_eq(p2c_dataset_image(pred, 3, &im), P2C_OK);
  ck_assert_int_eq(p2c_dataset_segment(pred, 3, im.num_segments - 1, &s), P2C_OK);
  ck_assert(s.id == 626771 && s.area == 223);
  ck_assert_str_eq(s.caption, "a road standing near the water");
  p2c_dataset_free(pred);

  /* edge: a list-valued caption, and a prediction for an image not in the GT
   * (appended after images[], here in annotations[] order) */
  pred = p2ct_load_dataset(p2ct_parity("panoptic/edge/inputs/pred.json"), P2C_DATASET_PRED, NULL);
  size_t idx, seg;
  ck_assert_int_eq(p2c_dataset_image(pred, 0, &im), P2C_OK);
  ck_assert(im.id == 100555);
  ck_assert_int_eq(p2c_dataset_image(pred, 15, &im), P2C_OK);
  ck_assert(im.id == 999999);
  ck_assert_uint_eq(pred->num_annotations, 16); /* masks' PQ walks annotations[] order */
  ck_assert_int_eq(p2c_dataset_find_image(pred, 100222, &idx), P2C_OK);
  ck_assert_int_eq(p2c_dataset_find_segment(pred, idx, 15835742, &seg), P2C_OK);
  ck_assert_int_eq(p2c_dataset_segment(pred, idx, seg, &s), P2C_OK);
  ck_assert_int_eq(s.caption_kind, P2C_CAPTION_OTHER);
  ck_assert_ptr_null(s.caption);
  /* kept for the mAP protocol, which scores each string of a list */
  const char *first;
  size_t n;
  ck_assert_int_eq(p2ci_dataset_caption_list(pred, idx, seg, &first, &n), P2C_OK);
  ck_assert_uint_eq(n, 2);
  ck_assert_str_eq(first, "a boy holding a ball");
  ck_assert_str_eq(first + strlen(first) + 1, "a child with a red ball");
  ck_assert_int_eq(p2ci_dataset_caption_list(pred, idx, seg == 0, &first, &n), P2C_ERR_NOT_FOUND);
  p2c_dataset_free(pred);

  /* errors_pix2cap: null and absent captions, absent description */
  static const struct {
    const char *rel;
    int kind;
    int64_t image, segment;
    int caption_kind;
  } cases[] = {
      {"panoptic/errors_pix2cap/inputs/caption_none/pred.json", P2C_DATASET_PRED, 100037, 8578653, P2C_CAPTION_NONE},
      {"panoptic/errors_pix2cap/inputs/caption_none/pred.json", P2C_DATASET_PRED, 100111, 6316397, P2C_CAPTION_OTHER},
      {"panoptic/errors_pix2cap/inputs/caption_key_missing/pred.json", P2C_DATASET_PRED, 100037, 8578653, P2C_CAPTION_NONE},
      {"panoptic/errors_pix2cap/inputs/description_key_missing/gt.json", P2C_DATASET_GT, 100148, 10518793, P2C_CAPTION_NONE},
      {"panoptic/errors_pix2cap/inputs/unknown_pred_category/pred.json", P2C_DATASET_PRED, 100037, 8578653, P2C_CAPTION_STRING},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    p2c_dataset *ds = p2ct_load_dataset(p2ct_parity(cases[i].rel), cases[i].kind, NULL);
    ck_assert_uint_eq(p2c_dataset_num_images(ds), 4);
    ck_assert_int_eq(p2c_dataset_find_image(ds, cases[i].image, &idx), P2C_OK);
    ck_assert_int_eq(p2c_dataset_find_segment(ds, idx, cases[i].segment, &seg), P2C_OK);
    ck_assert_int_eq(p2c_dataset_segment(ds, idx, seg, &s), P2C_OK);
    ck_assert_int_eq(s.caption_kind, cases[i].caption_kind);
    p2c_dataset_free(ds);
  }
  /* every errors_pix2cap input loads (the problems are for validation) */
  static const char *const names[] = {"all_pred_void", "caption_key_missing", "caption_none",
                                      "description_key_missing", "missing_image", "no_true_positive",
                                      "unknown_pred_category"};
  char rel[256];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(rel, sizeof rel, "panoptic/errors_pix2cap/inputs/%s/gt.json", names[i]);
    p2c_dataset *g = p2ct_load_dataset(p2ct_parity(rel), P2C_DATASET_GT, NULL);
    snprintf(rel, sizeof rel, "panoptic/errors_pix2cap/inputs/%s/pred.json", names[i]);
    p2c_dataset *p = p2ct_load_dataset(p2ct_parity(rel), P2C_DATASET_PRED, NULL);
    ck_assert_uint_eq(p2c_dataset_num_images(g), 4);
    ck_assert_uint_eq(p2c_dataset_num_images(p), strcmp(names[i], "missing_image") ? 4 : 3);
    p2c_dataset_free(g);
    p2c_dataset_free(p);
  }
}
END_TEST

START_TEST(gzip_and_default_folders)
{
  p2ct_tmpdir_make();
  static const char json[] =
      "{\"categories\": [{\"id\": 1, \"name\": \"a\", \"isthing\": 1}],"
      " \"annotations\": [{\"image_id\": 5, \"file_name\": \"5.png\", \"segments_info\":"
      " [{\"id\": 7, \"category_id\": 1, \"iscrowd\": 0, \"area\": 3, \"description\": \"x y\"}]}]}";
  char path[512];
  snprintf(path, sizeof path, "%s/gt.json.gz", p2ct_tmpdir);
  gzFile gz = gzopen(path, "wb");
  ck_assert_ptr_nonnull(gz);
  ck_assert_int_eq(gzwrite(gz, json, (unsigned)strlen(json)), (int)strlen(json));
  gzclose(gz);
  p2c_dataset *ds = p2ct_load_dataset(path, P2C_DATASET_GT, NULL);
  char want[512];
  snprintf(want, sizeof want, "%s/gt", p2ct_tmpdir);
  ck_assert_str_eq(p2c_dataset_png_dir(ds), want);
  ck_assert_uint_eq(p2c_dataset_num_segments(ds), 1);
  p2c_segment_info s;
  ck_assert_int_eq(p2c_dataset_segment(ds, 0, 0, &s), P2C_OK);
  ck_assert_str_eq(s.caption, "x y");
  p2c_dataset_free(ds);

  /* explicit folder; a name without .json keeps its name (as panopticapi) */
  const char *plain = p2ct_tmp_write("data.txt", json);
  p2c_load_options o = P2C_LOAD_OPTIONS_INIT;
  p2c_error e;
  ck_assert_int_eq(p2c_dataset_load(plain, &o, &ds, &e), P2C_OK);
  ck_assert_str_eq(p2c_dataset_png_dir(ds), plain);
  p2c_dataset_free(ds);
  o.png_dir = "/some/where";
  ck_assert_int_eq(p2c_dataset_load(plain, &o, &ds, &e), P2C_OK);
  ck_assert_str_eq(p2c_dataset_png_dir(ds), "/some/where");
  p2c_dataset_free(ds);

  /* a corrupt .json.gz */
  snprintf(path, sizeof path, "%s/bad.json.gz", p2ct_tmpdir);
  p2ct_write_file(path, "\x1f\x8b\x08\x00garbage", 11);
  ck_assert_int_eq(p2c_dataset_load(path, NULL, &ds, &e), P2C_ERR_PARSE);
  ck_assert_ptr_null(ds);
  ck_assert_ptr_nonnull(strstr(e.message, "corrupt or truncated gzip data"));
  p2ct_tmpdir_remove();
}
END_TEST

/* The catalogue of broken inputs: the JSON, how it is loaded, the status and
 * a piece of the message. */
#define CAT "\"categories\": [{\"id\": 1, \"isthing\": 1}]"
#define SEG(x) "{\"image_id\": 7, \"file_name\": \"7.png\", \"segments_info\": [" x "]}"
#define GTSEG "\"id\": 3, \"category_id\": 1, \"iscrowd\": 0, \"area\": 4"
typedef struct bad_case {
  const char *json;
  int kind;
  int code;
  const char *message;
} bad_case;

static const bad_case bad[] = {
    {"", P2C_DATASET_GT, P2C_ERR_PARSE, "empty file, expected JSON"},
    {"  \n ", P2C_DATASET_GT, P2C_ERR_PARSE, "empty file, expected JSON"},
    {"{\"a\": 1,\n \"b\": }", P2C_DATASET_GT, P2C_ERR_PARSE, "invalid JSON at line 2, column 7"},
    {"{\"annotations\": [", P2C_DATASET_GT, P2C_ERR_PARSE, "invalid JSON at line 1"},
    {"{\"annotations\": [" SEG("{\"id\": 3, \"category_id\": 1, \"score\": NaN}") "]}", P2C_DATASET_PRED,
     P2C_ERR_PARSE, "invalid JSON at line 1, column 111: NaN and Infinity are not JSON numbers"},
    {"{\"annotations\": [" SEG("{\"id\": 3, \"category_id\": 1, \"score\": -Infinity}") "]}", P2C_DATASET_PRED,
     P2C_ERR_PARSE, "NaN and Infinity are not JSON numbers"},
    {"{\"annotations\": [" SEG("{\"id\": 03, \"category_id\": 1}") "]}", P2C_DATASET_PRED, P2C_ERR_PARSE,
     "bad number (leading zero)"},
    {"{\"annotations\": [" SEG("{\"id\": 3, \"category_id\": 1.}") "]}", P2C_DATASET_PRED, P2C_ERR_PARSE,
     "bad number"},
    {"{\"annotations\": [], }", P2C_DATASET_PRED, P2C_ERR_PARSE, "trailing comma"},
    {"{\"x\": [1, 2,], \"annotations\": []}", P2C_DATASET_PRED, P2C_ERR_PARSE, "trailing comma"},
    {"{\"annotations\": [] \"x\": 1}", P2C_DATASET_PRED, P2C_ERR_PARSE, "expected ',' or '}'"},
    {"{\"x\": [1 2], \"annotations\": []}", P2C_DATASET_PRED, P2C_ERR_PARSE, "expected ',' or ']'"},
    {"{'annotations': []}", P2C_DATASET_PRED, P2C_ERR_PARSE, "line 1, column 2: expected a key (a string)"},
    {"{\"annotations\" []}", P2C_DATASET_PRED, P2C_ERR_PARSE, "expected ':'"},
    {"{\"annotations\": []} x", P2C_DATASET_PRED, P2C_ERR_PARSE, "line 1, column 21: unexpected text after the JSON value"},
    {"{\"annotations\": [], \"x\": \"a\tb\"}", P2C_DATASET_PRED, P2C_ERR_PARSE, "control character in a string"},
    {"{\"annotations\": [], \"x\": \"a\\qb\"}", P2C_DATASET_PRED, P2C_ERR_PARSE, "bad escape in a string"},
    {"{\"annotations\": [], \"x\": \"\\u12G4\"}", P2C_DATASET_PRED, P2C_ERR_PARSE, "bad \\u escape"},
    {"{\"annotations\": [], \"x\": \"abc", P2C_DATASET_PRED, P2C_ERR_PARSE, "unterminated string"},
    {"{\"annotations\": [], \"x\": tru}", P2C_DATASET_PRED, P2C_ERR_PARSE, "expected a value"},
    {"{\"annotations\": [], \"x\": @}", P2C_DATASET_PRED, P2C_ERR_PARSE, "line 1, column 26: expected a value"},
    {"[1, 2]", P2C_DATASET_GT, P2C_ERR_SCHEMA, "expected a JSON object at the top level, got an array"},
    {"{" CAT "}", P2C_DATASET_GT, P2C_ERR_SCHEMA, ": 'annotations' is missing"},
    {"{\"annotations\": []}", P2C_DATASET_GT, P2C_ERR_SCHEMA, ": 'categories' is missing"},
    {"{" CAT ", \"annotations\": {}}", P2C_DATASET_GT, P2C_ERR_SCHEMA, "'annotations' must be an array, got an object"},
    {"{" CAT ", \"images\": 3, \"annotations\": []}", P2C_DATASET_GT, P2C_ERR_SCHEMA, "'images' must be an array, got a number"},
    {"{" CAT ", \"images\": [{\"id\": \"7\"}], \"annotations\": []}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "images[0]: 'id' must be an integer, got a string"},
    {"{" CAT ", \"images\": [{\"id\": 1.5}], \"annotations\": []}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "images[0]: 'id' must be an integer, got 1.5"},
    {"{" CAT ", \"images\": [{\"id\": 9007199254740993}], \"annotations\": []}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "is too large (integers must be below 2^53 to be exact)"},
    {"{" CAT ", \"images\": [{\"id\": 1e999}], \"annotations\": []}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "'id' must be a finite integer"},
    {"{" CAT ", \"images\": [{\"id\": -1}], \"annotations\": []}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "images[0]: 'id' = -1 is out of range [0, 9007199254740991]"},
    {"{" CAT ", \"images\": [{\"id\": 7, \"width\": \"640\"}], \"annotations\": []}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image 7: 'width' must be an integer, got a string"},
    {"{" CAT ", \"images\": [{\"id\": 7}, {\"id\": 7}], \"annotations\": []}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image id 7 appears twice in images[]"},
    {"{" CAT ", \"annotations\": [" SEG("") ", " SEG("") "]}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image 7 has two entries in annotations[] (at 0 and 1)"},
    {"{" CAT ", \"annotations\": [3]}", P2C_DATASET_GT, P2C_ERR_SCHEMA, "annotations[0]: must be an object, got a number"},
    {"{" CAT ", \"annotations\": [{\"file_name\": \"7.png\", \"segments_info\": []}]}", P2C_DATASET_GT,
     P2C_ERR_SCHEMA, "annotations[0]: 'image_id' is missing"},
    {"{" CAT ", \"annotations\": [{\"image_id\": 7, \"segments_info\": []}]}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image 7: 'file_name' is missing"},
    {"{" CAT ", \"annotations\": [{\"image_id\": 7, \"file_name\": 7, \"segments_info\": []}]}", P2C_DATASET_GT,
     P2C_ERR_SCHEMA, "image 7: 'file_name' must be a string, got a number"},
    {"{" CAT ", \"annotations\": [{\"image_id\": 7, \"file_name\": \"7.png\"}]}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image 7: 'segments_info' is missing"},
    {"{" CAT ", \"annotations\": [" SEG("[]") "]}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image 7 segments_info[0]: must be an object, got an array"},
    {"{" CAT ", \"annotations\": [" SEG("{\"category_id\": 1}") "]}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image 7 segments_info[0]: 'id' is missing"},
    {"{" CAT ", \"annotations\": [" SEG("{\"id\": 0, \"category_id\": 1}") "]}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image 7 segments_info[0]: 'id' = 0 is out of range [1, 16777215]"},
    {"{" CAT ", \"annotations\": [" SEG("{\"id\": 16777216, \"category_id\": 1}") "]}", P2C_DATASET_GT,
     P2C_ERR_SCHEMA, "'id' = 16777216 is out of range [1, 16777215]"},
    {"{" CAT ", \"annotations\": [" SEG("{\"id\": 3}") "]}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image 7 segment 3: 'category_id' is missing"},
    {"{" CAT ", \"annotations\": [" SEG("{\"id\": 3, \"category_id\": null}") "]}", P2C_DATASET_PRED,
     P2C_ERR_SCHEMA, "image 7 segment 3: 'category_id' must be an integer, got null"},
    {"{" CAT ", \"annotations\": [" SEG("{\"id\": 3, \"category_id\": 1, \"area\": 4}") "]}", P2C_DATASET_GT,
     P2C_ERR_SCHEMA, "image 7 segment 3: 'iscrowd' is missing"},
    {"{" CAT ", \"annotations\": [" SEG("{\"id\": 3, \"category_id\": 1, \"iscrowd\": 0}") "]}", P2C_DATASET_GT,
     P2C_ERR_SCHEMA, "image 7 segment 3: 'area' is missing"},
    {"{" CAT ", \"annotations\": [" SEG("{\"id\": 3, \"category_id\": 1, \"iscrowd\": 2, \"area\": 4}") "]}",
     P2C_DATASET_GT, P2C_ERR_SCHEMA, "image 7 segment 3: 'iscrowd' = 2 is out of range [0, 1]"},
    {"{" CAT ", \"annotations\": [" SEG("{\"id\": 3, \"category_id\": 1, \"iscrowd\": 0, \"area\": 4.5}") "]}",
     P2C_DATASET_GT, P2C_ERR_SCHEMA, "image 7 segment 3: 'area' must be an integer, got 4.5"},
    {"{" CAT ", \"annotations\": [" SEG("{" GTSEG ", \"bbox\": [1, 2, 3]}") "]}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image 7 segment 3: 'bbox' must be an array of 4 numbers [x, y, w, h]"},
    {"{" CAT ", \"annotations\": [" SEG("{" GTSEG ", \"bbox\": [1, 2, \"3\", 4]}") "]}", P2C_DATASET_GT,
     P2C_ERR_SCHEMA, "item 2 is a string"},
    {"{" CAT ", \"annotations\": [" SEG("{" GTSEG "}, {" GTSEG "}") "]}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "image 7 segment 3: segment id appears twice in segments_info"},
    {"{\"annotations\": [" SEG("{\"id\": 3, \"category_id\": 1, \"score\": \"0.5\"}") "]}", P2C_DATASET_PRED,
     P2C_ERR_SCHEMA, "image 7 segment 3: 'score' must be a finite number, got a string"},
    {"{\"annotations\": [" SEG("{\"id\": 3, \"category_id\": 1, \"score\": -1e999}") "]}", P2C_DATASET_PRED,
     P2C_ERR_SCHEMA, "'score' must be a finite number, got an infinity"},
    {"{\"categories\": [{\"id\": 1, \"isthing\": 1}, {\"id\": 1, \"isthing\": 0}], \"annotations\": []}",
     P2C_DATASET_GT, P2C_ERR_SCHEMA, "category id 1 appears twice in categories[]"},
    {"{\"categories\": [{\"id\": 1, \"name\": \"a\"}], \"annotations\": []}", P2C_DATASET_GT, P2C_ERR_SCHEMA,
     "category 1: 'isthing' is missing"},
    {"{\"categories\": [{\"id\": 1, \"name\": 3, \"isthing\": 1}], \"annotations\": []}", P2C_DATASET_GT,
     P2C_ERR_SCHEMA, "category 1: 'name' must be a string, got a number"},
    {"{\"categories\": {}, \"annotations\": []}", P2C_DATASET_PRED, P2C_ERR_SCHEMA,
     "'categories' must be an array, got an object"},
};

START_TEST(bad_json_catalogue)
{
  p2ct_tmpdir_make();
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char name[32];
    snprintf(name, sizeof name, "bad%zu.json", i);
    const char *path = p2ct_tmp_write(name, bad[i].json);
    p2c_load_options o = P2C_LOAD_OPTIONS_INIT;
    o.kind = bad[i].kind;
    p2c_dataset *ds = (p2c_dataset *)&o; /* must be reset to NULL */
    p2c_error e;
    int rc = p2c_dataset_load(path, &o, &ds, &e);
    if (rc != bad[i].code || !strstr(e.message, bad[i].message) || strncmp(e.message, path, strlen(path)))
      ck_abort_msg("case %zu (%s): got %d '%s', expected %d '%s'", i, bad[i].json, rc,
                   rc ? e.message : "", bad[i].code, bad[i].message);
    ck_assert_int_eq(e.code, bad[i].code);
    ck_assert_ptr_null(ds);
  }
  printf("%zu broken JSON inputs rejected with their message\n", sizeof bad / sizeof bad[0]);
  p2ct_tmpdir_remove();
}
END_TEST

START_TEST(lenient_where_the_references_are)
{
  p2ct_tmpdir_make();
  /* Predictions: no categories, iscrowd, area or images needed; booleans for
   * iscrowd (Python: True == 1); the last of duplicate keys wins (Python). */
  const char *path = p2ct_tmp_write(
      "pred.json",
      "{\"annotations\": [" SEG("{\"id\": 3, \"id\": 4, \"category_id\": 1, \"iscrowd\": true, \"caption\": "
                                "[\"a\"], \"score\": 0.25, \"extra\": {\"x\": 1}}, {\"id\": 5, \"category_id\": 2, "
                                "\"caption\": null}, {\"id\": 6, \"category_id\": 2, \"caption\": 3}, {\"id\": 7, "
                                "\"category_id\": 2, \"caption\": []}, {\"id\": 8, \"category_id\": 2, \"caption\": "
                                "[\"x\", 1]}") "]}");
  p2c_dataset *ds = p2ct_load_dataset(path, P2C_DATASET_PRED, NULL);
  p2c_segment_info s;
  ck_assert_uint_eq(p2c_dataset_num_categories(ds), 0);
  ck_assert_int_eq(p2c_dataset_segment(ds, 0, 0, &s), P2C_OK);
  ck_assert(s.id == 4 && s.iscrowd == 1 && s.area == -1 && s.has_score && s.score == 0.25);
  ck_assert_int_eq(s.caption_kind, P2C_CAPTION_OTHER);
  ck_assert_int_eq(s.has_bbox, 0);
  ck_assert(s.bbox[0] == 0 && s.bbox[3] == 0);
  ck_assert_int_eq(p2c_dataset_segment(ds, 0, 1, &s), P2C_OK);
  ck_assert_int_eq(s.caption_kind, P2C_CAPTION_NONE);
  ck_assert_int_eq(s.has_score, 0);
  ck_assert_int_eq(p2c_dataset_segment(ds, 0, 2, &s), P2C_OK);
  ck_assert_int_eq(s.caption_kind, P2C_CAPTION_OTHER);
  const char *first;
  size_t n;
  ck_assert_int_eq(p2ci_dataset_caption_list(ds, 0, 0, &first, &n), P2C_OK); /* ["a"] */
  ck_assert_uint_eq(n, 1);
  ck_assert_str_eq(first, "a");
  ck_assert_int_eq(p2ci_dataset_caption_list(ds, 0, 2, &first, &n), P2C_ERR_NOT_FOUND); /* 3 */
  ck_assert_int_eq(p2ci_dataset_caption_list(ds, 0, 3, &first, &n), P2C_OK); /* [] */
  ck_assert_uint_eq(n, 0);
  ck_assert_int_eq(p2ci_dataset_caption_list(ds, 0, 4, &first, &n), P2C_ERR_NOT_FOUND); /* ["x", 1] */
  ck_assert_int_eq(p2ci_dataset_caption_list(ds, 0, 5, &first, &n), P2C_ERR_INVALID_ARG);
  p2c_dataset_free(ds);
  /* A ground truth's 'caption' is not its description; images[] entries
   * without an annotation are kept (png_name NULL). */
  path = p2ct_tmp_write("gt.json", "{" CAT ", \"images\": [{\"id\": 9, \"width\": 4, \"height\": 3}, {\"id\": 7}],"
                                   " \"annotations\": [" SEG("{" GTSEG ", \"caption\": \"c\"}") "]}");
  ds = p2ct_load_dataset(path, P2C_DATASET_GT, NULL);
  p2c_image_info im;
  ck_assert_int_eq(p2c_dataset_image(ds, 0, &im), P2C_OK);
  ck_assert(im.id == 9 && im.width == 4 && im.height == 3 && im.num_segments == 0);
  ck_assert_uint_eq(ds->num_annotations, 1);
  ck_assert_ptr_null(im.png_name);
  p2c_idmap *map = (p2c_idmap *)ds;
  p2c_error e;
  ck_assert_int_eq(p2c_dataset_read_idmap(ds, 0, &map, &e), P2C_ERR_NOT_FOUND);
  ck_assert_ptr_null(map);
  ck_assert_ptr_nonnull(strstr(e.message, "image 9: no entry in annotations[], so no PNG"));
  ck_assert_str_eq(p2c_dataset_last_error(ds), "");
  ck_assert_int_eq(p2c_dataset_read_idmap(ds, 0, &map, NULL), P2C_ERR_NOT_FOUND);
  ck_assert_ptr_nonnull(strstr(p2c_dataset_last_error(ds), "no entry in annotations[]"));
  ck_assert_int_eq(p2c_dataset_segment(ds, 1, 0, &s), P2C_OK);
  ck_assert_int_eq(s.caption_kind, P2C_CAPTION_NONE);
  p2c_dataset_free(ds);
  p2ct_tmpdir_remove();
}
END_TEST

/* The reader does not depend on key order, keeps the last of duplicate keys
 * (Python's json), decodes escapes, and refuses absurd nesting. */
START_TEST(key_order_duplicates_escapes)
{
  p2ct_tmpdir_make();
  const char *path = p2ct_tmp_write(
      "gt.json",
      "{\"annotations\": [{\"segments_info\": [{\"description\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" a\\nb\","
      " \"area\": 4, \"iscrowd\": 0, \"category_id\": 2, \"id\": 3}], \"file_name\": \"7.png\", \"image_id\": 7},"
      " {\"image_id\": 8, \"file_name\": \"8.png\", \"segments_info\": [{\"id\": 1}],"
      "  \"segments_info\": [{\"id\": 5, \"id\": 6, \"category_id\": 1, \"iscrowd\": 1, \"area\": 0,"
      "  \"bbox\": [1, 2, 3, 4], \"bbox\": [5.5, 6, 7, 8e0], \"extra\": {\"deep\": [[{}], []]}}]}],"
      " \"images\": [{\"id\": 8, \"width\": 10, \"height\": 20}],"
      " \"categories\": [{\"id\": 9, \"isthing\": 1}],"
      " \"categories\": [{\"id\": 1, \"isthing\": true, \"name\": \"x\"}, {\"id\": 2, \"isthing\": false}]}");
  p2c_dataset *ds = p2ct_load_dataset(path, P2C_DATASET_GT, NULL);
  ck_assert_uint_eq(p2c_dataset_num_categories(ds), 2);
  ck_assert_uint_eq(p2c_dataset_num_images(ds), 2);
  p2c_image_info im;
  p2c_segment_info s;
  /* images[] first even though it came after annotations[] */
  ck_assert_int_eq(p2c_dataset_image(ds, 0, &im), P2C_OK);
  ck_assert(im.id == 8 && im.width == 10 && im.num_segments == 1);
  ck_assert_str_eq(im.png_name, "8.png");
  ck_assert_int_eq(p2c_dataset_segment(ds, 0, 0, &s), P2C_OK);
  ck_assert(s.id == 6 && s.iscrowd == 1 && s.area == 0 && s.bbox[0] == 5.5 && s.bbox[3] == 8);
  ck_assert_int_eq(p2c_dataset_image(ds, 1, &im), P2C_OK);
  ck_assert(im.id == 7 && im.width == 0);
  ck_assert_int_eq(p2c_dataset_segment(ds, 1, 0, &s), P2C_OK);
  ck_assert(s.id == 3 && s.category_id == 2);
  ck_assert_str_eq(s.caption, "caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" a\nb");
  p2c_category_info c;
  ck_assert_int_eq(p2c_dataset_category(ds, 0, &c), P2C_OK);
  ck_assert(c.id == 1 && c.isthing == 1);
  ck_assert_str_eq(c.name, "x");
  p2c_dataset_free(ds);

  /* 2000 nested arrays in an ignored key */
  static char deep[4200];
  size_t n = 0;
  n += (size_t)snprintf(deep, sizeof deep, "{\"annotations\": [], \"x\": ");
  for (int i = 0; i < 2000; i++) deep[n++] = '[';
  for (int i = 0; i < 2000; i++) deep[n++] = ']';
  deep[n++] = '}';
  deep[n] = 0;
  path = p2ct_tmp_write("deep.json", deep);
  p2c_error e;
  ck_assert_int_eq(p2c_dataset_load(path, NULL, &ds, &e), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(e.message, "nested too deeply"));
  p2ct_tmpdir_remove();
}
END_TEST

START_TEST(arguments_and_files)
{
  p2c_dataset *ds = NULL;
  p2c_error e;
  ck_assert_int_eq(p2c_dataset_load(NULL, NULL, &ds, &e), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_dataset_load("x.json", NULL, NULL, &e), P2C_ERR_INVALID_ARG);
  p2c_load_options o = P2C_LOAD_OPTIONS_INIT;
  o.kind = 5;
  ck_assert_int_eq(p2c_dataset_load("x.json", &o, &ds, &e), P2C_ERR_INVALID_ARG);
  o.kind = P2C_DATASET_GT;
  o.version = 99;
  ck_assert_int_eq(p2c_dataset_load("x.json", &o, &ds, &e), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_dataset_load("/nonexistent/gt.json", NULL, &ds, &e), P2C_ERR_IO);
  ck_assert_str_eq(e.message, "/nonexistent/gt.json: cannot open: No such file or directory");
  ck_assert_int_eq(p2c_dataset_load("/tmp", NULL, &ds, &e), P2C_ERR_IO);
  ck_assert_str_eq(e.message, "/tmp: is a directory, expected a file");
  p2ct_tmpdir_make();
  const char *path = p2ct_tmp_write("big.json", "{\"annotations\": [], \"categories\": []}");
  o.version = P2C_LOAD_OPTIONS_VERSION;
  o.max_json_bytes = 10;
  ck_assert_int_eq(p2c_dataset_load(path, &o, &ds, &e), P2C_ERR_LIMIT);
  ck_assert_ptr_nonnull(strstr(e.message, "larger than the limit of 10 bytes"));
  p2ct_tmpdir_remove();
  p2c_dataset_free(NULL);
  ck_assert_uint_eq(p2c_dataset_num_images(NULL), 0);
  ck_assert_str_eq(p2c_dataset_last_error(NULL), "");
}
END_TEST

/* p2c_dataset_load_pair: the same datasets with 1 or 2 threads; the ground
 * truth's error first, as when loading one after the other. */
START_TEST(load_pair)
{
  char gp[1024], pp[1024];
  snprintf(gp, sizeof gp, "%s", p2ct_fixture("synth/gt.json"));
  snprintf(pp, sizeof pp, "%s", p2ct_fixture("synth/pred.json"));
  p2c_load_options po = P2C_LOAD_OPTIONS_INIT;
  po.kind = P2C_DATASET_PRED;
  p2c_error e;
  for (int threads = 1; threads <= 2; threads++) {
    p2c_dataset *gt = NULL, *pred = NULL, *g1 = NULL, *p1 = NULL;
    ck_assert_int_eq(p2c_dataset_load_pair(gp, NULL, pp, &po, threads, &gt, &pred, &e), P2C_OK);
    ck_assert_int_eq(p2c_dataset_load(gp, NULL, &g1, &e), P2C_OK);
    ck_assert_int_eq(p2c_dataset_load(pp, &po, &p1, &e), P2C_OK);
    ck_assert_uint_eq(p2c_dataset_num_images(gt), p2c_dataset_num_images(g1));
    ck_assert_uint_eq(p2c_dataset_num_images(pred), p2c_dataset_num_images(p1));
    ck_assert_str_eq(p2c_dataset_png_dir(pred), p2c_dataset_png_dir(p1));
    p2c_dataset_free(gt), p2c_dataset_free(pred), p2c_dataset_free(g1), p2c_dataset_free(p1);
    ck_assert_int_eq(p2c_dataset_load_pair("/nonexistent/g.json", NULL, "/nonexistent/p.json", &po, threads,
                                           &gt, &pred, &e),
                     P2C_ERR_IO);
    ck_assert_str_eq(e.message, "/nonexistent/g.json: cannot open: No such file or directory");
    ck_assert_ptr_null(gt);
    ck_assert_ptr_null(pred);
    ck_assert_int_eq(p2c_dataset_load_pair(gp, NULL, "/nonexistent/p.json", &po, threads, &gt, &pred, &e),
                     P2C_ERR_IO);
    ck_assert_str_eq(e.message, "/nonexistent/p.json: cannot open: No such file or directory");
    ck_assert_ptr_null(gt);
    ck_assert_ptr_null(pred);
  }
  ck_assert_int_eq(p2c_dataset_load_pair(gp, NULL, pp, &po, 2, NULL, NULL, &e), P2C_ERR_INVALID_ARG);
}
END_TEST

/* Deterministic mutation fuzzing of a small prediction JSON: every outcome is
 * a dataset or a clean error naming the file. */
START_TEST(mutated_json_never_crashes)
{
  p2ct_tmpdir_make();
  static const char base[] =
      "{\"categories\": [{\"id\": 1, \"name\": \"a\", \"isthing\": 1}], \"images\": [{\"id\": 7, "
      "\"width\": 4, \"height\": 3}], \"annotations\": [{\"image_id\": 7, \"file_name\": \"7.png\", "
      "\"segments_info\": [{\"id\": 3, \"category_id\": 1, \"iscrowd\": 0, \"area\": 4, \"bbox\": [0, 1, "
      "2, 3], \"caption\": \"a b\", \"score\": 0.5}, {\"id\": 9, \"category_id\": 1, \"caption\": "
      "null}]}]}";
  static const char alphabet[] = "{}[]\":,0123456789.-eE truefalsnl\\";
  char buf[sizeof base + 8];
  uint32_t x = 88172645u;
  size_t ok = 0, rejected = 0;
  for (int round = 0; round < 3000; round++) {
    memcpy(buf, base, sizeof base);
    size_t n = sizeof base - 1;
    int edits = 1 + round % 3;
    for (int k = 0; k < edits; k++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      size_t at = x % n;
      if ((x >> 28) == 0) n = at;
      else buf[at] = alphabet[(x >> 8) % (sizeof alphabet - 1)];
    }
    buf[n] = 0;
    const char *path = p2ct_tmp_write("mutant.json", buf);
    for (int kind = P2C_DATASET_GT; kind <= P2C_DATASET_PRED; kind++) {
      p2c_load_options o = P2C_LOAD_OPTIONS_INIT;
      o.kind = kind;
      p2c_dataset *ds = NULL;
      p2c_error e;
      int rc = p2c_dataset_load(path, &o, &ds, &e);
      if (rc == P2C_OK) {
        for (size_t i = 0; i < p2c_dataset_num_images(ds); i++) {
          p2c_image_info im;
          ck_assert_int_eq(p2c_dataset_image(ds, i, &im), P2C_OK);
          for (size_t k = 0; k < im.num_segments; k++) {
            p2c_segment_info s;
            size_t at;
            ck_assert_int_eq(p2c_dataset_segment(ds, i, k, &s), P2C_OK);
            ck_assert_int_eq(p2c_dataset_find_segment(ds, i, s.id, &at), P2C_OK);
            ck_assert_uint_eq(at, k);
          }
        }
        p2c_dataset_free(ds);
        ok++;
      } else {
        ck_assert_ptr_null(ds);
        ck_assert(rc == P2C_ERR_PARSE || rc == P2C_ERR_SCHEMA);
        ck_assert_int_eq(strncmp(e.message, path, strlen(path)), 0);
        rejected++;
      }
    }
  }
  printf("mutated JSON: %zu loaded, %zu rejected cleanly\n", ok, rejected);
  ck_assert_uint_gt(ok, 100);
  ck_assert_uint_gt(rejected, 3000);
  p2ct_tmpdir_remove();
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("dataset");
  TCase *tc = tcase_create("dataset");
  tcase_set_timeout(tc, 300); /* sanitizer builds on a loaded machine */
  tcase_add_test(tc, parity_sets_load_with_their_counts);
  tcase_add_test(tc, coco_sample_values);
  tcase_add_test(tc, pix2cap_values_and_caption_kinds);
  tcase_add_test(tc, gzip_and_default_folders);
  tcase_add_test(tc, load_pair);
  tcase_add_test(tc, bad_json_catalogue);
  tcase_add_test(tc, lenient_where_the_references_are);
  tcase_add_test(tc, key_order_duplicates_escapes);
  tcase_add_test(tc, arguments_and_files);
  tcase_add_test(tc, mutated_json_never_crashes);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
