/* Document frequencies of n-grams without a table of every n-gram of the
 * corpus, for CIDEr-D's idf.
 *
 * Use: one pass over the items adds, per item, one record per distinct n-gram
 * (its key: the packed word ids) and whether it counts (occurs in the item's
 * references); p2ci_ngram_df_count then gives every record the number of
 * counting records with its key; a second pass over the items reads those
 * numbers back, giving the same keys in the order they were added.
 *
 * Why: a table of every n-gram (6.7 million at 50k COCO-like items, 170 MB)
 * is much larger than the caches, so that each of the 19 million lookups is a
 * cache miss. Here records are radix-partitioned by a hash of the key into up
 * to a few thousand partitions, appended to per-partition chains of blocks
 * (the write heads stay in cache); each partition is then counted with a
 * table that fits in the L2 cache, and read back sequentially (the radix
 * partitioning of databases' hash joins: Boncz, Manegold, Kersten, VLDB 1999).
 *
 * Records are as narrow as the keys allow, since every byte is written, read
 * twice and, on a fresh page, faulted in (which on virtual machines costs
 * more than the rest): the hash is a bijection of the key's bits, so the hash
 * bits below the partition number are the key, exactly; a record keeps only
 * those and the flag, in as few bytes as they take (5 for 48-bit keys and
 * 4096 partitions), or the largest count. Keys of more than 64 bits come in two words: the hash is
 * a bijection of the first for a given second, which is kept as it is. The
 * second pass finds each record's partition from its key again. */
#ifndef P2C_TEXT_NGRAM_DF_H
#define P2C_TEXT_NGRAM_DF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "text/hash.h"

/* A partition: its chain of blocks, and where its records are written and
 * read. */
typedef struct p2ci_ngram_df_part {
  unsigned char *w, *wend;       /* write cursor and the end of its block */
  const unsigned char *r, *rend; /* read cursor and the end of its block's records */
  uint32_t head, tail, rblock;   /* first, last and read block */
  size_t n;                      /* records */
} p2ci_ngram_df_part;

/* What p2ci_ngram_df_hash needs; a struct of its own so that loops keep it in
 * registers (stores through byte pointers could alias a handle's fields). */
typedef struct p2ci_ngram_df_hasher {
  unsigned k;    /* key bits, or 0 for keys of two words */
  uint64_t mask; /* 2^k - 1 */
} p2ci_ngram_df_hasher;

typedef struct p2ci_ngram_df {
  unsigned key_bits;       /* per key, 1 .. 128 */
  unsigned bits;           /* 1 << bits partitions */
  unsigned rec, rec0;      /* bytes per record; of them, the hash's and flag's */
  size_t per_block;        /* records per block */
  uint64_t mask0, mask1;   /* the bits of a record's two parts (flag excluded) */
  unsigned char *arena;    /* blocks of P2CI_NGRAM_DF_BLOCK bytes */
  size_t blocks, used;     /* in the arena; taken */
  uint32_t *next;          /* per block: the next block of its partition */
  p2ci_ngram_df_part *part;
  size_t max_records, added, read;
  int counted;
  p2ci_ngram_df_hasher hasher;
  unsigned shift; /* a hash's partition: hash >> shift */
  uint64_t low;   /* the hash bits a record keeps: hash & low */
} p2ci_ngram_df;

/* For keys of key_bits bits (1..128: key0 holds the low 64, key1 the rest), at
 * most max_records records and at most max_count counted records per key
 * (CIDEr-D: one per item). Returns 0 or P2C_ERR_NOMEM / P2C_ERR_LIMIT /
 * P2C_ERR_INVALID_ARG. */
int p2ci_ngram_df_init(p2ci_ngram_df *d, unsigned key_bits, size_t max_records, size_t max_count);
void p2ci_ngram_df_release(p2ci_ngram_df *d);

/* Add n records: keys key0[i] (and key1[i] for keys of more than 64 bits;
 * else key1 is NULL), counted when counts[i] is 1 (0 or 1). Key bits above
 * key_bits must be 0. Returns 0 or P2C_ERR_LIMIT (more than max_records) /
 * P2C_ERR_INVALID_ARG (after count, or key1 not as the key size says). */
int p2ci_ngram_df_add(p2ci_ngram_df *d, const uint64_t *key0, const uint64_t *key1,
                      const uint8_t *counts, size_t n);

/* The hash p2ci_ngram_df_add gives a key, with d->hasher (for
 * p2ci_ngram_df_put, and for a caller's own table of keys: it is a bijection of the key's bits for
 * keys up to 64 bits, and mixes every bit of longer ones). A bijection of k
 * bits (mask = 2^k - 1): xorshifts within k bits around a multiplication by
 * an odd number mod 2^k (half of splitmix64's finalizer: the top bits, the
 * partition, depend on every key bit, and the low ones, the counting table's
 * slot, on the top ones). */
static inline uint64_t p2ci_ngram_df_hash(p2ci_ngram_df_hasher h, uint64_t key0, uint64_t key1)
{
  if (!h.k) return p2ci_hash_mix(key0 ^ key1 * 0x9e3779b97f4a7c15ULL);
  const unsigned s = (h.k + 1) / 2;
  key0 ^= key0 >> s;
  key0 = key0 * 0xff51afd7ed558ccdULL & h.mask;
  key0 ^= key0 >> s;
  return key0;
}

/* Records are read and written 8 bytes at a time, little-endian: the bytes
 * past a record are the next record's (or the block's spare tail); the flag
 * is the first byte's lowest bit. */
static inline void p2ci_ngram_df_store8(unsigned char *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  memcpy(p, &v, 8);
}

/* Gives partition q a block to write. Returns 0 or P2C_ERR_LIMIT. */
int p2ci_ngram_df_new_block(p2ci_ngram_df *d, p2ci_ngram_df_part *q);

/* Adds one record, not counted, of a key of hash h (p2ci_ngram_df_hash) and,
 * for keys of more than 64 bits, second word *key1 (else key1 is NULL);
 * returns it, for p2ci_ngram_df_mark, or NULL when max_records are added.
 * For callers that learn whether a record counts after adding it (and later
 * ones). Only before p2ci_ngram_df_count. */
static inline unsigned char *p2ci_ngram_df_put(p2ci_ngram_df *d, uint64_t h, const uint64_t *key1)
{
  p2ci_ngram_df_part *q = &d->part[h >> d->shift];
  if (d->added == d->max_records || (q->w == q->wend && p2ci_ngram_df_new_block(d, q))) return NULL;
  unsigned char *r = q->w;
  p2ci_ngram_df_store8(r, (h & d->low) << 1);
  if (key1) p2ci_ngram_df_store8(r + d->rec0, *key1);
  q->w += d->rec;
  q->n++;
  d->added++;
  return r;
}

/* Makes a record that p2ci_ngram_df_put returned count. */
static inline void p2ci_ngram_df_mark(unsigned char *record) { record[0] |= 1; }

/* The counting, once every record is added. Returns 0 or P2C_ERR_NOMEM. */
int p2ci_ngram_df_count(p2ci_ngram_df *d);

/* The counts of the next n records, given their keys, which must be those
 * added, in the order added (else the counts are meaningless): df[i] = the
 * number of counted records with the key. Returns 0 or P2C_ERR_INVALID_ARG
 * (before count, more records than were added, or key1 not as the key size
 * says). */
int p2ci_ngram_df_next(p2ci_ngram_df *d, const uint64_t *key0, const uint64_t *key1,
                       uint32_t *df, size_t n);

/* The same for the keys key0[ids[i]] (and key1[ids[i]]). */
int p2ci_ngram_df_next_of(p2ci_ngram_df *d, const uint64_t *key0, const uint64_t *key1,
                          const uint32_t *ids, uint32_t *df, size_t n);

#endif
