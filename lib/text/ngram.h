/* Interning n-grams of word ids (n = 1..P2CI_NGRAM_MAX) to dense ids, so that
 * BLEU clipping and CIDEr-D document frequencies are array lookups.
 *
 * An n-gram is stored as (id of its first n-1 words, last word): one 64-bit
 * key per n-gram whatever n, and the n-grams of a sentence are found order by
 * order, each from the one below it. */
#ifndef P2C_TEXT_NGRAM_H
#define P2C_TEXT_NGRAM_H

#include <stddef.h>
#include <stdint.h>

#define P2CI_NGRAM_MAX 4

typedef struct p2ci_ngrams p2ci_ngrams;

p2ci_ngrams *p2ci_ngrams_create(void);
void p2ci_ngrams_free(p2ci_ngrams *g);
size_t p2ci_ngrams_size(const p2ci_ngrams *g);
/* n of an n-gram id. */
unsigned p2ci_ngrams_order(const p2ci_ngrams *g, uint32_t id);

/* Number of n-grams of orders 1..max_n in a sequence of len words. */
size_t p2ci_ngrams_count(size_t len, unsigned max_n);
/* Ids of every n-gram of orders 1..max_n of words[0..len), interning new
 * ones, in the order pycocoevalcap's precook() visits them: the 1-grams by
 * position, then the 2-grams, ... out holds p2ci_ngrams_count(len, max_n) ids.
 * Returns 0 or P2C_ERR_NOMEM / P2C_ERR_LIMIT / P2C_ERR_INVALID_ARG. */
int p2ci_ngrams_of(p2ci_ngrams *g, const uint32_t *words, size_t len, unsigned max_n,
                   uint32_t *out);

#endif
