/* BLEU-1..4, ROUGE-L and CIDEr-D against pycocoevalcap's own outputs
 * (../shared/parity/captions): every corpus and per-key value, counted
 * bit-identical with p2ct_cmp; at worst 1e-12 relative. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/file.h"
#include "io/json.h"
#include "metrics/caption_metric.h"
#include "p2ceval.h"
#include "testutil.h"

static const char *const METRICS[] = {"Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"};
#define N_METRICS 6

/* Add every key of gts (in its order) with its hypothesis from res. */
static int add_all(p2c_captions *c, const cJSON *gts, const cJSON *res)
{
  const cJSON *refs;
  cJSON_ArrayForEach(refs, gts)
  {
    const cJSON *hyp = cJSON_GetObjectItemCaseSensitive(res, refs->string);
    ck_assert_msg(cJSON_IsArray(hyp) && cJSON_GetArraySize(hyp) == 1, "key %s", refs->string);
    const char *r[64];
    int n = cJSON_GetArraySize(refs);
    ck_assert_int_le(n, 64);
    for (int i = 0; i < n; i++) r[i] = cJSON_GetArrayItem(refs, i)->valuestring;
    int rc = p2c_captions_add(c, refs->string, r, (size_t)n, cJSON_GetArrayItem(hyp, 0)->valuestring);
    if (rc) return rc;
  }
  return P2C_OK;
}

static double golden_value(const cJSON *v)
{
  if (cJSON_IsString(v) && !strcmp(v->valuestring, "nan")) return NAN;
  ck_assert_msg(cJSON_IsNumber(v), "golden value is not a number");
  return v->valuedouble;
}

/* Score one case and compare every value the golden output holds. */
static void check_case(const cJSON *cs, const char *gts_field, int text, p2ct_cmp *cmp)
{
  const cJSON *in = cJSON_GetObjectItemCaseSensitive(cs, gts_field);
  const cJSON *gts = cJSON_GetObjectItemCaseSensitive(in, "gts");
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(in, "res");
  const cJSON *out = cJSON_GetObjectItemCaseSensitive(cs, "output");
  const cJSON *corpus = cJSON_GetObjectItemCaseSensitive(out, "corpus");
  const cJSON *per_key = cJSON_GetObjectItemCaseSensitive(out, "per_key");
  const char *name = cJSON_GetObjectItemCaseSensitive(cs, "name")->valuestring;
  /* only the metrics the golden has values for (a failing CIDEr has none) */
  char list[128] = "";
  for (int m = 0; m < N_METRICS; m++)
    if (cJSON_GetObjectItemCaseSensitive(corpus, METRICS[m])) {
      if (*list) strcat(list, ",");
      strcat(list, METRICS[m]);
    }
  p2c_captions_options opts = P2C_CAPTIONS_OPTIONS_INIT;
  opts.text = text;
  opts.metrics = list;
  p2c_captions *c;
  p2c_error err;
  ck_assert_int_eq(p2c_captions_create(&opts, &c, &err), 0);
  ck_assert_int_eq(add_all(c, gts, res), 0);
  ck_assert_msg(p2c_captions_score(c) == 0, "%s: %s", name, p2c_captions_last_error(c));
  for (size_t m = 0; m < p2c_captions_num_metrics(c); m++) {
    const char *mn = p2c_captions_metric_name(c, m);
    double got;
    ck_assert_int_eq(p2c_captions_corpus(c, m, &got), 0);
    double want = golden_value(cJSON_GetObjectItemCaseSensitive(corpus, mn));
    ck_assert_msg(p2ct_cmp_add(cmp, want, got), "%s corpus %s: %.17g, expected %.17g", name, mn,
                  got, want);
    for (size_t i = 0; i < p2c_captions_num_items(c); i++) {
      const char *key = p2c_captions_key(c, i);
      const cJSON *pk = cJSON_GetObjectItemCaseSensitive(per_key, key);
      want = golden_value(cJSON_GetObjectItemCaseSensitive(pk, mn));
      ck_assert_int_eq(p2c_captions_item_score(c, i, m, &got), 0);
      ck_assert_msg(p2ct_cmp_add(cmp, want, got), "%s key %s %s: %.17g, expected %.17g", name,
                    key, mn, got, want);
    }
  }
  p2c_captions_free(c);
}

/* The goldens are Python's json.dump output: "-Infinity" (a log(0) in the
 * statistics of the empty corpus) is not JSON, so it is read as null. */
static cJSON *load(const char *rel)
{
  const char *path = p2ct_parity(rel);
  if (!path) return NULL;
  char *text;
  size_t len;
  p2c_error err;
  ck_assert_msg(p2ci_read_file(path, 0, &text, &len, &err) == 0, "%s", err.message);
  for (char *p = text; (p = strstr(p, "-Infinity")) != NULL;) memcpy(p, "null     ", 9);
  cJSON *doc;
  ck_assert_msg(p2ci_json_parse(path, text, len, &doc, &err) == 0, "%s", err.message);
  free(text);
  return doc;
}

START_TEST(edge_cases_match_pycocoevalcap)
{
  cJSON *doc = load("captions/edge_cases.json");
  if (!doc) {
    p2ct_skip("captions/edge_cases.json");
    return;
  }
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "captions edge_cases (tokenized input)", 1e-12);
  const cJSON *cs;
  int scored = 0;
  cJSON_ArrayForEach(cs, cJSON_GetObjectItemCaseSensitive(doc, "cases"))
  {
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cs, "output"), "errors");
    /* cases where pycocoevalcap raises for BLEU too are checked in edge_errors */
    if (errors && cJSON_GetObjectItemCaseSensitive(errors, "Bleu")) continue;
    const cJSON *gts = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cs, "input"), "gts");
    if (cJSON_GetArraySize(gts) == 0) continue; /* empty corpus: an error here */
    check_case(cs, "input", P2C_TEXT_TOKENIZED, &cmp);
    scored++;
  }
  p2ct_cmp_report(&cmp);
  ck_assert_int_ge(scored, 24);
  ck_assert_uint_eq(cmp.within, cmp.total);
  cJSON_Delete(doc);
}
END_TEST

static void corpus_case(const char *rel, const char *field, int text, const char *label)
{
  cJSON *doc = load(rel);
  if (!doc) {
    p2ct_skip(rel);
    return;
  }
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, label, 1e-12);
  const cJSON *cs;
  cJSON_ArrayForEach(cs, cJSON_GetObjectItemCaseSensitive(doc, "cases"))
      check_case(cs, field, text, &cmp);
  p2ct_cmp_report(&cmp);
  ck_assert_uint_gt(cmp.total, 1000);
  ck_assert_uint_eq(cmp.within, cmp.total);
  cJSON_Delete(doc);
}

START_TEST(realistic_300_tokenized)
{
  corpus_case("captions/realistic_300.json", "input", P2C_TEXT_TOKENIZED,
              "captions realistic_300 (tokenized input)");
}
END_TEST

START_TEST(coco_demo_1000_tokenized)
{
  corpus_case("captions/coco_demo_1000.json", "input", P2C_TEXT_TOKENIZED,
              "captions coco_demo_1000 (tokenized input)");
}
END_TEST

/* End to end: raw captions through the PTB tokenizer, then the scorers. */
START_TEST(realistic_300_raw)
{
  corpus_case("captions/realistic_300.json", "raw", P2C_TEXT_RAW,
              "captions realistic_300 (raw text, PTB tokenizer)");
}
END_TEST

START_TEST(coco_demo_1000_raw)
{
  corpus_case("captions/coco_demo_1000.json", "raw", P2C_TEXT_RAW,
              "captions coco_demo_1000 (raw text, PTB tokenizer)");
}
END_TEST

/* The n-gram table's wide keys (vocabularies of 65535 words and more) give
 * the same bits as its narrow ones. */
START_TEST(coco_demo_1000_wide_keys)
{
  p2ci_ngram_wide_keys = 1;
  corpus_case("captions/coco_demo_1000.json", "input", P2C_TEXT_TOKENIZED,
              "captions coco_demo_1000 (tokenized input, CIDEr-D wide keys)");
  p2ci_ngram_wide_keys = 0;
}
END_TEST

/* Per-item values do not depend on the order items are added in (only the
 * corpus means' summation order does): word ids, local n-gram ids and corpus
 * n-gram numbers all change with that order, the scores must not. */
START_TEST(item_order_changes_no_item_score)
{
  cJSON *doc = load("captions/coco_demo_1000.json");
  if (!doc) {
    p2ct_skip("captions/coco_demo_1000.json");
    return;
  }
  const cJSON *cs = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "cases"), 0);
  const cJSON *in = cJSON_GetObjectItemCaseSensitive(cs, "input");
  const cJSON *gts = cJSON_GetObjectItemCaseSensitive(in, "gts");
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(in, "res");
  p2c_captions *fwd, *rev;
  p2c_error err;
  p2c_captions_options opts = P2C_CAPTIONS_OPTIONS_INIT;
  opts.text = P2C_TEXT_TOKENIZED;
  ck_assert_int_eq(p2c_captions_create(&opts, &fwd, &err), 0);
  ck_assert_int_eq(p2c_captions_create(&opts, &rev, &err), 0);
  ck_assert_int_eq(add_all(fwd, gts, res), 0);
  int n = cJSON_GetArraySize(gts);
  for (int k = n - 1; k >= 0; k--) {
    const cJSON *refs = cJSON_GetArrayItem(gts, k);
    const cJSON *hyp = cJSON_GetObjectItemCaseSensitive(res, refs->string);
    const char *r[64];
    int m = cJSON_GetArraySize(refs);
    /* references keep their order: CIDEr-D sums over them in it */
    for (int i = 0; i < m; i++) r[i] = cJSON_GetArrayItem(refs, i)->valuestring;
    ck_assert_int_eq(p2c_captions_add(rev, refs->string, r, (size_t)m,
                                      cJSON_GetArrayItem(hyp, 0)->valuestring), 0);
  }
  ck_assert_int_eq(p2c_captions_score(fwd), 0);
  ck_assert_int_eq(p2c_captions_score(rev), 0);
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "captions coco_demo_1000, items added in reverse order", 0);
  for (size_t m = 0; m < p2c_captions_num_metrics(fwd); m++)
    for (size_t i = 0; i < p2c_captions_num_items(fwd); i++) {
      size_t j;
      double a, b;
      ck_assert_int_eq(p2c_captions_find(rev, p2c_captions_key(fwd, i), &j), 0);
      ck_assert_int_eq(p2c_captions_item_score(fwd, i, m, &a), 0);
      ck_assert_int_eq(p2c_captions_item_score(rev, j, m, &b), 0);
      ck_assert_msg(p2ct_cmp_add(&cmp, a, b), "key %s %s: %.17g vs %.17g",
                    p2c_captions_key(fwd, i), p2c_captions_metric_name(fwd, m), a, b);
    }
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cmp.identical, cmp.total);
  p2c_captions_free(fwd);
  p2c_captions_free(rev);
  cJSON_Delete(doc);
}
END_TEST

/* Scores of a small corpus with one caption of 140,000 words (alternating
 * "a" and 70,000 distinct words, so that a word takes 17 bits: 2- and 3-gram
 * keys in one 64-bit word, 4-gram keys in two), an empty hypothesis and an
 * empty reference, with those keys and with every key in two words of 32 bits
 * per word: the document frequencies are counted with other key and record
 * sizes, the scores must be the same bits. */
static void score_odd_corpus(double *out, size_t n_out)
{
  enum { BIG = 140000 };
  char *big = malloc(BIG * 8);
  ck_assert_ptr_nonnull(big);
  size_t at = 0;
  for (int i = 0; i < BIG; i++)
    at += i % 2 ? (size_t)sprintf(big + at, "w%d ", i) : (size_t)sprintf(big + at, "a ");
  big[at - 1] = '\0';
  const char *refs1[] = {big, "a man rides a horse", ""};
  const char *refs2[] = {"a man rides a horse on a beach", "a horse"};
  const char *refs3[] = {"two dogs play in the snow", "a dog in the snow"};
  p2c_captions_options opts = P2C_CAPTIONS_OPTIONS_INIT;
  opts.text = P2C_TEXT_TOKENIZED;
  /* the metrics that count n-grams (ROUGE-L's bit masks of a 140,000-word
   * hypothesis would take a gigabyte) */
  opts.metrics = "Bleu_1,Bleu_2,Bleu_3,Bleu_4,CIDEr";
  p2c_captions *c;
  p2c_error err;
  ck_assert_int_eq(p2c_captions_create(&opts, &c, &err), 0);
  ck_assert_int_eq(p2c_captions_add(c, "big", refs1, 3, "a w1 a w3 a man rides"), 0);
  ck_assert_int_eq(p2c_captions_add(c, "empty", refs2, 2, ""), 0);
  ck_assert_int_eq(p2c_captions_add(c, "dogs", refs3, 2, big), 0);
  ck_assert_int_eq(p2c_captions_score(c), 0);
  ck_assert_uint_eq(p2c_captions_num_metrics(c) * p2c_captions_num_items(c) + p2c_captions_num_metrics(c),
                    n_out);
  size_t k = 0;
  for (size_t m = 0; m < p2c_captions_num_metrics(c); m++) {
    ck_assert_int_eq(p2c_captions_corpus(c, m, &out[k++]), 0);
    for (size_t i = 0; i < p2c_captions_num_items(c); i++)
      ck_assert_int_eq(p2c_captions_item_score(c, i, m, &out[k++]), 0);
  }
  p2c_captions_free(c);
  free(big);
}

START_TEST(huge_caption_and_empty_ones_with_both_key_sizes)
{
  double narrow[5 * 4], wide[5 * 4];
  score_odd_corpus(narrow, 20);
  p2ci_ngram_wide_keys = 1;
  score_odd_corpus(wide, 20);
  p2ci_ngram_wide_keys = 0;
  p2ct_cmp cmp;
  p2ct_cmp_init(&cmp, "captions with a 140,000-word caption and empty ones, 32-bit words in keys against 17", 0);
  for (int i = 0; i < 20; i++) ck_assert_msg(p2ct_cmp_add(&cmp, wide[i], narrow[i]), "value %d", i);
  p2ct_cmp_report(&cmp);
  ck_assert_uint_eq(cmp.identical, 20);
  /* CIDEr-D (output 4: corpus, then the items) of the empty hypothesis is 0,
   * as is that of the huge one, whose only word in its references, "a", is
   * in every item's (idf 0); the first item's is not */
  ck_assert(narrow[4 * 4 + 1] > 0.0);
  ck_assert(narrow[4 * 4 + 2] == 0.0 && narrow[4 * 4 + 3] == 0.0);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("caption_metrics");
  TCase *tc = tcase_create("parity");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, edge_cases_match_pycocoevalcap);
  tcase_add_test(tc, realistic_300_tokenized);
  tcase_add_test(tc, coco_demo_1000_tokenized);
  tcase_add_test(tc, realistic_300_raw);
  tcase_add_test(tc, coco_demo_1000_raw);
  tcase_add_test(tc, coco_demo_1000_wide_keys);
  tcase_add_test(tc, item_order_changes_no_item_score);
  tcase_add_test(tc, huge_caption_and_empty_ones_with_both_key_sizes);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
