/* p2c-eval to-instances PRED.json OUT.json: rewrite a panoptic prediction
 * (JSON + id PNGs) as instance-format predictions, one COCO RLE per segment,
 * the format dense-captioning models emit and `pq --instances` reads. */
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

static int convert(const p2c_dataset *ds, p2c_cli_buf *b, p2c_error *err)
{
  int first = 1, rc = P2C_OK;
  p2c_cli_buf_puts(b, "[");
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
      p2c_cli_buf_printf(b, "%s\n{\"image_id\": %lld, \"category_id\": %lld, \"id\": %lld, ",
                         first ? "" : ",", (long long)ii.id, (long long)si.category_id, (long long)si.id);
      p2c_cli_buf_puts(b, "\"segmentation\": {\"size\": ");
      p2c_cli_buf_printf(b, "[%d, %d], \"counts\": ", h, w);
      p2c_cli_buf_json_string(b, str);
      p2c_cli_buf_puts(b, "}");
      if (si.has_score) p2c_cli_buf_printf(b, ", \"score\": %.17g", si.score);
      if (si.caption_kind == P2C_CAPTION_STRING) {
        p2c_cli_buf_puts(b, ", \"caption\": ");
        p2c_cli_buf_json_string(b, si.caption);
      }
      p2c_cli_buf_puts(b, "}");
      first = 0;
      free(str);
      p2c_rle_free(r);
    }
    free(bytes);
    p2c_idmap_free(m);
  }
  p2c_cli_buf_puts(b, "\n]\n");
  if (rc == P2C_ERR_NOMEM || b->oom) {
    err->code = P2C_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
    return P2C_ERR_NOMEM;
  }
  return rc;
}

int p2c_cmd_to_instances(int argc, char **argv)
{
  const char *paths[2] = {NULL, NULL}, *pred_dir = NULL;
  const p2c_cli_option options[] = {P2C_CLI_STRING("--pred-dir", &pred_dir), P2C_CLI_END};
  const p2c_cli_command cmd = {.name = "to-instances", .options = options, .usage = usage,
                               .operands = paths, .min_operands = 2, .max_operands = 2,
                               .operands_help = "PRED.json and OUT.json"};
  int parsed = p2c_cli_parse(&cmd, argc, argv, NULL);
  if (parsed != P2C_CLI_RUN) return parsed;
  p2c_error err = {0, ""};
  p2c_dataset *ds = NULL;
  p2c_load_options lo = P2C_LOAD_OPTIONS_INIT;
  lo.kind = P2C_DATASET_PRED;
  lo.png_dir = pred_dir;
  int rc = p2c_dataset_load(paths[0], &lo, &ds, &err);
  p2c_cli_buf b = {NULL, 0, 0, 0};
  if (rc == P2C_OK) rc = convert(ds, &b, &err);
  int code = rc == P2C_OK ? p2c_cli_buf_write(&b, paths[1]) : p2c_cli_report(&err);
  free(b.p);
  p2c_dataset_free(ds);
  return code;
}
