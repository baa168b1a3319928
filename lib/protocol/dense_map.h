/* The dense-captioning mAP grid: AP over IoU thresholds x METEOR thresholds,
 * plus the detection-only APs (no METEOR condition). */
#ifndef P2C_PROTOCOL_DENSE_MAP_H
#define P2C_PROTOCOL_DENSE_MAP_H

#include <stddef.h>
#include <stdint.h>

#define P2CI_MAP_NIOU 5
#define P2CI_MAP_NMETEOR 6
/* {0.3, 0.4, 0.5, 0.6, 0.7} and {0, 0.05, 0.1, 0.15, 0.2, 0.25}, the literals
 * of both the Pix2Cap-COCO script and DenseCap. */
extern const double p2ci_map_iou_thresholds[P2CI_MAP_NIOU];
extern const double p2ci_map_meteor_thresholds[P2CI_MAP_NMETEOR];
/* The official JSON key suffixes: "0.3" ... and "0", "0.05" ... (Python's
 * str() of the literals). */
extern const char *const p2ci_map_iou_names[P2CI_MAP_NIOU];
extern const char *const p2ci_map_meteor_names[P2CI_MAP_NMETEOR];

typedef struct p2ci_map_result {
  double ap[P2CI_MAP_NIOU][P2CI_MAP_NMETEOR];
  double det_ap[P2CI_MAP_NIOU];
  double map, detmap;
} p2ci_map_result;

/* One entry of the ranked list. */
typedef struct p2ci_map_record {
  double iou;          /* overlap with the GT segment it was assigned to */
  double meteor;       /* caption score against that GT segment's caption */
  unsigned char fp;    /* 1: a false positive whatever the thresholds (no GT,
                          GT already taken, empty caption in the official form) */
} p2ci_map_record;

/* Official form: records in the order given, TP iff !fp && iou >= t &&
 * meteor > m (m = -1 for the detection-only APs), p2ci_ap_official, then
 * map/detmap as np.mean. */
int p2ci_map_official(const p2ci_map_record *rec, size_t n, uint64_t npos, p2ci_map_result *out);
/* Default form: same TP rule, p2ci_ap_exact, map/detmap as plain means (NaN
 * when npos == 0). */
int p2ci_map_exact(const p2ci_map_record *rec, size_t n, uint64_t npos, p2ci_map_result *out);

#endif
