/* Id PNGs: 8-bit RGB(A) <-> segment ids (id = R + 256 G + 65536 B), via libspng.
 *
 * This is the hot path of PQ (every image is decoded once per evaluation), so
 * rows are decoded in the PNG's own layout (no format conversion inside
 * libspng) straight into a one-row buffer and packed into 32-bit ids. */
#include <errno.h>
#include <spng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/internal.h"
#include "io/dataset.h"
#include "io/file.h"
#include "io/png_write.h"

struct p2c_idmap {
  int width, height;
  uint32_t *data;
};

/* Ancillary chunks (text, ICC profiles) are never needed: cap what libspng
 * may buffer for them so a hostile file cannot make it allocate much. */
#define MAX_CHUNK_BYTES ((size_t)1 << 24)
#define MAX_CHUNK_CACHE ((size_t)1 << 26)

/* The packing runs over every pixel of every image (it was a third of the
 * p2c-v1 run's instructions), so two pixels are packed at once: 8 bytes from
 * pixel x on, read as a little-endian word w, hold pixel x in bits 0-23 and
 * pixel x + 1 in bits 24-47, and (w & lo) | (w << 8 & hi) is the two ids as a
 * little-endian pair. SSE2 does two such pairs per step. Each load of 8 bytes
 * starts 6 bytes before the next pair, so the loops stop while 8 bytes are
 * still in the row. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define P2CI_PACK_LE 1
#else
#define P2CI_PACK_LE 0
#endif

static void pack_rgb(uint32_t *dst, const unsigned char *p, size_t n)
{
  size_t x = 0;
#if P2CI_PACK_LE && defined(__SSE2__)
  const __m128i lo4 = _mm_set1_epi64x(0xFFFFFF), hi4 = _mm_set1_epi64x(0xFFFFFFll << 32);
  for (; x + 5 <= n; x += 4, p += 12) {
    __m128i w = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(const void *)p),
                                   _mm_loadl_epi64((const __m128i *)(const void *)(p + 6)));
    w = _mm_or_si128(_mm_and_si128(w, lo4), _mm_and_si128(_mm_slli_epi64(w, 8), hi4));
    _mm_storeu_si128((__m128i *)(void *)(dst + x), w);
  }
#endif
#if P2CI_PACK_LE
  const uint64_t lo = 0xFFFFFFull, hi = 0xFFFFFFull << 32;
  for (; x + 3 <= n; x += 2, p += 6) {
    uint64_t w;
    memcpy(&w, p, 8);
    w = (w & lo) | (w << 8 & hi);
    memcpy(dst + x, &w, 8);
  }
#endif
  for (; x < n; x++, p += 3)
    dst[x] = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

static void pack_rgba(uint32_t *dst, const unsigned char *p, size_t n)
{
  for (size_t x = 0; x < n; x++, p += 4)
    dst[x] = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

static const char *layout_problem(const struct spng_ihdr *h)
{
  switch (h->color_type) {
  case SPNG_COLOR_TYPE_GRAYSCALE: return "a grayscale PNG";
  case SPNG_COLOR_TYPE_INDEXED: return "a palette PNG";
  case SPNG_COLOR_TYPE_GRAYSCALE_ALPHA: return "a grayscale+alpha PNG";
  case SPNG_COLOR_TYPE_TRUECOLOR:
  case SPNG_COLOR_TYPE_TRUECOLOR_ALPHA: return h->bit_depth == 8 ? NULL : "a 16-bit PNG";
  default: return "a PNG of unknown color type";
  }
}

static int decode(const char *name, spng_ctx *ctx, const unsigned char *data, size_t len,
                  p2c_idmap **out, p2c_error *err)
{
  struct spng_ihdr ihdr;
  int r;
  spng_set_image_limits(ctx, (uint32_t)P2C_IDMAP_MAX_PIXELS, (uint32_t)P2C_IDMAP_MAX_PIXELS);
  spng_set_chunk_limits(ctx, MAX_CHUNK_BYTES, MAX_CHUNK_CACHE);
  if ((r = spng_set_png_buffer(ctx, data, len)) != 0 || (r = spng_get_ihdr(ctx, &ihdr)) != 0) {
    if (r == SPNG_EUSER_WIDTH || r == SPNG_EUSER_HEIGHT)
      return p2ci_error(err, P2C_ERR_LIMIT, "%s: PNG larger than the limit of %lld pixels", name,
                        (long long)P2C_IDMAP_MAX_PIXELS);
    return p2ci_error(err, P2C_ERR_PARSE, "%s: not a valid PNG (%s)", name, spng_strerror(r));
  }
  const char *bad = layout_problem(&ihdr);
  if (bad)
    return p2ci_error(err, P2C_ERR_PARSE,
                      "%s: %s; id PNGs must be 8-bit RGB or RGBA (id = R + 256 G + 65536 B)", name, bad);
  uint64_t pixels = (uint64_t)ihdr.width * ihdr.height;
  if (pixels > (uint64_t)P2C_IDMAP_MAX_PIXELS)
    return p2ci_error(err, P2C_ERR_LIMIT, "%s: %ux%u PNG is larger than the limit of %lld pixels",
                      name, ihdr.width, ihdr.height, (long long)P2C_IDMAP_MAX_PIXELS);
  size_t w = ihdr.width, h = ihdr.height;
  size_t channels = ihdr.color_type == SPNG_COLOR_TYPE_TRUECOLOR ? 3 : 4;
  void (*pack)(uint32_t *, const unsigned char *, size_t) = channels == 3 ? pack_rgb : pack_rgba;
  /* Deflate expands at most 1032:1 (RFC 1951: 258 bytes per 2-bit code), so
   * a file too short to hold its rows is truncated: refuse it before
   * allocating the id map (a 60-byte file may declare 16384x16384 pixels). */
  uint64_t rows_bytes = (uint64_t)h * (1 + (uint64_t)w * channels);
  if (rows_bytes / 1032 > len)
    return p2ci_error(err, P2C_ERR_PARSE,
                      "%s: truncated PNG (%zux%zu pixels cannot fit in %zu bytes)", name, w, h, len);

  p2c_idmap *map = calloc(1, sizeof *map);
  uint32_t *ids = p2ci_malloc_array(w * h, sizeof *ids);
  unsigned char *buf = NULL;
  if (!map || !ids) goto nomem;
  if (ihdr.interlace_method == SPNG_INTERLACE_NONE) {
    buf = malloc(w * channels);
    if (!buf) goto nomem;
    r = spng_decode_image(ctx, NULL, 0, SPNG_FMT_PNG, SPNG_DECODE_PROGRESSIVE);
    for (size_t y = 0; r == 0 && y < h; y++) {
      r = spng_decode_row(ctx, buf, w * channels);
      if (r == 0 || r == SPNG_EOI) pack(ids + y * w, buf, w);
      if (r == SPNG_EOI && y + 1 == h) r = 0;
    }
  } else { /* Adam7: rows arrive pass by pass; decode whole, then pack. */
    size_t size = 0;
    r = spng_decoded_image_size(ctx, SPNG_FMT_PNG, &size);
    if (r == 0) {
      buf = malloc(size ? size : 1);
      if (!buf) goto nomem;
      r = spng_decode_image(ctx, buf, size, SPNG_FMT_PNG, 0);
      if (r == 0)
        for (size_t y = 0; y < h; y++) pack(ids + y * w, buf + y * w * channels, w);
    }
  }
  free(buf);
  if (r != 0) {
    free(ids);
    free(map);
    return p2ci_error(err, P2C_ERR_PARSE, "%s: corrupt or truncated PNG (%s)", name, spng_strerror(r));
  }
  map->width = (int)w;
  map->height = (int)h;
  map->data = ids;
  *out = map;
  return P2C_OK;
nomem:
  free(buf);
  free(ids);
  free(map);
  return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory for a %zux%zu id map", name, w, h);
}

int p2ci_idmap_decode(const char *name, const unsigned char *data, size_t len, p2c_idmap **out,
                      p2c_error *err)
{
  /* The zlib Adler-32 of the decompressed rows is not checked: the chunk
   * CRC-32s, which libspng still verifies, already cover every compressed
   * byte, and Adler-32 over ~1 MB of rows per image was 40% of the PQ run's
   * CPU time (bench/bench_pq.c). */
  spng_ctx *ctx = spng_ctx_new(SPNG_CTX_IGNORE_ADLER32);
  if (!ctx) return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", name);
  int rc = decode(name, ctx, data, len, out, err);
  spng_ctx_free(ctx);
  return rc;
}

/* The whole file in memory: libspng decodes a buffer faster than a FILE *. */
static int read_png_file(const char *path, unsigned char **data, size_t *len, p2c_error *err)
{
  struct stat st;
  FILE *f = fopen(path, "rb");
  if (!f) return p2ci_error(err, P2C_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
    fclose(f);
    return p2ci_error(err, P2C_ERR_IO, "%s: is a directory, expected a PNG file", path);
  }
  if ((uint64_t)st.st_size > (uint64_t)P2CI_MAX_FILE_BYTES) {
    fclose(f);
    return p2ci_error(err, P2C_ERR_LIMIT, "%s: larger than the limit of %zu bytes", path,
                      P2CI_MAX_FILE_BYTES);
  }
  size_t n = (size_t)st.st_size;
  unsigned char *buf = malloc(n ? n : 1);
  if (!buf) {
    fclose(f);
    return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  }
  size_t got = fread(buf, 1, n, f);
  int failed = ferror(f);
  fclose(f);
  if (failed || got != n) {
    free(buf);
    return p2ci_error(err, P2C_ERR_IO, "%s: read error", path);
  }
  *data = buf;
  *len = n;
  return P2C_OK;
}

int p2c_idmap_read_png(const char *path, p2c_idmap **out, p2c_error *err)
{
  if (out) *out = NULL;
  if (!path || !out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "idmap_read_png: NULL argument");
  unsigned char *data = NULL;
  size_t len = 0;
  int rc = read_png_file(path, &data, &len, err);
  if (rc != P2C_OK) return rc;
  if (len == 0) {
    free(data);
    return p2ci_error(err, P2C_ERR_PARSE, "%s: empty file, expected a PNG", path);
  }
  rc = p2ci_idmap_decode(path, data, len, out, err);
  free(data);
  return rc;
}

int p2c_dataset_read_idmap(const p2c_dataset *ds, size_t image_index, p2c_idmap **out,
                           p2c_error *err)
{
  if (out) *out = NULL;
  if (!ds || !out || image_index >= ds->num_images)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "dataset_read_idmap: bad argument");
  const p2ci_image *im = &ds->images[image_index];
  p2c_error local;
  p2c_error *e = err ? err : &local;
  int rc;
  if (im->png_name == P2CI_NO_STRING) {
    rc = p2ci_error(e, P2C_ERR_NOT_FOUND, "%s: image %lld: no entry in annotations[], so no PNG",
                    ds->path, (long long)im->id);
  } else {
    const char *name = ds->pool + im->png_name;
    size_t n = strlen(ds->png_dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
    snprintf(path, n, "%s/%s", ds->png_dir, name);
    rc = p2c_idmap_read_png(path, out, e);
    free(path);
  }
  /* Documented as not thread-safe: only when the caller passes no err. */
  if (rc != P2C_OK && !err) p2ci_error_copy(&((p2c_dataset *)ds)->last_error, &local);
  return rc;
}

void p2c_idmap_free(p2c_idmap *map)
{
  if (!map) return;
  free(map->data);
  free(map);
}

int p2c_idmap_width(const p2c_idmap *map) { return map ? map->width : 0; }
int p2c_idmap_height(const p2c_idmap *map) { return map ? map->height : 0; }
const uint32_t *p2c_idmap_data(const p2c_idmap *map) { return map ? map->data : NULL; }

int p2c_idmap_write_png(const char *path, const uint32_t *ids, int width, int height, p2c_error *err)
{
  if (!path || !ids || width <= 0 || height <= 0)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "idmap_write_png: bad argument");
  if ((int64_t)width * height > P2C_IDMAP_MAX_PIXELS)
    return p2ci_error(err, P2C_ERR_LIMIT, "%s: %dx%d is larger than the limit of %lld pixels", path,
                      width, height, (long long)P2C_IDMAP_MAX_PIXELS);
  size_t n = (size_t)width * (size_t)height;
  for (size_t i = 0; i < n; i++)
    if (ids[i] > 0xFFFFFFu)
      return p2ci_error(err, P2C_ERR_INVALID_ARG, "%s: id %lu at pixel %zu does not fit in RGB (max 16777215)",
                        path, (unsigned long)ids[i], i);
  unsigned char *rgb = p2ci_malloc_array(n, 3);
  if (!rgb) return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  for (size_t i = 0; i < n; i++) {
    rgb[3 * i] = (unsigned char)(ids[i] & 0xFF);
    rgb[3 * i + 1] = (unsigned char)(ids[i] >> 8 & 0xFF);
    rgb[3 * i + 2] = (unsigned char)(ids[i] >> 16 & 0xFF);
  }
  int rc = p2ci_png_write_rgb8(path, rgb, width, height, P2CI_PNG_LEVEL_DEFAULT, 1, err);
  free(rgb);
  return rc;
}
