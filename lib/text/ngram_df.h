/* Document frequencies of n-grams without a table of every n-gram of the
 * corpus, for CIDEr-D's idf.
 *
 * Use: one pass over the items adds, per item, one record per distinct n-gram
 * (its key: the packed word ids) and whether it counts (occurs in the item's
 * references); p2ci_ngram_df_count then gives every record the number of
 * counting records with its key; a second pass over the items reads those
 * numbers back in the order the records were added.
 *
 * Why: a table of every n-gram (6.7 million at 50k COCO-like items, 170 MB)
 * is much larger than the caches, so that each of the 19 million lookups is a
 * cache miss. Here records are radix-partitioned by a hash of the key into up
 * to a few thousand partitions, appended to per-partition chains of blocks
 * (the write heads stay in cache); each partition is then counted with a
 * table that fits in the L2 cache, and read back sequentially (the radix
 * partitioning of databases' hash joins: Boncz, Manegold, Kersten, VLDB 1999).
 *
 * A record is 8 bytes (16 for 2-word keys) and its partition number 2 more:
 * the hash is a bijection of the key's first word (splitmix64's finalizer,
 * after xoring in the second word times an odd constant), so that the hash
 * bits below the partition number are the key, exactly, with room for the
 * flag; a second key word is kept as it is. The partition numbers, in the
 * order added, lead the reads back to each record. */
#ifndef P2C_TEXT_NGRAM_DF_H
#define P2C_TEXT_NGRAM_DF_H

#include <stddef.h>
#include <stdint.h>

typedef struct p2ci_ngram_df_part p2ci_ngram_df_part;

typedef struct p2ci_ngram_df {
  unsigned words;        /* per key: 1 or 2 */
  unsigned bits;         /* 1 << bits partitions */
  uint64_t *arena;       /* blocks of P2CI_NGRAM_DF_BLOCK records */
  size_t blocks, used;   /* in the arena; taken */
  uint32_t *next;        /* per block: the next block of its partition */
  p2ci_ngram_df_part *part;
  uint16_t *route;       /* per record, in the order added: its partition */
  size_t max_records, added, read;
  int counted;
} p2ci_ngram_df;

/* For keys of `words` 64-bit words (1 or 2) and at most max_records records.
 * Returns 0 or P2C_ERR_NOMEM / P2C_ERR_LIMIT / P2C_ERR_INVALID_ARG. */
int p2ci_ngram_df_init(p2ci_ngram_df *d, unsigned words, size_t max_records);
void p2ci_ngram_df_release(p2ci_ngram_df *d);

/* Add n records: keys key0[i] (and key1[i] for 2-word keys; else key1 is
 * NULL), counted when counts[i] is 1 (0 or 1). Returns 0 or P2C_ERR_LIMIT
 * (more than max_records) / P2C_ERR_INVALID_ARG (after count, or key1 not as
 * the key size says). */
int p2ci_ngram_df_add(p2ci_ngram_df *d, const uint64_t *key0, const uint64_t *key1,
                      const uint8_t *counts, size_t n);

/* The counting, once every record is added. Returns 0 or P2C_ERR_NOMEM. */
int p2ci_ngram_df_count(p2ci_ngram_df *d);

/* The counts of the next n records, in the order added: df[i] = the number
 * of counted records with the same key. Returns 0 or P2C_ERR_INVALID_ARG
 * (before count, or more records than were added). */
int p2ci_ngram_df_next(p2ci_ngram_df *d, uint32_t *df, size_t n);

#endif
