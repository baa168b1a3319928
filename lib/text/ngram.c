#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "text/ngram.h"

#define NONE UINT32_MAX /* no child, no further sibling */

int p2ci_ngrams_init(p2ci_ngrams *g, size_t n_words)
{
  memset(g, 0, sizeof *g);
  g->n_words = n_words;
  g->word_id = calloc(n_words ? n_words : 1, sizeof *g->word_id);
  return g->word_id ? P2C_OK : P2C_ERR_NOMEM;
}

void p2ci_ngrams_release(p2ci_ngrams *g)
{
  if (!g) return;
  free(g->word_id);
  free(g->ids_buf);
  free(g->off_buf);
  free(g->child);
  free(g->sibling);
  free(g->last);
  memset(g, 0, sizeof *g);
}

size_t p2ci_ngrams_count(size_t len, unsigned max_n)
{
  size_t c = 0;
  for (unsigned k = 1; k <= max_n && k <= len; k++) c += len - k + 1;
  return c;
}

/* Room for total n-gram occurrences (hence at most that many distinct ones). */
static int reserve(p2ci_ngrams *g, size_t total, size_t n_captions)
{
  if (p2ci_grow(&g->off_buf, &g->off_cap, n_captions + 1, sizeof *g->off_buf)) return P2C_ERR_NOMEM;
  if (total > g->cap) {
    size_t cap = total + total / 2;
    uint32_t *ids = realloc(g->ids_buf, cap * sizeof *ids);
    if (ids) g->ids_buf = ids;
    uint32_t *child = realloc(g->child, cap * sizeof *child);
    if (child) g->child = child;
    uint32_t *sibling = realloc(g->sibling, cap * sizeof *sibling);
    if (sibling) g->sibling = sibling;
    uint32_t *last = realloc(g->last, cap * sizeof *last);
    if (last) g->last = last;
    if (!ids || !child || !sibling || !last) return P2C_ERR_NOMEM;
    g->cap = cap;
  }
  if (++g->gen == 0) { /* wrapped: every word could look current */
    memset(g->word_id, 0, (g->n_words ? g->n_words : 1) * sizeof *g->word_id);
    g->gen = 1;
  }
  return P2C_OK;
}

int p2ci_ngrams_number(p2ci_ngrams *g, const uint32_t *const *words, const size_t *len,
                       size_t n_captions, unsigned max_n)
{
  if (max_n < 1 || max_n > P2CI_NGRAM_MAX) return P2C_ERR_INVALID_ARG;
  size_t total = 0;
  for (size_t c = 0; c < n_captions; c++) total += p2ci_ngrams_count(len[c], max_n);
  if (total >= UINT32_MAX) return P2C_ERR_LIMIT;
  int rc = reserve(g, total, n_captions);
  if (rc) return rc;
  uint32_t *ids = g->ids_buf, n = 0;
  const uint32_t gen = g->gen;
  uint32_t *restrict child = g->child, *restrict sibling = g->sibling, *restrict last_of = g->last;
  size_t pos = 0;
  for (size_t c = 0; c < n_captions; c++) {
    const uint32_t *w = words[c];
    size_t m = len[c];
    g->off_buf[c] = pos;
    uint32_t *out = ids + pos;
    for (size_t i = 0; i < m; i++) {
      if (w[i] >= g->n_words) {
        rc = P2C_ERR_INVALID_ARG;
        goto done;
      }
      uint64_t *wi = &g->word_id[w[i]];
      if ((uint32_t)(*wi >> 32) != gen) {
        child[n] = NONE;
        *wi = (uint64_t)gen << 32 | n++;
      }
      out[i] = (uint32_t)*wi;
    }
    const uint32_t *below = out, *last = out; /* last: the words' ids */
    out += m;
    for (unsigned k = 2; k <= max_n && k <= m; k++) {
      size_t cnt = m - k + 1;
      for (size_t i = 0; i < cnt; i++) {
        /* the n-gram (prefix id, last word's id): a child of its prefix */
        uint32_t prefix = below[i], tail = last[i + k - 1], id = child[prefix];
        while (id != NONE && last_of[id] != tail) id = sibling[id];
        if (id == NONE) {
          id = n++;
          child[id] = NONE;
          last_of[id] = tail;
          sibling[id] = child[prefix];
          child[prefix] = id;
        }
        out[i] = id;
      }
      below = out;
      out += cnt;
    }
    pos = (size_t)(out - ids);
  }
  g->off_buf[n_captions] = pos;
done:
  if (rc) return rc;
  g->ids = ids;
  g->off = g->off_buf;
  g->n_ids = n;
  return P2C_OK;
}
