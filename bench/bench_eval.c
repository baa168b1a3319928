/* The whole evaluation (dataset loading, p2c_evaluator_run + finish) of
 * 2,000 images at 640x480 made by p2c-synth (default profile), in both
 * protocols, with 2 threads.
 *
 * The data set is written once with p2c_synth_write into $P2C_BENCH_DIR (or
 * /tmp/p2c-bench-eval-synth19) and reused; timings exclude making it. The
 * run is p2c-eval's with --threads 2: the two JSON files load side by side,
 * then p2c_evaluator_run and p2c_evaluator_finish. Prints, per protocol, the
 * wall time of each phase and the process CPU time (the fair number on a
 * shared machine). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench_clock.h"
#include "p2ceval.h"

#define N_IMAGES 2000
#define W 640
#define H 480

static double now(clockid_t id) { return bench_seconds(id); }

static int make_set(const char *dir)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/pred.json", dir);
  struct stat st;
  if (stat(path, &st) == 0) return 0; /* cached */
  fprintf(stderr, "bench_eval: p2c-synth is writing the data set to %s (once)\n", dir);
  p2c_synth_options o = P2C_SYNTH_OPTIONS_INIT;
  o.images = N_IMAGES;
  o.width = W;
  o.height = H;
  o.manifest = 0;
  o.things_min = 12; /* about 19 segments per image with the stuff regions */
  o.things_max = 22;
  p2c_error e;
  if (p2c_synth_write(dir, &o, &e) != P2C_OK) {
    fprintf(stderr, "bench_eval: %s\n", e.message);
    return 1;
  }
  return 0;
}

static int run(const char *dir, int protocol, int threads)
{
  char gp[1024], pp[1024];
  snprintf(gp, sizeof gp, "%s/gt.json", dir);
  snprintf(pp, sizeof pp, "%s/pred.json", dir);
  double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
  p2c_error e;
  p2c_dataset *gt = NULL, *pred = NULL;
  p2c_load_options go = P2C_LOAD_OPTIONS_INIT, po = P2C_LOAD_OPTIONS_INIT;
  po.kind = P2C_DATASET_PRED;
  if (p2c_dataset_load_pair(gp, &go, pp, &po, threads, &gt, &pred, &e) != P2C_OK) {
    fprintf(stderr, "%s\n", e.message);
    return 1;
  }
  double t1 = now(CLOCK_MONOTONIC);
  p2c_eval_options o = P2C_EVAL_OPTIONS_INIT;
  o.protocol = protocol;
  o.threads = threads;
  p2c_evaluator *ev = NULL;
  int rc = p2c_evaluator_create(gt, &o, &ev, &e);
  if (rc == P2C_OK) rc = p2c_evaluator_run(ev, gt, pred);
  double t2 = now(CLOCK_MONOTONIC), c2 = now(CLOCK_PROCESS_CPUTIME_ID);
  if (rc == P2C_OK) rc = p2c_evaluator_finish(ev);
  double t3 = now(CLOCK_MONOTONIC), c3 = now(CLOCK_PROCESS_CPUTIME_ID);
  if (rc != P2C_OK) {
    fprintf(stderr, "%s\n", ev ? p2c_evaluator_last_error(ev) : e.message);
    return 1;
  }
  p2c_eval_summary S;
  p2c_evaluator_summary(ev, &S);
  printf("%-17s threads %d: %.2f s wall (load %.2f, images %.2f, metrics+mAP %.2f), %.2f s CPU "
         "(metrics+mAP %.2f); PQ %.4f, %zu pairs, mAP %.4f, %llu mAP entries\n",
         p2c_protocol_name(protocol), threads, t3 - t0, t1 - t0, t2 - t1, t3 - t2, c3 - c0, c3 - c2, S.pq,
         S.caption_pairs, S.map, (unsigned long long)S.map_entries);
  p2c_evaluator_free(ev);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  return 0;
}

int main(void)
{
  const char *dir = getenv("P2C_BENCH_DIR");
  if (!dir || !*dir) dir = "/tmp/p2c-bench-eval-synth19";
  if (make_set(dir)) return 1;
  char gp[1024];
  snprintf(gp, sizeof gp, "%s/gt.json", dir);
  p2c_dataset *gt = NULL;
  p2c_error e;
  if (p2c_dataset_load(gp, NULL, &gt, &e) != P2C_OK) return fprintf(stderr, "%s\n", e.message), 1;
  size_t segs = 0, n = p2c_dataset_num_images(gt);
  for (size_t i = 0; i < n; i++) {
    p2c_image_info ii;
    p2c_dataset_image(gt, i, &ii);
    segs += ii.num_segments;
  }
  p2c_dataset_free(gt);
  printf("bench_eval: %zu images %dx%d from p2c-synth, %.1f GT segments per image (%s)\n", n, W, H,
         n ? (double)segs / (double)n : 0.0, dir);
  for (int p = 0; p < 2; p++)
    if (run(dir, p == 0 ? P2C_PROTOCOL_P2C_V1 : P2C_PROTOCOL_PIX2CAP_OFFICIAL, 2)) return 1;
  return 0;
}
