/* p2c-eval pq GT.json PRED.json: panoptic quality, as panopticapi's
 * pq_compute (same table, same JSON structure, same bits). */
#include <math.h>
#include <stdarg.h>
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

typedef struct sbuf {
  char *p;
  size_t n, cap;
  int oom;
} sbuf;

static void put(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(sbuf *b, const char *fmt, ...)
{
  va_list ap;
  for (;;) {
    size_t room = b->cap - b->n;
    va_start(ap, fmt);
    int k = vsnprintf(b->p ? b->p + b->n : NULL, room, fmt, ap);
    va_end(ap);
    if (k < 0) {
      b->oom = 1;
      return;
    }
    if ((size_t)k < room) {
      b->n += (size_t)k;
      return;
    }
    size_t cap = (b->cap + (size_t)k + 1) * 2;
    char *q = realloc(b->p, cap);
    if (!q) {
      b->oom = 1;
      return;
    }
    b->p = q;
    b->cap = cap;
  }
}

static void put_triple(sbuf *b, double pq, double sq, double rq)
{
  char x[40], y[40], z[40];
  put_double(x, sizeof x, pq);
  put_double(y, sizeof y, sq);
  put_double(z, sizeof z, rq);
  put(b, "\"pq\": %s, \"sq\": %s, \"rq\": %s", x, y, z);
}

static const char *GROUP_NAMES[3] = {"All", "Things", "Stuff"};

static int write_json(const char *path, const p2c_pq *pq)
{
  sbuf b = {NULL, 0, 0, 0};
  p2c_pq_summary s[3];
  for (int g = 0; g < 3; g++) p2c_pq_get_summary(pq, g, &s[g]);
  /* panopticapi's key order: All, per_class, Things, Stuff */
  put(&b, "{\n  \"All\": {");
  put_triple(&b, s[0].pq, s[0].sq, s[0].rq);
  put(&b, ", \"n\": %d},\n  \"per_class\": {", s[0].n);
  for (size_t i = 0; i < p2c_pq_num_classes(pq); i++) {
    p2c_pq_class c;
    p2c_pq_get_class(pq, i, &c);
    put(&b, "%s\n    \"%lld\": {", i ? "," : "", (long long)c.category_id);
    put_triple(&b, c.pq, c.sq, c.rq);
    put(&b, "}");
  }
  put(&b, "\n  }");
  for (int g = 1; g < 3; g++) {
    put(&b, ",\n  \"%s\": {", GROUP_NAMES[g]);
    put_triple(&b, s[g].pq, s[g].sq, s[g].rq);
    put(&b, ", \"n\": %d}", s[g].n);
  }
  put(&b, "\n}\n");
  int rc = b.oom ? -1 : p2c_cli_write_file(path, b.p, b.n);
  if (b.oom) p2c_cli_errorf("out of memory");
  free(b.p);
  return rc;
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
  const char *paths[2] = {NULL, NULL}, *gt_dir = NULL, *pred_dir = NULL, *json_out = NULL, *v;
  int npaths = 0, bad = 0, threads = 0, instances = 0, processes = 0;
  for (int i = 1; i < argc && !bad; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      usage(stdout);
      return P2C_EXIT_OK;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--gt-dir", &bad))) {
      gt_dir = v;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--pred-dir", &bad))) {
      pred_dir = v;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--threads", &bad))) {
      if (!bad) threads = p2c_cli_int("--threads", v, 1, 1024, &bad);
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--json", &bad))) {
      json_out = v;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--panopticapi-processes", &bad))) {
      if (!bad) processes = p2c_cli_int("--panopticapi-processes", v, 1, 4096, &bad);
    } else if (!strcmp(argv[i], "--instances")) {
      instances = 1;
    } else {
      p2c_cli_operand("pq", argv[i], paths, &npaths, &bad);
    }
  }
  p2c_cli_need_operands("pq", npaths, "GT.json and PRED.json", &bad);
  if (bad) {
    usage(stderr);
    return P2C_EXIT_USAGE;
  }
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
    if (json_out && write_json(json_out, pq) != 0) exit_code = P2C_EXIT_INVALID;
  }
  p2c_pq_free(pq);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  p2c_instances_free(inst);
  return exit_code;
}
