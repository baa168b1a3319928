/* Private entry points of the p2c_captions handle for other parts of the
 * library (the COCO file reader). */
#ifndef P2C_METRICS_CAPTION_SCORER_H
#define P2C_METRICS_CAPTION_SCORER_H

#include "p2ceval.h"

/* Record err as the handle's last error; returns err->code. */
int p2ci_captions_fail(p2c_captions *c, const p2c_error *err);

/* The state of a selected metric family after a successful
 * p2c_captions_score (what its create() made), else NULL. Lets a metric
 * offer results beyond one number per output (SPICE-style's detail). */
struct p2ci_caption_metric;
void *p2ci_captions_family_state(const p2c_captions *c, const struct p2ci_caption_metric *m);

#endif
