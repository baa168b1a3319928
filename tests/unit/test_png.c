/* Id PNGs: the parity PNGs against their JSON, round trips, and every kind of
 * PNG that must be rejected (written here with libspng's encoder). */
#include <spng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "io/dataset.h"
#include "p2ceval.h"
#include "testutil.h"

/* Encode pixels of any PNG layout with libspng; returns a malloc'd buffer. */
static void *encode(uint32_t w, uint32_t h, int color, int depth, int interlace, const void *pixels,
                    size_t len, size_t *out_len)
{
  spng_ctx *ctx = spng_ctx_new(SPNG_CTX_ENCODER);
  ck_assert_ptr_nonnull(ctx);
  struct spng_ihdr ihdr = {0};
  ihdr.width = w;
  ihdr.height = h;
  ihdr.bit_depth = (uint8_t)depth;
  ihdr.color_type = (uint8_t)color;
  ihdr.interlace_method = (uint8_t)interlace;
  ck_assert_int_eq(spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1), 0);
  ck_assert_int_eq(spng_set_ihdr(ctx, &ihdr), 0);
  if (color == SPNG_COLOR_TYPE_INDEXED) {
    struct spng_plte plte = {0};
    plte.n_entries = 2;
    plte.entries[1].red = 255;
    ck_assert_int_eq(spng_set_plte(ctx, &plte), 0);
  }
  int r = spng_encode_image(ctx, pixels, len, SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE);
  if (r) ck_abort_msg("spng_encode_image: %s", spng_strerror(r));
  void *png = spng_get_png_buffer(ctx, out_len, &r);
  ck_assert_ptr_nonnull(png);
  spng_ctx_free(ctx);
  return png;
}

static int read_expect(const char *path, int code, const char *substring)
{
  p2c_idmap *map = NULL;
  p2c_error e;
  int rc = p2c_idmap_read_png(path, &map, &e);
  if (rc != code || (code != P2C_OK && (!strstr(e.message, substring) || strncmp(e.message, path, strlen(path)))))
    ck_abort_msg("%s: got %d '%s', expected %d '%s'", path, rc, rc ? e.message : "", code, substring);
  if (code != P2C_OK) ck_assert_ptr_null(map);
  p2c_idmap_free(map);
  return rc;
}

/* Pixel counts of every JSON segment against its PNG; returns the number of
 * segments whose count differs from the JSON area, and checks that every
 * non-zero id of the PNG is listed in the JSON unless allowed. */
static size_t area_mismatches(const char *rel, int kind, size_t *checked, size_t *unlisted)
{
  p2c_load_options o = P2C_LOAD_OPTIONS_INIT;
  o.kind = kind;
  p2c_dataset *ds;
  p2c_error e;
  if (p2c_dataset_load(p2ct_parity(rel), &o, &ds, &e) != P2C_OK) ck_abort_msg("%s", e.message);
  size_t bad = 0;
  static uint32_t counts[1 << 24]; /* ids are 24-bit */
  for (size_t i = 0; i < p2c_dataset_num_images(ds); i++) {
    p2c_image_info im;
    p2c_dataset_image(ds, i, &im);
    if (!im.png_name) continue;
    p2c_idmap *map;
    if (p2c_dataset_read_idmap(ds, i, &map, &e) != P2C_OK) {
      if (im.id == 999999) continue; /* edge: a prediction without a GT image or PNG */
      ck_abort_msg("%s", e.message);
    }
    if (im.width) {
      ck_assert_int_eq(p2c_idmap_width(map), im.width);
      ck_assert_int_eq(p2c_idmap_height(map), im.height);
    }
    const uint32_t *ids = p2c_idmap_data(map);
    size_t n = (size_t)p2c_idmap_width(map) * (size_t)p2c_idmap_height(map);
    for (size_t k = 0; k < n; k++) counts[ids[k]]++;
    for (size_t k = 0; k < im.num_segments; k++) {
      p2c_segment_info s;
      p2c_dataset_segment(ds, i, k, &s);
      if (s.area >= 0) {
        (*checked)++;
        bad += (int64_t)counts[s.id] != s.area;
      }
      counts[s.id] = 0;
    }
    for (size_t k = 0; k < n; k++)
      if (ids[k] && counts[ids[k]]) {
        (*unlisted)++;
        counts[ids[k]] = 0;
      }
    counts[0] = 0;
    p2c_idmap_free(map);
  }
  p2c_dataset_free(ds);
  return bad;
}

START_TEST(parity_pngs_match_their_json)
{
  if (!p2ct_parity("panoptic")) {
    p2ct_skip("parity_pngs_match_their_json");
    return;
  }
  /* The COCO sample: panopticapi's identity run gives IoU exactly 1 for every
   * segment, so every JSON area is its PNG pixel count. */
  static const struct {
    const char *rel;
    int kind;
    size_t mismatches, unlisted;
  } sets[] = {
      {"panoptic/panopticapi_sample/inputs/gt/panoptic_examples.json", P2C_DATASET_GT, 0, 0},
      {"panoptic/small/inputs/gt.json", P2C_DATASET_GT, 0, 0},
      {"panoptic/small/inputs/pred.json", P2C_DATASET_PRED, 0, 0},
      {"panoptic/medium/inputs/gt.json", P2C_DATASET_GT, 0, 0},
      {"panoptic/medium/inputs/pred.json", P2C_DATASET_PRED, 0, 0},
      {"panoptic/chunkdrop/inputs/gt.json", P2C_DATASET_GT, 0, 0},
      {"panoptic/chunkdrop/inputs/pred.json", P2C_DATASET_PRED, 0, 0},
      /* edge image 100148 "json_area_and_unlisted_ids": one wrong area, one
       * segment absent from the PNG, one PNG id absent from the JSON */
      {"panoptic/edge/inputs/gt.json", P2C_DATASET_GT, 2, 1},
      /* edge: one prediction with a wrong JSON area (PQ uses the PNG count
       * of predictions, as panopticapi) */
      {"panoptic/edge/inputs/pred.json", P2C_DATASET_PRED, 1, 0},
  };
  size_t total = 0;
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
    size_t checked = 0, unlisted = 0;
    size_t bad = area_mismatches(sets[i].rel, sets[i].kind, &checked, &unlisted);
    if (bad != sets[i].mismatches || unlisted != sets[i].unlisted)
      ck_abort_msg("%s: %zu area mismatches, %zu unlisted ids", sets[i].rel, bad, unlisted);
    total += checked;
  }
  printf("%zu JSON areas checked against PNG pixel counts\n", total);
}
END_TEST

START_TEST(coco_pixels)
{
  const char *dir = p2ct_parity("panoptic/panopticapi_sample/inputs/gt/panoptic_examples/000000439180.png");
  if (!dir) {
    p2ct_skip("coco_pixels");
    return;
  }
  p2c_idmap *map;
  p2c_error e;
  ck_assert_int_eq(p2c_idmap_read_png(dir, &map, &e), P2C_OK);
  ck_assert_int_eq(p2c_idmap_width(map), 640);
  ck_assert_int_eq(p2c_idmap_height(map), 360);
  /* the sky-ish tree-merged segment 2330219 has bbox [0, 0, 640, 243] */
  const uint32_t *ids = p2c_idmap_data(map);
  ck_assert_uint_eq(ids[0], 2330219);
  size_t in_box = 0, outside = 0;
  for (int y = 0; y < 360; y++)
    for (int x = 0; x < 640; x++)
      if (ids[y * 640 + x] == 2330219) {
        if (y < 243) in_box++;
        else outside++;
      }
  ck_assert_uint_eq(in_box, 91045); /* its JSON area */
  ck_assert_uint_eq(outside, 0);
  p2c_idmap_free(map);
}
END_TEST

START_TEST(round_trip_and_rgba)
{
  p2ct_tmpdir_make();
  enum { W = 37, H = 23 };
  static uint32_t ids[W * H];
  uint32_t x = 12345;
  for (size_t i = 0; i < W * H; i++) {
    x = x * 1103515245u + 12345u;
    ids[i] = (i % 7 == 0) ? 0 : (x >> 8) & 0xFFFFFF;
  }
  ids[1] = 0xFFFFFF;
  p2c_error e;
  const char *path = p2ct_tmp_path("ids.png");
  ck_assert_int_eq(p2c_idmap_write_png(path, ids, W, H, &e), P2C_OK);
  p2c_idmap *map;
  ck_assert_int_eq(p2c_idmap_read_png(path, &map, &e), P2C_OK);
  ck_assert_int_eq(p2c_idmap_width(map), W);
  ck_assert_int_eq(p2c_idmap_height(map), H);
  ck_assert_int_eq(memcmp(p2c_idmap_data(map), ids, sizeof ids), 0);
  p2c_idmap_free(map);

  /* RGBA with arbitrary alpha: the alpha byte is ignored, as rgb2id does */
  static unsigned char rgba[W * H * 4];
  for (size_t i = 0; i < W * H; i++) {
    rgba[4 * i] = ids[i] & 0xFF;
    rgba[4 * i + 1] = ids[i] >> 8 & 0xFF;
    rgba[4 * i + 2] = ids[i] >> 16 & 0xFF;
    rgba[4 * i + 3] = (unsigned char)(i * 31);
  }
  size_t len;
  void *png = encode(W, H, SPNG_COLOR_TYPE_TRUECOLOR_ALPHA, 8, 0, rgba, sizeof rgba, &len);
  path = p2ct_tmp_path("rgba.png");
  p2ct_write_file(path, png, len);
  free(png);
  ck_assert_int_eq(p2c_idmap_read_png(path, &map, &e), P2C_OK);
  ck_assert_int_eq(memcmp(p2c_idmap_data(map), ids, sizeof ids), 0);
  p2c_idmap_free(map);

  /* Adam7-interlaced RGB */
  png = encode(W, H, SPNG_COLOR_TYPE_TRUECOLOR, 8, 1, rgba, (size_t)W * H * 3, &len);
  path = p2ct_tmp_path("interlaced.png");
  p2ct_write_file(path, png, len);
  free(png);
  ck_assert_int_eq(p2c_idmap_read_png(path, &map, &e), P2C_OK);
  const uint32_t *got = p2c_idmap_data(map);
  for (size_t i = 0; i < W * H; i++) {
    const unsigned char *p = rgba + 3 * i;
    ck_assert_uint_eq(got[i], (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16);
  }
  p2c_idmap_free(map);

  ck_assert_int_eq(p2c_idmap_write_png(path, ids, 0, H, &e), P2C_ERR_INVALID_ARG);
  ids[5] = 1u << 24;
  ck_assert_int_eq(p2c_idmap_write_png(path, ids, W, H, &e), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_nonnull(strstr(e.message, "id 16777216 at pixel 5 does not fit in RGB"));
  ck_assert_int_eq(p2c_idmap_write_png("/nonexistent/x.png", ids, 1, 1, &e), P2C_ERR_IO);
  p2c_idmap_free(NULL);
  ck_assert_ptr_null(p2c_idmap_data(NULL));
  p2ct_tmpdir_remove();
}
END_TEST

/* A PNG holding only its signature and an IHDR chunk of the given size. */
static void write_header_only(const char *path, uint32_t w, uint32_t h)
{
  unsigned char b[8 + 25] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  unsigned char *d = b + 16;
  for (int i = 0; i < 4; i++) {
    d[i] = (unsigned char)(w >> (24 - 8 * i));
    d[4 + i] = (unsigned char)(h >> (24 - 8 * i));
  }
  d[8] = 8;  /* bit depth */
  d[9] = 2;  /* RGB */
  d[10] = d[11] = d[12] = 0;
  uLong crc = crc32(0, b + 12, 17);
  for (int i = 0; i < 4; i++) b[29 + i] = (unsigned char)(crc >> (24 - 8 * i));
  p2ct_write_file(path, b, sizeof b);
}

START_TEST(rejected_pngs)
{
  p2ct_tmpdir_make();
  static unsigned char px[16 * 16 * 8];
  for (size_t i = 0; i < sizeof px; i++) px[i] = (unsigned char)(i * 7);
  size_t len;
  void *png;
  static const struct {
    const char *name;
    int color, depth;
    size_t bytes;
    const char *message;
  } layouts[] = {
      {"gray.png", SPNG_COLOR_TYPE_GRAYSCALE, 8, 16 * 16, "a grayscale PNG; id PNGs must be 8-bit RGB or RGBA"},
      {"gray_alpha.png", SPNG_COLOR_TYPE_GRAYSCALE_ALPHA, 8, 16 * 16 * 2, "a grayscale+alpha PNG"},
      {"palette.png", SPNG_COLOR_TYPE_INDEXED, 8, 16 * 16, "a palette PNG"},
      {"rgb16.png", SPNG_COLOR_TYPE_TRUECOLOR, 16, 16 * 16 * 6, "a 16-bit PNG"},
      {"rgba16.png", SPNG_COLOR_TYPE_TRUECOLOR_ALPHA, 16, 16 * 16 * 8, "a 16-bit PNG"},
  };
  for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
    for (size_t k = 0; k < 256 && layouts[i].color == SPNG_COLOR_TYPE_INDEXED; k++) px[k] = k & 1;
    png = encode(16, 16, layouts[i].color, layouts[i].depth, 0, px, layouts[i].bytes, &len);
    p2ct_write_file(p2ct_tmp_path(layouts[i].name), png, len);
    free(png);
    read_expect(p2ct_tmp_path(layouts[i].name), P2C_ERR_PARSE, layouts[i].message);
  }

  /* truncated and corrupt copies of a good PNG */
  for (size_t i = 0; i < sizeof px; i++) px[i] = (unsigned char)(i * 13 + (i >> 5));
  png = encode(16, 16, SPNG_COLOR_TYPE_TRUECOLOR, 8, 0, px, 16 * 16 * 3, &len);
  p2ct_write_file(p2ct_tmp_path("good.png"), png, len);
  read_expect(p2ct_tmp_path("good.png"), P2C_OK, "");
  p2ct_write_file(p2ct_tmp_path("truncated.png"), png, len / 2);
  read_expect(p2ct_tmp_path("truncated.png"), P2C_ERR_PARSE, "corrupt or truncated PNG");
  p2ct_write_file(p2ct_tmp_path("header_only.png"), png, 40);
  read_expect(p2ct_tmp_path("header_only.png"), P2C_ERR_PARSE, "corrupt or truncated PNG");
  unsigned char *bad = malloc(len);
  memcpy(bad, png, len);
  bad[len / 2] ^= 0x55; /* inside IDAT: the chunk CRC no longer matches */
  p2ct_write_file(p2ct_tmp_path("corrupt.png"), bad, len);
  read_expect(p2ct_tmp_path("corrupt.png"), P2C_ERR_PARSE, "corrupt or truncated PNG");
  memcpy(bad, png, len);
  bad[0] = 'X';
  p2ct_write_file(p2ct_tmp_path("signature.png"), bad, len);
  read_expect(p2ct_tmp_path("signature.png"), P2C_ERR_PARSE, "not a valid PNG");
  free(bad);
  free(png);
  p2ct_write_file(p2ct_tmp_path("text.png"), "hello, world", 12);
  read_expect(p2ct_tmp_path("text.png"), P2C_ERR_PARSE, "not a valid PNG");
  p2ct_write_file(p2ct_tmp_path("empty.png"), "", 0);
  read_expect(p2ct_tmp_path("empty.png"), P2C_ERR_PARSE, "empty file, expected a PNG");

  /* decompression bombs: the header alone announces the size */
  write_header_only(p2ct_tmp_path("bomb.png"), 20000, 20000);
  read_expect(p2ct_tmp_path("bomb.png"), P2C_ERR_LIMIT, "20000x20000 PNG is larger than the limit of 268435456 pixels");
  write_header_only(p2ct_tmp_path("wide.png"), 1u << 30, 1);
  read_expect(p2ct_tmp_path("wide.png"), P2C_ERR_LIMIT, "PNG larger than the limit of 268435456 pixels");

  /* files that are not there or not files */
  read_expect(p2ct_tmp_path("missing.png"), P2C_ERR_IO, "cannot open: No such file or directory");
  mkdir(p2ct_tmp_path("dir.png"), 0700);
  read_expect(p2ct_tmp_path("dir.png"), P2C_ERR_IO, "is a directory, expected a PNG file");
  p2c_idmap *map = NULL;
  ck_assert_int_eq(p2c_idmap_read_png(NULL, &map, NULL), P2C_ERR_INVALID_ARG);
  p2ct_tmpdir_remove();
}
END_TEST

/* Deterministic mutation fuzzing of a real PNG: flipped bytes, truncations,
 * inserted garbage. Every outcome must be a decoded map or a clean error
 * naming the file (the sanitizer builds run this too). */
START_TEST(mutated_pngs_never_crash)
{
  p2ct_tmpdir_make();
  enum { W = 24, H = 17 };
  static uint32_t ids[W * H];
  for (size_t i = 0; i < W * H; i++) ids[i] = (uint32_t)((i / 37) * 99991u) & 0xFFFFFF;
  p2c_error e;
  const char *path = p2ct_tmp_path("base.png");
  ck_assert_int_eq(p2c_idmap_write_png(path, ids, W, H, &e), P2C_OK);
  FILE *f = fopen(path, "rb");
  static unsigned char base[1 << 16], buf[1 << 16];
  size_t len = fread(base, 1, sizeof base, f);
  fclose(f);
  uint32_t x = 2463534242u;
  size_t ok = 0, rejected = 0;
  for (int round = 0; round < 3000; round++) {
    memcpy(buf, base, len);
    size_t n = len;
    int edits = 1 + round % 4;
    for (int k = 0; k < edits; k++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      size_t at = x % n;
      switch ((x >> 24) % 3) {
      case 0: buf[at] ^= (unsigned char)(1u << (x >> 8) % 8); break;
      case 1: n = at + 1; break;
      default: buf[at] = (unsigned char)(x >> 16); break;
      }
    }
    /* decoded from memory: the file layer is tested above */
    p2c_idmap *map = NULL;
    int rc = p2ci_idmap_decode("mutant.png", buf, n, &map, &e);
    if (rc == P2C_OK) {
      ck_assert_int_eq(p2c_idmap_width(map) * p2c_idmap_height(map) > 0, 1);
      p2c_idmap_free(map);
      ok++;
    } else {
      ck_assert_ptr_null(map);
      ck_assert(rc == P2C_ERR_PARSE || rc == P2C_ERR_LIMIT || rc == P2C_ERR_NOMEM);
      ck_assert_int_eq(strncmp(e.message, "mutant.png: ", 12), 0);
      rejected++;
    }
  }
  printf("mutated PNGs: %zu decoded, %zu rejected cleanly\n", ok, rejected);
  ck_assert_uint_gt(rejected, 2000);
  p2ct_tmpdir_remove();
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("png");
  TCase *tc = tcase_create("png");
  tcase_set_timeout(tc, 300); /* sanitizer builds on a loaded machine */
  tcase_add_test(tc, parity_pngs_match_their_json);
  tcase_add_test(tc, coco_pixels);
  tcase_add_test(tc, round_trip_and_rgba);
  tcase_add_test(tc, rejected_pngs);
  tcase_add_test(tc, mutated_pngs_never_crash);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
