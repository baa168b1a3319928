/* p2c-eval pq GT.json PRED.json: panoptic quality, as panopticapi's
 * pq_compute (same table, same JSON structure, same bits). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli.h"
#include "commands.h"

static void usage(FILE *out)
{
  fprintf(out,
          "usage: p2c-eval pq GT.json PRED.json [options]\n"
          "\n"
          "Panoptic quality (PQ, SQ, RQ) for All, Things and Stuff, as panopticapi's\n"
          "pq_compute: prints its table; --json writes its result structure.\n"
          "\n"
          "options:\n"
          "  --gt-dir DIR     folder of the ground-truth PNGs (default: GT.json without .json)\n"
          "  --pred-dir DIR   folder of the predicted PNGs (default: PRED.json without .json)\n"
          "  --threads N      worker threads (default: all cores); the result does not depend on N\n"
          "  --json OUT       write {\"All\", \"per_class\", \"Things\", \"Stuff\"} to OUT\n"
          "  --panopticapi-processes N\n"
          "                   sum IoUs as panopticapi run with N processes does (N chunks,\n"
          "                   added chunk by chunk); default: as one process\n"
          "  --instances      PRED.json holds instance predictions ([{image_id, category_id,\n"
          "                   segmentation: RLE or polygons, score, caption}]), masks may overlap\n");
}

/* Shortest decimal that reads back to the same double, written as Python's
 * json module writes floats (so "1.0", not "1"); NaN is null. */
static void put_double(char *buf, size_t size, double v)
{
  if (!isfinite(v)) {
    snprintf(buf, size, "null");
    return;
  }
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, size, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) break;
  }
  if (!strpbrk(buf, ".en")) strncat(buf, ".0", size - strlen(buf) - 1);
}

static void put_triple(p2c_cli_buf *b, double pq, double sq, double rq)
{
  char x[40], y[40], z[40];
  put_double(x, sizeof x, pq);
  put_double(y, sizeof y, sq);
  put_double(z, sizeof z, rq);
  p2c_cli_buf_printf(b, "\"pq\": %s, \"sq\": %s, \"rq\": %s", x, y, z);
}

static const char *GROUP_NAMES[3] = {"All", "Things", "Stuff"};

static int write_json(const char *path, const p2c_pq *pq)
{
  p2c_cli_buf b = {NULL, 0, 0, 0};
  p2c_pq_summary s[3];
  for (int g = 0; g < 3; g++) p2c_pq_get_summary(pq, g, &s[g]);
  /* panopticapi's key order: All, per_class, Things, Stuff */
  p2c_cli_buf_puts(&b, "{\n  \"All\": {");
  put_triple(&b, s[0].pq, s[0].sq, s[0].rq);
  p2c_cli_buf_printf(&b, ", \"n\": %d},\n  \"per_class\": {", s[0].n);
  for (size_t i = 0; i < p2c_pq_num_classes(pq); i++) {
    p2c_pq_class c;
    p2c_pq_get_class(pq, i, &c);
    p2c_cli_buf_printf(&b, "%s\n    \"%lld\": {", i ? "," : "", (long long)c.category_id);
    put_triple(&b, c.pq, c.sq, c.rq);
    p2c_cli_buf_puts(&b, "}");
  }
  p2c_cli_buf_puts(&b, "\n  }");
  for (int g = 1; g < 3; g++) {
    p2c_cli_buf_printf(&b, ",\n  \"%s\": {", GROUP_NAMES[g]);
    put_triple(&b, s[g].pq, s[g].sq, s[g].rq);
    p2c_cli_buf_printf(&b, ", \"n\": %d}", s[g].n);
  }
  p2c_cli_buf_puts(&b, "\n}\n");
  return p2c_cli_buf_write(&b, path);
}

static void print_table(const p2c_pq *pq)
{
  /* panopticapi: "{:10s}| {:>5s}  {:>5s}  {:>5s} {:>5s}" then 38 dashes */
  printf("%-10s| %5s  %5s  %5s %5s\n", "", "PQ", "SQ", "RQ", "N");
  printf("--------------------------------------\n");
  for (int g = 0; g < 3; g++) {
    p2c_pq_summary s;
    p2c_pq_get_summary(pq, g, &s);
    printf("%-10s| %5.1f  %5.1f  %5.1f %5d\n", GROUP_NAMES[g], 100 * s.pq, 100 * s.sq, 100 * s.rq,
           s.n);
  }
}

int p2c_cmd_pq(int argc, char **argv)
{
  const char *paths[2] = {NULL, NULL}, *gt_dir = NULL, *pred_dir = NULL, *json_out = NULL;
  int threads = 0, instances = 0, processes = 0;
  const p2c_cli_option options[] = {
      P2C_CLI_STRING("--gt-dir", &gt_dir),
      P2C_CLI_STRING("--pred-dir", &pred_dir),
      P2C_CLI_INT("--threads", &threads, 1, 1024),
      P2C_CLI_STRING("--json", &json_out),
      P2C_CLI_INT("--panopticapi-processes", &processes, 1, 4096),
      P2C_CLI_FLAG("--instances", &instances, 1),
      P2C_CLI_END,
  };
  const p2c_cli_command cmd = {.name = "pq", .options = options, .usage = usage, .operands = paths,
                               .min_operands = 2, .max_operands = 2,
                               .operands_help = "GT.json and PRED.json"};
  int parsed = p2c_cli_parse(&cmd, argc, argv, NULL);
  if (parsed != P2C_CLI_RUN) return parsed;
#if defined(__GLIBC__)
  /* Every image decodes into fresh multi-megabyte buffers. With glibc's
   * defaults they are mmap()ed or trimmed back to the system after each
   * image, and page faults then cost as much as the PNG decoding itself
   * (measured: 2x the run time). Keep freed memory in the process instead. */
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
  p2c_error err = {0, ""};
  p2c_dataset *gt = NULL, *pred = NULL;
  p2c_instances *inst = NULL;
  p2c_pq *pq = NULL;
  p2c_load_options lo = P2C_LOAD_OPTIONS_INIT;
  lo.png_dir = gt_dir;
  int rc = p2c_dataset_load(paths[0], &lo, &gt, &err);
  if (rc == P2C_OK && instances) {
    rc = p2c_instances_load(paths[1], &inst, &err);
  } else if (rc == P2C_OK) {
    lo.kind = P2C_DATASET_PRED;
    lo.png_dir = pred_dir;
    rc = p2c_dataset_load(paths[1], &lo, &pred, &err);
  }
  if (rc == P2C_OK) {
    p2c_pq_options po = P2C_PQ_OPTIONS_INIT;
    po.threads = threads;
    po.panopticapi_processes = processes;
    rc = inst ? p2c_pq_compute_instances(gt, inst, &po, &pq, &err)
              : p2c_pq_compute(gt, pred, &po, &pq, &err);
  }
  int exit_code = P2C_EXIT_OK;
  if (rc != P2C_OK) {
    exit_code = p2c_cli_report(&err);
  } else {
    print_table(pq);
    if (json_out) exit_code = write_json(json_out, pq);
  }
  p2c_pq_free(pq);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  p2c_instances_free(inst);
  return exit_code;
}
