/* Benchmark: p2c_pq_compute on 2,000 synthetic 640x480 images (~19 segments
 * each), against the cost of only decoding their PNGs.
 *
 *   build/bench/bench_pq [--images N] [--dir DIR] [--regenerate]
 *
 * The data set is generated once into DIR (default /tmp/p2c_bench_pq_N) with
 * the public API (ellipse "things" over wavy "stuff" bands, a few void blobs;
 * the prediction moves, resizes, drops, adds and relabels segments), then
 * reused. Times are wall-clock (CLOCK_MONOTONIC), best of 3 runs:
 *   decode    read every GT and prediction PNG into id maps (2 threads)
 *   pq        p2c_dataset_load of both JSONs + p2c_pq_compute, 1 and 2 threads
 * panopticapi 1ad5afa on this 2-core machine took 42 s with 2 processes and
 * 77 s with 1 on the same kind of set (the measurement). */
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

#include "p2ceval.h"

#define W 640
#define H 480
#define NTHINGS 15
#define NSTUFF 4

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of the whole process (all threads): robust when the machine is
 * shared, where wall-clock times include waiting for a core. */
static double cpu(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
         1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static uint64_t rng_state;
static uint32_t rnd(void)
{
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng_state >> 33);
}
static int rndi(int lo, int hi) { return lo + (int)(rnd() % (uint32_t)(hi - lo + 1)); }

typedef struct thing {
  int cx, cy, rx, ry, cat;
} thing;

typedef struct seg {
  uint32_t id;
  int cat, crowd;
  long area;
  int x0, y0, x1, y1;
} seg;

/* Paint a scene: bands (stuff), then ellipses (things) in order, then void blobs. */
static void paint(uint32_t *ids, const int *band_y, const uint32_t *band_id, const thing *t,
                  const uint32_t *thing_id, int nthings, int phase)
{
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      int b = 0;
      while (b < NSTUFF - 1 && y > band_y[b] + ((x / 16 + phase) % 7) - 3) b++;
      ids[y * W + x] = band_id[b];
    }
  for (int k = 0; k < nthings; k++) {
    if (!thing_id[k]) continue;
    for (int y = t[k].cy - t[k].ry; y <= t[k].cy + t[k].ry; y++) {
      if (y < 0 || y >= H) continue;
      for (int x = t[k].cx - t[k].rx; x <= t[k].cx + t[k].rx; x++) {
        if (x < 0 || x >= W) continue;
        long dx = x - t[k].cx, dy = y - t[k].cy;
        if (dx * dx * t[k].ry * t[k].ry + dy * dy * t[k].rx * t[k].rx <=
            (long)t[k].rx * t[k].rx * t[k].ry * t[k].ry)
          ids[y * W + x] = thing_id[k];
      }
    }
  }
}

static size_t collect(const uint32_t *ids, const uint32_t *all_ids, const int *cats, size_t n, seg *out)
{
  size_t m = 0;
  for (size_t k = 0; k < n; k++) {
    if (!all_ids[k]) continue;
    seg s = {all_ids[k], cats[k], 0, 0, W, H, -1, -1};
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++)
        if (ids[y * W + x] == s.id) {
          s.area++;
          if (x < s.x0) s.x0 = x;
          if (y < s.y0) s.y0 = y;
          if (x > s.x1) s.x1 = x;
          if (y > s.y1) s.y1 = y;
        }
    if (s.area) out[m++] = s;
  }
  return m;
}

static void write_segments(FILE *f, const seg *s, size_t n)
{
  for (size_t k = 0; k < n; k++)
    fprintf(f, "%s{\"id\": %u, \"category_id\": %d, \"iscrowd\": %d, \"area\": %ld, \"bbox\": [%d, %d, %d, %d]}",
            k ? ", " : "", s[k].id, s[k].cat, s[k].crowd, s[k].area, s[k].x0, s[k].y0,
            s[k].x1 - s[k].x0 + 1, s[k].y1 - s[k].y0 + 1);
}

static uint32_t fresh_id(void) { return 1 + (rnd() % 0xfffffe); }

static int generate(const char *dir, int n)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/gt", dir);
  mkdir(dir, 0755);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/pred", dir);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/gt.json", dir);
  FILE *gj = fopen(path, "w");
  snprintf(path, sizeof path, "%s/pred.json", dir);
  FILE *pj = fopen(path, "w");
  if (!gj || !pj) return -1;
  uint32_t *gids = malloc(sizeof *gids * W * H), *pids = malloc(sizeof *pids * W * H);
  if (!gids || !pids) return -1;
  fprintf(gj, "{\"categories\": [");
  for (int c = 1; c <= 133; c++)
    fprintf(gj, "%s{\"id\": %d, \"name\": \"c%d\", \"isthing\": %d}", c > 1 ? ", " : "", c, c, c <= 80);
  fprintf(gj, "], \"images\": [");
  for (int i = 0; i < n; i++)
    fprintf(gj, "%s{\"id\": %d, \"file_name\": \"%06d.jpg\", \"width\": %d, \"height\": %d}", i ? ", " : "", i + 1, i + 1, W, H);
  fprintf(gj, "], \"annotations\": [");
  fprintf(pj, "{\"annotations\": [");
  rng_state = 12345;
  for (int i = 0; i < n; i++) {
    int band_y[NSTUFF], gcat[NSTUFF + NTHINGS + 1], pcat[NSTUFF + NTHINGS + 1];
    uint32_t gband[NSTUFF], pband[NSTUFF], gall[NSTUFF + NTHINGS + 1], pall[NSTUFF + NTHINGS + 1];
    thing t[NTHINGS + 1], pt[NTHINGS + 1];
    uint32_t gth[NTHINGS + 1], pth[NTHINGS + 1];
    for (int b = 0; b < NSTUFF; b++) {
      band_y[b] = (b + 1) * H / (NSTUFF + 1) + rndi(-30, 30);
      gband[b] = fresh_id();
      pband[b] = fresh_id();
      gcat[b] = pcat[b] = 81 + rndi(0, 52);
    }
    for (int k = 0; k < NTHINGS; k++) {
      t[k] = (thing){rndi(0, W - 1), rndi(0, H - 1), rndi(8, 90), rndi(8, 90), rndi(1, 80)};
      gth[k] = fresh_id();
      pt[k] = t[k];
      pt[k].cx += rndi(-6, 6);
      pt[k].cy += rndi(-6, 6);
      pt[k].rx = pt[k].rx * rndi(90, 110) / 100;
      pt[k].ry = pt[k].ry * rndi(90, 110) / 100;
      if (rndi(0, 9) == 0) pt[k].cat = rndi(1, 80);
      pth[k] = rndi(0, 19) == 0 ? 0 : fresh_id(); /* 5% missed */
    }
    t[NTHINGS] = pt[NTHINGS] = (thing){rndi(0, W - 1), rndi(0, H - 1), rndi(8, 40), rndi(8, 40), rndi(1, 80)};
    gth[NTHINGS] = 0;
    pth[NTHINGS] = fresh_id(); /* a spurious prediction */
    paint(gids, band_y, gband, t, gth, NTHINGS, 0);
    for (int v = 0; v < 3; v++) { /* void blobs */
      int cx = rndi(0, W - 1), cy = rndi(0, H - 1), r = rndi(3, 12);
      for (int y = cy - r; y <= cy + r; y++)
        for (int x = cx - r; x <= cx + r; x++)
          if (x >= 0 && y >= 0 && x < W && y < H) gids[y * W + x] = 0;
    }
    int pband_y[NSTUFF];
    for (int b = 0; b < NSTUFF; b++) pband_y[b] = band_y[b] + rndi(-5, 5);
    paint(pids, pband_y, pband, pt, pth, NTHINGS + 1, 3);
    for (int b = 0; b < NSTUFF; b++) {
      gall[b] = gband[b];
      pall[b] = pband[b];
    }
    for (int k = 0; k <= NTHINGS; k++) {
      gall[NSTUFF + k] = gth[k];
      pall[NSTUFF + k] = pth[k];
      gcat[NSTUFF + k] = t[k].cat;
      pcat[NSTUFF + k] = pt[k].cat;
    }
    seg gs[NSTUFF + NTHINGS + 1], ps[NSTUFF + NTHINGS + 1];
    size_t ng = collect(gids, gall, gcat, NSTUFF + NTHINGS + 1, gs);
    size_t np = collect(pids, pall, pcat, NSTUFF + NTHINGS + 1, ps);
    if (ng > 6) gs[ng - 1].crowd = rndi(0, 9) == 0; /* a few crowd regions */
    p2c_error err;
    snprintf(path, sizeof path, "%s/gt/%06d.png", dir, i + 1);
    if (p2c_idmap_write_png(path, gids, W, H, &err)) return fprintf(stderr, "%s\n", err.message), -1;
    snprintf(path, sizeof path, "%s/pred/%06d.png", dir, i + 1);
    if (p2c_idmap_write_png(path, pids, W, H, &err)) return fprintf(stderr, "%s\n", err.message), -1;
    fprintf(gj, "%s{\"image_id\": %d, \"file_name\": \"%06d.png\", \"segments_info\": [", i ? ", " : "", i + 1, i + 1);
    write_segments(gj, gs, ng);
    fprintf(gj, "]}");
    fprintf(pj, "%s{\"image_id\": %d, \"file_name\": \"%06d.png\", \"segments_info\": [", i ? ", " : "", i + 1, i + 1);
    write_segments(pj, ps, np);
    fprintf(pj, "]}");
  }
  fprintf(gj, "]}\n");
  fprintf(pj, "]}\n");
  fclose(gj);
  fclose(pj);
  free(gids);
  free(pids);
  return 0;
}

typedef struct decode_job {
  const char *dir;
  int n, start, step;
  long pixels;
} decode_job;

static void *decode_all(void *arg)
{
  decode_job *j = arg;
  char path[4096];
  for (int i = j->start; i < j->n; i += j->step)
    for (int s = 0; s < 2; s++) {
      snprintf(path, sizeof path, "%s/%s/%06d.png", j->dir, s ? "pred" : "gt", i + 1);
      p2c_idmap *m = NULL;
      if (p2c_idmap_read_png(path, &m, NULL) == P2C_OK) j->pixels += p2c_idmap_width(m);
      p2c_idmap_free(m);
    }
  return NULL;
}

static double time_decode(const char *dir, int n, int threads, double *cpu_s)
{
  pthread_t tid[8];
  decode_job jobs[8];
  double t0 = now(), c0 = cpu();
  for (int t = 0; t < threads; t++) {
    jobs[t] = (decode_job){dir, n, t, threads, 0};
    pthread_create(&tid[t], NULL, decode_all, &jobs[t]);
  }
  for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
  *cpu_s = cpu() - c0;
  return now() - t0;
}

static double time_pq(const char *dir, int threads, double *pq_all, double *cpu_s)
{
  double c0 = cpu();
  char g[4096], p[4096];
  snprintf(g, sizeof g, "%s/gt.json", dir);
  snprintf(p, sizeof p, "%s/pred.json", dir);
  double t0 = now();
  p2c_dataset *gt = NULL, *pred = NULL;
  p2c_load_options o = P2C_LOAD_OPTIONS_INIT;
  p2c_error err;
  if (p2c_dataset_load(g, &o, &gt, &err)) return fprintf(stderr, "%s\n", err.message), -1;
  o.kind = P2C_DATASET_PRED;
  if (p2c_dataset_load(p, &o, &pred, &err)) return fprintf(stderr, "%s\n", err.message), -1;
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
    snprintf(dbuf, sizeof dbuf, "/tmp/p2c_bench_pq_%d", n);
    dir = dbuf;
  }
  char mark[4096];
  snprintf(mark, sizeof mark, "%s/.complete", dir);
  struct stat st;
  if (regen || stat(mark, &st) != 0) {
    printf("generating %d images %dx%d into %s ...\n", n, W, H, dir);
    fflush(stdout);
    double t0 = now();
    if (generate(dir, n)) {
      fprintf(stderr, "generation failed\n");
      return 1;
    }
    FILE *f = fopen(mark, "w");
    if (f) fclose(f);
    printf("generated in %.1f s\n", now() - t0);
  }
  double dec = 1e30, dec1 = 1e30, pq1 = 1e30, pq2 = 1e30, v1 = 0, v2 = 0;
  double cdec = 1e30, cpq1 = 1e30, cpq2 = 1e30, c;
  for (int r = 0; r < 3; r++) {
    double t = time_decode(dir, n, 2, &c);
    if (t < dec) dec = t;
    if (c < cdec) cdec = c;
    t = time_decode(dir, n, 1, &c);
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
  if (memcmp(&v1, &v2, sizeof v1) != 0) {
    fprintf(stderr, "PQ differs between 1 and 2 threads\n");
    return 1;
  }
  printf("images: %d at %dx%d (2 PNGs each), PQ All = %.17g (same bits, 1 and 2 threads)\n", n, W, H, v1);
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
