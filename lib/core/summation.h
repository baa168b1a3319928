/* Every floating-point reduction whose order decides the last bits of a
 * published number lives here, so parity and determinism are visible in one
 * file. */
#ifndef P2C_CORE_SUMMATION_H
#define P2C_CORE_SUMMATION_H

#include <stddef.h>

/* Sum as numpy's add.reduce does on a contiguous float64 array: 0.0 plus,
 * block by block (8192 elements, numpy's ufunc buffer), the pairwise sum of
 * each block (8 accumulators, halves over 128 elements). */
double p2ci_sum_numpy(const double *x, size_t n);
/* numpy.mean: p2ci_sum_numpy / n. n == 0 gives NaN, as numpy does. */
double p2ci_mean_numpy(const double *x, size_t n);
/* Plain left-to-right sum from 0.0 (Python's sum() over floats). */
double p2ci_sum_sequential(const double *x, size_t n);

#endif
