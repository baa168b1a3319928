/* Part-of-speech guesses and lemmas for caption words without a tagger:
 * WordNet's index files say which open classes a word can belong to, our own
 * closed-class lists cover the rest, and WordNet's morphology (exception
 * lists, then suffix rules) gives lemmas. */
#ifndef P2C_TEXT_POS_LEXICON_H
#define P2C_TEXT_POS_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "text/wn_lexicon.h"

/* Closed word classes (our lists; WordNet has only open classes). */
typedef enum p2ci_cc {
  P2CI_CC_NONE = 0,
  P2CI_CC_DET,     /* a the this that these those every each no any */
  P2CI_CC_PREP,    /* on in of with ... */
  P2CI_CC_CONJ,    /* and or but */
  P2CI_CC_PRON,    /* he she it they ... */
  P2CI_CC_POSS,    /* his her its their ... */
  P2CI_CC_AUX,     /* is are was be been being has have had */
  P2CI_CC_NUM,     /* one two ... 2 3 */
  P2CI_CC_QUANT,   /* some many several few all both */
  P2CI_CC_ADV,     /* very while also just together */
  P2CI_CC_WH,      /* who which that where while */
  P2CI_CC_THERE,   /* existential there */
  P2CI_CC_TO,      /* to */
  P2CI_CC_PUNCT,   /* , . ; : ' " ( ) */
  P2CI_CC_NEG      /* not n't */
} p2ci_cc;

typedef struct p2ci_poslex p2ci_poslex;

int p2ci_poslex_create(p2ci_wnlex *lex, p2ci_poslex **out);
void p2ci_poslex_free(p2ci_poslex *pl);
/* Closed class of a word id (P2CI_CC_NONE for open-class words). */
p2ci_cc p2ci_poslex_closed(const p2ci_poslex *pl, int32_t word);
/* P2CI_WN_* mask from WordNet, corrected for words WordNet over-lists. */
unsigned p2ci_poslex_open(const p2ci_poslex *pl, int32_t word);
/* Lemma of a word used as P2CI_WN_N/V/A: WordNet morphy (exceptions, then
 * suffix rules whose candidate WordNet lists for that POS), else the word.
 * -1 when out of memory. */
int32_t p2ci_poslex_lemma(p2ci_poslex *pl, int32_t word, int pos);
/* Whether a noun-looking word is plural (by its morphology). */
int p2ci_poslex_plural(p2ci_poslex *pl, int32_t word);

#endif
