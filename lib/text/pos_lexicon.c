/* Closed-class word lists and WordNet-morphology lemmas for the rule-based
 * tagger of the SPICE-style metric. */
#include "text/pos_lexicon.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

struct p2ci_poslex {
  p2ci_wnlex *lex; /* borrowed */
  uint8_t *cls;    /* p2ci_cc per word id below ncls */
  size_t ncls;
};

typedef struct cc_list {
  p2ci_cc cls;
  const char *words;
} cc_list;

/* Our own closed-class lists (space separated). A word in two lists takes the
 * first. */
static const cc_list CLOSED[] = {
    {P2CI_CC_PUNCT, ", . ; : ' \" ( ) ! ? -- - ` `` '' -lrb- -rrb- &"},
    {P2CI_CC_THERE, "there"},
    {P2CI_CC_DET, "a an the this these those every each another either neither no any some all both most"},
    {P2CI_CC_POSS, "his her its their my your our"},
    {P2CI_CC_PRON, "he she it they him them i you we me us itself himself herself themselves"},
    {P2CI_CC_WH, "who which that whose whom what where when while as"},
    {P2CI_CC_TO, "to"},
    {P2CI_CC_NEG, "not n't"},
    {P2CI_CC_AUX, "is are was were be been being am 's 're 'm has have had having does do did can could will "
                  "would may might must should"},
    {P2CI_CC_CONJ, "and or but nor & yet"},
    {P2CI_CC_NUM, "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                  "twenty thirty forty fifty hundred dozen"},
    {P2CI_CC_QUANT, "many several few other various multiple numerous"},
    {P2CI_CC_PREP, "on in of with at by from into onto near under above over behind beside besides between "
                   "through across along around against inside outside underneath beneath below toward "
                   "towards up down off out among during without about like past upon via atop within "
                   "throughout amongst amid beyond alongside aboard for after before than"},
    {P2CI_CC_ADV, "very also just together too while still really so then here away there's almost "
                  "partially mostly fully nearly quite rather somewhat slightly only even all"},
};

int p2ci_poslex_create(p2ci_wnlex *lex, p2ci_poslex **out)
{
  *out = NULL;
  p2ci_poslex *pl = calloc(1, sizeof *pl);
  if (!pl) return P2C_ERR_NOMEM;
  pl->lex = lex;
  /* Intern every listed word first, then size the class table. */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t l = 0; l < sizeof CLOSED / sizeof *CLOSED; l++) {
      const char *p = CLOSED[l].words;
      while (*p) {
        while (*p == ' ') p++;
        const char *e = p;
        while (*e && *e != ' ') e++;
        if (e > p) {
          int32_t id = p2ci_wnlex_intern(lex, p, (size_t)(e - p));
          if (id < 0) goto nomem;
          if (pass == 1 && (size_t)id < pl->ncls && pl->cls[id] == P2CI_CC_NONE) pl->cls[id] = (uint8_t)CLOSED[l].cls;
        }
        p = e;
      }
    }
    if (pass == 0) {
      size_t n = 0; /* one past the largest id of a listed word */
      for (size_t l = 0; l < sizeof CLOSED / sizeof *CLOSED; l++) {
        const char *p = CLOSED[l].words;
        while (*p) {
          while (*p == ' ') p++;
          const char *e = p;
          while (*e && *e != ' ') e++;
          if (e > p) {
            int32_t id = p2ci_wnlex_find(lex, p, (size_t)(e - p));
            if ((size_t)id + 1 > n) n = (size_t)id + 1;
          }
          p = e;
        }
      }
      pl->ncls = n;
      pl->cls = calloc(n ? n : 1, 1);
      if (!pl->cls) goto nomem;
    }
  }
  *out = pl;
  return P2C_OK;
nomem:
  p2ci_poslex_free(pl);
  return P2C_ERR_NOMEM;
}

void p2ci_poslex_free(p2ci_poslex *pl)
{
  if (!pl) return;
  free(pl->cls);
  free(pl);
}

p2ci_cc p2ci_poslex_closed(const p2ci_poslex *pl, int32_t word)
{
  return (size_t)word < pl->ncls ? (p2ci_cc)pl->cls[word] : P2CI_CC_NONE;
}

unsigned p2ci_poslex_open(const p2ci_poslex *pl, int32_t word)
{
  return p2ci_wnlex_pos(pl->lex, word);
}

/* WordNet morphy suffix rules per part of speech (noun, verb, adjective). */
static const struct {
  const char *suf, *add;
} RULES[3][8] = {
    {{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
    {{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}},
    {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}, {NULL, NULL}, {NULL, NULL}, {NULL, NULL}, {NULL, NULL}},
};

/* The morphy candidate listed in WordNet for pos; of several, the one most
 * used in SemCor ("swinging": swing, not swinge; "bunches": bunch, not
 * Bunche), else the first. -1 when none. */
static int32_t morph_candidate(p2ci_poslex *pl, int32_t word, int pos)
{
  int32_t best = -1;
  unsigned best_count = 0;
  size_t n = p2ci_wnlex_len(pl->lex, word);
  const char *s = p2ci_wnlex_word(pl->lex, word);
  if (n < 3 || n > 120) return -1;
  char buf[128];
  for (int r = 0; r < 8 && RULES[pos][r].suf; r++) {
    size_t sl = strlen(RULES[pos][r].suf), al = strlen(RULES[pos][r].add);
    if (n <= sl || memcmp(s + n - sl, RULES[pos][r].suf, sl) != 0) continue;
    memcpy(buf, s, n - sl);
    memcpy(buf + n - sl, RULES[pos][r].add, al);
    int32_t id = p2ci_wnlex_find(pl->lex, buf, n - sl + al);
    if (id < 0 || !(p2ci_wnlex_pos(pl->lex, id) & (1u << pos))) continue;
    unsigned cnt = p2ci_wnlex_tagged(pl->lex, id, pos);
    if (best < 0 || cnt > best_count) {
      best = id;
      best_count = cnt;
    }
  }
  return best;
}

int32_t p2ci_poslex_lemma(p2ci_poslex *pl, int32_t word, int pos)
{
  if (pos < 0 || pos > 2) return word;
  size_t nb;
  const int32_t *bases = p2ci_wnlex_exc(pl->lex, word, pos, &nb);
  if (nb) return bases[0];
  size_t n = p2ci_wnlex_len(pl->lex, word);
  const char *s = p2ci_wnlex_word(pl->lex, word);
  /* CoreNLP keeps "people" and "graffiti"; a noun ending in "ss" or "us" is singular. */
  if (pos == P2CI_WN_N) {
    if ((n == 6 && memcmp(s, "people", 6) == 0) || (n == 8 && memcmp(s, "graffiti", 8) == 0) || (n >= 2 && s[n - 1] == 's' && (s[n - 2] == 's' || s[n - 2] == 'u')))
      return word;
    if (n < 2 || s[n - 1] != 's') {
      if (!(n >= 3 && memcmp(s + n - 3, "men", 3) == 0)) return word;
    }
  }
  if (pos == P2CI_WN_A && (p2ci_wnlex_pos(pl->lex, word) & P2CI_WN_ADJ)) return word;
  int32_t c = morph_candidate(pl, word, pos);
  return c >= 0 ? c : word;
}

int p2ci_poslex_plural(p2ci_poslex *pl, int32_t word)
{
  size_t nb;
  const char *s = p2ci_wnlex_word(pl->lex, word);
  size_t n = p2ci_wnlex_len(pl->lex, word);
  if (n == 6 && memcmp(s, "people", 6) == 0) return 1;
  p2ci_wnlex_exc(pl->lex, word, P2CI_WN_N, &nb);
  if (nb) return 1;
  return p2ci_poslex_lemma(pl, word, P2CI_WN_N) != word;
}
