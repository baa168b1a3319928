/* The PTB tokenizer against Stanford PTBTokenizer 3.4.1 as pycocoevalcap runs
 * it (../shared/parity/tokenizer): every caption-style oracle case, and every
 * CoreNLP test case the 3.4.1 oracle agrees with. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/file.h"
#include "io/json.h"
#include "text/ptb_tokenizer.h"
#include "text/unicode_lower.h"
#include "p2ceval.h"
#include "testutil.h"

static p2c_tokenizer *tok;

static void setup(void)
{
  p2c_error err;
  ck_assert_int_eq(p2c_tokenizer_create(&tok, &err), 0);
}

static void teardown(void) { p2c_tokenizer_free(tok); }

/* What this tokenizer must give: the oracle's tokens; where the Java tool
 * split the caption into several lines (and pycocoevalcap then shifted the
 * next captions), all its lines' tokens, since each caption stays whole here. */
static char *expected(const cJSON *c, const char *field)
{
  const cJSON *oracle = cJSON_GetObjectItemCaseSensitive(c, "oracle_3_4_1_tokens");
  if (oracle) { /* ptb_cases: the real 3.4.1 tokens, whatever the published gold says */
    char *out = calloc(1, 8192);
    const cJSON *w;
    cJSON_ArrayForEach(w, oracle)
    {
      if (*out) strcat(out, " ");
      strcat(out, w->valuestring);
    }
    return out;
  }
  const cJSON *split = cJSON_GetObjectItemCaseSensitive(c, "line_split");
  if (!cJSON_IsTrue(split)) return strdup(cJSON_GetObjectItemCaseSensitive(c, field)->valuestring);
  static const char *const punct[] = {"''", "'", "``", "`", ".", "?", "!", ",", ":", "-", "--", "...", ";"};
  char *out = calloc(1, 4096);
  const cJSON *line;
  cJSON_ArrayForEach(line, cJSON_GetObjectItemCaseSensitive(c, "java_output_lines"))
  {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", line->valuestring);
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
      int drop = 0;
      for (size_t i = 0; i < sizeof punct / sizeof punct[0]; i++) drop |= !strcmp(w, punct[i]);
      if (drop) continue;
      if (*out) strcat(out, " ");
      strcat(out, w);
    }
  }
  return out;
}

/* only_agreeing: skip the cases where 3.4.1 disagrees with the gold of the
 * CoreNLP version the case comes from (still checked against 3.4.1 itself
 * by the all_corenlp_cases test). */
static void run_file(const char *rel, const char *label, int only_agreeing, size_t min_cases)
{
  const char *path = p2ct_parity(rel);
  if (!path) {
    p2ct_skip(rel);
    return;
  }
  char *data;
  size_t len;
  p2c_error err;
  ck_assert_msg(p2ci_read_file(path, 0, &data, &len, &err) == 0, "%s", err.message);
  size_t total = 0, pass = 0;
  char *save = NULL;
  for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    cJSON *c = cJSON_Parse(line);
    /* two cases hold lone UTF-16 surrogates, which cJSON rejects; neither is
     * one the oracle agrees with */
    if (!c && !strstr(line, "\"oracle_agrees\": true")) continue;
    ck_assert_msg(c != NULL, "%s: cannot parse line %.80s", rel, line);
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(c, "input");
    if (!cJSON_IsString(in) ||
        (only_agreeing && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "oracle_agrees")))) {
      cJSON_Delete(c);
      continue;
    }
    char *want = expected(c, "tokenized");
    const char *got;
    size_t n;
    total++;
    int rc = p2c_tokenize(tok, in->valuestring, strlen(in->valuestring), &got, &n);
    if (rc == 0 && !strcmp(got, want)) pass++;
    else
      printf("%s: MISMATCH input %s\n   want [%s]\n   got  [%s]\n", label, in->valuestring, want,
             rc ? p2c_tokenizer_last_error(tok) : got);
    free(want);
    cJSON_Delete(c);
  }
  free(data);
  printf("%s: %zu/%zu cases tokenized exactly as the 3.4.1 oracle\n", label, pass, total);
  ck_assert_uint_ge(total, min_cases);
  ck_assert_uint_eq(pass, total);
}

START_TEST(oracle_captions)
{
  run_file("tokenizer/ptb_oracle_captions.jsonl", "ptb_oracle_captions", 0, 70);
}
END_TEST

START_TEST(corenlp_cases_agreeing_with_oracle)
{
  run_file("tokenizer/ptb_cases.jsonl", "ptb_cases (oracle_agrees)", 1, 265);
}
END_TEST

START_TEST(all_corenlp_cases_as_3_4_1)
{
  run_file("tokenizer/ptb_cases.jsonl", "ptb_cases (all, vs 3.4.1 tokens)", 0, 467);
}
END_TEST

START_TEST(basic_rules)
{
  static const char *const cases[][2] = {
      {"A man riding a wave on top of a surfboard.", "a man riding a wave on top of a surfboard"},
      {"", ""},
      {"I can't go.", "i ca n't go"},
      {"Line one\rline two", "line one line two"},
      {"vitamin C.", "vitamin c."},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *got;
    size_t n;
    ck_assert_int_eq(p2c_tokenize(tok, cases[i][0], strlen(cases[i][0]), &got, &n), 0);
    ck_assert_str_eq(got, cases[i][1]);
    ck_assert_uint_eq(n, strlen(cases[i][1]));
  }
  const char *got;
  ck_assert_int_eq(p2c_tokenize(tok, "bad \xff byte", 10, &got, NULL), P2C_ERR_PARSE);
  ck_assert_ptr_nonnull(strstr(p2c_tokenizer_last_error(tok), "UTF-8"));
}
END_TEST

/* The plain-word shortcuts give what the rules give: random sentences of
 * words chosen to hit abbreviations, split words, acronyms, hyphenated words
 * and punctuation. */
START_TEST(shortcuts_change_nothing)
{
  static const char *const words[] = {
      "a", "I", "C", "dog", "Dogs", "etc", "Inc", "Mr", "mr", "St", "co", "Pty", "Ltd", "No",
      "cannot", "Gonna", "wanna", "U.S", "vs", "Calif", "Mass", "al", "e-mail", "x", "The",
      "wave", "AT", "T", "pp", "Jan", "May", "sept", "Dr", "ph", "Ed", "ca", "art", "Fig", "sq",
      "mid-sized", "x-ray", "T-shirt", "cannot-go", "gonna-be", "pro-choice", "anti-war", "non-US",
      "co-op", "a-b-c", "vs-x", "Mr-x", "mid-", "-x", "mid--sized", "U.S-x", "x-U.S", "etc-x"};
  static const char *const after[] = {"", "", "", ",", ".", ". ", ", ", "'s", "!", "", "."};
  p2ci_ptb *fast, *slow;
  p2c_error err;
  ck_assert_int_eq(p2ci_ptb_create(&fast, &err), 0);
  ck_assert_int_eq(p2ci_ptb_create(&slow, &err), 0);
  p2ci_ptb_set_shortcuts(slow, 0);
  uint64_t r = 12345;
  for (int n = 0; n < 6000; n++) {
    char text[512] = "";
    int len = 1 + (int)(r % 7);
    for (int i = 0; i < len; i++) {
      r = r * 6364136223846793005ULL + 1442695040888963407ULL;
      if (i) strcat(text, " ");
      strcat(text, words[(r >> 33) % (sizeof words / sizeof words[0])]);
      strcat(text, after[(r >> 17) % (sizeof after / sizeof after[0])]);
    }
    const char *a, *b;
    size_t na, nb;
    ck_assert_int_eq(p2ci_ptb_tokenize(fast, text, strlen(text), &a, &na), 0);
    ck_assert_int_eq(p2ci_ptb_tokenize(slow, text, strlen(text), &b, &nb), 0);
    ck_assert_msg(na == nb && !memcmp(a, b, na), "[%s]: shortcuts [%s], rules [%s]", text, a, b);
  }
  /* every ASCII letter before the final period, alone and after a word */
  for (int c = 0; c < 52; c++) {
    char text[16];
    char x = (char)(c < 26 ? 'a' + c : 'A' + c - 26);
    for (int form = 0; form < 2; form++) {
      snprintf(text, sizeof text, form ? "the %c." : "%c.", x);
      const char *a, *b;
      size_t na, nb;
      ck_assert_int_eq(p2ci_ptb_tokenize(fast, text, strlen(text), &a, &na), 0);
      ck_assert_int_eq(p2ci_ptb_tokenize(slow, text, strlen(text), &b, &nb), 0);
      ck_assert_msg(na == nb && !memcmp(a, b, na), "[%s]: shortcuts [%s], rules [%s]", text, a, b);
    }
  }
  p2ci_ptb_free(fast);
  p2ci_ptb_free(slow);
}
END_TEST

/* emit_token lowercases ASCII tokens without the Unicode table: the table
 * must agree there. */
START_TEST(ascii_lowercase_is_the_table)
{
  for (uint32_t cp = 0; cp < 0x80; cp++)
    ck_assert_uint_eq(p2ci_unicode_lower(cp), cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("ptb_tokenizer");
  TCase *tc = tcase_create("ptb");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, basic_rules);
  tcase_add_test(tc, shortcuts_change_nothing);
  tcase_add_test(tc, ascii_lowercase_is_the_table);
  tcase_add_test(tc, oracle_captions);
  tcase_add_test(tc, corenlp_cases_agreeing_with_oracle);
  tcase_add_test(tc, all_corenlp_cases_as_3_4_1);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
