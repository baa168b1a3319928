/* Polygons and boxes to RLE, as pycocotools frPyObjects (maskApi.c rleFrPoly,
 * rleFrBbox): the outline is walked on a 5x finer grid, the points where it
 * changes column become run boundaries. Roughly, a pixel is set when its
 * centre is inside the polygon; the goldens (polygon_cases.json) pin the
 * boundary cases. */
#include <math.h>
#include <stdlib.h>

#include "core/internal.h"
#include "masks/rle.h"

static int cmp_u32(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

int p2c_rle_from_polygon(int h, int w, const double *xy, size_t n_coords, p2c_rle **out,
                         p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_from_polygon: out is NULL");
  *out = NULL;
  int rc = p2ci_rle_check_size(h, w, err);
  if (rc) return rc;
  size_t k = n_coords / 2; /* an odd last coordinate is ignored, as pycocotools */
  if (k && !xy) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_from_polygon: xy is NULL");
  const double scale = 5;
  for (size_t j = 0; j < 2 * k; j++)
    if (!isfinite(xy[j]) || fabs(xy[j]) * scale > 1e8)
      return p2ci_error(err, P2C_ERR_INVALID_ARG,
                        "polygon coordinate %zu is not finite or out of range (%g)", j, xy[j]);
  int *x = p2ci_malloc_array(k + 1, sizeof *x), *y = p2ci_malloc_array(k + 1, sizeof *y);
  int *u = NULL, *v = NULL;
  uint32_t *a = NULL, *b = NULL;
  rc = P2C_ERR_NOMEM;
  if (!x || !y) goto done;
  /* vertices on the 5x grid; (int) truncates toward zero, also for negatives */
  for (size_t j = 0; j < k; j++) {
    x[j] = (int)(scale * xy[2 * j] + .5);
    y[j] = (int)(scale * xy[2 * j + 1] + .5);
  }
  if (k) {
    x[k] = x[0];
    y[k] = y[0];
  }
  size_t m = 0;
  for (size_t j = 0; j < k; j++) {
    int dx = abs(x[j] - x[j + 1]), dy = abs(y[j] - y[j + 1]);
    m += (size_t)(dx > dy ? dx : dy) + 1;
  }
  u = p2ci_malloc_array(m + 1, sizeof *u);
  v = p2ci_malloc_array(m + 1, sizeof *v);
  if (!u || !v) goto done;
  /* every grid point along each edge, stepping along its longer axis */
  m = 0;
  for (size_t j = 0; j < k; j++) {
    int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
    int dx = abs(xe - xs), dy = abs(ys - ye);
    int flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      int t = xs;
      xs = xe;
      xe = t;
      t = ys;
      ys = ye;
      ye = t;
    }
    if (dx >= dy) {
      double s = dx ? (double)(ye - ys) / dx : 0.0;
      for (int d = 0; d <= dx; d++) {
        int t = flip ? dx - d : d;
        u[m] = t + xs;
        v[m] = (int)(ys + s * t + .5);
        m++;
      }
    } else {
      double s = (double)(xe - xs) / dy;
      for (int d = 0; d <= dy; d++) {
        int t = flip ? dy - d : d;
        v[m] = t + ys;
        u[m] = (int)(xs + s * t + .5);
        m++;
      }
    }
  }
  /* where the outline changes column on a pixel column: a run boundary */
  size_t nb = 0;
  a = p2ci_malloc_array(m + 1, sizeof *a);
  b = p2ci_malloc_array(m + 1, sizeof *b);
  if (!a || !b) goto done;
  for (size_t j = 1; j < m; j++) {
    if (u[j] == u[j - 1]) continue;
    double xd = (double)(u[j] < u[j - 1] ? u[j] : u[j] - 1);
    xd = (xd + .5) / scale - .5;
    if (floor(xd) != xd || xd < 0 || xd > w - 1) continue;
    double yd = (double)(v[j] < v[j - 1] ? v[j] : v[j - 1]);
    yd = (yd + .5) / scale - .5;
    if (yd < 0) yd = 0;
    else if (yd > h) yd = h;
    yd = ceil(yd);
    a[nb++] = (uint32_t)((int64_t)xd * h + (int64_t)yd);
  }
  a[nb++] = (uint32_t)((uint64_t)h * (uint64_t)w);
  qsort(a, nb, sizeof *a, cmp_u32);
  /* boundaries -> run lengths; two boundaries at one place cancel */
  uint32_t prev = 0;
  for (size_t j = 0; j < nb; j++) {
    uint32_t t = a[j];
    a[j] -= prev;
    prev = t;
  }
  size_t nr = 0, j = 0;
  b[nr++] = a[j++];
  while (j < nb) {
    if (a[j] > 0) b[nr++] = a[j++];
    else {
      j++;
      if (j < nb) b[nr - 1] += a[j++];
    }
  }
  rc = p2ci_rle_canonical((uint32_t)h, (uint32_t)w, b, nr, out, err);
done:
  free(x);
  free(y);
  free(u);
  free(v);
  free(a);
  free(b);
  if (rc == P2C_ERR_NOMEM && !*out) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  return rc;
}

int p2c_rle_from_bbox(int h, int w, const double bbox[4], p2c_rle **out, p2c_error *err)
{
  if (!bbox) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_from_bbox: bbox is NULL");
  double xs = bbox[0], ys = bbox[1], xe = xs + bbox[2], ye = ys + bbox[3];
  const double xy[8] = {xs, ys, xs, ye, xe, ye, xe, ys};
  return p2c_rle_from_polygon(h, w, xy, 8, out, err);
}
