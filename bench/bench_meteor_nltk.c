/* METEOR (NLTK 3.8 variant): WordNet load time and pairs scored per second.
 *
 * Captions: 2,000 hypothesis/reference pairs of 23 words drawn with a fixed
 * LCG from a 120-word caption vocabulary (articles, colours, nouns with plurals
 * and synonyms, -ing verbs), so all three matching stages run. Each pair has
 * one reference, as in the Pix2Cap mAP script. "cold" is the first pass over
 * the pairs on a fresh handle (caches filling), "warm" the following passes.
 * Times are wall clock (CLOCK_MONOTONIC) and CPU time of this process
 * (CLOCK_PROCESS_CPUTIME_ID; less disturbed when other jobs share the cores),
 * on one thread, best of the runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"
#include "p2ceval.h"
#include "text/wordnet.h"

static double clock_ms(clockid_t id) { return 1e3 * bench_seconds(id); }
static double now_ms(void) { return clock_ms(CLOCK_MONOTONIC); }
static double cpu_ms(void) { return clock_ms(CLOCK_PROCESS_CPUTIME_ID); }

static const char *const vocab[] = {
    "a", "an", "the", "the", "a", "of", "on", "in", "with", "and", "near", "at", "under", "by",
    "is", "are", "two", "three", "some", "its", "red", "blue", "green", "white", "black",
    "brown", "yellow", "large", "big", "small", "little", "young", "old", "wooden", "metal",
    "striped", "dark", "bright", "tall", "short", "man", "men", "woman", "women", "person",
    "people", "child", "children", "boy", "girl", "dog", "dogs", "cat", "cats", "horse",
    "horses", "car", "cars", "automobile", "truck", "bus", "bicycle", "bike", "sofa", "couch",
    "chair", "chairs", "table", "tables", "bed", "window", "windows", "door", "wall", "floor",
    "street", "road", "sidewalk", "grass", "field", "tree", "trees", "sky", "cloud", "clouds",
    "water", "beach", "shirt", "jacket", "hat", "cap", "bag", "plate", "pizza", "sandwich",
    "photo", "picture", "sign", "building", "house", "room", "kitchen", "standing", "sitting",
    "running", "walking", "riding", "holding", "eating", "playing", "looking", "parked",
    "lying", "wearing", "covered", "filled", "stacked", "hanging"};
#define NV (sizeof vocab / sizeof vocab[0])
#define NPAIRS 2000
#define NWORDS 23

static unsigned long long lcg = 20251129;
static unsigned rnd(unsigned n)
{
  lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
  return (unsigned)((lcg >> 33) % n);
}

static char *sentence(void)
{
  char *s = malloc(NWORDS * 16);
  if (!s) exit(3);
  s[0] = '\0';
  for (int k = 0; k < NWORDS; k++) {
    if (k) strcat(s, " ");
    strcat(s, vocab[rnd(NV)]);
  }
  return s;
}

int main(void)
{
  /* WordNet load: the first open in this process, then the best of 4 more */
  double first = 0, best = 1e30, first_cpu = 0, best_cpu = 1e30;
  for (int i = 0; i < 5; i++) {
    p2ci_wordnet *wn;
    p2c_error err;
    double t0 = now_ms(), c0 = cpu_ms();
    if (p2ci_wordnet_open(NULL, &wn, &err) != 0) {
      printf("bench_meteor_nltk: %s\n", err.message);
      return 1;
    }
    double dt = now_ms() - t0, dc = cpu_ms() - c0;
    if (i == 0) first = dt, first_cpu = dc;
    if (dt < best) best = dt;
    if (dc < best_cpu) best_cpu = dc;
    p2ci_wordnet_free(wn);
  }
  printf("WordNet load (p2ci_wordnet_open): first %.1f ms (CPU %.1f ms), best of 5 %.1f ms "
         "(CPU %.1f ms)\n", first, first_cpu, best, best_cpu);

  char *hyp[NPAIRS], *ref[NPAIRS];
  for (int i = 0; i < NPAIRS; i++) {
    hyp[i] = sentence();
    ref[i] = sentence();
  }
  p2c_meteor_nltk *m;
  p2c_error err;
  double t0 = now_ms();
  if (p2c_meteor_nltk_create(NULL, &m, &err) != 0) {
    printf("bench_meteor_nltk: %s\n", err.message);
    return 1;
  }
  double t_create = now_ms() - t0;
  double sum = 0, cold = 0, warm = 1e30, warm_cpu = 1e30;
  for (int pass = 0; pass < 6; pass++) {
    t0 = now_ms();
    double c0 = cpu_ms();
    for (int i = 0; i < NPAIRS; i++) {
      double s;
      const char *r = ref[i];
      if (p2c_meteor_nltk_score(m, &r, 1, hyp[i], &s) != 0) {
        printf("bench_meteor_nltk: %s\n", p2c_meteor_nltk_last_error(m));
        return 1;
      }
      sum += s;
    }
    double dt = now_ms() - t0, dc = cpu_ms() - c0;
    if (pass == 0) {
      cold = dt;
    } else {
      if (dt < warm) warm = dt;
      if (dc < warm_cpu) warm_cpu = dc;
    }
  }
  printf("p2c_meteor_nltk_create: %.1f ms\n", t_create);
  printf("%d pairs of %d words, 1 reference each (checksum %.6f)\n", NPAIRS, NWORDS, sum);
  printf("  cold pass: %.1f ms, %.0f pairs/s\n", cold, NPAIRS / (cold / 1e3));
  printf("  warm pass: %.1f ms, %.0f pairs/s (%.2f us/pair; NLTK 3.8: ~3800 us/pair)\n", warm,
         NPAIRS / (warm / 1e3), warm * 1e3 / NPAIRS);
  printf("  warm pass, CPU time: %.1f ms, %.0f pairs/s per core\n", warm_cpu,
         NPAIRS / (warm_cpu / 1e3));
  p2c_meteor_nltk_free(m);
  for (int i = 0; i < NPAIRS; i++) {
    free(hyp[i]);
    free(ref[i]);
  }
  return 0;
}
