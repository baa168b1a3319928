/* The (GT id, prediction id) pixel histogram of one image. */
#ifndef P2C_PROTOCOL_OVERLAP_H
#define P2C_PROTOCOL_OVERLAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct p2ci_idpair_count {
  uint64_t key; /* gt_id << 32 | pred_id */
  int64_t count;
} p2ci_idpair_count;

/* Count every (gt[i], pred[i]) combination of two id maps of n pixels. On
 * success *out (malloc'd, caller frees) holds *nout entries in ascending key
 * order: ascending GT id, then prediction id, as np.unique does. */
int p2ci_overlap_count(const uint32_t *gt, const uint32_t *pred, size_t n, p2ci_idpair_count **out,
                       size_t *nout);

#endif
