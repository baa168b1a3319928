/* p2c-ref: run the compact reference model (reference-model/) on 64x64 RGB
 * images and write a prediction that p2c-eval scores. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define DEFAULT_WEIGHTS "reference-model/weights.safetensors"
#define MAX_THREADS 64

static void usage(FILE *out)
{
  fprintf(out,
          "usage: p2c-ref IMAGES.json IMAGES_DIR --out OUT_DIR [--weights FILE] [--threads N]\n"
          "\n"
          "Segments and captions every image of IMAGES.json (images[]: id, file_name; a\n"
          "ground-truth file works) with the reference model and writes OUT_DIR/pred.json\n"
          "and OUT_DIR/pred/*.png, the prediction format p2c-eval scores. Images are\n"
          "64x64 RGB PNGs in IMAGES_DIR: file_name, or its stem with .png (p2c-synth --rgb\n"
          "names images X.jpg and writes X.png). The output does not depend on N.\n"
          "\n"
          "  --out DIR       output folder (created if missing)\n"
          "  --weights FILE  safetensors weights (default " DEFAULT_WEIGHTS ")\n"
          "  --threads N     worker threads, 1..64 (default 1)\n");
}

typedef struct job {
  const p2c_refmodel *model;
  const p2c_dataset *ds;
  const char *images_dir, *out_dir;
  size_t n;
  int thread, threads;
  p2c_refmodel_result **results;
  char **png_names;
  p2c_error err; /* the first failure of this thread */
  int rc;
} job;

/* "dir/stem.png" for an image file name "x/stem.ext". */
static char *path_with_png(const char *dir, const char *file_name)
{
  const char *base = strrchr(file_name, '/');
  base = base ? base + 1 : file_name;
  const char *dot = strrchr(base, '.');
  size_t stem = dot ? (size_t)(dot - base) : strlen(base);
  size_t n = strlen(dir) + stem + 6;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%.*s.png", dir, (int)stem, base);
  return p;
}

static int read_rgb(const char *path, const char *alt, uint8_t *rgb, int size, p2c_error *err)
{
  p2c_idmap *map = NULL;
  struct stat sb;
  const char *use = (stat(path, &sb) == 0 || !alt) ? path : alt;
  int rc = p2c_idmap_read_png(use, &map, err);
  if (rc) return rc;
  if (p2c_idmap_width(map) != size || p2c_idmap_height(map) != size) {
    err->code = P2C_ERR_UNSUPPORTED;
    snprintf(err->message, sizeof err->message, "%s: %dx%d image; the reference model takes %dx%d",
             use, p2c_idmap_width(map), p2c_idmap_height(map), size, size);
    p2c_idmap_free(map);
    return P2C_ERR_UNSUPPORTED;
  }
  const uint32_t *ids = p2c_idmap_data(map);
  for (int p = 0; p < size * size; p++) {
    rgb[3 * p] = (uint8_t)(ids[p] & 255);
    rgb[3 * p + 1] = (uint8_t)((ids[p] >> 8) & 255);
    rgb[3 * p + 2] = (uint8_t)((ids[p] >> 16) & 255);
  }
  p2c_idmap_free(map);
  return P2C_OK;
}

static void *worker(void *arg)
{
  job *j = arg;
  int size = p2c_refmodel_input_size(j->model);
  uint8_t *rgb = malloc((size_t)size * size * 3);
  if (!rgb) {
    j->rc = j->err.code = P2C_ERR_NOMEM;
    snprintf(j->err.message, sizeof j->err.message, "out of memory");
    return NULL;
  }
  for (size_t i = (size_t)j->thread; i < j->n; i += (size_t)j->threads) {
    p2c_image_info im;
    int rc = p2c_dataset_image(j->ds, i, &im);
    char *given = NULL, *png = NULL;
    /* an annotation whose image is not in images[] has no file name: not an input */
    if (!rc && (!im.file_name || !im.file_name[0])) continue;
    if (!rc) {
      size_t n = strlen(j->images_dir) + strlen(im.file_name) + 2;
      given = malloc(n);
      png = path_with_png(j->images_dir, im.file_name);
      j->png_names[i] = path_with_png("", im.file_name); /* "/stem.png" */
      if (!given || !png || !j->png_names[i]) {
        rc = j->err.code = P2C_ERR_NOMEM;
        snprintf(j->err.message, sizeof j->err.message, "out of memory");
      } else {
        snprintf(given, n, "%s/%s", j->images_dir, im.file_name);
      }
    }
    if (!rc) rc = read_rgb(given, png, rgb, size, &j->err);
    if (!rc) rc = p2c_refmodel_predict(j->model, rgb, size, size, &j->results[i], &j->err);
    if (!rc) {
      size_t n = strlen(j->out_dir) + strlen(j->png_names[i]) + 8;
      char *out = malloc(n);
      if (!out) {
        rc = j->err.code = P2C_ERR_NOMEM;
        snprintf(j->err.message, sizeof j->err.message, "out of memory");
      } else {
        snprintf(out, n, "%s/pred%s", j->out_dir, j->png_names[i]);
        rc = p2c_idmap_write_png(out, p2c_refmodel_result_ids(j->results[i]), size, size, &j->err);
        free(out);
      }
    }
    free(given);
    free(png);
    if (rc) {
      j->rc = rc;
      break;
    }
  }
  free(rgb);
  return NULL;
}

static int write_json(const char *out_dir, const p2c_dataset *ds, size_t n,
                      p2c_refmodel_result *const *results, char *const *png_names)
{
  p2c_cli_buf b = {NULL, 0, 0, 0};
  p2c_cli_buf_puts(&b, "{\"annotations\": [");
  for (size_t i = 0, first = 1; i < n; i++) {
    if (!results[i]) continue;
    p2c_image_info im;
    p2c_dataset_image(ds, i, &im);
    p2c_cli_buf_printf(&b, "%s\n  {\"image_id\": %lld, \"file_name\": ", first ? "" : ",",
                       (long long)im.id);
    first = 0;
    p2c_cli_buf_json_string(&b, png_names[i] + 1);
    p2c_cli_buf_puts(&b, ", \"segments_info\": [");
    size_t ns = p2c_refmodel_result_num_segments(results[i]);
    for (size_t s = 0; s < ns; s++) {
      p2c_refmodel_segment seg;
      p2c_refmodel_result_segment(results[i], s, &seg);
      p2c_cli_buf_printf(&b,
                         "%s\n    {\"id\": %u, \"category_id\": %lld, \"score\": %.17g, \"caption\": ",
                         s ? "," : "", seg.id, (long long)seg.category_id, seg.score);
      p2c_cli_buf_json_string(&b, seg.caption);
      p2c_cli_buf_puts(&b, "}");
    }
    p2c_cli_buf_puts(&b, "]}");
  }
  p2c_cli_buf_puts(&b, "\n], \"categories\": [");
  size_t nc = p2c_dataset_num_categories(ds);
  for (size_t c = 0; c < nc; c++) {
    p2c_category_info ci;
    p2c_dataset_category(ds, c, &ci);
    p2c_cli_buf_printf(&b, "%s\n  {\"id\": %lld, \"name\": ", c ? "," : "", (long long)ci.id);
    p2c_cli_buf_json_string(&b, ci.name);
    p2c_cli_buf_printf(&b, ", \"isthing\": %d}", ci.isthing);
  }
  p2c_cli_buf_puts(&b, "\n]}\n");
  size_t pn = strlen(out_dir) + 16;
  char *path = malloc(pn);
  if (path) snprintf(path, pn, "%s/pred.json", out_dir);
  else b.oom = 1;
  int code = p2c_cli_buf_write(&b, path);
  free(path);
  return code;
}

int main(int argc, char **argv)
{
  p2c_cli_prog = "p2c-ref";
  const char *pos[2] = {NULL, NULL}, *out = NULL, *weights = DEFAULT_WEIGHTS;
  int threads = 1;
  const p2c_cli_option options[] = {
      P2C_CLI_STRING("--out", &out),
      P2C_CLI_STRING("--weights", &weights),
      P2C_CLI_INT("--threads", &threads, 1, MAX_THREADS),
      P2C_CLI_END,
  };
  const p2c_cli_command cmd = {.name = "", .options = options, .usage = usage, .operands = pos,
                               .min_operands = 2, .max_operands = 2,
                               .operands_help = "IMAGES.json IMAGES_DIR --out OUT_DIR"};
  int parsed = p2c_cli_parse(&cmd, argc, argv, NULL);
  if (parsed != P2C_CLI_RUN) return parsed;
  if (!out) return p2c_cli_usage_error(&cmd, "expected %s", cmd.operands_help);
  p2c_error err = {0};
  p2c_refmodel *model = NULL;
  p2c_dataset *ds = NULL;
  if (p2c_refmodel_load(weights, &model, &err)) return p2c_cli_report(&err);
  if (p2c_dataset_load(pos[0], NULL, &ds, &err)) {
    p2c_refmodel_free(model);
    return p2c_cli_report(&err);
  }
  size_t pn = strlen(out) + 8;
  char *pred_dir = malloc(pn);
  if (!pred_dir) {
    p2c_cli_errorf("out of memory");
    return P2C_EXIT_INTERNAL;
  }
  snprintf(pred_dir, pn, "%s/pred", out);
  if ((mkdir(out, 0777) && !(stat(out, &(struct stat){0}) == 0)) ||
      (mkdir(pred_dir, 0777) && !(stat(pred_dir, &(struct stat){0}) == 0))) {
    p2c_cli_errorf("%s: cannot create the output folder", pred_dir);
    free(pred_dir);
    p2c_dataset_free(ds);
    p2c_refmodel_free(model);
    return P2C_EXIT_INVALID;
  }
  free(pred_dir);
  size_t n = p2c_dataset_num_images(ds);
  p2c_refmodel_result **results = calloc(n ? n : 1, sizeof *results);
  char **png_names = calloc(n ? n : 1, sizeof *png_names);
  job jobs[MAX_THREADS];
  pthread_t tid[MAX_THREADS];
  int rc = P2C_EXIT_OK, created[MAX_THREADS] = {0};
  if (!results || !png_names) {
    p2c_cli_errorf("out of memory");
    rc = P2C_EXIT_INTERNAL;
  } else {
    if ((size_t)threads > n) threads = n ? (int)n : 1;
    for (int t = 0; t < threads; t++) {
      jobs[t] = (job){model, ds, pos[1], out, n, t, threads, results, png_names, {0}, 0};
      if (t > 0 && !(created[t] = pthread_create(&tid[t], NULL, worker, &jobs[t]) == 0))
        jobs[t].rc = -1;
    }
    worker(&jobs[0]);
    for (int t = 1; t < threads; t++)
      if (created[t]) pthread_join(tid[t], NULL);
    /* the first failing image in image order decides the message */
    for (int t = 0; t < threads && rc == P2C_EXIT_OK; t++)
      if (jobs[t].rc == -1) {
        p2c_cli_errorf("cannot start a thread");
        rc = P2C_EXIT_INTERNAL;
      } else if (jobs[t].rc) {
        rc = p2c_cli_report(&jobs[t].err);
      }
    if (rc == P2C_EXIT_OK) rc = write_json(out, ds, n, results, png_names);
  }
  for (size_t i = 0; results && i < n; i++) p2c_refmodel_result_free(results[i]);
  for (size_t i = 0; png_names && i < n; i++) free(png_names[i]);
  free(results);
  free(png_names);
  p2c_dataset_free(ds);
  p2c_refmodel_free(model);
  return rc;
}
