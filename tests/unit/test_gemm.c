/* p2ci_gemm, the product under the reference model: every variant (4-wide,
 * and AVX and AVX-512 when the CPU has them) gives the same bits as the plain loop that
 * sums each element over k in order, for shapes that reach every edge of the
 * blocking (row and column remainders, several k blocks, k = 0), strided
 * operands, and each bias / ReLU epilogue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refmodel/gemm.h"
#include "testutil.h"

/* Full-mantissa values in (-1.85, 1.85): sums of them round, so a change of
 * summation order shows. */
static float frand(unsigned *s)
{
  *s = *s * 1103515245u + 12345u;
  return ((float)(*s >> 8) / 16777216.0f - 0.5f) * 3.7f;
}

static void plain(int m, int n, int k, const float *a, size_t lda, const float *b, size_t ldb,
                  float *c, size_t ldc, const float *bias, int flags)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      float s = 0.0f;
      for (int kk = 0; kk < k; kk++) s += a[i * lda + kk] * b[kk * ldb + j];
      if (flags & P2CI_GEMM_ROW_BIAS) s += bias[i];
      if (flags & P2CI_GEMM_COL_BIAS) s += bias[j];
      if ((flags & P2CI_GEMM_RELU) && !(s > 0.0f)) s = 0.0f;
      c[i * ldc + j] = s;
    }
}

START_TEST(variants_match_the_plain_loop_bit_for_bit)
{
  static const int ms[] = {1, 2, 3, 4, 5, 6, 7, 11, 13, 16};
  static const int ns[] = {1, 3, 8, 9, 16, 17, 33, 274};
  static const int ks[] = {0, 1, 5, 32, 256, 257, 600};
  static const int fl[] = {0, P2CI_GEMM_ROW_BIAS | P2CI_GEMM_RELU, P2CI_GEMM_COL_BIAS,
                           P2CI_GEMM_COL_BIAS | P2CI_GEMM_RELU};
  const size_t pad = 3; /* strides longer than the rows */
  float *a = malloc(sizeof(float) * 16 * (600 + pad)), *b = malloc(sizeof(float) * 600 * (274 + pad)),
        *bias = malloc(sizeof(float) * 274), *want = malloc(sizeof(float) * 16 * (274 + pad)),
        *got = malloc(sizeof(float) * 16 * (274 + pad));
  ck_assert(a && b && bias && want && got);
  unsigned seed = 7;
  for (size_t i = 0; i < 16 * (600 + pad); i++) a[i] = frand(&seed);
  for (size_t i = 0; i < 600 * (274 + pad); i++) b[i] = frand(&seed);
  for (int i = 0; i < 274; i++) bias[i] = frand(&seed);
  size_t compared[3] = {0, 0, 0}, identical[3] = {0, 0, 0};
  int have[3] = {0, 0, 0};
  for (size_t mi = 0; mi < sizeof ms / sizeof *ms; mi++)
    for (size_t ni = 0; ni < sizeof ns / sizeof *ns; ni++)
      for (size_t ki = 0; ki < sizeof ks / sizeof *ks; ki++)
        for (size_t fi = 0; fi < sizeof fl / sizeof *fl; fi++) {
          const int m = ms[mi], n = ns[ni], k = ks[ki];
          const size_t lda = (size_t)k + pad, ldb = (size_t)n + pad, ldc = (size_t)n + pad;
          plain(m, n, k, a, lda, b, ldb, want, ldc, bias, fl[fi]);
          p2ci_gemm(m, n, k, a, lda, b, ldb, got, ldc, bias, fl[fi]);
          for (int i = 0; i < m; i++)
            ck_assert_mem_eq(got + i * ldc, want + i * ldc, sizeof(float) * (size_t)n);
          for (int v = 0; v < 3; v++) {
            for (size_t i = 0; i < 16 * ldc; i++) got[i] = -1.0f;
            if (p2ci_gemm_variant(v, m, n, k, a, lda, b, ldb, got, ldc, bias, fl[fi]) != 0) {
              ck_assert_int_ne(v, 0); /* the 4-wide one is always there */
              continue;
            }
            have[v] = 1;
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < n; j++)
                identical[v] += memcmp(&got[i * ldc + j], &want[i * ldc + j], sizeof(float)) == 0;
              compared[v] += (size_t)n;
              /* the padding between rows is never written */
              for (size_t j = (size_t)n; i + 1 < m && j < ldc; j++) ck_assert(got[i * ldc + j] == -1.0f);
            }
          }
        }
  static const char *const names[3] = {"4-wide", "AVX", "AVX-512"};
  for (int v = 0; v < 3; v++) {
    if (have[v])
      printf("gemm %s: %zu/%zu values bit-identical to the plain loop\n", names[v], identical[v],
             compared[v]);
    else
      printf("gemm %s: not built or not on this CPU\n", names[v]);
    ck_assert_uint_eq(identical[v], compared[v]);
  }
  ck_assert_uint_gt(compared[0], 0);
  free(a);
  free(b);
  free(bias);
  free(want);
  free(got);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("gemm");
  TCase *tc = tcase_create("gemm");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, variants_match_the_plain_loop_bit_for_bit);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
