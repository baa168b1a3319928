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
#include "io/json.h"

/* Integers must survive the trip through a double (cJSON keeps numbers as
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

/* ---- JSON field access ------------------------------------------------------ */

typedef struct loader {
  p2c_dataset *ds;
  p2c_error *err;
  size_t seg_cap;
} loader;

/* The last member named key, as Python's json module keeps the last of
 * duplicate keys (cJSON's own lookup returns the first, case-insensitively). */
static const cJSON *member(const cJSON *obj, const char *key)
{
  const cJSON *found = NULL;
  for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next)
    if (c->string && !strcmp(c->string, key)) found = c;
  return found;
}

static const char *type_name(const cJSON *v)
{
  if (cJSON_IsNull(v)) return "null";
  if (cJSON_IsBool(v)) return "a boolean";
  if (cJSON_IsNumber(v)) return "a number";
  if (cJSON_IsString(v)) return "a string";
  if (cJSON_IsArray(v)) return "an array";
  if (cJSON_IsObject(v)) return "an object";
  return "an unknown value";
}

enum { OPTIONAL = 0, REQUIRED = 1 };

/* Read obj[key] as an integer in [lo, hi]. *present says whether it was there;
 * booleans count as 0/1 only when allow_bool (Python: True == 1). */
static int get_int(loader *L, const char *where, const cJSON *obj, const char *key, int required,
                   int64_t lo, int64_t hi, int allow_bool, int64_t *out, int *present)
{
  const cJSON *v = member(obj, key);
  if (present) *present = v != NULL;
  if (!v) {
    if (required) return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' is missing", where, key);
    return P2C_OK;
  }
  if (allow_bool && cJSON_IsBool(v)) {
    *out = cJSON_IsTrue(v) ? 1 : 0;
    return P2C_OK;
  }
  if (!cJSON_IsNumber(v))
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' must be an integer, got %s", where, key,
                      type_name(v));
  double d = v->valuedouble;
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

static int add_string(loader *L, const char *s, size_t *off)
{
  p2c_dataset *ds = L->ds;
  size_t n = strlen(s);
  if (n >= SIZE_MAX - ds->pool_len - 1 ||
      p2ci_grow(&ds->pool, &ds->pool_cap, ds->pool_len + n + 1, 1) != P2C_OK)
    return p2ci_error(L->err, P2C_ERR_NOMEM, "%s: out of memory", ds->path);
  memcpy(ds->pool + ds->pool_len, s, n + 1);
  *off = ds->pool_len;
  ds->pool_len += n + 1;
  return P2C_OK;
}

/* obj[key] as a string into the pool; absent gives P2CI_NO_STRING unless required. */
static int get_string(loader *L, const char *where, const cJSON *obj, const char *key, int required,
                      size_t *off)
{
  const cJSON *v = member(obj, key);
  *off = P2CI_NO_STRING;
  if (!v) {
    if (required) return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' is missing", where, key);
    return P2C_OK;
  }
  if (!cJSON_IsString(v))
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' must be a string, got %s", where, key,
                      type_name(v));
  return add_string(L, v->valuestring, off);
}

static int get_array(loader *L, const char *where, const cJSON *obj, const char *key, int required,
                     const cJSON **out)
{
  const cJSON *v = member(obj, key);
  *out = NULL;
  if (!v) {
    if (required) return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' is missing", where, key);
    return P2C_OK;
  }
  if (!cJSON_IsArray(v))
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: '%s' must be an array, got %s", where, key,
                      type_name(v));
  *out = v;
  return P2C_OK;
}

static int expect_object(loader *L, const cJSON *v, const char *where)
{
  if (cJSON_IsObject(v)) return P2C_OK;
  return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: must be an object, got %s", where, type_name(v));
}

/* ---- the three lists -------------------------------------------------------- */

static int load_categories(loader *L, const cJSON *root)
{
  p2c_dataset *ds = L->ds;
  const cJSON *arr;
  char where[192];
  snprintf(where, sizeof where, "%s", ds->path);
  /* panopticapi reads the categories of the ground truth only. */
  int rc = get_array(L, where, root, "categories", ds->kind == P2C_DATASET_GT, &arr);
  if (rc) return rc;
  size_t n = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
  ds->cats = p2ci_calloc_array(n, sizeof *ds->cats);
  if (!ds->cats || idtable_init(&ds->cat_index, n) != P2C_OK)
    return p2ci_error(L->err, P2C_ERR_NOMEM, "%s: out of memory", ds->path);
  size_t i = 0;
  for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
    p2ci_category *cat = &ds->cats[i];
    snprintf(where, sizeof where, "%s: categories[%zu]", ds->path, i);
    if ((rc = expect_object(L, c, where))) return rc;
    if ((rc = get_int(L, where, c, "id", REQUIRED, 0, MAX_EXACT_INT, 0, &cat->id, NULL))) return rc;
    snprintf(where, sizeof where, "%s: category %lld", ds->path, (long long)cat->id);
    if ((rc = get_string(L, where, c, "name", OPTIONAL, &cat->name))) return rc;
    int64_t isthing = 0;
    if ((rc = get_int(L, where, c, "isthing", ds->kind == P2C_DATASET_GT, 0, 1, 1, &isthing, NULL)))
      return rc;
    cat->isthing = (int)isthing;
    if (p2ci_idtable_get(&ds->cat_index, cat->id) != SIZE_MAX)
      return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: category id %lld appears twice in categories[]",
                        ds->path, (long long)cat->id);
    idtable_put(&ds->cat_index, cat->id, i);
    ds->num_cats = i + 1;
  }
  return P2C_OK;
}

static int load_images(loader *L, const cJSON *images, size_t capacity)
{
  p2c_dataset *ds = L->ds;
  char where[192];
  int rc;
  ds->images = p2ci_calloc_array(capacity, sizeof *ds->images);
  if (!ds->images || idtable_init(&ds->image_index, capacity) != P2C_OK)
    return p2ci_error(L->err, P2C_ERR_NOMEM, "%s: out of memory", ds->path);
  size_t i = 0;
  for (const cJSON *c = images ? images->child : NULL; c; c = c->next, i++) {
    p2ci_image *im = &ds->images[i];
    snprintf(where, sizeof where, "%s: images[%zu]", ds->path, i);
    if ((rc = expect_object(L, c, where))) return rc;
    if ((rc = get_int(L, where, c, "id", REQUIRED, 0, MAX_EXACT_INT, 0, &im->id, NULL))) return rc;
    snprintf(where, sizeof where, "%s: image %lld", ds->path, (long long)im->id);
    int64_t w = 0, h = 0;
    if ((rc = get_string(L, where, c, "file_name", OPTIONAL, &im->file_name)) ||
        (rc = get_int(L, where, c, "width", OPTIONAL, 0, INT32_MAX, 0, &w, NULL)) ||
        (rc = get_int(L, where, c, "height", OPTIONAL, 0, INT32_MAX, 0, &h, NULL)))
      return rc;
    im->width = (int)w;
    im->height = (int)h;
    im->png_name = P2CI_NO_STRING;
    im->annotation_index = SIZE_MAX;
    im->listed = 1;
    if (p2ci_idtable_get(&ds->image_index, im->id) != SIZE_MAX)
      return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: image id %lld appears twice in images[]",
                        ds->path, (long long)im->id);
    idtable_put(&ds->image_index, im->id, i);
    ds->num_images = i + 1;
  }
  return P2C_OK;
}

static int load_bbox(loader *L, const char *where, const cJSON *seg, p2ci_segment *s)
{
  const cJSON *v = member(seg, "bbox");
  if (!v) return P2C_OK;
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 4)
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: 'bbox' must be an array of 4 numbers [x, y, w, h]",
                      where);
  int k = 0;
  for (const cJSON *c = v->child; c; c = c->next, k++) {
    if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble))
      return p2ci_error(L->err, P2C_ERR_SCHEMA,
                        "%s: 'bbox' must be an array of 4 numbers [x, y, w, h], item %d is %s", where,
                        k, cJSON_IsNumber(c) ? "not finite" : type_name(c));
    s->bbox[k] = c->valuedouble;
  }
  s->has_bbox = 1;
  return P2C_OK;
}

static int load_segment(loader *L, const cJSON *c, int64_t image_id, size_t k, p2ci_segment *s)
{
  p2c_dataset *ds = L->ds;
  char where[192];
  int rc;
  int is_gt = ds->kind == P2C_DATASET_GT;
  snprintf(where, sizeof where, "%s: image %lld segments_info[%zu]", ds->path, (long long)image_id, k);
  if ((rc = expect_object(L, c, where))) return rc;
  /* 0 is VOID in the PNG; ids are stored as 24-bit RGB. */
  if ((rc = get_int(L, where, c, "id", REQUIRED, 1, MAX_SEGMENT_ID, 0, &s->id, NULL))) return rc;
  snprintf(where, sizeof where, "%s: image %lld segment %lld", ds->path, (long long)image_id,
           (long long)s->id);
  int64_t iscrowd = 0;
  int present = 0;
  /* panopticapi reads iscrowd and area of ground-truth segments only. */
  if ((rc = get_int(L, where, c, "category_id", REQUIRED, 0, MAX_EXACT_INT, 0, &s->category_id, NULL)) ||
      (rc = get_int(L, where, c, "iscrowd", is_gt, 0, 1, 1, &iscrowd, NULL)) ||
      (rc = get_int(L, where, c, "area", is_gt, 0, MAX_EXACT_INT, 0, &s->area, &present)))
    return rc;
  s->iscrowd = (unsigned char)iscrowd;
  if (!present) s->area = -1;
  if ((rc = load_bbox(L, where, c, s))) return rc;

  const char *key = is_gt ? "description" : "caption";
  const cJSON *cap = member(c, key);
  s->caption = P2CI_NO_STRING;
  if (!cap) s->caption_how = P2CI_CAPTION_ABSENT;
  else if (cJSON_IsNull(cap)) s->caption_how = P2CI_CAPTION_NULL;
  else if (cJSON_IsString(cap)) {
    s->caption_how = P2CI_CAPTION_STRING;
    if ((rc = add_string(L, cap->valuestring, &s->caption))) return rc;
  } else {
    s->caption_how = P2CI_CAPTION_OTHER;
    int all_strings = cJSON_IsArray(cap);
    const cJSON *el;
    cJSON_ArrayForEach(el, cap) if (!cJSON_IsString(el)) all_strings = 0;
    if (all_strings) {
      s->caption_is_list = 1;
      s->caption = ds->pool_len; /* the first string goes here, even for [] */
      cJSON_ArrayForEach(el, cap)
      {
        size_t off;
        if ((rc = add_string(L, el->valuestring, &off))) return rc;
        s->caption_list_len++;
      }
    }
  }

  if (!is_gt) {
    const cJSON *sc = member(c, "score");
    if (sc) {
      if (!cJSON_IsNumber(sc) || !isfinite(sc->valuedouble))
        return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: 'score' must be a finite number, got %s",
                          where, cJSON_IsNumber(sc) ? "an infinity" : type_name(sc));
      s->score = sc->valuedouble;
      s->has_score = 1;
    }
  }
  return P2C_OK;
}

static int load_annotation(loader *L, const cJSON *a, size_t ai)
{
  p2c_dataset *ds = L->ds;
  char where[192];
  int rc;
  snprintf(where, sizeof where, "%s: annotations[%zu]", ds->path, ai);
  if ((rc = expect_object(L, a, where))) return rc;
  int64_t image_id = 0;
  if ((rc = get_int(L, where, a, "image_id", REQUIRED, 0, MAX_EXACT_INT, 0, &image_id, NULL)))
    return rc;
  snprintf(where, sizeof where, "%s: image %lld", ds->path, (long long)image_id);
  size_t idx = p2ci_idtable_get(&ds->image_index, image_id);
  if (idx == SIZE_MAX) { /* not in images[]: appended, as the header promises */
    idx = ds->num_images++;
    p2ci_image *im = &ds->images[idx];
    memset(im, 0, sizeof *im);
    im->id = image_id;
    im->file_name = P2CI_NO_STRING;
    im->png_name = P2CI_NO_STRING;
    im->annotation_index = SIZE_MAX;
    idtable_put(&ds->image_index, image_id, idx);
  }
  p2ci_image *im = &ds->images[idx];
  if (im->annotation_index != SIZE_MAX)
    return p2ci_error(L->err, P2C_ERR_SCHEMA,
                      "%s: image %lld has two entries in annotations[] (at %zu and %zu)", ds->path,
                      (long long)image_id, im->annotation_index, ai);
  im->annotation_index = ai;
  const cJSON *segs;
  if ((rc = get_string(L, where, a, "file_name", REQUIRED, &im->png_name)) ||
      (rc = get_array(L, where, a, "segments_info", REQUIRED, &segs)))
    return rc;
  size_t n = (size_t)cJSON_GetArraySize(segs);
  if (p2ci_grow(&ds->segs, &L->seg_cap, ds->num_segs + n, sizeof *ds->segs) != P2C_OK)
    return p2ci_error(L->err, P2C_ERR_NOMEM, "%s: out of memory", ds->path);
  im->first_segment = ds->num_segs;
  size_t k = 0;
  for (const cJSON *c = segs->child; c; c = c->next, k++) {
    p2ci_segment *s = &ds->segs[ds->num_segs + k];
    memset(s, 0, sizeof *s);
    if ((rc = load_segment(L, c, image_id, k, s))) return rc;
  }
  im->num_segments = n;
  ds->num_segs += n;
  return P2C_OK;
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

static int load_root(loader *L, const cJSON *root)
{
  p2c_dataset *ds = L->ds;
  int rc;
  if (!cJSON_IsObject(root))
    return p2ci_error(L->err, P2C_ERR_SCHEMA, "%s: expected a JSON object at the top level, got %s",
                      ds->path, type_name(root));
  if ((rc = load_categories(L, root))) return rc;
  const cJSON *images, *anns;
  if ((rc = get_array(L, ds->path, root, "images", OPTIONAL, &images)) ||
      (rc = get_array(L, ds->path, root, "annotations", REQUIRED, &anns)))
    return rc;
  size_t num_listed = images ? (size_t)cJSON_GetArraySize(images) : 0;
  ds->num_annotations = (size_t)cJSON_GetArraySize(anns);
  if ((rc = load_images(L, images, num_listed + ds->num_annotations))) return rc;
  size_t ai = 0;
  for (const cJSON *a = anns->child; a; a = a->next, ai++)
    if ((rc = load_annotation(L, a, ai))) return rc;
  return index_segments(L);
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
  cJSON *root = NULL;
  int rc = p2ci_json_load(json_path, opts->max_json_bytes, &root, err);
  if (rc == P2C_OK) {
    loader L = {ds, err, 0};
    rc = load_root(&L, root);
    cJSON_Delete(root);
  }
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
