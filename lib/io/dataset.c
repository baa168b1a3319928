/* COCO panoptic JSON -> p2c_dataset: flat arrays and one string pool.
 *
 * The schema is panopticapi's (images[], annotations[] with segments_info[],
 * categories[]) plus Pix2Cap-COCO's per-segment `description` (ground truth)
 * and `caption` / `score` (predictions). Every field that a reference script
 * reads is type-checked here, so the scorers never meet a wrong type; fields
 * they ignore are ignored. Whether the two files agree is p2c_validate's job. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/dataset.h"
#include "io/file.h"
#include "io/jsonpull.h"

/* Integers must survive the trip through a double (numbers are parsed as
 * doubles): |x| < 2^53 is exact, anything larger may already be rounded. */
#define MAX_EXACT_INT (((int64_t)1 << 53) - 1)
#define MAX_SEGMENT_ID (((int64_t)1 << 24) - 1)

/* ---- id tables -------------------------------------------------------------- */

static size_t id_hash(int64_t key)
{
  uint64_t x = (uint64_t)key; /* splitmix64 finaliser */
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return (size_t)x;
}

static int idtable_init(p2ci_idtable *t, size_t n)
{
  size_t cap = 16;
  while (cap < n * 2) {
    if (cap > SIZE_MAX / 4) return P2C_ERR_NOMEM;
    cap *= 2;
  }
  t->keys = p2ci_malloc_array(cap, sizeof *t->keys);
  t->vals = p2ci_malloc_array(cap, sizeof *t->vals);
  if (!t->keys || !t->vals) return P2C_ERR_NOMEM;
  for (size_t i = 0; i < cap; i++) t->vals[i] = SIZE_MAX;
  t->mask = cap - 1;
  return P2C_OK;
}

static void idtable_free(p2ci_idtable *t)
{
  free(t->keys);
  free(t->vals);
  memset(t, 0, sizeof *t);
}

size_t p2ci_idtable_get(const p2ci_idtable *t, int64_t key)
{
  if (!t->vals) return SIZE_MAX;
  for (size_t i = id_hash(key) & t->mask;; i = (i + 1) & t->mask) {
    if (t->vals[i] == SIZE_MAX) return SIZE_MAX;
    if (t->keys[i] == key) return t->vals[i];
  }
}

/* The table was sized for every key at init, so a free slot always exists. */
static void idtable_put(p2ci_idtable *t, int64_t key, size_t val)
{
  size_t i = id_hash(key) & t->mask;
  while (t->vals[i] != SIZE_MAX) i = (i + 1) & t->mask;
  t->keys[i] = key;
  t->vals[i] = val;
}

/* ---- reading fields ----------------------------------------------------------
 *
 * The file is read with a pull parser (no tree): each object's known fields
 * are read into `jv` slots (the last of duplicate keys wins, as in Python's
 * json), everything else is skipped, and the object is checked when it
 * closes, when its ids are known whatever the key order. */

/* A scalar field as read: its JSON type (P2CI_J_NONE when absent) and, for a
 * number, its value. */
typedef struct jv {
  p2ci_jtype type;
  double num;
} jv;

typedef struct loader {
  p2c_dataset *ds;
  p2c_error *err;
  p2ci_jreader r;
  size_t cat_cap, image_cap, seg_cap, ann_cap, raw_cap;
  struct annotation *anns;
  size_t num_anns;
  struct raw_segment *raws;
  size_t num_raws;
} loader;

/* One annotations[] entry until images are matched at the end. */
typedef struct annotation {
  int64_t image_id;
  size_t png_name, first_segment, num_segments;
} annotation;

/* One segments_info[] entry before its annotation's image id is known. */
typedef struct raw_segment {
  p2ci_jtype type; /* of the entry itself: an object unless malformed */
  jv id, category_id, iscrowd, area, score;
  int bbox_state; /* 0 absent, 1 four finite numbers, 2 not an array of 4, 3 a bad item */
  int bbox_item;
  p2ci_jtype bbox_item_type;
  double bbox[4];
  unsigned char caption_how, caption_is_list;
  uint32_t caption_list_len;
  size_t caption;
} raw_segment;

static const char *type_name(p2ci_jtype t)
{
  switch (t) {
  case P2CI_J_NULL: return "null";
  case P2CI_J_TRUE:
  case P2CI_J_FALSE: return "a boolean";
  case P2CI_J_NUMBER: return "a number";
  case P2CI_J_STRING: return "a string";
  case P2CI_J_ARRAY: return "an array";
  case P2CI_J_OBJECT: return "an object";
  default: return "nothing";
  }
}

static int nomem(loader *L)
{
  return p2ci_error(L->err, P2C_ERR_NOMEM, "%s: out of memory", L->ds->path);
}

static int add_string(loader *L, const char *s, size_t n, size_t *off)
{
  p2c_dataset *ds = L->ds;
  if (n >= SIZE_MAX - ds->pool_len - 1 ||
      p2ci_grow(&ds->pool, &ds->pool_cap, ds->pool_len + n + 1, 1) != P2C_OK)
    return nomem(L);
  memcpy(ds->pool + ds->pool_len, s, n);
  ds->pool[ds->pool_len + n] = '\0';
  *off = ds->pool_len;
  ds->pool_len += n + 1;
  return P2C_OK;
}

/* Read any value into v, keeping a number's value; strings go to the pool
 * when off is given. */
static int read_value(loader *L, jv *v, size_t *off)
{
  p2ci_jreader *r = &L->r;
  v->type = p2ci_jr_peek(r);
  switch (v->type) {
  case P2CI_J_NUMBER: return p2ci_jr_number(r, &v->num);
  case P2CI_J_STRING: {
    const char *s;
    size_t n;
    int rc = p2ci_jr_string(r, &s, &n);
    if (rc == P2C_OK && off) rc = add_string(L, s, n, off);
    return rc;
  }
  case P2CI_J_TRUE:
  case P2CI_J_FALSE:
  case P2CI_J_NULL: return p2ci_jr_literal(r);
  case P2CI_J_NONE: return r->failed;
  default: return p2ci_jr_skip(r);
  }
}

enum { OPTIONAL = 0, REQUIRED = 1 };

/* v as an integer in [lo, hi]. *present says whether it was there; booleans
 * count as 0/1 only when allow_bool (Python: True == 1). */
static int check_int(loader *L, const char *where, const char *key, const jv *v, int required,
                     int64_t lo, int64_t hi, int allow_bool, int64_t *out, int *present)
{
  if (present) *present = v->type != P2CI_J_NONE;
  if (v->type == P2CI_J_NONE) {
    if (required) return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' is missing", where, key);
    return P2C_OK;
  }
  if (allow_bool && (v->type == P2CI_J_TRUE || v->type == P2CI_J_FALSE)) {
    *out = v->type == P2CI_J_TRUE;
    return P2C_OK;
  }
  if (v->type != P2CI_J_NUMBER)
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' must be an integer, got %s", where, key,
                      type_name(v->type));
  double d = v->num;
  if (!isfinite(d))
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' must be a finite integer, got %g", where,
                      key, d);
  if (d != floor(d))
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' must be an integer, got %.17g", where, key, d);
  if (fabs(d) > (double)MAX_EXACT_INT)
    return p2ci_error(L->err, P2C_ERR_SCHEMA,
                      "%s: '%s' = %.17g is too large (integers must be below 2^53 to be exact)",
                      where, key, d);
  int64_t i = (int64_t)d;
  if (i < lo || i > hi)
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' = %lld is out of range [%lld, %lld]", where,
                      key, (long long)i, (long long)lo, (long long)hi);
  *out = i;
  return P2C_OK;
}

static int check_string(loader *L, const char *where, const char *key, const jv *v, int required)
{
  if (v->type == P2CI_J_NONE) {
    if (required) return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' is missing", where, key);
    return P2C_OK;
  }
  if (v->type != P2CI_J_STRING)
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' must be a string, got %s", where, key,
                      type_name(v->type));
  return P2C_OK;
}

/* A top-level or nested value that must be an array: begin it, or report
 * its type and skip it. */
static int begin_array(loader *L, const char *where, const char *key)
{
  p2ci_jtype t = p2ci_jr_peek(&L->r);
  if (t == P2CI_J_ARRAY) return p2ci_jr_array_begin(&L->r);
  if (t == P2CI_J_NONE) return L->r.failed;
  return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' must be an array, got %s", where, key, type_name(t));
}

/* An array element that must be an object: begin it, or report its type. */
static int begin_object(loader *L, const char *where)
{
  p2ci_jtype t = p2ci_jr_peek(&L->r);
  if (t == P2CI_J_OBJECT) return p2ci_jr_object_begin(&L->r);
  if (t == P2CI_J_NONE) return L->r.failed;
  return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: must be an object, got %s", where, type_name(t));
}

/* ---- categories[], images[] -------------------------------------------------- */

static int read_categories(loader *L)
{
  p2c_dataset *ds = L->ds;
  char where[192];
  int rc = begin_array(L, ds->path, "categories");
  ds->num_cats = 0; /* a repeated key replaces the earlier list */
  for (size_t i = 0; rc == P2C_OK && (rc = p2ci_jr_array_next(&L->r)) == 1; i++) {
    snprintf(where, sizeof where, "%s: categories[%zu]", ds->path, i);
    if ((rc = begin_object(L, where))) return rc;
    jv id = {0}, name = {0}, isthing = {0};
    size_t name_off = P2CI_NO_STRING;
    const char *key;
    while ((rc = p2ci_jr_object_next(&L->r, &key)) == 1) {
      if (!strcmp(key, "id")) rc = read_value(L, &id, NULL);
      else if (!strcmp(key, "name")) rc = read_value(L, &name, &name_off);
      else if (!strcmp(key, "isthing")) rc = read_value(L, &isthing, NULL);
      else rc = p2ci_jr_skip(&L->r);
      if (rc) return rc;
    }
    if (rc) return rc;
    if (p2ci_grow(&ds->cats, &L->cat_cap, ds->num_cats + 1, sizeof *ds->cats)) return nomem(L);
    p2ci_category *cat = &ds->cats[ds->num_cats];
    int64_t it = 0;
    if ((rc = check_int(L, where, "id", &id, REQUIRED, 0, MAX_EXACT_INT, 0, &cat->id, NULL))) return rc;
    snprintf(where, sizeof where, "%s: category %lld", ds->path, (long long)cat->id);
    /* panopticapi reads the isthing of ground-truth categories only */
    if ((rc = check_string(L, where, "name", &name, OPTIONAL)) ||
        (rc = check_int(L, where, "isthing", &isthing, ds->kind == P2C_DATASET_GT, 0, 1, 1, &it, NULL)))
      return rc;
    cat->name = name.type == P2CI_J_STRING ? name_off : P2CI_NO_STRING;
    cat->isthing = (int)it;
    ds->num_cats++;
  }
  return rc < 0 ? rc : P2C_OK;
}

static int read_images(loader *L)
{
  p2c_dataset *ds = L->ds;
  char where[192];
  int rc = begin_array(L, ds->path, "images");
  ds->num_images = 0;
  for (size_t i = 0; rc == P2C_OK && (rc = p2ci_jr_array_next(&L->r)) == 1; i++) {
    snprintf(where, sizeof where, "%s: images[%zu]", ds->path, i);
    if ((rc = begin_object(L, where))) return rc;
    jv id = {0}, file_name = {0}, width = {0}, height = {0};
    size_t file_off = P2CI_NO_STRING;
    const char *key;
    while ((rc = p2ci_jr_object_next(&L->r, &key)) == 1) {
      if (!strcmp(key, "id")) rc = read_value(L, &id, NULL);
      else if (!strcmp(key, "file_name")) rc = read_value(L, &file_name, &file_off);
      else if (!strcmp(key, "width")) rc = read_value(L, &width, NULL);
      else if (!strcmp(key, "height")) rc = read_value(L, &height, NULL);
      else rc = p2ci_jr_skip(&L->r);
      if (rc) return rc;
    }
    if (rc) return rc;
    if (p2ci_grow(&ds->images, &L->image_cap, ds->num_images + 1, sizeof *ds->images)) return nomem(L);
    p2ci_image *im = &ds->images[ds->num_images];
    memset(im, 0, sizeof *im);
    if ((rc = check_int(L, where, "id", &id, REQUIRED, 0, MAX_EXACT_INT, 0, &im->id, NULL))) return rc;
    snprintf(where, sizeof where, "%s: image %lld", ds->path, (long long)im->id);
    int64_t w = 0, h = 0;
    if ((rc = check_string(L, where, "file_name", &file_name, OPTIONAL)) ||
        (rc = check_int(L, where, "width", &width, OPTIONAL, 0, INT32_MAX, 0, &w, NULL)) ||
        (rc = check_int(L, where, "height", &height, OPTIONAL, 0, INT32_MAX, 0, &h, NULL)))
      return rc;
    im->file_name = file_name.type == P2CI_J_STRING ? file_off : P2CI_NO_STRING;
    im->width = (int)w;
    im->height = (int)h;
    im->png_name = P2CI_NO_STRING;
    im->annotation_index = SIZE_MAX;
    im->listed = 1;
    ds->num_images++;
  }
  return rc < 0 ? rc : P2C_OK;
}

/* ---- annotations[] ------------------------------------------------------------ */

static int read_bbox(loader *L, raw_segment *s)
{
  p2ci_jreader *r = &L->r;
  p2ci_jtype t = p2ci_jr_peek(r);
  if (t != P2CI_J_ARRAY) {
    s->bbox_state = 2;
    return read_value(L, &(jv){0}, NULL);
  }
  int rc = p2ci_jr_array_begin(r), n = 0, bad = -1;
  while (rc == P2C_OK && (rc = p2ci_jr_array_next(r)) == 1) {
    jv item = {0};
    if ((rc = read_value(L, &item, NULL))) return rc;
    if (n < 4) {
      if (item.type == P2CI_J_NUMBER && isfinite(item.num)) s->bbox[n] = item.num;
      else if (bad < 0) {
        bad = n;
        s->bbox_item_type = item.type;
      }
    }
    n++;
  }
  if (rc < 0) return rc;
  s->bbox_state = n != 4 ? 2 : bad >= 0 ? 3 : 1;
  s->bbox_item = bad;
  return P2C_OK;
}

/* A caption: a string, null, or something else; a list of strings is kept
 * too (its strings one after the other in the pool), for the mAP protocol. */
static int read_caption(loader *L, raw_segment *s)
{
  p2ci_jreader *r = &L->r;
  s->caption = P2CI_NO_STRING;
  s->caption_is_list = 0;
  s->caption_list_len = 0;
  p2ci_jtype t = p2ci_jr_peek(r);
  if (t != P2CI_J_ARRAY) {
    jv c = {0};
    int rc = read_value(L, &c, &s->caption);
    s->caption_how = c.type == P2CI_J_STRING ? P2CI_CAPTION_STRING
                     : c.type == P2CI_J_NULL ? P2CI_CAPTION_NULL
                                             : P2CI_CAPTION_OTHER;
    return rc;
  }
  s->caption_how = P2CI_CAPTION_OTHER;
  size_t first = L->ds->pool_len; /* the first string goes here, even for [] */
  int all_strings = 1;
  uint32_t n = 0;
  int rc = p2ci_jr_array_begin(r);
  while (rc == P2C_OK && (rc = p2ci_jr_array_next(r)) == 1) {
    jv item = {0};
    size_t off;
    /* Only strings reach the pool, so a list's strings are contiguous. */
    if ((rc = read_value(L, &item, &off))) return rc;
    if (item.type == P2CI_J_STRING) n++;
    else all_strings = 0;
  }
  if (rc < 0) return rc;
  if (all_strings) {
    s->caption_is_list = 1;
    s->caption_list_len = n;
    s->caption = first;
  }
  return P2C_OK;
}

static int read_segment(loader *L, raw_segment *s)
{
  p2ci_jreader *r = &L->r;
  memset(s, 0, sizeof *s);
  s->caption = P2CI_NO_STRING;
  s->type = p2ci_jr_peek(r);
  if (s->type != P2CI_J_OBJECT) return read_value(L, &(jv){0}, NULL);
  int is_gt = L->ds->kind == P2C_DATASET_GT;
  const char *caption_key = is_gt ? "description" : "caption";
  const char *key;
  int rc = p2ci_jr_object_begin(r);
  while (rc == P2C_OK && (rc = p2ci_jr_object_next(r, &key)) == 1) {
    if (!strcmp(key, "id")) rc = read_value(L, &s->id, NULL);
    else if (!strcmp(key, "category_id")) rc = read_value(L, &s->category_id, NULL);
    else if (!strcmp(key, "iscrowd")) rc = read_value(L, &s->iscrowd, NULL);
    else if (!strcmp(key, "area")) rc = read_value(L, &s->area, NULL);
    else if (!strcmp(key, "bbox")) rc = read_bbox(L, s);
    else if (!is_gt && !strcmp(key, "score")) rc = read_value(L, &s->score, NULL);
    else if (!strcmp(key, caption_key)) rc = read_caption(L, s);
    else rc = p2ci_jr_skip(r);
  }
  return rc < 0 ? rc : P2C_OK;
}

/* Check a segment now that its image id is known, and store it. */
static int check_segment(loader *L, const raw_segment *raw, int64_t image_id, size_t k, p2ci_segment *s)
{
  p2c_dataset *ds = L->ds;
  char where[192];
  int rc, present = 0;
  int is_gt = ds->kind == P2C_DATASET_GT;
  snprintf(where, sizeof where, "%s: image %lld segments_info[%zu]", ds->path, (long long)image_id, k);
  if (raw->type != P2CI_J_OBJECT)
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: must be an object, got %s", where, type_name(raw->type));
  memset(s, 0, sizeof *s);
  /* 0 is VOID in the PNG; ids are stored as 24-bit RGB. */
  if ((rc = check_int(L, where, "id", &raw->id, REQUIRED, 1, MAX_SEGMENT_ID, 0, &s->id, NULL))) return rc;
  snprintf(where, sizeof where, "%s: image %lld segment %lld", ds->path, (long long)image_id,
           (long long)s->id);
  int64_t iscrowd = 0;
  /* panopticapi reads iscrowd and area of ground-truth segments only. */
  if ((rc = check_int(L, where, "category_id", &raw->category_id, REQUIRED, 0, MAX_EXACT_INT, 0,
                      &s->category_id, NULL)) ||
      (rc = check_int(L, where, "iscrowd", &raw->iscrowd, is_gt, 0, 1, 1, &iscrowd, NULL)) ||
      (rc = check_int(L, where, "area", &raw->area, is_gt, 0, MAX_EXACT_INT, 0, &s->area, &present)))
    return rc;
  s->iscrowd = (unsigned char)iscrowd;
  if (!present) s->area = -1;
  if (raw->bbox_state == 2)
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: 'bbox' must be an array of 4 numbers [x, y, w, h]",
                      where);
  if (raw->bbox_state == 3)
    return p2ci_error(L->err, P2C_ERR_SCHEMA,
                      "%s: 'bbox' must be an array of 4 numbers [x, y, w, h], item %d is %s", where,
                      raw->bbox_item,
                      raw->bbox_item_type == P2CI_J_NUMBER ? "not finite" : type_name(raw->bbox_item_type));
  if (raw->bbox_state == 1) {
    memcpy(s->bbox, raw->bbox, sizeof s->bbox);
    s->has_bbox = 1;
  }
  s->caption_how = raw->caption_how;
  s->caption = raw->caption;
  s->caption_is_list = raw->caption_is_list;
  s->caption_list_len = raw->caption_list_len;
  if (raw->score.type != P2CI_J_NONE) {
    if (raw->score.type != P2CI_J_NUMBER || !isfinite(raw->score.num))
      return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: 'score' must be a finite number, got %s", where,
                        raw->score.type == P2CI_J_NUMBER ? "an infinity" : type_name(raw->score.type));
    s->score = raw->score.num;
    s->has_score = 1;
  }
  return P2C_OK;
}

static int read_annotation(loader *L, size_t ai)
{
  p2c_dataset *ds = L->ds;
  p2ci_jreader *r = &L->r;
  char where[192];
  snprintf(where, sizeof where, "%s: annotations[%zu]", ds->path, ai);
  int rc = begin_object(L, where);
  if (rc) return rc;
  jv image_id = {0}, file_name = {0};
  p2ci_jtype segs_type = P2CI_J_NONE;
  size_t file_off = P2CI_NO_STRING;
  const char *key;
  L->num_raws = 0;
  while ((rc = p2ci_jr_object_next(r, &key)) == 1) {
    if (!strcmp(key, "image_id")) rc = read_value(L, &image_id, NULL);
    else if (!strcmp(key, "file_name")) rc = read_value(L, &file_name, &file_off);
    else if (!strcmp(key, "segments_info")) {
      segs_type = p2ci_jr_peek(r);
      L->num_raws = 0;
      if (segs_type != P2CI_J_ARRAY) {
        rc = read_value(L, &(jv){0}, NULL);
        continue;
      }
      rc = p2ci_jr_array_begin(r);
      while (rc == P2C_OK && (rc = p2ci_jr_array_next(r)) == 1) {
        if (p2ci_grow(&L->raws, &L->raw_cap, L->num_raws + 1, sizeof *L->raws)) return nomem(L);
        rc = read_segment(L, &L->raws[L->num_raws++]);
      }
      if (rc > 0) rc = P2C_OK;
    } else rc = p2ci_jr_skip(r);
    if (rc) return rc;
  }
  if (rc) return rc;

  annotation a = {0, P2CI_NO_STRING, ds->num_segs, 0};
  if ((rc = check_int(L, where, "image_id", &image_id, REQUIRED, 0, MAX_EXACT_INT, 0, &a.image_id, NULL)))
    return rc;
  snprintf(where, sizeof where, "%s: image %lld", ds->path, (long long)a.image_id);
  if ((rc = check_string(L, where, "file_name", &file_name, REQUIRED))) return rc;
  if (segs_type == P2CI_J_NONE)
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: 'segments_info' is missing", where);
  if (segs_type != P2CI_J_ARRAY)
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: 'segments_info' must be an array, got %s", where,
                      type_name(segs_type));
  a.png_name = file_off;
  if (p2ci_grow(&ds->segs, &L->seg_cap, ds->num_segs + L->num_raws, sizeof *ds->segs)) return nomem(L);
  for (size_t k = 0; k < L->num_raws; k++)
    if ((rc = check_segment(L, &L->raws[k], a.image_id, k, &ds->segs[ds->num_segs + k]))) return rc;
  a.num_segments = L->num_raws;
  ds->num_segs += L->num_raws;
  if (p2ci_grow(&L->anns, &L->ann_cap, L->num_anns + 1, sizeof *L->anns)) return nomem(L);
  L->anns[L->num_anns++] = a;
  return P2C_OK;
}

static int read_annotations(loader *L)
{
  int rc = begin_array(L, L->ds->path, "annotations");
  L->num_anns = 0;
  L->ds->num_segs = 0;
  for (size_t i = 0; rc == P2C_OK && (rc = p2ci_jr_array_next(&L->r)) == 1; i++) rc = read_annotation(L, i);
  return rc < 0 ? rc : P2C_OK;
}

/* Images of images[] first, in order; an annotation of an image not listed
 * there appends it. Builds the id tables and rejects duplicates. */
static int match_images(loader *L)
{
  p2c_dataset *ds = L->ds;
  if (idtable_init(&ds->cat_index, ds->num_cats) != P2C_OK ||
      idtable_init(&ds->image_index, ds->num_images + L->num_anns) != P2C_OK ||
      p2ci_grow(&ds->images, &L->image_cap, ds->num_images + L->num_anns, sizeof *ds->images))
    return nomem(L);
  for (size_t i = 0; i < ds->num_cats; i++) {
    if (p2ci_idtable_get(&ds->cat_index, ds->cats[i].id) != SIZE_MAX)
      return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: category id %lld appears twice in categories[]",
                        ds->path, (long long)ds->cats[i].id);
    idtable_put(&ds->cat_index, ds->cats[i].id, i);
  }
  for (size_t i = 0; i < ds->num_images; i++) {
    if (p2ci_idtable_get(&ds->image_index, ds->images[i].id) != SIZE_MAX)
      return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: image id %lld appears twice in images[]", ds->path,
                        (long long)ds->images[i].id);
    idtable_put(&ds->image_index, ds->images[i].id, i);
  }
  ds->num_annotations = L->num_anns;
  for (size_t ai = 0; ai < L->num_anns; ai++) {
    const annotation *a = &L->anns[ai];
    size_t idx = p2ci_idtable_get(&ds->image_index, a->image_id);
    if (idx == SIZE_MAX) {
      idx = ds->num_images++;
      p2ci_image *im = &ds->images[idx];
      memset(im, 0, sizeof *im);
      im->id = a->image_id;
      im->file_name = P2CI_NO_STRING;
      im->annotation_index = SIZE_MAX;
      idtable_put(&ds->image_index, a->image_id, idx);
    }
    p2ci_image *im = &ds->images[idx];
    if (im->annotation_index != SIZE_MAX)
      return p2ci_error(L->err, P2C_ERR_SCHEMA,
                        "%s: image %lld has two entries in annotations[] (at %zu and %zu)", ds->path,
                        (long long)a->image_id, im->annotation_index, ai);
    im->annotation_index = ai;
    im->png_name = a->png_name;
    im->first_segment = a->first_segment;
    im->num_segments = a->num_segments;
  }
  return P2C_OK;
}

static int index_segments(loader *L);

static int read_root(loader *L)
{
  p2c_dataset *ds = L->ds;
  p2ci_jreader *r = &L->r;
  int rc, have_cats = 0, have_anns = 0;
  p2ci_jtype t = p2ci_jr_peek(r);
  if (t == P2CI_J_NONE) return r->failed;
  if (t != P2CI_J_OBJECT)
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: expected a JSON object at the top level, got %s",
                      ds->path, type_name(t));
  const char *key;
  rc = p2ci_jr_object_begin(r);
  while (rc == P2C_OK && (rc = p2ci_jr_object_next(r, &key)) == 1) {
    if (!strcmp(key, "categories")) {
      have_cats = 1;
      rc = read_categories(L);
    } else if (!strcmp(key, "images")) {
      rc = read_images(L);
    } else if (!strcmp(key, "annotations")) {
      have_anns = 1;
      rc = read_annotations(L);
    } else rc = p2ci_jr_skip(r);
  }
  if (rc < 0 || (rc = p2ci_jr_finish(r))) return rc;
  /* panopticapi reads the categories of the ground truth only. */
  if (!have_cats && ds->kind == P2C_DATASET_GT)
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: 'categories' is missing", ds->path);
  if (!have_anns) return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: 'annotations' is missing", ds->path);
  if ((rc = match_images(L))) return rc;
  return index_segments(L);
}

/* Sorting (id, index) pairs of one image; ids are distinct after the check. */
typedef struct id_pos {
  int64_t id;
  size_t pos;
} id_pos;

static int cmp_id_pos(const void *a, const void *b)
{
  const id_pos *x = a, *y = b;
  if (x->id != y->id) return x->id < y->id ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Index every image's segments by id, rejecting duplicates. */
static int index_segments(loader *L)
{
  p2c_dataset *ds = L->ds;
  ds->order = p2ci_malloc_array(ds->num_segs, sizeof *ds->order);
  size_t most = 0;
  for (size_t i = 0; i < ds->num_images; i++)
    if (ds->images[i].num_segments > most) most = ds->images[i].num_segments;
  id_pos *tmp = p2ci_malloc_array(most, sizeof *tmp);
  if (!ds->order || !tmp) {
    free(tmp);
    return p2ci_error(L->err, P2C_ERR_NOMEM, "%s: out of memory", ds->path);
  }
  for (size_t i = 0; i < ds->num_images; i++) {
    const p2ci_image *im = &ds->images[i];
    for (size_t k = 0; k < im->num_segments; k++) {
      tmp[k].id = ds->segs[im->first_segment + k].id;
      tmp[k].pos = im->first_segment + k;
    }
    qsort(tmp, im->num_segments, sizeof *tmp, cmp_id_pos);
    for (size_t k = 0; k < im->num_segments; k++) {
      if (k > 0 && tmp[k].id == tmp[k - 1].id) {
        int64_t id = tmp[k].id;
        free(tmp);
        return p2ci_error(L->err, P2C_ERR_SCHEMA,
                          "%s: image %lld segment %lld: segment id appears twice in segments_info",
                          ds->path, (long long)im->id, (long long)id);
      }
      ds->order[im->first_segment + k] = tmp[k].pos;
    }
  }
  free(tmp);
  return P2C_OK;
}

/* panopticapi: "Default: X if the corresponding json file is X.json". It
 * replaces every ".json" in the path; we strip only the final suffix (also
 * ".json.gz"), so a folder named a.json.d/ keeps its name. */
static char *default_png_dir(const char *path)
{
  size_t n = strlen(path);
  if (n > 8 && !strcmp(path + n - 8, ".json.gz")) return p2ci_strndup(path, n - 8);
  if (n > 5 && !strcmp(path + n - 5, ".json")) return p2ci_strndup(path, n - 5);
  return p2ci_strdup(path);
}

int p2c_dataset_load(const char *json_path, const p2c_load_options *opts, p2c_dataset **out,
                     p2c_error *err)
{
  if (out) *out = NULL;
  if (!json_path || !out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "dataset_load: NULL argument");
  p2c_load_options def = P2C_LOAD_OPTIONS_INIT;
  if (!opts) opts = &def;
  if (opts->version < 1 || opts->version > P2C_LOAD_OPTIONS_VERSION)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "dataset_load: unknown options version %u",
                      opts->version);
  if (opts->kind != P2C_DATASET_GT && opts->kind != P2C_DATASET_PRED)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "dataset_load: unknown dataset kind %d", opts->kind);

  p2c_dataset *ds = calloc(1, sizeof *ds);
  if (!ds) return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", json_path);
  ds->kind = opts->kind;
  ds->path = p2ci_strdup(json_path);
  ds->png_dir = opts->png_dir ? p2ci_strdup(opts->png_dir) : default_png_dir(json_path);
  if (!ds->path || !ds->png_dir) {
    p2c_dataset_free(ds);
    return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", json_path);
  }
  char *text = NULL;
  size_t len = 0;
  int rc = p2ci_read_file(json_path, opts->max_json_bytes, &text, &len, err);
  if (rc == P2C_OK && strspn(text, " \t\r\n") == len)
    rc = p2ci_error(err, P2C_ERR_PARSE, "%s: empty file, expected JSON", json_path);
  if (rc == P2C_OK) {
    loader L;
    memset(&L, 0, sizeof L);
    L.ds = ds;
    L.err = err;
    p2ci_jr_init(&L.r, json_path, text, len, err);
    rc = read_root(&L);
    p2ci_jr_free(&L.r);
    free(L.anns);
    free(L.raws);
  }
  free(text);
  if (rc != P2C_OK) {
    p2c_dataset_free(ds);
    return rc;
  }
  *out = ds;
  return P2C_OK;
}

void p2c_dataset_free(p2c_dataset *ds)
{
  if (!ds) return;
  free(ds->path);
  free(ds->png_dir);
  free(ds->pool);
  free(ds->cats);
  free(ds->images);
  free(ds->segs);
  free(ds->order);
  idtable_free(&ds->image_index);
  idtable_free(&ds->cat_index);
  free(ds);
}

const char *p2c_dataset_last_error(const p2c_dataset *ds)
{
  return ds ? ds->last_error.message : "";
}

/* ---- accessors ---------------------------------------------------------------- */

size_t p2c_dataset_num_categories(const p2c_dataset *ds) { return ds ? ds->num_cats : 0; }
size_t p2c_dataset_num_images(const p2c_dataset *ds) { return ds ? ds->num_images : 0; }
size_t p2c_dataset_num_segments(const p2c_dataset *ds) { return ds ? ds->num_segs : 0; }
const char *p2c_dataset_png_dir(const p2c_dataset *ds) { return ds ? ds->png_dir : ""; }
const char *p2c_dataset_path(const p2c_dataset *ds) { return ds ? ds->path : ""; }
int p2c_dataset_kind_of(const p2c_dataset *ds) { return ds ? ds->kind : P2C_ERR_INVALID_ARG; }

int p2c_dataset_category(const p2c_dataset *ds, size_t index, p2c_category_info *out)
{
  if (!ds || !out || index >= ds->num_cats) return P2C_ERR_INVALID_ARG;
  const p2ci_category *c = &ds->cats[index];
  const char *name = p2ci_ds_str(ds, c->name);
  out->id = c->id;
  out->name = name ? name : "";
  out->isthing = c->isthing;
  return P2C_OK;
}

int p2c_dataset_image(const p2c_dataset *ds, size_t index, p2c_image_info *out)
{
  if (!ds || !out || index >= ds->num_images) return P2C_ERR_INVALID_ARG;
  const p2ci_image *im = &ds->images[index];
  const char *file_name = p2ci_ds_str(ds, im->file_name);
  out->id = im->id;
  out->file_name = file_name ? file_name : "";
  out->png_name = p2ci_ds_str(ds, im->png_name);
  out->width = im->width;
  out->height = im->height;
  out->num_segments = im->num_segments;
  return P2C_OK;
}

int p2c_dataset_segment(const p2c_dataset *ds, size_t image_index, size_t segment_index,
                        p2c_segment_info *out)
{
  if (!ds || !out || image_index >= ds->num_images) return P2C_ERR_INVALID_ARG;
  const p2ci_image *im = &ds->images[image_index];
  if (segment_index >= im->num_segments) return P2C_ERR_INVALID_ARG;
  const p2ci_segment *s = &ds->segs[im->first_segment + segment_index];
  out->id = s->id;
  out->category_id = s->category_id;
  out->iscrowd = s->iscrowd;
  out->area = s->area;
  memcpy(out->bbox, s->bbox, sizeof out->bbox);
  out->caption = s->caption_how == P2CI_CAPTION_STRING ? p2ci_ds_str(ds, s->caption) : NULL;
  out->caption_kind = s->caption_how == P2CI_CAPTION_STRING  ? P2C_CAPTION_STRING
                      : s->caption_how == P2CI_CAPTION_OTHER ? P2C_CAPTION_OTHER
                                                             : P2C_CAPTION_NONE;
  out->score = s->score;
  out->has_score = s->has_score;
  out->has_bbox = s->has_bbox;
  return P2C_OK;
}

int p2ci_dataset_caption_list(const p2c_dataset *ds, size_t image, size_t seg, const char **first,
                              size_t *n)
{
  if (!ds || image >= ds->num_images || seg >= ds->images[image].num_segments)
    return P2C_ERR_INVALID_ARG;
  const p2ci_segment *s = &ds->segs[ds->images[image].first_segment + seg];
  if (!s->caption_is_list) return P2C_ERR_NOT_FOUND;
  *first = ds->pool + s->caption;
  *n = s->caption_list_len;
  return P2C_OK;
}

int p2c_dataset_find_image(const p2c_dataset *ds, int64_t image_id, size_t *index)
{
  if (!ds || !index) return P2C_ERR_INVALID_ARG;
  size_t i = p2ci_idtable_get(&ds->image_index, image_id);
  if (i == SIZE_MAX) return P2C_ERR_NOT_FOUND;
  *index = i;
  return P2C_OK;
}

int p2c_dataset_find_category(const p2c_dataset *ds, int64_t category_id, size_t *index)
{
  if (!ds || !index) return P2C_ERR_INVALID_ARG;
  size_t i = p2ci_idtable_get(&ds->cat_index, category_id);
  if (i == SIZE_MAX) return P2C_ERR_NOT_FOUND;
  *index = i;
  return P2C_OK;
}

int p2c_dataset_find_segment(const p2c_dataset *ds, size_t image_index, int64_t segment_id,
                             size_t *segment_index)
{
  if (!ds || !segment_index || image_index >= ds->num_images) return P2C_ERR_INVALID_ARG;
  const p2ci_image *im = &ds->images[image_index];
  const size_t *ord = ds->order + im->first_segment;
  size_t lo = 0, hi = im->num_segments;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int64_t id = ds->segs[ord[mid]].id;
    if (id == segment_id) {
      *segment_index = ord[mid] - im->first_segment;
      return P2C_OK;
    }
    if (id < segment_id) lo = mid + 1;
    else hi = mid;
  }
  return P2C_ERR_NOT_FOUND;
}
