#include "protocol/dense_map.h"

#include <stdlib.h>

#include "core/internal.h"
#include "core/summation.h"
#include "protocol/average_precision.h"

const double p2ci_map_iou_thresholds[P2CI_MAP_NIOU] = {0.3, 0.4, 0.5, 0.6, 0.7};
const double p2ci_map_meteor_thresholds[P2CI_MAP_NMETEOR] = {0, 0.05, 0.1, 0.15, 0.2, 0.25};
const char *const p2ci_map_iou_names[P2CI_MAP_NIOU] = {"0.3", "0.4", "0.5", "0.6", "0.7"};
const char *const p2ci_map_meteor_names[P2CI_MAP_NMETEOR] = {"0", "0.05", "0.1", "0.15", "0.2", "0.25"};

typedef int (*ap_fn)(const unsigned char *, size_t, uint64_t, double *);

static int grid(const p2ci_map_record *rec, size_t n, uint64_t npos, ap_fn ap, p2ci_map_result *out)
{
  unsigned char *tp = p2ci_malloc_array(n ? n : 1, 1);
  if (!tp) return P2C_ERR_NOMEM;
  int rc = P2C_OK;
  for (int a = 0; a < P2CI_MAP_NIOU && rc == P2C_OK; a++) {
    const double t = p2ci_map_iou_thresholds[a];
    /* min_score -1 first, as the script's list: the detection-only AP. */
    for (int m = -1; m < P2CI_MAP_NMETEOR && rc == P2C_OK; m++) {
      const double s = m < 0 ? -1.0 : p2ci_map_meteor_thresholds[m];
      for (size_t i = 0; i < n; i++)
        tp[i] = !rec[i].fp && rec[i].iou >= t && rec[i].meteor > s;
      rc = ap(tp, n, npos, m < 0 ? &out->det_ap[a] : &out->ap[a][m]);
    }
  }
  free(tp);
  return rc;
}

int p2ci_map_official(const p2ci_map_record *rec, size_t n, uint64_t npos, p2ci_map_result *out)
{
  int rc = grid(rec, n, npos, p2ci_ap_official, out);
  if (rc != P2C_OK) return rc;
  /* np.mean(list(ap_results.values())): the dict holds the keys in loop order. */
  out->map = p2ci_mean_numpy(&out->ap[0][0], P2CI_MAP_NIOU * P2CI_MAP_NMETEOR);
  out->detmap = p2ci_mean_numpy(out->det_ap, P2CI_MAP_NIOU);
  return P2C_OK;
}

static double plain_mean(const double *x, size_t n)
{
  return p2ci_sum_sequential(x, n) / (double)n;
}

int p2ci_map_exact(const p2ci_map_record *rec, size_t n, uint64_t npos, p2ci_map_result *out)
{
  int rc = grid(rec, n, npos, p2ci_ap_exact, out);
  if (rc != P2C_OK) return rc;
  out->map = plain_mean(&out->ap[0][0], P2CI_MAP_NIOU * P2CI_MAP_NMETEOR);
  out->detmap = plain_mean(out->det_ap, P2CI_MAP_NIOU);
  return P2C_OK;
}
