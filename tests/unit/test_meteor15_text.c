/* METEOR 1.5's text layer: Snowball English stemmer, Java String.hashCode and
 * toLowerCase, the -norm normalizer and pycocoevalcap's line building. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "metrics/meteor15.h"
#include "testutil.h"
#include "text/java_string.h"
#include "text/meteor_normalizer.h"
#include "text/pystr.h"
#include "text/snowball_english.h"

/* Snowball's published English sample vocabulary (snowballstem.org, voc.txt /
 * output.txt excerpts), the algorithm's exception lists and rules; NLTK 3.8's
 * EnglishStemmer agrees on every one. */
static const char *const stems[][2] = {
    {"consign", "consign"},
    {"consigned", "consign"},
    {"consigning", "consign"},
    {"consignment", "consign"},
    {"consist", "consist"},
    {"consisted", "consist"},
    {"consistency", "consist"},
    {"consistent", "consist"},
    {"consistently", "consist"},
    {"consisting", "consist"},
    {"consists", "consist"},
    {"consolation", "consol"},
    {"consolations", "consol"},
    {"consolatory", "consolatori"},
    {"console", "consol"},
    {"consoled", "consol"},
    {"consoles", "consol"},
    {"consolidate", "consolid"},
    {"consolidated", "consolid"},
    {"consolidating", "consolid"},
    {"consoling", "consol"},
    {"consolingly", "consol"},
    {"consols", "consol"},
    {"consonant", "conson"},
    {"consort", "consort"},
    {"consorted", "consort"},
    {"consorting", "consort"},
    {"conspicuous", "conspicu"},
    {"conspicuously", "conspicu"},
    {"conspiracy", "conspiraci"},
    {"conspirator", "conspir"},
    {"conspirators", "conspir"},
    {"conspire", "conspir"},
    {"conspired", "conspir"},
    {"conspiring", "conspir"},
    {"constable", "constabl"},
    {"constables", "constabl"},
    {"constance", "constanc"},
    {"constancy", "constanc"},
    {"constant", "constant"},
    {"knack", "knack"},
    {"knackeries", "knackeri"},
    {"knacks", "knack"},
    {"knag", "knag"},
    {"knave", "knave"},
    {"knaves", "knave"},
    {"knavish", "knavish"},
    {"kneaded", "knead"},
    {"kneading", "knead"},
    {"knee", "knee"},
    {"kneel", "kneel"},
    {"kneeled", "kneel"},
    {"kneeling", "kneel"},
    {"kneels", "kneel"},
    {"knees", "knee"},
    {"knell", "knell"},
    {"knelt", "knelt"},
    {"knew", "knew"},
    {"knick", "knick"},
    {"knif", "knif"},
    {"knife", "knife"},
    {"knight", "knight"},
    {"knightly", "knight"},
    {"knights", "knight"},
    {"knit", "knit"},
    {"knits", "knit"},
    {"knitted", "knit"},
    {"knitting", "knit"},
    {"knives", "knive"},
    {"knob", "knob"},
    {"knobs", "knob"},
    {"knock", "knock"},
    {"knocked", "knock"},
    {"knocker", "knocker"},
    {"knockers", "knocker"},
    {"knocking", "knock"},
    {"knocks", "knock"},
    {"knopp", "knopp"},
    {"knot", "knot"},
    {"knots", "knot"},
    {"skies", "sky"},
    {"skis", "ski"},
    {"dying", "die"},
    {"lying", "lie"},
    {"tying", "tie"},
    {"idly", "idl"},
    {"gently", "gentl"},
    {"ugly", "ugli"},
    {"early", "earli"},
    {"only", "onli"},
    {"singly", "singl"},
    {"sky", "sky"},
    {"news", "news"},
    {"howe", "howe"},
    {"atlas", "atlas"},
    {"cosmos", "cosmos"},
    {"bias", "bias"},
    {"andes", "andes"},
    {"inning", "inning"},
    {"outing", "outing"},
    {"canning", "canning"},
    {"herring", "herring"},
    {"earring", "earring"},
    {"proceed", "proceed"},
    {"exceed", "exceed"},
    {"succeed", "succeed"},
    {"generously", "generous"},
    {"generate", "generat"},
    {"communism", "communism"},
    {"arsenal", "arsenal"},
    {"running", "run"},
    {"dogs", "dog"},
    {"cats", "cat"},
    {"ties", "tie"},
    {"cries", "cri"},
    {"gas", "gas"},
    {"gaps", "gap"},
    {"kiwis", "kiwi"},
    {"bus", "bus"},
    {"class", "class"},
    {"feed", "feed"},
    {"agreed", "agre"},
    {"hopping", "hop"},
    {"hoped", "hope"},
    {"luxuriating", "luxuri"},
    {"happy", "happi"},
    {"say", "say"},
    {"by", "by"},
    {"cry", "cri"},
    {"youth", "youth"},
    {"boyish", "boyish"},
    {"'tis", "tis"},
    {"dog's", "dog"},
    {"dogs'", "dog"},
};

START_TEST(snowball_english_vocabulary)
{
  char out[64];
  for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++) {
    size_t n = p2ci_snowball_english(stems[i][0], strlen(stems[i][0]), out);
    ck_assert_msg(strcmp(out, stems[i][1]) == 0 && n == strlen(out), "%s -> %s, expected %s",
                  stems[i][0], out, stems[i][1]);
  }
}
END_TEST

/* Where NLTK's port departs from Snowball: Snowball keeps R1/R2 as fixed
 * positions (NLTK shortens its region strings), adds "e" after "at"/"bl"/"iz"
 * however the word ends, and checks its second exception list after step 1a. */
START_TEST(snowball_english_where_nltk_differs)
{
  static const char *const cases[][2] = {
      {"cadization", "cadiz"}, {"irrationality", "irrat"}, {"generationally", "generat"},
      {"splated", "splate"},   {"canning's", "canning"},   {"exceed's", "exceed"},
      {"ab", "ab"},            {"café", "café"},           {"cafés", "café"},
  };
  char out[64];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    p2ci_snowball_english(cases[i][0], strlen(cases[i][0]), out);
    ck_assert_msg(strcmp(out, cases[i][1]) == 0, "%s -> %s, expected %s", cases[i][0], out,
                  cases[i][1]);
  }
}
END_TEST

START_TEST(java_hash_code)
{
  ck_assert_int_eq(p2ci_java_hash("", 0), 0);
  ck_assert_int_eq(p2ci_java_hash("hello", 5), 99162322);
  ck_assert_int_eq(p2ci_java_hash("the quick brown fox", 19), 1302335171);
  /* collisions the goldens rely on: "ab" / U+0C21, "10" / U+061F */
  ck_assert_int_eq(p2ci_java_hash("ab", 2), p2ci_java_hash("\xE0\xB0\xA1", 3));
  ck_assert_int_eq(p2ci_java_hash("10", 2), p2ci_java_hash("\xD8\x9F", 2));
  /* U+1F600 is the surrogate pair D83D DE00 */
  ck_assert_int_eq(p2ci_java_hash("\xF0\x9F\x98\x80", 4), 31 * 0xD83D + 0xDE00);
}
END_TEST

START_TEST(java_lower_case)
{
  char out[64];
  p2ci_java_lower("ABC xyZ", 7, out);
  ck_assert_str_eq(out, "abc xyz");
  p2ci_java_lower("\xC4\xB0stanbul", 9, out); /* İ -> i + U+0307 */
  ck_assert_str_eq(out, "i\xCC\x87stanbul");
  p2ci_java_lower("\xCE\xA3", 2, out); /* a lone capital sigma: σ */
  ck_assert_str_eq(out, "\xCF\x83");
  p2ci_java_lower("CAF\xC3\x89", 5, out);
  ck_assert_str_eq(out, "caf\xC3\xA9");
  ck_assert_uint_eq(p2ci_utf8_check("ok\xC3", 3), 2);
  ck_assert_uint_eq(p2ci_utf8_check("\xED\xA0\x80", 3), 0); /* a surrogate */
  ck_assert_uint_eq(p2ci_utf8_check("\xC0\xAF", 2), 0);     /* overlong */
  ck_assert_uint_eq(p2ci_utf8_check("caf\xC3\xA9", 5), 5);
}
END_TEST

static void check_norm(p2ci_meteor_normalizer *n, p2ci_meteor_scratch *s, const char *in,
                       const char *want)
{
  const char *out;
  size_t len;
  ck_assert_int_eq(p2ci_meteor_normalize(n, s, in, strlen(in), &out, &len), 0);
  ck_assert_msg(strcmp(out, want) == 0, "'%s' -> '%s', expected '%s'", in, out, want);
}

/* Expected values are METEOR's own tokens from ../shared/parity/meteor/edge.jsonl. */
START_TEST(normalizer_cases)
{
  p2ci_meteor_normalizer *n;
  ck_assert_int_eq(p2ci_meteor_normalizer_new(&n, NULL), 0);
  p2ci_meteor_scratch *s = p2ci_meteor_scratch_new();
  ck_assert_ptr_nonnull(s);
  check_norm(n, s, "a U.S.-based well-known man's dog", "a us based well known man 's dog");
  check_norm(n, s, "I can't and won't, they're here", "i can 't and won 't , they 're here");
  check_norm(n, s, "Mr. Smith and Dr. Jones at No. 5 Main St.",
             "mr. smith and dr. jones at no. 5 main st.");
  check_norm(n, s, "1,000 people paid $3.50 in the 1990's",
             "1,000 people paid $ 3.50 in the 1990 's");
  check_norm(n, s, "wait... a dog -- running", "wait ... a dog - running");
  check_norm(n, s, "a dog (brown) on [the] grass!", "a dog ( brown ) on [ the ] grass !");
  check_norm(n, s, "dog\xF0\x9F\x90\xB6 grass", "dog \xF0\x9F\x90\xB6 grass");
  check_norm(n, s, "a\xC2\xA0" "cat", "a cat");
  check_norm(n, s, "A dog. The end.", "a dog . the end .");
  check_norm(n, s, "a dog. the end.", "a dog. the end .");
  check_norm(n, s, "No. 5 and no. way", "no. 5 and no. way");
  check_norm(n, s, "   ", "");
  p2ci_meteor_scratch_free(s);
  p2ci_meteor_normalizer_free(n);
}
END_TEST

/* The shortcut for text of ASCII letters, digits and spaces must give what the
 * full rule chain gives: random strings over that alphabet, plus a few
 * characters just outside it (which must take the full path), compared. */
START_TEST(normalizer_shortcut_matches_full_rules)
{
  static const char alphabet[] = "aZ9 m  Q0 zA";
  static const char *const outside[] = {".", "'", ",", "-", "\t", "\xC3\xA9", "DOTMULTI."};
  p2ci_meteor_normalizer *n;
  ck_assert_int_eq(p2ci_meteor_normalizer_new(&n, NULL), 0);
  p2ci_meteor_scratch *s1 = p2ci_meteor_scratch_new(), *s2 = p2ci_meteor_scratch_new();
  ck_assert(s1 && s2);
  unsigned long long r = 0x9E3779B97F4A7C15ull;
  size_t same = 0, total = 0;
  for (int k = 0; k < 3000; k++) {
    char text[96];
    size_t len = 0, want = 1 + (size_t)(k % 40);
    while (len < want) {
      r ^= r << 13, r ^= r >> 7, r ^= r << 17;
      if (k % 5 == 4 && r % 11 == 0) {
        const char *o = outside[(r >> 8) % (sizeof outside / sizeof outside[0])];
        size_t ol = strlen(o);
        if (len + ol >= sizeof text) break;
        memcpy(text + len, o, ol);
        len += ol;
      } else {
        text[len++] = alphabet[r % (sizeof alphabet - 1)];
      }
    }
    text[len] = '\0';
    const char *a, *b;
    size_t al, bl;
    ck_assert_int_eq(p2ci_meteor_normalize(n, s1, text, len, &a, &al), 0);
    ck_assert_int_eq(p2ci_meteor_normalize_full(n, s2, text, len, &b, &bl), 0);
    total++;
    if (al == bl && memcmp(a, b, al) == 0) same++;
    else ck_abort_msg("'%s': shortcut '%s', full rules '%s'", text, a, b);
  }
  printf("meteor15 normalizer shortcut vs full rules: %zu/%zu identical\n", same, total);
  p2ci_meteor_scratch_free(s1);
  p2ci_meteor_scratch_free(s2);
  p2ci_meteor_normalizer_free(n);
}
END_TEST

START_TEST(split_line_like_java)
{
  const char **parts;
  size_t *lens;
  ck_assert_int_eq(p2ci_m15_split_line("SCORE ||| a cat |||", &parts, &lens), 0);
  ck_assert_int_eq(p2ci_m15_split_line("SCORE ||| a cat", &parts, &lens), 0);
  int n = p2ci_m15_split_line("SCORE |||  ||| x ||| \t y ", &parts, &lens);
  ck_assert_int_eq(n, 3);
  ck_assert_uint_eq(lens[0], 0);
  ck_assert(lens[1] == 1 && parts[1][0] == 'x');
  ck_assert(lens[2] == 1 && parts[2][0] == 'y');
  free(parts);
  free(lens);
}
END_TEST

static size_t count_tokens(const char *s)
{
  size_t n = 0;
  for (size_t i = 0; s[i];) {
    while (s[i] && p2ci_meteor_is_delim(s[i])) i++;
    if (!s[i]) break;
    n++;
    while (s[i] && !p2ci_meteor_is_delim(s[i])) i++;
  }
  return n;
}

/* Compare the normalized text of one field with METEOR's token array. */
static void check_tokens(p2ci_meteor_normalizer *n, p2ci_meteor_scratch *s, const char *id,
                         const char *text, size_t len, const cJSON *want)
{
  const char *out;
  size_t ol;
  ck_assert_int_eq(p2ci_meteor_normalize(n, s, text, len, &out, &ol), 0);
  size_t nt = count_tokens(out), i = 0, k = 0;
  ck_assert_msg(nt == (size_t)cJSON_GetArraySize(want), "%s: %zu tokens in '%s'", id, nt, out);
  while (out[i]) {
    while (out[i] && p2ci_meteor_is_delim(out[i])) i++;
    if (!out[i]) break;
    size_t b = i;
    while (out[i] && !p2ci_meteor_is_delim(out[i])) i++;
    const char *w = cJSON_GetArrayItem(want, (int)k++)->valuestring;
    ck_assert_msg(strlen(w) == i - b && memcmp(w, out + b, i - b) == 0, "%s: token '%.*s' vs '%s'",
                  id, (int)(i - b), out + b, w);
  }
}

static void lines_and_tokens(const char *rel, size_t *lines_ok, size_t *tok_ok)
{
  const char *path = p2ct_parity(rel);
  FILE *f = fopen(path, "rb");
  ck_assert_ptr_nonnull(f);
  p2ci_meteor_normalizer *n;
  ck_assert_int_eq(p2ci_meteor_normalizer_new(&n, NULL), 0);
  p2ci_meteor_scratch *s = p2ci_meteor_scratch_new();
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 1) {
    cJSON *row = cJSON_Parse(line);
    ck_assert_ptr_nonnull(row);
    const char *id = cJSON_GetObjectItemCaseSensitive(row, "id")->valuestring;
    const char *hyp = cJSON_GetObjectItemCaseSensitive(row, "hyp")->valuestring;
    const cJSON *refs = cJSON_GetObjectItemCaseSensitive(row, "refs");
    size_t nr = (size_t)cJSON_GetArraySize(refs);
    const char **r = calloc(nr + 1, sizeof *r);
    for (size_t k = 0; k < nr; k++) r[k] = cJSON_GetArrayItem(refs, (int)k)->valuestring;
    char *built = p2ci_m15_build_line(hyp, r, nr, 0);
    const char *want = cJSON_GetObjectItemCaseSensitive(row, "meteor15_line")->valuestring;
    ck_assert_msg(strcmp(built, want) == 0, "%s: line '%s' vs '%s'", id, built, want);
    (*lines_ok)++;
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(row, "meteor15_tokens");
    const char **parts;
    size_t *lens;
    int np = p2ci_m15_split_line(built, &parts, &lens);
    if (cJSON_IsNull(tok)) {
      ck_assert_msg(np == 0, "%s: METEOR rejected this line", id);
    } else {
      const cJSON *tr = cJSON_GetObjectItemCaseSensitive(tok, "refs");
      ck_assert_int_eq(np - 1, cJSON_GetArraySize(tr));
      for (int k = 0; k + 1 < np; k++)
        check_tokens(n, s, id, parts[k], lens[k], cJSON_GetArrayItem(tr, k));
      check_tokens(n, s, id, parts[np - 1], lens[np - 1],
                   cJSON_GetObjectItemCaseSensitive(tok, "hyp"));
      (*tok_ok)++;
      free(parts);
      free(lens);
    }
    free(built);
    free(r);
    cJSON_Delete(row);
  }
  free(line);
  fclose(f);
  p2ci_meteor_scratch_free(s);
  p2ci_meteor_normalizer_free(n);
}

START_TEST(golden_lines_and_tokens)
{
  if (!p2ct_parity("meteor/edge.jsonl")) {
    p2ct_skip("meteor15 tokens");
    return;
  }
  size_t lines = 0, toks = 0;
  lines_and_tokens("meteor/edge.jsonl", &lines, &toks);
  lines_and_tokens("meteor/paraphrase_mini.jsonl", &lines, &toks);
  printf("meteor15_line: %zu/%zu identical; meteor15_tokens: %zu cases identical\n", lines, lines,
         toks);
  ck_assert_uint_eq(lines, 165);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("meteor15_text");
  TCase *tc = tcase_create("text");
  tcase_add_test(tc, snowball_english_vocabulary);
  tcase_add_test(tc, snowball_english_where_nltk_differs);
  tcase_add_test(tc, java_hash_code);
  tcase_add_test(tc, java_lower_case);
  tcase_add_test(tc, normalizer_cases);
  tcase_add_test(tc, normalizer_shortcut_matches_full_rules);
  tcase_add_test(tc, split_line_like_java);
  tcase_add_test(tc, golden_lines_and_tokens);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
