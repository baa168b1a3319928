/* WordNet 3.0 as a word lexicon: which parts of speech a word has (index.*),
 * its synset offsets over all parts of speech, and the morphological
 * exception lists (*.exc). Words are interned: every function works on ids. */
#ifndef P2C_TEXT_WN_LEXICON_H
#define P2C_TEXT_WN_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

typedef struct p2ci_wnlex p2ci_wnlex;

enum { P2CI_WN_NOUN = 1, P2CI_WN_VERB = 2, P2CI_WN_ADJ = 4, P2CI_WN_ADV = 8 };
/* Index of a part of speech in the per-POS tables: noun 0, verb 1, adj 2, adv 3. */
enum { P2CI_WN_N = 0, P2CI_WN_V = 1, P2CI_WN_A = 2, P2CI_WN_R = 3 };

/* Load index.{noun,verb,adj,adv} and {noun,verb,adj,adv}.exc from dir. */
int p2ci_wnlex_load(const char *dir, p2ci_wnlex **out, p2c_error *err);
void p2ci_wnlex_free(p2ci_wnlex *lex);
/* Replace every word's synsets by those of a METEOR 1.5 english.synsets file
 * (pairs of lines: word, synset numbers), the file SPICE's jar reads. */
int p2ci_wnlex_load_meteor_synsets(p2ci_wnlex *lex, const char *path, p2c_error *err);

/* Id of a word, or -1 when it was never seen. */
int32_t p2ci_wnlex_find(const p2ci_wnlex *lex, const char *s, size_t n);
/* Id of a word, adding it (with no POS, synsets or exceptions) when new.
 * -1 when out of memory. */
int32_t p2ci_wnlex_intern(p2ci_wnlex *lex, const char *s, size_t n);
const char *p2ci_wnlex_word(const p2ci_wnlex *lex, int32_t id);
size_t p2ci_wnlex_len(const p2ci_wnlex *lex, int32_t id);
/* P2CI_WN_* mask of the index files that list the word. */
unsigned p2ci_wnlex_pos(const p2ci_wnlex *lex, int32_t id);
/* Synset offsets of the word in all index files, sorted, unique. Offsets of
 * different parts of speech share one number space, as in METEOR's
 * english.synsets (which SPICE reads). Borrowed. */
const int32_t *p2ci_wnlex_synsets(const p2ci_wnlex *lex, int32_t id, size_t *n);
/* Base forms (ids) of an inflected form in the exception list of one part of
 * speech (P2CI_WN_N..R), in file order. Borrowed; *n == 0 when none. */
const int32_t *p2ci_wnlex_exc(const p2ci_wnlex *lex, int32_t id, int pos, size_t *n);
/* Senses of the word as pos (P2CI_WN_N..R) tagged in SemCor (index files'
 * tagsense_cnt): how common that use of the word is. */
unsigned p2ci_wnlex_tagged(const p2ci_wnlex *lex, int32_t id, int pos);
/* Whether the word is a form in any exception list. */
int p2ci_wnlex_is_exc_form(const p2ci_wnlex *lex, int32_t id);

#endif
