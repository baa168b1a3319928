#include "synth/perturb.h"

#include <string.h>

#include "core/internal.h"
#include "synth/caption.h"

static void grow(p2ci_seg *g, double k)
{
  if (g->is_band) {
    g->top.base -= k;
    g->bottom.base += k;
    return;
  }
  for (int i = 0; i < g->nprims; i++) {
    g->prims[i].rx += k;
    g->prims[i].ry += k;
    if (g->prims[i].rx < 0.0) g->prims[i].rx = 0.0;
    if (g->prims[i].ry < 0.0) g->prims[i].ry = 0.0;
  }
}

static void shift(p2ci_seg *g, double dx, double dy)
{
  if (g->is_band) {
    g->top.base += dy, g->top.xoff -= dx;
    g->bottom.base += dy, g->bottom.xoff -= dx;
    return;
  }
  for (int i = 0; i < g->nprims; i++) g->prims[i].cx += dx, g->prims[i].cy += dy;
}

/* Another category of the same kind (thing or stuff) as category_id. */
static int other_category(int category_id, int isthing, p2ci_rng *r)
{
  int n = 0, pick;
  for (int i = 0; i < p2ci_num_categories; i++)
    n += p2ci_categories[i].isthing == isthing && p2ci_categories[i].id != category_id;
  pick = p2ci_rng_int(r, 0, n - 1);
  for (int i = 0; i < p2ci_num_categories; i++)
    if (p2ci_categories[i].isthing == isthing && p2ci_categories[i].id != category_id && pick-- == 0)
      return p2ci_categories[i].id;
  return category_id;
}

static p2ci_seg *add(p2ci_scene *pred)
{
  if (pred->nsegs >= P2CI_MAX_SEGS) return NULL;
  p2ci_seg *g = &pred->segs[pred->nsegs++];
  memset(g, 0, sizeof *g);
  g->gt_index = -1;
  return g;
}

/* An invented thing of this category, h pixels high, centred on (cx, cy). */
static void invent(p2ci_scene *pred, int op, double cx, double cy, double h, int category_id,
                   p2ci_rng *r)
{
  const p2ci_thing_kind *tk = p2ci_thing_kind_of(category_id);
  if (!tk) return;
  p2ci_seg *g = add(pred);
  if (!g) return;
  double w = h * tk->aspect;
  g->colour = g->colour2 = -1;
  p2ci_thing_init(g, tk, cx - w / 2.0, cy - h / 2.0, w, h, r);
  g->op = op;
  g->score_milli = p2ci_rng_int(r, 50, 600);
}

void p2ci_predict_scene(const p2ci_scene *gt, p2ci_scene *pred, const p2c_synth_options *o,
                        p2ci_rng *r)
{
  p2ci_scene_clear(pred);
  pred->kind = gt->kind;
  pred->texture_key = gt->texture_key;
  pred->wall_colour = gt->wall_colour;
  pred->cloudy = gt->cloudy;
  for (int i = 0; i < gt->nsegs; i++) {
    const p2ci_seg *src = &gt->segs[i];
    double u = p2ci_rng_unit(r);
    int morph = p2ci_rng_int(r, 1, o->max_morph > 0 ? o->max_morph : 1);
    int dx = p2ci_rng_int(r, -o->max_shift, o->max_shift), dy = p2ci_rng_int(r, -o->max_shift, o->max_shift);
    int other = other_category(src->category_id, src->isthing, r);
    int score = p2ci_rng_int(r, 0, 1000);
    if (src->area == 0) continue; /* not in the ground truth either */
    int op = P2CI_OP_COPY;
    double acc = o->p_miss;
    if (u < acc) op = P2CI_OP_MISS;
    else if (u < (acc += o->p_dilate)) op = P2CI_OP_DILATE;
    else if (u < (acc += o->p_erode)) op = P2CI_OP_ERODE;
    else if (u < (acc += o->p_shift)) op = P2CI_OP_SHIFT;
    else if (u < (acc += o->p_wrong_category)) op = P2CI_OP_WRONG_CATEGORY;
    if (op == P2CI_OP_SHIFT && dx == 0 && dy == 0) dx = 1;
    p2ci_seg *g = add(pred);
    if (!g) break;
    *g = *src;
    g->text = NULL;
    /* iscrowd stays as drawn (the captions of invented segments may refer to
     * "the crowd"); pred.json always says 0. */
    g->void_outline = 0;
    g->gt_index = i;
    g->op = op;
    switch (op) {
    case P2CI_OP_MISS: pred->nsegs--; continue;
    case P2CI_OP_DILATE: grow(g, morph), g->morph = morph; break;
    case P2CI_OP_ERODE: grow(g, -morph), g->morph = morph; break;
    case P2CI_OP_SHIFT: shift(g, dx, dy), g->dx = dx, g->dy = dy; break;
    case P2CI_OP_WRONG_CATEGORY: g->category_id = other; break;
    default: break;
    }
    /* Confidence follows quality, loosely: good copies score high. */
    g->score_milli = op == P2CI_OP_COPY ? 600 + score * 2 / 5
                   : op == P2CI_OP_WRONG_CATEGORY ? 200 + score / 2 : 350 + score * 3 / 5;
  }
  /* Invented things: a kind of this scene, anywhere. */
  int spurious = p2ci_rng_int(r, 0, o->max_spurious);
  for (int k = 0; k < spurious; k++) {
    int n = 0;
    while (n < 16 && gt->kind->things[n]) n++;
    int cat = gt->kind->things[p2ci_rng_int(r, 0, n - 1)];
    double h = p2ci_rng_range(r, 0.1, 0.3) * gt->height;
    invent(pred, P2CI_OP_SPURIOUS, p2ci_rng_range(r, 0, gt->width), p2ci_rng_range(r, 0, gt->height),
           h, cat, r);
  }
  /* Predictions where the ground truth says "do not count": on a void blob,
   * or a single person inside a crowd. */
  for (int v = 0; v < gt->nvoids; v++)
    if (p2ci_rng_chance(r, o->p_pred_void)) {
      const p2ci_prim *b = &gt->voids[v];
      int before = pred->nsegs;
      invent(pred, P2CI_OP_ON_VOID, b->cx, b->cy, 2.0 * b->ry, other_category(0, 1, r), r);
      if (pred->nsegs == before) break;
      p2ci_seg *g = &pred->segs[before];
      uint8_t rgb[3];
      memcpy(rgb, g->prims[0].rgb, 3);
      g->nprims = 1;
      g->prims[0] = *b;
      g->prims[0].rx *= 0.9, g->prims[0].ry *= 0.9;
      memcpy(g->prims[0].rgb, rgb, 3);
    }
  for (int i = 0; i < gt->nsegs; i++)
    if (gt->segs[i].iscrowd && gt->segs[i].area > 0 && p2ci_rng_chance(r, o->p_pred_void)) {
      const p2ci_prim *body = &gt->segs[i].prims[0];
      invent(pred, P2CI_OP_ON_CROWD, body->cx, body->cy - body->ry * 0.1, body->ry * 2.2,
             gt->segs[i].category_id, r);
    }
}

static char *pick_caption(const p2ci_scene *gt, const p2ci_seg *g, const p2c_synth_options *o,
                          int *mode, p2ci_rng *r)
{
  double u = p2ci_rng_unit(r);
  int other = p2ci_rng_int(r, 0, gt->nsegs - 1);
  const char *own = gt->segs[g->gt_index].text;
  if (u < o->p_caption_empty) {
    *mode = P2CI_CAP_EMPTY;
    return p2ci_strdup("");
  }
  u -= o->p_caption_empty;
  if (u < o->p_caption_unrelated) {
    /* The description of another segment of this image (its nearest other one
     * in the list when the draw hits this one). */
    for (int k = 0; k < gt->nsegs; k++) {
      int j = (other + k) % gt->nsegs;
      if (j != g->gt_index && gt->segs[j].text && gt->segs[j].area > 0) {
        *mode = P2CI_CAP_UNRELATED;
        return p2ci_strdup(gt->segs[j].text);
      }
    }
  }
  u -= o->p_caption_unrelated;
  if (u < o->p_caption_edit && u >= 0.0) {
    *mode = P2CI_CAP_EDIT;
    return p2ci_caption_edit(own, r);
  }
  *mode = P2CI_CAP_COPY;
  return p2ci_strdup(own);
}

int p2ci_predict_captions(const p2ci_scene *gt, p2ci_scene *pred, const p2c_synth_options *o,
                          p2ci_rng *r)
{
  for (int i = 0; i < pred->nsegs; i++) {
    p2ci_seg *g = &pred->segs[i];
    if (g->area == 0) continue;
    if (g->gt_index >= 0) {
      g->text = pick_caption(gt, g, o, &g->caption_mode, r);
    } else {
      /* Invented things are described as the prediction shows them. */
      g->caption_mode = P2CI_CAP_OWN;
      g->text = p2ci_describe(pred, i, r);
    }
    if (!g->text) return P2C_ERR_NOMEM;
  }
  return P2C_OK;
}
