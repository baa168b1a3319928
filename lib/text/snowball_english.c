/* Snowball English stemmer (Porter2, 2006 definition). The word is held as
 * code points so that lengths and positions count characters as Snowball's
 * Java runtime does (every character of an English word is in the BMP). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/java_string.h"
#include "text/pystr.h"
#include "text/snowball_english.h"

typedef struct word {
  uint32_t *c;
  size_t n;      /* current length */
  size_t p1, p2; /* R1 and R2 start (fixed once marked, as in Snowball) */
  int y_found;
} word;

static int is_v(uint32_t c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int is_li_ending(uint32_t c)
{
  return c == 'c' || c == 'd' || c == 'e' || c == 'g' || c == 'h' || c == 'k' || c == 'm' ||
         c == 'n' || c == 'r' || c == 't';
}

/* Does w end with the ASCII suffix s? */
static int ends(const word *w, const char *s)
{
  size_t k = strlen(s);
  if (k > w->n) return 0;
  for (size_t i = 0; i < k; i++)
    if (w->c[w->n - k + i] != (unsigned char)s[i]) return 0;
  return 1;
}

static int equals(const word *w, const char *s)
{
  return strlen(s) == w->n && ends(w, s);
}

/* Replace the last k characters by the ASCII string r (never longer than the
 * buffer: callers only shrink the word or restore a deleted character). */
static void replace_end(word *w, size_t k, const char *r)
{
  size_t rl = strlen(r);
  w->n -= k;
  for (size_t i = 0; i < rl; i++) w->c[w->n++] = (unsigned char)r[i];
}

/* Longest suffix of w among the NULL-terminated list, or -1. */
static int longest(const word *w, const char *const *list)
{
  int best = -1;
  size_t best_len = 0;
  for (int i = 0; list[i]; i++) {
    size_t k = strlen(list[i]);
    if ((best < 0 || k > best_len) && ends(w, list[i])) {
      best = i;
      best_len = k;
    }
  }
  return best;
}

/* Short syllable ending at position end: non-vowel, vowel, non-vowel other
 * than w, x, Y; or, at the word's start, vowel then non-vowel. */
static int short_syllable_at(const word *w, size_t end)
{
  if (end >= 3) {
    uint32_t a = w->c[end - 3], b = w->c[end - 2], c = w->c[end - 1];
    if (!is_v(a) && is_v(b) && !is_v(c) && c != 'w' && c != 'x' && c != 'Y') return 1;
  }
  if (end == 2) return is_v(w->c[0]) && !is_v(w->c[1]);
  return 0;
}

/* Position after the first non-vowel that follows a vowel, from 'from'. */
static size_t region_after(const word *w, size_t from)
{
  size_t i = from;
  while (i < w->n && !is_v(w->c[i])) i++;
  if (i >= w->n) return w->n;
  i++;
  while (i < w->n && is_v(w->c[i])) i++;
  if (i >= w->n) return w->n;
  return i + 1;
}

static void prelude(word *w)
{
  if (w->n > 0 && w->c[0] == '\'') {
    memmove(w->c, w->c + 1, (w->n - 1) * sizeof *w->c);
    w->n--;
  }
  if (w->n > 0 && w->c[0] == 'y') {
    w->c[0] = 'Y';
    w->y_found = 1;
  }
  for (size_t i = 0; i + 1 < w->n; i++)
    if (is_v(w->c[i]) && w->c[i + 1] == 'y') {
      w->c[i + 1] = 'Y';
      w->y_found = 1;
    }
}

/* R1 after gener/commun/arsen, else after the first non-vowel following a
 * vowel; R2 the same from R1. An empty region starts at the end. */
static void mark_regions(word *w)
{
  static const char *const prefixes[] = {"gener", "commun", "arsen"};
  size_t p1 = SIZE_MAX;
  for (int k = 0; k < 3 && p1 == SIZE_MAX; k++) {
    size_t l = strlen(prefixes[k]), i = 0;
    while (i < l && i < w->n && w->c[i] == (unsigned char)prefixes[k][i]) i++;
    if (i == l) p1 = l;
  }
  if (p1 == SIZE_MAX) p1 = region_after(w, 0);
  w->p1 = p1;
  w->p2 = region_after(w, p1);
}

static int in_r1(const word *w, size_t k) { return w->n - k >= w->p1; }
static int in_r2(const word *w, size_t k) { return w->n - k >= w->p2; }

static int vowel_before(const word *w, size_t end)
{
  for (size_t i = 0; i < end; i++)
    if (is_v(w->c[i])) return 1;
  return 0;
}

static void step_1a(word *w)
{
  static const char *const apos[] = {"'", "'s'", "'s", NULL};
  static const char *const suf[] = {"sses", "ied", "ies", "s", "us", "ss", NULL};
  int k = longest(w, apos);
  if (k >= 0) w->n -= strlen(apos[k]);
  k = longest(w, suf);
  if (k < 0) return;
  const char *s = suf[k];
  size_t sl = strlen(s), start = w->n - sl;
  if (k == 0) replace_end(w, 4, "ss");
  else if (k == 1 || k == 2) replace_end(w, 3, start >= 2 ? "i" : "ie");
  /* "s": delete when a vowel occurs before the character preceding it */
  else if (k == 3 && start >= 1 && vowel_before(w, start - 1)) w->n--;
}

static int exception2(const word *w)
{
  static const char *const list[] = {"inning", "outing",  "canning", "herring",
                                     "earring", "proceed", "exceed", "succeed"};
  for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
    if (equals(w, list[i])) return 1;
  return 0;
}

static void step_1b(word *w)
{
  static const char *const suf[] = {"eed", "eedly", "ed", "edly", "ing", "ingly", NULL};
  int k = longest(w, suf);
  if (k < 0) return;
  size_t sl = strlen(suf[k]);
  if (k <= 1) {
    if (in_r1(w, sl)) replace_end(w, sl, "ee");
    return;
  }
  if (!vowel_before(w, w->n - sl)) return;
  w->n -= sl;
  static const char *const after[] = {"at", "bl", "iz", "bb", "dd", "ff", "gg", "mm",
                                      "nn", "pp", "rr", "tt", NULL};
  int a = longest(w, after);
  if (a >= 0 && a <= 2) replace_end(w, 0, "e");
  else if (a >= 3) w->n--;
  else if (w->n == w->p1 && short_syllable_at(w, w->n)) replace_end(w, 0, "e");
}

static void step_1c(word *w)
{
  if (w->n < 3) return;
  uint32_t last = w->c[w->n - 1];
  if ((last == 'y' || last == 'Y') && !is_v(w->c[w->n - 2])) w->c[w->n - 1] = 'i';
}

static void step_2(word *w)
{
  static const char *const suf[] = {
      "tional", "enci",  "anci",    "abli",  "entli",   "izer",    "ization", "ational",
      "ation",  "ator",  "alism",   "aliti", "alli",    "fulness", "ousli",   "ousness",
      "iveness", "iviti", "biliti", "bli",   "ogi",     "fulli",   "lessli",  "li",      NULL};
  static const char *const rep[] = {"tion", "ence", "ance", "able", "ent", "ize", "ize", "ate",
                                    "ate",  "ate",  "al",   "al",   "al",  "ful", "ous", "ous",
                                    "ive",  "ive",  "ble",  "ble",  "og",  "ful", "less", ""};
  int k = longest(w, suf);
  if (k < 0) return;
  size_t sl = strlen(suf[k]);
  if (!in_r1(w, sl)) return;
  if (strcmp(suf[k], "ogi") == 0) {
    if (w->n >= 4 && w->c[w->n - 4] == 'l') replace_end(w, 3, "og");
  } else if (strcmp(suf[k], "li") == 0) {
    if (w->n >= 3 && is_li_ending(w->c[w->n - 3])) w->n -= 2;
  } else {
    replace_end(w, sl, rep[k]);
  }
}

static void step_3(word *w)
{
  static const char *const suf[] = {"tional", "ational", "alize", "icate", "iciti",
                                    "ical",   "ful",     "ness",  "ative", NULL};
  static const char *const rep[] = {"tion", "ate", "al", "ic", "ic", "ic", "", "", ""};
  int k = longest(w, suf);
  if (k < 0) return;
  size_t sl = strlen(suf[k]);
  if (!in_r1(w, sl)) return;
  if (k == 8) {
    if (in_r2(w, sl)) w->n -= sl;
  } else {
    replace_end(w, sl, rep[k]);
  }
}

static void step_4(word *w)
{
  static const char *const suf[] = {"al",  "ance", "ence", "er",  "ic",  "able", "ible",
                                    "ant", "ement", "ment", "ent", "ism", "ate",  "iti",
                                    "ous", "ive",  "ize",  "ion", NULL};
  int k = longest(w, suf);
  if (k < 0) return;
  size_t sl = strlen(suf[k]);
  if (!in_r2(w, sl)) return;
  if (strcmp(suf[k], "ion") == 0) {
    if (w->n >= 4 && (w->c[w->n - 4] == 's' || w->c[w->n - 4] == 't')) w->n -= 3;
  } else {
    w->n -= sl;
  }
}

static void step_5(word *w)
{
  if (ends(w, "e")) {
    if (in_r2(w, 1) || (in_r1(w, 1) && !short_syllable_at(w, w->n - 1))) w->n--;
  } else if (ends(w, "l")) {
    if (in_r2(w, 1) && w->n >= 2 && w->c[w->n - 2] == 'l') w->n--;
  }
}

/* Whole-word exceptions; returns 1 when the word was handled. */
static int exception1(word *w)
{
  static const char *const from[] = {"skis", "skies", "dying", "lying", "tying", "idly",
                                     "gently", "ugly", "early", "only", "singly", "sky",
                                     "news", "howe", "atlas", "cosmos", "bias", "andes"};
  static const char *const to[] = {"ski",  "sky",   "die",   "lie",  "tie", "idl",
                                   "gentl", "ugli", "earli", "onli", "singl", NULL};
  for (size_t i = 0; i < sizeof from / sizeof from[0]; i++)
    if (equals(w, from[i])) {
      if (i < sizeof to / sizeof to[0] && to[i]) replace_end(w, w->n, to[i]);
      return 1;
    }
  return 0;
}

static void stem(word *w)
{
  if (exception1(w) || w->n < 3) return;
  prelude(w);
  mark_regions(w);
  step_1a(w);
  if (!exception2(w)) {
    step_1b(w);
    step_1c(w);
    step_2(w);
    step_3(w);
    step_4(w);
    step_5(w);
  }
  if (w->y_found)
    for (size_t i = 0; i < w->n; i++)
      if (w->c[i] == 'Y') w->c[i] = 'y';
}

size_t p2ci_snowball_english(const char *s, size_t len, char *out)
{
  uint32_t local[256];
  word w = {local, 0, 0, 0, 0};
  if (len > 256) {
    w.c = malloc(len * sizeof *w.c);
    if (!w.c) return (size_t)-1;
  }
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < len;) i += p2ci_utf8_decode(p + i, len - i, &w.c[w.n++]);
  stem(&w);
  size_t o = 0;
  for (size_t i = 0; i < w.n; i++) o += p2ci_utf8_put(w.c[i], out + o);
  out[o] = '\0';
  if (w.c != local) free(w.c);
  return o;
}
