/* Status codes, version, error reports, the numpy-compatible summation. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/summation.h"
#include "p2ceval.h"
#include "testutil.h"

START_TEST(version_matches_header)
{
  ck_assert_uint_eq(p2c_version_number(), P2C_VERSION_NUMBER);
  ck_assert_str_eq(p2c_version_string(), "0.1.0");
}
END_TEST

START_TEST(status_codes_are_pinned_and_named)
{
  ck_assert_int_eq(P2C_ERR_NOMEM, -1);
  ck_assert_int_eq(P2C_ERR_PARSE, -4);
  ck_assert_int_eq(P2C_ERR_INTERNAL, -13);
  ck_assert_str_eq(p2c_strerror(P2C_OK), "ok");
  ck_assert_str_eq(p2c_strerror(P2C_ERR_PARSE), "malformed input");
  ck_assert_str_eq(p2c_strerror(12345), "unknown status");
  for (int s = 0; s >= P2C_ERR_INTERNAL; s--) ck_assert_str_ne(p2c_strerror(s), "unknown status");
}
END_TEST

START_TEST(error_report_formats_and_returns_code)
{
  p2c_error e;
  ck_assert_int_eq(p2ci_error(&e, P2C_ERR_IO, "%s: image %d", "gt.json", 7), P2C_ERR_IO);
  ck_assert_int_eq(e.code, P2C_ERR_IO);
  ck_assert_str_eq(e.message, "gt.json: image 7");
  ck_assert_int_eq(p2ci_error(NULL, P2C_ERR_IO, "x"), P2C_ERR_IO);
}
END_TEST

START_TEST(grow_rejects_overflow)
{
  int *p = NULL;
  size_t cap = 0;
  ck_assert_int_eq(p2ci_grow(&p, &cap, 100, sizeof *p), 0);
  ck_assert_uint_ge(cap, 100);
  ck_assert_int_eq(p2ci_grow(&p, &cap, SIZE_MAX / 2, sizeof *p), P2C_ERR_NOMEM);
  ck_assert_ptr_nonnull(p);
  free(p);
  ck_assert_ptr_null(p2ci_malloc_array(SIZE_MAX / 2, 4));
}
END_TEST

/* numpy: np.array([0.1]*n).sum() for these n, as float.hex. */
START_TEST(numpy_pairwise_sum_matches_numpy)
{
  static double x[20000];
  for (size_t i = 0; i < 20000; i++) x[i] = 0.1;
  /* n < 8: sequential */
  ck_assert(p2ci_sum_numpy(x, 3) == 0.1 + 0.1 + 0.1);
  /* 10 elements: 8 accumulators then a tail */
  double r = ((0.1 + 0.1) + (0.1 + 0.1)) + ((0.1 + 0.1) + (0.1 + 0.1));
  r += 0.1;
  r += 0.1;
  ck_assert(p2ci_sum_numpy(x, 10) == r);
  /* values numpy 1.24 prints for np.full(n, 0.1).sum() */
  ck_assert(p2ci_sum_numpy(x, 1000) == 100.00000000000001); /* differs from sequential */
  ck_assert(p2ci_sum_sequential(x, 1000) == 99.9999999999986);
  /* more than one 8192 block: np.sum((np.arange(20000) % 97) / 7.0) */
  for (size_t i = 0; i < 20000; i++) x[i] = (double)(i % 97) / 7.0;
  ck_assert(p2ci_sum_numpy(x, 20000) == 137041.2857142857);
  ck_assert(p2ci_sum_sequential(x, 20000) == 137041.28571428556);
  ck_assert(isnan(p2ci_mean_numpy(x, 0)));
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("core");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, version_matches_header);
  tcase_add_test(tc, status_codes_are_pinned_and_named);
  tcase_add_test(tc, error_report_formats_and_returns_code);
  tcase_add_test(tc, grow_rejects_overflow);
  tcase_add_test(tc, numpy_pairwise_sum_matches_numpy);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
