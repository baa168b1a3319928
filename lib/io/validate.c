/* p2c_validate: every reason panopticapi or the Pix2Cap-COCO scripts would
 * raise (or crash, or silently mis-score) on a ground truth + prediction pair,
 * collected instead of stopping at the first.
 *
 * Errors are what makes the references raise or crash; warnings are inputs
 * they accept silently although the result is probably not what was meant
 * (a GT id missing from its PNG becomes a false negative, a prediction for an
 * unknown image is ignored). docs/formats.md lists every message. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/internal.h"
#include "io/dataset.h"

struct p2c_validation {
  p2c_problem *items;
  size_t count, cap, num_errors, max;
  int truncated;
};

/* Returns P2C_OK to go on, 1 to stop (limit reached), or P2C_ERR_NOMEM. */
enum { STOP = 1 };

P2CI_PRINTF(7, 8)
static int add(p2c_validation *v, int severity, int code, const char *file, int64_t image_id,
               int64_t segment_id, const char *fmt, ...)
{
  if (v->count >= v->max) {
    v->truncated = 1;
    return STOP;
  }
  char msg[P2C_ERROR_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (p2ci_grow(&v->items, &v->cap, v->count + 1, sizeof *v->items) != P2C_OK) return P2C_ERR_NOMEM;
  size_t flen = strlen(file), mlen = strlen(msg);
  char *mem = malloc(flen + mlen + 2); /* file and message share one block */
  if (!mem) return P2C_ERR_NOMEM;
  memcpy(mem, file, flen + 1);
  memcpy(mem + flen + 1, msg, mlen + 1);
  p2c_problem *p = &v->items[v->count++];
  p->severity = severity;
  p->code = code;
  p->file = mem;
  p->image_id = image_id;
  p->segment_id = segment_id;
  p->message = mem + flen + 1;
  if (severity == P2C_PROBLEM_ERROR) v->num_errors++;
  return P2C_OK;
}

#define ERROR P2C_PROBLEM_ERROR
#define WARN P2C_PROBLEM_WARNING
/* Add a problem; leave the calling function on STOP or out of memory. */
#define ADD(...)                                  \
  do {                                            \
    int add_rc_ = add(__VA_ARGS__);               \
    if (add_rc_ != P2C_OK) return add_rc_;        \
  } while (0)

/* ---- per-image pixel counts of a PNG ---------------------------------------- */

typedef struct id_count {
  uint32_t *keys;  /* id + 1, 0 = empty slot */
  uint64_t *counts;
  size_t mask, used;
  uint32_t *sorted; /* distinct ids, ascending, after id_count_fill */
} id_count;

static int id_count_reserve(id_count *t, size_t n)
{
  size_t cap = 64;
  while (cap < n * 2) cap *= 2;
  if (t->keys && t->mask + 1 >= cap) {
    memset(t->keys, 0, (t->mask + 1) * sizeof *t->keys);
    t->used = 0;
    return P2C_OK;
  }
  free(t->keys);
  free(t->counts);
  free(t->sorted);
  t->keys = calloc(cap, sizeof *t->keys);
  t->counts = p2ci_malloc_array(cap, sizeof *t->counts);
  t->sorted = p2ci_malloc_array(cap, sizeof *t->sorted);
  t->mask = cap - 1;
  t->used = 0;
  return t->keys && t->counts && t->sorted ? P2C_OK : P2C_ERR_NOMEM;
}

static void id_count_free(id_count *t)
{
  free(t->keys);
  free(t->counts);
  free(t->sorted);
}

static uint64_t *id_count_slot(id_count *t, uint32_t id)
{
  size_t i = ((size_t)id * 0x9E3779B1u) & t->mask;
  while (t->keys[i] && t->keys[i] != id + 1) i = (i + 1) & t->mask;
  if (!t->keys[i]) {
    t->keys[i] = id + 1;
    t->counts[i] = 0;
    t->used++;
  }
  return &t->counts[i];
}

static uint64_t id_count_get(const id_count *t, uint32_t id)
{
  size_t i = ((size_t)id * 0x9E3779B1u) & t->mask;
  while (t->keys[i]) {
    if (t->keys[i] == id + 1) return t->counts[i];
    i = (i + 1) & t->mask;
  }
  return 0;
}

static int cmp_u32(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Count the pixels of every id (runs of one id are counted at once: id maps
 * are mostly long runs). Grows the table when an image has many ids. */
static int id_count_fill(id_count *t, const uint32_t *ids, size_t n)
{
  size_t expect = 256;
  int rc = id_count_reserve(t, expect);
  for (size_t i = 0; rc == P2C_OK && i < n;) {
    uint32_t id = ids[i];
    size_t j = i + 1;
    while (j < n && ids[j] == id) j++;
    if (t->used * 2 >= t->mask) { /* rare: more ids than expected, start over bigger */
      expect *= 4;
      rc = id_count_reserve(t, expect);
      i = 0;
      continue;
    }
    *id_count_slot(t, id) += j - i;
    i = j;
  }
  if (rc != P2C_OK) return rc;
  size_t k = 0;
  for (size_t i = 0; i <= t->mask; i++)
    if (t->keys[i]) t->sorted[k++] = t->keys[i] - 1;
  qsort(t->sorted, k, sizeof *t->sorted, cmp_u32);
  return P2C_OK;
}

/* ---- the checks ------------------------------------------------------------ */

typedef struct checker {
  p2c_validation *v;
  const p2c_dataset *gt, *pred;
  p2c_validate_options opts;
  int gt_dir_ok, pred_dir_ok;
  id_count counts;
  char *path; /* scratch for PNG paths */
  size_t path_cap;
} checker;

/* NULL when path is a folder, else what is wrong with it. */
static const char *folder_problem(const char *path)
{
  struct stat st;
  if (stat(path, &st) != 0) return "does not exist";
  return S_ISDIR(st.st_mode) ? NULL : "is not a folder";
}

static const char *png_path(checker *c, const p2c_dataset *ds, const p2ci_image *im)
{
  const char *name = p2ci_ds_str(ds, im->png_name);
  size_t n = strlen(ds->png_dir) + strlen(name) + 2;
  if (p2ci_grow(&c->path, &c->path_cap, n, 1) != P2C_OK) return NULL;
  snprintf(c->path, n, "%s/%s", ds->png_dir, name);
  return c->path;
}

/* An error report from the PNG reader without its leading "path: ". */
static const char *strip_prefix(const char *msg, const char *path)
{
  size_t n = strlen(path);
  if (!strncmp(msg, path, n) && msg[n] == ':' && msg[n + 1] == ' ') return msg + n + 2;
  return msg;
}

/* Read the PNG of an image, turning a failure into a problem. *map is NULL on
 * failure; the return value is STOP/NOMEM or OK. */
static int read_png(checker *c, const p2c_dataset *ds, const p2ci_image *im, int severity,
                    p2c_idmap **map)
{
  *map = NULL;
  const char *path = png_path(c, ds, im);
  if (!path) return P2C_ERR_NOMEM;
  p2c_error e;
  int rc = p2c_idmap_read_png(path, map, &e);
  if (rc == P2C_ERR_NOMEM) return rc;
  if (rc != P2C_OK) ADD(c->v, severity, rc, path, im->id, -1, "%s", strip_prefix(e.message, path));
  return P2C_OK;
}

static const char *caption_problem(int how)
{
  switch (how) {
  case P2CI_CAPTION_ABSENT: return "is missing";
  case P2CI_CAPTION_NULL: return "is null";
  default: return "is not a string";
  }
}

/* JSON-only checks of one GT image. */
static int check_gt_json(checker *c, const p2ci_image *g)
{
  const p2c_dataset *gt = c->gt;
  for (size_t k = 0; k < g->num_segments; k++) {
    const p2ci_segment *s = &gt->segs[g->first_segment + k];
    if (p2ci_idtable_get(&gt->cat_index, s->category_id) == SIZE_MAX)
      ADD(c->v, WARN, P2C_ERR_MISMATCH, gt->path, g->id, s->id,
          "category_id %lld is not in categories[]; PQ ignores this category (as panopticapi)",
          (long long)s->category_id);
    if (c->opts.require_captions && s->caption_how != P2CI_CAPTION_STRING)
      ADD(c->v, ERROR, P2C_ERR_SCHEMA, gt->path, g->id, s->id,
          "'description' %s; the caption metrics need a string for every ground-truth segment",
          caption_problem(s->caption_how));
  }
  return P2C_OK;
}

/* JSON-only checks of the prediction for one GT image. */
static int check_pred_json(checker *c, const p2ci_image *p)
{
  const p2c_dataset *pred = c->pred;
  for (size_t k = 0; k < p->num_segments; k++) {
    const p2ci_segment *s = &pred->segs[p->first_segment + k];
    if (p2ci_idtable_get(&c->gt->cat_index, s->category_id) == SIZE_MAX)
      ADD(c->v, ERROR, P2C_ERR_MISMATCH, pred->path, p->id, s->id,
          "category_id %lld is not a ground-truth category", (long long)s->category_id);
    if (!c->opts.require_captions) continue;
    if (s->caption_how == P2CI_CAPTION_OTHER)
      ADD(c->v, WARN, P2C_ERR_SCHEMA, pred->path, p->id, s->id,
          "'caption' is not a string; the official scripts skip this segment's caption");
    else if (s->caption_how != P2CI_CAPTION_STRING)
      ADD(c->v, ERROR, P2C_ERR_SCHEMA, pred->path, p->id, s->id, "'caption' %s",
          caption_problem(s->caption_how));
  }
  return P2C_OK;
}

/* Ids of a PNG against the segments of its JSON entry. For the prediction a
 * disagreement is an error (panopticapi raises); for the ground truth a
 * warning (panopticapi ignores unlisted PNG ids and counts unseen JSON
 * segments as false negatives). */
static int check_ids(checker *c, const p2c_dataset *ds, const p2ci_image *im, const p2c_idmap *map)
{
  int is_gt = ds == c->gt;
  int sev = is_gt ? WARN : ERROR;
  const uint32_t *ids = p2c_idmap_data(map);
  size_t n = (size_t)p2c_idmap_width(map) * (size_t)p2c_idmap_height(map);
  int rc = id_count_fill(&c->counts, ids, n);
  if (rc != P2C_OK) return rc;
  const char *path = png_path(c, ds, im);
  if (!path) return P2C_ERR_NOMEM;
  for (size_t i = 0; i < c->counts.used; i++) {
    uint32_t id = c->counts.sorted[i];
    size_t pos;
    if (id == 0 || p2c_dataset_find_segment(ds, (size_t)(im - ds->images), id, &pos) == P2C_OK)
      continue;
    ADD(c->v, sev, P2C_ERR_MISMATCH, path, im->id, (int64_t)id,
        is_gt ? "id is in the PNG (%llu pixels) but not in the JSON; PQ ignores these pixels"
              : "id is in the PNG (%llu pixels) but not in the JSON",
        (unsigned long long)id_count_get(&c->counts, id));
  }
  for (size_t k = 0; k < im->num_segments; k++) {
    const p2ci_segment *s = &ds->segs[im->first_segment + k];
    uint64_t have = id_count_get(&c->counts, (uint32_t)s->id);
    if (have == 0)
      ADD(c->v, sev, P2C_ERR_MISMATCH, ds->path, im->id, s->id,
          is_gt ? "segment is in the JSON but not in the PNG; it counts as a false negative"
                : "segment is in the JSON but not in the PNG");
    else if (is_gt && s->area >= 0 && (uint64_t)s->area != have)
      ADD(c->v, WARN, P2C_ERR_MISMATCH, ds->path, im->id, s->id,
          "'area' is %lld but the PNG has %llu pixels of this id; PQ uses the JSON area (as panopticapi)",
          (long long)s->area, (unsigned long long)have);
  }
  return P2C_OK;
}

static int check_pngs(checker *c, const p2ci_image *g, const p2ci_image *p)
{
  p2c_idmap *gmap = NULL, *pmap = NULL;
  int rc = P2C_OK;
  if (c->gt_dir_ok) rc = read_png(c, c->gt, g, ERROR, &gmap);
  if (rc == P2C_OK && c->pred_dir_ok) rc = read_png(c, c->pred, p, ERROR, &pmap);
  if (rc == P2C_OK && gmap && g->width > 0 && g->height > 0 &&
      (p2c_idmap_width(gmap) != g->width || p2c_idmap_height(gmap) != g->height)) {
    const char *path = png_path(c, c->gt, g);
    rc = path ? add(c->v, WARN, P2C_ERR_MISMATCH, path, g->id, -1,
                    "PNG is %dx%d but images[] says %dx%d", p2c_idmap_width(gmap),
                    p2c_idmap_height(gmap), g->width, g->height)
              : P2C_ERR_NOMEM;
  }
  if (rc == P2C_OK && pmap) {
    /* Compared with the GT PNG when there is one (panopticapi's arrays must
     * broadcast), else with the size images[] gives. */
    int w = gmap ? p2c_idmap_width(gmap) : g->width;
    int h = gmap ? p2c_idmap_height(gmap) : g->height;
    if (w > 0 && h > 0 && (p2c_idmap_width(pmap) != w || p2c_idmap_height(pmap) != h)) {
      const char *path = png_path(c, c->pred, p);
      rc = path ? add(c->v, ERROR, P2C_ERR_MISMATCH, path, p->id, -1,
                      "PNG is %dx%d but the ground truth is %dx%d", p2c_idmap_width(pmap),
                      p2c_idmap_height(pmap), w, h)
                : P2C_ERR_NOMEM;
    }
  }
  if (rc == P2C_OK && gmap) rc = check_ids(c, c->gt, g, gmap);
  if (rc == P2C_OK && pmap) rc = check_ids(c, c->pred, p, pmap);
  p2c_idmap_free(gmap);
  p2c_idmap_free(pmap);
  return rc;
}

static int check_all(checker *c)
{
  const p2c_dataset *gt = c->gt, *pred = c->pred;
  if (c->opts.check_pngs) {
    const char *gt_bad = folder_problem(gt->png_dir), *pred_bad = folder_problem(pred->png_dir);
    c->gt_dir_ok = !gt_bad;
    c->pred_dir_ok = !pred_bad;
    if (gt_bad)
      ADD(c->v, ERROR, P2C_ERR_IO, gt->png_dir, -1, -1, "folder with the ground-truth PNGs %s", gt_bad);
    if (pred_bad)
      ADD(c->v, ERROR, P2C_ERR_IO, pred->png_dir, -1, -1, "folder with the predicted PNGs %s", pred_bad);
  }
  for (size_t i = 0; i < gt->num_images; i++) {
    const p2ci_image *g = &gt->images[i];
    if (g->annotation_index == SIZE_MAX) {
      ADD(c->v, WARN, P2C_ERR_MISMATCH, gt->path, g->id, -1,
          "image is in images[] but not in annotations[]; the evaluation skips it");
      continue;
    }
    int rc = check_gt_json(c, g);
    if (rc != P2C_OK) return rc;
    size_t pi = p2ci_idtable_get(&pred->image_index, g->id);
    const p2ci_image *p = pi == SIZE_MAX ? NULL : &pred->images[pi];
    if (!p || p->annotation_index == SIZE_MAX) {
      ADD(c->v, ERROR, P2C_ERR_MISMATCH, pred->path, g->id, -1,
          "no prediction for this image (no entry in annotations[])");
      continue;
    }
    if ((rc = check_pred_json(c, p)) != P2C_OK) return rc;
    if (c->opts.check_pngs && (rc = check_pngs(c, g, p)) != P2C_OK) return rc;
  }
  for (size_t i = 0; i < pred->num_images; i++) {
    const p2ci_image *p = &pred->images[i];
    if (p->annotation_index == SIZE_MAX) continue;
    size_t gi = p2ci_idtable_get(&gt->image_index, p->id);
    if (gi == SIZE_MAX || gt->images[gi].annotation_index == SIZE_MAX)
      ADD(c->v, WARN, P2C_ERR_MISMATCH, pred->path, p->id, -1,
          "prediction for an image that is not in the ground truth; it is ignored");
  }
  return P2C_OK;
}

int p2c_validate(const p2c_dataset *gt, const p2c_dataset *pred, const p2c_validate_options *opts,
                 p2c_validation **out, p2c_error *err)
{
  if (out) *out = NULL;
  if (!gt || !pred || !out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "validate: NULL argument");
  p2c_validate_options def = P2C_VALIDATE_OPTIONS_INIT;
  if (!opts) opts = &def;
  if (opts->version < 1 || opts->version > P2C_VALIDATE_OPTIONS_VERSION)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "validate: unknown options version %u", opts->version);
  if (gt->kind != P2C_DATASET_GT || pred->kind != P2C_DATASET_PRED)
    return p2ci_error(err, P2C_ERR_INVALID_ARG,
                      "validate: expected a ground truth and a prediction dataset, in that order");
  p2c_validation *v = calloc(1, sizeof *v);
  if (!v) return p2ci_error(err, P2C_ERR_NOMEM, "validate: out of memory");
  checker c;
  memset(&c, 0, sizeof c);
  c.v = v;
  c.gt = gt;
  c.pred = pred;
  c.opts = *opts;
  v->max = opts->max_problems ? opts->max_problems : 1000;
  int rc = check_all(&c);
  id_count_free(&c.counts);
  free(c.path);
  if (rc < 0) {
    p2c_validation_free(v);
    return p2ci_error(err, rc, "validate: out of memory");
  }
  *out = v;
  return P2C_OK;
}

size_t p2c_validation_count(const p2c_validation *v) { return v ? v->count : 0; }
size_t p2c_validation_num_errors(const p2c_validation *v) { return v ? v->num_errors : 0; }
int p2c_validation_truncated(const p2c_validation *v) { return v ? v->truncated : 0; }

int p2c_validation_problem(const p2c_validation *v, size_t index, p2c_problem *out)
{
  if (!v || !out || index >= v->count) return P2C_ERR_INVALID_ARG;
  *out = v->items[index];
  return P2C_OK;
}

void p2c_validation_free(p2c_validation *v)
{
  if (!v) return;
  for (size_t i = 0; i < v->count; i++) free((char *)v->items[i].file);
  free(v->items);
  free(v);
}
