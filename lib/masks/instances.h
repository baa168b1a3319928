/* Instance-format predictions (private layout). */
#ifndef P2C_MASKS_INSTANCES_H
#define P2C_MASKS_INSTANCES_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

typedef struct p2ci_instance {
  int64_t image_id, category_id, id;
  double score;
  int has_score;
  char *caption;
  p2c_rle *mask;
  size_t index; /* position in the file */
} p2ci_instance;

struct p2c_instances {
  p2ci_instance *items; /* file order */
  size_t n;
  p2ci_instance **order; /* by image id, descending score, file order */
};

int p2ci_instances_index(p2c_instances *inst, p2c_error *err);
/* The predictions of one image, in matching order; returns how many. */
size_t p2ci_instances_of_image(const p2c_instances *inst, int64_t image_id,
                               p2ci_instance *const **first);

#endif
