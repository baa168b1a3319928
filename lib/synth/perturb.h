/* The prediction of an image: a perturbed copy of its ground-truth scene. */
#ifndef P2C_SYNTH_PERTURB_H
#define P2C_SYNTH_PERTURB_H

#include "synth/scene.h"

/* Fill pred (cleared first) from the rendered, described ground truth gt:
 * per segment an operation (copy, miss, dilate, erode, shift, wrong
 * category), then invented segments and segments on void or crowd regions.
 * Captions are chosen later (p2ci_predict_captions), once pred is rendered. */
void p2ci_predict_scene(const p2ci_scene *gt, p2ci_scene *pred, const p2c_synth_options *o,
                        p2ci_rng *r);
/* Give every segment of the rendered pred a caption and a score. Returns 0 or
 * P2C_ERR_NOMEM. */
int p2ci_predict_captions(const p2ci_scene *gt, p2ci_scene *pred, const p2c_synth_options *o,
                          p2ci_rng *r);

#endif
