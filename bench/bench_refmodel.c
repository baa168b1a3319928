/* Reference model inference speed: p2c_refmodel_forward (segmentation only)
 * and p2c_refmodel_predict (segments + greedy captions of every kept segment)
 * on the 16 bundled 64x64 scenes (fixtures/refmodel), one thread, R rounds
 * (argv[1], default 3). Prints thread CPU time per image: on a shared machine
 * it is the stable one (it still counts time lost to a busy sibling
 * hyperthread; for small before/after comparisons count instructions with
 * valgrind --tool=callgrind build/bench/bench_refmodel 1). The products use
 * AVX when the CPU has it, SSE2 otherwise (same results). Goal (issue 10):
 * under 20 ms per image, captions included. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_clock.h"
#include "p2ceval.h"

static double cpu(void) { return bench_seconds(CLOCK_THREAD_CPUTIME_ID); }

int main(int argc, char **argv)
{
  int rounds = argc > 1 ? atoi(argv[1]) : 3;
  p2c_error err;
  p2c_refmodel *m = NULL;
  if (rounds < 1 || p2c_refmodel_load("reference-model/weights.safetensors", &m, &err)) {
    fprintf(stderr, "bench_refmodel: %s\n", rounds < 1 ? "bad round count" : err.message);
    return 1;
  }
  static uint8_t rgb[16][64 * 64 * 3];
  for (int i = 0; i < 16; i++) {
    char path[96];
    snprintf(path, sizeof path, "fixtures/refmodel/images/%012d.png", 100000 + 37 * (i + 1));
    p2c_idmap *map = NULL;
    if (p2c_idmap_read_png(path, &map, &err)) {
      fprintf(stderr, "bench_refmodel: %s\n", err.message);
      return 1;
    }
    const uint32_t *ids = p2c_idmap_data(map);
    for (int p = 0; p < 64 * 64; p++)
      for (int c = 0; c < 3; c++) rgb[i][3 * p + c] = (uint8_t)(ids[p] >> (8 * c));
    p2c_idmap_free(map);
  }
  int nq = p2c_refmodel_num_queries(m), nc = p2c_refmodel_num_classes(m) + 1;
  float *cls = malloc(sizeof(float) * nq * nc), *masks = malloc(sizeof(float) * nq * 4096);
  if (!cls || !masks) return 1;
  double t0 = cpu();
  for (int r = 0; r < rounds; r++)
    for (int i = 0; i < 16; i++) p2c_refmodel_forward(m, rgb[i], cls, masks, NULL);
  double t1 = cpu();
  size_t segs = 0;
  for (int r = 0; r < rounds; r++)
    for (int i = 0; i < 16; i++) {
      p2c_refmodel_result *res = NULL;
      if (p2c_refmodel_predict(m, rgb[i], 64, 64, &res, &err)) {
        fprintf(stderr, "bench_refmodel: %s\n", err.message);
        return 1;
      }
      segs += p2c_refmodel_result_num_segments(res);
      p2c_refmodel_result_free(res);
    }
  double t2 = cpu();
  int n = 16 * rounds;
  printf("refmodel (%zu parameters), 64x64, 1 thread, %d images:\n", p2c_refmodel_num_params(m), n);
  printf("  forward (segmentation)   %.2f ms CPU per image\n", 1e3 * (t1 - t0) / n);
  printf("  predict (+ %.1f captions) %.2f ms CPU per image (goal: under 20)\n", (double)segs / n,
         1e3 * (t2 - t1) / n);
  free(cls);
  free(masks);
  p2c_refmodel_free(m);
  return 0;
}
