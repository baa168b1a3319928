#include <stdlib.h>
#include <string.h>

#include "core/bigalloc.h"
#include "core/internal.h"
#include "text/hash.h"
#include "text/ngram_df.h"

/* Records per block: 4 KB of 1-word records. */
#define BLOCK 512
/* Records per partition aimed at: the counting table (16-byte slots at load
 * 1/2 at most) then stays within a 256 KB share of the L2 cache. */
#define PART_RECORDS 4096
#define MAX_BITS 12 /* partition numbers are kept in 16 bits */

struct p2ci_ngram_df_part {
  uint64_t *w, *wend;          /* write cursor and the end of its block */
  const uint64_t *r, *rend;    /* read cursor and the end of its block's records */
  uint32_t head, tail, rblock; /* first, last and read block */
  size_t n;                    /* records */
};

int p2ci_ngram_df_init(p2ci_ngram_df *d, unsigned words, size_t max_records)
{
  memset(d, 0, sizeof *d);
  if (words < 1 || words > 2) return P2C_ERR_INVALID_ARG;
  d->words = words;
  d->bits = 1; /* at least one bit: the flag's place */
  while (d->bits < MAX_BITS && (max_records >> d->bits) > PART_RECORDS) d->bits++;
  size_t parts = (size_t)1 << d->bits;
  /* each partition's last block may be partly empty */
  size_t blocks = max_records / BLOCK + 1 + parts;
  if (blocks >= UINT32_MAX) return P2C_ERR_LIMIT;
  d->max_records = max_records;
  d->part = calloc(parts, sizeof *d->part); /* w == wend: no block yet */
  d->next = p2ci_malloc_array(blocks, sizeof *d->next);
  /* pages never written cost nothing */
  d->arena = p2ci_big_calloc(blocks, (size_t)BLOCK * words * sizeof *d->arena);
  d->route = p2ci_big_calloc(max_records ? max_records : 1, sizeof *d->route);
  if (!d->part || !d->next || !d->arena || !d->route) {
    p2ci_ngram_df_release(d);
    return P2C_ERR_NOMEM;
  }
  d->blocks = blocks;
  return P2C_OK;
}

void p2ci_ngram_df_release(p2ci_ngram_df *d)
{
  if (!d) return;
  if (d->arena) p2ci_big_free(d->arena, d->blocks, (size_t)BLOCK * d->words * sizeof *d->arena);
  if (d->route) p2ci_big_free(d->route, d->max_records ? d->max_records : 1, sizeof *d->route);
  free(d->next);
  free(d->part);
  memset(d, 0, sizeof *d);
}

static inline uint64_t *block_start(const p2ci_ngram_df *d, uint32_t block)
{
  return d->arena + (size_t)block * BLOCK * d->words;
}

int p2ci_ngram_df_add(p2ci_ngram_df *d, const uint64_t *key0, const uint64_t *key1,
                      const uint8_t *counts, size_t n)
{
  if (d->counted || (d->words == 2) != (key1 != NULL)) return P2C_ERR_INVALID_ARG;
  if (n > d->max_records - d->added) return P2C_ERR_LIMIT;
  const unsigned words = d->words, shift = 64 - d->bits, bits = d->bits;
  uint16_t *route = d->route + d->added;
  for (size_t i = 0; i < n; i++) {
    /* a bijection of key0 for a given key1 (splitmix64's finalizer) */
    uint64_t h = p2ci_hash_mix(words == 1 ? key0[i] : key0[i] ^ key1[i] * 0x9e3779b97f4a7c15ULL);
    p2ci_ngram_df_part *q = &d->part[h >> shift];
    if (q->w == q->wend) {
      if (d->used == d->blocks) return P2C_ERR_LIMIT; /* cannot happen: see init */
      uint32_t b = (uint32_t)d->used++;
      if (q->n) d->next[q->tail] = b;
      else q->head = b;
      q->tail = b;
      q->w = block_start(d, b);
      q->wend = q->w + (size_t)BLOCK * words;
    }
    /* the partition number is implied: its bits make room for the flag */
    q->w[0] = h << bits | counts[i];
    if (words == 2) q->w[1] = key1[i];
    q->w += words;
    q->n++;
    route[i] = (uint16_t)(h >> shift);
  }
  d->added += n;
  return P2C_OK;
}

typedef struct slot {
  const uint64_t *first; /* the key's first record */
  uint32_t count;
  uint32_t gen; /* the partition's number + 1; other values: empty */
} slot;

/* body, for each record r (the i-th, from 0) of partition q in the order added. */
#define EACH_RECORD(d, q, r, i, body)                                                              \
  do {                                                                                             \
    size_t i = 0;                                                                                  \
    for (uint32_t blk_ = (q)->head; i < (q)->n; blk_ = (d)->next[blk_]) {                          \
      size_t end_ = (q)->n - i < BLOCK ? (q)->n - i : BLOCK;                                       \
      uint64_t *r = block_start((d), blk_);                                                        \
      for (size_t k_ = 0; k_ < end_; k_++, i++, r += (d)->words) body                              \
    }                                                                                              \
  } while (0)

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
  if (!slots || !at) {
    free(slots);
    free(at);
    return P2C_ERR_NOMEM;
  }
  const unsigned words = d->words, bits = d->bits;
  for (size_t p = 0; p < parts; p++) {
    p2ci_ngram_df_part *q = &d->part[p];
    if (!q->n) continue;
    const uint32_t gen = (uint32_t)p + 1;
    size_t mask = 16;
    while (mask < 2 * q->n) mask *= 2;
    mask--;
    EACH_RECORD(d, q, r, i, {
      /* the hash's bits below the partition number */
      size_t j = (size_t)(r[0] >> bits) & mask;
      for (;;) {
        slot *s = &slots[j];
        if (s->gen != gen) {
          s->first = r;
          s->count = 0;
          s->gen = gen;
          break;
        }
        if ((s->first[0] | 1) == (r[0] | 1) && (words == 1 || s->first[1] == r[1])) break;
        j = (j + 1) & mask;
      }
      slots[j].count += (uint32_t)(r[0] & 1);
      at[i] = (uint32_t)j;
    });
    /* every key compared: the records may now hold their counts */
    EACH_RECORD(d, q, r, i, { r[0] = slots[at[i]].count; });
    q->rblock = q->head;
    q->r = block_start(d, q->head);
    q->rend = q->head == q->tail ? q->w : q->r + (size_t)BLOCK * words;
  }
  free(slots);
  free(at);
  d->counted = 1;
  return P2C_OK;
}

int p2ci_ngram_df_next(p2ci_ngram_df *d, uint32_t *df, size_t n)
{
  if (!d->counted || n > d->added - d->read) return P2C_ERR_INVALID_ARG;
  const unsigned words = d->words;
  const uint16_t *route = d->route + d->read;
  for (size_t i = 0; i < n; i++) {
    p2ci_ngram_df_part *q = &d->part[route[i]];
    if (q->r == q->rend) { /* the next block: there is one, as reads <= records */
      q->rblock = d->next[q->rblock];
      q->r = block_start(d, q->rblock);
      q->rend = q->rblock == q->tail ? q->w : q->r + (size_t)BLOCK * words;
    }
    df[i] = (uint32_t)*q->r;
    q->r += words;
  }
  d->read += n;
  return P2C_OK;
}
