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

#include "p2ceval.h"
#include "text/hash.h"

/* A partition: its chain of blocks, and where its records are written and
 * read. 64 bytes on 64-bit machines, so that it is found with a shift. */
typedef struct p2ci_ngram_df_part {
  unsigned char *w, *wend;       /* write cursor and the end of its block */
  const unsigned char *r, *rend; /* read cursor and the end of its block's records */
  size_t n;                      /* records */
  uint32_t head, tail, rblock;   /* first, last and read block */
  uint32_t unused[3];
} p2ci_ngram_df_part;

/* What p2ci_ngram_df_hash needs; a struct of its own so that loops keep it in
 * registers (stores through byte pointers could alias a handle's fields). */
typedef struct p2ci_ngram_df_hasher {
  unsigned k;    /* key bits, or 0 for keys of two words */
  unsigned s;    /* the xorshifts' shift: (k + 1) / 2 */
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

/* The hash p2ci_ngram_df_add gives a key, with d->hasher: for
 * p2ci_ngram_df_put and _get, and for a caller's own table of keys. For keys
 * of up to 64 bits (d->hasher.k != 0; hash1 takes only those) a bijection of
 * their k bits (mask = 2^k - 1): xorshifts within k bits around a
 * multiplication by an odd number mod 2^k (half of splitmix64's finalizer:
 * the top bits, the partition, depend on every key bit, and the low ones, the
 * counting table's slot, on the top ones); longer keys' bits all mixed. */
static inline uint64_t p2ci_ngram_df_hash1(p2ci_ngram_df_hasher h, uint64_t key)
{
  key ^= key >> h.s;
  key = key * 0xff51afd7ed558ccdULL & h.mask;
  key ^= key >> h.s;
  return key;
}

static inline uint64_t p2ci_ngram_df_hash(p2ci_ngram_df_hasher h, uint64_t key0, uint64_t key1)
{
  if (!h.k) return p2ci_hash_mix(key0 ^ key1 * 0x9e3779b97f4a7c15ULL);
  return p2ci_ngram_df_hash1(h, key0);
}

/* The counting, once every record is added. Returns 0 or P2C_ERR_NOMEM. */
int p2ci_ngram_df_count(p2ci_ngram_df *d);

/* The counts of the next n records, given their keys, which must be those
 * added, in the order added (else the counts are meaningless): df[i] = the
 * number of counted records with the key. Returns 0 or P2C_ERR_INVALID_ARG
 * (before count, more records than were added, or key1 not as the key size
 * says). */
int p2ci_ngram_df_next(p2ci_ngram_df *d, const uint64_t *key0, const uint64_t *key1,
                       uint32_t *df, size_t n);

/* Records one at a time, inline, for loops that make each key as they go
 * (p2ci_ngram_df_add and p2ci_ngram_df_next are such loops): a cursor holds
 * copies of the handle's fields, out of reach of the loop's stores. Before
 * p2ci_ngram_df_count it puts records, after it gets their counts, in the
 * same order; one cursor at a time, and p2ci_ngram_df_cursor_end gives the
 * handle back its state. */
typedef struct p2ci_ngram_df_cursor {
  p2ci_ngram_df *d;
  p2ci_ngram_df_part *part;
  uint64_t low;        /* put: the hash bits a record keeps (hash & low) */
  uint64_t count_mask; /* get: the count's bits in a record */
  unsigned shift;      /* a hash's partition: hash >> shift */
  unsigned rec, rec0;
  size_t left;         /* records that may still be put, or got */
} p2ci_ngram_df_cursor;

p2ci_ngram_df_cursor p2ci_ngram_df_cursor_start(p2ci_ngram_df *d);
void p2ci_ngram_df_cursor_end(const p2ci_ngram_df_cursor *c);

/* Records are read and written 8 bytes at a time, little-endian: the bytes
 * past a record are the next record's (or the block's spare tail); the flag
 * is the first byte's lowest bit. */
static inline uint64_t p2ci_ngram_df_load8(const unsigned char *p)
{
  uint64_t v;
  memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

static inline void p2ci_ngram_df_store8(unsigned char *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  memcpy(p, &v, 8);
}

/* Partition q's next block to write, or to read. Return 0, or
 * P2C_ERR_LIMIT / P2C_ERR_INVALID_ARG when there is none. */
int p2ci_ngram_df_write_block(p2ci_ngram_df *d, p2ci_ngram_df_part *q);
int p2ci_ngram_df_read_block(p2ci_ngram_df *d, p2ci_ngram_df_part *q);

/* Puts a record of a key of hash h (p2ci_ngram_df_hash) and, for keys of
 * more than 64 bits, second word *key1 (else key1 is NULL), counted when
 * counted is 1 (0 or 1); returns it, for p2ci_ngram_df_mark, or NULL when
 * max_records are added. */
static inline unsigned char *p2ci_ngram_df_put(p2ci_ngram_df_cursor *c, uint64_t h,
                                               const uint64_t *key1, unsigned counted)
{
  p2ci_ngram_df_part *q = &c->part[h >> c->shift];
  if (!c->left || (q->w == q->wend && p2ci_ngram_df_write_block(c->d, q))) return NULL;
  unsigned char *r = q->w;
  /* the partition number is implied: its bits make room for the flag */
  p2ci_ngram_df_store8(r, (h & c->low) << 1 | counted);
  if (key1) p2ci_ngram_df_store8(r + c->rec0, *key1);
  q->w += c->rec;
  q->n++;
  c->left--;
  return r;
}

/* Makes a record that p2ci_ngram_df_put returned count (for callers that
 * learn it after putting the record, and later ones). */
static inline void p2ci_ngram_df_mark(unsigned char *record) { record[0] |= 1; }

/* The count of the next record, of a key of hash h: *df = the number of
 * counted records with its key. Returns 0 or P2C_ERR_INVALID_ARG (no record
 * left in h's partition). */
static inline int p2ci_ngram_df_get(p2ci_ngram_df_cursor *c, uint64_t h, uint32_t *df)
{
  p2ci_ngram_df_part *q = &c->part[h >> c->shift];
  if (q->r == q->rend && p2ci_ngram_df_read_block(c->d, q)) return P2C_ERR_INVALID_ARG;
  *df = (uint32_t)(p2ci_ngram_df_load8(q->r) & c->count_mask);
  q->r += c->rec;
  c->left--;
  return 0;
}

#endif
