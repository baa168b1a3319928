/* METEOR 1.5 speed: scored pairs per second on ~23-word captions.
 * Captions are generated deterministically (a fixed template vocabulary, the
 * hypothesis a perturbed copy of its reference: words dropped, swapped,
 * replaced by synonyms or inflected forms), so runs are comparable. Reports
 * the handle's creation time (loading WordNet) and the single-thread
 * throughput with 1 and with 5 references per hypothesis, measured in process
 * CPU time (the test machine is shared: wall time varies with its load). The
 * handle caches each word's features (stem, synonym sets) on first sight, so
 * the first pass is also reported. For instruction counts, which do not
 * depend on the machine's load, run it under valgrind --tool=callgrind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"
#include "p2ceval.h"

static double now(void) { return bench_seconds(CLOCK_PROCESS_CPUTIME_ID); }

static unsigned long long rng = 88172645463325252ull;
static unsigned next(unsigned n)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

static const char *const adj[] = {"white", "large", "small", "red", "wooden", "old", "round",
                                  "dark", "big", "little", "metal", "striped", "bright", "long"};
static const char *const noun[] = {"lamp", "table", "sofa", "couch", "dog", "man", "woman",
                                   "chair", "window", "car", "automobile", "bicycle", "tree",
                                   "picture", "photo", "counter", "kitchen", "street", "grass"};
static const char *const verb[] = {"standing", "sitting", "placed", "parked", "lying", "running",
                                   "hanging", "leaning", "resting"};
static const char *const prep[] = {"on", "under", "near", "beside", "in front of", "behind",
                                   "next to", "in", "with"};

static void caption(char *out, size_t size)
{
  snprintf(out, size,
           "a %s %s %s %s %s the %s %s with a %s %s and a %s %s in the %s corner of the %s",
           adj[next(14)], adj[next(14)], noun[next(19)], verb[next(9)], prep[next(9)],
           adj[next(14)], noun[next(19)], adj[next(14)], noun[next(19)], adj[next(14)],
           noun[next(19)], adj[next(14)], noun[next(19)]);
}

/* Drop, swap or replace a few words. */
static void perturb(const char *in, char *out, size_t size)
{
  char words[64][32];
  int n = 0;
  const char *p = in;
  while (*p && n < 64) {
    while (*p == ' ') p++;
    int k = 0;
    while (*p && *p != ' ' && k < 31) words[n][k++] = *p++;
    words[n][k] = 0;
    if (k) n++;
  }
  for (int e = 0; e < 4; e++) {
    int i = (int)next((unsigned)n), j = (int)next((unsigned)n);
    switch (next(4)) {
    case 0: strcpy(words[i], ""); break;
    case 1: {
      if (i == j) break;
      char t[32];
      memcpy(t, words[i], sizeof t);
      memcpy(words[i], words[j], sizeof t);
      memcpy(words[j], t, sizeof t);
      break;
    }
    case 2: strcpy(words[i], noun[next(19)]); break;
    default: strcat(words[i], strlen(words[i]) < 28 ? "s" : ""); break;
    }
  }
  size_t o = 0;
  out[0] = 0;
  for (int i = 0; i < n; i++)
    if (words[i][0]) o += (size_t)snprintf(out + o, size - o, "%s%s", o ? " " : "", words[i]);
}

#define N 2000
static char hyp[N][512], refs[N][5][512];

int main(void)
{
  for (int i = 0; i < N; i++) {
    caption(refs[i][0], sizeof refs[i][0]);
    perturb(refs[i][0], hyp[i], sizeof hyp[i]);
    for (int k = 1; k < 5; k++) perturb(refs[i][0], refs[i][k], sizeof refs[i][k]);
  }
  size_t words = 0;
  for (int i = 0; i < N; i++)
    for (const char *p = refs[i][0]; *p; p++) words += *p == ' ';
  double t0 = now();
  p2c_meteor15 *m = NULL;
  p2c_error err;
  if (p2c_meteor15_create(NULL, &m, &err) != 0) {
    fprintf(stderr, "bench_meteor15: %s\n", err.message);
    return 1;
  }
  double t1 = now();
  printf("meteor-1.5: create (WordNet dict synonyms from /usr/share/wordnet): %.3f s\n", t1 - t0);
  printf("meteor-1.5: %d generated pairs, references of %.1f words on average\n", N,
         (double)words / N + 1);
  for (int nrefs = 1; nrefs <= 5; nrefs += 4) {
    double acc[P2C_METEOR15_NUM_STATS] = {0}, stats[P2C_METEOR15_NUM_STATS], s;
    double best = 1e30, first = 0;
    for (int rep = 0; rep < 3; rep++) {
      double a = now();
      for (int i = 0; i < N; i++) {
        const char *r[5] = {refs[i][0], refs[i][1], refs[i][2], refs[i][3], refs[i][4]};
        if (p2c_meteor15_score(m, hyp[i], r, (size_t)nrefs, &s, stats) != 0) {
          fprintf(stderr, "bench_meteor15: %s\n", p2c_meteor15_last_error(m));
          return 1;
        }
        if (rep == 0) p2c_meteor15_stats_add(acc, stats);
      }
      double b = now() - a;
      if (b < best) best = b;
      if (rep == 0) first = b;
    }
    printf("meteor-1.5: %d reference(s) per hypothesis: %.0f pairs/s (%.0f hypothesis-reference "
           "alignments/s), best of 3 single-thread runs, CPU time; corpus score %.6f\n",
           nrefs, N / best, N * nrefs / best, p2c_meteor15_stats_score(acc));
    if (nrefs == 1)
      printf("meteor-1.5: first pass on the fresh handle (its word cache filling): %.0f pairs/s\n",
             N / first);
  }
  p2c_meteor15_free(m);
  return 0;
}
