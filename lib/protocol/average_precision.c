#include "protocol/average_precision.h"

#include <math.h>
#include <stdlib.h>

#include "core/internal.h"

/* Running maximum of precision from the end: since recall never decreases
 * along the list, "max prec where rec >= t" is the suffix maximum at the first
 * index whose recall reaches t. Both forms walk thresholds and the list
 * together, so one pass answers all 101 thresholds. */

int p2ci_ap_official(const unsigned char *tp, size_t n, uint64_t npos, double *out)
{
  if (n == 0) { /* np.max of an empty mask raises: the script takes p = 0 */
    *out = 0.0;
    return P2C_OK;
  }
  double *rec = p2ci_malloc_array(n, sizeof *rec);
  double *best = p2ci_malloc_array(n, sizeof *best);
  if (!rec || !best) {
    free(rec);
    free(best);
    return P2C_ERR_NOMEM;
  }
  /* np.cumsum over float64 0/1 arrays: exact integers. */
  double ctp = 0.0, cfp = 0.0;
  const double dnpos = (double)npos;
  for (size_t i = 0; i < n; i++) {
    if (tp[i])
      ctp += 1.0;
    else
      cfp += 1.0;
    rec[i] = ctp / dnpos;
    best[i] = ctp / (cfp + ctp);
  }
  /* np.max propagates NaN; prec is never NaN here (fp + tp >= 1). */
  for (size_t i = n - 1; i-- > 0;)
    if (best[i + 1] > best[i]) best[i] = best[i + 1];
  double ap = 0.0;
  size_t first = 0;
  for (int k = 0; k < P2CI_AP_POINTS; k++) {
    const double t = (double)k * 0.01; /* numpy's arange fill: start + k * delta */
    double p = 0.0;
    if (npos > 0) {
      /* rec = ctp / npos never decreases: the mask is a suffix. */
      while (first < n && !(rec[first] >= t)) first++;
      if (first < n) p = best[first];
    } else {
      /* 0/0 is NaN and fails every comparison: scan as the boolean mask would. */
      for (size_t i = 0; i < n; i++)
        if (rec[i] >= t) {
          p = best[i];
          break;
        }
    }
    ap += p;
  }
  free(rec);
  free(best);
  *out = ap / (double)P2CI_AP_POINTS;
  return P2C_OK;
}

int p2ci_ap_exact(const unsigned char *tp, size_t n, uint64_t npos, double *out)
{
  if (npos == 0 || n == 0) {
    *out = npos == 0 ? NAN : 0.0;
    return P2C_OK;
  }
  uint64_t *ctp = p2ci_malloc_array(n, sizeof *ctp);
  double *best = p2ci_malloc_array(n, sizeof *best);
  if (!ctp || !best) {
    free(ctp);
    free(best);
    return P2C_ERR_NOMEM;
  }
  uint64_t c = 0;
  for (size_t i = 0; i < n; i++) {
    c += tp[i] ? 1 : 0;
    ctp[i] = c;
    best[i] = (double)c / (double)(i + 1);
  }
  for (size_t i = n - 1; i-- > 0;)
    if (best[i + 1] > best[i]) best[i] = best[i + 1];
  double ap = 0.0;
  size_t i = 0;
  for (uint64_t k = 0; k < P2CI_AP_POINTS; k++) {
    while (i < n && ctp[i] * 100 < k * npos) i++;
    ap += i < n ? best[i] : 0.0;
  }
  free(ctp);
  free(best);
  *out = ap / (double)P2CI_AP_POINTS;
  return P2C_OK;
}
