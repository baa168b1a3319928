/* The p2c_captions handle: what it returns where pycocoevalcap returns a
 * number, the error it reports where pycocoevalcap raises, and its state
 * rules. Values here are pycocoevalcap's (edge_cases.json of the parity data,
 * repeated so that these tests run without it). */
#include <math.h>
#include <string.h>

#include "p2ceval.h"
#include "testutil.h"

static p2c_captions *make(const char *metrics, int text)
{
  p2c_captions_options opts = P2C_CAPTIONS_OPTIONS_INIT;
  opts.metrics = metrics;
  opts.text = text;
  p2c_captions *c = NULL;
  p2c_error err;
  ck_assert_int_eq(p2c_captions_create(&opts, &c, &err), 0);
  return c;
}

static double value(const p2c_captions *c, size_t item, const char *name)
{
  size_t m;
  double v;
  ck_assert_int_eq(p2c_captions_metric_index(c, name, &m), 0);
  if (item == (size_t)-1) ck_assert_int_eq(p2c_captions_corpus(c, m, &v), 0);
  else ck_assert_int_eq(p2c_captions_item_score(c, item, m, &v), 0);
  return v;
}

static const char *const filler_refs[3][2] = {
    {"a man riding a wave on top of a surfboard", "a surfer rides a large wave in the ocean"},
    {"a plate of food with broccoli and rice", "a white plate topped with meat and vegetables"},
    {"two giraffes standing next to a tree", "a pair of giraffes in a grassy field"}};
static const char *const filler_hyps[3] = {"a man on a surfboard riding a wave",
                                           "a plate with rice and broccoli on a table",
                                           "two giraffes standing in a field"};

static void add_fillers(p2c_captions *c)
{
  static const char *const keys[3] = {"f1", "f2", "f3"};
  for (int i = 0; i < 3; i++)
    ck_assert_int_eq(p2c_captions_add(c, keys[i], filler_refs[i], 2, filler_hyps[i]), 0);
}

START_TEST(empty_hypothesis_scores_zero)
{
  p2c_captions *c = make(NULL, P2C_TEXT_TOKENIZED);
  const char *refs[] = {"a dog runs across the grass", "a brown dog running on a lawn"};
  ck_assert_int_eq(p2c_captions_add(c, "e", refs, 2, ""), 0);
  add_fillers(c);
  ck_assert_int_eq(p2c_captions_score(c), 0);
  for (size_t m = 0; m < p2c_captions_num_metrics(c); m++) {
    double v;
    ck_assert_int_eq(p2c_captions_item_score(c, 0, m, &v), 0);
    ck_assert(v == 0.0);
  }
  /* pycocoevalcap's corpus values for this corpus */
  ck_assert(value(c, -1, "Bleu_1") == 0.6413950119632061);
  ck_assert(value(c, -1, "ROUGE_L") == 0.4068103898843294);
  ck_assert(value(c, -1, "CIDEr") == 1.5222002945475999);
  p2c_captions_free(c);
}
END_TEST

START_TEST(one_key_gives_cider_zero)
{
  p2c_captions *c = make(NULL, P2C_TEXT_TOKENIZED);
  const char *refs[] = {"a man riding a horse on a beach"};
  ck_assert_int_eq(p2c_captions_add(c, "k", refs, 1, "a man is riding a brown horse on the beach"), 0);
  ck_assert_int_eq(p2c_captions_score(c), 0);
  ck_assert(value(c, -1, "CIDEr") == 0.0);
  ck_assert(value(c, 0, "CIDEr") == 0.0);
  ck_assert(value(c, -1, "Bleu_1") == 0.6999999999300001);
  p2c_captions_free(c);
}
END_TEST

START_TEST(empty_corpus_is_an_error)
{
  p2c_captions *c = make(NULL, P2C_TEXT_RAW);
  ck_assert_int_eq(p2c_captions_score(c), P2C_ERR_EMPTY);
  ck_assert_ptr_nonnull(strstr(p2c_captions_last_error(c), "no caption"));
  double v;
  ck_assert_int_eq(p2c_captions_corpus(c, 0, &v), P2C_ERR_STATE);
  p2c_captions_free(c);
}
END_TEST

START_TEST(no_reference_word_fails_cider_only)
{
  const char *refs[] = {""};
  p2c_captions *c = make(NULL, P2C_TEXT_TOKENIZED);
  ck_assert_int_eq(p2c_captions_add(c, "x", refs, 1, "a dog"), 0);
  ck_assert_int_eq(p2c_captions_score(c), P2C_ERR_EMPTY);
  ck_assert_ptr_nonnull(strstr(p2c_captions_last_error(c), "CIDEr"));
  p2c_captions_free(c);
  /* BLEU and ROUGE-L give pycocoevalcap's numbers on the same input */
  c = make("Bleu_1,ROUGE_L", P2C_TEXT_TOKENIZED);
  ck_assert_int_eq(p2c_captions_add(c, "x", refs, 1, "a dog"), 0);
  ck_assert_int_eq(p2c_captions_score(c), 0);
  ck_assert(value(c, 0, "Bleu_1") == 4.9999999975000005e-16);
  ck_assert(value(c, 0, "ROUGE_L") == 0.0);
  p2c_captions_free(c);
}
END_TEST

START_TEST(bad_items_are_rejected)
{
  p2c_captions *c = make(NULL, P2C_TEXT_RAW);
  const char *refs[] = {"a dog", NULL};
  ck_assert_int_eq(p2c_captions_add(c, "a", refs, 0, "a dog"), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_nonnull(strstr(p2c_captions_last_error(c), "'a': no reference"));
  ck_assert_int_eq(p2c_captions_add(c, "a", refs, 2, "a dog"), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_captions_add(c, NULL, refs, 1, "a dog"), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_captions_add(c, "a", refs, 1, NULL), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_captions_add(c, "a", refs, 1, "a dog"), 0);
  ck_assert_int_eq(p2c_captions_add(c, "a", refs, 1, "a cat"), P2C_ERR_INVALID_ARG);
  ck_assert_ptr_nonnull(strstr(p2c_captions_last_error(c), "twice"));
  ck_assert_int_eq(p2c_captions_add(c, "b", refs, 1, "bad \xff"), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(p2c_captions_last_error(c), "UTF-8"));
  ck_assert_uint_eq(p2c_captions_num_items(c), 1);
  ck_assert_int_eq(p2c_captions_set_option(c, "Bleu.x", "1"), P2C_ERR_STATE);
  ck_assert_int_eq(p2c_captions_score(c), 0);
  ck_assert_int_eq(p2c_captions_add(c, "c", refs, 1, "a dog"), P2C_ERR_STATE);
  p2c_captions_free(c);
}
END_TEST

START_TEST(metric_selection_and_accessors)
{
  p2c_captions_options opts = P2C_CAPTIONS_OPTIONS_INIT;
  p2c_captions *c = NULL;
  p2c_error err;
  opts.metrics = "CIDEr, Bleu_2";
  ck_assert_int_eq(p2c_captions_create(&opts, &c, &err), 0);
  ck_assert_uint_eq(p2c_captions_num_metrics(c), 2);
  ck_assert_str_eq(p2c_captions_metric_name(c, 0), "Bleu_2"); /* library order */
  ck_assert_str_eq(p2c_captions_metric_name(c, 1), "CIDEr");
  ck_assert_ptr_null(p2c_captions_metric_name(c, 2));
  ck_assert_int_eq(p2c_captions_set_option(c, "CIDEr.sigma", "6"), P2C_ERR_NOT_FOUND);
  ck_assert_int_eq(p2c_captions_set_option(c, "nodot", "6"), P2C_ERR_NOT_FOUND);
  add_fillers(c);
  size_t item;
  ck_assert_int_eq(p2c_captions_find(c, "f2", &item), 0);
  ck_assert_uint_eq(item, 1);
  ck_assert_int_eq(p2c_captions_find(c, "nope", &item), P2C_ERR_NOT_FOUND);
  ck_assert_str_eq(p2c_captions_key(c, 2), "f3");
  ck_assert_ptr_null(p2c_captions_key(c, 3));
  double v;
  ck_assert_int_eq(p2c_captions_item_score(c, 0, 0, &v), P2C_ERR_STATE);
  ck_assert_int_eq(p2c_captions_score(c), 0);
  ck_assert_int_eq(p2c_captions_score(c), 0); /* idempotent */
  ck_assert_int_eq(p2c_captions_item_score(c, 3, 0, &v), P2C_ERR_INVALID_ARG);
  ck_assert_int_eq(p2c_captions_corpus(c, 2, &v), P2C_ERR_INVALID_ARG);
  p2c_captions_free(c);

  opts.metrics = "Bleu_4,BLEURT";
  ck_assert_int_eq(p2c_captions_create(&opts, &c, &err), P2C_ERR_NOT_FOUND);
  ck_assert_ptr_null(c);
  ck_assert_ptr_nonnull(strstr(err.message, "BLEURT"));
  opts.version = 99;
  ck_assert_int_eq(p2c_captions_create(&opts, &c, &err), P2C_ERR_VERSION);
  ck_assert_str_eq(p2c_captions_metric_known(0), "Bleu_1");
  p2c_captions_free(NULL);
  p2c_tokenizer_free(NULL);
}
END_TEST

/* Each caption is tokenized on its own: pycocoevalcap's Java pipeline keeps
 * or drops the final period of "vitamin C." depending on the next caption. */
START_TEST(raw_captions_are_tokenized_one_by_one)
{
  p2c_captions *raw = make("Bleu_1", P2C_TEXT_RAW);
  p2c_captions *tok = make("Bleu_1", P2C_TEXT_TOKENIZED);
  const char *refs_raw[] = {"A glass of orange juice, rich in vitamin C.", "Juice\rin a glass."};
  const char *refs_tok[] = {"a glass of orange juice rich in vitamin c.", "juice in a glass"};
  ck_assert_int_eq(p2c_captions_add(raw, "1", refs_raw, 2, "A glass of juice."), 0);
  ck_assert_int_eq(p2c_captions_add(tok, "1", refs_tok, 2, "a glass of juice"), 0);
  ck_assert_int_eq(p2c_captions_score(raw), 0);
  ck_assert_int_eq(p2c_captions_score(tok), 0);
  ck_assert(value(raw, 0, "Bleu_1") == value(tok, 0, "Bleu_1"));
  p2c_captions_free(raw);
  p2c_captions_free(tok);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("captions_api");
  TCase *tc = tcase_create("api");
  tcase_add_test(tc, empty_hypothesis_scores_zero);
  tcase_add_test(tc, one_key_gives_cider_zero);
  tcase_add_test(tc, empty_corpus_is_an_error);
  tcase_add_test(tc, no_reference_word_fails_cider_only);
  tcase_add_test(tc, bad_items_are_rejected);
  tcase_add_test(tc, metric_selection_and_accessors);
  tcase_add_test(tc, raw_captions_are_tokenized_one_by_one);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
