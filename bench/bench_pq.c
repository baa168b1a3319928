/* Benchmark: p2c_pq_compute on 2,000 p2c-synth images at 640x480 (~19
 * segments each), against the cost of only decoding their PNGs.
 *
 *   build/bench/bench_pq [--images N] [--dir DIR] [--regenerate]
 *
 * The data set is written once into DIR (default /tmp/p2c_bench_pq_synth_N)
 * by p2c_synth_write (what p2c-synth runs: seed 1, things_min 14, things_max
 * 22, PNG level 3), then reused. Times are wall-clock (CLOCK_MONOTONIC), best
 * of 3 runs, with the process CPU time (all threads, getrusage) beside them,
 * which stays meaningful when other jobs share the cores:
 *   decode    read every GT and prediction PNG into id maps (1 and 2 threads)
 *   pq        p2c_dataset_load of both JSONs + p2c_pq_compute, 1 and 2 threads
 * panopticapi (1ad5afa) on this 2-core machine: 42 s with 2 processes, 77 s
 * with 1 on such a set (the number given in the issue). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "bench_clock.h"
#include "p2ceval.h"

#define W 640
#define H 480

static double now(void) { return bench_seconds(CLOCK_MONOTONIC); }

/* CPU seconds of the whole process (all threads): robust when the machine is
 * shared, where wall-clock times include waiting for a core. */
static double cpu(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
         1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

typedef struct decode_job {
  const p2c_dataset *ds[2];
  size_t start, step;
  int failed;
} decode_job;

static void *decode_all(void *arg)
{
  decode_job *j = arg;
  for (int d = 0; d < 2; d++)
    for (size_t i = j->start; i < p2c_dataset_num_images(j->ds[d]); i += j->step) {
      p2c_idmap *m = NULL;
      if (p2c_dataset_read_idmap(j->ds[d], i, &m, NULL) != P2C_OK) j->failed = 1;
      p2c_idmap_free(m);
    }
  return NULL;
}

/* Decode every GT and prediction PNG once, split over `threads` threads. */
static double time_decode(const p2c_dataset *gt, const p2c_dataset *pred, int threads, double *cpu_s)
{
  pthread_t tid[8];
  decode_job jobs[8];
  double t0 = now(), c0 = cpu();
  for (int t = 0; t < threads; t++) {
    jobs[t] = (decode_job){{gt, pred}, (size_t)t, (size_t)threads, 0};
    pthread_create(&tid[t], NULL, decode_all, &jobs[t]);
  }
  for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
  *cpu_s = cpu() - c0;
  for (int t = 0; t < threads; t++)
    if (jobs[t].failed) return -1;
  return now() - t0;
}

static int load(const char *dir, p2c_dataset **gt, p2c_dataset **pred)
{
  char g[4096], p[4096];
  snprintf(g, sizeof g, "%s/gt.json", dir);
  snprintf(p, sizeof p, "%s/pred.json", dir);
  p2c_load_options o = P2C_LOAD_OPTIONS_INIT;
  p2c_error err;
  if (p2c_dataset_load(g, &o, gt, &err)) return fprintf(stderr, "%s\n", err.message), -1;
  o.kind = P2C_DATASET_PRED;
  if (p2c_dataset_load(p, &o, pred, &err)) return fprintf(stderr, "%s\n", err.message), -1;
  return 0;
}

static double time_pq(const char *dir, int threads, double *pq_all, double *cpu_s)
{
  double c0 = cpu(), t0 = now();
  p2c_dataset *gt = NULL, *pred = NULL;
  p2c_error err;
  if (load(dir, &gt, &pred)) return -1;
  p2c_pq_options po = P2C_PQ_OPTIONS_INIT;
  po.threads = threads;
  p2c_pq *pq = NULL;
  if (p2c_pq_compute(gt, pred, &po, &pq, &err)) return fprintf(stderr, "%s\n", err.message), -1;
  double t = now() - t0;
  *cpu_s = cpu() - c0;
  p2c_pq_summary s;
  p2c_pq_get_summary(pq, P2C_PQ_ALL, &s);
  *pq_all = s.pq;
  p2c_pq_free(pq);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  return t;
}

int main(int argc, char **argv)
{
  int n = 2000, regen = 0;
  const char *dir = NULL;
  char dbuf[256];
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--images") && i + 1 < argc) n = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else if (!strcmp(argv[i], "--regenerate")) regen = 1;
    else {
      fprintf(stderr, "usage: bench_pq [--images N] [--dir DIR] [--regenerate]\n");
      return 2;
    }
  }
  if (n < 1) n = 1;
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20); /* as p2c-eval pq: no page faults per image */
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
  if (!dir) {
    snprintf(dbuf, sizeof dbuf, "/tmp/p2c_bench_pq_synth_%d", n);
    dir = dbuf;
  }
  char mark[4096];
  snprintf(mark, sizeof mark, "%s/pred.json", dir); /* written last by p2c_synth_write */
  struct stat st;
  if (regen || stat(mark, &st) != 0) {
    printf("p2c_synth_write: %d images %dx%d into %s ...\n", n, W, H, dir);
    fflush(stdout);
    p2c_synth_options so = P2C_SYNTH_OPTIONS_INIT;
    so.images = n;
    so.width = W;
    so.height = H;
    so.seed = 1;
    so.things_min = 14;
    so.things_max = 22;
    so.manifest = 0;
    p2c_error err;
    double t0 = now();
    if (p2c_synth_write(dir, &so, &err)) {
      fprintf(stderr, "%s\n", err.message);
      return 1;
    }
    printf("generated in %.1f s\n", now() - t0);
  }
  p2c_dataset *gt = NULL, *pred = NULL;
  if (load(dir, &gt, &pred)) return 1;
  size_t nseg = 0, nimg = p2c_dataset_num_images(gt);
  for (size_t i = 0; i < nimg; i++) {
    p2c_image_info ii;
    p2c_dataset_image(gt, i, &ii);
    nseg += ii.num_segments;
  }
  double dec = 1e30, dec1 = 1e30, pq1 = 1e30, pq2 = 1e30, v1 = 0, v2 = 0;
  double cdec = 1e30, cpq1 = 1e30, cpq2 = 1e30, c;
  for (int r = 0; r < 3; r++) {
    double t = time_decode(gt, pred, 2, &c);
    if (t < dec) dec = t;
    if (c < cdec) cdec = c;
    t = time_decode(gt, pred, 1, &c);
    if (t < dec1) dec1 = t;
    t = time_pq(dir, 1, &v1, &c);
    if (t < 0) return 1;
    if (t < pq1) pq1 = t;
    if (c < cpq1) cpq1 = c;
    t = time_pq(dir, 2, &v2, &c);
    if (t < 0) return 1;
    if (t < pq2) pq2 = t;
    if (c < cpq2) cpq2 = c;
  }
  if (dec < 0 || dec1 < 0) {
    fprintf(stderr, "a PNG could not be decoded\n");
    return 1;
  }
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  if (memcmp(&v1, &v2, sizeof v1) != 0) {
    fprintf(stderr, "PQ differs between 1 and 2 threads\n");
    return 1;
  }
  printf("images: %zu at %dx%d (2 PNGs each), %.1f GT segments per image; PQ All = %.17g (same "
         "bits, 1 and 2 threads)\n",
         nimg, W, H, (double)nseg / (double)nimg, v1);
  printf("best of 3, wall clock (CPU seconds of all threads in brackets):\n");
  printf("  decode PNGs only, 2 threads:                 %7.3f s  [%.3f s CPU]\n", dec, cdec);
  printf("  decode PNGs only, 1 thread:                  %7.3f s\n", dec1);
  printf("  PQ (load JSON + decode + match), 1 thread:   %7.3f s  [%.3f s CPU]\n", pq1, cpq1);
  printf("  PQ (load JSON + decode + match), 2 threads:  %7.3f s  [%.3f s CPU]\n", pq2, cpq2);
  printf("PQ / decode-only: %.2fx wall (2 threads), %.2fx wall (1 thread), %.2fx CPU\n", pq2 / dec,
         pq1 / dec1, cpq2 / cdec);
  if (n == 2000)
    printf("vs panopticapi (42 s with 2 processes, 77 s with 1): %.0fx faster with 2 threads, %.0fx "
           "with 1\n", 42.0 / pq2, 77.0 / pq1);
  return 0;
}
