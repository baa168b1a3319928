/* Detailed object descriptions in the style of Pix2Cap-COCO, from a seeded
 * grammar over what a scene actually shows (docs/synth.md), and the edits
 * that turn a description into an imperfect predicted caption. */
#ifndef P2C_SYNTH_CAPTION_H
#define P2C_SYNTH_CAPTION_H

#include "synth/rng.h"
#include "synth/scene.h"

/* Describe segment i of a rendered scene. Returns a malloc'd sentence, or
 * NULL when out of memory. */
char *p2ci_describe(const p2ci_scene *s, int i, p2ci_rng *r);
/* A copy of text with 1..3 word edits (swaps, drops, synonyms, colour
 * changes); NULL when out of memory. */
char *p2ci_caption_edit(const char *text, p2ci_rng *r);

#endif
