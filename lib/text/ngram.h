/* Numbering the n-grams (n = 1..P2CI_NGRAM_MAX) of a few captions - one
 * item's hypothesis and references - with local ids 0, 1, ... in first-seen
 * order, so that BLEU clipping and CIDEr-D vectors work on small arrays that
 * stay in cache instead of on a table of every n-gram of the corpus.
 *
 * A 1-gram is found through an array indexed by word id; a longer n-gram is
 * the pair (local id of its first n-1 words, local id of its last word) in a
 * small open-addressing table, so that the n-grams of a caption are found
 * order by order, each from the one below it. (A trie - each id's list of
 * extensions by one word - costs a little less on captions but is quadratic
 * in the number of distinct words after one prefix: 3 s for one caption of
 * 40,000 words alternating "a" and distinct words, against 0.2 s here.) */
#ifndef P2C_TEXT_NGRAM_H
#define P2C_TEXT_NGRAM_H

#include <stddef.h>
#include <stdint.h>

#define P2CI_NGRAM_MAX 4


typedef struct p2ci_ngram_slot p2ci_ngram_slot;

typedef struct p2ci_ngrams {
  /* Results of the last p2ci_ngrams_number, valid until the next call: */
  const uint32_t *ids; /* caption c: ids + off[c], in the order pycocoevalcap's
                          precook() visits them (the 1-grams by position, then
                          the 2-grams, ...): p2ci_ngrams_count(len[c], max_n) ids */
  const size_t *off;   /* n_captions + 1 */
  size_t n_ids;        /* distinct n-grams */
  size_t first_ids;    /* distinct n-grams of caption 0: the ids below this */
  /* the ids of the n-grams of order k + 1, increasing: of_order[k][0 ..
   * n_of_order[k]) (k < max_n) */
  const uint32_t *of_order[P2CI_NGRAM_MAX];
  size_t n_of_order[P2CI_NGRAM_MAX];
  /* With key bits b (p2ci_ngrams_init), per id: the n-gram's corpus-wide
   * key, its word ids + 1 in b bits each, the first word's highest: the low
   * 64 bits in key[0], the others in key[1] when P2CI_NGRAM_MAX * b > 64
   * (else key[1] is NULL). A 1-gram's key is below 2^b, a longer one's not.
   * Made where an id is made, from its first n-1 words' key, for a few
   * instructions per id. */
  const uint64_t *key[2];
  /* private */
  unsigned key_bits, wide;
  size_t n_words;
  uint64_t *word_id; /* per word id: gen << 32 | local id (other gens: not seen) */
  uint32_t *ids_buf, *order_buf;
  uint64_t *key_buf[2];
  size_t *off_buf, off_cap;
  size_t cap;
  p2ci_ngram_slot *slots;
  size_t mask, slots_cap;
  uint32_t gen; /* slots and words of other generations are empty; never 0 */
} p2ci_ngrams;

/* For sentences whose word ids are below n_words; keys of key_bits bits per
 * word (0: no keys; else 2^key_bits > n_words, key_bits <= 32). Returns 0 or
 * P2C_ERR_NOMEM / P2C_ERR_INVALID_ARG. */
int p2ci_ngrams_init(p2ci_ngrams *g, size_t n_words, unsigned key_bits);
void p2ci_ngrams_release(p2ci_ngrams *g);

/* Number of n-grams of orders 1..max_n in a sequence of len words. */
size_t p2ci_ngrams_count(size_t len, unsigned max_n);

/* Number the n-grams of orders 1..max_n of captions words[c][0..len[c]),
 * c < n_captions. Returns 0 or P2C_ERR_NOMEM / P2C_ERR_INVALID_ARG / P2C_ERR_LIMIT. */
int p2ci_ngrams_number(p2ci_ngrams *g, const uint32_t *const *words, const size_t *len,
                       size_t n_captions, unsigned max_n);

#endif
