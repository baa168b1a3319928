/* Id PNG decoding speed, the I/O hot path of PQ.
 *
 * Decodes (1) a synthetic 640x480 id map with 30 blob-shaped segments and
 * void boundaries, written with p2c_idmap_write_png, and (2) the real COCO
 * panoptic PNG of panopticapi's sample (640x427) when the parity data is
 * present, each 2000 times from disk (page cache), one thread. Prints wall
 * and process CPU time (CPU time is the fairer number on a shared machine). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"
#include "p2ceval.h"

static double clock_s(clockid_t id) { return bench_seconds(id); }

static int run(const char *what, const char *path, int n)
{
  p2c_error e;
  double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
  uint64_t check = 0;
  int w = 0, h = 0;
  for (int i = 0; i < n; i++) {
    p2c_idmap *map;
    if (p2c_idmap_read_png(path, &map, &e) != P2C_OK) {
      fprintf(stderr, "%s\n", e.message);
      return 1;
    }
    w = p2c_idmap_width(map);
    h = p2c_idmap_height(map);
    check += p2c_idmap_data(map)[(size_t)(i % h) * (size_t)w];
    p2c_idmap_free(map);
  }
  double dt = clock_s(CLOCK_MONOTONIC) - t0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
  printf("%-26s %dx%d: %d decodes in %.3f s wall, %.3f s CPU: %.3f ms CPU per image, "
         "%.0f Mpixel/s (checksum %llu)\n",
         what, w, h, n, dt, cpu, 1e3 * cpu / n, (double)w * h * n / cpu / 1e6, (unsigned long long)check);
  return 0;
}

int main(void)
{
  enum { W = 640, H = 480, SEGS = 30 };
  static uint32_t ids[W * H];
  double cx[SEGS], cy[SEGS], r[SEGS];
  uint32_t seed = 1;
  for (int s = 0; s < SEGS; s++) {
    seed = seed * 1103515245u + 12345u;
    cx[s] = (seed >> 8) % W;
    seed = seed * 1103515245u + 12345u;
    cy[s] = (seed >> 8) % H;
    seed = seed * 1103515245u + 12345u;
    r[s] = 30 + (seed >> 8) % 150;
  }
  /* nearest-centre (weighted) regions: blob-like segments, void on borders */
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      double best = 1e30, second = 1e30;
      int arg = 0;
      for (int s = 0; s < SEGS; s++) {
        double d = hypot(x - cx[s], y - cy[s]) / r[s];
        if (d < best) {
          second = best;
          best = d;
          arg = s;
        } else if (d < second) second = d;
      }
      ids[y * W + x] = second - best < 0.02 ? 0 : (uint32_t)(arg * 524287 + 1000) & 0xFFFFFF;
    }
  char path[] = "/tmp/p2c_bench_png_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return 1;
  p2c_error e;
  if (p2c_idmap_write_png(path, ids, W, H, &e) != P2C_OK) {
    fprintf(stderr, "%s\n", e.message);
    return 1;
  }
  int rc = run("synthetic (30 segments)", path, 2000);
  remove(path);
  const char *root = getenv("P2C_PARITY_DIR");
  char coco[1024];
  snprintf(coco, sizeof coco, "%s/panoptic/panopticapi_sample/inputs/gt/panoptic_examples/000000142238.png",
           root && *root ? root : "../shared/parity");
  FILE *f = fopen(coco, "rb");
  if (f) {
    fclose(f);
    rc |= run("COCO val2017 000000142238", coco, 2000);
  } else {
    printf("COCO sample PNG not found (parity data absent): skipped\n");
  }
  return rc;
}
