/* p2c-eval to-instances PRED.json OUT.json: rewrite a panoptic prediction
 * (JSON + id PNGs) as instance-format predictions, one COCO RLE per segment,
 * the format dense-captioning models emit and `pq --instances` reads. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static void usage(FILE *out)
{
  fprintf(out,
          "usage: p2c-eval to-instances PRED.json OUT.json [--pred-dir DIR]\n"
          "\n"
          "Writes [{\"image_id\", \"category_id\", \"id\", \"segmentation\": {\"size\": [h, w],\n"
          "\"counts\": RLE}, \"score\", \"caption\"}, ...], one entry per segment of PRED.json\n"
          "(score and caption only when present), in image and segment order.\n"
          "\n"
          "options:\n"
          "  --pred-dir DIR   folder of the PNGs (default: PRED.json without .json)\n");
}

typedef struct out_buf {
  char *p;
  size_t n, cap;
  int oom;
} out_buf;

static void add(out_buf *b, const char *s, size_t len)
{
  if (b->oom) return;
  if (b->n + len + 1 > b->cap) {
    size_t cap = (b->cap + len + 1) * 2;
    char *q = realloc(b->p, cap);
    if (!q) {
      b->oom = 1;
      return;
    }
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, len);
  b->n += len;
}

static void addf(out_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void addf(out_buf *b, const char *fmt, ...)
{
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (k > 0) add(b, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
}

/* A JSON string: quotes, backslashes and control characters escaped; other
 * bytes (UTF-8) copied. */
static void add_json_string(out_buf *b, const char *s)
{
  add(b, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      char e[2] = {'\\', (char)*p};
      add(b, e, 2);
    } else if (*p < 0x20) {
      addf(b, "\\u%04x", *p);
    } else {
      add(b, (const char *)p, 1);
    }
  }
  add(b, "\"", 1);
}

static int convert(const p2c_dataset *ds, out_buf *b, p2c_error *err)
{
  int first = 1, rc = P2C_OK;
  add(b, "[", 1);
  for (size_t i = 0; i < p2c_dataset_num_images(ds) && rc == P2C_OK; i++) {
    p2c_image_info ii;
    p2c_dataset_image(ds, i, &ii);
    if (!ii.png_name) continue;
    p2c_idmap *m = NULL;
    if ((rc = p2c_dataset_read_idmap(ds, i, &m, err))) break;
    int w = p2c_idmap_width(m), h = p2c_idmap_height(m);
    const uint32_t *ids = p2c_idmap_data(m);
    uint8_t *bytes = malloc((size_t)w * (size_t)h + 1);
    if (!bytes) rc = P2C_ERR_NOMEM;
    for (size_t s = 0; rc == P2C_OK && s < ii.num_segments; s++) {
      p2c_segment_info si;
      p2c_dataset_segment(ds, i, s, &si);
      for (size_t p = 0; p < (size_t)w * (size_t)h; p++) bytes[p] = ids[p] == (uint64_t)si.id;
      p2c_rle *r = NULL;
      if ((rc = p2c_rle_encode(bytes, h, w, P2C_MASK_ROW_MAJOR, &r, err))) break;
      size_t len = p2c_rle_to_string(r, NULL, 0);
      char *str = malloc(len + 1);
      if (!str) {
        p2c_rle_free(r);
        rc = P2C_ERR_NOMEM;
        break;
      }
      p2c_rle_to_string(r, str, len + 1);
      addf(b, "%s\n{\"image_id\": %lld, \"category_id\": %lld, \"id\": %lld, ", first ? "" : ",",
           (long long)ii.id, (long long)si.category_id, (long long)si.id);
      add(b, "\"segmentation\": {\"size\": ", 25);
      addf(b, "[%d, %d], \"counts\": ", h, w);
      add_json_string(b, str);
      add(b, "}", 1);
      if (si.has_score) addf(b, ", \"score\": %.17g", si.score);
      if (si.caption_kind == P2C_CAPTION_STRING) {
        add(b, ", \"caption\": ", 13);
        add_json_string(b, si.caption);
      }
      add(b, "}", 1);
      first = 0;
      free(str);
      p2c_rle_free(r);
    }
    free(bytes);
    p2c_idmap_free(m);
  }
  add(b, "\n]\n", 3);
  if (rc == P2C_ERR_NOMEM || b->oom) {
    err->code = P2C_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
    return P2C_ERR_NOMEM;
  }
  return rc;
}

int p2c_cmd_to_instances(int argc, char **argv)
{
  const char *paths[2] = {NULL, NULL}, *pred_dir = NULL, *v;
  int npaths = 0, bad = 0;
  for (int i = 1; i < argc && !bad; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      usage(stdout);
      return P2C_EXIT_OK;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--pred-dir", &bad))) {
      pred_dir = v;
    } else {
      p2c_cli_operand("to-instances", argv[i], paths, &npaths, &bad);
    }
  }
  p2c_cli_need_operands("to-instances", npaths, "PRED.json and OUT.json", &bad);
  if (bad) {
    usage(stderr);
    return P2C_EXIT_USAGE;
  }
  p2c_error err = {0, ""};
  p2c_dataset *ds = NULL;
  p2c_load_options lo = P2C_LOAD_OPTIONS_INIT;
  lo.kind = P2C_DATASET_PRED;
  lo.png_dir = pred_dir;
  int rc = p2c_dataset_load(paths[0], &lo, &ds, &err);
  out_buf b = {NULL, 0, 0, 0};
  if (rc == P2C_OK) rc = convert(ds, &b, &err);
  int code = P2C_EXIT_OK;
  if (rc != P2C_OK) code = p2c_cli_report(&err);
  else if (p2c_cli_write_file(paths[1], b.p, b.n) != 0) code = P2C_EXIT_INVALID;
  free(b.p);
  p2c_dataset_free(ds);
  return code;
}
