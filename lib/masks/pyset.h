/* The iteration order of a CPython 3.x set of ints, so that an error message
 * can list ids exactly as panopticapi prints `list(set)`. */
#ifndef P2C_MASKS_PYSET_H
#define P2C_MASKS_PYSET_H

#include <stddef.h>
#include <stdint.h>

/* Reorder ids[0..n) (the members of a set built by inserting all[0..nall) in
 * order, then removing the others) into the order CPython iterates it.
 * Returns 0, or -1 when out of memory (ids are then left sorted). */
int p2ci_pyset_order(const int64_t *all, size_t nall, int64_t *ids, size_t n);

#endif
