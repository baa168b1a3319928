/* Interning n-grams of word ids (n = 1..P2CI_NGRAM_MAX) to dense ids, so that
 * BLEU clipping and CIDEr-D document frequencies are array lookups.
 *
 * A 1-gram's id is its word id (ids 0 .. n_words-1 are reserved for them). A
 * longer n-gram is stored as (id of its first n-1 words, last word): one
 * 64-bit key whatever n, and the n-grams of a sentence are found order by
 * order, each from the one below it. */
#ifndef P2C_TEXT_NGRAM_H
#define P2C_TEXT_NGRAM_H

#include <stddef.h>
#include <stdint.h>

#define P2CI_NGRAM_MAX 4

typedef struct p2ci_ngrams p2ci_ngrams;

/* A table for sentences whose word ids are below n_words, sized for about
 * expected n-grams of order 2 and more (it grows past that). */
p2ci_ngrams *p2ci_ngrams_create(size_t n_words, size_t expected);
void p2ci_ngrams_free(p2ci_ngrams *g);
/* Number of ids handed out so far (n_words included). */
size_t p2ci_ngrams_size(const p2ci_ngrams *g);

/* Number of n-grams of orders 1..max_n in a sequence of len words. */
size_t p2ci_ngrams_count(size_t len, unsigned max_n);
/* Ids of every n-gram of orders 1..max_n of words[0..len), interning new
 * ones, in the order pycocoevalcap's precook() visits them: the 1-grams by
 * position, then the 2-grams, ... out holds p2ci_ngrams_count(len, max_n) ids.
 * Returns 0 or P2C_ERR_NOMEM / P2C_ERR_LIMIT / P2C_ERR_INVALID_ARG. */
int p2ci_ngrams_of(p2ci_ngrams *g, const uint32_t *words, size_t len, unsigned max_n,
                   uint32_t *out);

#endif
