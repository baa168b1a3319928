/* p2ci_gemm: a blocked matrix product, vectorised with GCC's vector
 * extensions (SSE2 everywhere on x86-64; AVX or AVX-512 when the CPU has
 * it, chosen at run time). No FMA: -ffp-contract=off keeps every term a multiply then an
 * add, so all variants give the same bits as the plain loop. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include "refmodel/gemm.h"

#include <string.h>

enum { MR_MAX = 8, NV = 2, KC = 256 };

#if defined(__GNUC__)

typedef float v4 __attribute__((vector_size(16)));
typedef int v4i __attribute__((vector_size(16)));
#define V v4
#define MR 4 /* 8 accumulators: 16 xmm registers */
#define VI v4i
#define W 4
#define KNAME(x) x##_v4
#define KTARGET
#include "refmodel/gemm_kernel.h"

#if defined(__x86_64__) && !defined(P2CI_NO_AVX)
#define HAVE_AVX_VARIANT 1
typedef float v8 __attribute__((vector_size(32)));
typedef int v8i __attribute__((vector_size(32)));
#define V v8
#define MR 6 /* 12 accumulators + 2 operands + 1 broadcast + 1 product: the 16 ymm registers */
#define VI v8i
#define W 8
#define KNAME(x) x##_v8
#define KTARGET __attribute__((target("avx")))
#include "refmodel/gemm_kernel.h"

#if !defined(P2CI_NO_AVX512)
#define HAVE_AVX512_VARIANT 1
typedef float v16 __attribute__((vector_size(64)));
typedef int v16i __attribute__((vector_size(64)));
#define V v16
#define MR 8 /* 16 accumulators + 2 operands + 1 broadcast: 19 of the 32 zmm registers */
#define VI v16i
#define W 16
#define KNAME(x) x##_v16
#define KTARGET __attribute__((target("avx512f")))
#include "refmodel/gemm_kernel.h"
#endif
#endif

typedef void gemm_fn(int m, int n, int k, const float *a, size_t lda, const float *b, size_t ldb,
                     float *c, size_t ldc, const float *bias, int flags);

/* The variant of that level, or NULL when it is not built or the CPU lacks it. */
static gemm_fn *variant(int level) {
  switch (level) {
    case 0: return gemm_v4;
#ifdef HAVE_AVX_VARIANT
    case 1: return __builtin_cpu_supports("avx") ? gemm_v8 : NULL;
#endif
#ifdef HAVE_AVX512_VARIANT
    case 2: return __builtin_cpu_supports("avx512f") ? gemm_v16 : NULL;
#endif
    default: return NULL;
  }
}

int p2ci_gemm_variant(int level, int m, int n, int k, const float *a, size_t lda, const float *b,
                      size_t ldb, float *c, size_t ldc, const float *bias, int flags) {
  gemm_fn *f = variant(level);
  if (!f) return -1;
  f(m, n, k, a, lda, b, ldb, c, ldc, bias, flags);
  return 0;
}

void p2ci_gemm(int m, int n, int k, const float *a, size_t lda, const float *b, size_t ldb,
               float *c, size_t ldc, const float *bias, int flags) {
  gemm_fn *f = NULL;
  for (int level = 2; !f; level--) f = variant(level); /* the widest there is */
  f(m, n, k, a, lda, b, ldb, c, ldc, bias, flags);
}

#else

int p2ci_gemm_variant(int level, int m, int n, int k, const float *a, size_t lda, const float *b,
                      size_t ldb, float *c, size_t ldc, const float *bias, int flags) {
  if (level) return -1;
  p2ci_gemm(m, n, k, a, lda, b, ldb, c, ldc, bias, flags);
  return 0;
}

void p2ci_gemm(int m, int n, int k, const float *a, size_t lda, const float *b, size_t ldb,
               float *c, size_t ldc, const float *bias, int flags) {
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

#endif
