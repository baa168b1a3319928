/* Colours of the rendered RGB image: textured stuff, shaded things. */
#ifndef P2C_SYNTH_TEXTURE_H
#define P2C_SYNTH_TEXTURE_H

#include <stdint.h>

#include "synth/scene.h"

void p2ci_stuff_texture(const p2ci_scene *s, const p2ci_seg *g, int x, int y, uint8_t out[3]);
void p2ci_thing_texture(const p2ci_scene *s, const p2ci_seg *g, const p2ci_prim *p, int x, int y,
                        uint8_t out[3]);

#endif
