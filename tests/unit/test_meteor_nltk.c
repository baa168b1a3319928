/* METEOR, NLTK 3.8 variant: every NLTK golden of ../shared/parity/meteor
 * (edge.jsonl, realistic_1000.jsonl and its corpus mean) and the single-match
 * table of ../shared/parity/panoptic, plus error handling. */
#include <cjson/cJSON.h>
#include <zlib.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/summation.h"
#include "metrics/meteor_nltk.h"
#include "text/wordnet.h"
#include "p2ceval.h"
#include "testutil.h"

static p2c_meteor_nltk *scorer_or_skip(void)
{
  p2c_meteor_nltk *m = NULL;
  p2c_error err;
  if (p2c_meteor_nltk_create(NULL, &m, &err) != 0) {
    printf("SKIP METEOR (NLTK) tests: %s\n", err.message);
    return NULL;
  }
  return m;
}

static double score1(p2c_meteor_nltk *m, const char *ref, const char *hyp)
{
  double s = -1;
  ck_assert_int_eq(p2c_meteor_nltk_score(m, &ref, 1, hyp, &s), 0);
  return s;
}

START_TEST(docstring_examples)
{
  p2c_meteor_nltk *m = scorer_or_skip();
  if (!m) return;
  /* nltk.translate.meteor_score docstrings: round(..., 4) == 0.6944 and 0.0 */
  const char *hyp = "It is a guide to action which ensures that the military always obeys the "
                    "commands of the party";
  const char *ref = "It is a guide to action that ensures that the military will forever heed "
                    "Party commands";
  ck_assert(fabs(score1(m, ref, hyp) - 0.6944) < 5e-5);
  ck_assert(score1(m, "this is a cat", "non matching hypothesis") == 0.0);
  /* identical single word: P = R = 1, one chunk: (1 - 0.5) * 1 */
  ck_assert(score1(m, "dog", "dog") == 0.5);
  p2c_meteor_nltk_free(m);
}
END_TEST

START_TEST(errors_not_crashes)
{
  p2c_meteor_nltk *m = scorer_or_skip();
  if (!m) return;
  double s;
  const char *refs[] = {"a cat", NULL};
  ck_assert_int_eq(p2c_meteor_nltk_score(m, refs, 0, "a cat", &s), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_nonnull(strstr(p2c_meteor_nltk_last_error(m), "no reference"));
  ck_assert_int_eq(p2c_meteor_nltk_score(m, refs, 2, "a cat", &s), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_meteor_nltk_score(m, refs, 1, NULL, &s), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_meteor_nltk_score(m, refs, 1, "a \xff cat", &s), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(p2c_meteor_nltk_last_error(m), "hypothesis: invalid UTF-8 at byte 2"));
  const char *bad_ref = "caf\xc3";
  ck_assert_int_eq(p2c_meteor_nltk_score(m, &bad_ref, 1, "cafe", &s), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(p2c_meteor_nltk_last_error(m), "reference 0"));
  /* the handle still works after errors */
  ck_assert(score1(m, "a cat", "a cat") > 0.9);
  ck_assert_str_eq(p2c_meteor_nltk_last_error(m), "");
  p2c_meteor_nltk_free(NULL);
  p2c_meteor_nltk_free(m);
  /* a missing WordNet folder is an error naming it */
  p2c_meteor_nltk_options o = P2C_METEOR_NLTK_OPTIONS_INIT;
  o.wordnet_dir = "/nonexistent/wn";
  p2c_error err;
  m = (p2c_meteor_nltk *)1;
  ck_assert_int_eq(p2c_meteor_nltk_create(&o, &m, &err), P2C_ERR_IO);
  ck_assert_ptr_null(m);
  ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent/wn"));
  o.version = 99;
  ck_assert_int_eq(p2c_meteor_nltk_create(&o, &m, &err), P2C_ERR_VERSION);
}
END_TEST

START_TEST(word_api_matches_string_api)
{
  p2c_meteor_nltk *m = scorer_or_skip();
  if (!m) return;
  const char *h[] = {"Two", "dogs", "running", "on", "beaches"};
  const char *r0[] = {"a", "cat"};
  const char *r1[] = {"two", "dog", "runs", "on", "the", "beach"};
  const char *const *refs[] = {r0, r1};
  size_t lens[] = {2, 6};
  double a, b;
  ck_assert_int_eq(p2c_meteor_nltk_score_words(m, refs, lens, 2, h, 5, &a), 0);
  const char *srefs[] = {"a cat", "two dog runs on the beach"};
  ck_assert_int_eq(p2c_meteor_nltk_score(m, srefs, 2, "Two dogs running on beaches", &b), 0);
  ck_assert(a == b);
  ck_assert(a == 0.8203389830508474); /* edge.jsonl plural_stems */
  /* words are not split again: "a b" is one word */
  const char *w1[] = {"a b"};
  const char *const *wr[] = {w1};
  size_t l1 = 1;
  ck_assert_int_eq(p2c_meteor_nltk_score_words(m, wr, &l1, 1, w1, 1, &a), 0);
  ck_assert(a == 0.5);
  p2c_meteor_nltk_free(m);
}
END_TEST

/* Score every line of a jsonl golden; returns the number of lines. */
static size_t run_jsonl(p2c_meteor_nltk *m, const char *path, p2ct_cmp *cmp, double **scores)
{
  FILE *f = fopen(path, "r");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  static char line[1 << 20];
  size_t n = 0, cap = 0;
  while (fgets(line, sizeof line, f)) {
    cJSON *o = cJSON_Parse(line);
    ck_assert_ptr_nonnull(o);
    const cJSON *id = cJSON_GetObjectItem(o, "id");
    const cJSON *hyp = cJSON_GetObjectItem(o, "hyp");
    const cJSON *refs = cJSON_GetObjectItem(o, "refs");
    const cJSON *want = cJSON_GetObjectItem(o, "nltk_meteor");
    ck_assert(cJSON_IsString(hyp) && cJSON_IsArray(refs) && want);
    size_t nr = (size_t)cJSON_GetArraySize(refs);
    const char *rv[16];
    ck_assert_uint_le(nr, 16);
    for (size_t r = 0; r < nr; r++) rv[r] = cJSON_GetArrayItem(refs, (int)r)->valuestring;
    double s = -1;
    int rc = p2c_meteor_nltk_score(m, rv, nr, hyp->valuestring, &s);
    if (cJSON_IsNull(want)) { /* NLTK raised (refs == []) */
      ck_assert_uint_eq(nr, 0);
      ck_assert_int_eq(rc, P2C_ERR_INVALID_ARG);
    } else {
      ck_assert_msg(rc == 0, "%s: %s", id->valuestring, p2c_meteor_nltk_last_error(m));
      if (!p2ct_cmp_add(cmp, want->valuedouble, s))
        printf("  %s: NLTK %.17g, got %.17g\n", id->valuestring, want->valuedouble, s);
      if (scores) {
        ck_assert_int_eq(p2ci_grow(scores, &cap, n + 1, sizeof **scores), 0);
        (*scores)[n] = s;
      }
    }
    n++;
    cJSON_Delete(o);
  }
  fclose(f);
  return n;
}

START_TEST(edge_goldens)
{
  const char *path = p2ct_parity("meteor/edge.jsonl");
  if (!path) {
    p2ct_skip("meteor/edge.jsonl");
    return;
  }
  p2c_meteor_nltk *m = scorer_or_skip();
  if (!m) return;
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "meteor-nltk edge.jsonl", 1e-12);
  size_t n = run_jsonl(m, path, &cmp, NULL);
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(n, 105);
  ck_assert_uint_eq(cmp.total, 104);
  ck_assert_uint_eq(cmp.within, cmp.total);
  p2c_meteor_nltk_free(m);
}
END_TEST

START_TEST(realistic_goldens_and_mean)
{
  const char *path = p2ct_parity("meteor/realistic_1000.jsonl");
  if (!path) {
    p2ct_skip("meteor/realistic_1000.jsonl");
    return;
  }
  p2c_meteor_nltk *m = scorer_or_skip();
  if (!m) return;
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "meteor-nltk realistic_1000.jsonl", 1e-12);
  double *scores = NULL;
  size_t n = run_jsonl(m, path, &cmp, &scores);
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(n, 1000);
  ck_assert_uint_eq(cmp.within, 1000);
  /* corpus: plain left-to-right mean in file order, and math.fsum's */
  cJSON *corpus = p2ct_parity_json("meteor/realistic_1000.corpus.json");
  double want = cJSON_GetObjectItem(corpus, "nltk_mean")->valuedouble;
  double want_fsum = cJSON_GetObjectItem(corpus, "nltk_mean_fsum")->valuedouble;
  double mean = p2ci_sum_sequential(scores, n) / (double)n;
  p2ct_cmp mc;
  p2ct_cmp_init(&mc, "meteor-nltk realistic nltk_mean", 1e-12);
  p2ct_cmp_add(&mc, want, mean);
  p2ct_cmp_report(&mc);
  ck_assert(mean == want);
  ck_assert(fabs(mean - want_fsum) <= 1e-12 * want_fsum);
  cJSON_Delete(corpus);
  free(scores);
  p2c_meteor_nltk_free(m);
}
END_TEST

START_TEST(single_match_table)
{
  const char *path = p2ct_parity("panoptic/meteor_single_match_table.json");
  if (!path) {
    p2ct_skip("panoptic/meteor_single_match_table.json");
    return;
  }
  p2c_meteor_nltk *m = scorer_or_skip();
  if (!m) return;
  cJSON *t = p2ct_json_file(path);
  ck_assert(cJSON_IsArray(t));
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "meteor-nltk single-match table", 1e-12);
  const cJSON *row;
  cJSON_ArrayForEach(row, t)
  {
    int L = cJSON_GetObjectItem(row, "L")->valueint;
    /* a hypothesis of L words, one of them the one-letter reference */
    char hyp[256] = "a";
    for (int k = 1; k < L; k++) strcat(hyp, " x");
    p2ct_cmp_add(&cmp, cJSON_GetObjectItem(row, "meteor")->valuedouble, score1(m, "a", hyp));
  }
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cmp.total, 30);
  ck_assert_uint_eq(cmp.identical, 30);
  cJSON_Delete(t);
  p2c_meteor_nltk_free(m);
}
END_TEST

/* 3,000 random pairs with heavy word repetition (tests/data, made by
 * tools/gen_meteor_nltk_random.py with NLTK 3.8): the greedy alignment order. */
START_TEST(random_pairs_own_golden)
{
  p2c_meteor_nltk *m = scorer_or_skip();
  if (!m) return;
  gzFile f = gzopen("tests/data/meteor_nltk_random.txt.gz", "rb");
  ck_assert_ptr_nonnull(f);
  static char line[1 << 14];
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "meteor-nltk random pairs (tests/data)", 1e-12);
  while (gzgets(f, line, sizeof line)) {
    size_t L = strlen(line);
    if (L && line[L - 1] == '\n') line[--L] = '\0';
    char *cols[8];
    size_t nc = 0;
    cols[nc++] = line;
    for (char *p = line; *p && nc < 8; p++)
      if (*p == '\t') {
        *p = '\0';
        cols[nc++] = p + 1;
      }
    ck_assert_uint_ge(nc, 3);
    double want = strtod(cols[0], NULL), got = -1;
    ck_assert_int_eq(p2c_meteor_nltk_score(m, (const char *const *)cols + 2, nc - 2, cols[1], &got), 0);
    if (!p2ct_cmp_add(&cmp, want, got)) printf("  differs: %s | %s\n", cols[1], cols[2]);
  }
  gzclose(f);
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cmp.total, 3000);
  ck_assert_uint_eq(cmp.identical, 3000);
  p2c_meteor_nltk_free(m);
}
END_TEST

/* The caption handle's METEOR, variant nltk, on the realistic set: per key
 * the NLTK score, corpus = the plain mean in key order (nltk_mean). */
START_TEST(caption_handle_variant_nltk)
{
  const char *path = p2ct_parity("meteor/realistic_1000.jsonl");
  if (!path) {
    p2ct_skip("meteor/realistic_1000.jsonl");
    return;
  }
  p2c_meteor_nltk *probe = scorer_or_skip();
  if (!probe) return;
  p2c_meteor_nltk_free(probe);
  p2c_captions_options o = P2C_CAPTIONS_OPTIONS_INIT;
  o.text = P2C_TEXT_TOKENIZED;
  o.metrics = "METEOR";
  p2c_captions *c;
  p2c_error err;
  ck_assert_int_eq(p2c_captions_create(&o, &c, &err), 0);
  ck_assert_int_eq(p2c_captions_set_option(c, "METEOR.variant", "nltk"), 0);
  ck_assert_int_eq(p2c_captions_set_option(c, "METEOR.variant", "2.0"), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_nonnull(strstr(p2c_captions_last_error(c), "known: "));
  ck_assert_int_eq(p2c_captions_set_option(c, "METEOR.wordnet", p2ci_wordnet_resolve_dir(NULL)), 0);
  ck_assert_int_eq(p2c_captions_set_option(c, "METEOR.nonsense", "1"), P2C_ERR_NOT_FOUND);
  FILE *f = fopen(path, "r");
  static char line[1 << 20];
  double want[1000];
  size_t n = 0;
  while (fgets(line, sizeof line, f) && n < 1000) {
    cJSON *j = cJSON_Parse(line);
    const cJSON *refs = cJSON_GetObjectItem(j, "refs");
    const char *rv[16];
    size_t nr = (size_t)cJSON_GetArraySize(refs);
    for (size_t r = 0; r < nr; r++) rv[r] = cJSON_GetArrayItem(refs, (int)r)->valuestring;
    ck_assert_int_eq(p2c_captions_add(c, cJSON_GetObjectItem(j, "id")->valuestring, rv, nr,
                                      cJSON_GetObjectItem(j, "hyp")->valuestring),
                     0);
    want[n++] = cJSON_GetObjectItem(j, "nltk_meteor")->valuedouble;
    cJSON_Delete(j);
  }
  fclose(f);
  ck_assert_msg(p2c_captions_score(c) == 0, "%s", p2c_captions_last_error(c));
  size_t mi;
  ck_assert_int_eq(p2c_captions_metric_index(c, "METEOR", &mi), 0);
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "captions handle METEOR (nltk) per key", 1e-12);
  for (size_t i = 0; i < n; i++) {
    double v;
    ck_assert_int_eq(p2c_captions_item_score(c, i, mi, &v), 0);
    p2ct_cmp_add(&cmp, want[i], v);
  }
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cmp.identical, 1000);
  double corpus;
  ck_assert_int_eq(p2c_captions_corpus(c, mi, &corpus), 0);
  cJSON *cj = p2ct_parity_json("meteor/realistic_1000.corpus.json");
  p2ct_cmp cc;
  p2ct_cmp_init(&cc, "captions handle METEOR (nltk) corpus = nltk_mean", 1e-12);
  p2ct_cmp_add(&cc, cJSON_GetObjectItem(cj, "nltk_mean")->valuedouble, corpus);
  p2ct_cmp_report(&cc);
  ck_assert_uint_eq(cc.identical, 1);
  cJSON_Delete(cj);
  p2c_captions_free(c);
}
END_TEST

/* Clones share WordNet and score identically on several threads at once. */
typedef struct job {
  p2c_meteor_nltk *m;
  double sum;
  int rc;
} job;

static void *run_job(void *arg)
{
  job *j = arg;
  const char *refs[] = {"two dog runs on the beach", "a cat sleeping on the couch"};
  for (int k = 0; k < 300 && !j->rc; k++) {
    double s;
    j->rc = p2c_meteor_nltk_score(j->m, refs, 2, k % 2 ? "Two dogs running on beaches" : "a kitten on a sofa", &s);
    j->sum += s;
  }
  return NULL;
}

START_TEST(clones_share_wordnet_across_threads)
{
  p2c_meteor_nltk *m = scorer_or_skip();
  if (!m) return;
  job jobs[3] = {{0}};
  pthread_t th[3];
  p2c_error err;
  for (int t = 0; t < 3; t++) ck_assert_int_eq(p2c_meteor_nltk_clone(m, &jobs[t].m, &err), 0);
  p2c_meteor_nltk_free(m); /* the clones keep WordNet alive */
  for (int t = 0; t < 3; t++) ck_assert_int_eq(pthread_create(&th[t], NULL, run_job, &jobs[t]), 0);
  for (int t = 0; t < 3; t++) {
    ck_assert_int_eq(pthread_join(th[t], NULL), 0);
    ck_assert_int_eq(jobs[t].rc, 0);
    ck_assert(jobs[t].sum == jobs[0].sum);
  }
  ck_assert(jobs[0].sum > 0);
  for (int t = 0; t < 3; t++) p2c_meteor_nltk_free(jobs[t].m);
  ck_assert_int_eq(p2c_meteor_nltk_clone(NULL, &m, &err), P2C_ERR_INVALID_ARG);
}
END_TEST

/* Garbage in: random bytes, valid and invalid UTF-8, very long words. Each
 * call returns 0 with a score in [0, 1] or P2C_ERR_PARSE; never crashes. */
START_TEST(random_bytes_never_crash)
{
  p2c_meteor_nltk *m = scorer_or_skip();
  if (!m) return;
  unsigned long long x = 88172645463325252ULL;
  static const char *pieces[] = {" ", "\t", "\xc2\xa0", "a", "s", "es", "ing", "ed", "dog",
                                 "\xce\xa3", "\xc4\xb0", "\xff", "\xc3", "\xe2\x80\x8b",
                                 "ies", "men", "*d", "y", "E", "\xf0\x9f\x90\xb6"};
  static char buf[2][4096];
  size_t ok = 0, parse = 0;
  for (int iter = 0; iter < 3000; iter++) {
    for (int k = 0; k < 2; k++) {
      size_t n = 0;
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      size_t parts = (size_t)(x % (iter % 100 == 0 ? 900 : 40));
      for (size_t p = 0; p < parts; p++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const char *piece = pieces[x % (sizeof pieces / sizeof *pieces)];
        size_t pl = strlen(piece);
        if (n + pl >= sizeof buf[k]) break;
        memcpy(buf[k] + n, piece, pl);
        n += pl;
      }
      buf[k][n] = '\0';
    }
    const char *ref = buf[1];
    double s = -1;
    int rc = p2c_meteor_nltk_score(m, &ref, 1, buf[0], &s);
    if (rc == 0) {
      ck_assert(s >= 0.0 && s <= 1.0);
      ok++;
    } else {
      ck_assert_int_eq(rc, P2C_ERR_PARSE);
      parse++;
    }
  }
  ck_assert_uint_gt(ok, 100);
  ck_assert_uint_gt(parse, 100);
  p2c_meteor_nltk_free(m);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("meteor_nltk");
  TCase *tc = tcase_create("meteor_nltk");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, docstring_examples);
  tcase_add_test(tc, errors_not_crashes);
  tcase_add_test(tc, word_api_matches_string_api);
  tcase_add_test(tc, edge_goldens);
  tcase_add_test(tc, realistic_goldens_and_mean);
  tcase_add_test(tc, single_match_table);
  tcase_add_test(tc, random_pairs_own_golden);
  tcase_add_test(tc, caption_handle_variant_nltk);
  tcase_add_test(tc, clones_share_wordnet_across_threads);
  tcase_add_test(tc, random_bytes_never_crash);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
