#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "text/hash.h"
#include "text/vocab.h"

/* Words live in fixed chunks that are never reallocated, so the pointers
 * handed out by p2ci_vocab_word stay valid while the vocabulary grows. */
#define CHUNK_BYTES ((size_t)1 << 16)

typedef struct word {
  const char *s;
  uint32_t len;
} word;

struct p2ci_vocab {
  word *words;
  size_t n, cap;
  uint32_t *slots; /* open addressing; id + 1, 0 = empty */
  uint64_t *slot_hash;
  size_t mask;
  char **chunks;
  size_t n_chunks, chunks_cap;
  size_t chunk_used, chunk_size;
};

p2ci_vocab *p2ci_vocab_create(void)
{
  p2ci_vocab *v = calloc(1, sizeof *v);
  if (!v) return NULL;
  v->mask = 1023;
  v->slots = calloc(v->mask + 1, sizeof *v->slots);
  v->slot_hash = calloc(v->mask + 1, sizeof *v->slot_hash);
  if (!v->slots || !v->slot_hash) {
    p2ci_vocab_free(v);
    return NULL;
  }
  return v;
}

void p2ci_vocab_free(p2ci_vocab *v)
{
  if (!v) return;
  for (size_t i = 0; i < v->n_chunks; i++) free(v->chunks[i]);
  free(v->chunks);
  free(v->words);
  free(v->slots);
  free(v->slot_hash);
  free(v);
}

static int rehash(p2ci_vocab *v)
{
  size_t nmask = v->mask * 2 + 1;
  uint32_t *slots = calloc(nmask + 1, sizeof *slots);
  uint64_t *hashes = calloc(nmask + 1, sizeof *hashes);
  if (!slots || !hashes) {
    free(slots);
    free(hashes);
    return P2C_ERR_NOMEM;
  }
  for (size_t i = 0; i <= v->mask; i++) {
    if (!v->slots[i]) continue;
    size_t j = (size_t)v->slot_hash[i] & nmask;
    while (slots[j]) j = (j + 1) & nmask;
    slots[j] = v->slots[i];
    hashes[j] = v->slot_hash[i];
  }
  free(v->slots);
  free(v->slot_hash);
  v->slots = slots;
  v->slot_hash = hashes;
  v->mask = nmask;
  return P2C_OK;
}

static const char *store(p2ci_vocab *v, const char *s, size_t len)
{
  if (v->n_chunks == 0 || v->chunk_used + len + 1 > v->chunk_size) {
    size_t size = len + 1 > CHUNK_BYTES ? len + 1 : CHUNK_BYTES;
    if (p2ci_grow(&v->chunks, &v->chunks_cap, v->n_chunks + 1, sizeof *v->chunks)) return NULL;
    char *c = malloc(size);
    if (!c) return NULL;
    v->chunks[v->n_chunks++] = c;
    v->chunk_used = 0;
    v->chunk_size = size;
  }
  char *d = v->chunks[v->n_chunks - 1] + v->chunk_used;
  memcpy(d, s, len);
  d[len] = '\0';
  v->chunk_used += len + 1;
  return d;
}

static size_t lookup(const p2ci_vocab *v, const char *s, size_t len, uint64_t h)
{
  size_t j = (size_t)h & v->mask;
  for (;;) {
    uint32_t id1 = v->slots[j];
    if (!id1) return j;
    if (v->slot_hash[j] == h) {
      const word *w = &v->words[id1 - 1];
      if (w->len == len && memcmp(w->s, s, len) == 0) return j;
    }
    j = (j + 1) & v->mask;
  }
}

int p2ci_vocab_find(const p2ci_vocab *v, const char *s, size_t len, uint32_t *id)
{
  size_t j = lookup(v, s, len, p2ci_hash_bytes(s, len));
  if (!v->slots[j]) return 0;
  *id = v->slots[j] - 1;
  return 1;
}

int p2ci_vocab_intern(p2ci_vocab *v, const char *s, size_t len, uint32_t *id)
{
  /* keep the load factor under 1/2 */
  if ((v->n + 1) * 2 > v->mask && rehash(v)) return P2C_ERR_NOMEM;
  uint64_t h = p2ci_hash_bytes(s, len);
  size_t j = lookup(v, s, len, h);
  if (v->slots[j]) {
    *id = v->slots[j] - 1;
    return P2C_OK;
  }
  if (v->n >= UINT32_MAX - 1 || len >= UINT32_MAX) return P2C_ERR_LIMIT;
  if (p2ci_grow(&v->words, &v->cap, v->n + 1, sizeof *v->words)) return P2C_ERR_NOMEM;
  const char *copy = store(v, s, len);
  if (!copy) return P2C_ERR_NOMEM;
  v->words[v->n].s = copy;
  v->words[v->n].len = (uint32_t)len;
  v->slots[j] = (uint32_t)(v->n + 1);
  v->slot_hash[j] = h;
  *id = (uint32_t)v->n++;
  return P2C_OK;
}

const char *p2ci_vocab_word(const p2ci_vocab *v, uint32_t id, size_t *len)
{
  if (id >= v->n) return NULL;
  if (len) *len = v->words[id].len;
  return v->words[id].s;
}

size_t p2ci_vocab_size(const p2ci_vocab *v) { return v->n; }
