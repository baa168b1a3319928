/* Matching one image, with the rules of panopticapi's pq_compute_single_core
 * (panopticapi/evaluation.py): sanity checks on the prediction, TP pairs in
 * ascending (gt, pred) order, FN, crowd regions, FP filtering. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "masks/overlap.h"
#include "masks/pq.h"
#include "masks/pyset.h"
#include "masks/rle.h"

/* The JSON segments of one image as a Python dict keyed by id: a repeated id
 * keeps its first position and its last value. */
typedef struct seg_key {
  int64_t id;
  size_t first, last;
} seg_key;

typedef struct seg_index {
  seg_key *keys; /* sorted by id */
  size_t n;
} seg_index;

static int cmp_key(const void *a, const void *b)
{
  const seg_key *x = a, *y = b;
  if (x->id != y->id) return x->id < y->id ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

static int index_build(seg_index *ix, const p2c_pq_segment *s, size_t n)
{
  ix->keys = p2ci_malloc_array(n ? n : 1, sizeof *ix->keys);
  ix->n = 0;
  if (!ix->keys) return P2C_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) {
    ix->keys[i].id = s[i].id;
    ix->keys[i].first = ix->keys[i].last = i;
  }
  qsort(ix->keys, n, sizeof *ix->keys, cmp_key);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (m > 0 && ix->keys[m - 1].id == ix->keys[i].id) ix->keys[m - 1].last = ix->keys[i].first;
    else ix->keys[m++] = ix->keys[i];
  }
  ix->n = m;
  return P2C_OK;
}

/* The segment index holding id's value (its last listing), or -1. */
static long index_find(const seg_index *ix, int64_t id)
{
  size_t lo = 0, hi = ix->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ix->keys[mid].id == id) return (long)ix->keys[mid].last;
    if (ix->keys[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/* Is segment i the one a dict iteration visits (the first listing of its id)? */
static int is_first_listing(const seg_index *ix, const p2c_pq_segment *s, size_t i)
{
  size_t lo = 0, hi = ix->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ix->keys[mid].id == s[i].id) return ix->keys[mid].first == i;
    if (ix->keys[mid].id < s[i].id) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

void p2c_pq_image_free(p2c_pq_image *img)
{
  if (!img) return;
  free(img->pairs);
  free(img->tps);
  free(img->fn_cats);
  free(img->fp_cats);
  free(img->gt_outcome);
  free(img->pred_outcome);
  free(img);
}

int64_t p2c_pq_image_id(const p2c_pq_image *img) { return img ? img->image_id : -1; }
size_t p2c_pq_image_num_pairs(const p2c_pq_image *img) { return img ? img->npairs : 0; }

int p2c_pq_image_pair(const p2c_pq_image *img, size_t index, p2c_pq_pair *out)
{
  if (!img || !out || index >= img->npairs) return P2C_ERR_INVALID_ARG;
  *out = img->pairs[index];
  return P2C_OK;
}

int p2c_pq_image_gt_outcome(const p2c_pq_image *img, size_t index)
{
  if (!img || index >= img->ngt) return P2C_ERR_INVALID_ARG;
  return img->gt_outcome[index];
}

int p2c_pq_image_pred_outcome(const p2c_pq_image *img, size_t index)
{
  if (!img || index >= img->npred) return P2C_ERR_INVALID_ARG;
  return img->pred_outcome[index];
}

int p2c_pq_image_iou_matrix(const p2c_pq_image *img, double *out, size_t num_gt, size_t num_pred)
{
  if (!img || (!out && num_gt && num_pred) || num_gt != img->ngt || num_pred != img->npred)
    return P2C_ERR_INVALID_ARG;
  for (size_t i = 0; i < num_gt * num_pred; i++) out[i] = 0.0;
  /* the pred's pixel area, for the crowd rule, is the sum of its intersections */
  for (size_t k = 0; k < img->npairs; k++) {
    const p2c_pq_pair *p = &img->pairs[k];
    if (p->gt_index < 0 || p->pred_index < 0) continue;
    double v = p->iou;
    if (p->flags & P2C_PAIR_GT_CROWD) {
      int64_t area = 0;
      for (size_t j = 0; j < img->npairs; j++)
        if (img->pairs[j].pred_index == p->pred_index && img->pairs[j].pred_id == p->pred_id)
          area += img->pairs[j].intersection;
      v = area ? (double)p->intersection / (double)area : 0.0;
    }
    out[(size_t)p->gt_index * num_pred + (size_t)p->pred_index] = v;
  }
  return P2C_OK;
}

typedef struct matcher {
  const p2c_pq *pq;
  const p2c_pq_image_input *in;
  int instances;       /* predictions are RLE masks, keyed by index */
  seg_index gix, pix;  /* id -> segment (pix unused with instances) */
  int64_t *pred_area;  /* pixels of each prediction */
  int64_t *pred_void;  /* pixels of each prediction on GT id 0 */
  uint8_t *gt_matched, *pred_matched;
  p2ci_overlap ov;
  p2c_pq_image *img;
  size_t cap_tp, cap_fn, cap_fp;
  char where[600]; /* "pred.png: " prefix for messages */
} matcher;

static int fail(matcher *m, p2c_error *err, int code, const char *fmt, ...) P2CI_PRINTF(4, 5);
static int fail(matcher *m, p2c_error *err, int code, const char *fmt, ...)
{
  char msg[P2C_ERROR_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return p2ci_error(err, code, "%s%s", m->where, msg);
}

static long pred_of_key(const matcher *m, uint32_t key)
{
  if (m->instances) return key < m->in->num_pred ? (long)key : -1;
  return index_find(&m->pix, key);
}

/* Pixels the pair (gt id, pred key) shares, 0 when absent. */
static uint64_t pair_count(const matcher *m, uint32_t gt, uint32_t pred)
{
  size_t lo = 0, hi = m->ov.n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const p2ci_overlap_pair *p = &m->ov.pairs[mid];
    if (p->gt == gt && p->pred == pred) return p->count;
    if (p->gt < gt || (p->gt == gt && p->pred < pred)) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

static int cmp_u32_count(const void *a, const void *b)
{
  const p2ci_overlap_pair *x = a, *y = b;
  return x->pred < y->pred ? -1 : x->pred > y->pred;
}

/* panopticapi's prediction sanity checks, in its order: PNG labels ascending
 * (an id not in the JSON, then an unknown category), then JSON ids missing
 * from the PNG. Also measures each prediction's area from the PNG. */
static int check_predictions(matcher *m, p2c_error *err)
{
  const p2c_pq_image_input *in = m->in;
  if (m->instances) {
    for (size_t i = 0; i < in->num_pred; i++) {
      const p2c_rle *r = in->pred_masks[i];
      if (!r)
        return fail(m, err, P2C_ERR_INVALID_ARG, "image %" PRId64 ": prediction %zu has no mask",
                    in->image_id, i);
      if ((int)r->h != in->height || (int)r->w != in->width)
        return fail(m, err, P2C_ERR_MISMATCH,
                    "image %" PRId64 ": the mask of prediction %zu (segment %" PRId64
                    ") is %ux%u (h x w) but the ground truth is %dx%d",
                    in->image_id, i, in->pred[i].id, r->h, r->w, in->height, in->width);
      m->pred_area[i] = (int64_t)p2c_rle_area(r);
      if (p2ci_pq_category(m->pq, in->pred[i].category_id) < 0)
        return fail(m, err, P2C_ERR_MISMATCH,
                    "In the image with ID %" PRId64 " segment with ID %" PRId64
                    " has unknown category_id %" PRId64 ".",
                    in->image_id, in->pred[i].id, in->pred[i].category_id);
    }
    return P2C_OK;
  }
  /* labels of the prediction PNG with their pixel counts, ascending */
  p2ci_overlap_pair *lab = p2ci_malloc_array(m->ov.n ? m->ov.n : 1, sizeof *lab);
  if (!lab) return fail(m, err, P2C_ERR_NOMEM, "out of memory");
  memcpy(lab, m->ov.pairs, m->ov.n * sizeof *lab);
  qsort(lab, m->ov.n, sizeof *lab, cmp_u32_count);
  size_t nl = 0;
  for (size_t i = 0; i < m->ov.n; i++) {
    if (nl > 0 && lab[nl - 1].pred == lab[i].pred) lab[nl - 1].count += lab[i].count;
    else lab[nl++] = lab[i];
  }
  uint8_t *seen = calloc(in->num_pred ? in->num_pred : 1, 1);
  if (!seen) {
    free(lab);
    return fail(m, err, P2C_ERR_NOMEM, "out of memory");
  }
  int rc = P2C_OK;
  for (size_t i = 0; i < nl && rc == P2C_OK; i++) {
    long p = index_find(&m->pix, lab[i].pred);
    if (p < 0) {
      if (lab[i].pred == 0) continue;
      rc = fail(m, err, P2C_ERR_MISMATCH,
                "In the image with ID %" PRId64 " segment with ID %" PRIu32
                " is presented in PNG and not presented in JSON.",
                in->image_id, lab[i].pred);
      break;
    }
    m->pred_area[p] = (int64_t)lab[i].count;
    seen[p] = 1;
    if (p2ci_pq_category(m->pq, in->pred[p].category_id) < 0)
      rc = fail(m, err, P2C_ERR_MISMATCH,
                "In the image with ID %" PRId64 " segment with ID %" PRIu32
                " has unknown category_id %" PRId64 ".",
                in->image_id, lab[i].pred, in->pred[p].category_id);
  }
  if (rc == P2C_OK) {
    /* JSON ids absent from the PNG, listed in the order panopticapi prints
     * its Python set (removals leave the insertion layout unchanged) */
    int64_t *missing = p2ci_malloc_array(m->pix.n ? m->pix.n : 1, sizeof *missing);
    int64_t *all = p2ci_malloc_array(in->num_pred ? in->num_pred : 1, sizeof *all);
    size_t nm = 0;
    if (!missing || !all) rc = fail(m, err, P2C_ERR_NOMEM, "out of memory");
    for (size_t k = 0; rc == P2C_OK && k < m->pix.n; k++)
      if (!seen[m->pix.keys[k].last]) missing[nm++] = m->pix.keys[k].id;
    if (rc == P2C_OK && nm > 0) {
      for (size_t k = 0; k < in->num_pred; k++) all[k] = in->pred[k].id;
      p2ci_pyset_order(all, in->num_pred, missing, nm);
      char list[P2C_ERROR_MESSAGE_MAX];
      size_t len = 0;
      for (size_t k = 0; k < nm && len < sizeof list - 32; k++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%" PRId64, k ? ", " : "",
                                missing[k]);
      rc = fail(m, err, P2C_ERR_MISMATCH,
                "In the image with ID %" PRId64
                " the following segment IDs [%s] are presented in JSON and not presented in PNG.",
                in->image_id, list);
    }
    free(missing);
    free(all);
  }
  free(seen);
  free(lab);
  return rc;
}

static int push_i64(int64_t **v, size_t *n, size_t *cap, int64_t x)
{
  if (p2ci_grow(v, cap, *n + 1, sizeof **v)) return P2C_ERR_NOMEM;
  (*v)[(*n)++] = x;
  return P2C_OK;
}

static int match_pairs(matcher *m)
{
  const p2c_pq_image_input *in = m->in;
  p2c_pq_image *img = m->img;
  for (size_t k = 0; k < m->ov.n; k++) {
    const p2ci_overlap_pair *o = &m->ov.pairs[k];
    if (o->gt != 0) break; /* void pairs come first */
    long p = pred_of_key(m, o->pred);
    if (p >= 0) m->pred_void[p] = (int64_t)o->count;
  }
  for (size_t k = 0; k < m->ov.n; k++) {
    const p2ci_overlap_pair *o = &m->ov.pairs[k];
    p2c_pq_pair *q = &img->pairs[k];
    long g = index_find(&m->gix, o->gt), p = pred_of_key(m, o->pred);
    q->gt_id = o->gt;
    q->pred_id = m->instances ? (p >= 0 ? in->pred[p].id : -1) : (int64_t)o->pred;
    q->gt_index = g;
    q->pred_index = p;
    q->intersection = (int64_t)o->count;
    q->union_area = 0;
    q->iou = 0.0;
    q->flags = 0;
    if (g < 0 || p < 0) continue;
    const p2c_pq_segment *gs = &in->gt[g], *ps = &in->pred[p];
    q->union_area = m->pred_area[p] + gs->area - q->intersection - m->pred_void[p];
    /* numpy int64 true division: the same correctly rounded double */
    q->iou = (double)q->intersection / (double)q->union_area;
    if (gs->category_id == ps->category_id) q->flags |= P2C_PAIR_SAME_CATEGORY;
    if (gs->iscrowd == 1) {
      q->flags |= P2C_PAIR_GT_CROWD;
      continue;
    }
    if (!(q->flags & P2C_PAIR_SAME_CATEGORY)) continue;
    /* instance masks may overlap: keep matches one-to-one, first pair wins */
    if (m->instances && (m->gt_matched[g] || m->pred_matched[p])) continue;
    if (q->iou > 0.5) {
      q->flags |= P2C_PAIR_MATCHED;
      m->gt_matched[g] = 1;
      m->pred_matched[p] = 1;
      img->tps[img->ntp].category_id = gs->category_id;
      img->tps[img->ntp].iou = q->iou;
      img->ntp++;
    }
  }
  return P2C_OK;
}

typedef struct crowd_of {
  int64_t cat;
  long gt;
} crowd_of;

static int count_fn_fp(matcher *m, p2c_error *err)
{
  const p2c_pq_image_input *in = m->in;
  p2c_pq_image *img = m->img;
  crowd_of *crowd = p2ci_malloc_array(in->num_gt ? in->num_gt : 1, sizeof *crowd);
  size_t ncrowd = 0;
  if (!crowd) return fail(m, err, P2C_ERR_NOMEM, "out of memory");
  /* dict order: each id once, at its first listing, with its last listing's values */
  for (size_t i = 0; i < in->num_gt; i++) {
    img->gt_outcome[i] = P2C_PQ_IGNORED;
    if (!is_first_listing(&m->gix, in->gt, i)) continue;
    long g = index_find(&m->gix, in->gt[i].id);
    const p2c_pq_segment *gs = &in->gt[g];
    if (m->gt_matched[g]) continue;
    if (gs->iscrowd == 1) { /* the last crowd region of a category wins */
      size_t c = 0;
      while (c < ncrowd && crowd[c].cat != gs->category_id) c++;
      if (c == ncrowd) crowd[ncrowd++].cat = gs->category_id;
      crowd[c].gt = g;
      continue;
    }
    if (push_i64(&img->fn_cats, &img->nfn, &m->cap_fn, gs->category_id)) {
      free(crowd);
      return fail(m, err, P2C_ERR_NOMEM, "out of memory");
    }
  }
  for (size_t i = 0; i < in->num_gt; i++) {
    long g = index_find(&m->gix, in->gt[i].id);
    if ((size_t)g == i)
      img->gt_outcome[i] = m->gt_matched[g] ? P2C_PQ_TP
                           : in->gt[g].iscrowd == 1 ? P2C_PQ_CROWD
                                                    : P2C_PQ_FN;
  }
  for (size_t i = 0; i < in->num_pred; i++) img->pred_outcome[i] = P2C_PQ_IGNORED;
  for (size_t i = 0; i < in->num_pred; i++) {
    if (!m->instances && !is_first_listing(&m->pix, in->pred, i)) continue;
    long p = m->instances ? (long)i : index_find(&m->pix, in->pred[i].id);
    const p2c_pq_segment *ps = &in->pred[p];
    if (m->pred_matched[p]) {
      img->pred_outcome[p] = P2C_PQ_TP;
      continue;
    }
    uint32_t key = m->instances ? (uint32_t)p : (uint32_t)ps->id;
    int64_t inter = m->pred_void[p];
    for (size_t c = 0; c < ncrowd; c++)
      if (crowd[c].cat == ps->category_id)
        inter += (int64_t)pair_count(m, (uint32_t)in->gt[crowd[c].gt].id, key);
    /* ignored when more than half of it lies on void or its category's crowd */
    if ((double)inter / (double)m->pred_area[p] > 0.5) continue;
    img->pred_outcome[p] = P2C_PQ_FP;
    if (push_i64(&img->fp_cats, &img->nfp, &m->cap_fp, ps->category_id)) {
      free(crowd);
      return fail(m, err, P2C_ERR_NOMEM, "out of memory");
    }
  }
  free(crowd);
  return P2C_OK;
}

static int check_input(const p2c_pq_image_input *in, p2c_error *err)
{
  if (!in) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_pq_image_compute: input is NULL");
  if (in->width < 0 || in->height < 0 || (uint64_t)in->width * (uint64_t)in->height > UINT32_MAX)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "image %" PRId64 ": bad size %dx%d", in->image_id,
                      in->width, in->height);
  if ((in->num_gt && !in->gt) || (in->num_pred && !in->pred) ||
      (!in->gt_ids && in->width && in->height))
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "image %" PRId64 ": NULL segments or id map",
                      in->image_id);
  if (!in->pred_ids == !in->pred_masks && (in->pred_ids || in->num_pred))
    return p2ci_error(err, P2C_ERR_INVALID_ARG,
                      "image %" PRId64 ": give either a prediction id map or instance masks",
                      in->image_id);
  if (in->num_pred >= UINT32_MAX)
    return p2ci_error(err, P2C_ERR_LIMIT, "image %" PRId64 ": too many predictions", in->image_id);
  return P2C_OK;
}

int p2c_pq_image_compute(const p2c_pq *pq, const p2c_pq_image_input *in, p2c_pq_image **out,
                         p2c_error *err)
{
  if (!out || !pq) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_pq_image_compute: NULL argument");
  *out = NULL;
  int rc = check_input(in, err);
  if (rc) return rc;
  matcher m;
  memset(&m, 0, sizeof m);
  m.pq = pq;
  m.in = in;
  m.instances = in->pred_masks != NULL || in->pred_ids == NULL; /* no id map: no prediction at all */
  if (in->pred_name && in->pred_name[0]) snprintf(m.where, sizeof m.where, "%s: ", in->pred_name);
  size_t ng = in->num_gt ? in->num_gt : 1, np = in->num_pred ? in->num_pred : 1;
  p2c_pq_image *img = calloc(1, sizeof *img);
  m.img = img;
  m.pred_area = p2ci_calloc_array(np, sizeof *m.pred_area);
  m.pred_void = p2ci_calloc_array(np, sizeof *m.pred_void);
  m.gt_matched = calloc(ng, 1);
  m.pred_matched = calloc(np, 1);
  if (!img || !m.pred_area || !m.pred_void || !m.gt_matched || !m.pred_matched ||
      index_build(&m.gix, in->gt, in->num_gt) || index_build(&m.pix, in->pred, in->num_pred)) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
    goto done;
  }
  img->image_id = in->image_id;
  img->ngt = in->num_gt;
  img->npred = in->num_pred;
  img->gt_outcome = calloc(ng, 1);
  img->pred_outcome = calloc(np, 1);
  if (!img->gt_outcome || !img->pred_outcome) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
    goto done;
  }
  size_t npix = (size_t)in->width * (size_t)in->height;
  if (m.instances) {
    /* sizes are checked before the masks are walked */
    for (size_t i = 0; i < in->num_pred; i++)
      if (in->pred_masks[i] && ((int)in->pred_masks[i]->h != in->height ||
                                (int)in->pred_masks[i]->w != in->width)) {
        rc = check_predictions(&m, err);
        goto done;
      }
    for (size_t i = 0; i < in->num_pred; i++)
      if (!in->pred_masks[i]) {
        rc = check_predictions(&m, err);
        goto done;
      }
    rc = p2ci_overlap_masks(in->gt_ids, in->width, in->height, in->pred_masks, in->num_pred, &m.ov);
  } else {
    rc = p2ci_overlap_idmaps(in->gt_ids, in->pred_ids, npix, &m.ov);
  }
  if (rc) {
    rc = p2ci_error(err, rc, "out of memory");
    goto done;
  }
  if ((rc = check_predictions(&m, err))) goto done;
  img->pairs = p2ci_malloc_array(m.ov.n ? m.ov.n : 1, sizeof *img->pairs);
  img->tps = p2ci_malloc_array(m.ov.n ? m.ov.n : 1, sizeof *img->tps);
  if (!img->pairs || !img->tps) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
    goto done;
  }
  img->npairs = m.ov.n;
  if ((rc = match_pairs(&m))) goto done;
  rc = count_fn_fp(&m, err);
done:
  p2ci_overlap_free(&m.ov);
  free(m.gix.keys);
  free(m.pix.keys);
  free(m.pred_area);
  free(m.pred_void);
  free(m.gt_matched);
  free(m.pred_matched);
  if (rc == P2C_OK) *out = img;
  else p2c_pq_image_free(img);
  return rc;
}
