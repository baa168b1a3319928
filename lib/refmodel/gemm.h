/* The matrix product under every layer of the reference model. */
#ifndef P2C_REFMODEL_GEMM_H
#define P2C_REFMODEL_GEMM_H

#include <stddef.h>

/* c (m x n, row stride ldc) = a (m x k, lda) . b (k x n, ldb), all row-major.
 * Every element is summed over k in order, starting from +0 (one multiply,
 * then one add, per term): the result does not depend on the blocking, the
 * vector width or the CPU, so the model's outputs are the same bytes on any
 * x86-64 (with or without AVX) as from the plain loop. */
void p2ci_gemm(int m, int n, int k, const float *a, size_t lda, const float *b, size_t ldb,
               float *c, size_t ldc);

#endif
