/* The reference model: safetensors parsing of untrusted files, the C forward
 * pass against PyTorch (fixtures/refmodel/torch_forward.f32, written by
 * reference-model/parity.py), determinism of predictions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p2ceval.h"
#include "refmodel/safetensors.h"
#include "testutil.h"

#define WEIGHTS "reference-model/weights.safetensors"

/* A safetensors file with the given JSON header and data bytes. */
static void write_st(const char *path, const char *header, const void *data, size_t n)
{
  size_t hl = strlen(header);
  unsigned char *b = malloc(8 + hl + n);
  ck_assert_ptr_nonnull(b);
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)hl >> (8 * i));
  memcpy(b + 8, header, hl);
  if (n) memcpy(b + 8 + hl, data, n);
  p2ct_write_file(path, b, 8 + hl + n);
  free(b);
}

START_TEST(safetensors_reads_f32_little_endian)
{
  const char *p = "build/test_refmodel_ok.safetensors";
  /* 1.0f, -2.5f little-endian */
  const unsigned char d[8] = {0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc0};
  write_st(p, "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
           d, 8);
  p2ci_safetensors *st = NULL;
  p2c_error err = {0};
  ck_assert_int_eq(p2ci_safetensors_read(p, &st, &err), 0);
  int64_t shape[1] = {2};
  const float *a = p2ci_safetensors_get(st, p, "a", 1, shape, &err);
  ck_assert_ptr_nonnull(a);
  ck_assert(a[0] == 1.0f && a[1] == -2.5f);
  ck_assert_str_eq(p2ci_safetensors_meta(st, "k"), "v");
  shape[0] = 3;
  ck_assert_ptr_null(p2ci_safetensors_get(st, p, "a", 1, shape, &err));
  ck_assert_ptr_nonnull(strstr(err.message, "unexpected shape"));
  p2ci_safetensors_free(st);
}
END_TEST

START_TEST(safetensors_rejects_malformed_files)
{
  const char *p = "build/test_refmodel_bad.safetensors";
  const unsigned char d[8] = {0};
  static const struct {
    const char *header;
    size_t data;
    int code;
    const char *msg;
  } cases[] = {
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", 8, P2C_ERR_PARSE, "outside"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, P2C_ERR_PARSE, "bytes for"},
      {"{\"a\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8, P2C_ERR_UNSUPPORTED, "F16"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, P2C_ERR_SCHEMA, "shape"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, P2C_ERR_PARSE, "outside"},
      {"{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967295,4294967295],\"data_offsets\":[0,8]}}", 8,
       P2C_ERR_LIMIT, "too large"},
      {"[1,2]", 0, P2C_ERR_PARSE, "not a JSON object"},
      {"{\"a\":", 0, P2C_ERR_PARSE, "not a JSON object"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    write_st(p, cases[i].header, d, cases[i].data);
    p2ci_safetensors *st = NULL;
    p2c_error err = {0};
    ck_assert_int_eq(p2ci_safetensors_read(p, &st, &err), cases[i].code);
    ck_assert_ptr_null(st);
    ck_assert_msg(strstr(err.message, cases[i].msg), "case %zu: %s", i, err.message);
  }
  /* a header length beyond the end of the file, and a file shorter than 8 bytes */
  const unsigned char big[12] = {0xff, 0xff, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' '};
  p2ct_write_file(p, big, sizeof big);
  p2ci_safetensors *st = NULL;
  p2c_error err = {0};
  ck_assert_int_eq(p2ci_safetensors_read(p, &st, &err), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(err.message, "does not fit"));
  p2ct_write_file(p, big, 5);
  ck_assert_int_eq(p2ci_safetensors_read(p, &st, &err), P2C_ERR_PARSE);
  /* a valid file that is not a reference model */
  write_st(p, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", d, 8);
  p2c_refmodel *m = NULL;
  ck_assert_int_eq(p2c_refmodel_load(p, &m, &err), P2C_ERR_VERSION);
  ck_assert_ptr_null(m);
  /* weights of the first architecture (16x16 decoder memory) name their format */
  write_st(p, "{\"__metadata__\":{\"format\":\"p2c-refmodel-1\"},"
              "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", d, 8);
  ck_assert_int_eq(p2c_refmodel_load(p, &m, &err), P2C_ERR_VERSION);
  ck_assert_ptr_null(m);
  ck_assert_msg(strstr(err.message, "is 'p2c-refmodel-1', not p2c-refmodel-2"), "%s", err.message);
  p2c_refmodel_free(NULL);
}
END_TEST

static p2c_refmodel *load_model(void)
{
  p2c_refmodel *m = NULL;
  p2c_error err = {0};
  int rc = p2c_refmodel_load(WEIGHTS, &m, &err);
  ck_assert_msg(rc == 0, "%s", err.message);
  return m;
}

static void read_image(size_t index, uint8_t *rgb)
{
  char rel[64];
  snprintf(rel, sizeof rel, "refmodel/images/%012d.png", 100000 + 37 * (int)(index + 1));
  p2c_idmap *map = NULL;
  p2c_error err = {0};
  ck_assert_msg(p2c_idmap_read_png(p2ct_fixture(rel), &map, &err) == 0, "%s", err.message);
  ck_assert_int_eq(p2c_idmap_width(map), 64);
  const uint32_t *ids = p2c_idmap_data(map);
  for (int p = 0; p < 64 * 64; p++)
    for (int c = 0; c < 3; c++) rgb[3 * p + c] = (uint8_t)(ids[p] >> (8 * c));
  p2c_idmap_free(map);
}

START_TEST(forward_matches_pytorch)
{
  p2c_refmodel *m = load_model();
  ck_assert_int_eq(p2c_refmodel_input_size(m), 64);
  ck_assert_uint_gt(p2c_refmodel_num_params(m), 1000000);
  const int nq = p2c_refmodel_num_queries(m), nc = p2c_refmodel_num_classes(m) + 1;
  size_t per_image = (size_t)nq * nc + (size_t)nq * 1024;
  FILE *f = fopen(p2ct_fixture("refmodel/torch_forward.f32"), "rb");
  ck_assert_ptr_nonnull(f);
  float *want = malloc(2 * per_image * sizeof(float));
  float *cls = malloc((size_t)nq * nc * sizeof(float));
  float *masks = malloc((size_t)nq * 4096 * sizeof(float));
  uint8_t rgb[64 * 64 * 3];
  ck_assert(want && cls && masks);
  ck_assert_uint_eq(fread(want, sizeof(float), 2 * per_image, f), 2 * per_image);
  fclose(f);
  double max_diff = 0.0, max_abs = 0.0;
  size_t n = 0;
  for (size_t img = 0; img < 2; img++) {
    read_image(img, rgb);
    p2c_error err = {0};
    ck_assert_int_eq(p2c_refmodel_forward(m, rgb, cls, masks, &err), 0);
    const float *w = want + img * per_image;
    for (int i = 0; i < nq * nc; i++, n++) {
      max_diff = fmax(max_diff, fabs((double)cls[i] - w[i]));
      max_abs = fmax(max_abs, fabs((double)w[i]));
    }
    for (int q = 0; q < nq; q++)
      for (int p = 0; p < 1024; p++, n++) {
        double a = masks[(size_t)q * 4096 + 4 * p], b = w[nq * nc + q * 1024 + p];
        max_diff = fmax(max_diff, fabs(a - b));
        max_abs = fmax(max_abs, fabs(b));
      }
  }
  printf("refmodel forward vs PyTorch (float64): %zu logits, max abs diff %.3g (largest |logit| %.3g)\n", n,
         max_diff, max_abs);
  ck_assert_msg(max_diff <= 1e-4, "max abs diff %g", max_diff);
  free(want);
  free(cls);
  free(masks);
  p2c_refmodel_free(m);
}
END_TEST

START_TEST(predict_is_deterministic_and_checks_size)
{
  p2c_refmodel *m = load_model();
  uint8_t rgb[64 * 64 * 3];
  read_image(2, rgb);
  p2c_refmodel_result *a = NULL, *b = NULL;
  p2c_error err = {0};
  ck_assert_int_eq(p2c_refmodel_predict(m, rgb, 64, 64, &a, &err), 0);
  ck_assert_int_eq(p2c_refmodel_predict(m, rgb, 64, 64, &b, &err), 0);
  ck_assert_uint_gt(p2c_refmodel_result_num_segments(a), 0);
  ck_assert_uint_eq(p2c_refmodel_result_num_segments(a), p2c_refmodel_result_num_segments(b));
  ck_assert_int_eq(memcmp(p2c_refmodel_result_ids(a), p2c_refmodel_result_ids(b), 4096 * 4), 0);
  for (size_t i = 0; i < p2c_refmodel_result_num_segments(a); i++) {
    p2c_refmodel_segment sa, sb;
    ck_assert_int_eq(p2c_refmodel_result_segment(a, i, &sa), 0);
    ck_assert_int_eq(p2c_refmodel_result_segment(b, i, &sb), 0);
    ck_assert_str_eq(sa.caption, sb.caption);
    ck_assert(sa.score == sb.score && sa.category_id == sb.category_id);
    ck_assert(sa.score > 0.5 && sa.score <= 1.0);
  }
  p2c_refmodel_segment s;
  ck_assert_int_eq(p2c_refmodel_result_segment(a, 99, &s), P2C_ERR_INVALID_ARG);
  p2c_refmodel_result_free(a);
  p2c_refmodel_result_free(b);
  ck_assert_int_eq(p2c_refmodel_predict(m, rgb, 32, 32, &a, &err), P2C_ERR_UNSUPPORTED);
  ck_assert_ptr_null(a);
  ck_assert_ptr_nonnull(strstr(err.message, "64x64"));
  p2c_refmodel_free(m);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("refmodel");
  TCase *tc = tcase_create("refmodel");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, safetensors_reads_f32_little_endian);
  tcase_add_test(tc, safetensors_rejects_malformed_files);
  tcase_add_test(tc, forward_matches_pytorch);
  tcase_add_test(tc, predict_is_deterministic_and_checks_size);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
