/* One synthetic scene: its segments (stuff bands, a crowd, thing instances
 * made of primitive shapes), how they are painted into an id map and an RGB
 * image, and what is measured on the result for the captions. The ground
 * truth and the prediction of an image are two scenes; the prediction is a
 * perturbed copy of the ground truth (perturb.c). */
#ifndef P2C_SYNTH_SCENE_H
#define P2C_SYNTH_SCENE_H

#include <stdint.h>

#include "p2ceval.h"
#include "synth/catalog.h"
#include "synth/rng.h"

#define P2CI_MAX_SEGS 64
#define P2CI_MAX_PRIMS 16
#define P2CI_MAX_THINGS 24
#define P2CI_MAX_SPURIOUS 16
#define P2CI_MAX_VOIDS 4

typedef struct p2ci_prim {
  uint8_t kind;   /* P2CI_PRIM_ */
  uint8_t rgb[3]; /* drawn colour */
  double cx, cy, rx, ry; /* centre and half sizes, pixels */
} p2ci_prim;

/* y = base + amp * noise(x * freq) + amp / 3 * noise(4 x * freq), shifted by xoff. */
typedef struct p2ci_curve {
  double base, amp, freq, xoff;
  uint64_t key;
} p2ci_curve;

double p2ci_curve_at(const p2ci_curve *c, double x);

/* Surface textures of things in the RGB rendering, from their material. */
enum { P2CI_SURFACE_PLAIN, P2CI_SURFACE_WOOD, P2CI_SURFACE_METAL, P2CI_SURFACE_GLASS,
       P2CI_SURFACE_WEAVE, P2CI_SURFACE_LEATHER, P2CI_SURFACE_FUR };

/* Perturbations of a prediction segment (logged in the manifest). */
enum { P2CI_OP_COPY, P2CI_OP_MISS, P2CI_OP_DILATE, P2CI_OP_ERODE, P2CI_OP_SHIFT,
       P2CI_OP_WRONG_CATEGORY, P2CI_OP_SPURIOUS, P2CI_OP_ON_VOID, P2CI_OP_ON_CROWD };
enum { P2CI_CAP_COPY, P2CI_CAP_EDIT, P2CI_CAP_UNRELATED, P2CI_CAP_EMPTY, P2CI_CAP_OWN };

typedef struct p2ci_seg {
  uint32_t id; /* R + 256 G + 65536 B in the PNG */
  int category_id;
  int isthing, iscrowd;
  const p2ci_thing_kind *tk; /* things */
  const p2ci_stuff_kind *sk; /* stuff */
  int colour, colour2;       /* p2ci_colours indices of ROLE_MAIN / ROLE_SECOND; -1 none */
  int material, part, noun, verb; /* indices into tk lists; -1 none */
  int surface;               /* a P2CI_SURFACE_: how the rendering textures it */
  double order;              /* painter's key of things: larger is nearer */
  /* geometry: a band between two curves (stuff) or a union of primitives */
  int is_band, has_top, has_bottom;
  p2ci_curve top, bottom;
  int nprims;
  p2ci_prim prims[P2CI_MAX_PRIMS];
  int void_outline;
  /* measured on the painted id map */
  int64_t area;
  int bx0, by0, bx1, by1; /* inclusive pixel bounds */
  double sumx, sumy;
  char *text; /* description (ground truth) or caption (prediction); owned */
  /* prediction bookkeeping */
  int gt_index; /* the ground-truth segment it perturbs, -1 if invented */
  int op, caption_mode, score_milli, morph, dx, dy;
} p2ci_seg;

typedef struct p2ci_scene {
  int width, height;
  const p2ci_scene_kind *kind;
  uint64_t texture_key;
  int wall_colour; /* the colour of a plain wall ("%c") */
  int cloudy;
  int nsegs;
  p2ci_seg segs[P2CI_MAX_SEGS];
  int nvoids;
  p2ci_prim voids[P2CI_MAX_VOIDS];
  uint8_t *index;  /* width*height: 1 + segment index, 0 = void */
  uint8_t *scratch; /* width*height */
  int *col_top, *col_bottom; /* width: a band's rows per column */
  /* relations, measured on index (rows: segment a, columns: segment b) */
  int32_t below[P2CI_MAX_SEGS][P2CI_MAX_SEGS]; /* pixels of a directly above a pixel of b */
  int32_t side[P2CI_MAX_SEGS][P2CI_MAX_SEGS];  /* horizontally adjacent pixels */
  int32_t occl[P2CI_MAX_SEGS][P2CI_MAX_SEGS];  /* pixels of b painted over by a */
} p2ci_scene;

/* Allocate the pixel buffers of a scene of this size; p2ci_scene_free releases them. */
p2ci_scene *p2ci_scene_new(int width, int height);
void p2ci_scene_free(p2ci_scene *s);
/* Forget the segments (and their texts) of a scene, keep its buffers. */
void p2ci_scene_clear(p2ci_scene *s);

/* Draw a ground-truth scene: stuff bands, maybe a crowd, things, voids. */
void p2ci_scene_generate(p2ci_scene *s, const p2c_synth_options *o, p2ci_rng *r);
/* Paint s->index (and rgb, width*height*3, when not NULL), apply the voids,
 * measure areas, boxes and relations. */
void p2ci_scene_render(p2ci_scene *s, uint8_t *rgb, int apply_voids);
/* Remove the things (crowds excepted) that show fewer than min_area pixels
 * after painting. Returns how many were removed; render again after. */
int p2ci_scene_drop_small(p2ci_scene *s, int64_t min_area);
/* Draw unique random ids in 1..2^24-1 for the segments. */
void p2ci_scene_assign_ids(p2ci_scene *s, p2ci_rng *r);
/* The id map as RGB bytes (R = id & 255, ...). */
void p2ci_scene_id_pixels(const p2ci_scene *s, uint8_t *rgb);

/* A segment template: a thing of kind tk in the box (x0, y0, w, h). */
void p2ci_thing_init(p2ci_seg *g, const p2ci_thing_kind *tk, double x0, double y0, double w,
                     double h, p2ci_rng *r);

#endif
