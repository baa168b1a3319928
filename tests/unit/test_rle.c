/* COCO RLE against the pycocotools goldens in ../shared/parity/masks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p2ceval.h"
#include "testutil.h"

static const cJSON *jget(const cJSON *o, const char *key)
{
  return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* {"size":[h,w],"counts":"..."} -> RLE (must parse). */
static p2c_rle *rle_from_json(const cJSON *o)
{
  const cJSON *size = jget(o, "size"), *counts = jget(o, "counts");
  int h = (int)cJSON_GetArrayItem(size, 0)->valuedouble;
  int w = (int)cJSON_GetArrayItem(size, 1)->valuedouble;
  p2c_rle *r = NULL;
  p2c_error err;
  int rc;
  if (cJSON_IsString(counts)) {
    rc = p2c_rle_from_string(h, w, counts->valuestring, strlen(counts->valuestring), &r, &err);
  } else {
    int n = cJSON_GetArraySize(counts);
    uint32_t *c = malloc(sizeof *c * (size_t)(n ? n : 1));
    ck_assert_ptr_nonnull(c);
    for (int i = 0; i < n; i++) c[i] = (uint32_t)cJSON_GetArrayItem(counts, i)->valuedouble;
    rc = p2c_rle_from_counts(h, w, c, (size_t)n, &r, &err);
    free(c);
  }
  ck_assert_msg(rc == P2C_OK, "%s", err.message);
  return r;
}

static char *rle_string(const p2c_rle *r)
{
  size_t n = p2c_rle_to_string(r, NULL, 0);
  char *s = malloc(n + 1);
  ck_assert_ptr_nonnull(s);
  ck_assert_uint_eq(p2c_rle_to_string(r, s, n + 1), n);
  return s;
}

static void assert_string(const p2c_rle *r, const cJSON *expected_rle, const char *name)
{
  char *s = rle_string(r);
  const char *want = jget(expected_rle, "counts")->valuestring;
  ck_assert_msg(strcmp(s, want) == 0, "%s: got '%s', expected '%s'", name, s, want);
  free(s);
}

/* rows ["0110", ...] -> row-major bytes */
static uint8_t *rows_mask(const cJSON *rows, int *h, int *w)
{
  *h = cJSON_GetArraySize(rows);
  *w = *h ? (int)strlen(cJSON_GetArrayItem(rows, 0)->valuestring) : 0;
  uint8_t *m = malloc((size_t)*h * (size_t)*w + 1);
  ck_assert_ptr_nonnull(m);
  for (int y = 0; y < *h; y++) {
    const char *row = cJSON_GetArrayItem(rows, y)->valuestring;
    for (int x = 0; x < *w; x++) m[y * *w + x] = (uint8_t)(row[x] - '0');
  }
  return m;
}

static void assert_bbox(const p2c_rle *r, const cJSON *bbox, p2ct_cmp *cmp, const char *name)
{
  double bb[4];
  p2c_rle_bbox(r, bb);
  for (int k = 0; k < 4; k++)
    ck_assert_msg(p2ct_cmp_add(cmp, cJSON_GetArrayItem(bbox, k)->valuedouble, bb[k]),
                  "%s: bbox[%d] = %g", name, k, bb[k]);
}

START_TEST(rle_cases_encode_decode_area_bbox)
{
  cJSON *root = p2ct_parity_json("masks/rle_cases.json");
  if (!root) {
    p2ct_skip("rle_cases");
    return;
  }
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "rle_cases area+bbox", 0);
  size_t strings = 0, cases = 0, decoded = 0;
  const cJSON *c;
  cJSON_ArrayForEach(c, jget(root, "cases"))
  {
    const char *name = jget(c, "name")->valuestring;
    const cJSON *mask = jget(c, "mask");
    p2c_rle *fr = rle_from_json(jget(c, "uncompressed_rle"));
    assert_string(fr, jget(c, "frPyObjects_uncompressed"), name);
    strings++;
    /* the compressed string parses back to the canonical counts */
    const cJSON *enc = jget(c, "encode");
    p2c_rle *parsed = rle_from_json(enc);
    const cJSON *ucounts = jget(jget(c, "uncompressed_rle"), "counts");
    ck_assert_uint_eq(p2c_rle_num_counts(parsed), (size_t)cJSON_GetArraySize(ucounts));
    for (size_t i = 0; i < p2c_rle_num_counts(parsed); i++)
      ck_assert_uint_eq(p2c_rle_counts(parsed)[i], (uint32_t)cJSON_GetArrayItem(ucounts, (int)i)->valuedouble);
    ck_assert(p2ct_cmp_add(&cmp, jget(c, "area")->valuedouble, (double)p2c_rle_area(parsed)));
    assert_bbox(parsed, jget(c, "bbox"), &cmp, name);
    if (jget(mask, "rows")) {
      int h, w;
      uint8_t *m = rows_mask(jget(mask, "rows"), &h, &w);
      if (jget(mask, "h")) { /* zero-size masks have no rows to measure */
        h = (int)p2ct_json_num(mask, "h");
        w = (int)p2ct_json_num(mask, "w");
      }
      p2c_rle *r = NULL;
      p2c_error err;
      ck_assert_int_eq(p2c_rle_encode(m, h, w, P2C_MASK_ROW_MAJOR, &r, &err), P2C_OK);
      assert_string(r, enc, name);
      strings++;
      /* the same mask in column-major order */
      uint8_t *cm = malloc((size_t)h * (size_t)w + 1), *back = malloc((size_t)h * (size_t)w + 1);
      ck_assert(cm && back);
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) cm[x * h + y] = m[y * w + x];
      p2c_rle *r2 = NULL;
      ck_assert_int_eq(p2c_rle_encode(cm, h, w, P2C_MASK_COLUMN_MAJOR, &r2, &err), P2C_OK);
      assert_string(r2, enc, name);
      ck_assert_int_eq(p2c_rle_decode(parsed, back, P2C_MASK_ROW_MAJOR), P2C_OK);
      ck_assert(memcmp(back, m, (size_t)h * (size_t)w) == 0);
      ck_assert_int_eq(p2c_rle_decode(parsed, back, P2C_MASK_COLUMN_MAJOR), P2C_OK);
      ck_assert(memcmp(back, cm, (size_t)h * (size_t)w) == 0);
      decoded++;
      p2c_rle_free(r);
      p2c_rle_free(r2);
      free(m);
      free(cm);
      free(back);
    } else if (!jget(c, "huge")) {
      /* decode then re-encode round-trips */
      size_t n = (size_t)p2c_rle_height(parsed) * (size_t)p2c_rle_width(parsed);
      uint8_t *back = malloc(n + 1);
      ck_assert_ptr_nonnull(back);
      ck_assert_int_eq(p2c_rle_decode(parsed, back, P2C_MASK_COLUMN_MAJOR), P2C_OK);
      p2c_rle *r = NULL;
      ck_assert_int_eq(p2c_rle_encode(back, p2c_rle_height(parsed), p2c_rle_width(parsed),
                                      P2C_MASK_COLUMN_MAJOR, &r, NULL),
                       P2C_OK);
      assert_string(r, enc, name);
      strings++;
      decoded++;
      p2c_rle_free(r);
      free(back);
    }
    p2c_rle_free(fr);
    p2c_rle_free(parsed);
    cases++;
  }
  printf("rle_cases: %zu cases, %zu strings identical, %zu decoded masks identical\n", cases,
         strings, decoded);
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cases, 69);
  ck_assert_uint_eq(cmp.identical, cmp.total);

  /* Zero-length runs: pycocotools keeps them (and then gets bbox/IoU wrong);
   * we canonicalise, so string, area and bbox are those of the decoded mask. */
  size_t nc = 0;
  cJSON_ArrayForEach(c, jget(root, "noncanonical_uncompressed_cases"))
  {
    p2c_rle *r = rle_from_json(jget(c, "uncompressed_rle"));
    assert_string(r, jget(c, "encode_of_decoded"), jget(c, "description")->valuestring);
    int h, w;
    uint8_t *m = rows_mask(jget(jget(c, "decoded_mask"), "rows"), &h, &w);
    uint8_t *back = malloc((size_t)h * (size_t)w + 1);
    ck_assert_ptr_nonnull(back);
    ck_assert_int_eq(p2c_rle_decode(r, back, P2C_MASK_ROW_MAJOR), P2C_OK);
    ck_assert(memcmp(back, m, (size_t)h * (size_t)w) == 0);
    uint64_t area = 0;
    for (int i = 0; i < h * w; i++) area += m[i];
    ck_assert_uint_eq(p2c_rle_area(r), area);
    free(m);
    free(back);
    p2c_rle_free(r);
    nc++;
  }
  printf("noncanonical_uncompressed_cases: %zu/7 canonicalised to the decoded mask's string\n", nc);
  ck_assert_uint_eq(nc, 7);

  /* Non-binary bytes: a new run at every change of value, as pycocotools. */
  size_t nb = 0;
  p2ct_cmp_init(&cmp, "nonbinary area+bbox", 0);
  cJSON_ArrayForEach(c, jget(root, "nonbinary_encode_cases"))
  {
    const cJSON *vals = jget(c, "values");
    int h = cJSON_GetArraySize(vals), w = cJSON_GetArraySize(cJSON_GetArrayItem(vals, 0));
    uint8_t *m = malloc((size_t)h * (size_t)w + 1);
    ck_assert_ptr_nonnull(m);
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        m[y * w + x] = (uint8_t)cJSON_GetArrayItem(cJSON_GetArrayItem(vals, y), x)->valuedouble;
    p2c_rle *r = NULL;
    ck_assert_int_eq(p2c_rle_encode(m, h, w, P2C_MASK_ROW_MAJOR, &r, NULL), P2C_OK);
    assert_string(r, jget(c, "encode"), jget(c, "description")->valuestring);
    ck_assert(p2ct_cmp_add(&cmp, jget(c, "area")->valuedouble, (double)p2c_rle_area(r)));
    assert_bbox(r, jget(c, "bbox"), &cmp, "nonbinary");
    int dh, dw;
    uint8_t *want = rows_mask(jget(c, "decoded_rows"), &dh, &dw);
    ck_assert_int_eq(p2c_rle_decode(r, m, P2C_MASK_ROW_MAJOR), P2C_OK);
    ck_assert(memcmp(want, m, (size_t)h * (size_t)w) == 0);
    free(want);
    free(m);
    p2c_rle_free(r);
    nb++;
  }
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(nb, 5);
  ck_assert_uint_eq(cmp.identical, cmp.total);
  cJSON_Delete(root);
}
END_TEST

static p2c_rle **rle_list(const cJSON *arr, size_t *n)
{
  *n = (size_t)cJSON_GetArraySize(arr);
  p2c_rle **v = calloc(*n ? *n : 1, sizeof *v);
  ck_assert_ptr_nonnull(v);
  for (size_t i = 0; i < *n; i++) v[i] = rle_from_json(cJSON_GetArrayItem(arr, (int)i));
  return v;
}

static void rle_list_free(p2c_rle **v, size_t n)
{
  for (size_t i = 0; i < n; i++) p2c_rle_free(v[i]);
  free(v);
}

START_TEST(iou_cases_match_pycocotools)
{
  cJSON *root = p2ct_parity_json("masks/iou_cases.json");
  if (!root) {
    p2ct_skip("iou_cases");
    return;
  }
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "iou_cases", 0);
  size_t cases = 0, mismatch = 0, deliberate = 0;
  const cJSON *c;
  cJSON_ArrayForEach(c, jget(root, "cases"))
  {
    const char *name = jget(c, "name")->valuestring;
    size_t nd, ng;
    p2c_rle **dt = rle_list(jget(c, "dt"), &nd), **gt = rle_list(jget(c, "gt"), &ng);
    uint8_t crowd[64] = {0};
    const cJSON *ic = jget(c, "iscrowd");
    for (int g = 0; g < cJSON_GetArraySize(ic) && g < 64; g++)
      crowd[g] = (uint8_t)cJSON_GetArrayItem(ic, g)->valuedouble;
    double *out = calloc(nd * ng + 1, sizeof *out);
    ck_assert_ptr_nonnull(out);
    p2c_error err;
    int rc = p2c_rle_iou((const p2c_rle *const *)dt, nd, (const p2c_rle *const *)gt, ng, crowd,
                         out, &err);
    if (!strncmp(name, "size_mismatch", 13)) {
      /* pycocotools gives -1 or 0 depending on the boxes; we refuse. */
      ck_assert_int_eq(rc, P2C_ERR_MISMATCH);
      ck_assert_ptr_nonnull(strstr(err.message, "has size"));
      mismatch++;
    } else {
      ck_assert_msg(rc == P2C_OK, "%s: %s", name, err.message);
      const cJSON *iou = jget(c, "iou");
      for (size_t d = 0; d < nd; d++)
        for (size_t g = 0; g < ng; g++) {
          double want = cJSON_GetArrayItem(cJSON_GetArrayItem(iou, (int)d), (int)g)->valuedouble;
          if (!strcmp(name, "noncanonical_identical")) {
            /* pycocotools' run walk stops early on shared zero runs and gives
             * 0; canonicalised, the mask equals itself: IoU 1. */
            ck_assert(want == 0.0 && out[d * ng + g] == 1.0);
            deliberate++;
            continue;
          }
          ck_assert_msg(p2ct_cmp_add(&cmp, want, out[d * ng + g]), "%s[%zu][%zu]: %.17g vs %.17g",
                        name, d, g, out[d * ng + g], want);
        }
    }
    free(out);
    rle_list_free(dt, nd);
    rle_list_free(gt, ng);
    cases++;
  }
  printf("iou_cases: %zu cases (%zu size mismatches rejected, %zu deliberate difference)\n", cases,
         mismatch, deliberate);
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cases, 39);
  ck_assert_uint_eq(cmp.identical, cmp.total);
  cJSON_Delete(root);
}
END_TEST

START_TEST(merge_cases_match_pycocotools)
{
  cJSON *root = p2ct_parity_json("masks/merge_cases.json");
  if (!root) {
    p2ct_skip("merge_cases");
    return;
  }
  size_t cases = 0, identical = 0, mismatch = 0, noncanonical = 0;
  const cJSON *c;
  cJSON_ArrayForEach(c, jget(root, "cases"))
  {
    const char *name = jget(c, "name")->valuestring;
    size_t n;
    p2c_rle **v = rle_list(jget(c, "rles"), &n);
    int intersect = (int)p2ct_json_num(c, "intersect");
    p2c_rle *r = NULL;
    p2c_error err;
    int rc = p2c_rle_merge((const p2c_rle *const *)v, n, intersect, &r, &err);
    if (!strncmp(name, "size_mismatch", 13)) {
      ck_assert_int_eq(rc, P2C_ERR_MISMATCH); /* pycocotools: {"size":[0,0],"counts":""} */
      mismatch++;
    } else if (jget(c, "result_is_canonical")) {
      ck_assert_msg(rc == P2C_OK, "%s", err.message);
      assert_string(r, jget(c, "result"), name);
      ck_assert_uint_eq(p2c_rle_area(r), (uint64_t)(int)p2ct_json_num(c, "result_area"));
      identical++;
    } else {
      /* zero-length runs in the inputs: pycocotools stops early; we give the
       * true union / intersection of the decoded masks. */
      ck_assert_msg(rc == P2C_OK, "%s", err.message);
      size_t hw = (size_t)p2c_rle_height(r) * (size_t)p2c_rle_width(r);
      uint8_t *acc = malloc(hw + 1), *m = malloc(hw + 1), *got = malloc(hw + 1);
      ck_assert(acc && m && got);
      p2c_rle_decode(v[0], acc, P2C_MASK_COLUMN_MAJOR);
      for (size_t i = 1; i < n; i++) {
        p2c_rle_decode(v[i], m, P2C_MASK_COLUMN_MAJOR);
        for (size_t p = 0; p < hw; p++) acc[p] = intersect ? (acc[p] & m[p]) : (acc[p] | m[p]);
      }
      p2c_rle_decode(r, got, P2C_MASK_COLUMN_MAJOR);
      ck_assert(memcmp(acc, got, hw) == 0);
      free(acc);
      free(m);
      free(got);
      noncanonical++;
    }
    p2c_rle_free(r);
    rle_list_free(v, n);
    cases++;
  }
  printf("merge_cases: %zu cases: %zu strings identical, %zu size mismatches rejected, %zu "
         "non-canonical inputs merged exactly\n",
         cases, identical, mismatch, noncanonical);
  ck_assert_uint_eq(cases, 25);
  ck_assert_uint_eq(identical + mismatch + noncanonical, cases);
  cJSON_Delete(root);
}
END_TEST

static size_t unhex(const char *hex, char *out)
{
  size_t n = strlen(hex) / 2;
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (char)v;
  }
  return n;
}

START_TEST(invalid_cases_are_rejected)
{
  cJSON *root = p2ct_parity_json("masks/invalid_cases.json");
  if (!root) {
    p2ct_skip("invalid_cases");
    return;
  }
  size_t rejected = 0, accepted = 0, cases = 0;
  const cJSON *c;
  cJSON_ArrayForEach(c, jget(root, "cases"))
  {
    const char *name = jget(c, "name")->valuestring;
    const char *cat = jget(c, "category")->valuestring;
    const cJSON *size = jget(c, "size");
    const cJSON *hexs = jget(c, "counts_hex");
    cases++;
    if (!cJSON_IsString(hexs)) { /* wrong_type: not a string at all, the JSON layer's job */
      continue;
    }
    char buf[256];
    size_t len = unhex(hexs->valuestring, buf);
    int h = (int)cJSON_GetArrayItem(size, 0)->valuedouble;
    int w = (int)cJSON_GetArrayItem(size, 1)->valuedouble;
    p2c_rle *r = NULL;
    p2c_error err;
    int rc = p2c_rle_from_string(h, w, buf, len, &r, &err);
    if (!strcmp(cat, "noncanonical") || !strcmp(cat, "non_minimal")) {
      /* well defined: accepted; the parsed pixels are those pycocotools reads */
      ck_assert_msg(rc == P2C_OK, "%s: %s", name, err.message);
      const cJSON *pc = jget(jget(c, "pycocotools"), "parsed_counts");
      uint64_t area = 0;
      for (int i = 1; i < cJSON_GetArraySize(pc); i += 2) area += (uint64_t)cJSON_GetArrayItem(pc, i)->valuedouble;
      ck_assert_uint_eq(p2c_rle_area(r), area);
      accepted++;
    } else {
      ck_assert_msg(rc != P2C_OK, "%s (%s) was accepted", name, cat);
      ck_assert_msg(err.message[0] != '\0', "%s: no message", name);
      ck_assert_ptr_null(r);
      rejected++;
      if (!strcmp(name, "bad_char_z")) ck_assert_str_eq(err.message, "RLE counts string has an invalid byte 0x7a at offset 1 (allowed: '0'..'o')");
      if (!strcmp(name, "only_continuation"))
        ck_assert_str_eq(err.message, "RLE counts string is truncated: count 1 (from offset 0) ends with a continuation character");
      if (!strcmp(name, "negative_second"))
        ck_assert_str_eq(err.message, "RLE counts string: count 2 (from offset 1) is negative (-1)");
      if (!strcmp(name, "sum_less_two"))
        ck_assert_str_eq(err.message, "RLE counts string: counts sum to 3, expected h*w = 12 (size [3, 4])");
    }
    p2c_rle_free(r);
  }
  /* malformed uncompressed counts (those an uint32 array can express) */
  size_t unc = 0;
  cJSON_ArrayForEach(c, jget(root, "uncompressed_cases"))
  {
    const cJSON *u = jget(c, "uncompressed_rle"), *counts = jget(u, "counts");
    int n = cJSON_GetArraySize(counts), ok = 1;
    uint32_t v[16];
    for (int i = 0; i < n && i < 16; i++) {
      double d = cJSON_GetArrayItem(counts, i)->valuedouble;
      if (d < 0 || d != floor(d)) ok = 0; /* negative / fractional: rejected by the JSON reader */
      v[i] = ok ? (uint32_t)d : 0;
    }
    if (!ok) continue;
    p2c_rle *r = NULL;
    p2c_error err;
    ck_assert_int_eq(p2c_rle_from_counts(3, 4, v, (size_t)n, &r, &err), P2C_ERR_PARSE);
    ck_assert_ptr_null(r);
    unc++;
  }
  printf("invalid_cases: %zu cases: %zu rejected with a message, %zu well-defined accepted; %zu "
         "malformed uncompressed counts rejected\n",
         cases, rejected, accepted, unc);
  ck_assert_uint_eq(unc, 3);
  ck_assert_uint_ge(rejected, 35);
  cJSON_Delete(root);
}
END_TEST

START_TEST(string_codec_examples)
{
  /* from masks/README.md: [0,12] -> "0<", [1,2,1,1,2] -> "121O1", [307200] -> "PP\9" */
  static const uint32_t a[] = {0, 12}, b[] = {1, 2, 1, 1, 2}, c[] = {307200};
  p2c_rle *r;
  char s[32];
  ck_assert_int_eq(p2c_rle_from_counts(3, 4, a, 2, &r, NULL), P2C_OK);
  p2c_rle_to_string(r, s, sizeof s);
  ck_assert_str_eq(s, "0<");
  p2c_rle_free(r);
  ck_assert_int_eq(p2c_rle_from_counts(7, 1, b, 5, &r, NULL), P2C_OK);
  p2c_rle_to_string(r, s, sizeof s);
  ck_assert_str_eq(s, "121O1");
  /* truncated output behaves as snprintf */
  ck_assert_uint_eq(p2c_rle_to_string(r, s, 3), 5);
  ck_assert_str_eq(s, "12");
  p2c_rle_free(r);
  ck_assert_int_eq(p2c_rle_from_counts(480, 640, c, 1, &r, NULL), P2C_OK);
  p2c_rle_to_string(r, s, sizeof s);
  ck_assert_str_eq(s, "PP\\9");
  p2c_rle_free(r);
  p2c_rle_free(NULL);
  ck_assert_int_eq(p2c_rle_from_counts(-1, 4, a, 2, &r, NULL), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_rle_from_counts(70000, 70000, c, 1, &r, NULL), P2C_ERR_LIMIT);
}
END_TEST


START_TEST(polygon_cases_match_pycocotools)
{
  cJSON *root = p2ct_parity_json("masks/polygon_cases.json");
  if (!root) {
    p2ct_skip("polygon_cases");
    return;
  }
  size_t polys = 0, merged = 0, boxes = 0;
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "polygon area+bbox", 0);
  const cJSON *c;
  cJSON_ArrayForEach(c, jget(root, "cases"))
  {
    const char *name = jget(c, "name")->valuestring;
    int h = (int)p2ct_json_num(c, "h"), w = (int)p2ct_json_num(c, "w");
    const cJSON *pl = jget(c, "polygons");
    size_t n = (size_t)cJSON_GetArraySize(pl);
    p2c_rle **r = calloc(n + 1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    for (size_t i = 0; i < n; i++) {
      const cJSON *poly = cJSON_GetArrayItem(pl, (int)i);
      size_t k = (size_t)cJSON_GetArraySize(poly);
      double *xy = malloc((k + 1) * sizeof *xy);
      ck_assert_ptr_nonnull(xy);
      for (size_t j = 0; j < k; j++) xy[j] = cJSON_GetArrayItem(poly, (int)j)->valuedouble;
      p2c_error err;
      ck_assert_msg(p2c_rle_from_polygon(h, w, xy, k, &r[i], &err) == P2C_OK, "%s", err.message);
      free(xy);
      assert_string(r[i], cJSON_GetArrayItem(jget(c, "rles"), (int)i), name);
      ck_assert(p2ct_cmp_add(&cmp, cJSON_GetArrayItem(jget(c, "areas"), (int)i)->valuedouble,
                             (double)p2c_rle_area(r[i])));
      assert_bbox(r[i], cJSON_GetArrayItem(jget(c, "bboxes"), (int)i), &cmp, name);
      polys++;
    }
    if (n > 0) {
      p2c_rle *u = NULL;
      ck_assert_int_eq(p2c_rle_merge((const p2c_rle *const *)r, n, 0, &u, NULL), P2C_OK);
      assert_string(u, jget(c, "merged"), name);
      ck_assert_uint_eq(p2c_rle_area(u), (uint64_t)(int)p2ct_json_num(c, "merged_area"));
      p2c_rle_free(u);
      merged++;
    }
    rle_list_free(r, n);
  }
  cJSON_ArrayForEach(c, jget(root, "bbox_cases"))
  {
    const char *name = jget(c, "name")->valuestring;
    int h = (int)p2ct_json_num(c, "h"), w = (int)p2ct_json_num(c, "w");
    const cJSON *in = jget(c, "input");
    for (int i = 0; i < cJSON_GetArraySize(in); i++) {
      double bb[4];
      for (int k = 0; k < 4; k++) bb[k] = cJSON_GetArrayItem(cJSON_GetArrayItem(in, i), k)->valuedouble;
      p2c_rle *r = NULL;
      ck_assert_int_eq(p2c_rle_from_bbox(h, w, bb, &r, NULL), P2C_OK);
      assert_string(r, cJSON_GetArrayItem(jget(c, "rles"), i), name);
      ck_assert(p2ct_cmp_add(&cmp, cJSON_GetArrayItem(jget(c, "areas"), i)->valuedouble, (double)p2c_rle_area(r)));
      assert_bbox(r, cJSON_GetArrayItem(jget(c, "bboxes"), i), &cmp, name);
      p2c_rle_free(r);
      boxes++;
    }
  }
  printf("polygon_cases: %zu polygons and %zu boxes: strings identical; %zu merged unions identical\n",
         polys, boxes, merged);
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cmp.identical, cmp.total);
  cJSON_Delete(root);
}
END_TEST


static uint64_t lcg;
static uint32_t rnd32(void)
{
  lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(lcg >> 33);
}

/* Random strings over all bytes: every one is either rejected with a message
 * or a canonical mask whose string reads back to the same counts. */
START_TEST(random_strings_never_misparse)
{
  lcg = 42;
  size_t accepted = 0, rejected = 0;
  char s[16], back[64];
  for (int t = 0; t < 200000; t++) {
    size_t len = 1 + rnd32() % 8;
    for (size_t i = 0; i < len; i++) {
      uint32_t r = rnd32();
      s[i] = (char)(r % 4 ? 48 + (r >> 8) % 64 : (r >> 8) % 256); /* mostly valid characters */
    }
    int h = 1 + (int)(rnd32() % 6), w = 1 + (int)(rnd32() % 6);
    p2c_rle *r = NULL;
    p2c_error err;
    err.message[0] = '\0';
    if (p2c_rle_from_string(h, w, s, len, &r, &err) != P2C_OK) {
      ck_assert_ptr_null(r);
      ck_assert(err.message[0] != '\0');
      rejected++;
      continue;
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < p2c_rle_num_counts(r); i++) {
      if (i > 0) ck_assert_uint_gt(p2c_rle_counts(r)[i], 0);
      sum += p2c_rle_counts(r)[i];
    }
    ck_assert_uint_eq(sum, (uint64_t)h * (uint64_t)w);
    size_t n = p2c_rle_to_string(r, back, sizeof back);
    p2c_rle *r2 = NULL;
    ck_assert_int_eq(p2c_rle_from_string(h, w, back, n, &r2, NULL), P2C_OK);
    ck_assert_uint_eq(p2c_rle_num_counts(r2), p2c_rle_num_counts(r));
    ck_assert(memcmp(p2c_rle_counts(r), p2c_rle_counts(r2), p2c_rle_num_counts(r) * sizeof(uint32_t)) == 0);
    p2c_rle_free(r);
    p2c_rle_free(r2);
    accepted++;
  }
  printf("random strings: %zu accepted (round trip exact), %zu rejected with a message\n", accepted, rejected);
  ck_assert_uint_gt(accepted, 100); /* sums rarely hit h*w by chance */
}
END_TEST

/* IoU and merge on random masks equal brute force over the pixels. */
START_TEST(random_masks_iou_merge_brute_force)
{
  lcg = 7;
  size_t checked = 0;
  for (int t = 0; t < 2000; t++) {
    int h = 1 + (int)(rnd32() % 12), w = 1 + (int)(rnd32() % 12), n = h * w;
    uint8_t a[144], b[144], u[144], x[144];
    uint32_t pa = rnd32() % 100, pb = rnd32() % 100;
    for (int i = 0; i < n; i++) {
      a[i] = (rnd32() % 100) < pa;
      b[i] = (rnd32() % 100) < pb;
    }
    p2c_rle *ra, *rb, *rm;
    ck_assert_int_eq(p2c_rle_encode(a, h, w, P2C_MASK_ROW_MAJOR, &ra, NULL), P2C_OK);
    ck_assert_int_eq(p2c_rle_encode(b, h, w, P2C_MASK_ROW_MAJOR, &rb, NULL), P2C_OK);
    uint64_t I = 0, U = 0, A = 0;
    for (int i = 0; i < n; i++) {
      I += a[i] & b[i];
      U += a[i] | b[i];
      A += a[i];
    }
    const p2c_rle *dt[1] = {ra}, *gt[2] = {rb, rb};
    uint8_t crowd[2] = {0, 1};
    double iou[2];
    ck_assert_int_eq(p2c_rle_iou(dt, 1, gt, 2, crowd, iou, NULL), P2C_OK);
    ck_assert(iou[0] == (I ? (double)I / (double)U : 0.0));
    ck_assert(iou[1] == (I ? (double)I / (double)A : 0.0));
    const p2c_rle *both[2] = {ra, rb};
    for (int op = 0; op < 2; op++) {
      ck_assert_int_eq(p2c_rle_merge(both, 2, op, &rm, NULL), P2C_OK);
      ck_assert_int_eq(p2c_rle_decode(rm, u, P2C_MASK_ROW_MAJOR), P2C_OK);
      for (int i = 0; i < n; i++) x[i] = op ? (a[i] & b[i]) : (a[i] | b[i]);
      ck_assert(memcmp(u, x, (size_t)n) == 0);
      p2c_rle_free(rm);
    }
    double bb[4];
    p2c_rle_bbox(ra, bb);
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; y++)
      for (int xx = 0; xx < w; xx++)
        if (a[y * w + xx]) {
          if (xx < x0) x0 = xx;
          if (xx > x1) x1 = xx;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
    if (x1 < 0) ck_assert(bb[0] == 0 && bb[1] == 0 && bb[2] == 0 && bb[3] == 0);
    else ck_assert(bb[0] == x0 && bb[1] == y0 && bb[2] == x1 - x0 + 1 && bb[3] == y1 - y0 + 1);
    p2c_rle_free(ra);
    p2c_rle_free(rb);
    checked++;
  }
  printf("random masks: %zu pairs: IoU (plain and crowd), union, intersection and bbox equal brute force\n", checked);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("rle");
  TCase *tc = tcase_create("rle");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, string_codec_examples);
  tcase_add_test(tc, rle_cases_encode_decode_area_bbox);
  tcase_add_test(tc, iou_cases_match_pycocotools);
  tcase_add_test(tc, merge_cases_match_pycocotools);
  tcase_add_test(tc, invalid_cases_are_rejected);
  tcase_add_test(tc, polygon_cases_match_pycocotools);
  tcase_add_test(tc, random_strings_never_misparse);
  tcase_add_test(tc, random_masks_iou_merge_brute_force);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
