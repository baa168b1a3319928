/* The mergeable evaluator state: what sharding adds to an evaluation, on 400
 * images at 320x240 made by p2c-synth (default profile, about 7 GT segments
 * per image), split into 8 interleaved shards, both protocols: the state's
 * size, p2c_evaluator_state on each shard (serialize), and
 * p2c_evaluator_from_state + merge_state of the 8 states in reverse order
 * (parse, check, append). The re-ordering at finish and finish itself are
 * bench_eval's subject (a merged finish takes the time of a single run's).
 * Prints bytes per image and wall / CPU milliseconds (CPU is the fair number
 * on a shared machine). The data set is written once into $P2C_BENCH_DIR (or
 * /tmp/p2c-bench-state-synth). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench_clock.h"
#include "p2ceval.h"

#define N_IMAGES 400
#define N_SHARDS 8

static double now(clockid_t id) { return bench_seconds(id); }

static int die(const char *what, const char *msg)
{
  fprintf(stderr, "bench_state: %s: %s\n", what, msg);
  return 1;
}

int main(void)
{
  const char *dir = getenv("P2C_BENCH_DIR") ? getenv("P2C_BENCH_DIR") : "/tmp/p2c-bench-state-synth";
  char gtp[1024], prp[1024];
  snprintf(gtp, sizeof gtp, "%s/gt.json", dir);
  snprintf(prp, sizeof prp, "%s/pred.json", dir);
  struct stat st;
  p2c_error err;
  if (stat(prp, &st) != 0) {
    p2c_synth_options o = P2C_SYNTH_OPTIONS_INIT;
    o.images = N_IMAGES;
    o.width = 320;
    o.height = 240;
    o.manifest = 0;
    if (p2c_synth_write(dir, &o, &err) != P2C_OK) return die("p2c_synth_write", err.message);
  }
  p2c_dataset *gt = NULL, *pred = NULL;
  p2c_load_options lo = P2C_LOAD_OPTIONS_INIT;
  if (p2c_dataset_load(gtp, &lo, &gt, &err) != P2C_OK) return die(gtp, err.message);
  lo.kind = P2C_DATASET_PRED;
  if (p2c_dataset_load(prp, &lo, &pred, &err) != P2C_OK) return die(prp, err.message);
  printf("bench_state: %d images (%zu GT segments), %d shards\n", N_IMAGES, p2c_dataset_num_segments(gt),
         N_SHARDS);
  for (int proto = 0; proto <= 1; proto++) {
    p2c_eval_options eo = P2C_EVAL_OPTIONS_INIT;
    eo.protocol = proto;
    unsigned char *states[N_SHARDS];
    size_t lens[N_SHARDS], total = 0;
    double ser_w = 0, ser_c = 0;
    for (int k = 0; k < N_SHARDS; k++) {
      p2c_evaluator *ev = NULL;
      if (p2c_evaluator_create(gt, &eo, &ev, &err) != P2C_OK) return die("create", err.message);
      if (p2c_evaluator_run_shard(ev, gt, pred, (size_t)k, N_SHARDS) != P2C_OK)
        return die("run_shard", p2c_evaluator_last_error(ev));
      const unsigned char *d;
      double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
      if (p2c_evaluator_state(ev, &d, &lens[k]) != P2C_OK) return die("state", p2c_evaluator_last_error(ev));
      ser_w += now(CLOCK_MONOTONIC) - w0, ser_c += now(CLOCK_PROCESS_CPUTIME_ID) - c0;
      states[k] = malloc(lens[k]);
      if (!states[k]) return die("malloc", "out of memory");
      memcpy(states[k], d, lens[k]);
      total += lens[k];
      p2c_evaluator_free(ev);
    }
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    p2c_evaluator *m = NULL;
    /* merged in reverse: every image has to move at finish */
    if (p2c_evaluator_from_state(states[N_SHARDS - 1], lens[N_SHARDS - 1], NULL, &m, &err) != P2C_OK)
      return die("from_state", err.message);
    for (int k = N_SHARDS - 2; k >= 0; k--)
      if (p2c_evaluator_merge_state(m, states[k], lens[k]) != P2C_OK)
        return die("merge_state", p2c_evaluator_last_error(m));
    double merge_w = now(CLOCK_MONOTONIC) - w0, merge_c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("%-17s state %6.0f bytes/image (%zu bytes in all); serialize %.2f ms wall %.2f ms CPU (8 shards); "
           "parse+merge %.2f ms wall %.2f ms CPU\n",
           p2c_protocol_name(proto), (double)total / N_IMAGES, total, 1e3 * ser_w, 1e3 * ser_c, 1e3 * merge_w,
           1e3 * merge_c);
    for (int k = 0; k < N_SHARDS; k++) free(states[k]);
    p2c_evaluator_free(m);
  }
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  return 0;
}
