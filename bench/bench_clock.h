/* The benchmarks' clock: seconds on clock id (CLOCK_MONOTONIC for wall time,
 * CLOCK_PROCESS_CPUTIME_ID or CLOCK_THREAD_CPUTIME_ID for CPU time). */
#ifndef P2C_BENCH_CLOCK_H
#define P2C_BENCH_CLOCK_H

#include <time.h>

static inline double bench_seconds(clockid_t id)
{
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
