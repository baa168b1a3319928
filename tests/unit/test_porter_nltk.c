/* NLTK 3.8 PorterStemmer (NLTK_EXTENSIONS): 184,199 words whose expected stems
 * tests/data/porter_nltk.txt.gz holds, written by tools/gen_porter_golden.py
 * with Debian's python3-nltk 3.8 (every WordNet 3.0 lemma and exception form,
 * inflected variants, the METEOR goldens' tokens, hand-picked cases). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "p2ceval.h"
#include "testutil.h"
#include "text/porter_nltk.h"
#include "text/pystr.h"

static const char *stem_of(const char *w)
{
  static char out[1024];
  size_t n;
  ck_assert_int_eq(p2ci_porter_nltk(w, strlen(w), out, &n), 0);
  out[n] = '\0';
  return out;
}

START_TEST(hand_picked)
{
  /* the irregular pool, checked before lowercasing (so "Skies" is stemmed) */
  ck_assert_str_eq(stem_of("skies"), "sky");
  ck_assert_str_eq(stem_of("Skies"), "ski");
  ck_assert_str_eq(stem_of("dying"), "die");
  ck_assert_str_eq(stem_of("news"), "news");
  /* words of at most two code points are only lowercased */
  ck_assert_str_eq(stem_of("IS"), "is");
  ck_assert_str_eq(stem_of("\xc3\x89S"), "\xc3\xa9s"); /* ÉS */
  ck_assert_str_eq(stem_of("ies"), "i");
  ck_assert_str_eq(stem_of("ties"), "tie");
  ck_assert_str_eq(stem_of("died"), "die");
  ck_assert_str_eq(stem_of("agreed"), "agre");
  ck_assert_str_eq(stem_of("feed"), "feed");
  ck_assert_str_eq(stem_of("hopping"), "hop");
  ck_assert_str_eq(stem_of("filing"), "file");
  ck_assert_str_eq(stem_of("happy"), "happi");
  ck_assert_str_eq(stem_of("generously"), "gener");
  ck_assert_str_eq(stem_of("a*ding"), "ad"); /* "*d" matched as text */
  ck_assert_str_eq(stem_of("caf\xc3\xa9s"), "caf\xc3\xa9");
  /* Python's lowercasing: final sigma, dotted capital I */
  ck_assert_str_eq(stem_of("\xce\x9f\xce\x94\xce\xa5\xce\xa3"), "\xce\xbf\xce\xb4\xcf\x85\xcf\x82");
  ck_assert_str_eq(stem_of("\xc4\xb0stanbul"), "i\xcc\x87stanbul");
  char out[16];
  size_t n;
  ck_assert_int_eq(p2ci_porter_nltk("d\xc3", 2, out, &n), P2C_ERR_INVALID_ARG);
  /* a long word goes through the heap path */
  char longw[600];
  for (size_t i = 0; i < 590; i++) longw[i] = "abcdefghij"[i % 10];
  memcpy(longw + 590, "ational", 8);
  ck_assert_uint_eq(strlen(stem_of(longw)), 590); /* NLTK: ...hij + ational -> ...hij */
  ck_assert_str_eq(stem_of(longw) + 580, "abcdefghij");
}
END_TEST

START_TEST(nltk_golden_184k_words)
{
  const char *path = "tests/data/porter_nltk.txt.gz";
  gzFile f = gzopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  static char line[4096], expect[4096], out[2 * 4096 + 8];
  size_t total = 0, same = 0;
  while (gzgets(f, line, sizeof line)) {
    size_t L = strlen(line);
    if (L && line[L - 1] == '\n') line[--L] = '\0';
    char *tab = strchr(line, '\t');
    size_t wl = tab ? (size_t)(tab - line) : L;
    if (tab) {
      char *tail;
      size_t drop = strtoul(tab + 1, &tail, 10);
      ck_assert(*tail == '\t' && drop <= wl);
      memcpy(expect, line, wl - drop);
      strcpy(expect + wl - drop, tail + 1);
    } else {
      memcpy(expect, line, wl);
      expect[wl] = '\0';
    }
    size_t n;
    ck_assert_int_eq(p2ci_porter_nltk(line, wl, out, &n), 0);
    total++;
    if (n == strlen(expect) && memcmp(out, expect, n) == 0)
      same++;
    else if (total - same <= 20)
      printf("porter differs: %.*s -> %.*s, NLTK %s\n", (int)wl, line, (int)n, out, expect);
  }
  gzclose(f);
  printf("porter_nltk parity: %zu/%zu stems identical to NLTK 3.8\n", same, total);
  ck_assert_uint_eq(total, 184199);
  ck_assert_uint_eq(same, total);
}
END_TEST

START_TEST(pylower_and_split)
{
  char out[64];
  const char *s = "A\xce\xa3 \xce\xa3 \xce\x91\xce\xa3\xce\x91 \xe2\x84\xaa"; /* AΣ Σ ΑΣΑ K(kelvin) */
  size_t n = p2ci_pylower(s, strlen(s), out);
  out[n] = '\0';
  ck_assert_str_eq(out, "a\xcf\x82 \xcf\x83 \xce\xb1\xcf\x83\xce\xb1 k");
  const char *t = " a\xc2\xa0" "b\xe3\x80\x80" "c\xe2\x80\x8b" "d\x1f" "e ";
  size_t pos = 0, st, len, k = 0;
  const char *want[] = {"a", "b", "c\xe2\x80\x8b" "d", "e"};
  while (p2ci_pysplit_next(t, strlen(t), &pos, &st, &len)) {
    ck_assert_uint_lt(k, 4);
    ck_assert_uint_eq(len, strlen(want[k]));
    ck_assert_int_eq(memcmp(t + st, want[k], len), 0);
    k++;
  }
  ck_assert_uint_eq(k, 4);
  ck_assert_uint_eq(p2ci_utf8_check("ab\xed\xa0\x80", 5), 2); /* a surrogate */
  ck_assert_uint_eq(p2ci_utf8_check("\xc0\xaf", 2), 0);       /* overlong */
  ck_assert_uint_eq(p2ci_utf8_check("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
  ck_assert_uint_eq(p2ci_utf8_check("\xf0\x9f\x90\xb6", 4), 4);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("porter_nltk");
  TCase *tc = tcase_create("porter_nltk");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, hand_picked);
  tcase_add_test(tc, nltk_golden_184k_words);
  tcase_add_test(tc, pylower_and_split);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return p2ct_run(suite()); }
