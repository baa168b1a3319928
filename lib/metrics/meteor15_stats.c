/* METEOR 1.5's score from its 23 sufficient statistics
 * (MeteorScorer.computeMetrics, in its operation order) and the corpus
 * aggregation (MeteorStats.addStats). */
#include <math.h>

#include "metrics/meteor15.h"
#include "p2ceval.h"

/* English "rank" task parameters (util/Constants.java: PARAM_RANK, WEIGHT_RANK). */
static const double alpha = 0.85, beta = 0.2, gamma_ = 0.6, delta = 0.75;
static const double module_weight[P2CI_M15_MODULES] = {1.0, 0.6, 0.8, 0.6};

/* Matched words counted over all modules, as MeteorStats(String) rebuilds them. */
static void totals(const double s[23], double *test_total, double *ref_total)
{
  double t = 0.0, r = 0.0;
  for (int i = 0; i < P2CI_M15_MODULES; i++) {
    t += s[4 + 4 * i];
    r += s[5 + 4 * i];
    t += s[6 + 4 * i];
    r += s[7 + 4 * i];
  }
  *test_total = t;
  *ref_total = r;
}

double p2ci_m15_score_stats(const double s[23])
{
  double test_len = s[0], ref_len = s[1], test_fw = s[2], ref_fw = s[3];
  double chunks = s[20], test_words = s[21], ref_words = s[22];
  double test_wlen = (delta * (test_len - test_fw)) + ((1.0 - delta) * test_fw);
  double ref_wlen = (delta * (ref_len - ref_fw)) + ((1.0 - delta) * ref_fw);
  double test_wm = 0.0, ref_wm = 0.0;
  for (int i = 0; i < P2CI_M15_MODULES; i++) test_wm += s[4 + 4 * i] * module_weight[i] * delta;
  for (int i = 0; i < P2CI_M15_MODULES; i++) ref_wm += s[5 + 4 * i] * module_weight[i] * delta;
  for (int i = 0; i < P2CI_M15_MODULES; i++)
    test_wm += s[6 + 4 * i] * module_weight[i] * (1.0 - delta);
  for (int i = 0; i < P2CI_M15_MODULES; i++)
    ref_wm += s[7 + 4 * i] * module_weight[i] * (1.0 - delta);
  double precision = test_wm / test_wlen, recall = ref_wm / ref_wlen;
  double fmean = 1.0 / (((1.0 - alpha) / precision) + (alpha / recall));
  double test_total, ref_total, frag;
  totals(s, &test_total, &ref_total);
  if (test_total == test_len && ref_total == ref_len && chunks == 1) frag = 0;
  else frag = chunks / ((test_words + ref_words) / 2);
  double penalty = gamma_ * pow(frag, beta);
  double score = fmean * (1.0 - penalty);
  if (isnan(score)) return 0;
  return score > 0.0 ? score : 0.0; /* Math.max(score, 0.0) */
}

P2C_API double p2c_meteor15_stats_score(const double stats[P2C_METEOR15_NUM_STATS])
{
  return p2ci_m15_score_stats(stats);
}

P2C_API void p2c_meteor15_stats_add(double acc[P2C_METEOR15_NUM_STATS],
                                    const double stats[P2C_METEOR15_NUM_STATS])
{
  double test_total, ref_total;
  totals(stats, &test_total, &ref_total);
  int perfect = test_total == stats[0] && ref_total == stats[1] && stats[20] == 1.0;
  for (int i = 0; i < P2C_METEOR15_NUM_STATS; i++)
    if (i != 20 || !perfect) acc[i] += stats[i];
}
