#include <stdlib.h>
#include <string.h>

#include "core/bigalloc.h"
#include "core/internal.h"
#include "text/hash.h"
#include "text/ngram_df.h"

/* Bytes per block. */
#define BLOCK 1024
/* Records per partition aimed at: the counting table (16-byte slots at load
 * 1/2 at most) then stays within a 256 KB share of the L2 cache. */
#define PART_RECORDS 4096
/* More partitions would spread the write heads beyond the L1 cache. */
#define MAX_BITS 12


static unsigned bytes_for(unsigned bits) { return (bits + 7) / 8; }

/* The bits of the hash: the key's for keys up to 64 bits, else 64. */
static unsigned hash_bits(const p2ci_ngram_df *d) { return d->key_bits < 64 ? d->key_bits : 64; }

int p2ci_ngram_df_init(p2ci_ngram_df *d, unsigned key_bits, size_t max_records, size_t max_count)
{
  memset(d, 0, sizeof *d);
  if (key_bits < 1 || key_bits > 128) return P2C_ERR_INVALID_ARG;
  d->key_bits = key_bits;
  const unsigned hb = hash_bits(d);
  d->bits = 1;
  while (d->bits < MAX_BITS && d->bits < hb && (max_records >> d->bits) > PART_RECORDS) d->bits++;
  /* a record: the hash below the partition number, then the flag; after
   * counting, the count */
  if (max_count > max_records) max_count = max_records;
  unsigned count_bits = 1;
  while (count_bits < 32 && (max_count >> count_bits)) count_bits++;
  unsigned rest = hb - d->bits + 1;
  d->rec0 = bytes_for(rest > count_bits ? rest : count_bits);
  d->rec = d->rec0 + (key_bits > 64 ? bytes_for(key_bits - 64) : 0);
  d->mask0 = (((uint64_t)1 << (hb - d->bits)) - 1) << 1;
  d->mask1 = key_bits >= 128 ? ~(uint64_t)0
             : key_bits > 64 ? ((uint64_t)1 << (key_bits - 64)) - 1
                             : 0;
  /* every record's 8-byte reads and writes (of its second part at rec0 for
   * long keys) stay in its block */
  size_t tail = (key_bits > 64 ? d->rec0 : 0) + 8;
  d->per_block = (BLOCK - tail) / d->rec + 1;
  size_t parts = (size_t)1 << d->bits;
  /* each partition's last block may be partly empty */
  size_t blocks = max_records / d->per_block + 1 + parts;
  if (blocks >= UINT32_MAX) return P2C_ERR_LIMIT;
  d->max_records = max_records;
  d->hasher.k = key_bits > 64 ? 0 : key_bits;
  d->hasher.s = (d->hasher.k + 1) / 2;
  d->hasher.mask = d->hasher.k && d->hasher.k < 64 ? ((uint64_t)1 << d->hasher.k) - 1 : ~(uint64_t)0;
  d->part = calloc(parts, sizeof *d->part); /* w == wend: no block yet */
  d->next = p2ci_malloc_array(blocks, sizeof *d->next);
  /* pages never written cost nothing */
  d->arena = p2ci_big_calloc(blocks, BLOCK);
  if (!d->part || !d->next || !d->arena) {
    p2ci_ngram_df_release(d);
    return P2C_ERR_NOMEM;
  }
  d->blocks = blocks;
  return P2C_OK;
}

void p2ci_ngram_df_release(p2ci_ngram_df *d)
{
  if (!d) return;
  if (d->arena) p2ci_big_free(d->arena, d->blocks, BLOCK);
  free(d->next);
  free(d->part);
  memset(d, 0, sizeof *d);
}

static inline unsigned char *block_start(const p2ci_ngram_df *d, uint32_t block)
{
  return d->arena + (size_t)block * BLOCK;
}

int p2ci_ngram_df_write_block(p2ci_ngram_df *d, p2ci_ngram_df_part *q)
{
  if (d->used == d->blocks) return P2C_ERR_LIMIT; /* cannot happen: see init */
  uint32_t b = (uint32_t)d->used++;
  if (q->n) d->next[q->tail] = b;
  else q->head = b;
  q->tail = b;
  q->w = block_start(d, b);
  q->wend = q->w + d->per_block * d->rec;
  return P2C_OK;
}

int p2ci_ngram_df_read_block(p2ci_ngram_df *d, p2ci_ngram_df_part *q)
{
  if (!q->n || q->rblock == q->tail) return P2C_ERR_INVALID_ARG;
  q->rblock = d->next[q->rblock];
  q->r = block_start(d, q->rblock);
  q->rend = q->rblock == q->tail ? q->w : q->r + d->per_block * d->rec;
  return P2C_OK;
}

p2ci_ngram_df_cursor p2ci_ngram_df_cursor_start(p2ci_ngram_df *d)
{
  p2ci_ngram_df_cursor c;
  c.d = d;
  c.part = d->part;
  c.low = d->mask0 >> 1;
  c.count_mask = d->rec0 >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << 8 * d->rec0) - 1;
  c.shift = hash_bits(d) - d->bits;
  c.rec = d->rec;
  c.rec0 = d->rec0;
  c.left = d->counted ? d->added - d->read : d->max_records - d->added;
  return c;
}

void p2ci_ngram_df_cursor_end(const p2ci_ngram_df_cursor *c)
{
  p2ci_ngram_df *d = c->d;
  if (d->counted) d->read = d->added - c->left;
  else d->added = d->max_records - c->left;
}

/* The loop of p2ci_ngram_df_add, for keys of one word or two (two: 0/1). */
static P2CI_ALWAYS_INLINE int add(p2ci_ngram_df *d, const uint64_t *restrict key0,
                                  const uint64_t *restrict key1, const uint8_t *restrict counts,
                                  size_t n, const int two)
{
  const p2ci_ngram_df_hasher hs = d->hasher;
  p2ci_ngram_df_cursor c = p2ci_ngram_df_cursor_start(d);
  int rc = P2C_OK;
  for (size_t i = 0; i < n && !rc; i++)
    if (!p2ci_ngram_df_put(&c, two ? p2ci_ngram_df_hash(hs, key0[i], key1[i]) : p2ci_ngram_df_hash1(hs, key0[i]),
                           two ? &key1[i] : NULL, counts[i]))
      rc = P2C_ERR_LIMIT; /* cannot happen: n was checked */
  p2ci_ngram_df_cursor_end(&c);
  return rc;
}

int p2ci_ngram_df_add(p2ci_ngram_df *d, const uint64_t *key0, const uint64_t *key1,
                      const uint8_t *counts, size_t n)
{
  if (d->counted || (d->key_bits > 64) != (key1 != NULL)) return P2C_ERR_INVALID_ARG;
  if (n > d->max_records - d->added) return P2C_ERR_LIMIT;
  return key1 ? add(d, key0, key1, counts, n, 1) : add(d, key0, NULL, counts, n, 0);
}

typedef struct slot {
  uint64_t key; /* its first record's key bits (for two-word keys, see first) */
  uint32_t count;
  uint32_t gen; /* the partition's number + 1; other values: empty */
} slot;

/* body, for each record r (the i-th, from 0) of partition q in the order
 * added; rec and per_block: d's, in registers. */
#define EACH_RECORD(d, q, r, i, rec, per_block, body)                                              \
  do {                                                                                             \
    const size_t n_ = (q)->n;                                                                      \
    size_t i = 0;                                                                                  \
    for (uint32_t blk_ = (q)->head; i < n_; blk_ = (d)->next[blk_]) {                              \
      size_t end_ = n_ - i < (per_block) ? n_ - i : (per_block);                                   \
      unsigned char *r = block_start((d), blk_);                                                   \
      for (size_t k_ = 0; k_ < end_; k_++, i++, r += (rec)) body                                   \
    }                                                                                              \
  } while (0)

/* Counts partition q (its number + 1: gen) with a table of mask + 1 slots:
 * at[i] gets the slot of its i-th record; keys of one word or two (two: 0/1;
 * first: each slot's first record, for its second word). */
static P2CI_ALWAYS_INLINE void count_part(const p2ci_ngram_df *d, const p2ci_ngram_df_part *q,
                                          uint32_t gen, slot *restrict slots, size_t mask,
                                          uint32_t *restrict at,
                                          const unsigned char **restrict first, const int two)
{
  const uint64_t mask0 = d->mask0, mask1 = d->mask1;
  const unsigned rec0 = d->rec0, rec = d->rec;
  const size_t per_block = d->per_block;
  EACH_RECORD(d, q, r, i, rec, per_block, {
    /* the bytes past the record are another's: masked off */
    const uint64_t v = p2ci_ngram_df_load8(r);
    const uint64_t key = v & mask0;
    /* the hash's bits below the partition number */
    size_t j = (size_t)(key >> 1) & mask;
    for (;;) {
      slot *s = &slots[j];
      if (s->gen != gen) {
        s->key = key;
        s->count = 0;
        s->gen = gen;
        if (two) first[j] = r;
        break;
      }
      if (s->key == key && (!two || !((p2ci_ngram_df_load8(first[j] + rec0) ^ p2ci_ngram_df_load8(r + rec0)) & mask1))) break;
      j = (j + 1) & mask;
    }
    slots[j].count += (uint32_t)(v & 1);
    at[i] = (uint32_t)j;
  });
}

int p2ci_ngram_df_count(p2ci_ngram_df *d)
{
  if (d->counted) return P2C_ERR_INVALID_ARG;
  size_t parts = (size_t)1 << d->bits, most = 0;
  for (size_t p = 0; p < parts; p++)
    if (d->part[p].n > most) most = d->part[p].n;
  size_t size = 16;
  while (size < 2 * most) size *= 2;
  slot *slots = p2ci_calloc_array(size, sizeof *slots);
  uint32_t *at = p2ci_malloc_array(most ? most : 1, sizeof *at);
  /* two-word keys: each slot's first record, for its second word */
  const unsigned char **first = d->mask1 ? p2ci_malloc_array(size, sizeof *first) : NULL;
  if (!slots || !at || (d->mask1 && !first)) {
    free(slots);
    free(at);
    free(first);
    return P2C_ERR_NOMEM;
  }
  const unsigned rec = d->rec;
  const size_t per_block = d->per_block;
  for (size_t p = 0; p < parts; p++) {
    p2ci_ngram_df_part *q = &d->part[p];
    if (!q->n) continue;
    const uint32_t gen = (uint32_t)p + 1;
    size_t mask = 16;
    while (mask < 2 * q->n) mask *= 2;
    mask--;
    if (first) count_part(d, q, gen, slots, mask, at, first, 1);
    else count_part(d, q, gen, slots, mask, at, NULL, 0);
    /* every key compared: the records may now hold their counts (each write
     * runs into the next record, which is written next) */
    EACH_RECORD(d, q, r, i, rec, per_block, { p2ci_ngram_df_store8(r, slots[at[i]].count); });
    q->rblock = q->head;
    q->r = block_start(d, q->head);
    q->rend = q->head == q->tail ? q->w : q->r + per_block * rec;
  }
  free(slots);
  free(at);
  free(first);
  d->counted = 1;
  return P2C_OK;
}

int p2ci_ngram_df_next(p2ci_ngram_df *d, const uint64_t *key0, const uint64_t *key1,
                       uint32_t *df, size_t n)
{
  if (!d->counted || n > d->added - d->read || (d->key_bits > 64) != (key1 != NULL))
    return P2C_ERR_INVALID_ARG;
  const p2ci_ngram_df_hasher hs = d->hasher;
  p2ci_ngram_df_cursor c = p2ci_ngram_df_cursor_start(d);
  int rc = P2C_OK;
  for (size_t i = 0; i < n && !rc; i++)
    rc = p2ci_ngram_df_get(&c, p2ci_ngram_df_hash(hs, key0[i], key1 ? key1[i] : 0), &df[i]);
  p2ci_ngram_df_cursor_end(&c);
  return rc;
}
