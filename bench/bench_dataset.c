/* Loading a large panoptic JSON: 20,000 images x 20 segments (400,000
 * segments, each with a bbox and a 52-byte description), about 65 MB,
 * written to /tmp, then loaded 3 times. Prints wall and process CPU time
 * per load, and the peak RSS of the process (which includes the writer's
 * buffers: the loader's own peak is the file plus the dataset). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench_clock.h"
#include "p2ceval.h"

static double clock_s(clockid_t id) { return bench_seconds(id); }

int main(void)
{
  char path[] = "/tmp/p2c_bench_dataset_XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
  if (!f) return 1;
  enum { IMAGES = 20000, SEGS = 20 };
  fprintf(f, "{\"categories\": [");
  for (int c = 1; c <= 133; c++)
    fprintf(f, "%s{\"id\": %d, \"name\": \"c%d\", \"isthing\": %d}", c > 1 ? ", " : "", c, c, c <= 80);
  fprintf(f, "], \"images\": [");
  for (int i = 0; i < IMAGES; i++)
    fprintf(f, "%s{\"id\": %d, \"file_name\": \"%012d.jpg\", \"width\": 640, \"height\": 480}",
            i ? ", " : "", 100000 + i, i);
  fprintf(f, "], \"annotations\": [");
  uint32_t x = 1;
  for (int i = 0; i < IMAGES; i++) {
    fprintf(f, "%s{\"image_id\": %d, \"file_name\": \"%012d.png\", \"segments_info\": [", i ? ", " : "",
            100000 + i, i);
    for (int k = 0; k < SEGS; k++) {
      x = x * 1103515245u + 12345u;
      fprintf(f,
              "%s{\"id\": %d, \"category_id\": %u, \"iscrowd\": 0, \"area\": %u, \"bbox\": [1, 2, 3, 4], "
              "\"description\": \"a man riding a horse on the beach next to the water\"}",
              k ? ", " : "", k * 65536 + 1 + (int)(x >> 24), 1 + (x >> 8) % 133, (x >> 4) % 10000);
    }
    fprintf(f, "]}");
  }
  fprintf(f, "]}\n");
  long bytes = ftell(f);
  fclose(f);
  int rc = 0;
  for (int run = 0; run < 3 && !rc; run++) {
    p2c_dataset *ds;
    p2c_error e;
    double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (p2c_dataset_load(path, NULL, &ds, &e) != P2C_OK) {
      fprintf(stderr, "%s\n", e.message);
      rc = 1;
      break;
    }
    double dt = clock_s(CLOCK_MONOTONIC) - t0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("load %.1f MB, %zu images, %zu segments: %.3f s wall, %.3f s CPU (%.0f MB/s CPU)\n",
           (double)bytes / 1e6, p2c_dataset_num_images(ds), p2c_dataset_num_segments(ds), dt, cpu,
           (double)bytes / 1e6 / cpu);
    p2c_dataset_free(ds);
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("peak RSS %ld MB\n", ru.ru_maxrss / 1024);
  remove(path);
  return rc;
}
