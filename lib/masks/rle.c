/* COCO RLE: construction, the compressed string codec, decode, area, bbox.
 * Format and behaviour learnt from pycocotools common/maskApi.c and the
 * goldens in ../shared/parity/masks (see docs/rle.md). */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "masks/rle.h"

int p2ci_rle_check_size(int h, int w, p2c_error *err)
{
  if (h < 0 || w < 0)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "RLE size [%d, %d] is negative", h, w);
  if ((uint64_t)h * (uint64_t)w > UINT32_MAX)
    return p2ci_error(err, P2C_ERR_LIMIT, "RLE size [%d, %d] has 2^32 pixels or more", h, w);
  return P2C_OK;
}

static p2c_rle *rle_alloc(uint32_t h, uint32_t w, size_t m)
{
  p2c_rle *r = malloc(sizeof *r);
  if (!r) return NULL;
  r->cnts = p2ci_malloc_array(m ? m : 1, sizeof *r->cnts);
  if (!r->cnts) {
    free(r);
    return NULL;
  }
  r->h = h;
  r->w = w;
  r->m = m;
  return r;
}

int p2ci_rle_canonical(uint32_t h, uint32_t w, const uint32_t *cnts, size_t n, p2c_rle **out,
                       p2c_error *err)
{
  *out = NULL;
  p2c_rle *r = rle_alloc(h, w, n ? n : 1);
  if (!r) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  /* Run i has colour i % 2; a zero-length run joins its neighbours. */
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cnts[i];
    if (c == 0) continue;
    size_t colour = i & 1;
    if (m > 0 && ((m - 1) & 1) == colour) r->cnts[m - 1] += c;
    else {
      if (m == 0 && colour == 1) r->cnts[m++] = 0;
      r->cnts[m++] = c;
    }
  }
  if (m == 0) r->cnts[m++] = 0; /* a 0-pixel mask: "0", as pycocotools */
  r->m = m;
  *out = r;
  return P2C_OK;
}

void p2c_rle_free(p2c_rle *rle)
{
  if (!rle) return;
  free(rle->cnts);
  free(rle);
}

p2c_rle *p2c_rle_copy(const p2c_rle *rle)
{
  if (!rle) return NULL;
  p2c_rle *r = rle_alloc(rle->h, rle->w, rle->m);
  if (r) memcpy(r->cnts, rle->cnts, rle->m * sizeof *r->cnts);
  return r;
}

int p2c_rle_height(const p2c_rle *rle) { return rle ? (int)rle->h : 0; }
int p2c_rle_width(const p2c_rle *rle) { return rle ? (int)rle->w : 0; }
size_t p2c_rle_num_counts(const p2c_rle *rle) { return rle ? rle->m : 0; }
const uint32_t *p2c_rle_counts(const p2c_rle *rle) { return rle ? rle->cnts : NULL; }

int p2c_rle_encode(const uint8_t *mask, int h, int w, int layout, p2c_rle **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_encode: out is NULL");
  *out = NULL;
  int rc = p2ci_rle_check_size(h, w, err);
  if (rc) return rc;
  size_t n = (size_t)h * (size_t)w;
  if (n && !mask) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_encode: mask is NULL");
  if (layout != P2C_MASK_COLUMN_MAJOR && layout != P2C_MASK_ROW_MAJOR)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_encode: unknown layout %d", layout);
  uint32_t *cnts = NULL;
  size_t cap = 0, m = 0;
  /* pycocotools: the first run is of zeros; a run ends where the byte changes. */
  uint8_t prev = 0;
  uint32_t c = 0;
  for (size_t x = 0; x < (size_t)w; x++) {
    for (size_t y = 0; y < (size_t)h; y++) {
      uint8_t v = layout == P2C_MASK_COLUMN_MAJOR ? mask[x * (size_t)h + y] : mask[y * (size_t)w + x];
      if (v != prev) {
        if (p2ci_grow(&cnts, &cap, m + 1, sizeof *cnts)) goto nomem;
        cnts[m++] = c;
        c = 0;
        prev = v;
      }
      c++;
    }
  }
  if (p2ci_grow(&cnts, &cap, m + 1, sizeof *cnts)) goto nomem;
  cnts[m++] = c;
  rc = p2ci_rle_canonical((uint32_t)h, (uint32_t)w, cnts, m, out, err);
  free(cnts);
  return rc;
nomem:
  free(cnts);
  return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
}

int p2c_rle_from_counts(int h, int w, const uint32_t *counts, size_t n, p2c_rle **out,
                        p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_from_counts: out is NULL");
  *out = NULL;
  int rc = p2ci_rle_check_size(h, w, err);
  if (rc) return rc;
  if (n && !counts) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_from_counts: counts is NULL");
  uint64_t hw = (uint64_t)h * (uint64_t)w, sum = 0;
  for (size_t i = 0; i < n; i++) sum += counts[i]; /* n * 2^32 cannot wrap 64 bits */
  if (n == 0 && hw > 0)
    return p2ci_error(err, P2C_ERR_PARSE, "RLE counts are empty for a %dx%d mask", h, w);
  if (sum != hw)
    return p2ci_error(err, P2C_ERR_PARSE,
                      "RLE counts sum to %llu, expected h*w = %llu (size [%d, %d])",
                      (unsigned long long)sum, (unsigned long long)hw, h, w);
  return p2ci_rle_canonical((uint32_t)h, (uint32_t)w, counts, n, out, err);
}

/* The compressed string: each count (from the 4th on, its difference with the
 * count two places back) as signed 5-bit groups, least significant first,
 * 0x20 = "more follows", 0x10 of the last group = sign, each group + 48. */
int p2c_rle_from_string(int h, int w, const char *s, size_t len, p2c_rle **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_from_string: out is NULL");
  *out = NULL;
  int rc = p2ci_rle_check_size(h, w, err);
  if (rc) return rc;
  if (len && !s) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_rle_from_string: string is NULL");
  if (len == 0)
    return p2ci_error(err, P2C_ERR_PARSE, "RLE counts string is empty (size [%d, %d])", h, w);
  uint64_t hw = (uint64_t)h * (uint64_t)w, sum = 0;
  uint32_t *cnts = NULL;
  size_t cap = 0, m = 0, i = 0;
  while (i < len) {
    size_t start = i;
    int64_t x = 0;
    int k = 0, more = 1;
    while (more) {
      if (i >= len) {
        rc = p2ci_error(err, P2C_ERR_PARSE,
                        "RLE counts string is truncated: count %zu (from offset %zu) ends with a "
                        "continuation character",
                        m + 1, start);
        goto fail;
      }
      unsigned char ch = (unsigned char)s[i];
      if (ch < 48 || ch > 111) {
        rc = p2ci_error(err, P2C_ERR_PARSE,
                        "RLE counts string has an invalid byte 0x%02x at offset %zu (allowed: "
                        "'0'..'o')",
                        ch, i);
        goto fail;
      }
      if (k == 7) {
        rc = p2ci_error(err, P2C_ERR_PARSE,
                        "RLE counts string: count %zu (from offset %zu) has more than 7 characters",
                        m + 1, start);
        goto fail;
      }
      int c = ch - 48;
      x |= (int64_t)(c & 0x1f) << (5 * k);
      more = c & 0x20;
      k++;
      i++;
      if (!more && (c & 0x10)) x -= (int64_t)1 << (5 * k);
    }
    if (m > 2) x += cnts[m - 2];
    if (x < 0) {
      rc = p2ci_error(err, P2C_ERR_PARSE,
                      "RLE counts string: count %zu (from offset %zu) is negative (%lld)", m + 1,
                      start, (long long)x);
      goto fail;
    }
    sum += (uint64_t)x;
    if (sum > hw) {
      rc = p2ci_error(err, P2C_ERR_PARSE,
                      "RLE counts string: counts sum to more than h*w = %llu at count %zu (offset "
                      "%zu; size [%d, %d])",
                      (unsigned long long)hw, m + 1, start, h, w);
      goto fail;
    }
    if (p2ci_grow(&cnts, &cap, m + 1, sizeof *cnts)) {
      rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
      goto fail;
    }
    cnts[m++] = (uint32_t)x;
  }
  if (sum != hw) {
    rc = p2ci_error(err, P2C_ERR_PARSE,
                    "RLE counts string: counts sum to %llu, expected h*w = %llu (size [%d, %d])",
                    (unsigned long long)sum, (unsigned long long)hw, h, w);
    goto fail;
  }
  rc = p2ci_rle_canonical((uint32_t)h, (uint32_t)w, cnts, m, out, err);
fail:
  free(cnts);
  return rc;
}

size_t p2c_rle_to_string(const p2c_rle *rle, char *buf, size_t size)
{
  size_t n = 0;
  if (rle) {
    for (size_t i = 0; i < rle->m; i++) {
      int64_t x = rle->cnts[i];
      if (i > 2) x -= rle->cnts[i - 2];
      for (int more = 1; more;) {
        int c = (int)(x & 0x1f);
        x >>= 5; /* arithmetic shift: int64_t is two's complement on every target we build for */
        more = (c & 0x10) ? x != -1 : x != 0;
        if (more) c |= 0x20;
        if (n + 1 < size) buf[n] = (char)(c + 48);
        n++;
      }
    }
  }
  if (size) buf[n < size ? n : size - 1] = '\0';
  return n;
}

int p2c_rle_decode(const p2c_rle *rle, uint8_t *mask, int layout)
{
  if (!rle || (!mask && rle->h && rle->w)) return P2C_ERR_INVALID_ARG;
  if (layout != P2C_MASK_COLUMN_MAJOR && layout != P2C_MASK_ROW_MAJOR) return P2C_ERR_INVALID_ARG;
  size_t h = rle->h, w = rle->w, p = 0;
  for (size_t i = 0; i < rle->m; i++) {
    uint8_t v = (uint8_t)(i & 1);
    size_t end = p + rle->cnts[i];
    if (layout == P2C_MASK_COLUMN_MAJOR) {
      memset(mask + p, v, end - p);
    } else {
      for (; p < end; p++) mask[(p % h) * w + p / h] = v;
    }
    p = end;
  }
  return P2C_OK;
}

uint64_t p2c_rle_area(const p2c_rle *rle)
{
  uint64_t a = 0;
  if (rle)
    for (size_t i = 1; i < rle->m; i += 2) a += rle->cnts[i];
  return a;
}

void p2c_rle_bbox(const p2c_rle *rle, double bbox[4])
{
  bbox[0] = bbox[1] = bbox[2] = bbox[3] = 0;
  if (!rle || rle->h == 0) return;
  uint64_t h = rle->h, p = 0;
  uint64_t xs = UINT64_MAX, xe = 0, ys = UINT64_MAX, ye = 0;
  for (size_t i = 0; i < rle->m; i++) {
    uint64_t end = p + rle->cnts[i];
    if ((i & 1) && end > p) {
      uint64_t x0 = p / h, y0 = p % h, x1 = (end - 1) / h, y1 = (end - 1) % h;
      if (x0 < xs) xs = x0;
      if (x1 > xe) xe = x1;
      if (x0 != x1) { /* the run wraps a column: rows h-1 and 0 are both set */
        ys = 0;
        ye = h - 1;
      } else {
        if (y0 < ys) ys = y0;
        if (y1 > ye) ye = y1;
      }
    }
    p = end;
  }
  if (xs == UINT64_MAX) return;
  bbox[0] = (double)xs;
  bbox[1] = (double)ys;
  bbox[2] = (double)(xe - xs + 1);
  bbox[3] = (double)(ye - ys + 1);
}
