/* p2c_pq_compute: PQ over a ground-truth and a prediction dataset, as
 * panopticapi's pq_compute, with worker threads.
 *
 * Workers claim images in evaluation order, decode both PNGs and match them
 * (p2c_pq_image_compute); the calling thread adds the results strictly in
 * image order. A worker may run at most WINDOW images per thread ahead of the
 * reduction, so memory is bounded by a few images per thread, and the sums
 * are the same bits as a single-threaded run. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "io/dataset.h"
#include "masks/instances.h"
#include "masks/pq.h"

#define WINDOW_PER_THREAD 4

typedef struct slot {
  p2c_pq_image *img;
  p2c_error err;
  int rc;
  int ready;
} slot;

typedef struct run {
  const p2c_dataset *gt, *pred;
  const p2c_instances *inst; /* instead of pred: instance-format predictions */
  const p2c_pq *pq;
  const size_t *gt_index, *pred_index; /* per evaluated image */
  size_t n;
  size_t window;
  slot *slots; /* window entries; image i lives in slots[i % window] */
  pthread_mutex_t mu;
  pthread_cond_t ready, space;
  size_t next, reduced;
  int stop;
} run;

static int segments_of(const p2c_dataset *ds, size_t image, size_t n, p2c_pq_segment *out,
                       int is_gt, p2c_error *err)
{
  for (size_t s = 0; s < n; s++) {
    p2c_segment_info si;
    int rc = p2c_dataset_segment(ds, image, s, &si);
    if (rc) return p2ci_error(err, rc, "%s: image %zu: cannot read segment %zu", p2c_dataset_path(ds), image, s);
    out[s].id = si.id;
    out[s].category_id = si.category_id;
    out[s].iscrowd = si.iscrowd;
    out[s].area = si.area;
    if (is_gt && si.area < 0) {
      p2c_image_info ii;
      p2c_dataset_image(ds, image, &ii);
      return p2ci_error(err, P2C_ERR_SCHEMA,
                        "%s: image %" PRId64 " segment %" PRId64
                        ": no \"area\" (panopticapi takes the GT area from the JSON)",
                        p2c_dataset_path(ds), ii.id, si.id);
    }
  }
  return P2C_OK;
}

static char *png_path(const p2c_dataset *ds, const p2c_image_info *ii)
{
  const char *dir = p2c_dataset_png_dir(ds);
  size_t n = strlen(dir) + strlen(ii->png_name) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", dir, ii->png_name);
  return p;
}

/* Match evaluated image k against instance predictions. */
static int one_image_instances(const run *r, size_t k, p2c_pq_image **out, p2c_error *err)
{
  size_t gi = r->gt_index[k];
  p2c_image_info g;
  p2c_dataset_image(r->gt, gi, &g);
  p2ci_instance *const *first;
  size_t np = p2ci_instances_of_image(r->inst, g.id, &first);
  p2c_idmap *gm = NULL;
  p2c_pq_segment *gs = p2ci_malloc_array(g.num_segments ? g.num_segments : 1, sizeof *gs);
  p2c_pq_segment *ps = p2ci_malloc_array(np ? np : 1, sizeof *ps);
  const p2c_rle **masks = p2ci_malloc_array(np ? np : 1, sizeof *masks);
  char *gpath = png_path(r->gt, &g);
  int rc;
  if (!gs || !ps || !masks || !gpath) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < np; i++) {
    ps[i].id = first[i]->id;
    ps[i].category_id = first[i]->category_id;
    ps[i].iscrowd = 0;
    ps[i].area = -1;
    masks[i] = first[i]->mask;
  }
  if ((rc = segments_of(r->gt, gi, g.num_segments, gs, 1, err)) ||
      (rc = p2c_dataset_read_idmap(r->gt, gi, &gm, err)))
    goto done;
  p2c_pq_image_input in;
  memset(&in, 0, sizeof in);
  in.image_id = g.id;
  in.gt_name = gpath;
  in.width = p2c_idmap_width(gm);
  in.height = p2c_idmap_height(gm);
  in.gt_ids = p2c_idmap_data(gm);
  in.pred_masks = masks;
  in.gt = gs;
  in.num_gt = g.num_segments;
  in.pred = ps;
  in.num_pred = np;
  rc = p2c_pq_image_compute(r->pq, &in, out, err);
done:
  p2c_idmap_free(gm);
  free(gs);
  free(ps);
  free(masks);
  free(gpath);
  return rc;
}

/* Decode and match evaluated image k. */
static int one_image(const run *r, size_t k, p2c_pq_image **out, p2c_error *err)
{
  if (r->inst) return one_image_instances(r, k, out, err);
  size_t gi = r->gt_index[k], pi = r->pred_index[k];
  p2c_image_info g, p;
  p2c_dataset_image(r->gt, gi, &g);
  p2c_dataset_image(r->pred, pi, &p);
  p2c_idmap *gm = NULL, *pm = NULL;
  p2c_pq_segment *gs = p2ci_malloc_array(g.num_segments ? g.num_segments : 1, sizeof *gs);
  p2c_pq_segment *ps = p2ci_malloc_array(p.num_segments ? p.num_segments : 1, sizeof *ps);
  char *gpath = png_path(r->gt, &g), *ppath = png_path(r->pred, &p);
  int rc;
  if (!gs || !ps || !gpath || !ppath) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
    goto done;
  }
  if ((rc = segments_of(r->gt, gi, g.num_segments, gs, 1, err)) ||
      (rc = segments_of(r->pred, pi, p.num_segments, ps, 0, err)) ||
      (rc = p2c_dataset_read_idmap(r->gt, gi, &gm, err)) ||
      (rc = p2c_dataset_read_idmap(r->pred, pi, &pm, err)))
    goto done;
  if (p2c_idmap_width(gm) != p2c_idmap_width(pm) || p2c_idmap_height(gm) != p2c_idmap_height(pm)) {
    rc = p2ci_error(err, P2C_ERR_MISMATCH,
                    "image %" PRId64 ": %s is %dx%d but %s is %dx%d (width x height)", g.id, ppath,
                    p2c_idmap_width(pm), p2c_idmap_height(pm), gpath, p2c_idmap_width(gm),
                    p2c_idmap_height(gm));
    goto done;
  }
  p2c_pq_image_input in;
  memset(&in, 0, sizeof in);
  in.image_id = g.id;
  in.gt_name = gpath;
  in.pred_name = ppath;
  in.width = p2c_idmap_width(gm);
  in.height = p2c_idmap_height(gm);
  in.gt_ids = p2c_idmap_data(gm);
  in.pred_ids = p2c_idmap_data(pm);
  in.gt = gs;
  in.num_gt = g.num_segments;
  in.pred = ps;
  in.num_pred = p.num_segments;
  rc = p2c_pq_image_compute(r->pq, &in, out, err);
done:
  p2c_idmap_free(gm);
  p2c_idmap_free(pm);
  free(gs);
  free(ps);
  free(gpath);
  free(ppath);
  return rc;
}

static void *worker(void *arg)
{
  run *r = arg;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    while (!r->stop && r->next < r->n && r->next - r->reduced >= r->window)
      pthread_cond_wait(&r->space, &r->mu);
    if (r->stop || r->next >= r->n) {
      pthread_mutex_unlock(&r->mu);
      return NULL;
    }
    size_t k = r->next++;
    pthread_mutex_unlock(&r->mu);

    p2c_pq_image *img = NULL;
    p2c_error err;
    p2ci_error_clear(&err);
    int rc = one_image(r, k, &img, &err);

    pthread_mutex_lock(&r->mu);
    slot *s = &r->slots[k % r->window];
    s->img = img;
    s->rc = rc;
    s->err = err;
    s->ready = 1;
    pthread_cond_broadcast(&r->ready);
    pthread_mutex_unlock(&r->mu);
  }
}

/* np.array_split(n items, k): the first n % k chunks hold one more. Returns
 * 1 when evaluated image idx starts a chunk. */
static int starts_chunk(size_t idx, size_t n, int k)
{
  if (k <= 1) return 0;
  size_t base = n / (size_t)k, extra = n % (size_t)k, start = 0;
  for (size_t c = 0; c < (size_t)k && start <= idx; c++) {
    if (start == idx) return 1;
    start += base + (c < extra ? 1 : 0);
  }
  return 0;
}

/* Add image k's counts (and, for the panopticapi_processes mode, open and
 * close its chunk sums). */
static int reduce_one(p2c_pq *pq, const p2c_pq_options *o, size_t k, size_t n,
                      const p2c_pq_image *img)
{
  int procs = o->panopticapi_processes;
  if (procs > 1 && starts_chunk(k, n, procs)) {
    p2ci_pq_end_chunk(pq);
    if (p2ci_pq_begin_chunk(pq)) return P2C_ERR_NOMEM;
  }
  int rc = p2c_pq_add(pq, img);
  if (procs > 1 && k + 1 == n) p2ci_pq_end_chunk(pq);
  return rc;
}

static int online_cores(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* The evaluated images: GT images with an annotation, in annotations[] order
 * (the order panopticapi walks and sums in), each with its prediction. */
static int plan(const p2c_dataset *gt, const p2c_dataset *pred /* NULL: instances */, size_t **gt_index,
                size_t **pred_index, size_t *n, p2c_error *err)
{
  size_t ni = gt->num_images, m = 0;
  *gt_index = p2ci_malloc_array(ni ? ni : 1, sizeof **gt_index);
  *pred_index = p2ci_malloc_array(ni ? ni : 1, sizeof **pred_index);
  if (!*gt_index || !*pred_index) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  size_t *by_ann = p2ci_malloc_array(gt->num_annotations ? gt->num_annotations : 1, sizeof *by_ann);
  if (!by_ann) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  for (size_t a = 0; a < gt->num_annotations; a++) by_ann[a] = SIZE_MAX;
  for (size_t i = 0; i < ni; i++)
    if (gt->images[i].annotation_index != SIZE_MAX && gt->images[i].annotation_index < gt->num_annotations)
      by_ann[gt->images[i].annotation_index] = i;
  int rc = P2C_OK;
  for (size_t a = 0; a < gt->num_annotations && rc == P2C_OK; a++) {
    size_t i = by_ann[a];
    if (i == SIZE_MAX) continue;
    size_t pi = SIZE_MAX;
    p2c_image_info pinfo;
    if (pred && (p2c_dataset_find_image(pred, gt->images[i].id, &pi) != P2C_OK ||
                 p2c_dataset_image(pred, pi, &pinfo) != P2C_OK || !pinfo.png_name)) {
      rc = p2ci_error(err, P2C_ERR_MISMATCH, "%s: no prediction for the image with id: %" PRId64,
                      p2c_dataset_path(pred), gt->images[i].id);
      break;
    }
    (*gt_index)[m] = i;
    (*pred_index)[m] = pi;
    m++;
  }
  free(by_ann);
  *n = m;
  return rc;
}

static int check_folder(const p2c_dataset *ds, const char *what, p2c_error *err)
{
  struct stat st;
  const char *dir = p2c_dataset_png_dir(ds);
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return p2ci_error(err, P2C_ERR_IO, "Folder %s with %s segmentations doesn't exist", dir, what);
  return P2C_OK;
}

static int compute(const p2c_dataset *gt, const p2c_dataset *pred, const p2c_instances *inst,
                   const p2c_pq_options *opts, p2c_pq **out, p2c_error *err)
{
  p2ci_error_clear(err);
  p2c_pq_options o = P2C_PQ_OPTIONS_INIT;
  if (opts) {
    if (opts->version != P2C_PQ_OPTIONS_VERSION)
      return p2ci_error(err, P2C_ERR_VERSION, "p2c_pq_compute: options version %u, expected %u",
                        opts->version, P2C_PQ_OPTIONS_VERSION);
    o = *opts;
  }
  if (o.threads < 0 || o.panopticapi_processes < 0)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_pq_compute: threads = %d, panopticapi_processes = %d",
                      o.threads, o.panopticapi_processes);
  int rc;
  if ((rc = check_folder(gt, "ground truth", err)) ||
      (pred && (rc = check_folder(pred, "predicted", err))))
    return rc;

  size_t ncat = p2c_dataset_num_categories(gt);
  p2c_category_info *cats = p2ci_malloc_array(ncat ? ncat : 1, sizeof *cats);
  if (!cats) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  for (size_t c = 0; c < ncat; c++) p2c_dataset_category(gt, c, &cats[c]);
  p2c_pq *pq = NULL;
  rc = p2c_pq_create(cats, ncat, &pq, err);
  free(cats);
  if (rc) return rc;

  run r;
  memset(&r, 0, sizeof r);
  size_t *gi = NULL, *pi = NULL;
  if ((rc = plan(gt, pred, &gi, &pi, &r.n, err))) {
    free(gi);
    free(pi);
    p2c_pq_free(pq);
    return rc;
  }
  r.gt = gt;
  r.pred = pred;
  r.inst = inst;
  r.pq = pq;
  r.gt_index = gi;
  r.pred_index = pi;
  int threads = o.threads ? o.threads : online_cores();
  if ((size_t)threads > r.n) threads = r.n ? (int)r.n : 1;

  if (threads <= 1) {
    for (size_t k = 0; k < r.n && rc == P2C_OK; k++) {
      p2c_pq_image *img = NULL;
      rc = one_image(&r, k, &img, err);
      if (rc == P2C_OK) rc = reduce_one(pq, &o, k, r.n, img);
      if (rc == P2C_OK && o.on_image) rc = o.on_image(o.user, gi[k], img);
      p2c_pq_image_free(img);
    }
  } else {
    r.window = (size_t)threads * WINDOW_PER_THREAD;
    r.slots = p2ci_calloc_array(r.window, sizeof *r.slots);
    pthread_t *tid = p2ci_malloc_array((size_t)threads, sizeof *tid);
    int started = 0;
    if (!r.slots || !tid) rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
    if (rc == P2C_OK) {
      pthread_mutex_init(&r.mu, NULL);
      pthread_cond_init(&r.ready, NULL);
      pthread_cond_init(&r.space, NULL);
      for (; started < threads; started++)
        if (pthread_create(&tid[started], NULL, worker, &r) != 0) break;
      if (started == 0) rc = p2ci_error(err, P2C_ERR_INTERNAL, "cannot start a thread");
    }
    for (size_t k = 0; rc == P2C_OK && k < r.n; k++) {
      pthread_mutex_lock(&r.mu);
      slot *s = &r.slots[k % r.window];
      while (!s->ready) pthread_cond_wait(&r.ready, &r.mu);
      p2c_pq_image *img = s->img;
      int irc = s->rc;
      p2c_error ierr = s->err;
      s->img = NULL;
      s->ready = 0;
      pthread_mutex_unlock(&r.mu);
      if (irc) {
        p2ci_error_copy(err, &ierr);
        rc = irc;
      }
      if (rc == P2C_OK) rc = reduce_one(pq, &o, k, r.n, img);
      if (rc == P2C_OK && o.on_image) rc = o.on_image(o.user, gi[k], img);
      p2c_pq_image_free(img);
      pthread_mutex_lock(&r.mu);
      r.reduced = k + 1;
      if (rc) r.stop = 1;
      pthread_cond_broadcast(&r.space);
      pthread_mutex_unlock(&r.mu);
    }
    if (started > 0) {
      pthread_mutex_lock(&r.mu);
      r.stop = 1;
      pthread_cond_broadcast(&r.space);
      pthread_mutex_unlock(&r.mu);
      for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
      for (size_t w = 0; w < r.window; w++) p2c_pq_image_free(r.slots[w].img);
      pthread_mutex_destroy(&r.mu);
      pthread_cond_destroy(&r.ready);
      pthread_cond_destroy(&r.space);
    }
    free(tid);
    free(r.slots);
  }
  free(gi);
  free(pi);
  if (rc) {
    if (err && err->code == P2C_OK) p2ci_error(err, rc, "%s", p2c_strerror(rc));
    p2c_pq_free(pq);
    return rc;
  }
  *out = pq;
  return P2C_OK;
}

int p2c_pq_compute(const p2c_dataset *gt, const p2c_dataset *pred, const p2c_pq_options *opts,
                   p2c_pq **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_pq_compute: out is NULL");
  *out = NULL;
  if (!gt || !pred) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_pq_compute: NULL dataset");
  return compute(gt, pred, NULL, opts, out, err);
}

int p2c_pq_compute_instances(const p2c_dataset *gt, const p2c_instances *pred,
                             const p2c_pq_options *opts, p2c_pq **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_pq_compute_instances: out is NULL");
  *out = NULL;
  if (!gt || !pred)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_pq_compute_instances: NULL argument");
  return compute(gt, NULL, pred, opts, out, err);
}
