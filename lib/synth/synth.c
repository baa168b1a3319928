/* p2c_synth_write: scenes -> id PNGs, RGB PNGs, gt.json, pred.json, manifest.json. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/internal.h"
#include "io/file.h"
#include "io/png_write.h"
#include "synth/caption.h"
#include "synth/perturb.h"
#include "synth/scene.h"
#include "synth/strbuf.h"

/* Bumped whenever the same options would give different bytes. */
#define SYNTH_FORMAT 1

/* Streams of an image's random draws (p2ci_rng_seed's third argument). */
enum { STREAM_GT = 1, STREAM_GT_TEXT = 2, STREAM_PRED = 3 };

static const char *const op_names[] = {"copy", "miss", "dilate", "erode", "shift",
                                       "wrong_category", "spurious", "on_void", "on_crowd"};
static const char *const caption_names[] = {"copy", "edit", "unrelated", "empty", "own"};

static int64_t image_id(int index)
{
  return 100000 + 37 * ((int64_t)index + 1);
}

static int bad_prob(double p)
{
  return !(p >= 0.0 && p <= 1.0);
}

static int check_options(const p2c_synth_options *o, p2c_error *err)
{
#define BAD(...) p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c-synth: " __VA_ARGS__)
  if (o->version != P2C_SYNTH_OPTIONS_VERSION)
    return BAD("options version %u, expected %u", o->version, (unsigned)P2C_SYNTH_OPTIONS_VERSION);
  if (o->images < 1 || o->images > 1000000) return BAD("images must be 1..1000000, not %d", o->images);
  if (o->width < 16 || o->width > 8192 || o->height < 16 || o->height > 8192)
    return BAD("width and height must be 16..8192, not %dx%d", o->width, o->height);
  if (o->png_level < 0 || o->png_level > 9) return BAD("png_level must be 0..9, not %d", o->png_level);
  if (o->things_min < 0 || o->things_max > P2CI_MAX_THINGS || o->things_min > o->things_max)
    return BAD("need 0 <= things_min <= things_max <= %d, not %d..%d", P2CI_MAX_THINGS,
               o->things_min, o->things_max);
  if (o->max_morph < 0 || o->max_morph > 64) return BAD("max_morph must be 0..64, not %d", o->max_morph);
  if (o->max_shift < 0 || o->max_shift > 1024) return BAD("max_shift must be 0..1024, not %d", o->max_shift);
  if (o->max_spurious < 0 || o->max_spurious > P2CI_MAX_SPURIOUS)
    return BAD("max_spurious must be 0..%d, not %d", P2CI_MAX_SPURIOUS, o->max_spurious);
  const double probs[] = {o->p_crowd, o->p_void_outline, o->p_void_blob, o->p_miss, o->p_dilate,
                          o->p_erode, o->p_shift, o->p_wrong_category, o->p_pred_void,
                          o->p_caption_edit, o->p_caption_unrelated, o->p_caption_empty};
  for (size_t i = 0; i < sizeof probs / sizeof probs[0]; i++)
    if (bad_prob(probs[i])) return BAD("probabilities must be in [0, 1] (got %g)", probs[i]);
  if (o->p_miss + o->p_dilate + o->p_erode + o->p_shift + o->p_wrong_category > 1.0 + 1e-9)
    return BAD("p_miss + p_dilate + p_erode + p_shift + p_wrong_category exceeds 1");
  if (o->p_caption_edit + o->p_caption_unrelated + o->p_caption_empty > 1.0 + 1e-9)
    return BAD("p_caption_edit + p_caption_unrelated + p_caption_empty exceeds 1");
  if ((o->p_dilate > 0 || o->p_erode > 0) && o->max_morph < 1)
    return BAD("p_dilate or p_erode needs max_morph >= 1");
  if (o->p_shift > 0 && o->max_shift < 1) return BAD("p_shift needs max_shift >= 1");
  return P2C_OK;
#undef BAD
}

/* mkdir -p */
static int make_dirs(const char *path, p2c_error *err)
{
  char *p = p2ci_strdup(path);
  if (!p) return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  size_t n = strlen(p);
  while (n > 1 && p[n - 1] == '/') p[--n] = '\0';
  for (char *q = p + 1;; q++) {
    char c = *q;
    if (c != '/' && c != '\0') continue;
    *q = '\0';
    struct stat st;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      int e = errno;
      int rc = p2ci_error(err, P2C_ERR_IO, "%s: cannot create folder: %s", p, strerror(e));
      free(p);
      return rc;
    }
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
      int rc = p2ci_error(err, P2C_ERR_IO, "%s: exists and is not a folder", p);
      free(p);
      return rc;
    }
    if (c == '\0') break;
    *q = c;
  }
  free(p);
  return P2C_OK;
}

/* Shortest "%.Ng" that reads back to the same double. */
static void json_number(p2ci_sb *b, double v)
{
  char buf[40];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) break;
  }
  p2ci_sb_puts(b, buf);
}

static void write_info(p2ci_sb *b, const p2c_synth_options *o)
{
  p2ci_sb_printf(b,
                 "\"info\": {\"description\": \"p2c-synth synthetic Pix2Cap-COCO-format data\", "
                 "\"generator\": \"p2c-synth\", \"format\": %d, \"seed\": %llu, \"images\": %d, "
                 "\"width\": %d, \"height\": %d, \"rgb\": %d, \"things_min\": %d, \"things_max\": %d",
                 SYNTH_FORMAT, (unsigned long long)o->seed, o->images, o->width, o->height,
                 o->rgb ? 1 : 0, o->things_min, o->things_max);
  const struct {
    const char *name;
    double v;
  } knobs[] = {{"p_crowd", o->p_crowd}, {"p_void_outline", o->p_void_outline},
               {"p_void_blob", o->p_void_blob}, {"p_miss", o->p_miss}, {"p_dilate", o->p_dilate},
               {"p_erode", o->p_erode}, {"p_shift", o->p_shift},
               {"p_wrong_category", o->p_wrong_category}, {"max_morph", o->max_morph},
               {"max_shift", o->max_shift}, {"max_spurious", o->max_spurious},
               {"p_pred_void", o->p_pred_void}, {"p_caption_edit", o->p_caption_edit},
               {"p_caption_unrelated", o->p_caption_unrelated},
               {"p_caption_empty", o->p_caption_empty}};
  for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++) {
    p2ci_sb_printf(b, ", \"%s\": ", knobs[i].name);
    json_number(b, knobs[i].v);
  }
  p2ci_sb_puts(b, "}");
}

static void write_categories(p2ci_sb *b)
{
  p2ci_sb_puts(b, "\"categories\": [\n");
  for (int i = 0; i < p2ci_num_categories; i++) {
    const p2ci_category *c = &p2ci_categories[i];
    p2ci_sb_printf(b,
                   "{\"id\": %d, \"name\": \"%s\", \"supercategory\": \"%s\", \"isthing\": %d, "
                   "\"color\": [%d, %d, %d]}%s\n",
                   c->id, c->name, c->supercategory, c->isthing, c->color[0], c->color[1],
                   c->color[2], i + 1 < p2ci_num_categories ? "," : "");
  }
  p2ci_sb_puts(b, "]");
}

/* One annotations[] entry; pred adds score and says "caption". */
static void write_annotation(p2ci_sb *b, const p2ci_scene *s, int64_t id, int pred, int last)
{
  p2ci_sb_printf(b, "{\"image_id\": %lld, \"file_name\": \"%012lld.png\", \"segments_info\": [",
                 (long long)id, (long long)id);
  int first = 1;
  for (int i = 0; i < s->nsegs; i++) {
    const p2ci_seg *g = &s->segs[i];
    if (g->area == 0) continue;
    p2ci_sb_printf(b,
                   "%s\n{\"id\": %u, \"category_id\": %d, \"iscrowd\": %d, \"area\": %lld, "
                   "\"bbox\": [%d, %d, %d, %d], \"%s\": ",
                   first ? "" : ",", (unsigned)g->id, g->category_id, pred ? 0 : g->iscrowd,
                   (long long)g->area, g->bx0, g->by0, g->bx1 - g->bx0 + 1, g->by1 - g->by0 + 1,
                   pred ? "caption" : "description");
    p2ci_sb_json_string(b, g->text ? g->text : "");
    /* score_milli / 1000 printed with 3 decimals reads back to that same double. */
    if (pred) p2ci_sb_printf(b, ", \"score\": %d.%03d", g->score_milli / 1000, g->score_milli % 1000);
    p2ci_sb_puts(b, "}");
    first = 0;
  }
  p2ci_sb_printf(b, "]}%s\n", last ? "" : ",");
}

static void write_manifest_image(p2ci_sb *b, const p2ci_scene *gt, const p2ci_scene *pred,
                                 int64_t id, int last)
{
  p2ci_sb_printf(b, "{\"image_id\": %lld, \"scene\": \"%s\", \"log\": [", (long long)id,
                 gt->kind->name);
  int first = 1;
  for (int i = 0; i < gt->nsegs; i++) {
    const p2ci_seg *g = &gt->segs[i];
    if (g->area == 0) continue;
    int found = 0;
    for (int k = 0; k < pred->nsegs; k++) {
      const p2ci_seg *p = &pred->segs[k];
      if (p->gt_index != i) continue;
      found = 1;
      p2ci_sb_printf(b, "%s{\"gt_id\": %u, ", first ? "" : ", ", (unsigned)g->id);
      if (p->area) p2ci_sb_printf(b, "\"pred_id\": %u, ", (unsigned)p->id);
      p2ci_sb_printf(b, "\"op\": \"%s\"", op_names[p->op]);
      if (p->op == P2CI_OP_DILATE || p->op == P2CI_OP_ERODE) p2ci_sb_printf(b, ", \"pixels\": %d", p->morph);
      if (p->op == P2CI_OP_SHIFT) p2ci_sb_printf(b, ", \"dx\": %d, \"dy\": %d", p->dx, p->dy);
      if (p->op == P2CI_OP_WRONG_CATEGORY) p2ci_sb_printf(b, ", \"category_id\": %d", p->category_id);
      if (p->area) p2ci_sb_printf(b, ", \"caption\": \"%s\"", caption_names[p->caption_mode]);
      else p2ci_sb_puts(b, ", \"vanished\": true");
      p2ci_sb_puts(b, "}");
      first = 0;
    }
    if (!found) {
      p2ci_sb_printf(b, "%s{\"gt_id\": %u, \"op\": \"miss\"}", first ? "" : ", ", (unsigned)g->id);
      first = 0;
    }
  }
  for (int k = 0; k < pred->nsegs; k++) {
    const p2ci_seg *p = &pred->segs[k];
    if (p->gt_index >= 0 || p->area == 0) continue;
    p2ci_sb_printf(b, "%s{\"pred_id\": %u, \"op\": \"%s\", \"category_id\": %d}", first ? "" : ", ",
                   (unsigned)p->id, op_names[p->op], p->category_id);
    first = 0;
  }
  p2ci_sb_printf(b, "]}%s\n", last ? "" : ",");
}

typedef struct synth_run {
  const char *dir;
  const p2c_synth_options *o;
  p2ci_scene *gt, *pred;
  uint8_t *pixels; /* width*height*3 */
  uint8_t *rgb;    /* the rendering, when o->rgb */
  char *path;
  size_t path_cap;
  p2ci_sb gt_json, pred_json, manifest;
} synth_run;

static const char *path_of(synth_run *run, const char *sub, int64_t id)
{
  snprintf(run->path, run->path_cap, "%s/%s/%012lld.png", run->dir, sub, (long long)id);
  return run->path;
}

static int one_image(synth_run *run, int index, p2c_error *err)
{
  const p2c_synth_options *o = run->o;
  int64_t id = image_id(index);
  int last = index + 1 == o->images;
  p2ci_rng r;

  p2ci_rng_seed(&r, o->seed, (uint64_t)index, STREAM_GT);
  p2ci_scene_generate(run->gt, o, &r);
  p2ci_scene_assign_ids(run->gt, &r);
  p2ci_scene_render(run->gt, run->rgb, 1);
  /* Things hidden almost entirely make poor examples: drop them and repaint. */
  int64_t min_area = (int64_t)o->width * o->height / 4000;
  if (p2ci_scene_drop_small(run->gt, min_area < 12 ? 12 : min_area))
    p2ci_scene_render(run->gt, run->rgb, 1);
  p2ci_rng_seed(&r, o->seed, (uint64_t)index, STREAM_GT_TEXT);
  for (int i = 0; i < run->gt->nsegs; i++) {
    if (run->gt->segs[i].area == 0) continue;
    if (!(run->gt->segs[i].text = p2ci_describe(run->gt, i, &r)))
      return p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: image %lld: out of memory", (long long)id);
  }
  p2ci_scene_id_pixels(run->gt, run->pixels);
  int rc = p2ci_png_write_rgb8(path_of(run, "gt", id), run->pixels, o->width, o->height, o->png_level, err);
  if (!rc && run->rgb)
    rc = p2ci_png_write_rgb8(path_of(run, "images", id), run->rgb, o->width, o->height, o->png_level, err);
  if (rc) return rc;

  p2ci_rng_seed(&r, o->seed, (uint64_t)index, STREAM_PRED);
  p2ci_predict_scene(run->gt, run->pred, o, &r);
  p2ci_scene_assign_ids(run->pred, &r);
  p2ci_scene_render(run->pred, NULL, 0);
  if (p2ci_predict_captions(run->gt, run->pred, o, &r))
    return p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: image %lld: out of memory", (long long)id);
  p2ci_scene_id_pixels(run->pred, run->pixels);
  rc = p2ci_png_write_rgb8(path_of(run, "pred", id), run->pixels, o->width, o->height, o->png_level, err);
  if (rc) return rc;

  p2ci_sb_printf(&run->gt_json, "{\"id\": %lld, \"file_name\": \"%012lld.jpg\", \"width\": %d, \"height\": %d}%s\n",
                 (long long)id, (long long)id, o->width, o->height, last ? "" : ",");
  write_annotation(&run->pred_json, run->pred, id, 1, last);
  if (o->manifest) write_manifest_image(&run->manifest, run->gt, run->pred, id, last);
  return P2C_OK;
}

static int write_sb(synth_run *run, const char *name, p2ci_sb *b, p2c_error *err)
{
  if (b->failed) return p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: out of memory");
  snprintf(run->path, run->path_cap, "%s/%s", run->dir, name);
  return p2ci_write_file_atomic(run->path, b->data, b->len, err);
}

P2C_API int p2c_synth_write(const char *out_dir, const p2c_synth_options *opts, p2c_error *err)
{
  p2c_synth_options defaults = P2C_SYNTH_OPTIONS_INIT;
  const p2c_synth_options *o = opts ? opts : &defaults;
  if (!out_dir || !*out_dir) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c-synth: no output folder");
  int rc = check_options(o, err);
  if (rc) return rc;

  synth_run run = {0};
  run.dir = out_dir;
  run.o = o;
  run.path_cap = strlen(out_dir) + 64;
  size_t npix = (size_t)o->width * (size_t)o->height;
  run.path = malloc(run.path_cap);
  run.pixels = malloc(npix * 3);
  run.rgb = o->rgb ? malloc(npix * 3) : NULL;
  run.gt = p2ci_scene_new(o->width, o->height);
  run.pred = p2ci_scene_new(o->width, o->height);
  if (!run.path || !run.pixels || (o->rgb && !run.rgb) || !run.gt || !run.pred) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: out of memory");
    goto done;
  }
  static const char *const subs[] = {"", "/gt", "/pred", "/images"};
  for (int i = 0; i < (o->rgb ? 4 : 3) && !rc; i++) {
    snprintf(run.path, run.path_cap, "%s%s", out_dir, subs[i]);
    rc = make_dirs(run.path, err);
  }
  if (rc) goto done;

  /* The ground truth's images[] and annotations[] are built side by side:
   * images go straight into gt_json, annotations into a second buffer. */
  p2ci_sb gt_ann = {0};
  p2ci_sb_puts(&run.gt_json, "{");
  write_info(&run.gt_json, o);
  p2ci_sb_puts(&run.gt_json, ",\n\"images\": [\n");
  p2ci_sb_puts(&run.pred_json, "{\"annotations\": [\n");
  if (o->manifest) {
    p2ci_sb_puts(&run.manifest, "{");
    write_info(&run.manifest, o);
    p2ci_sb_puts(&run.manifest, ",\n\"images\": [\n");
  }
  for (int i = 0; i < o->images && !rc; i++) {
    rc = one_image(&run, i, err);
    if (!rc) write_annotation(&gt_ann, run.gt, image_id(i), 0, i + 1 == o->images);
  }
  if (!rc) {
    p2ci_sb_puts(&run.gt_json, "],\n\"annotations\": [\n");
    if (gt_ann.data) p2ci_sb_append(&run.gt_json, gt_ann.data, gt_ann.len);
    if (gt_ann.failed) run.gt_json.failed = gt_ann.failed;
    p2ci_sb_puts(&run.gt_json, "],\n");
    write_categories(&run.gt_json);
    p2ci_sb_puts(&run.gt_json, "}\n");
    p2ci_sb_puts(&run.pred_json, "],\n");
    write_categories(&run.pred_json);
    p2ci_sb_puts(&run.pred_json, "}\n");
    p2ci_sb_puts(&run.manifest, "]}\n");
    rc = write_sb(&run, "gt.json", &run.gt_json, err);
    if (!rc) rc = write_sb(&run, "pred.json", &run.pred_json, err);
    if (!rc && o->manifest) rc = write_sb(&run, "manifest.json", &run.manifest, err);
  }
  p2ci_sb_free(&gt_ann);
done:
  p2ci_sb_free(&run.gt_json);
  p2ci_sb_free(&run.pred_json);
  p2ci_sb_free(&run.manifest);
  p2ci_scene_free(run.gt);
  p2ci_scene_free(run.pred);
  free(run.rgb);
  free(run.pixels);
  free(run.path);
  return rc;
}
