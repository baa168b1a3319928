/* Dense-captioning average precision over a ranked list of detections, in the
 * two forms the protocols use. Both take the list already in rank order and a
 * 0/1 "true positive" flag per entry; everything not a true positive is a
 * false positive (entries that must be ignored are left out by the caller). */
#ifndef P2C_PROTOCOL_AVERAGE_PRECISION_H
#define P2C_PROTOCOL_AVERAGE_PRECISION_H

#include <stddef.h>
#include <stdint.h>

/* Number of recall thresholds of both forms: t = 0, 0.01, ..., 1. */
#define P2CI_AP_POINTS 101

/* The Pix2Cap-COCO script (caption_distribute_map.map_compute), float for
 * float: cumulative tp/fp, rec = tp / npos, prec = tp / (fp + tp), thresholds
 * t_i = i * 0.01 (what np.arange(0, 1.01, 0.01) holds), p_i = max prec where
 * rec >= t_i (0 if none), AP = (sum of p_i left to right) / 101.
 * npos == 0 is the script's division by zero: rec is inf or nan, as numpy.
 * Both return P2C_OK or P2C_ERR_NOMEM and store the AP in *out. */
int p2ci_ap_official(const unsigned char *tp, size_t n, uint64_t npos, double *out);

/* The corrected form (DenseCap's 101-point max-interpolated AP, recall
 * compared exactly): rec >= i/100 is decided on integers, tp * 100 >= i * npos,
 * so a recall of exactly 7/100 passes the 0.07 threshold (t_7 = 7 * 0.01 is
 * 0.07000000000000001 in the official form). NaN when npos == 0 (the AP of a
 * set with no positive is undefined). */
int p2ci_ap_exact(const unsigned char *tp, size_t n, uint64_t npos, double *out);

#endif
