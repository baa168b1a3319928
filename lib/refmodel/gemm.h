/* The matrix product under every layer of the reference model. */
#ifndef P2C_REFMODEL_GEMM_H
#define P2C_REFMODEL_GEMM_H

#include <stddef.h>

enum {
  P2CI_GEMM_ROW_BIAS = 1, /* c[i][j] += bias[i] (a convolution's output channels) */
  P2CI_GEMM_COL_BIAS = 2, /* c[i][j] += bias[j] (a linear layer's outputs) */
  P2CI_GEMM_RELU = 4      /* then c = c > 0 ? c : 0 */
};

/* c (m x n, row stride ldc) = a (m x k, lda) . b (k x n, ldb), all row-major,
 * then the bias and ReLU that flags ask for (bias may be NULL without them).
 * Every element is summed over k in order, starting from +0 (one multiply,
 * then one add, per term), then the bias is added: the result does not
 * depend on the blocking, the vector width or the CPU, so the model's
 * outputs are the same bytes with any instruction set as from the plain loop. */
void p2ci_gemm(int m, int n, int k, const float *a, size_t lda, const float *b, size_t ldb,
               float *c, size_t ldc, const float *bias, int flags);
/* One variant of it, for tests: level 0 is the 4-wide one, 1 the AVX one, 2
 * the AVX-512 one;
 * -1 (and c untouched) when that variant is not built or the CPU lacks it. */
int p2ci_gemm_variant(int level, int m, int n, int k, const float *a, size_t lda, const float *b,
                      size_t ldb, float *c, size_t ldc, const float *bias, int flags);

#endif
