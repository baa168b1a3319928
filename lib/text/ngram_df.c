#include <stdlib.h>
#include <string.h>

#include "core/bigalloc.h"
#include "core/internal.h"
#include "text/hash.h"
#include "text/ngram_df.h"

/* Records per block: 4 KB of 1-word records. */
#define BLOCK 512
/* Records per partition aimed at: the counting table (16-byte slots at load
 * 1/2 at most) then stays within a 256 KB L2 share. */
#define PART_RECORDS 4096
#define MAX_BITS 12

struct p2ci_ngram_df_part {
  uint32_t head, tail; /* first and last block */
  uint32_t fill;       /* records in the last block (BLOCK: none yet) */
  uint32_t rblock, rpos; /* read cursor */
  size_t n, read;       /* records added, read */
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
  d->part = malloc(parts * sizeof *d->part);
  d->next = p2ci_malloc_array(blocks, sizeof *d->next);
  /* pages never written cost nothing */
  d->arena = p2ci_big_calloc(blocks, (size_t)BLOCK * words * sizeof *d->arena);
  if (!d->part || !d->next || !d->arena) {
    p2ci_ngram_df_release(d);
    return P2C_ERR_NOMEM;
  }
  d->blocks = blocks;
  for (size_t p = 0; p < parts; p++) {
    memset(&d->part[p], 0, sizeof d->part[p]);
    d->part[p].fill = BLOCK;
  }
  return P2C_OK;
}

void p2ci_ngram_df_release(p2ci_ngram_df *d)
{
  if (!d) return;
  if (d->arena) p2ci_big_free(d->arena, d->blocks, (size_t)BLOCK * d->words * sizeof *d->arena);
  free(d->next);
  free(d->part);
  memset(d, 0, sizeof *d);
}

/* The key's hash: a bijection of key[0] for a given key[1]. */
static inline uint64_t key_hash(const uint64_t key[2], unsigned words)
{
  return p2ci_hash_mix(words == 1 ? key[0] : key[0] ^ key[1] * 0x9e3779b97f4a7c15ULL);
}

static inline uint64_t *record(const p2ci_ngram_df *d, uint32_t block, uint32_t pos)
{
  return d->arena + ((size_t)block * BLOCK + pos) * d->words;
}

int p2ci_ngram_df_add(p2ci_ngram_df *d, const uint64_t (*key)[2], const uint8_t *counts, size_t n)
{
  if (d->counted) return P2C_ERR_INVALID_ARG;
  const unsigned words = d->words, bits = d->bits;
  for (size_t i = 0; i < n; i++) {
    uint64_t h = key_hash(key[i], words);
    p2ci_ngram_df_part *q = &d->part[h >> (64 - bits)];
    if (q->fill == BLOCK) {
      if (d->used == d->blocks) return P2C_ERR_LIMIT;
      uint32_t b = (uint32_t)d->used++;
      if (q->n) d->next[q->tail] = b;
      else q->head = b;
      q->tail = b;
      q->fill = 0;
    }
    uint64_t *r = record(d, q->tail, q->fill++);
    /* the partition number is implied: its bits make room for the flag */
    r[0] = h << bits | counts[i];
    if (words == 2) r[1] = key[i][1];
    q->n++;
  }
  return P2C_OK;
}

typedef struct slot {
  const uint64_t *first; /* the key's first record, NULL: empty */
  uint32_t count;
} slot;

/* body, for each record r (the i-th, from 0) of partition q in the order added. */
#define EACH_RECORD(d, q, r, i, body)                                                              \
  do {                                                                                             \
    size_t i = 0;                                                                                  \
    for (uint32_t blk_ = (q)->head; i < (q)->n; blk_ = (d)->next[blk_]) {                         \
      size_t end_ = (q)->n - i < BLOCK ? (q)->n - i : BLOCK;                                       \
      uint64_t *r = record((d), blk_, 0);                                                          \
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
  slot *slots = p2ci_malloc_array(size, sizeof *slots);
  uint32_t *at = p2ci_malloc_array(most ? most : 1, sizeof *at);
  if (!slots || !at) {
    free(slots);
    free(at);
    return P2C_ERR_NOMEM;
  }
  const unsigned words = d->words, bits = d->bits;
  for (size_t p = 0; p < parts; p++) {
    p2ci_ngram_df_part *q = &d->part[p];
    q->rblock = q->head;
    if (!q->n) continue;
    size_t mask = 16;
    while (mask < 2 * q->n) mask *= 2;
    memset(slots, 0, mask * sizeof *slots);
    mask--;
    EACH_RECORD(d, q, r, i, {
      size_t j = (size_t)(r[0] >> bits) & mask;
      for (;;) {
        slot *s = &slots[j];
        if (!s->first) {
          s->first = r;
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
  }
  free(slots);
  free(at);
  d->counted = 1;
  return P2C_OK;
}

int p2ci_ngram_df_get(p2ci_ngram_df *d, const uint64_t (*key)[2], uint32_t *df, size_t n)
{
  if (!d->counted) return P2C_ERR_INVALID_ARG;
  const unsigned words = d->words, bits = d->bits;
  for (size_t i = 0; i < n; i++) {
    p2ci_ngram_df_part *q = &d->part[key_hash(key[i], words) >> (64 - bits)];
    if (q->read == q->n) return P2C_ERR_INVALID_ARG;
    if (q->rpos == BLOCK) {
      q->rblock = d->next[q->rblock];
      q->rpos = 0;
    }
    df[i] = (uint32_t)*record(d, q->rblock, q->rpos++);
    q->read++;
  }
  return P2C_OK;
}
