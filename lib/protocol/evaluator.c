/* The evaluator handle: creation, adding images (one at a time or all with
 * threads), accessors. The per-protocol arithmetic is in finish_*.c. */
#include "protocol/evaluator.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/dataset.h"
#include "io/file.h"
#include "masks/overlap.h"

int p2ci_strings_add(p2ci_strings *s, const char *text, size_t *off)
{
  if (!text) {
    *off = P2CI_NO_TEXT;
    return P2C_OK;
  }
  size_t n = strlen(text) + 1;
  if (p2ci_grow(&s->buf, &s->cap, s->len + n, 1) != P2C_OK) return P2C_ERR_NOMEM;
  memcpy(s->buf + s->len, text, n);
  *off = s->len;
  s->len += n;
  return P2C_OK;
}

int p2ci_strings_add_packed(p2ci_strings *s, const char *first, size_t n, size_t *off)
{
  size_t len = 0;
  for (size_t i = 0; i < n; i++) len += strlen(first + len) + 1;
  if (p2ci_grow(&s->buf, &s->cap, s->len + len + 1, 1) != P2C_OK) return P2C_ERR_NOMEM;
  memcpy(s->buf + s->len, first, len);
  s->buf[s->len + len] = '\0'; /* an empty list still has a valid offset */
  *off = s->len;
  s->len += len + 1;
  return P2C_OK;
}

#define VEC_PUSH(ev, name, value)                                                        \
  (p2ci_grow(&(ev)->name, &(ev)->cap_##name, (ev)->n_##name + 1, sizeof *(ev)->name) != \
           P2C_OK                                                                        \
       ? P2C_ERR_NOMEM                                                                   \
       : ((ev)->name[(ev)->n_##name++] = (value), P2C_OK))

const char *p2c_protocol_name(int protocol)
{
  switch (protocol) {
  case P2C_PROTOCOL_P2C_V1: return "p2c-v1";
  case P2C_PROTOCOL_PIX2CAP_OFFICIAL: return "pix2cap-official";
  default: return NULL;
  }
}

int p2c_protocol_from_name(const char *name, int *protocol)
{
  if (!name || !protocol) return P2C_ERR_INVALID_ARG;
  for (int p = 0; p <= P2C_PROTOCOL_PIX2CAP_OFFICIAL; p++)
    if (!strcmp(name, p2c_protocol_name(p))) {
      *protocol = p;
      return P2C_OK;
    }
  return P2C_ERR_NOT_FOUND;
}

int p2c_evaluator_create(const p2c_dataset *gt, const p2c_eval_options *opts, p2c_evaluator **out,
                         p2c_error *err)
{
  if (out) *out = NULL;
  if (!gt || !out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_evaluator_create: NULL argument");
  const size_t n = p2c_dataset_num_categories(gt);
  p2c_category_info *cats = p2ci_calloc_array(n ? n : 1, sizeof *cats);
  if (!cats) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    int rc = p2c_dataset_category(gt, i, &cats[i]);
    if (rc != P2C_OK) {
      free(cats);
      return p2ci_error(err, rc, "p2c_evaluator_create: cannot read category %zu", i);
    }
  }
  int rc = p2c_evaluator_create_from_categories(cats, n, opts, out, err);
  free(cats);
  return rc;
}

int p2c_evaluator_create_from_categories(const p2c_category_info *categories, size_t num_categories,
                                         const p2c_eval_options *opts, p2c_evaluator **out,
                                         p2c_error *err)
{
  if (out) *out = NULL;
  if ((!categories && num_categories) || !out)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_evaluator_create: NULL argument");
  p2c_eval_options def = P2C_EVAL_OPTIONS_INIT;
  if (!opts) opts = &def;
  if (opts->version != P2C_EVAL_OPTIONS_VERSION)
    return p2ci_error(err, P2C_ERR_VERSION, "p2c_evaluator_create: options version %u, expected %u",
                      opts->version, P2C_EVAL_OPTIONS_VERSION);
  if (!p2c_protocol_name(opts->protocol))
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_evaluator_create: unknown protocol %d",
                      opts->protocol);
  if (opts->threads < 0 || opts->compat_cpus < 0)
    return p2ci_error(err, P2C_ERR_INVALID_ARG,
                      "p2c_evaluator_create: threads and compat_cpus must not be negative");
  p2c_evaluator *ev = calloc(1, sizeof *ev);
  if (!ev) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  ev->opts = *opts;
  if (ev->opts.threads == 0) ev->opts.threads = 1;
  if (ev->opts.compat_cpus == 0) ev->opts.compat_cpus = 1;
  const char *wn = opts->wordnet_dir;
  if (!wn) wn = getenv("WNSEARCHDIR");
  if (!wn || !*wn) wn = "/usr/share/wordnet";
  snprintf(ev->wordnet_dir, sizeof ev->wordnet_dir, "%s", wn);
  snprintf(ev->meteor_dir, sizeof ev->meteor_dir, "%s", opts->meteor_data_dir ? opts->meteor_data_dir : "");
  ev->opts.wordnet_dir = ev->wordnet_dir;
  ev->opts.meteor_data_dir = opts->meteor_data_dir ? ev->meteor_dir : NULL;

  ev->ncats = num_categories;
  ev->cats = p2ci_calloc_array(ev->ncats ? ev->ncats : 1, sizeof *ev->cats);
  if (!ev->cats) {
    free(ev);
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < ev->ncats; i++) {
    ev->cats[i].id = categories[i].id;
    ev->cats[i].isthing = categories[i].isthing;
  }
  *out = ev;
  return P2C_OK;
}

void p2c_evaluator_free(p2c_evaluator *ev)
{
  if (!ev) return;
  free(ev->cats);
  free(ev->text.buf);
  free(ev->images);
  free(ev->tps);
  free(ev->events);
  free(ev->pairs);
  free(ev->records);
  free(ev->preds);
  free(ev->segs);
  free(ev->pair_scores);
  free(ev->pair_order);
  free(ev->json);
  free(ev->state_bytes);
  p2ci_meteor_cache_free(ev->meteor);

  free(ev);
}

const char *p2c_evaluator_last_error(const p2c_evaluator *ev)
{
  return ev ? ev->err.message : "";
}

static int fail(p2c_evaluator *ev, const p2c_error *e)
{
  p2ci_error_copy(&ev->err, e);
  return e->code;
}

/* ---- one image: prepare (thread-safe) then commit (in order) -------------- */

typedef struct seg_text {
  const char *caption; /* borrowed from the dataset */
  int kind;
  const char *list;    /* a list-valued caption: its strings (borrowed) */
  size_t list_n;
  int is_list;
  int has_score;
  double score;
} seg_text;

typedef struct prepared {
  int64_t image_id;
  uint64_t order; /* ev_image.order */
  p2ci_seg *gt, *pred;
  seg_text *gt_text, *pred_text;
  size_t ngt, npred;
  p2ci_image_match m;
  int skip; /* GT image without annotation */
} prepared;

static void prepared_free(prepared *pp)
{
  free(pp->gt);
  free(pp->pred);
  free(pp->gt_text);
  free(pp->pred_text);
  p2ci_image_match_free(&pp->m);
  memset(pp, 0, sizeof *pp);
}

typedef struct id_index {
  int64_t id;
  int32_t index;
} id_index;

static int by_id(const void *a, const void *b)
{
  int64_t x = ((const id_index *)a)->id, y = ((const id_index *)b)->id;
  return x < y ? -1 : x > y;
}

static int32_t find_id(const id_index *t, size_t n, int64_t id)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && t[lo].id == id ? t[lo].index : -1;
}

static int32_t cat_index(const p2c_evaluator *ev, int64_t id)
{
  for (size_t i = 0; i < ev->ncats; i++)
    if (ev->cats[i].id == id) return (int32_t)i;
  return -1;
}

static int load_segments(const p2c_evaluator *ev, const p2c_dataset *ds, size_t index, size_t n,
                         p2ci_seg **segs, seg_text **texts, id_index **ids, p2c_error *err)
{
  *segs = p2ci_calloc_array(n ? n : 1, sizeof **segs);
  *texts = p2ci_calloc_array(n ? n : 1, sizeof **texts);
  *ids = p2ci_malloc_array(n ? n : 1, sizeof **ids);
  if (!*segs || !*texts || !*ids) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  for (size_t s = 0; s < n; s++) {
    p2c_segment_info si;
    int rc = p2c_dataset_segment(ds, index, s, &si);
    if (rc != P2C_OK) return p2ci_error(err, rc, "cannot read segment %zu of image %zu", s, index);
    (*segs)[s] = (p2ci_seg){si.id, si.category_id, cat_index(ev, si.category_id), si.iscrowd, si.area};
    (*texts)[s] = (seg_text){si.caption, si.caption_kind, NULL, 0, 0, si.has_score, si.score};
    if (si.caption_kind == P2C_CAPTION_OTHER &&
        p2ci_dataset_caption_list(ds, index, s, &(*texts)[s].list, &(*texts)[s].list_n) == P2C_OK)
      (*texts)[s].is_list = 1;
    (*ids)[s] = (id_index){si.id, (int32_t)s};
  }
  qsort(*ids, n, sizeof **ids, by_id);
  return P2C_OK;
}

/* From both sides' segments (ids sorted in gids / pids, which this frees)
 * and their id maps to the image's matches: overlaps, the script's checks in
 * its order, then the matching. rc: the status so far (nothing runs unless
 * P2C_OK). */
static int prepare_match(const p2c_evaluator *ev, prepared *pp, id_index *gids, id_index *pids,
                         const uint32_t *gdata, const uint32_t *pdata, size_t npix, int rc,
                         p2c_error *err)
{
  p2ci_overlap ov = {NULL, 0};
  int64_t *parea = NULL;
  if (rc == P2C_OK && p2ci_overlap_idmaps(gdata, pdata, npix, &ov) != P2C_OK)
    rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  if (rc == P2C_OK) {
    parea = p2ci_calloc_array(pp->npred ? pp->npred : 1, sizeof *parea);
    if (!parea) rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  /* the script walks the prediction PNG's ids in ascending order and stops
   * at the first one missing from the JSON or of an unknown category */
  uint64_t bad_unlisted = UINT64_MAX;
  for (size_t k = 0; rc == P2C_OK && k < ov.n; k++) {
    const uint32_t pid = ov.pairs[k].pred;
    const int32_t p = pid == 0 ? -1 : find_id(pids, pp->npred, pid);
    if (p < 0 && pid != 0 && pid < bad_unlisted) bad_unlisted = pid;
    if (p >= 0) parea[p] += (int64_t)ov.pairs[k].count;
  }
  const p2ci_seg *bad_cat = NULL;
  for (size_t k = 0; rc == P2C_OK && k < pp->npred && !bad_cat; k++) {
    const p2ci_seg *sg = &pp->pred[pids[k].index]; /* ascending id */
    if (parea[pids[k].index] > 0 && sg->cat < 0) bad_cat = sg;
  }
  if (rc == P2C_OK && bad_unlisted != UINT64_MAX && (!bad_cat || (uint64_t)bad_cat->id > bad_unlisted))
    rc = p2ci_error(err, P2C_ERR_MISMATCH,
                    "In the image with ID %lld segment with ID %llu is presented in PNG and not "
                    "presented in JSON.",
                    (long long)pp->image_id, (unsigned long long)bad_unlisted);
  else if (rc == P2C_OK && bad_cat)
    rc = p2ci_error(err, P2C_ERR_MISMATCH,
                    "In the image with ID %lld segment with ID %lld has unknown category_id %lld.",
                    (long long)pp->image_id, (long long)bad_cat->id, (long long)bad_cat->category_id);
  for (size_t k = 0; rc == P2C_OK && k < pp->npred; k++)
    if (parea[k] == 0)
      rc = p2ci_error(err, P2C_ERR_MISMATCH,
                      "In the image with ID %lld segment with ID %lld is presented in JSON and not "
                      "presented in PNG.",
                      (long long)pp->image_id, (long long)pp->pred[k].id);
  for (size_t k = 0; rc == P2C_OK && k < pp->npred; k++) pp->pred[k].area = parea[k];
  for (size_t k = 0; rc == P2C_OK && k < pp->ngt; k++)
    if (pp->gt[k].area < 0)
      rc = p2ci_error(err, P2C_ERR_SCHEMA, "image %lld: GT segment %lld has no area",
                      (long long)pp->image_id, (long long)pp->gt[k].id);
  if (rc == P2C_OK) {
    p2ci_image_input in = {pp->image_id, pp->gt, pp->ngt, pp->pred, pp->npred, &ov};
    rc = p2ci_image_match_run(&in, ev->opts.class_agnostic, &pp->m, err);
  }
  free(gids);
  free(pids);
  p2ci_overlap_free(&ov);
  free(parea);
  return rc;
}

static int prepare(const p2c_evaluator *ev, const p2c_dataset *gt, size_t gi, const p2c_dataset *pred,
                   const p2c_idmap *gmap, const p2c_idmap *pmap, prepared *pp, p2c_error *err)
{
  memset(pp, 0, sizeof *pp);
  p2c_image_info gii, pii;
  int rc = p2c_dataset_image(gt, gi, &gii);
  if (rc != P2C_OK) return p2ci_error(err, rc, "no GT image at index %zu", gi);
  pp->image_id = gii.id;
  pp->order = ev->opts.protocol == P2C_PROTOCOL_PIX2CAP_OFFICIAL ? gt->images[gi].annotation_index : gi;
  size_t pi;
  if (p2c_dataset_find_image(pred, gii.id, &pi) != P2C_OK ||
      (p2c_dataset_image(pred, pi, &pii) == P2C_OK && !pii.png_name))
    return p2ci_error(err, P2C_ERR_MISMATCH, "No prediction for the image with id: %lld",
                      (long long)gii.id);
  if ((rc = p2c_dataset_image(pred, pi, &pii)) != P2C_OK)
    return p2ci_error(err, rc, "image %lld: cannot read the prediction", (long long)gii.id);
  const int w = p2c_idmap_width(gmap), h = p2c_idmap_height(gmap);
  if (p2c_idmap_width(pmap) != w || p2c_idmap_height(pmap) != h)
    return p2ci_error(err, P2C_ERR_MISMATCH,
                      "image %lld: the GT PNG is %dx%d, the prediction PNG %dx%d", (long long)gii.id,
                      w, h, p2c_idmap_width(pmap), p2c_idmap_height(pmap));
  id_index *gids = NULL, *pids = NULL;
  pp->ngt = gii.num_segments;
  pp->npred = pii.num_segments;
  rc = load_segments(ev, gt, gi, pp->ngt, &pp->gt, &pp->gt_text, &gids, err);
  if (rc == P2C_OK) rc = load_segments(ev, pred, pi, pp->npred, &pp->pred, &pp->pred_text, &pids, err);
  return prepare_match(ev, pp, gids, pids, p2c_idmap_data(gmap), p2c_idmap_data(pmap),
                       (size_t)w * (size_t)h, rc, err);
}

static int text_of(p2c_evaluator *ev, const seg_text *t, size_t *off)
{
  return p2ci_strings_add(&ev->text, t->kind == P2C_CAPTION_STRING ? t->caption : NULL, off);
}

static int commit_official(p2c_evaluator *ev, const prepared *pp, ev_image *im)
{
  const p2ci_image_match *m = &pp->m;
  int rc = P2C_OK;
  /* The script reads every description and caption up front: a missing one
   * (KeyError) or a null one (crash in the tokenizer / METEOR) stops it. */
  for (size_t g = 0; g < pp->ngt; g++)
    if (pp->gt_text[g].kind != P2C_CAPTION_STRING)
      return p2ci_error(&ev->err, P2C_ERR_SCHEMA,
                        "image %lld: GT segment %lld has no string description (the official "
                        "scripts stop on it)",
                        (long long)pp->image_id, (long long)pp->gt[g].id);
  for (size_t p = 0; p < pp->npred; p++)
    if (pp->pred_text[p].kind == P2C_CAPTION_NONE)
      return p2ci_error(&ev->err, P2C_ERR_SCHEMA,
                        "image %lld: predicted segment %lld has no caption (the official scripts "
                        "stop on a missing or null caption)",
                        (long long)pp->image_id, (long long)pp->pred[p].id);
  im->tp_begin = ev->n_tps;
  im->pair_begin = ev->n_pairs;
  for (size_t k = 0; k < m->ntp && rc == P2C_OK; k++) {
    const p2ci_pair *t = &m->tp[k];
    rc = VEC_PUSH(ev, tps, ((ev_tp){pp->gt[t->g].cat, t->iou}));
    if (rc != P2C_OK || pp->pred_text[t->p].kind != P2C_CAPTION_STRING) continue;
    ev_pair pr = {ev->n_images, pp->gt[t->g].id, pp->pred[t->p].id, pp->pred[t->p].category_id,
                  pp->pred[t->p].cat, t->iou, 0, 0, -1};
    /* the key image_gtid repeats when a GT has two matches: the dict keeps
     * the first position and the last caption */
    for (size_t q = im->pair_begin; q < ev->n_pairs; q++)
      if (ev->pairs[q].gt_id == pr.gt_id && ev->pairs[q].dup_of < 0) pr.dup_of = (int)(q - im->pair_begin);
    if ((rc = text_of(ev, &pp->gt_text[t->g], &pr.ref)) == P2C_OK &&
        (rc = text_of(ev, &pp->pred_text[t->p], &pr.hyp)) == P2C_OK)
      rc = VEC_PUSH(ev, pairs, pr);
    im->official_n++;
  }
  im->tp_end = ev->n_tps;
  im->pair_end = ev->n_pairs;
  im->ev_begin = ev->n_events;
  for (size_t g = 0; g < pp->ngt && rc == P2C_OK; g++)
    if (!m->gt_matched[g] && !pp->gt[g].iscrowd) rc = VEC_PUSH(ev, events, ((ev_event){pp->gt[g].cat, 0}));
  for (size_t p = 0; p < pp->npred && rc == P2C_OK; p++)
    if (!m->pred_matched[p] && !m->pred_ignored[p])
      rc = VEC_PUSH(ev, events, ((ev_event){pp->pred[p].cat, 1}));
  im->ev_end = ev->n_events;
  for (size_t k = 0; k < m->nrec && rc == P2C_OK; k++) {
    const p2ci_pair *r = &m->records[k];
    const seg_text *pt = &pp->pred_text[r->p];
    ev_record rec = {r->iou, 0, 0, pt->kind, (uint32_t)pt->list_n, pt->is_list};
    if ((rc = text_of(ev, &pp->gt_text[r->g], &rec.gt_caption)) == P2C_OK)
      rc = pt->is_list ? p2ci_strings_add_packed(&ev->text, pt->list, pt->list_n, &rec.pred_caption)
                       : text_of(ev, pt, &rec.pred_caption);
    if (rc == P2C_OK) rc = VEC_PUSH(ev, records, rec);
  }
  return rc == P2C_OK ? P2C_OK : p2ci_error(&ev->err, rc, "out of memory");
}

static int commit_v1(p2c_evaluator *ev, const prepared *pp, ev_image *im)
{
  const p2ci_image_match *m = &pp->m;
  int rc = P2C_OK;
  const uint64_t gbase = ev->gt_global;
  im->pair_begin = ev->n_pairs;
  for (size_t k = 0; k < m->ntp && rc == P2C_OK; k++) {
    if (!m->one_to_one[k]) continue;
    const p2ci_pair *t = &m->tp[k];
    const int32_t c = pp->gt[t->g].cat;
    if (c >= 0) {
      ev->cats[c].tp++;
      ev->cats[c].iou += t->iou;
    }
    ev_pair pr = {ev->n_images, pp->gt[t->g].id, pp->pred[t->p].id, pp->pred[t->p].category_id,
                  c, t->iou, 0, 0, -1};
    if ((rc = text_of(ev, &pp->gt_text[t->g], &pr.ref)) == P2C_OK &&
        (rc = text_of(ev, &pp->pred_text[t->p], &pr.hyp)) == P2C_OK)
      rc = VEC_PUSH(ev, pairs, pr);
  }
  im->pair_end = ev->n_pairs;
  for (size_t g = 0; g < pp->ngt; g++) {
    if (pp->gt[g].iscrowd) continue;
    ev->npos_noncrowd++;
    if (!m->gt_matched[g] && pp->gt[g].cat >= 0) ev->cats[pp->gt[g].cat].fn++;
  }
  /* a prediction whose only match is a GT taken by an earlier pair (possible
   * with a wrong JSON area) is a false positive */
  unsigned char *kept = p2ci_calloc_array(pp->npred ? pp->npred : 1, 1);
  if (!kept) return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  for (size_t k = 0; k < m->ntp; k++)
    if (m->one_to_one[k]) kept[m->tp[k].p] = 1;
  for (size_t p = 0; p < pp->npred && rc == P2C_OK; p++) {
    if (pp->pred_text[p].kind != P2C_CAPTION_STRING) ev->uncaptioned_preds++;
    if (!kept[p] && !m->pred_ignored[p]) ev->cats[pp->pred[p].cat].fp++;
    if (!m->pred_matched[p] && m->pred_ignored[p]) {
      ev->ignored_preds++;
      continue; /* PQ ignores it: so does the mAP */
    }
    const int32_t b = m->best_gt[p];
    const int sc = pp->pred_text[p].has_score && !isnan(pp->pred_text[p].score);
    ev_pred e = {ev->n_images, (uint32_t)p, sc, sc ? pp->pred_text[p].score : 0.0,
                 b < 0 ? -1 : (int64_t)(gbase + (uint64_t)b), b < 0 ? 0.0 : m->best_iou[p],
                 P2CI_NO_TEXT, P2CI_NO_TEXT};
    if (b >= 0) rc = text_of(ev, &pp->gt_text[b], &e.ref);
    if (rc == P2C_OK) rc = text_of(ev, &pp->pred_text[p], &e.hyp);
    if (rc == P2C_OK) rc = VEC_PUSH(ev, preds, e);
  }
  free(kept);
  ev->gt_global += pp->ngt;
  return rc == P2C_OK ? P2C_OK : p2ci_error(&ev->err, rc, "out of memory");
}

static int commit_segments(p2c_evaluator *ev, const prepared *pp, const ev_image *im)
{
  const p2ci_image_match *m = &pp->m;
  int rc = P2C_OK;
  const int official = ev->opts.protocol == P2C_PROTOCOL_PIX2CAP_OFFICIAL;
  size_t pair = im->pair_begin;
  for (size_t k = 0; k < m->ntp && rc == P2C_OK; k++) {
    const p2ci_pair *t = &m->tp[k];
    if (!official && !m->one_to_one[k]) continue;
    ev_segment s = {ev->n_images, EV_SEG_TP, pp->gt[t->g].id, pp->pred[t->p].id,
                    pp->gt[t->g].category_id, t->iou, 0, 0, -1};
    if (pair < im->pair_end && ev->pairs[pair].gt_id == s.gt_id && ev->pairs[pair].pred_id == s.pred_id)
      s.pair = (int64_t)pair++;
    if ((rc = text_of(ev, &pp->gt_text[t->g], &s.ref)) == P2C_OK &&
        (rc = text_of(ev, &pp->pred_text[t->p], &s.hyp)) == P2C_OK)
      rc = VEC_PUSH(ev, segs, s);
  }
  for (size_t g = 0; g < pp->ngt && rc == P2C_OK; g++) {
    if (m->gt_matched[g]) continue;
    ev_segment s = {ev->n_images, pp->gt[g].iscrowd ? EV_SEG_CROWD : EV_SEG_FN, pp->gt[g].id, -1,
                    pp->gt[g].category_id, 0.0, 0, P2CI_NO_TEXT, -1};
    if ((rc = text_of(ev, &pp->gt_text[g], &s.ref)) == P2C_OK) rc = VEC_PUSH(ev, segs, s);
  }
  for (size_t p = 0; p < pp->npred && rc == P2C_OK; p++) {
    if (m->pred_matched[p]) {
      int one = official; /* p2c-v1: only a one-to-one match makes it a TP */
      for (size_t k = 0; k < m->ntp && !one; k++) one = m->one_to_one[k] && m->tp[k].p == (int32_t)p;
      if (one) continue;
    }
    ev_segment s = {ev->n_images, m->pred_ignored[p] ? EV_SEG_IGNORED : EV_SEG_FP, -1,
                    pp->pred[p].id, pp->pred[p].category_id, m->best_iou[p], P2CI_NO_TEXT, 0, -1};
    if (m->best_gt[p] >= 0) s.gt_id = pp->gt[m->best_gt[p]].id;
    if ((rc = text_of(ev, &pp->pred_text[p], &s.hyp)) == P2C_OK) rc = VEC_PUSH(ev, segs, s);
  }
  return rc == P2C_OK ? P2C_OK : p2ci_error(&ev->err, rc, "out of memory");
}

static int commit(p2c_evaluator *ev, const prepared *pp)
{
  if (pp->skip) return P2C_OK;
  ev_image im = {0};
  im.image_id = pp->image_id;
  im.order = pp->order;
  im.gt_base = ev->gt_global;
  im.gt_segments = pp->ngt;
  im.rec_begin = ev->n_records;
  im.pred_begin = ev->n_preds;
  im.seg_begin = ev->n_segs;
  int rc = ev->opts.protocol == P2C_PROTOCOL_PIX2CAP_OFFICIAL ? commit_official(ev, pp, &im)
                                                              : commit_v1(ev, pp, &im);
  if (rc == P2C_OK && ev->opts.keep_segments) rc = commit_segments(ev, pp, &im);
  im.rec_end = ev->n_records;
  im.pred_end = ev->n_preds;
  im.seg_end = ev->n_segs;
  if (rc == P2C_OK && VEC_PUSH(ev, images, im) != P2C_OK)
    rc = p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  return rc;
}

/* One side of an in-memory image (p2c_evaluator_add): segments, texts and
 * the sorted id index, as load_segments makes them from a dataset. */
static int raw_segments(const p2c_evaluator *ev, const p2c_eval_segment *in, size_t n, p2ci_seg **segs,
                        seg_text **texts, id_index **ids, p2c_error *err)
{
  *segs = p2ci_calloc_array(n ? n : 1, sizeof **segs);
  *texts = p2ci_calloc_array(n ? n : 1, sizeof **texts);
  *ids = p2ci_malloc_array(n ? n : 1, sizeof **ids);
  if (!*segs || !*texts || !*ids) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  for (size_t s = 0; s < n; s++) {
    const p2c_eval_segment *x = &in[s];
    (*segs)[s] = (p2ci_seg){x->id, x->category_id, cat_index(ev, x->category_id), x->iscrowd, x->area};
    if (x->caption_kind == P2C_CAPTION_OTHER)
      (*texts)[s] = (seg_text){NULL, P2C_CAPTION_OTHER, x->caption_list, x->caption_list_len,
                               x->caption_list != NULL, x->has_score, x->score};
    else
      (*texts)[s] = (seg_text){x->caption, x->caption ? P2C_CAPTION_STRING : P2C_CAPTION_NONE, NULL, 0, 0,
                               x->has_score, x->score};
    (*ids)[s] = (id_index){x->id, (int32_t)s};
  }
  qsort(*ids, n, sizeof **ids, by_id);
  return P2C_OK;
}

static int prepare_raw(const p2c_evaluator *ev, const p2c_eval_image *in, prepared *pp, p2c_error *err)
{
  memset(pp, 0, sizeof *pp);
  pp->image_id = in->image_id;
  pp->order = in->order;
  if (in->width <= 0 || in->height <= 0 || !in->gt_ids || !in->pred_ids || (!in->gt && in->num_gt) ||
      (!in->pred && in->num_pred))
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "image %lld: missing id maps or segments, or a bad size",
                      (long long)in->image_id);
  const size_t npix = (size_t)in->width * (size_t)in->height;
  id_index *gids = NULL, *pids = NULL;
  pp->ngt = in->num_gt;
  pp->npred = in->num_pred;
  int rc = raw_segments(ev, in->gt, pp->ngt, &pp->gt, &pp->gt_text, &gids, err);
  if (rc == P2C_OK) rc = raw_segments(ev, in->pred, pp->npred, &pp->pred, &pp->pred_text, &pids, err);
  /* a GT segment without an area: its pixel count */
  for (size_t g = 0; rc == P2C_OK && g < pp->ngt; g++)
    if (pp->gt[g].area < 0) {
      int64_t a = 0;
      for (size_t k = 0; k < npix; k++) a += in->gt_ids[k] == (uint64_t)pp->gt[g].id;
      pp->gt[g].area = a;
    }
  return prepare_match(ev, pp, gids, pids, in->gt_ids, in->pred_ids, npix, rc, err);
}

/* One image's prepared data (rc: how preparing it went, e: its error) into
 * the evaluation; pp is freed on every path (preparing clears it first). */
static int commit_prepared(p2c_evaluator *ev, prepared *pp, int rc, const p2c_error *e)
{
  if (rc == P2C_OK) rc = commit(ev, pp);
  else rc = fail(ev, e);
  prepared_free(pp);
  return rc;
}

int p2c_evaluator_add(p2c_evaluator *ev, const p2c_eval_image *img)
{
  if (!ev) return P2C_ERR_INVALID_ARG;
  if (!img) return p2ci_error(&ev->err, P2C_ERR_INVALID_ARG, "p2c_evaluator_add: NULL image");
  if (ev->finished)
    return p2ci_error(&ev->err, P2C_ERR_STATE, "p2c_evaluator_add: evaluation already finished");
  prepared pp;
  p2c_error e;
  return commit_prepared(ev, &pp, prepare_raw(ev, img, &pp, &e), &e);
}

int p2c_evaluator_add_image(p2c_evaluator *ev, const p2c_dataset *gt, size_t gt_index,
                            const p2c_dataset *pred, const p2c_idmap *gt_map, const p2c_idmap *pred_map)
{
  if (!ev) return P2C_ERR_INVALID_ARG;
  if (!gt || !pred || !gt_map || !pred_map)
    return p2ci_error(&ev->err, P2C_ERR_INVALID_ARG, "p2c_evaluator_add_image: NULL argument");
  if (ev->finished)
    return p2ci_error(&ev->err, P2C_ERR_STATE, "p2c_evaluator_add_image: evaluation already finished");
  prepared pp;
  p2c_error e;
  return commit_prepared(ev, &pp, prepare(ev, gt, gt_index, pred, gt_map, pred_map, &pp, &e), &e);
}

/* ---- all images, with threads ------------------------------------------- */

typedef struct slot {
  prepared pp;
  p2c_error err;
  int rc;
  int ready;
} slot;

typedef struct job {
  p2c_evaluator *ev;
  const p2c_dataset *gt, *pred;
  slot *slots;
  const size_t *order; /* GT image indices, in evaluation order */
  size_t n, next;
  int stop;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} job;

static int read_one(const p2c_evaluator *ev, const p2c_dataset *gt, const p2c_dataset *pred, size_t i,
                    prepared *pp, p2c_error *err)
{
  memset(pp, 0, sizeof *pp);
  p2c_image_info gii, pii;
  int rc = p2c_dataset_image(gt, i, &gii);
  if (rc != P2C_OK) return p2ci_error(err, rc, "no GT image at index %zu", i);
  if (!gii.png_name) { /* an image without annotation: the scripts never see it */
    pp->skip = 1;
    return P2C_OK;
  }
  size_t pi;
  if (p2c_dataset_find_image(pred, gii.id, &pi) != P2C_OK ||
      p2c_dataset_image(pred, pi, &pii) != P2C_OK || !pii.png_name)
    return p2ci_error(err, P2C_ERR_MISMATCH, "No prediction for the image with id: %lld",
                      (long long)gii.id);
  p2c_idmap *gm = NULL, *pm = NULL;
  rc = p2c_dataset_read_idmap(gt, i, &gm, err);
  if (rc == P2C_OK) rc = p2c_dataset_read_idmap(pred, pi, &pm, err);
  if (rc == P2C_OK) rc = prepare(ev, gt, i, pred, gm, pm, pp, err);
  p2c_idmap_free(gm);
  p2c_idmap_free(pm);
  return rc;
}

static void *worker(void *arg)
{
  job *j = arg;
  for (;;) {
    pthread_mutex_lock(&j->mu);
    size_t i = j->next++;
    int stop = j->stop;
    pthread_mutex_unlock(&j->mu);
    if (stop || i >= j->n) break;
    slot *s = &j->slots[i];
    s->rc = read_one(j->ev, j->gt, j->pred, j->order[i], &s->pp, &s->err);
    pthread_mutex_lock(&j->mu);
    s->ready = 1;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
  }
  pthread_mutex_lock(&j->mu);
  j->next = j->n; /* lets the committer know nothing more comes */
  pthread_cond_broadcast(&j->cv);
  pthread_mutex_unlock(&j->mu);
  return NULL;
}

/* The GT images with an annotation: in annotations[] order for the official
 * protocol (the scripts iterate gt_json['annotations']), in images[] order
 * otherwise. */
typedef struct ann_order {
  size_t annotation, image;
} ann_order;

static int by_annotation(const void *a, const void *b)
{
  const ann_order *x = a, *y = b;
  return (x->annotation > y->annotation) - (x->annotation < y->annotation);
}

static size_t *evaluation_order(const p2c_evaluator *ev, const p2c_dataset *gt, size_t *n)
{
  const size_t total = p2c_dataset_num_images(gt);
  ann_order *o = p2ci_malloc_array(total ? total : 1, sizeof *o);
  size_t *order = p2ci_malloc_array(total ? total : 1, sizeof *order);
  if (!o || !order) {
    free(o);
    free(order);
    return NULL;
  }
  size_t k = 0;
  for (size_t i = 0; i < total; i++)
    if (gt->images[i].annotation_index != SIZE_MAX) o[k++] = (ann_order){gt->images[i].annotation_index, i};
  if (ev->opts.protocol == P2C_PROTOCOL_PIX2CAP_OFFICIAL) qsort(o, k, sizeof *o, by_annotation);
  for (size_t i = 0; i < k; i++) order[i] = o[i].image;
  free(o);
  *n = k;
  return order;
}

static int run_ordered(p2c_evaluator *ev, const p2c_dataset *gt, const p2c_dataset *pred,
                       const size_t *order, size_t n);

int p2c_evaluator_run(p2c_evaluator *ev, const p2c_dataset *gt, const p2c_dataset *pred)
{
  if (!ev) return P2C_ERR_INVALID_ARG;
  if (!gt || !pred) return p2ci_error(&ev->err, P2C_ERR_INVALID_ARG, "p2c_evaluator_run: NULL argument");
  if (ev->finished)
    return p2ci_error(&ev->err, P2C_ERR_STATE, "p2c_evaluator_run: evaluation already finished");
  size_t n = 0;
  size_t *order = evaluation_order(ev, gt, &n);
  if (!order) return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  int rc = run_ordered(ev, gt, pred, order, n);
  free(order);
  return rc;
}

int p2c_evaluator_run_shard(p2c_evaluator *ev, const p2c_dataset *gt, const p2c_dataset *pred,
                            size_t shard, size_t num_shards)
{
  if (!ev) return P2C_ERR_INVALID_ARG;
  if (!gt || !pred || num_shards == 0 || shard >= num_shards)
    return p2ci_error(&ev->err, P2C_ERR_INVALID_ARG,
                      "p2c_evaluator_run_shard: shard %zu of %zu (need shard < num_shards)", shard, num_shards);
  if (ev->finished)
    return p2ci_error(&ev->err, P2C_ERR_STATE, "p2c_evaluator_run_shard: evaluation already finished");
  size_t n = 0;
  size_t *order = evaluation_order(ev, gt, &n);
  if (!order) return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  size_t k = 0;
  for (size_t i = shard; i < n; i += num_shards) order[k++] = order[i];
  int rc = run_ordered(ev, gt, pred, order, k);
  free(order);
  return rc;
}

static int run_ordered(p2c_evaluator *ev, const p2c_dataset *gt, const p2c_dataset *pred,
                       const size_t *order, size_t n)
{
  int nthreads = ev->opts.threads;
  if ((size_t)nthreads > n) nthreads = n ? (int)n : 1;
  int rc = P2C_OK;
  if (nthreads <= 1) {
    for (size_t i = 0; i < n && rc == P2C_OK; i++) {
      prepared pp;
      p2c_error e;
      rc = read_one(ev, gt, pred, order[i], &pp, &e);
      if (rc != P2C_OK)
        fail(ev, &e);
      else
        rc = commit(ev, &pp);
      prepared_free(&pp);
      if (ev->opts.progress) ev->opts.progress(ev->opts.progress_user, i + 1, n);
    }
    return rc;
  }
  job j = {ev, gt, pred, p2ci_calloc_array(n ? n : 1, sizeof(slot)), order, n, 0, 0,
           PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
  pthread_t *th = p2ci_calloc_array((size_t)nthreads, sizeof *th);
  if (!j.slots || !th) {
    free(j.slots);
    free(th);
    return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  }
  int started = 0;
  for (int t = 0; t < nthreads; t++)
    if (pthread_create(&th[t], NULL, worker, &j) == 0) started++;
  if (started == 0) {
    free(j.slots);
    free(th);
    return p2ci_error(&ev->err, P2C_ERR_INTERNAL, "cannot start worker threads");
  }
  for (size_t i = 0; i < n; i++) {
    pthread_mutex_lock(&j.mu);
    while (!j.slots[i].ready) pthread_cond_wait(&j.cv, &j.mu);
    pthread_mutex_unlock(&j.mu);
    slot *s = &j.slots[i];
    if (rc == P2C_OK) {
      if (s->rc != P2C_OK) {
        rc = fail(ev, &s->err);
        pthread_mutex_lock(&j.mu);
        j.stop = 1;
        pthread_mutex_unlock(&j.mu);
      } else {
        rc = commit(ev, &s->pp);
      }
    }
    prepared_free(&s->pp);
    if (ev->opts.progress) ev->opts.progress(ev->opts.progress_user, i + 1, n);
    if (rc != P2C_OK) {
      pthread_mutex_lock(&j.mu);
      j.stop = 1;
      pthread_mutex_unlock(&j.mu);
      /* slots not yet taken never become ready: stop waiting */
      for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
      for (size_t k = i + 1; k < n; k++) prepared_free(&j.slots[k].pp);
      free(j.slots);
      free(th);
      return rc;
    }
  }
  for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
  free(j.slots);
  free(th);
  return rc;
}

int p2c_evaluator_finish(p2c_evaluator *ev)
{
  if (!ev) return P2C_ERR_INVALID_ARG;
  if (ev->finished)
    return p2ci_error(&ev->err, P2C_ERR_STATE, "p2c_evaluator_finish: already finished");
  memset(&ev->sum, 0, sizeof ev->sum);
  int rc = p2ci_evaluator_canonicalize(ev);
  if (rc != P2C_OK) return rc;
  ev->sum.protocol = ev->opts.protocol;
  ev->sum.images = ev->n_images;
  rc = ev->opts.protocol == P2C_PROTOCOL_PIX2CAP_OFFICIAL ? p2ci_finish_official(ev)
                                                              : p2ci_finish_v1(ev);
  if (rc == P2C_OK) rc = p2ci_report_json(ev);
  if (rc == P2C_OK) ev->finished = 1;
  return rc;
}

int p2c_evaluator_summary(const p2c_evaluator *ev, p2c_eval_summary *out)
{
  if (!ev || !out) return P2C_ERR_INVALID_ARG;
  if (!ev->finished) return P2C_ERR_STATE;
  *out = ev->sum;
  return P2C_OK;
}

const char *p2c_evaluator_json(const p2c_evaluator *ev)
{
  return ev && ev->finished ? ev->json : NULL;
}

const char *p2c_evaluator_warning(const p2c_evaluator *ev)
{
  return ev ? ev->warning : "";
}

int p2c_evaluator_write_json(const p2c_evaluator *ev, const char *path)
{
  if (!ev || !path) return P2C_ERR_INVALID_ARG;
  if (!ev->finished) return P2C_ERR_STATE;
  p2c_error e;
  return p2ci_write_file_atomic(path, ev->json, strlen(ev->json), &e);
}

int p2c_evaluator_write_segments(const p2c_evaluator *ev, const char *path)
{
  if (!ev || !path) return P2C_ERR_INVALID_ARG;
  if (!ev->finished || !ev->opts.keep_segments) return P2C_ERR_STATE;
  char *text = NULL;
  size_t len = 0;
  int rc = p2ci_report_segments(ev, &text, &len);
  p2c_error e;
  if (rc == P2C_OK) rc = p2ci_write_file_atomic(path, text ? text : "", len, &e);
  free(text);
  return rc;
}
