/* Caption metrics throughput: N keys x (1 hypothesis + 5 references) of ~23
 * words, generated deterministically (a 3000-word vocabulary with Zipf-like
 * frequencies and a Markov chain of usual successors, so that n-grams repeat
 * about as in real captions).
 *
 * Measures, single thread, CPU time of the process (CLOCK_PROCESS_CPUTIME_ID:
 * the machine is shared, wall clock would count the waits):
 *   add (tokenized)   p2c_captions_add of pre-tokenized text (interning)
 *   Bleu / ROUGE_L / CIDEr   p2c_captions_score with that metric alone
 *   all three         p2c_captions_score with the default metrics
 *   tokenize          p2c_tokenize of the raw form of every caption
 * and the peak resident set size of the process (getrusage), which only grows:
 * read it as the high-water mark after each N.
 *
 * Usage: bench_captions [N ...]   (default: 1000 10000 50000)
 *        bench_captions -m METRICS N   (p2c_captions_score with those
 *        metrics only, e.g. for valgrind --tool=callgrind
 *        --toggle-collect=p2c_captions_score; -m tokenize: the tokenizer) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_clock.h"
#include "p2ceval.h"

#define VOCAB 3000
#define REFS 5

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next_u64(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static char words[VOCAB][12];

static void make_vocab(void)
{
  static const char *const syll[] = {"ba", "ke", "lo", "mi", "nu", "ra", "se", "ti", "vo", "za",
                                     "an", "er", "in", "on", "us", "ch", "st", "tr", "pl", "gr"};
  for (int i = 0; i < VOCAB; i++) {
    int n = 1 + (i % 3), v = i;
    words[i][0] = '\0';
    for (int k = 0; k < n + 1; k++) {
      strcat(words[i], syll[v % 20]);
      v /= 20;
      if (!v) v = i + k + 7;
    }
  }
  /* frequent function words, as in captions */
  static const char *const common[] = {"a", "the", "of", "on", "in", "with", "and", "is", "to", "at"};
  for (int i = 0; i < 10; i++) strcpy(words[i], common[i]);
}

/* Zipf-like: the square of a uniform variate favours small ids. */
static int pick(void)
{
  double u = (double)(next_u64() >> 11) / 9007199254740992.0;
  return (int)(u * u * VOCAB);
}

/* Word order follows a Markov chain: after word w comes, 4 times out of 5,
 * one of its 6 usual successors, else any word. That gives about the n-gram
 * repetition of real captions (distinct / total n-grams is 0.38 on the
 * coco-caption demo corpus, 6005 captions; about 0.4 here at 1000 keys). */
static int succ[VOCAB][6];

static void make_chain(void)
{
  for (int w = 0; w < VOCAB; w++)
    for (int k = 0; k < 6; k++) succ[w][k] = pick();
}

/* One caption of 18..28 words: tokenized form, and raw form (capitalized,
 * a comma now and then, a final period). */
static void make_caption(char *tok, char *raw)
{
  int n = 18 + (int)(next_u64() % 11);
  int prev = pick();
  tok[0] = raw[0] = '\0';
  for (int i = 0; i < n; i++) {
    uint64_t r = next_u64();
    int id = i == 0 ? prev : (r % 5 ? succ[prev][(r >> 8) % 6] : pick());
    prev = id;
    const char *w = words[id];
    if (i) strcat(tok, " "), strcat(raw, " ");
    strcat(tok, w);
    size_t at = strlen(raw);
    strcat(raw, w);
    if (i == 0) raw[at] = (char)(raw[at] - 'a' + 'A');
    if (i > 2 && i < n - 2 && next_u64() % 9 == 0) strcat(raw, ",");
  }
  strcat(raw, ".");
}

static double now(void) { return bench_seconds(CLOCK_PROCESS_CPUTIME_ID); }

static long peak_rss_mb(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

/* The captions of key i, regenerated on demand (so that the benchmark's own
 * data does not count in the peak memory): caption 0 is the hypothesis. */
typedef struct item {
  char tok[6][400], raw[6][400];
} item;

static void make_item(size_t i, item *it)
{
  rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(i + 1) * 0xd1b54a32d192ed03ULL;
  for (int c = 0; c < 6; c++) make_caption(it->tok[c], it->raw[c]);
}

typedef struct corpus {
  size_t n;
} corpus;

static double score_with(const corpus *c, const char *metrics, int text, double *add_s, double *corpus_value)
{
  p2c_captions_options opts = P2C_CAPTIONS_OPTIONS_INIT;
  opts.metrics = metrics;
  opts.text = text;
  p2c_captions *h;
  p2c_error err;
  if (p2c_captions_create(&opts, &h, &err)) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  char key[32];
  double t0 = now();
  static item it;
  double gen = 0;
  for (size_t i = 0; i < c->n; i++) {
    double g0 = now();
    make_item(i, &it);
    gen += now() - g0;
    const char *refs[REFS];
    for (int r = 0; r < REFS; r++) refs[r] = text == P2C_TEXT_RAW ? it.raw[1 + r] : it.tok[1 + r];
    snprintf(key, sizeof key, "%zu", i);
    if (p2c_captions_add(h, key, refs, REFS, text == P2C_TEXT_RAW ? it.raw[0] : it.tok[0])) {
      fprintf(stderr, "%s\n", p2c_captions_last_error(h));
      exit(1);
    }
  }
  double t1 = now();
  if (p2c_captions_score(h)) {
    fprintf(stderr, "%s\n", p2c_captions_last_error(h));
    exit(1);
  }
  double t2 = now();
  if (add_s) *add_s = t1 - t0 - gen;
  if (corpus_value) p2c_captions_corpus(h, p2c_captions_num_metrics(h) - 1, corpus_value);
  p2c_captions_free(h);
  return t2 - t1;
}

/* CPU time of p2c_tokenize on the raw form of every caption. */
static double tokenize_all(const corpus *c)
{
  p2c_tokenizer *t;
  p2c_error err;
  if (p2c_tokenizer_create(&t, &err)) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  double tok = 0;
  static item it;
  for (size_t i = 0; i < c->n; i++) {
    make_item(i, &it);
    double t0 = now();
    for (int k = 0; k < 6; k++) {
      const char *out;
      size_t len;
      if (p2c_tokenize(t, it.raw[k], strlen(it.raw[k]), &out, &len)) {
        fprintf(stderr, "%s\n", p2c_tokenizer_last_error(t));
        exit(1);
      }
    }
    tok += now() - t0;
  }
  p2c_tokenizer_free(t);
  return tok;
}

int main(int argc, char **argv)
{
  size_t sizes[8] = {1000, 10000, 50000};
  int n_sizes = 3;
  const char *only = NULL;
  if (argc > 2 && !strcmp(argv[1], "-m")) {
    only = argv[2];
    argv += 2;
    argc -= 2;
  }
  if (argc > 1) {
    n_sizes = 0;
    for (int i = 1; i < argc && n_sizes < 8; i++) sizes[n_sizes++] = (size_t)strtoul(argv[i], NULL, 10);
  }
  make_vocab();
  make_chain();
  if (only) {
    for (int s = 0; s < n_sizes; s++) {
      corpus c = {sizes[s]};
      double t = strcmp(only, "tokenize") ? score_with(&c, only, P2C_TEXT_TOKENIZED, NULL, NULL)
                                          : tokenize_all(&c);
      printf("%zu keys, %s: %.3f s CPU, peak RSS %ld MB\n", c.n, only, t, peak_rss_mb());
    }
    return 0;
  }
  printf("caption metrics, 1 thread; keys x (1 hyp + %d refs), 18-28 words per caption;\n"
         "seconds of process CPU time (CLOCK_PROCESS_CPUTIME_ID), peak RSS of the process so far "
         "(getrusage)\n",
         REFS);
  printf("%8s %10s %8s %8s %8s %9s %10s %10s %8s\n", "keys", "add(tok)", "Bleu", "ROUGE_L", "CIDEr",
         "all3", "add+all3", "tokenize", "peakMB");
  for (int s = 0; s < n_sizes; s++) {
    corpus c;
    c.n = sizes[s];

    double add, bleu, rouge, cider, all, cider_value;
    bleu = score_with(&c, "Bleu_1,Bleu_2,Bleu_3,Bleu_4", P2C_TEXT_TOKENIZED, NULL, NULL);
    rouge = score_with(&c, "ROUGE_L", P2C_TEXT_TOKENIZED, NULL, NULL);
    cider = score_with(&c, "CIDEr", P2C_TEXT_TOKENIZED, NULL, &cider_value);
    all = score_with(&c, NULL, P2C_TEXT_TOKENIZED, &add, NULL);

    double tok = tokenize_all(&c);
    printf("%8zu %9.3fs %7.3fs %7.3fs %7.3fs %8.3fs %9.3fs %9.3fs %8ld\n", c.n, add, bleu, rouge,
           cider, all, add + all, tok, peak_rss_mb());
    (void)cider_value;
  }
  return 0;
}
