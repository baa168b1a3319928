/* The p2c-v1 protocol, after every image is in: panopticapi PQ (All, Things,
 * Stuff), caption metrics over the one-to-one PQ matches, and DenseCap's
 * dense-captioning mAP (jcjohnson/densecap, eval/eval_utils.lua) with
 * segments in place of boxes. docs/metrics.md defines every step. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/summation.h"
#include "protocol/dense_map.h"
#include "protocol/evaluator.h"
#include "protocol/text_batch.h"

static int metric_known(const char *name)
{
  for (size_t i = 0; p2c_captions_metric_known(i); i++)
    if (!strcmp(p2c_captions_metric_known(i), name)) return 1;
  return 0;
}

/* panopticapi pq_average: classes with tp + fp + fn == 0 are skipped. */
static void pq_average(const p2c_evaluator *ev, int isthing, double *pq, double *sq, double *rq, size_t *n)
{
  double a = 0, b = 0, c = 0;
  size_t k = 0;
  for (size_t i = 0; i < ev->ncats; i++) {
    const ev_category *x = &ev->cats[i];
    if (isthing >= 0 && (x->isthing == 1) != isthing) continue;
    if (x->tp + x->fp + x->fn == 0) continue;
    k++;
    const double den = (double)x->tp + 0.5 * (double)x->fp + 0.5 * (double)x->fn;
    a += x->iou / den;
    b += x->tp ? x->iou / (double)x->tp : 0.0;
    c += (double)x->tp / den;
  }
  *n = k;
  *pq = k ? a / (double)k : NAN;
  *sq = k ? b / (double)k : NAN;
  *rq = k ? c / (double)k : NAN;
}

static const char *hyp_text(const p2c_evaluator *ev, size_t off)
{
  const char *t = p2ci_text(ev, off);
  return t ? t : ""; /* a missing or non-string caption scores as an empty one */
}

static int new_scorer(const char *metrics, p2c_captions **c, p2c_error *err)
{
  p2c_captions_options co = P2C_CAPTIONS_OPTIONS_INIT;
  co.text = P2C_TEXT_TOKENIZED; /* tokenized once per distinct caption (text_batch) */
  co.metrics = metrics;
  p2c_error e;
  int rc = p2c_captions_create(&co, c, &e);
  if (rc != P2C_OK) return p2ci_error(err, rc, "caption metrics: %s", e.message);
  return P2C_OK;
}

static const char *const NAMES[5] = {"Bleu_4", "METEOR", "ROUGE_L", "CIDEr", "SPICE"};

static double *summary_mean(p2c_eval_summary *S, int m)
{
  return m == 0 ? &S->bleu4 : m == 1 ? &S->meteor : m == 2 ? &S->rouge_l : m == 3 ? &S->cider_d : &S->spice;
}

static double *summary_scaled(p2c_eval_summary *S, int m)
{
  return m == 0   ? &S->bleu4_scaled
         : m == 1 ? &S->meteor_scaled
         : m == 2 ? &S->rouge_l_scaled
         : m == 3 ? &S->cider_d_scaled
                  : &S->spice_scaled;
}

static double *pair_score(ev_pair_scores *ps, int m)
{
  return m == 0 ? &ps->bleu4 : m == 1 ? &ps->meteor : m == 2 ? &ps->rouge_l : m == 3 ? &ps->cider_d : &ps->spice;
}

/* BLEU-4, ROUGE-L and CIDEr-D of the matched pairs: one p2c_captions run,
 * serial, hence the task that runs alongside the per-pair METEOR and SPICE. */
typedef struct corpus_job {
  p2c_evaluator *ev;
  p2ci_text_batch *tb;
  const uint32_t *ref_id, *hyp_id;
  uint64_t total; /* TP + FP + FN */
  int empty;      /* no word in any reference: the caption metrics are undefined */
} corpus_job;

static int corpus_metrics(void *ctx, p2c_error *err)
{
  corpus_job *j = ctx;
  p2c_evaluator *ev = j->ev;
  p2c_eval_summary *S = &ev->sum;
  const size_t n = ev->n_pairs;
  p2c_captions *c = NULL;
  int rc = new_scorer("Bleu_4,ROUGE_L,CIDEr", &c, err);
  if (rc != P2C_OK) return rc;
  for (size_t i = 0; i < n && rc == P2C_OK; i++) {
    const ev_pair *p = &ev->pairs[i];
    char key[64];
    snprintf(key, sizeof key, "%lld_%lld", (long long)ev->images[p->image].image_id, (long long)p->gt_id);
    const char *ref = p2ci_text_batch_tokens(j->tb, j->ref_id[i]);
    rc = p2c_captions_add(c, key, &ref, 1, p2ci_text_batch_tokens(j->tb, j->hyp_id[i]));
  }
  if (rc == P2C_OK) rc = p2c_captions_score(c);
  if (rc == P2C_ERR_EMPTY) { /* e.g. CIDEr with no word in any reference */
    j->empty = 1;
    p2c_captions_free(c);
    return P2C_OK;
  }
  for (int m = 0; m < 5 && rc == P2C_OK; m++) {
    size_t idx;
    if (p2c_captions_metric_index(c, NAMES[m], &idx) != P2C_OK) continue;
    if ((rc = p2c_captions_corpus(c, idx, summary_mean(S, m))) != P2C_OK) break;
    if (j->total) *summary_scaled(S, m) = *summary_mean(S, m) * (double)n / (double)j->total;
    for (size_t i = 0; i < n && rc == P2C_OK; i++)
      rc = p2c_captions_item_score(c, i, idx, pair_score(&ev->pair_scores[i], m));
  }
  if (rc != P2C_OK) p2ci_error(err, rc, "caption metrics: %s", p2c_captions_last_error(c));
  p2c_captions_free(c);
  return rc;
}

/* Rank: scored predictions first, by decreasing score; then those without a
 * score; ties (and the unscored) in image order, then segments_info order,
 * which is the order they were added in (idx). */
typedef struct ranked {
  const ev_pred *p;
  size_t idx;
} ranked;

static int by_rank(const void *a, const void *b)
{
  const ranked *x = a, *y = b;
  if (x->p->has_score != y->p->has_score) return x->p->has_score ? -1 : 1;
  if (x->p->has_score && x->p->score != y->p->score) return x->p->score > y->p->score ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The dense-captioning mAP's ranked records, and the (hypothesis, reference)
 * pairs whose METEOR they need. */
typedef struct map_work {
  p2ci_map_record *rec;
  size_t npairs;
  size_t *scored; /* per pair: its record */
  uint32_t *hyp, *ref;
  double *meteor;
} map_work;

static void map_work_free(map_work *mw)
{
  free(mw->rec), free(mw->scored), free(mw->hyp), free(mw->ref), free(mw->meteor);
}

static int map_prepare(p2c_evaluator *ev, const uint32_t *ref_id, const uint32_t *hyp_id, map_work *mw)
{
  const size_t n = ev->n_preds;
  ranked *rk = p2ci_malloc_array(n ? n : 1, sizeof *rk);
  unsigned char *taken = p2ci_calloc_array(ev->gt_global ? ev->gt_global : 1, 1);
  mw->rec = p2ci_calloc_array(n ? n : 1, sizeof *mw->rec);
  mw->scored = p2ci_malloc_array(n ? n : 1, sizeof *mw->scored);
  mw->hyp = p2ci_malloc_array(n ? n : 1, sizeof *mw->hyp);
  mw->ref = p2ci_malloc_array(n ? n : 1, sizeof *mw->ref);
  mw->meteor = p2ci_malloc_array(n ? n : 1, sizeof *mw->meteor);
  if (!rk || !taken || !mw->rec || !mw->scored || !mw->hyp || !mw->ref || !mw->meteor) {
    free(rk), free(taken);
    return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) rk[i] = (ranked){&ev->preds[i], i};
  qsort(rk, n, sizeof *rk, by_rank);
  /* DenseCap: each detection takes its best GT; if a higher-ranked one took
   * it already, it is a false positive (record.ok = 0) */
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const ev_pred *p = rk[i].p;
    mw->rec[i].iou = p->iou;
    if (p->gt_global < 0 || taken[p->gt_global]) {
      mw->rec[i].fp = 1;
      continue;
    }
    taken[p->gt_global] = 1;
    mw->scored[k] = i;
    mw->hyp[k] = hyp_id[rk[i].idx];
    mw->ref[k] = ref_id[rk[i].idx];
    k++;
  }
  mw->npairs = k;
  free(rk), free(taken);
  return P2C_OK;
}

static int map_finish(p2c_evaluator *ev, map_work *mw)
{
  p2c_eval_summary *S = &ev->sum;
  S->map_entries = ev->n_preds;
  S->map_npos = ev->npos_noncrowd;
  for (size_t k = 0; k < mw->npairs; k++) mw->rec[mw->scored[k]].meteor = mw->meteor[k];
  p2ci_map_result res;
  if (p2ci_map_exact(mw->rec, ev->n_preds, ev->npos_noncrowd, &res) != P2C_OK)
    return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  memcpy(S->ap, res.ap, sizeof S->ap);
  memcpy(S->det_ap, res.det_ap, sizeof S->det_ap);
  S->map = res.map;
  S->detmap = res.detmap;
  if (ev->npos_noncrowd == 0) {
    ev->map_note = "no non-crowd GT segment: recall, hence the mAP, is undefined";
  }
  return P2C_OK;
}

/* Caption metrics over the matched pairs and METEOR of the mAP's pairs, in
 * one pass over the threads: the corpus metrics as one task, METEOR 1.5 and
 * SPICE-style per pair (each distinct METEOR pair once, shared by the caption
 * means and the mAP). */
static int score(p2c_evaluator *ev, p2ci_text_batch *tb, const uint32_t *ref_id, const uint32_t *hyp_id,
                 map_work *mw)
{
  p2c_eval_summary *S = &ev->sum;
  const size_t n = ev->n_pairs;
  S->caption_pairs = n;
  const int has_spice = metric_known("SPICE");
  for (int m = 0; m < 5; m++) *summary_mean(S, m) = *summary_scaled(S, m) = NAN;
  if (!has_spice) ev->spice_note = "the SPICE-style metric is not built into this library version";
  const uint64_t total = S->tp + S->fp + S->fn;
  if (n == 0) {
    /* nothing matched: the means are undefined, the scaled values 0 */
    ev->caption_note = "no matched segment pair: caption means are undefined";
    for (int m = 0; m < 5; m++)
      if (total && (m != 4 || has_spice)) *summary_scaled(S, m) = 0.0;
  }
  double *vm = p2ci_malloc_array(n ? n : 1, sizeof *vm), *vs = p2ci_malloc_array(n ? n : 1, sizeof *vs);
  ev->pair_scores = n ? p2ci_malloc_array(n, sizeof *ev->pair_scores) : NULL;
  if (!vm || !vs || (n && !ev->pair_scores)) {
    free(vm), free(vs);
    return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) ev->pair_scores[i] = (ev_pair_scores){NAN, NAN, NAN, NAN, NAN};
  corpus_job cj = {ev, tb, ref_id, hyp_id, total, 0};
  p2ci_text_pairs meteor[2] = {{hyp_id, ref_id, n, vm}, {mw->hyp, mw->ref, mw->npairs, mw->meteor}};
  p2ci_text_pairs spice = {hyp_id, ref_id, n, vs};
  int rc = p2ci_text_batch_score(tb, meteor, 2, n && has_spice ? &spice : NULL, n ? corpus_metrics : NULL, &cj);
  if (rc != P2C_OK) {
    p2ci_error(&ev->err, rc, "%s", p2ci_text_batch_error(tb));
  } else if (cj.empty) {
    ev->caption_note = "the matched captions hold no word: caption metrics are undefined";
    free(ev->pair_scores);
    ev->pair_scores = NULL;
  } else if (n) {
    /* METEOR 1.5: the mean of the pairs' scores (numpy order) */
    for (size_t i = 0; i < n; i++) ev->pair_scores[i].meteor = vm[i];
    S->meteor = p2ci_mean_numpy(vm, n);
    if (total) S->meteor_scaled = S->meteor * (double)n / (double)total;
    /* SPICE-style: the mean of the pairs' All F1 (pycocoevalcap's Spice) */
    if (has_spice) {
      for (size_t i = 0; i < n; i++) ev->pair_scores[i].spice = vs[i];
      S->spice = p2c_spice_corpus(vs, n);
      if (total) S->spice_scaled = S->spice * (double)n / (double)total;
    }
  }
  free(vm), free(vs);
  return rc;
}

int p2ci_finish_v1(p2c_evaluator *ev)
{
  p2c_eval_summary *S = &ev->sum;
  pq_average(ev, -1, &S->pq, &S->sq, &S->rq, &S->n_classes);
  pq_average(ev, 1, &S->pq_things, &S->sq_things, &S->rq_things, &S->n_things);
  pq_average(ev, 0, &S->pq_stuff, &S->sq_stuff, &S->rq_stuff, &S->n_stuff);
  for (size_t i = 0; i < ev->ncats; i++) {
    S->tp += ev->cats[i].tp;
    S->fp += ev->cats[i].fp;
    S->fn += ev->cats[i].fn;
  }
  S->chunks = 1;
  /* every caption the metrics need, interned and tokenized once */
  p2ci_text_batch *tb = NULL;
  const size_t np = ev->n_pairs, nq = ev->n_preds;
  uint32_t *ids = p2ci_malloc_array(2 * (np + nq) + 1, sizeof *ids);
  int rc = ids ? p2ci_text_batch_create(ev->opts.threads, ev->opts.wordnet_dir, ev->opts.meteor_data_dir, &tb)
               : P2C_ERR_NOMEM;
  uint32_t *pref = ids, *phyp = ids + np, *qref = ids + 2 * np, *qhyp = ids + 2 * np + nq;
  for (size_t i = 0; i < np && rc == P2C_OK; i++)
    if ((rc = p2ci_text_batch_intern(tb, p2ci_text(ev, ev->pairs[i].ref), &pref[i])) == P2C_OK)
      rc = p2ci_text_batch_intern(tb, hyp_text(ev, ev->pairs[i].hyp), &phyp[i]);
  for (size_t i = 0; i < nq && rc == P2C_OK; i++)
    if ((rc = p2ci_text_batch_intern(tb, p2ci_text(ev, ev->preds[i].ref), &qref[i])) == P2C_OK)
      rc = p2ci_text_batch_intern(tb, hyp_text(ev, ev->preds[i].hyp), &qhyp[i]);
  if (rc != P2C_OK)
    p2ci_error(&ev->err, rc, "out of memory");
  else if ((rc = p2ci_text_batch_tokenize(tb)) != P2C_OK)
    p2ci_error(&ev->err, rc, "%s", p2ci_text_batch_error(tb));
  map_work mw = {0};
  if (rc == P2C_OK) rc = map_prepare(ev, qref, qhyp, &mw);
  if (rc == P2C_OK) rc = score(ev, tb, pref, phyp, &mw);
  if (rc == P2C_OK) rc = map_finish(ev, &mw);
  if (rc == P2C_OK && p2ci_text_batch_meteor_variant(tb))
    snprintf(ev->meteor_variant, sizeof ev->meteor_variant, "%s", p2ci_text_batch_meteor_variant(tb));
  map_work_free(&mw);
  p2ci_text_batch_free(tb);
  free(ids);
  return rc;
}
