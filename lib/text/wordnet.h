/* WordNet 3.0: the one reader of the dict files, with NLTK 3.8's semantics
 * (private API).
 *
 * Reads a WordNet "dict" folder (Debian wordnet-base: /usr/share/wordnet) the
 * way nltk.corpus.reader.wordnet.WordNetCorpusReader does, so that morphy,
 * synsets and lemma names come out exactly as NLTK gives them, in NLTK's order
 * (METEOR NLTK variant, the protocol's official METEOR). The same loaded
 * handle is the store under the two other WordNet layers, which keep their
 * own rules on top of it: METEOR 1.5's synonym rules
 * (metrics/meteor15_synonyms.c) and SPICE's lexicon (text/wn_lexicon.c).
 * p2ci_wordnet_open_shared lets all of them in one process use one copy.
 *
 * Loading (p2ci_wordnet_open, ~15 ms of CPU): all twelve files are mapped
 * (mmap; read when mapping fails). Each index.* line is checked once; one hash
 * table over the four index files maps a lemma to its line in each; the *.exc
 * lists are hashed; data.* lines are parsed only when a synset is asked for.
 * After open the handle is never modified: every query below is thread-safe
 * and may run on one handle from many threads at once. Queries do not cache;
 * callers that ask the same question often (METEOR) keep their own cache.
 *
 * Strings returned (p2ci_wn_str) are views into the handle's memory: not
 * NUL-terminated, valid until p2ci_wordnet_free. Result lists are caller-owned,
 * reusable across calls (each call replaces their content), freed with
 * p2ci_wn_strs_free / p2ci_wn_synsets_free.
 *
 * Parts of speech are numbered in NLTK's POS_LIST order (noun, verb, adj,
 * adv), which is also the order synsets() visits them. Adjective satellites
 * ('s') live in data.adj and are reached through P2CI_WORDNET_ADJ, as in NLTK.
 */
#ifndef P2C_TEXT_WORDNET_H
#define P2C_TEXT_WORDNET_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

enum {
  P2CI_WORDNET_NOUN = 0, /* 'n', index.noun, data.noun, noun.exc */
  P2CI_WORDNET_VERB = 1, /* 'v' */
  P2CI_WORDNET_ADJ = 2,  /* 'a' (and satellites 's') */
  P2CI_WORDNET_ADV = 3,  /* 'r' */
  P2CI_WORDNET_NPOS = 4,
  P2CI_WORDNET_ANY = -1 /* synsets(): all four, in the order above */
};
/* The first version of this header said P2CI_WN_ANY (code on the protocol
 * branch uses it). The other P2CI_WN_ names belong to text/wn_lexicon.h. */
#define P2CI_WN_ANY P2CI_WORDNET_ANY

/* Default folder, and the environment variable that overrides it. */
#define P2CI_WORDNET_DEFAULT_DIR "/usr/share/wordnet"
#define P2CI_WORDNET_ENV "P2C_WORDNET_DIR"

/* Longest form morphy() analyses; longer words have no WordNet analysis (NLTK
 * would keep stripping suffixes; no WordNet lemma is longer than 71 bytes). */
#define P2CI_WORDNET_MAX_FORM 256

typedef struct p2ci_wordnet p2ci_wordnet;

typedef struct p2ci_wn_str {
  const char *ptr;
  size_t len;
} p2ci_wn_str;

/* A synset: the file it is in (a P2CI_WORDNET_ part of speech) and its byte offset
 * there. Two synsets are the same iff both fields are equal. */
typedef struct p2ci_wn_synset {
  int pos;
  uint32_t offset;
} p2ci_wn_synset;

typedef struct p2ci_wn_strs {
  p2ci_wn_str *v;
  size_t n, cap;
} p2ci_wn_strs;

typedef struct p2ci_wn_synsets {
  p2ci_wn_synset *v;
  size_t n, cap;
} p2ci_wn_synsets;

void p2ci_wn_strs_free(p2ci_wn_strs *l);       /* frees the array, keeps l */
void p2ci_wn_synsets_free(p2ci_wn_synsets *l); /* frees the array, keeps l */

/* The folder to read: dir if not NULL/empty, else $P2C_WORDNET_DIR if set and
 * non-empty, else /usr/share/wordnet. Returns a pointer to one of those. */
const char *p2ci_wordnet_resolve_dir(const char *dir);

/* Open the WordNet folder chosen by p2ci_wordnet_resolve_dir(dir). Errors name
 * the missing or malformed file (and its line). *out is NULL on failure. */
int p2ci_wordnet_open(const char *dir, p2ci_wordnet **out, p2c_error *err);
/* The same, but when a handle of the same folder (after resolution) is still
 * open in this process, that handle is retained and returned instead of
 * reading the files again: the NLTK METEOR, METEOR 1.5 and SPICE scorers of
 * one evaluation share one copy. Thread-safe. */
int p2ci_wordnet_open_shared(const char *dir, p2ci_wordnet **out, p2c_error *err);
/* Handles are reference-counted so that several owners (scorers on several
 * threads) can share one: retain adds an owner and returns wn; free drops one
 * and releases the memory with the last. Both are thread-safe. */
p2ci_wordnet *p2ci_wordnet_retain(p2ci_wordnet *wn);
void p2ci_wordnet_free(p2ci_wordnet *wn);
/* The folder that was opened. Borrowed. */
const char *p2ci_wordnet_dir(const p2ci_wordnet *wn);
/* Distinct lemma strings over the four index files (147,306 in WordNet 3.0). */
size_t p2ci_wordnet_num_lemmas(const p2ci_wordnet *wn);

/* 'n', 'v', 'a', 'r' for a P2CI_WORDNET_ part of speech. */
char p2ci_wordnet_pos_char(int pos);

/* 1 if the exact string s is a lemma of index.<pos> (pos P2CI_WORDNET_ANY: of any
 * index), else 0. No lowercasing, no morphology: "dogs" is not, "dog" is. */
int p2ci_wordnet_in_index(const p2ci_wordnet *wn, const char *s, size_t len, int pos);

/* The synsets index.<pos> lists for the exact lemma s (no morphy, no
 * lowercasing), in file order; empty when s is not there. P2CI_WORDNET_ANY:
 * those of the four files, one after the other in part-of-speech order (one
 * lookup). Returns 0, P2C_ERR_INVALID_ARG or P2C_ERR_NOMEM. */
int p2ci_wordnet_index_synsets(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                               p2ci_wn_synsets *out);

/* NLTK WordNetCorpusReader._morphy(form, pos, check_exceptions=True): base
 * forms of s for one part of speech (not P2CI_WORDNET_ANY), in NLTK's order: the
 * exception list if s is in it (and then nothing else), else s and the one-step
 * suffix rewrites that are lemmas, else rewrites repeated until some are.
 * Results are views of index lemmas. No lowercasing (NLTK does none here).
 * Returns 0 or P2C_ERR_NOMEM. */
int p2ci_wordnet_morphy(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                        p2ci_wn_strs *out);

/* NLTK WordNetCorpusReader.synsets(s, pos): s is lowercased with Python's
 * str.lower (must be valid UTF-8), then for each part of speech (all four for
 * P2CI_WORDNET_ANY), for each morphy form, the index offsets. Duplicates are kept,
 * as NLTK keeps them. Returns 0, P2C_ERR_NOMEM, or P2C_ERR_INVALID_ARG. */
int p2ci_wordnet_synsets(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                         p2ci_wn_synsets *out);

/* Synset.lemma_names(): the words of synset ss in data-file order, with the
 * adjective marker "(a)", "(p)", "(ip)" removed, case and underscores kept
 * ("Lincoln", "ice_cream"). P2C_ERR_NOT_FOUND when no synset line starts at
 * that offset, P2C_ERR_PARSE on a malformed line, P2C_ERR_NOMEM. */
int p2ci_wordnet_lemma_names(const p2ci_wordnet *wn, p2ci_wn_synset ss, p2ci_wn_strs *out);

/* The synset's ss_type character from its data line: 'n', 'v', 'a', 's' or
 * 'r' (0 when ss is not a synset). */
char p2ci_wordnet_synset_type(const p2ci_wordnet *wn, p2ci_wn_synset ss);

/* Store access for the WordNet layers: NLTK's morphy and synsets
 * (text/wordnet.c), METEOR 1.5's synonym rules (metrics/meteor15_synonyms.c)
 * and the SPICE lexicon (text/wn_lexicon.c). They read the files the store
 * parsed (text/wordnet_files.c) instead of parsing them again. */

/* The index.<pos> line of the exact lemma s (a view into the handle; it
 * starts with the lemma), or NULL. */
const char *p2ci_wordnet_index_line(const p2ci_wordnet *wn, const char *s, size_t len, int pos);
/* Append the synsets of an index.<pos> line (from p2ci_wordnet_index_line)
 * to out, in file order. Returns 0 or P2C_ERR_NOMEM. */
int p2ci_wordnet_line_synsets(const p2ci_wordnet *wn, int pos, const char *line,
                              p2ci_wn_synsets *out);
/* 1 when s is a form in <pos>.exc, with the bases of its last line (NLTK
 * keeps the last line of a repeated form, as a dict does); else 0. */
int p2ci_wordnet_exc_last(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                          const p2ci_wn_str **bases, size_t *n);
/* The base forms every line of <pos>.exc gives for the form s, in file order
 * (morphy uses only the last line of a repeated form, as NLTK's dict does;
 * METEOR and SPICE use all of them). Views into the handle. Returns 0,
 * P2C_ERR_INVALID_ARG or P2C_ERR_NOMEM. */
int p2ci_wordnet_exc_bases(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                           p2ci_wn_strs *out);
/* The lines of <pos>.exc in file order: start with *cursor = 0; each call
 * gives the next line's form and its base forms (views into the handle) and
 * returns 1, or 0 after the last line. */
int p2ci_wordnet_next_exc_line(const p2ci_wordnet *wn, int pos, size_t *cursor, p2ci_wn_str *form,
                               const p2ci_wn_str **bases, size_t *n);
/* The entries of index.<pos> in file order: start with *cursor = 0; each call
 * gives the next lemma, its tagsense_cnt and its synset offsets (offsets is
 * replaced) and returns 1; 0 after the last line; P2C_ERR_NOMEM. */
int p2ci_wordnet_next_index_entry(const p2ci_wordnet *wn, int pos, size_t *cursor,
                                  p2ci_wn_str *lemma, uint32_t *tagsense_cnt,
                                  p2ci_wn_synsets *offsets);

#endif
