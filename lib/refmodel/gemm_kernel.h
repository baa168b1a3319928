/* A register-blocked p2ci_gemm for one vector type; included by gemm.c once
 * per instruction set, with
 *   V       the vector type (GCC vector extension), W its number of floats,
 *   VI      the integer vector of the same size (for masks),
 *   MR      the rows of a tile,
 *   KNAME(x) the name of this variant's function x, KTARGET its attributes
 * (all undefined again at the end).
 * A tile of MR rows x NV vectors of c stays in registers while k runs; the
 * k loop is cut in blocks of KC so that the panel of b a tile reads stays in
 * L1 across all rows of a (c is stored and reloaded between blocks, which
 * keeps each element's terms in order). */

static inline __attribute__((always_inline)) KTARGET V KNAME(load)(const float *p) {
  V v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* ep: the epilogue (the bias and ReLU of the layer), applied after the
 * last block of k, so that each element still is (sum) + bias, then ReLU. */
typedef struct KNAME(epilogue) {
  const float *row_bias, *col_bias;
  int relu, last;
} KNAME(epilogue);

static inline __attribute__((always_inline)) KTARGET void KNAME(tile)(
    const int mr, const int nv, size_t k, const float *a, size_t lda, const float *b, size_t ldb,
    float *c, size_t ldc, int resume, const KNAME(epilogue) *ep) {
  V acc[MR_MAX][NV];
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nv; j++) acc[i][j] = resume ? KNAME(load)(c + i * ldc + j * W) : (V){0};
  for (size_t kk = 0; kk < k; kk++) {
    V bv[NV];
    for (int j = 0; j < nv; j++) bv[j] = KNAME(load)(b + kk * ldb + j * W);
    for (int i = 0; i < mr; i++) {
      const float s = a[i * lda + kk];
      for (int j = 0; j < nv; j++) acc[i][j] += bv[j] * s;
    }
  }
  if (ep->last)
    for (int i = 0; i < mr; i++)
      for (int j = 0; j < nv; j++) {
        if (ep->row_bias) acc[i][j] += ep->row_bias[i];
        if (ep->col_bias) acc[i][j] += KNAME(load)(ep->col_bias + j * W);
        if (ep->relu) acc[i][j] = (V)((VI)acc[i][j] & (acc[i][j] > (V){0}));
      }
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nv; j++) memcpy(c + i * ldc + j * W, &acc[i][j], sizeof(V));
}

/* The rows of a column block of nv vectors, MR at a time (the switch makes
 * every call's shape a constant, so the tile is fully unrolled). */
static inline __attribute__((always_inline)) KTARGET void KNAME(rows)(
    const int nv, int m, size_t k, const float *a, size_t lda, const float *b, size_t ldb,
    float *c, size_t ldc, int resume, KNAME(epilogue) ep) {
  int i = 0;
  for (; i + MR <= m; i += MR) {
    KNAME(tile)(MR, nv, k, a + i * lda, lda, b, ldb, c + i * ldc, ldc, resume, &ep);
    if (ep.row_bias) ep.row_bias += MR;
  }
  const float *ai = a + i * lda;
  float *ci = c + i * ldc;
  switch (m - i) {
    case 7: KNAME(tile)(7, nv, k, ai, lda, b, ldb, ci, ldc, resume, &ep); break;
    case 6: KNAME(tile)(6, nv, k, ai, lda, b, ldb, ci, ldc, resume, &ep); break;
    case 5: KNAME(tile)(5, nv, k, ai, lda, b, ldb, ci, ldc, resume, &ep); break;
    case 4: KNAME(tile)(4, nv, k, ai, lda, b, ldb, ci, ldc, resume, &ep); break;
    case 3: KNAME(tile)(3, nv, k, ai, lda, b, ldb, ci, ldc, resume, &ep); break;
    case 2: KNAME(tile)(2, nv, k, ai, lda, b, ldb, ci, ldc, resume, &ep); break;
    case 1: KNAME(tile)(1, nv, k, ai, lda, b, ldb, ci, ldc, resume, &ep); break;
    default: break;
  }
}

static KTARGET void KNAME(gemm)(int m, int n, int k, const float *a, size_t lda, const float *b,
                                size_t ldb, float *c, size_t ldc, const float *bias, int flags) {
  for (int k0 = 0; k0 < k || k0 == 0; k0 += KC) {
    const size_t kn = (size_t)(k - k0 < KC ? k - k0 : KC);
    const int resume = k0 > 0, last = k0 + KC >= k;
    const float *ak = a + k0, *bk = b + (size_t)k0 * ldb;
    KNAME(epilogue) ep = {(flags & P2CI_GEMM_ROW_BIAS) ? bias : NULL, NULL,
                          (flags & P2CI_GEMM_RELU) != 0, last};
    const float *cb = (flags & P2CI_GEMM_COL_BIAS) ? bias : NULL;
    int j = 0;
    for (; j + NV * W <= n; j += NV * W) {
      ep.col_bias = cb ? cb + j : NULL;
      if (m > MR) {
        /* the panel is read once per tile of rows: copied to contiguous
         * memory first, since rows of b a plane apart (a convolution's
         * im2col: 16 KB at 64x64) fall into the same cache sets */
        float panel[KC * NV * W] __attribute__((aligned(64)));
        for (size_t kk = 0; kk < kn; kk++)
          memcpy(panel + kk * NV * W, bk + kk * ldb + j, sizeof(float) * NV * W);
        KNAME(rows)(NV, m, kn, ak, lda, panel, NV * W, c + j, ldc, resume, ep);
      } else {
        KNAME(rows)(NV, m, kn, ak, lda, bk + j, ldb, c + j, ldc, resume, ep);
      }
    }
    for (; j + W <= n; j += W) {
      ep.col_bias = cb ? cb + j : NULL;
      KNAME(rows)(1, m, kn, ak, lda, bk + j, ldb, c + j, ldc, resume, ep);
    }
    for (; j < n; j++)
      for (int i = 0; i < m; i++) {
        float s = resume ? c[i * ldc + j] : 0.0f;
        for (size_t kk = 0; kk < kn; kk++) s += ak[i * lda + kk] * bk[kk * ldb + j];
        if (last) {
          if (ep.row_bias) s += ep.row_bias[i];
          if (cb) s += cb[j];
          if (ep.relu && !(s > 0.0f)) s = 0.0f;
        }
        c[i * ldc + j] = s;
      }
  }
}

#undef V
#undef MR
#undef VI
#undef W
#undef KNAME
#undef KTARGET
