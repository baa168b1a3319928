#include <math.h>

#include "core/summation.h"

/* numpy/core/src/umath/loops_utils.h.src, pairwise_sum: below 8 a plain loop,
 * up to 128 eight interleaved accumulators combined as a tree, above that two
 * halves whose split point is a multiple of 8. */
static double pairwise(const double *a, size_t n)
{
  if (n < 8) {
    double res = 0.;
    for (size_t i = 0; i < n; i++) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    size_t i;
    for (int j = 0; j < 8; j++) r[j] = a[j];
    for (i = 8; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; j++) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise(a, n2) + pairwise(a + n2, n - n2);
}

double p2ci_sum_numpy(const double *x, size_t n)
{
  const size_t block = 8192;
  double acc = 0.0;
  for (size_t off = 0; off < n; off += block) {
    size_t m = n - off < block ? n - off : block;
    acc += pairwise(x + off, m);
  }
  return acc;
}

double p2ci_mean_numpy(const double *x, size_t n)
{
  if (n == 0) return NAN;
  return p2ci_sum_numpy(x, n) / (double)n;
}

double p2ci_sum_sequential(const double *x, size_t n)
{
  double acc = 0.0;
  for (size_t i = 0; i < n; i++) acc += x[i];
  return acc;
}
