/* WordNet load time of the three scorers that read it: METEOR (NLTK 3.8),
 * METEOR 1.5 (WordNet folder synonyms) and SPICE-style, each created alone
 * (the only WordNet user alive, so each reads the folder itself) and all three
 * alive at once, as in one p2c-eval run (they then share one loaded WordNet).
 * CPU time of this process (CLOCK_PROCESS_CPUTIME_ID) and wall clock, best of
 * 5 runs, one thread, files in the page cache after the first run. The folder
 * is /usr/share/wordnet or $P2C_WORDNET_DIR. */
#include <stdio.h>
#include <time.h>

#include "bench_clock.h"
#include "p2ceval.h"

static double clock_ms(clockid_t id) { return 1e3 * bench_seconds(id); }

enum { NLTK = 1, M15 = 2, SPICE = 4 };

/* Create the chosen scorers (in protocol order), free them; 0 or -1. */
static int run(int which, double *cpu, double *wall)
{
  p2c_meteor_nltk *a = NULL;
  p2c_meteor15 *b = NULL;
  p2c_spice *c = NULL;
  p2c_error e;
  int rc = 0;
  double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID), w0 = clock_ms(CLOCK_MONOTONIC);
  if ((which & NLTK) && p2c_meteor_nltk_create(NULL, &a, &e)) rc = -1;
  if (!rc && (which & M15) && p2c_meteor15_create(NULL, &b, &e)) rc = -1;
  if (!rc && (which & SPICE) && p2c_spice_create(NULL, &c, &e)) rc = -1;
  *cpu = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
  *wall = clock_ms(CLOCK_MONOTONIC) - w0;
  if (rc) fprintf(stderr, "bench_wordnet: %s\n", e.message);
  p2c_meteor_nltk_free(a);
  p2c_meteor15_free(b);
  p2c_spice_free(c);
  return rc;
}

int main(void)
{
  static const struct {
    int which;
    const char *name;
  } cases[] = {{NLTK, "METEOR (NLTK) alone"},
               {M15, "METEOR 1.5 alone"},
               {SPICE, "SPICE alone"},
               {NLTK | M15 | SPICE, "all three at once"}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    double best_cpu = 1e300, best_wall = 1e300;
    for (int r = 0; r < 5; r++) {
      double cpu, wall;
      if (run(cases[k].which, &cpu, &wall)) return 1;
      if (cpu < best_cpu) best_cpu = cpu;
      if (wall < best_wall) best_wall = wall;
    }
    printf("create %-20s CPU %7.1f ms  wall %7.1f ms  (best of 5)\n", cases[k].name, best_cpu,
           best_wall);
  }
  return 0;
}
