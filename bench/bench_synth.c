/* p2c-synth speed: images per second at 640x480 (default 200 images; argv[1]
 * overrides), written under /tmp, for 1 thread and for one per CPU. Prints
 * wall and process CPU time; on a shared machine CPU time is the stable one. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bench_clock.h"
#include "p2ceval.h"

static double now(clockid_t c) { return bench_seconds(c); }

int main(int argc, char **argv)
{
  int images = argc > 1 ? atoi(argv[1]) : 200;
  char dir[] = "/tmp/p2c_bench_synth_XXXXXX";
  if (images < 1 || !mkdtemp(dir)) return 1;
  int threads[] = {1, 0};
  for (int k = 0; k < 2; k++) {
    p2c_synth_options o = P2C_SYNTH_OPTIONS_INIT;
    o.images = images, o.width = 640, o.height = 480, o.seed = 5, o.threads = threads[k];
    p2c_error e;
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    if (p2c_synth_write(dir, &o, &e)) {
      fprintf(stderr, "bench_synth: %s\n", e.message);
      return 1;
    }
    double wall = now(CLOCK_MONOTONIC) - w0, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("p2c-synth %d images 640x480, threads %s: wall %.2f s (%.0f images/s), cpu %.2f s "
           "(%.2f ms/image)\n",
           images, threads[k] ? "1" : "auto", wall, images / wall, cpu, 1e3 * cpu / images);
  }
  char cmd[64];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) != 0;
}
