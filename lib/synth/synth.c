/* p2c_synth_write: scenes -> id PNGs, RGB PNGs, gt.json, pred.json, manifest.json. */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "io/file.h"
#include "io/png_write.h"
#include "synth/caption.h"
#include "synth/perturb.h"
#include "synth/scene.h"
#include "synth/strbuf.h"

/* Bumped whenever the same options would give different bytes. */
#define SYNTH_FORMAT 2

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
    return BAD("options version %u, expected 1..%u", o->version, (unsigned)P2C_SYNTH_OPTIONS_VERSION);
  if (o->caption_draw < 0 || o->caption_draw > 1000000)
    return BAD("caption_draw must be 0..1000000, not %d", o->caption_draw);
  if (o->images < 1 || o->images > 1000000) return BAD("images must be 1..1000000, not %d", o->images);
  if (o->width < 16 || o->width > 8192 || o->height < 16 || o->height > 8192)
    return BAD("width and height must be 16..8192, not %dx%d", o->width, o->height);
  if (o->threads < 0 || o->threads > P2C_SYNTH_MAX_THREADS)
    return BAD("threads must be 0..%d, not %d", P2C_SYNTH_MAX_THREADS, o->threads);
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
  if (o->caption_draw) p2ci_sb_printf(b, ", \"caption_draw\": %d", o->caption_draw);
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

/* One worker's scenes and buffers. */
typedef struct synth_worker {
  const char *dir;
  const p2c_synth_options *o;
  p2ci_scene *gt, *pred;
  uint8_t *pixels; /* width*height*3 */
  uint8_t *rgb;    /* the rendering, when o->rgb */
  char *path;
  size_t path_cap;
} synth_worker;

/* What one image adds to each JSON file, joined in image order afterwards. */
typedef struct image_out {
  p2ci_sb image, gt_ann, pred_ann, manifest;
  int rc;
  p2c_error err;
} image_out;

static void image_out_free(image_out *out)
{
  p2ci_sb_free(&out->image);
  p2ci_sb_free(&out->gt_ann);
  p2ci_sb_free(&out->pred_ann);
  p2ci_sb_free(&out->manifest);
}

static int worker_init(synth_worker *w, const char *dir, const p2c_synth_options *o)
{
  memset(w, 0, sizeof *w);
  w->dir = dir;
  w->o = o;
  w->path_cap = strlen(dir) + 64;
  size_t npix = (size_t)o->width * (size_t)o->height;
  w->path = malloc(w->path_cap);
  w->pixels = malloc(npix * 3);
  w->rgb = o->rgb ? malloc(npix * 3) : NULL;
  w->gt = p2ci_scene_new(o->width, o->height);
  w->pred = p2ci_scene_new(o->width, o->height);
  return (w->path && w->pixels && (!o->rgb || w->rgb) && w->gt && w->pred) ? P2C_OK : P2C_ERR_NOMEM;
}

static void worker_free(synth_worker *w)
{
  p2ci_scene_free(w->gt);
  p2ci_scene_free(w->pred);
  free(w->rgb);
  free(w->pixels);
  free(w->path);
}

static const char *path_of(synth_worker *w, const char *sub, int64_t id)
{
  snprintf(w->path, w->path_cap, "%s/%s/%012lld.png", w->dir, sub, (long long)id);
  return w->path;
}

static int one_image(synth_worker *w, int index, image_out *out)
{
  const p2c_synth_options *o = w->o;
  p2c_error *err = &out->err;
  int64_t id = image_id(index);
  int last = index + 1 == o->images;
  p2ci_rng r;

  p2ci_rng_seed(&r, o->seed, (uint64_t)index, STREAM_GT);
  p2ci_scene_generate(w->gt, o, &r);
  p2ci_scene_assign_ids(w->gt, &r);
  p2ci_scene_render(w->gt, w->rgb, 1);
  /* Things hidden almost entirely make poor examples: drop them and repaint. */
  int64_t min_area = (int64_t)o->width * o->height / 4000;
  if (p2ci_scene_drop_small(w->gt, min_area < 12 ? 12 : min_area)) p2ci_scene_render(w->gt, w->rgb, 1);
  p2ci_rng_seed(&r, o->seed, (uint64_t)index, STREAM_GT_TEXT | (uint64_t)o->caption_draw << 8);
  for (int i = 0; i < w->gt->nsegs; i++) {
    if (w->gt->segs[i].area == 0) continue;
    if (!(w->gt->segs[i].text = p2ci_describe(w->gt, i, &r)))
      return p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: image %lld: out of memory", (long long)id);
  }
  p2ci_scene_id_pixels(w->gt, w->pixels);
  int rc = p2ci_png_write_rgb8(path_of(w, "gt", id), w->pixels, o->width, o->height, o->png_level, 0, err);
  if (!rc && w->rgb)
    rc = p2ci_png_write_rgb8(path_of(w, "images", id), w->rgb, o->width, o->height, o->png_level, 0, err);
  if (rc) return rc;

  p2ci_rng_seed(&r, o->seed, (uint64_t)index, STREAM_PRED);
  p2ci_predict_scene(w->gt, w->pred, o, &r);
  p2ci_scene_assign_ids(w->pred, &r);
  p2ci_scene_render(w->pred, NULL, 0);
  if (p2ci_predict_captions(w->gt, w->pred, o, &r))
    return p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: image %lld: out of memory", (long long)id);
  p2ci_scene_id_pixels(w->pred, w->pixels);
  rc = p2ci_png_write_rgb8(path_of(w, "pred", id), w->pixels, o->width, o->height, o->png_level, 0, err);
  if (rc) return rc;

  p2ci_sb_printf(&out->image, "{\"id\": %lld, \"file_name\": \"%012lld.jpg\", \"width\": %d, \"height\": %d}%s\n",
                 (long long)id, (long long)id, o->width, o->height, last ? "" : ",");
  write_annotation(&out->gt_ann, w->gt, id, 0, last);
  write_annotation(&out->pred_ann, w->pred, id, 1, last);
  if (o->manifest) write_manifest_image(&out->manifest, w->gt, w->pred, id, last);
  if (out->image.failed || out->gt_ann.failed || out->pred_ann.failed || out->manifest.failed)
    return p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: image %lld: out of memory", (long long)id);
  return P2C_OK;
}

/* Images are made in blocks: workers take the next image of the block, then
 * the block's JSON pieces are appended in image order, so the output is the
 * same for any number of threads. */
typedef struct block {
  synth_worker *workers;
  image_out *outs;
  int start, end, next;
  pthread_mutex_t lock;
} block;

typedef struct worker_arg {
  block *b;
  synth_worker *w;
} worker_arg;

static void *work(void *p)
{
  worker_arg *a = p;
  block *b = a->b;
  for (;;) {
    pthread_mutex_lock(&b->lock);
    int i = b->next < b->end ? b->next++ : -1;
    pthread_mutex_unlock(&b->lock);
    if (i < 0) return NULL;
    image_out *out = &b->outs[i - b->start];
    out->rc = one_image(a->w, i, out);
    if (out->rc) { /* stop the block early: later images would be discarded anyway */
      pthread_mutex_lock(&b->lock);
      b->end = b->next;
      pthread_mutex_unlock(&b->lock);
    }
  }
}

static int run_block(block *b, int threads)
{
  if (threads <= 1) {
    worker_arg a = {b, &b->workers[0]};
    work(&a);
    return P2C_OK;
  }
  pthread_t tid[P2C_SYNTH_MAX_THREADS];
  worker_arg args[P2C_SYNTH_MAX_THREADS];
  int started = 0;
  for (int t = 0; t < threads; t++) {
    args[t].b = b;
    args[t].w = &b->workers[t];
    if (pthread_create(&tid[t], NULL, work, &args[t]) != 0) break;
    started++;
  }
  if (started == 0) work(&args[0]); /* no thread could start: do it here */
  for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
  return P2C_OK;
}

static int write_sb(const char *dir, const char *name, p2ci_sb *b, p2c_error *err)
{
  if (b->failed) return p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: out of memory");
  size_t n = strlen(dir) + strlen(name) + 2;
  char *path = malloc(n);
  if (!path) return p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: out of memory");
  snprintf(path, n, "%s/%s", dir, name);
  int rc = p2ci_write_file_atomic(path, b->data ? b->data : "", b->len, err);
  free(path);
  return rc;
}

static int default_threads(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > P2C_SYNTH_MAX_THREADS ? P2C_SYNTH_MAX_THREADS : (int)n;
}

P2C_API int p2c_synth_write(const char *out_dir, const p2c_synth_options *opts, p2c_error *err)
{
  p2c_synth_options defaults = P2C_SYNTH_OPTIONS_INIT, v1;
  const p2c_synth_options *o = opts ? opts : &defaults;
  if (opts && opts->version == 1) { /* a version 1 struct ends before caption_draw */
    v1 = defaults;
    memcpy(&v1, opts, offsetof(p2c_synth_options, caption_draw));
    v1.version = P2C_SYNTH_OPTIONS_VERSION;
    o = &v1;
  }
  if (!out_dir || !*out_dir) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c-synth: no output folder");
  int rc = check_options(o, err);
  if (rc) return rc;
  int threads = o->threads > 0 ? o->threads : default_threads();
  if (threads > o->images) threads = o->images;

  synth_worker workers[P2C_SYNTH_MAX_THREADS];
  int nworkers = 0;
  const int block_size = 8 * threads;
  image_out *outs = calloc((size_t)block_size, sizeof *outs);
  p2ci_sb gt_json = {0}, gt_ann = {0}, pred_json = {0}, manifest = {0};
  block b;
  int have_lock = pthread_mutex_init(&b.lock, NULL) == 0;
  if (!outs || !have_lock) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: out of memory");
    goto done;
  }
  for (; nworkers < threads; nworkers++)
    if (worker_init(&workers[nworkers], out_dir, o)) {
      worker_free(&workers[nworkers]);
      rc = p2ci_error(err, P2C_ERR_NOMEM, "p2c-synth: out of memory");
      goto done;
    }
  static const char *const subs[] = {"", "/gt", "/pred", "/images"};
  for (int i = 0; i < (o->rgb ? 4 : 3) && !rc; i++) {
    snprintf(workers[0].path, workers[0].path_cap, "%s%s", out_dir, subs[i]);
    rc = make_dirs(workers[0].path, err);
  }
  if (rc) goto done;

  p2ci_sb_puts(&gt_json, "{");
  write_info(&gt_json, o);
  p2ci_sb_puts(&gt_json, ",\n\"images\": [\n");
  p2ci_sb_puts(&pred_json, "{\"annotations\": [\n");
  p2ci_sb_puts(&manifest, "{");
  write_info(&manifest, o);
  p2ci_sb_puts(&manifest, ",\n\"images\": [\n");
  b.workers = workers;
  b.outs = outs;
  for (int start = 0; start < o->images && !rc; start += block_size) {
    b.start = b.next = start;
    b.end = start + block_size < o->images ? start + block_size : o->images;
    int end = b.end;
    for (int i = start; i < end; i++) memset(&outs[i - start], 0, sizeof outs[0]);
    run_block(&b, threads);
    for (int i = start; i < end && !rc; i++) {
      image_out *out = &outs[i - start];
      if (out->rc) {
        rc = out->rc;
        p2ci_error_copy(err, &out->err);
        break;
      }
      if (i >= b.end) { /* stopped early by a later failure in this block */
        rc = P2C_ERR_INTERNAL;
        break;
      }
      p2ci_sb_append(&gt_json, out->image.data, out->image.len);
      p2ci_sb_append(&gt_ann, out->gt_ann.data, out->gt_ann.len);
      p2ci_sb_append(&pred_json, out->pred_ann.data, out->pred_ann.len);
      p2ci_sb_append(&manifest, out->manifest.data, out->manifest.len);
    }
    for (int i = start; i < end; i++) image_out_free(&outs[i - start]);
  }
  if (rc) goto done;
  p2ci_sb_puts(&gt_json, "],\n\"annotations\": [\n");
  p2ci_sb_append(&gt_json, gt_ann.data ? gt_ann.data : "", gt_ann.len);
  if (gt_ann.failed) gt_json.failed = gt_ann.failed;
  p2ci_sb_puts(&gt_json, "],\n");
  write_categories(&gt_json);
  p2ci_sb_puts(&gt_json, "}\n");
  p2ci_sb_puts(&pred_json, "],\n");
  write_categories(&pred_json);
  p2ci_sb_puts(&pred_json, "}\n");
  p2ci_sb_puts(&manifest, "]}\n");
  rc = write_sb(out_dir, "gt.json", &gt_json, err);
  if (!rc) rc = write_sb(out_dir, "pred.json", &pred_json, err);
  if (!rc && o->manifest) rc = write_sb(out_dir, "manifest.json", &manifest, err);
done:
  p2ci_sb_free(&gt_json);
  p2ci_sb_free(&gt_ann);
  p2ci_sb_free(&pred_json);
  p2ci_sb_free(&manifest);
  for (int t = 0; t < nworkers; t++) worker_free(&workers[t]);
  if (have_lock) pthread_mutex_destroy(&b.lock);
  free(outs);
  return rc;
}
