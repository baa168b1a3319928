/* What p2c-synth can draw and say: categories (COCO panoptic ids and colours),
 * colour names, thing templates and stuff phrases. Static tables only. */
#ifndef P2C_SYNTH_CATALOG_H
#define P2C_SYNTH_CATALOG_H

#include <stdint.h>

typedef struct p2ci_category {
  int id;
  const char *name;
  const char *supercategory;
  int isthing;
  uint8_t color[3]; /* the COCO panoptic colour of the category */
} p2ci_category;

extern const p2ci_category p2ci_categories[];
extern const int p2ci_num_categories;

/* Named colours: things are drawn in them and described by them. */
typedef struct p2ci_colour {
  const char *name; /* "light blue" */
  uint8_t rgb[3];
} p2ci_colour;
extern const p2ci_colour p2ci_colours[];
enum {
  P2CI_RED, P2CI_BLUE, P2CI_GREEN, P2CI_YELLOW, P2CI_WHITE, P2CI_BLACK, P2CI_BROWN, P2CI_GREY,
  P2CI_ORANGE, P2CI_PINK, P2CI_PURPLE, P2CI_SILVER, P2CI_BEIGE, P2CI_TAN, P2CI_DARK_BLUE,
  P2CI_LIGHT_BLUE, P2CI_GOLDEN, P2CI_NUM_COLOURS
};

/* Primitive shapes, in a template's unit box or in pixels. */
enum { P2CI_PRIM_ELLIPSE = 0, P2CI_PRIM_BOX = 1 };
/* Which colour a template part takes. */
enum { P2CI_ROLE_MAIN, P2CI_ROLE_SECOND, P2CI_ROLE_DARK, P2CI_ROLE_SKIN, P2CI_ROLE_LEAF,
       P2CI_ROLE_WHITE, P2CI_ROLE_GLASS };

typedef struct p2ci_template_prim {
  uint8_t kind, role;
  float x0, y0, x1, y1; /* in the unit box of the instance */
} p2ci_template_prim;

#define P2CI_TEMPLATE_MAX 6
#define P2CI_LIST_MAX 8

/* Where an instance stands. */
enum { P2CI_PLACE_GROUND, P2CI_PLACE_AIR, P2CI_PLACE_WALL, P2CI_PLACE_TABLE };

typedef struct p2ci_thing_kind {
  int category_id;
  const char *nouns[3];            /* first is the plain name */
  const char *verbs[3];            /* "parked", "standing" */
  float aspect;                    /* width / height */
  float min_h, max_h;              /* height as a fraction of the image height */
  int place;                       /* a P2CI_PLACE_ */
  int colour_in_part;              /* 1: the colour is said in the part phrase only */
  int second_colour;               /* 1: a second colour is drawn (ROLE_SECOND) */
  int colours[P2CI_LIST_MAX];      /* allowed main colours, -1 terminated */
  const char *materials[4];        /* NULL terminated; may be empty */
  const char *parts[4];            /* "%1" main colour, "%2" second colour */
  int nprims;
  p2ci_template_prim prims[P2CI_TEMPLATE_MAX];
} p2ci_thing_kind;
extern const p2ci_thing_kind p2ci_thing_kinds[];
extern const int p2ci_num_thing_kinds;

/* Stuff: how a region is described. */
typedef struct p2ci_stuff_kind {
  int category_id;
  const char *np;      /* "the bright green grass" ("%c": the colour of a plain wall) */
  const char *short_np; /* "green grass", after "on the" / "above the" */
  const char *detail;  /* "with a few white clouds"; may be NULL */
  const char *extent;  /* "covering the ground", "stretching to the horizon" */
  const char *on;      /* preposition for things standing in it: "on", "in" */
} p2ci_stuff_kind;
extern const p2ci_stuff_kind p2ci_stuff_kinds[];
extern const int p2ci_num_stuff_kinds;

/* Scenes: stuff bands top to bottom (alternatives per band) and the thing
 * kinds that appear in them. */
#define P2CI_SCENE_BANDS 4
typedef struct p2ci_scene_kind {
  const char *name;
  int bands[P2CI_SCENE_BANDS][4]; /* category ids; 0 ends a list; a leading -1 = optional band */
  float band_frac[P2CI_SCENE_BANDS]; /* nominal bottom edge of each band, fraction of height */
  int things[16];                 /* category ids, 0 terminated */
  int indoor;
} p2ci_scene_kind;
extern const p2ci_scene_kind p2ci_scene_kinds[];
extern const int p2ci_num_scene_kinds;

/* Lookups: index of a category / thing kind / stuff kind by category id, -1 if none. */
int p2ci_category_index(int category_id);
const p2ci_thing_kind *p2ci_thing_kind_of(int category_id);
const p2ci_stuff_kind *p2ci_stuff_kind_of(int category_id);

#endif
