/* The in-memory form of a loaded panoptic JSON (private to lib/io).
 *
 * The JSON text is read once with a pull parser (io/jsonpull.h) straight into
 * flat arrays and one string pool: a dataset costs about 90 bytes per segment
 * plus its caption text, whatever else the JSON held
 * (extra keys, colors, licenses are dropped). Segments of one image are
 * contiguous; `order` lists them sorted by id within each image. */
#ifndef P2C_IO_DATASET_H
#define P2C_IO_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

/* Offset into the string pool meaning "no string". */
#define P2CI_NO_STRING SIZE_MAX

/* How a caption field was present; the public p2c_caption_kind folds
 * ABSENT and NULL into P2C_CAPTION_NONE, validation tells them apart. */
enum { P2CI_CAPTION_ABSENT = 0, P2CI_CAPTION_NULL = 1, P2CI_CAPTION_STRING = 2, P2CI_CAPTION_OTHER = 3 };

typedef struct p2ci_category {
  int64_t id;
  size_t name; /* pool offset or P2CI_NO_STRING */
  int isthing;
} p2ci_category;

typedef struct p2ci_image {
  int64_t id;
  size_t file_name; /* images[].file_name */
  size_t png_name;  /* annotations[].file_name; P2CI_NO_STRING without annotation */
  int width, height;
  size_t first_segment, num_segments;
  size_t annotation_index; /* position in annotations[]; SIZE_MAX without one */
  unsigned char listed;    /* 1 when in images[], 0 when only in annotations[] */
} p2ci_image;

typedef struct p2ci_segment {
  int64_t id, category_id, area;
  double bbox[4];
  double score;
  size_t caption; /* pool offset; P2CI_NO_STRING unless a string (or a list, below) */
  unsigned char iscrowd, caption_how, has_score, has_bbox;
  /* A caption that is a list of strings (the official mAP script scores each
   * element as a reference): caption is the offset of the first, the others
   * follow it in the pool, each NUL-terminated. */
  unsigned char caption_is_list;
  uint32_t caption_list_len;
} p2ci_segment;

/* int64 id -> index, open addressing. */
typedef struct p2ci_idtable {
  int64_t *keys;
  size_t *vals; /* SIZE_MAX: empty slot */
  size_t mask;
} p2ci_idtable;

struct p2c_dataset {
  int kind;
  char *path;
  char *png_dir;
  char *pool;
  size_t pool_len, pool_cap;
  p2ci_category *cats;
  size_t num_cats;
  p2ci_image *images;
  size_t num_images, num_annotations;
  p2ci_segment *segs;
  size_t num_segs;
  size_t *order; /* per image, segment indices (global) sorted by id */
  p2ci_idtable image_index, cat_index;
  p2c_error last_error;
};

static inline const char *p2ci_ds_str(const p2c_dataset *ds, size_t off)
{
  return off == P2CI_NO_STRING ? NULL : ds->pool + off;
}

/* The strings of a list-valued caption of segment seg of image image (both
 * indices as in the public accessors): P2C_OK with *n strings from *first on
 * (each after the previous one's NUL), P2C_ERR_NOT_FOUND when the caption is
 * not a list of strings. */
int p2ci_dataset_caption_list(const p2c_dataset *ds, size_t image, size_t seg, const char **first,
                              size_t *n);

/* Index of key in t, or SIZE_MAX. */
size_t p2ci_idtable_get(const p2ci_idtable *t, int64_t key);

/* Decode a PNG held in memory (name is used in messages). */
int p2ci_idmap_decode(const char *name, const unsigned char *data, size_t len, p2c_idmap **out,
                      p2c_error *err);

#endif
