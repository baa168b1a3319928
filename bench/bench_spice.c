/* SPICE-style speed: tuple extraction and full scoring on Pix2Cap-length
 * descriptions (~23 words). Captions are varied by rotating subjects,
 * colours and places so that interning does not see only repeats.
 * Usage: bench_spice [seconds per measurement, default 1]. One thread;
 * rates are per second of process CPU time (CLOCK_PROCESS_CPUTIME_ID), so
 * that they hold on a shared machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"
#include "p2ceval.h"

static double now(void) { return bench_seconds(CLOCK_PROCESS_CPUTIME_ID); }

/* @1 and @2 are replaced by rotating words. */
static const char *const TEMPLATES[] = {
    "a @1 @2 in a blue shirt is standing on a wooden dock next to a small boat while holding a long fishing rod",
    "the large @1 bus is driving down a busy city street as several people wait at the bus stop near a @2 awning",
    "a young @1 with long brown hair sits on a wooden bench in the park holding a small @2 umbrella over her head",
    "two @1 dogs are playing with a @2 frisbee on the green grass in front of a white house with a red door",
    "a plate of food with rice and @1 vegetables sits on a wooden table next to a glass of @2 orange juice",
    "a man riding a @1 horse across a sandy beach while a @2 dog runs beside him near the blue water",
};

static void fill(char *out, size_t size, const char *tpl, const char *w1, const char *w2)
{
  size_t k = 0;
  for (const char *p = tpl; *p && k + 1 < size; p++) {
    const char *w = NULL;
    if (p[0] == '@' && (p[1] == '1' || p[1] == '2')) w = p[1] == '1' ? w1 : w2;
    if (w) {
      for (; *w && k + 1 < size; w++) out[k++] = *w;
      p++;
    } else {
      out[k++] = *p;
    }
  }
  out[k] = '\0';
}
static const char *const WORDS[] = {"red", "tall", "black", "woman", "yellow", "old", "brown", "small", "green", "big"};

int main(int argc, char **argv)
{
  double secs = argc > 1 ? atof(argv[1]) : 1.0;
  if (secs <= 0) secs = 1.0;
  enum { N = 600 };
  static char caps[N][256];
  size_t words = 0;
  for (int i = 0; i < N; i++) {
    fill(caps[i], sizeof caps[i], TEMPLATES[i % 6], WORDS[i % 10], WORDS[(i / 10) % 10]);
    for (const char *p = caps[i]; *p; p++) words += *p == ' ';
    words++;
  }
  p2c_error err;
  p2c_spice *sp;
  double t0 = now();
  if (p2c_spice_create(NULL, &sp, &err)) {
    fprintf(stderr, "bench_spice: %s\n", err.message);
    return 1;
  }
  double load = now() - t0;
  printf("spice-style: WordNet load %.3f s; captions of %.1f words on average\n", load, (double)words / N);

  /* extraction only */
  long n = 0;
  t0 = now();
  double t1;
  do {
    for (int i = 0; i < N; i++) {
      const p2c_spice_tuple *t;
      size_t nt;
      if (p2c_spice_extract(sp, caps[i], &t, &nt)) return 1;
    }
    n += N;
  } while ((t1 = now()) - t0 < secs);
  printf("extraction: %.0f captions/s (%ld captions in %.2f s)\n", (double)n / (t1 - t0), n, t1 - t0);

  /* full scoring: one hypothesis against 5 references per image */
  n = 0;
  t0 = now();
  do {
    for (int i = 0; i + 6 <= N; i += 6) {
      const char *refs[5] = {caps[i + 1], caps[i + 2], caps[i + 3], caps[i + 4], caps[i + 5]};
      p2c_spice_detail d;
      if (p2c_spice_score(sp, refs, 5, caps[i], &d)) return 1;
      n++;
    }
  } while ((t1 = now()) - t0 < secs);
  printf("scoring: %.0f images/s with 5 references (%.0f captions/s extracted and matched)\n", (double)n / (t1 - t0),
         6.0 * (double)n / (t1 - t0));
  p2c_spice_free(sp);
  return 0;
}
