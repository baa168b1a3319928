#include "protocol/image_match.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

double p2ci_pair_iou(int64_t inter, int64_t pred_area, int64_t gt_area, int64_t pred_void)
{
  const int64_t uni = pred_area + gt_area - inter - pred_void;
  return (double)inter / (double)uni;
}

void p2ci_image_match_free(p2ci_image_match *m)
{
  if (!m) return;
  free(m->tp);
  free(m->one_to_one);
  free(m->records);
  free(m->gt_matched);
  free(m->pred_matched);
  free(m->pred_ignored);
  free(m->best_gt);
  free(m->best_iou);
  free(m->pred_void);
  memset(m, 0, sizeof *m);
}

int p2ci_image_match_run(const p2ci_image_input *in, int class_agnostic, p2ci_image_match *m)
{
  memset(m, 0, sizeof *m);
  const size_t ng = in->ngt, np = in->npred, no = in->nov;
  const size_t ng1 = ng ? ng : 1, np1 = np ? np : 1, no1 = no ? no : 1;
  m->tp = p2ci_malloc_array(no1, sizeof *m->tp);
  m->one_to_one = p2ci_malloc_array(no1, 1);
  m->records = p2ci_malloc_array(no1, sizeof *m->records);
  m->gt_matched = p2ci_calloc_array(ng1, 1);
  m->pred_matched = p2ci_calloc_array(np1, 1);
  m->pred_ignored = p2ci_calloc_array(np1, 1);
  m->best_gt = p2ci_malloc_array(np1, sizeof *m->best_gt);
  m->best_iou = p2ci_calloc_array(np1, sizeof *m->best_iou);
  m->pred_void = p2ci_calloc_array(np1, sizeof *m->pred_void);
  if (!m->tp || !m->one_to_one || !m->records || !m->gt_matched || !m->pred_matched ||
      !m->pred_ignored || !m->best_gt || !m->best_iou || !m->pred_void) {
    p2ci_image_match_free(m);
    return P2C_ERR_NOMEM;
  }
  for (size_t p = 0; p < np; p++) m->best_gt[p] = -1;

  /* Void pixels of each prediction first: every IoU needs them. */
  for (size_t k = 0; k < no; k++)
    if (in->ov[k].g == P2CI_VOID && in->ov[k].p >= 0) m->pred_void[in->ov[k].p] += in->ov[k].count;

  unsigned char *pred_taken = m->pred_matched; /* one-to-one bookkeeping */
  unsigned char *gt_taken = m->gt_matched;
  for (size_t k = 0; k < no; k++) {
    const p2ci_overlap *o = &in->ov[k];
    if (o->g < 0 || o->p < 0) continue;
    const p2ci_seg *g = &in->gt[o->g], *p = &in->pred[o->p];
    if (g->iscrowd) continue;
    const double iou = p2ci_pair_iou(o->count, p->area, g->area, m->pred_void[o->p]);
    const int same = g->category_id == p->category_id;
    if (same || class_agnostic) {
      /* highest IoU; on ties the GT segment first in JSON order (its index) */
      const int32_t cur = m->best_gt[o->p];
      if (cur < 0 || iou > m->best_iou[o->p] || (iou == m->best_iou[o->p] && o->g < cur)) {
        m->best_gt[o->p] = o->g;
        m->best_iou[o->p] = iou;
      }
    }
    if (!same) continue;
    m->records[m->nrec++] = (p2ci_pair){o->g, o->p, iou};
    if (iou > 0.5) {
      m->one_to_one[m->ntp] = !gt_taken[o->g] && !pred_taken[o->p];
      m->tp[m->ntp++] = (p2ci_pair){o->g, o->p, iou};
      gt_taken[o->g] = 1;
      pred_taken[o->p] = 1;
    }
  }

  /* panopticapi's crowd rule: only the last crowd segment per category (JSON
   * order) absorbs unmatched predictions of that category. */
  int64_t *crowd_pixels = p2ci_calloc_array(np1, sizeof *crowd_pixels);
  if (!crowd_pixels) {
    p2ci_image_match_free(m);
    return P2C_ERR_NOMEM;
  }
  for (size_t k = 0; k < no; k++) {
    const p2ci_overlap *o = &in->ov[k];
    if (o->g < 0 || o->p < 0 || !in->gt[o->g].iscrowd) continue;
    const int64_t cat = in->pred[o->p].category_id;
    if (in->gt[o->g].category_id != cat) continue;
    int last = 1; /* is o->g the last crowd GT of this category? */
    for (size_t j = (size_t)o->g + 1; j < ng; j++)
      if (in->gt[j].iscrowd && in->gt[j].category_id == cat) {
        last = 0;
        break;
      }
    if (last) crowd_pixels[o->p] += o->count;
  }
  for (size_t p = 0; p < np; p++) {
    if (m->pred_matched[p]) continue;
    const double frac = (double)(m->pred_void[p] + crowd_pixels[p]) / (double)in->pred[p].area;
    m->pred_ignored[p] = frac > 0.5;
  }
  free(crowd_pixels);
  return P2C_OK;
}
