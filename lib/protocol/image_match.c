#include "protocol/image_match.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "masks/pq.h"

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
  memset(m, 0, sizeof *m);
}

/* The masks layer's view of the segments. */
static p2c_pq_segment *pq_segments(const p2ci_seg *s, size_t n)
{
  p2c_pq_segment *out = p2ci_malloc_array(n ? n : 1, sizeof *out);
  if (out)
    for (size_t i = 0; i < n; i++)
      out[i] = (p2c_pq_segment){s[i].id, s[i].category_id, s[i].iscrowd != 0, s[i].area};
  return out;
}

/* The protocol's decisions on the masks layer's pairs (ascending (GT id,
 * prediction id), IoU with void removed, crowd and void rules applied). */
static void decide(const p2ci_image_input *in, const p2c_pq_image *img, int class_agnostic,
                   p2ci_image_match *m)
{
  for (size_t k = 0; k < img->npairs; k++) {
    const p2c_pq_pair *q = &img->pairs[k];
    if (q->gt_index < 0 || q->pred_index < 0 || (q->flags & P2C_PAIR_GT_CROWD)) continue;
    const int32_t g = (int32_t)q->gt_index, p = (int32_t)q->pred_index;
    const int same = (q->flags & P2C_PAIR_SAME_CATEGORY) != 0;
    if (same || class_agnostic) {
      /* highest IoU; on ties the GT segment first in JSON order (its index) */
      const int32_t cur = m->best_gt[p];
      if (cur < 0 || q->iou > m->best_iou[p] || (q->iou == m->best_iou[p] && g < cur)) {
        m->best_gt[p] = g;
        m->best_iou[p] = q->iou;
      }
    }
    if (!same) continue;
    m->records[m->nrec++] = (p2ci_pair){g, p, q->iou};
    if (q->flags & P2C_PAIR_MATCHED) {
      m->one_to_one[m->ntp] = !m->gt_matched[g] && !m->pred_matched[p];
      m->tp[m->ntp++] = (p2ci_pair){g, p, q->iou};
      m->gt_matched[g] = 1;
      m->pred_matched[p] = 1;
    }
  }
  for (size_t p = 0; p < in->npred; p++)
    m->pred_ignored[p] = !m->pred_matched[p] && img->pred_outcome[p] == P2C_PQ_IGNORED;
}

int p2ci_image_match_run(const p2ci_image_input *in, int class_agnostic, p2ci_image_match *m,
                         p2c_error *err)
{
  memset(m, 0, sizeof *m);
  p2c_pq_segment *gs = pq_segments(in->gt, in->ngt), *ps = pq_segments(in->pred, in->npred);
  if (!gs || !ps) {
    free(gs);
    free(ps);
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  /* a non-NULL pred_ids says "prediction ids"; the maps are not read again */
  static const uint32_t none = 0;
  const p2c_pq_image_input pin = {in->image_id, NULL, NULL, 0, 0, &none, &none, NULL,
                                  gs, in->ngt, ps, in->npred};
  p2c_pq_image *img = NULL;
  int rc = p2ci_pq_image_from_overlap(NULL, &pin, in->ov, &img, err);
  free(gs);
  free(ps);
  if (rc != P2C_OK) return rc;
  const size_t ng1 = in->ngt ? in->ngt : 1, np1 = in->npred ? in->npred : 1;
  const size_t no1 = img->npairs ? img->npairs : 1;
  m->tp = p2ci_malloc_array(no1, sizeof *m->tp);
  m->one_to_one = p2ci_malloc_array(no1, 1);
  m->records = p2ci_malloc_array(no1, sizeof *m->records);
  m->gt_matched = p2ci_calloc_array(ng1, 1);
  m->pred_matched = p2ci_calloc_array(np1, 1);
  m->pred_ignored = p2ci_calloc_array(np1, 1);
  m->best_gt = p2ci_malloc_array(np1, sizeof *m->best_gt);
  m->best_iou = p2ci_calloc_array(np1, sizeof *m->best_iou);
  if (!m->tp || !m->one_to_one || !m->records || !m->gt_matched || !m->pred_matched ||
      !m->pred_ignored || !m->best_gt || !m->best_iou) {
    p2c_pq_image_free(img);
    p2ci_image_match_free(m);
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  for (size_t p = 0; p < in->npred; p++) m->best_gt[p] = -1;
  decide(in, img, class_agnostic, m);
  p2c_pq_image_free(img);
  return P2C_OK;
}
