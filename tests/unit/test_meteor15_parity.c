/* METEOR 1.5 against the goldens of ../shared/parity/meteor (the jar built from
 * cmu-mtlab/meteor, driven as pycocoevalcap does): 23 statistics exactly,
 * segment and corpus scores within 1e-9 (bit-identical counts printed). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "metrics/meteor15.h"
#include "p2ceval.h"
#include "testutil.h"

/* Measured: see docs/metrics.md, "Synonyms: WordNet dict files or METEOR's". */
#define WORDNET_DEFAULT_DIFFERENCES 0

typedef struct jsonl {
  cJSON **rows;
  size_t n;
} jsonl;

static int load_jsonl(const char *path, jsonl *out)
{
  memset(out, 0, sizeof *out);
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 0;
  char *line = NULL;
  size_t lcap = 0;
  ssize_t got;
  while ((got = getline(&line, &lcap, f)) > 0) {
    if (got <= 1) continue;
    if (out->n == cap) {
      cap = cap ? cap * 2 : 256;
      out->rows = realloc(out->rows, cap * sizeof *out->rows);
      ck_assert_ptr_nonnull(out->rows);
    }
    out->rows[out->n] = cJSON_Parse(line);
    ck_assert_ptr_nonnull(out->rows[out->n]);
    out->n++;
  }
  free(line);
  fclose(f);
  return 0;
}

static void free_jsonl(jsonl *j)
{
  for (size_t i = 0; i < j->n; i++) cJSON_Delete(j->rows[i]);
  free(j->rows);
}

static void parse_stats(const char *s, double out[23])
{
  char *end;
  for (int i = 0; i < 23; i++) {
    out[i] = strtod(s, &end);
    ck_assert_ptr_ne(end, s);
    s = end;
  }
}

static const char **refs_of(const cJSON *row, size_t *n)
{
  const cJSON *refs = cJSON_GetObjectItemCaseSensitive(row, "refs");
  *n = (size_t)cJSON_GetArraySize(refs);
  const char **r = calloc(*n + 1, sizeof *r);
  ck_assert_ptr_nonnull(r);
  for (size_t k = 0; k < *n; k++) r[k] = cJSON_GetArrayItem(refs, (int)k)->valuestring;
  return r;
}

typedef struct run_counts {
  size_t cases, stats_equal, stats_differ;
} run_counts;

/* Score every row of a golden file; compare to score_key / stats_key. */
static run_counts run_file(p2c_meteor15 *m, const char *file, const char *score_key,
                           const char *stats_key, p2ct_cmp *cmp, int strict, double *agg)
{
  run_counts rc = {0, 0, 0};
  jsonl j;
  ck_assert_int_eq(load_jsonl(file, &j), 0);
  for (size_t i = 0; i < j.n; i++) {
    const cJSON *row = j.rows[i];
    const char *id = cJSON_GetObjectItemCaseSensitive(row, "id")->valuestring;
    const char *hyp = cJSON_GetObjectItemCaseSensitive(row, "hyp")->valuestring;
    const cJSON *es = cJSON_GetObjectItemCaseSensitive(row, score_key);
    const cJSON *est = cJSON_GetObjectItemCaseSensitive(row, stats_key);
    size_t nrefs;
    const char **refs = refs_of(row, &nrefs);
    double score = -1, stats[23];
    int st = p2c_meteor15_score(m, hyp, refs, nrefs, &score, stats);
    free(refs);
    rc.cases++;
    if (cJSON_IsNull(es)) {
      if (strict) ck_assert_msg(st == P2C_ERR_EMPTY, "%s: expected METEOR's error, got %d", id, st);
      continue;
    }
    ck_assert_msg(st == 0, "%s: %s", id, p2c_meteor15_last_error(m));
    double want[23];
    parse_stats(est->valuestring, want);
    int same = memcmp(want, stats, sizeof want) == 0;
    if (same) rc.stats_equal++;
    else rc.stats_differ++;
    if (strict) {
      if (!same) {
        char got[512] = "";
        for (int k = 0; k < 23; k++)
          snprintf(got + strlen(got), sizeof got - strlen(got), "%g ", stats[k]);
        ck_abort_msg("%s: stats %s, expected %s", id, got, est->valuestring);
      }
      ck_assert_msg(fabs(score - es->valuedouble) <= 1e-9, "%s: %.17g vs %.17g", id, score,
                    es->valuedouble);
    }
    if (cmp) p2ct_cmp_add(cmp, es->valuedouble, score);
    if (agg) p2c_meteor15_stats_add(agg, stats);
  }
  free_jsonl(&j);
  return rc;
}

static p2c_meteor15 *make(const char *data_dir, const char *para)
{
  p2c_meteor15_options o = P2C_METEOR15_OPTIONS_INIT;
  o.meteor_data_dir = data_dir;
  o.paraphrase_path = para;
  p2c_meteor15 *m = NULL;
  p2c_error err = {0, ""};
  int rc = p2c_meteor15_create(&o, &m, &err);
  ck_assert_msg(rc == 0, "%s", err.message);
  return m;
}

static char *parity_copy(const char *rel)
{
  const char *p = p2ct_parity(rel);
  return p ? strdup(p) : NULL;
}

START_TEST(edge_cases_meteor_data)
{
  char *data = parity_copy("meteor/data"), *edge = parity_copy("meteor/edge.jsonl");
  if (!data) {
    p2ct_skip("meteor15 edge");
    return;
  }
  p2c_meteor15 *m = make(data, NULL);
  ck_assert_str_eq(p2c_meteor15_variant(m), "meteor-1.5-nopara");
  p2ct_cmp c;
  p2ct_cmp_init(&c, "meteor-1.5 edge.jsonl segment scores", 1e-9);
  run_counts r = run_file(m, edge, "meteor15_nopara", "meteor15_nopara_stats", &c, 1, NULL);
  p2ct_cmp_report(&c);
  printf("meteor-1.5 edge.jsonl: %zu cases (%zu METEOR errors reproduced), statistics identical in %zu\n", r.cases, r.cases - r.stats_equal - r.stats_differ, r.stats_equal);
  ck_assert_uint_eq(c.within, c.total);
  p2c_meteor15_free(m);
  free(data);
  free(edge);
}
END_TEST

START_TEST(realistic_corpus_meteor_data)
{
  char *data = parity_copy("meteor/data"), *file = parity_copy("meteor/realistic_1000.jsonl");
  char *corpus = parity_copy("meteor/realistic_1000.corpus.json");
  if (!data) {
    p2ct_skip("meteor15 realistic");
    return;
  }
  p2c_meteor15 *m = make(data, NULL);
  p2ct_cmp c;
  p2ct_cmp_init(&c, "meteor-1.5 realistic_1000 segment scores", 1e-9);
  double agg[23] = {0};
  run_counts r = run_file(m, file, "meteor15_nopara", "meteor15_nopara_stats", &c, 1, agg);
  p2ct_cmp_report(&c);
  ck_assert_uint_eq(r.stats_equal, 1000);
  ck_assert_uint_eq(c.within, c.total);
  cJSON *cj = p2ct_json_file(corpus);
  double want[23];
  parse_stats(cJSON_GetObjectItemCaseSensitive(cj, "meteor15_nopara_corpus_stats")->valuestring, want);
  for (int k = 0; k < 23; k++) ck_assert_msg(agg[k] == want[k], "corpus stat %d: %g vs %g", k, agg[k], want[k]);
  double expect = cJSON_GetObjectItemCaseSensitive(cj, "meteor15_nopara_corpus")->valuedouble;
  double got = p2c_meteor15_stats_score(agg);
  p2ct_cmp cc;
  p2ct_cmp_init(&cc, "meteor-1.5 realistic_1000 corpus score", 1e-9);
  ck_assert(p2ct_cmp_add(&cc, expect, got));
  p2ct_cmp_report(&cc);
  cJSON_Delete(cj);
  p2c_meteor15_free(m);
  free(data);
  free(file);
  free(corpus);
}
END_TEST

START_TEST(paraphrase_mini_meteor_data)
{
  char *data = parity_copy("meteor/data"), *file = parity_copy("meteor/paraphrase_mini.jsonl");
  char *table = parity_copy("meteor/paraphrase-mini.gz");
  if (!data) {
    p2ct_skip("meteor15 paraphrase");
    return;
  }
  p2c_meteor15 *m = make(data, table);
  ck_assert_str_eq(p2c_meteor15_variant(m), "meteor-1.5");
  p2ct_cmp c;
  p2ct_cmp_init(&c, "meteor-1.5 paraphrase_mini (with table) segment scores", 1e-9);
  run_file(m, file, "meteor15_paraphrase_mini", "meteor15_paraphrase_mini_stats", &c, 1, NULL);
  p2ct_cmp_report(&c);
  ck_assert_uint_eq(c.within, c.total);
  p2c_meteor15_free(m);
  m = make(data, NULL);
  p2ct_cmp_init(&c, "meteor-1.5 paraphrase_mini (no table) segment scores", 1e-9);
  run_file(m, file, "meteor15_nopara", "meteor15_nopara_stats", &c, 1, NULL);
  p2ct_cmp_report(&c);
  ck_assert_uint_eq(c.within, c.total);
  p2c_meteor15_free(m);
  free(data);
  free(file);
  free(table);
}
END_TEST


/* The default synonyms (WordNet's own dict files) against the goldens, which
 * METEOR made with its english.synsets: count the pairs whose statistics
 * differ (documented in docs/metrics.md). */
START_TEST(goldens_with_wordnet_default)
{
  char *edge = parity_copy("meteor/edge.jsonl"), *real = parity_copy("meteor/realistic_1000.jsonl");
  char *pm = parity_copy("meteor/paraphrase_mini.jsonl"), *table = parity_copy("meteor/paraphrase-mini.gz");
  if (!edge) {
    p2ct_skip("meteor15 WordNet default");
    return;
  }
  p2c_meteor15_options o = P2C_METEOR15_OPTIONS_INIT;
  p2c_meteor15 *m = NULL;
  p2c_error err = {0, ""};
  if (p2c_meteor15_create(&o, &m, &err) != 0) {
    printf("SKIP meteor15 WordNet default: %s\n", err.message);
    return;
  }
  p2ct_cmp c;
  p2ct_cmp_init(&c, "meteor-1.5 (WordNet dict synonyms) all goldens", 1e-9);
  run_counts a = run_file(m, edge, "meteor15_nopara", "meteor15_nopara_stats", &c, 0, NULL);
  run_counts b = run_file(m, real, "meteor15_nopara", "meteor15_nopara_stats", &c, 0, NULL);
  run_counts d = run_file(m, pm, "meteor15_nopara", "meteor15_nopara_stats", &c, 0, NULL);
  p2c_meteor15_free(m);
  o.paraphrase_path = table;
  ck_assert_int_eq(p2c_meteor15_create(&o, &m, &err), 0);
  run_counts e = run_file(m, pm, "meteor15_paraphrase_mini", "meteor15_paraphrase_mini_stats", &c, 0, NULL);
  p2c_meteor15_free(m);
  p2ct_cmp_report(&c);
  size_t differ = a.stats_differ + b.stats_differ + d.stats_differ + e.stats_differ;
  size_t total = a.stats_equal + b.stats_equal + d.stats_equal + e.stats_equal + differ;
  printf("meteor-1.5 WordNet dict vs METEOR synonym files: statistics differ on %zu of %zu golden pairs\n",
         differ, total);
  ck_assert_uint_eq(differ, WORDNET_DEFAULT_DIFFERENCES);
  free(edge);
  free(real);
  free(pm);
  free(table);
}
END_TEST

/* Through the caption handle: METEOR's default variant is 1.5; per key the
 * segment score, corpus = the score of the aggregated statistics. */
START_TEST(caption_handle_default_variant)
{
  char *file = parity_copy("meteor/realistic_1000.jsonl");
  char *data = parity_copy("meteor/data");
  char *corpus = parity_copy("meteor/realistic_1000.corpus.json");
  if (!file) {
    p2ct_skip("meteor15 caption handle");
    return;
  }
  p2c_captions_options o = P2C_CAPTIONS_OPTIONS_INIT;
  o.text = P2C_TEXT_TOKENIZED;
  o.metrics = "METEOR";
  p2c_captions *c;
  p2c_error err;
  ck_assert_int_eq(p2c_captions_create(&o, &c, &err), 0);
  ck_assert_str_eq(p2c_captions_metric_variant(c, 0), "meteor-1.5-nopara");
  ck_assert_int_eq(p2c_captions_set_option(c, "METEOR.meteor_data", data), 0);
  ck_assert_int_eq(p2c_captions_set_option(c, "METEOR.line", "nope"), P2C_ERR_INVALID_ARG);
  jsonl j;
  ck_assert_int_eq(load_jsonl(file, &j), 0);
  double *want = calloc(j.n, sizeof *want);
  ck_assert_ptr_nonnull(want);
  for (size_t i = 0; i < j.n; i++) {
    size_t nr;
    const char **refs = refs_of(j.rows[i], &nr);
    ck_assert_int_eq(p2c_captions_add(c, cJSON_GetObjectItemCaseSensitive(j.rows[i], "id")->valuestring,
                                      refs, nr,
                                      cJSON_GetObjectItemCaseSensitive(j.rows[i], "hyp")->valuestring),
                     0);
    want[i] = cJSON_GetObjectItemCaseSensitive(j.rows[i], "meteor15_nopara")->valuedouble;
    free(refs);
  }
  ck_assert_msg(p2c_captions_score(c) == 0, "%s", p2c_captions_last_error(c));
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "captions handle METEOR (1.5, default) per key", 1e-9);
  for (size_t i = 0; i < j.n; i++) {
    double v;
    ck_assert_int_eq(p2c_captions_item_score(c, i, 0, &v), 0);
    p2ct_cmp_add(&cmp, want[i], v);
  }
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cmp.identical, j.n);
  cJSON *cj = p2ct_json_file(corpus);
  double got;
  ck_assert_int_eq(p2c_captions_corpus(c, 0, &got), 0);
  ck_assert(got == cJSON_GetObjectItemCaseSensitive(cj, "meteor15_nopara_corpus")->valuedouble);
  printf("captions handle METEOR (1.5) corpus: bit-identical (%.17g)\n", got);
  cJSON_Delete(cj);
  free(want);
  free_jsonl(&j);
  p2c_captions_free(c);
  free(file);
  free(data);
  free(corpus);
}
END_TEST

/* Clones share the loaded resources: 4 threads, each with its own clone, score
 * interleaved quarters of realistic_1000; every value equals the golden. */
typedef struct worker {
  p2c_meteor15 *m;
  jsonl *rows;
  size_t first, step, bad;
} worker;

static void *work(void *arg)
{
  worker *w = arg;
  for (size_t i = w->first; i < w->rows->n; i += w->step) {
    const cJSON *row = w->rows->rows[i];
    size_t nr;
    const char **refs = refs_of(row, &nr);
    double score, stats[23], want[23];
    int rc = p2c_meteor15_score(w->m, cJSON_GetObjectItemCaseSensitive(row, "hyp")->valuestring,
                                refs, nr, &score, stats);
    free(refs);
    parse_stats(cJSON_GetObjectItemCaseSensitive(row, "meteor15_nopara_stats")->valuestring, want);
    if (rc || score != cJSON_GetObjectItemCaseSensitive(row, "meteor15_nopara")->valuedouble ||
        memcmp(want, stats, sizeof want) != 0)
      w->bad++;
  }
  return NULL;
}

START_TEST(clones_in_threads)
{
  char *data = parity_copy("meteor/data"), *file = parity_copy("meteor/realistic_1000.jsonl");
  if (!data) {
    p2ct_skip("meteor15 clones");
    return;
  }
  p2c_meteor15 *m = make(data, NULL);
  jsonl j;
  ck_assert_int_eq(load_jsonl(file, &j), 0);
  worker w[4];
  pthread_t t[4];
  p2c_error err;
  for (size_t k = 0; k < 4; k++) {
    w[k] = (worker){NULL, &j, k, 4, 0};
    ck_assert_int_eq(p2c_meteor15_clone(m, &w[k].m, &err), 0);
  }
  p2c_meteor15_free(m); /* the clones keep the resources alive */
  for (size_t k = 0; k < 4; k++) ck_assert_int_eq(pthread_create(&t[k], NULL, work, &w[k]), 0);
  size_t bad = 0;
  for (size_t k = 0; k < 4; k++) {
    pthread_join(t[k], NULL);
    bad += w[k].bad;
    ck_assert_str_eq(p2c_meteor15_variant(w[k].m), "meteor-1.5-nopara");
    p2c_meteor15_free(w[k].m);
  }
  printf("meteor-1.5 clones in 4 threads: %zu/%zu values differ\n", bad, j.n);
  ck_assert_uint_eq(bad, 0);
  ck_assert_int_eq(p2c_meteor15_clone(NULL, &m, &err), P2C_ERR_INVALID_ARG);
  free_jsonl(&j);
  free(data);
  free(file);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("meteor15_parity");
  TCase *tc = tcase_create("goldens");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, edge_cases_meteor_data);
  tcase_add_test(tc, realistic_corpus_meteor_data);
  tcase_add_test(tc, paraphrase_mini_meteor_data);
  tcase_add_test(tc, goldens_with_wordnet_default);
  tcase_add_test(tc, caption_handle_default_variant);
  tcase_add_test(tc, clones_in_threads);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
