/* NLTK 3.8 PorterStemmer(mode=NLTK_EXTENSIONS); see porter_nltk.h.
 *
 * Each step follows nltk/stem/porter.py rule for rule, including the parts
 * that look accidental but change stems: _apply_rule_list stops at the first
 * suffix that matches even when its condition fails; the "*d" pseudo-suffix
 * of step 1b is also tried as the literal text "*d"; step 2's "logi" tests the
 * measure of the word minus three letters. */
#include "text/porter_nltk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "p2ceval.h"
#include "text/pystr.h"

typedef struct word {
  uint32_t *b;
  size_t n;
} word;

static int is_aeiou(uint32_t c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* _is_consonant: a y is a consonant at the start or after a vowel. */
static int cons(const uint32_t *b, size_t i)
{
  int flip = 0;
  while (b[i] == 'y' && i > 0) {
    flip ^= 1;
    i--;
  }
  int r = b[i] == 'y' ? 1 : !is_aeiou(b[i]);
  return r ^ flip;
}

/* _measure: the number of "vc" in the c/v pattern of b[0..n). */
static size_t measure(const uint32_t *b, size_t n)
{
  size_t m = 0;
  int prev_v = 0;
  for (size_t i = 0; i < n; i++) {
    int c = cons(b, i);
    if (c && prev_v) m++;
    prev_v = !c;
  }
  return m;
}

static int contains_vowel(const uint32_t *b, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!cons(b, i)) return 1;
  return 0;
}

static int ends_double_consonant(const uint32_t *b, size_t n)
{
  return n >= 2 && b[n - 1] == b[n - 2] && cons(b, n - 1);
}

/* _ends_cvc in NLTK mode: also true for a two-letter vowel-consonant word. */
static int ends_cvc(const uint32_t *b, size_t n)
{
  if (n >= 3 && cons(b, n - 3) && !cons(b, n - 2) && cons(b, n - 1) && b[n - 1] != 'w' &&
      b[n - 1] != 'x' && b[n - 1] != 'y')
    return 1;
  return n == 2 && !cons(b, 0) && cons(b, 1);
}

static int ends_with(const word *w, const char *suffix)
{
  size_t k = strlen(suffix);
  if (k > w->n) return 0;
  for (size_t i = 0; i < k; i++)
    if (w->b[w->n - k + i] != (unsigned char)suffix[i]) return 0;
  return 1;
}

/* Buffers have room for one more code point than the input: only step 1b
 * ever lengthens the word, by one. */
static void append(word *w, const char *s)
{
  for (; *s; s++) w->b[w->n++] = (unsigned char)*s;
}

enum cond {
  C_NONE,
  C_M_GT0,      /* _has_positive_measure(stem) */
  C_M_GT1,      /* measure(stem) > 1 */
  C_M_GT1_ST,   /* step 4 "ion": measure > 1 and stem ends in s or t */
  C_LOGI,       /* step 2 "logi": measure(word[:-3]) > 0 */
  C_LL          /* step 5b: measure(word[:-1]) > 1 */
};

typedef struct rule {
  const char *suffix, *repl;
  enum cond cond;
} rule;

static int cond_holds(enum cond c, const word *w, size_t stem_n)
{
  switch (c) {
  case C_NONE: return 1;
  case C_M_GT0: return measure(w->b, stem_n) > 0;
  case C_M_GT1: return measure(w->b, stem_n) > 1;
  case C_M_GT1_ST:
    return measure(w->b, stem_n) > 1 && (w->b[stem_n - 1] == 's' || w->b[stem_n - 1] == 't');
  case C_LOGI: return w->n >= 3 && measure(w->b, w->n - 3) > 0;
  case C_LL: return measure(w->b, w->n - 1) > 1;
  }
  return 0;
}

/* _apply_rule_list without the "*d" rule (handled in step 1b): the first rule
 * whose suffix matches decides, whether or not its condition holds. */
static void apply_rules(word *w, const rule *rules, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (!ends_with(w, rules[i].suffix)) continue;
    size_t stem_n = w->n - strlen(rules[i].suffix);
    if (cond_holds(rules[i].cond, w, stem_n)) {
      w->n = stem_n;
      append(w, rules[i].repl);
    }
    return;
  }
}

static void step1a(word *w)
{
  if (ends_with(w, "ies") && w->n == 4) {
    w->n -= 1; /* "ies" -> "ie" */
    return;
  }
  static const rule r[] = {{"sses", "ss", C_NONE}, {"ies", "i", C_NONE}, {"ss", "ss", C_NONE},
                           {"s", "", C_NONE}};
  apply_rules(w, r, sizeof r / sizeof *r);
}

static void step1b(word *w)
{
  if (ends_with(w, "ied")) {
    w->n -= 3;
    append(w, w->n == 1 ? "ie" : "i"); /* NLTK: len(word) == 4 */
    return;
  }
  if (ends_with(w, "eed")) {
    if (measure(w->b, w->n - 3) > 0) w->n -= 1; /* "eed" -> "ee" */
    return;
  }
  size_t stem_n;
  if (ends_with(w, "ed") && contains_vowel(w->b, w->n - 2))
    stem_n = w->n - 2;
  else if (ends_with(w, "ing") && contains_vowel(w->b, w->n - 3))
    stem_n = w->n - 3;
  else
    return;
  w->n = stem_n;
  if (ends_with(w, "at") || ends_with(w, "bl") || ends_with(w, "iz")) {
    append(w, "e");
    return;
  }
  uint32_t last = w->b[w->n - 1]; /* non-empty: it contains a vowel */
  int keep_double = last == 'l' || last == 's' || last == 'z';
  if (ends_double_consonant(w->b, w->n)) {
    if (!keep_double) w->n -= 1; /* stem[:-2] + stem[-1] */
    return;
  }
  if (ends_with(w, "*d")) { /* the rule's name taken as a literal suffix: */
    w->b[w->n - 2] = 'd';    /* word[:-2] + word[-1], and word[-1] is 'd' */
    w->n -= 1;
    return;
  }
  if (measure(w->b, w->n) == 1 && ends_cvc(w->b, w->n)) append(w, "e");
}

static void step1c(word *w)
{
  /* NLTK: y -> i when preceded by a consonant that is not the first letter. */
  if (!ends_with(w, "y")) return;
  size_t stem_n = w->n - 1;
  if (stem_n > 1 && cons(w->b, stem_n - 1)) w->b[stem_n] = 'i';
}

static void step2(word *w)
{
  while (ends_with(w, "alli") && measure(w->b, w->n - 4) > 0) w->n -= 2; /* alli -> al, again */
  static const rule r[] = {
      {"ational", "ate", C_M_GT0}, {"tional", "tion", C_M_GT0}, {"enci", "ence", C_M_GT0},
      {"anci", "ance", C_M_GT0},   {"izer", "ize", C_M_GT0},    {"bli", "ble", C_M_GT0},
      {"alli", "al", C_M_GT0},     {"entli", "ent", C_M_GT0},   {"eli", "e", C_M_GT0},
      {"ousli", "ous", C_M_GT0},   {"ization", "ize", C_M_GT0}, {"ation", "ate", C_M_GT0},
      {"ator", "ate", C_M_GT0},    {"alism", "al", C_M_GT0},    {"iveness", "ive", C_M_GT0},
      {"fulness", "ful", C_M_GT0}, {"ousness", "ous", C_M_GT0}, {"aliti", "al", C_M_GT0},
      {"iviti", "ive", C_M_GT0},   {"biliti", "ble", C_M_GT0},  {"fulli", "ful", C_M_GT0},
      {"logi", "log", C_LOGI}};
  apply_rules(w, r, sizeof r / sizeof *r);
}

static void step3(word *w)
{
  static const rule r[] = {{"icate", "ic", C_M_GT0}, {"ative", "", C_M_GT0},
                           {"alize", "al", C_M_GT0}, {"iciti", "ic", C_M_GT0},
                           {"ical", "ic", C_M_GT0},  {"ful", "", C_M_GT0},
                           {"ness", "", C_M_GT0}};
  apply_rules(w, r, sizeof r / sizeof *r);
}

static void step4(word *w)
{
  static const rule r[] = {
      {"al", "", C_M_GT1},   {"ance", "", C_M_GT1}, {"ence", "", C_M_GT1},  {"er", "", C_M_GT1},
      {"ic", "", C_M_GT1},   {"able", "", C_M_GT1}, {"ible", "", C_M_GT1},  {"ant", "", C_M_GT1},
      {"ement", "", C_M_GT1}, {"ment", "", C_M_GT1}, {"ent", "", C_M_GT1},
      {"ion", "", C_M_GT1_ST}, {"ou", "", C_M_GT1},  {"ism", "", C_M_GT1},   {"ate", "", C_M_GT1},
      {"iti", "", C_M_GT1},  {"ous", "", C_M_GT1},  {"ive", "", C_M_GT1},   {"ize", "", C_M_GT1}};
  apply_rules(w, r, sizeof r / sizeof *r);
}

static void step5a(word *w)
{
  if (!ends_with(w, "e")) return;
  size_t m = measure(w->b, w->n - 1);
  if (m > 1 || (m == 1 && !ends_cvc(w->b, w->n - 1))) w->n -= 1;
}

static void step5b(word *w)
{
  static const rule r[] = {{"ll", "l", C_LL}};
  apply_rules(w, r, 1);
}

/* NLTK's irregular_forms, inverted: form -> stem. */
static const char *const pool[][2] = {
    {"sky", "sky"},         {"skies", "sky"},     {"dying", "die"},       {"lying", "lie"},
    {"tying", "tie"},       {"news", "news"},     {"innings", "inning"},  {"inning", "inning"},
    {"outings", "outing"},  {"outing", "outing"}, {"cannings", "canning"}, {"canning", "canning"},
    {"howe", "howe"},       {"proceed", "proceed"}, {"exceed", "exceed"}, {"succeed", "succeed"}};

int p2ci_porter_nltk(const char *in, size_t len, char *out, size_t *out_len)
{
  *out_len = 0;
  if (p2ci_utf8_check(in, len) != len) return P2C_ERR_INVALID_ARG;
  for (size_t k = 0; k < sizeof pool / sizeof *pool; k++) {
    if (strlen(pool[k][0]) == len && memcmp(pool[k][0], in, len) == 0) {
      *out_len = strlen(pool[k][1]);
      memcpy(out, pool[k][1], *out_len);
      return P2C_OK;
    }
  }
  /* Lowercase into out (it has the room), then decode to code points. */
  size_t lower_len = p2ci_pylower(in, len, out);
  size_t orig_cps = 0;
  for (size_t i = 0; i < len; i++) orig_cps += ((unsigned char)in[i] & 0xC0) != 0x80;
  if (orig_cps <= 2) { /* len(word) <= 2: the lowercased word */
    *out_len = lower_len;
    return P2C_OK;
  }
  uint32_t stack[128];
  word w = {stack, 0};
  if (lower_len + 2 > sizeof stack / sizeof *stack) {
    w.b = malloc((lower_len + 2) * sizeof *w.b);
    if (!w.b) return P2C_ERR_NOMEM;
  }
  for (size_t i = 0; i < lower_len;) {
    uint32_t cp = 0;
    p2ci_utf8_next(out, lower_len, &i, &cp);
    w.b[w.n++] = cp;
  }
  step1a(&w);
  step1b(&w);
  step1c(&w);
  step2(&w);
  step3(&w);
  step4(&w);
  step5a(&w);
  step5b(&w);
  size_t o = 0;
  for (size_t i = 0; i < w.n; i++) o += p2ci_utf8_put(w.b[i], out + o);
  *out_len = o;
  if (w.b != stack) free(w.b);
  return P2C_OK;
}
