/* Operations between COCO RLEs: IoU (with pycocotools' iscrowd rule) and
 * merge (union / intersection). Both walk the runs of two masks at once, so
 * they cost O(number of runs), never O(pixels). */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "masks/rle.h"

/* Walks two RLEs of one size run by run; each step covers `len` pixels where
 * both masks keep their values va and vb. */
typedef struct rle_walk {
  const p2c_rle *a, *b;
  size_t i, j;
  uint64_t ra, rb;
} rle_walk;

static void walk_init(rle_walk *w, const p2c_rle *a, const p2c_rle *b)
{
  w->a = a;
  w->b = b;
  w->i = w->j = 0;
  w->ra = a->cnts[0];
  w->rb = b->cnts[0];
}

/* Next step; returns 0 at the end. */
static int walk_next(rle_walk *w, uint64_t *len, int *va, int *vb)
{
  while (w->i < w->a->m && w->ra == 0 && ++w->i < w->a->m) w->ra = w->a->cnts[w->i];
  while (w->j < w->b->m && w->rb == 0 && ++w->j < w->b->m) w->rb = w->b->cnts[w->j];
  if (w->i >= w->a->m || w->j >= w->b->m) return 0;
  uint64_t c = w->ra < w->rb ? w->ra : w->rb;
  *len = c;
  *va = (int)(w->i & 1);
  *vb = (int)(w->j & 1);
  w->ra -= c;
  w->rb -= c;
  return 1;
}

static uint64_t rle_intersection(const p2c_rle *a, const p2c_rle *b)
{
  rle_walk w;
  uint64_t len, inter = 0;
  int va, vb;
  walk_init(&w, a, b);
  while (walk_next(&w, &len, &va, &vb))
    if (va && vb) inter += len;
  return inter;
}

int p2c_rle_iou(const p2c_rle *const *dt, size_t num_dt, const p2c_rle *const *gt, size_t num_gt,
                const uint8_t *iscrowd, double *out, p2c_error *err)
{
  if ((num_dt && !dt) || (num_gt && !gt) || (num_dt && num_gt && !out))
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_iou: NULL argument");
  for (size_t g = 0; g < num_gt; g++) {
    if (!gt[g]) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_iou: gt %zu is NULL", g);
    for (size_t d = 0; d < num_dt; d++) {
      if (!dt[d]) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_iou: dt %zu is NULL", d);
      if (dt[d]->h != gt[g]->h || dt[d]->w != gt[g]->w)
        return p2ci_error(err, P2C_ERR_MISMATCH,
                          "p2c_rle_iou: dt %zu has size [%u, %u] but gt %zu has size [%u, %u]", d,
                          dt[d]->h, dt[d]->w, g, gt[g]->h, gt[g]->w);
    }
  }
  for (size_t d = 0; d < num_dt; d++) {
    uint64_t ad = p2c_rle_area(dt[d]);
    for (size_t g = 0; g < num_gt; g++) {
      uint64_t inter = rle_intersection(dt[d], gt[g]);
      /* pycocotools maskApi.c rleIou: a crowd gt is an ignore region, so the
       * score is the share of the detection inside it. */
      uint64_t uni = iscrowd && iscrowd[g] ? ad : ad + p2c_rle_area(gt[g]) - inter;
      out[d * num_gt + g] = inter == 0 ? 0.0 : (double)inter / (double)uni;
    }
  }
  return P2C_OK;
}

/* Append a run of colour v and length len to a canonical count list. */
static int push_run(uint32_t **cnts, size_t *cap, size_t *m, int v, uint64_t len)
{
  if (len == 0) return P2C_OK;
  if (*m > 0 && (int)((*m - 1) & 1) == v) {
    (*cnts)[*m - 1] += (uint32_t)len;
    return P2C_OK;
  }
  if (p2ci_grow(cnts, cap, *m + 2, sizeof **cnts)) return P2C_ERR_NOMEM;
  if (*m == 0 && v == 1) (*cnts)[(*m)++] = 0;
  (*cnts)[(*m)++] = (uint32_t)len;
  return P2C_OK;
}

static int merge2(const p2c_rle *a, const p2c_rle *b, int intersect, p2c_rle **out)
{
  uint32_t *cnts = NULL;
  size_t cap = 0, m = 0;
  rle_walk w;
  uint64_t len;
  int va, vb, rc = P2C_OK;
  walk_init(&w, a, b);
  while (rc == P2C_OK && walk_next(&w, &len, &va, &vb))
    rc = push_run(&cnts, &cap, &m, intersect ? (va && vb) : (va || vb), len);
  if (rc == P2C_OK && m == 0) { /* a 0-pixel mask is the single count 0 */
    rc = p2ci_grow(&cnts, &cap, 1, sizeof *cnts);
    if (rc == P2C_OK) cnts[m++] = 0;
  }
  if (rc != P2C_OK) {
    free(cnts);
    return P2C_ERR_NOMEM;
  }
  p2c_rle *r = malloc(sizeof *r);
  if (!r) {
    free(cnts);
    return P2C_ERR_NOMEM;
  }
  r->h = a->h;
  r->w = a->w;
  r->m = m;
  r->cnts = cnts;
  *out = r;
  return P2C_OK;
}

int p2c_rle_merge(const p2c_rle *const *rles, size_t n, int intersect, p2c_rle **out,
                  p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_merge: out is NULL");
  *out = NULL;
  if (n == 0 || !rles) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_merge: no masks");
  for (size_t i = 0; i < n; i++) {
    if (!rles[i]) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_merge: mask %zu is NULL", i);
    if (rles[i]->h != rles[0]->h || rles[i]->w != rles[0]->w)
      return p2ci_error(err, P2C_ERR_MISMATCH,
                        "p2c_rle_merge: mask %zu has size [%u, %u] but mask 0 has size [%u, %u]",
                        i, rles[i]->h, rles[i]->w, rles[0]->h, rles[0]->w);
  }
  p2c_rle *acc = p2c_rle_copy(rles[0]);
  if (!acc) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  for (size_t i = 1; i < n; i++) {
    p2c_rle *next = NULL;
    if (merge2(acc, rles[i], intersect != 0, &next)) {
      p2c_rle_free(acc);
      return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
    }
    p2c_rle_free(acc);
    acc = next;
  }
  *out = acc;
  return P2C_OK;
}
