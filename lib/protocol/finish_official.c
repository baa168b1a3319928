/* The Pix2Cap-COCO official protocol, after every image is in: the scripts'
 * worker chunks (and the silent drop of chunks without a caption pair), their
 * per-category sums, key order and scaling, and the mAP over the records in
 * the order they were built. Each step follows caption_distribute_metrics.py
 * and caption_distribute_map.py (geshang777/pix2cap, datasets/evaluation). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "protocol/dense_map.h"
#include "protocol/evaluator.h"
#include "protocol/text_batch.h"

/* np.array_split(list, k): the first N % k chunks hold N / k + 1 images. */
static size_t chunk_begin(size_t n, size_t k, size_t c)
{
  const size_t q = n / k, r = n % k;
  return c * q + (c < r ? c : r);
}

static int score_captions(p2c_evaluator *ev)
{
  p2c_eval_summary *S = &ev->sum;
  const size_t n = ev->n_pair_order;
  S->caption_pairs = n;
  if (n == 0) {
    /* pycocoevalcap's Bleu on an empty corpus: ZeroDivisionError */
    ev->caption_note = "no caption pair: the official script stops with ZeroDivisionError "
                       "(with no caption pair in any worker chunk, every chunk is dropped); the "
                       "caption metrics, and PQ when no chunk is kept, are undefined";
    S->bleu4 = S->rouge_l = S->cider_d = S->meteor = S->spice = NAN;
    S->bleu4_scaled = S->rouge_l_scaled = S->cider_d_scaled = S->meteor_scaled = S->spice_scaled = NAN;
    return P2C_OK;
  }
  /* pycocoevalcap tokenizes every caption (PTBTokenizer); here each distinct
   * text once, over the threads, then the scorers get the tokens */
  p2ci_text_batch *tb = NULL;
  uint32_t *ids = p2ci_malloc_array(2 * n, sizeof *ids);
  int rc = ids ? p2ci_text_batch_create(ev->opts.threads, ev->opts.wordnet_dir, NULL, &tb) : P2C_ERR_NOMEM;
  for (size_t i = 0; i < n && rc == P2C_OK; i++) {
    const ev_pair *p = &ev->pairs[ev->pair_order[i]];
    /* a GT matched twice: the dict keeps this position and the last caption */
    const ev_pair *last = p;
    const ev_image *im = &ev->images[p->image];
    for (size_t q = im->pair_begin; q < im->pair_end; q++)
      if (ev->pairs[q].dup_of >= 0 && im->pair_begin + (size_t)ev->pairs[q].dup_of == ev->pair_order[i])
        last = &ev->pairs[q];
    if ((rc = p2ci_text_batch_intern(tb, p2ci_text(ev, p->ref), &ids[2 * i])) == P2C_OK)
      rc = p2ci_text_batch_intern(tb, p2ci_text(ev, last->hyp), &ids[2 * i + 1]);
  }
  if (rc == P2C_OK && (rc = p2ci_text_batch_tokenize(tb)) != P2C_OK) {
    rc = p2ci_error(&ev->err, rc, "%s", p2ci_text_batch_error(tb));
    p2ci_text_batch_free(tb);
    free(ids);
    return rc;
  }
  if (rc != P2C_OK) {
    p2ci_text_batch_free(tb);
    free(ids);
    return p2ci_error(&ev->err, rc, "out of memory");
  }
  p2c_captions_options co = P2C_CAPTIONS_OPTIONS_INIT;
  co.text = P2C_TEXT_TOKENIZED;
  co.metrics = "Bleu_4,ROUGE_L,CIDEr";
  p2c_captions *c = NULL;
  p2c_error e;
  rc = p2c_captions_create(&co, &c, &e);
  if (rc != P2C_OK) {
    p2ci_text_batch_free(tb);
    free(ids);
    return p2ci_error(&ev->err, rc, "caption metrics: %s", e.message);
  }
  for (size_t i = 0; i < n && rc == P2C_OK; i++) {
    const ev_pair *p = &ev->pairs[ev->pair_order[i]];
    char key[64];
    snprintf(key, sizeof key, "%lld_%lld", (long long)ev->images[p->image].image_id, (long long)p->gt_id);
    const char *ref = p2ci_text_batch_tokens(tb, ids[2 * i]);
    rc = p2c_captions_add(c, key, &ref, 1, p2ci_text_batch_tokens(tb, ids[2 * i + 1]));
  }
  p2ci_text_batch_free(tb);
  free(ids);
  if (rc == P2C_OK) rc = p2c_captions_score(c);
  double v[3] = {0, 0, 0};
  for (size_t m = 0; m < 3 && rc == P2C_OK; m++) rc = p2c_captions_corpus(c, m, &v[m]);
  if (rc == P2C_OK) {
    ev->pair_scores = p2ci_calloc_array(ev->n_pairs ? ev->n_pairs : 1, sizeof *ev->pair_scores);
    if (!ev->pair_scores) rc = P2C_ERR_NOMEM;
    for (size_t i = 0; i < ev->n_pairs && rc == P2C_OK; i++)
      ev->pair_scores[i] = (ev_pair_scores){NAN, NAN, NAN, NAN, NAN};
    for (size_t i = 0; i < n && rc == P2C_OK; i++) {
      ev_pair_scores *ps = &ev->pair_scores[ev->pair_order[i]];
      if ((rc = p2c_captions_item_score(c, i, 0, &ps->bleu4)) == P2C_OK &&
          (rc = p2c_captions_item_score(c, i, 1, &ps->rouge_l)) == P2C_OK)
        rc = p2c_captions_item_score(c, i, 2, &ps->cider_d);
    }
  }
  if (rc != P2C_OK) {
    rc = p2ci_error(&ev->err, rc, "caption metrics: %s", p2c_captions_last_error(c));
    p2c_captions_free(c);
    return rc;
  }
  p2c_captions_free(c);
  S->bleu4 = v[0];
  S->rouge_l = v[1];
  S->cider_d = v[2];
  S->meteor = 0.0; /* the script's METEOR scorer is commented out: it reports 0 */
  S->spice = NAN;
  /* score * len(gts) / total, left to right */
  const double total = (double)(S->tp + S->fp + S->fn);
  S->bleu4_scaled = v[0] * (double)n / total;
  S->rouge_l_scaled = v[1] * (double)n / total;
  S->cider_d_scaled = v[2] * (double)n / total;
  S->meteor_scaled = 0.0;
  S->spice_scaled = NAN;
  return P2C_OK;
}

static int official_map(p2c_evaluator *ev)
{
  p2c_eval_summary *S = &ev->sum;
  uint64_t npos = 0; /* every GT segment of the JSON, crowd and unknown categories included */
  for (size_t i = 0; i < ev->n_images; i++) npos += ev->images[i].gt_segments;
  S->map_npos = npos;
  S->map_entries = ev->n_records;
  if (ev->n_records == 0) {
    /* nltk_meteor: sum(scores) / len(scores) with no record */
    ev->map_note = "no mAP record: the official script stops with ZeroDivisionError; the mAP is undefined";
    S->map = S->detmap = NAN;
    for (int a = 0; a < P2C_MAP_NIOU; a++) {
      S->det_ap[a] = NAN;
      for (int m = 0; m < P2C_MAP_NMETEOR; m++) S->ap[a][m] = NAN;
    }
    return P2C_OK;
  }
  p2ci_map_record *r = p2ci_malloc_array(ev->n_records, sizeof *r);
  if (!r) return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  int rc = P2C_OK;
  for (size_t i = 0; i < ev->n_records && rc == P2C_OK; i++) {
    const ev_record *er = &ev->records[i];
    r[i].iou = er->iou;
    /* `if not r["references"]`: an empty caption or list is always a false positive */
    r[i].fp = er->pred_is_list ? er->pred_list_len == 0 : !*p2ci_text(ev, er->pred_caption);
    rc = p2ci_official_record_meteor(ev, er, &r[i].meteor);
  }
  p2ci_map_result res;
  if (rc == P2C_OK && (rc = p2ci_map_official(r, ev->n_records, npos, &res)) != P2C_OK)
    p2ci_error(&ev->err, rc, "out of memory");
  free(r);
  if (rc != P2C_OK) return rc;
  memcpy(S->ap, res.ap, sizeof S->ap);
  memcpy(S->det_ap, res.det_ap, sizeof S->det_ap);
  S->map = res.map;
  S->detmap = res.detmap;
  return P2C_OK;
}

int p2ci_finish_official(p2c_evaluator *ev)
{
  p2c_eval_summary *S = &ev->sum;
  const size_t N = ev->n_images, K = (size_t)ev->opts.compat_cpus, C = ev->ncats;
  uint64_t *tp = p2ci_calloc_array(C ? C : 1, sizeof *tp);
  uint64_t *fp = p2ci_calloc_array(C ? C : 1, sizeof *fp);
  uint64_t *fn = p2ci_calloc_array(C ? C : 1, sizeof *fn);
  double *iou = p2ci_calloc_array(C ? C : 1, sizeof *iou);
  double *chunk_iou = p2ci_calloc_array(C ? C : 1, sizeof *chunk_iou);
  unsigned char *kept = p2ci_calloc_array(N ? N : 1, 1);
  ev->pair_order = p2ci_malloc_array(ev->n_pairs ? ev->n_pairs : 1, sizeof *ev->pair_order);
  if (!tp || !fp || !fn || !iou || !chunk_iou || !kept || !ev->pair_order) {
    free(tp), free(fp), free(fn), free(iou), free(chunk_iou), free(kept);
    return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  }
  S->chunks = K;
  for (size_t c = 0; c < K; c++) {
    const size_t b = chunk_begin(N, K, c), e = chunk_begin(N, K, c + 1);
    size_t npairs = 0;
    for (size_t i = b; i < e; i++) npairs += ev->images[i].official_n;
    if (npairs == 0) { /* CaptionQualityStat.is_empty(): the chunk is dropped */
      if (e > b) S->chunks_dropped++;
      continue;
    }
    /* within a chunk each category sums its IoUs pair by pair from 0.0; the
     * chunk totals are then added in chunk order */
    memset(chunk_iou, 0, C * sizeof *chunk_iou);
    for (size_t i = b; i < e; i++) {
      const ev_image *im = &ev->images[i];
      kept[i] = 1;
      for (size_t k = im->tp_begin; k < im->tp_end; k++) {
        const ev_tp *t = &ev->tps[k];
        if (t->cat < 0) continue;
        tp[t->cat]++;
        chunk_iou[t->cat] += t->iou;
      }
      for (size_t k = im->ev_begin; k < im->ev_end; k++) {
        const ev_event *x = &ev->events[k];
        if (x->cat < 0) continue; /* unknown category: never averaged */
        if (x->is_fp)
          fp[x->cat]++;
        else
          fn[x->cat]++;
      }
    }
    for (size_t k = 0; k < C; k++) iou[k] += chunk_iou[k];
  }
  /* quality_average over the GT categories in their JSON order */
  double pq = 0, sq = 0, rq = 0;
  size_t ncls = 0;
  for (size_t k = 0; k < C; k++) {
    S->tp += tp[k];
    S->fp += fp[k];
    S->fn += fn[k];
    if (tp[k] + fp[k] + fn[k] == 0) continue;
    ncls++;
    const double den = (double)tp[k] + 0.5 * (double)fp[k] + 0.5 * (double)fn[k];
    pq += iou[k] / den;
    sq += tp[k] ? iou[k] / (double)tp[k] : 0.0;
    rq += (double)tp[k] / den;
  }
  S->n_classes = ncls;
  S->pq = ncls ? pq / (double)ncls : NAN;
  S->sq = ncls ? sq / (double)ncls : NAN;
  S->rq = ncls ? rq / (double)ncls : NAN;
  S->pq_things = S->sq_things = S->rq_things = NAN; /* the script reports "All" only */
  S->pq_stuff = S->sq_stuff = S->rq_stuff = NAN;
  /* gts keys: categories in JSON order, each holding its pairs in chunk,
   * image and match order; a repeated key keeps its first place */
  size_t n = 0;
  for (size_t k = 0; k < C; k++)
    for (size_t i = 0; i < N; i++) {
      if (!kept[i]) continue;
      const ev_image *im = &ev->images[i];
      for (size_t q = im->pair_begin; q < im->pair_end; q++)
        if (ev->pairs[q].cat == (int32_t)k && ev->pairs[q].dup_of < 0) ev->pair_order[n++] = q;
    }
  ev->n_pair_order = n;
  free(tp), free(fp), free(fn), free(iou), free(chunk_iou), free(kept);

  ev->spice_note = "SPICE: the official value needs the Java SPICE 1.0 pipeline and its models; "
                   "not reproduced (null)";
  int rc = score_captions(ev);
  if (rc == P2C_OK) rc = official_map(ev);
  if (rc != P2C_OK) return rc;

  /* the one warning line: the quirks that changed this run's numbers */
  char *w = ev->warning;
  size_t cap = sizeof ev->warning, len = 0;
#define ADD(...) (len += (size_t)snprintf(w + len, len < cap ? cap - len : 0, __VA_ARGS__))
  ADD("pix2cap-official quirks:");
  int any = 0;
  if (S->chunks_dropped) {
    ADD(" %zu of %zu worker chunks without a caption pair dropped (TP/FP/FN included);",
        S->chunks_dropped, S->chunks);
    any = 1;
  }
  if (S->caption_pairs) {
    ADD(" caption metrics scaled by pairs/(TP+FP+FN) = %zu/%llu; METEOR reported as 0;", S->caption_pairs,
        (unsigned long long)(S->tp + S->fp + S->fn));
    any = 1;
  }
  if (ev->n_records) {
    ADD(" mAP over %llu unranked records (every overlapping same-category pair, no IoU threshold), "
        "METEOR of the GT caption against the letters of the prediction, recall over all %llu GT "
        "segments;",
        (unsigned long long)ev->n_records, (unsigned long long)S->map_npos);
    any = 1;
  }
  if (ev->caption_note || ev->map_note) {
    ADD(" the official scripts would crash on this input;");
    any = 1;
  }
#undef ADD
  if (!any)
    w[0] = '\0';
  else if (len < cap && w[len - 1] == ';')
    w[len - 1] = '\0';
  return P2C_OK;
}
