/* The PQ accumulator: per-class TP/FP/FN and IoU sums, and panopticapi's
 * pq_average (PQStat.pq_average in panopticapi/evaluation.py). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "masks/pq.h"

long p2ci_pq_category(const p2c_pq *pq, int64_t id)
{
  size_t lo = 0, hi = pq->ncat;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int64_t v = pq->cat_ids[pq->by_id[mid]];
    if (v == id) return (long)pq->by_id[mid];
    if (v < id) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

void p2c_pq_free(p2c_pq *pq)
{
  if (!pq) return;
  free(pq->cat_ids);
  free(pq->isthing);
  free(pq->by_id);
  free(pq->tp);
  free(pq->fp);
  free(pq->fn);
  free(pq->iou);
  free(pq->chunk_iou);
  free(pq);
}

const char *p2c_pq_last_error(const p2c_pq *pq) { return pq ? pq->err.message : ""; }

int p2c_pq_create(const p2c_category_info *categories, size_t num_categories, p2c_pq **out,
                  p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_pq_create: out is NULL");
  *out = NULL;
  if (num_categories && !categories)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_pq_create: categories is NULL");
  p2c_pq *pq = calloc(1, sizeof *pq);
  if (!pq) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  size_t n = num_categories ? num_categories : 1;
  pq->cat_ids = p2ci_malloc_array(n, sizeof *pq->cat_ids);
  pq->isthing = p2ci_malloc_array(n, sizeof *pq->isthing);
  pq->by_id = p2ci_malloc_array(n, sizeof *pq->by_id);
  pq->tp = p2ci_calloc_array(n, sizeof *pq->tp);
  pq->fp = p2ci_calloc_array(n, sizeof *pq->fp);
  pq->fn = p2ci_calloc_array(n, sizeof *pq->fn);
  pq->iou = p2ci_calloc_array(n, sizeof *pq->iou);
  if (!pq->cat_ids || !pq->isthing || !pq->by_id || !pq->tp || !pq->fp || !pq->fn || !pq->iou) {
    p2c_pq_free(pq);
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < num_categories; i++) {
    long k = p2ci_pq_category(pq, categories[i].id);
    if (k >= 0) { /* a repeated id: first position, last value (a Python dict) */
      pq->isthing[k] = categories[i].isthing == 1;
      continue;
    }
    size_t c = pq->ncat++;
    pq->cat_ids[c] = categories[i].id;
    pq->isthing[c] = categories[i].isthing == 1;
    size_t pos = c; /* keep by_id sorted */
    while (pos > 0 && pq->cat_ids[pq->by_id[pos - 1]] > categories[i].id) {
      pq->by_id[pos] = pq->by_id[pos - 1];
      pos--;
    }
    pq->by_id[pos] = c;
  }
  for (size_t i = 0; i < pq->ncat; i++) pq->iou[i] = 0.0;
  *out = pq;
  return P2C_OK;
}

int p2c_pq_add(p2c_pq *pq, const p2c_pq_image *img)
{
  if (!pq) return P2C_ERR_INVALID_ARG;
  if (!img) return p2ci_error(&pq->err, P2C_ERR_INVALID_ARG, "p2c_pq_add: image is NULL");
  /* panopticapi: pq_stat[cat].iou += iou for each match, image after image */
  for (size_t i = 0; i < img->ntp; i++) {
    long c = p2ci_pq_category(pq, img->tps[i].category_id);
    if (c < 0) continue;
    pq->tp[c] += 1;
    if (pq->chunk_iou) pq->chunk_iou[c] += img->tps[i].iou;
    else pq->iou[c] += img->tps[i].iou;
  }
  for (size_t i = 0; i < img->nfn; i++) {
    long c = p2ci_pq_category(pq, img->fn_cats[i]);
    if (c >= 0) pq->fn[c] += 1;
  }
  for (size_t i = 0; i < img->nfp; i++) {
    long c = p2ci_pq_category(pq, img->fp_cats[i]);
    if (c >= 0) pq->fp[c] += 1;
  }
  pq->nimages++;
  return P2C_OK;
}

int p2c_pq_add_image(p2c_pq *pq, const p2c_pq_image_input *in)
{
  if (!pq) return P2C_ERR_INVALID_ARG;
  p2c_pq_image *img = NULL;
  int rc = p2c_pq_image_compute(pq, in, &img, &pq->err);
  if (rc == P2C_OK) rc = p2c_pq_add(pq, img);
  p2c_pq_image_free(img);
  return rc;
}

int p2ci_pq_begin_chunk(p2c_pq *pq)
{
  free(pq->chunk_iou);
  pq->chunk_iou = p2ci_malloc_array(pq->ncat ? pq->ncat : 1, sizeof *pq->chunk_iou);
  if (!pq->chunk_iou) return P2C_ERR_NOMEM;
  for (size_t c = 0; c < pq->ncat; c++) pq->chunk_iou[c] = 0.0;
  return P2C_OK;
}

/* panopticapi pq_compute_multi_core: pq_stat += p.get(), chunk after chunk */
void p2ci_pq_end_chunk(p2c_pq *pq)
{
  if (!pq->chunk_iou) return;
  for (size_t c = 0; c < pq->ncat; c++) pq->iou[c] += pq->chunk_iou[c];
  free(pq->chunk_iou);
  pq->chunk_iou = NULL;
}

size_t p2c_pq_num_classes(const p2c_pq *pq) { return pq ? pq->ncat : 0; }
size_t p2c_pq_num_images(const p2c_pq *pq) { return pq ? pq->nimages : 0; }

/* panopticapi: pq = iou / (tp + 0.5 fp + 0.5 fn), sq = iou / tp, rq = tp / (...). */
static void class_stats(const p2c_pq *pq, size_t c, p2c_pq_class *out)
{
  out->category_id = pq->cat_ids[c];
  out->isthing = pq->isthing[c];
  out->tp = pq->tp[c];
  out->fp = pq->fp[c];
  out->fn = pq->fn[c];
  out->iou = pq->iou[c];
  out->pq = out->sq = out->rq = 0.0;
  out->counted = 0;
  if (out->tp + out->fp + out->fn == 0) return;
  out->counted = 1;
  double tp = (double)out->tp, denom = tp + 0.5 * (double)out->fp + 0.5 * (double)out->fn;
  out->pq = out->iou / denom;
  out->sq = out->tp != 0 ? out->iou / tp : 0.0;
  out->rq = tp / denom;
}

int p2c_pq_get_class(const p2c_pq *pq, size_t index, p2c_pq_class *out)
{
  if (!pq || !out || index >= pq->ncat) return P2C_ERR_INVALID_ARG;
  class_stats(pq, index, out);
  return P2C_OK;
}

int p2c_pq_get_summary(const p2c_pq *pq, int group, p2c_pq_summary *out)
{
  if (!pq || !out || group < P2C_PQ_ALL || group > P2C_PQ_STUFF) return P2C_ERR_INVALID_ARG;
  double spq = 0.0, ssq = 0.0, srq = 0.0;
  int n = 0;
  for (size_t c = 0; c < pq->ncat; c++) {
    if (group == P2C_PQ_THINGS && !pq->isthing[c]) continue;
    if (group == P2C_PQ_STUFF && pq->isthing[c]) continue;
    p2c_pq_class k;
    class_stats(pq, c, &k);
    if (!k.counted) continue;
    n++;
    spq += k.pq;
    ssq += k.sq;
    srq += k.rq;
  }
  out->n = n;
  out->pq = n ? spq / n : NAN;
  out->sq = n ? ssq / n : NAN;
  out->rq = n ? srq / n : NAN;
  return P2C_OK;
}
