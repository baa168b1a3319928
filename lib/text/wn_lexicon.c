/* WordNet index and exception files, interned. The files are parsed once by
 * the shared store (text/wordnet.h); this builds SPICE's id-based tables from
 * it. A lexicon is read-only after loading except for p2ci_wnlex_intern. */
#include "text/wn_lexicon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "text/hash.h"
#include "text/meteor_files.h"
#include "text/wordnet.h"

typedef struct wn_word {
  uint32_t str;     /* offset into chars */
  uint32_t len;
  uint32_t syn;     /* offset into pool */
  uint32_t nsyn;
  uint32_t exc[4];  /* offsets into pool */
  uint16_t nexc[4];
  uint16_t tagged[4]; /* tagsense_cnt: senses seen in SemCor, a frequency proxy */
  uint8_t pos;
} wn_word;

struct p2ci_wnlex {
  p2ci_wordnet *wn; /* the store the tables were built from (kept for sharing) */
  char *chars;
  size_t nchars, capchars;
  wn_word *words;
  size_t nwords, capwords;
  int32_t *pool;
  size_t npool, cappool;
  int32_t *table; /* open addressing, -1 empty */
  size_t tabsize; /* power of two */
};

int32_t p2ci_wnlex_find(const p2ci_wnlex *lex, const char *s, size_t n)
{
  size_t mask = lex->tabsize - 1;
  for (size_t i = p2ci_hash32(s, n) & mask;; i = (i + 1) & mask) {
    int32_t id = lex->table[i];
    if (id < 0) return -1;
    const wn_word *w = &lex->words[id];
    if (w->len == n && memcmp(lex->chars + w->str, s, n) == 0) return id;
  }
}

static int rehash(p2ci_wnlex *lex, size_t size)
{
  int32_t *t = p2ci_malloc_array(size, sizeof *t);
  if (!t) return P2C_ERR_NOMEM;
  memset(t, 0xff, size * sizeof *t);
  for (size_t id = 0; id < lex->nwords; id++) {
    const wn_word *w = &lex->words[id];
    size_t i = p2ci_hash32(lex->chars + w->str, w->len) & (size - 1);
    while (t[i] >= 0) i = (i + 1) & (size - 1);
    t[i] = (int32_t)id;
  }
  free(lex->table);
  lex->table = t;
  lex->tabsize = size;
  return P2C_OK;
}

int32_t p2ci_wnlex_intern(p2ci_wnlex *lex, const char *s, size_t n)
{
  int32_t id = p2ci_wnlex_find(lex, s, n);
  if (id >= 0) return id;
  if (lex->nwords >= INT32_MAX - 1 || n >= UINT32_MAX / 2) return -1;
  if ((lex->nwords + 1) * 2 > lex->tabsize && rehash(lex, lex->tabsize * 2)) return -1;
  if (p2ci_grow(&lex->words, &lex->capwords, lex->nwords + 1, sizeof *lex->words) ||
      p2ci_grow(&lex->chars, &lex->capchars, lex->nchars + n + 1, 1))
    return -1;
  wn_word *w = &lex->words[lex->nwords];
  memset(w, 0, sizeof *w);
  w->str = (uint32_t)lex->nchars;
  w->len = (uint32_t)n;
  memcpy(lex->chars + lex->nchars, s, n);
  lex->chars[lex->nchars + n] = '\0';
  lex->nchars += n + 1;
  id = (int32_t)lex->nwords++;
  size_t mask = lex->tabsize - 1;
  size_t i = p2ci_hash32(s, n) & mask;
  while (lex->table[i] >= 0) i = (i + 1) & mask;
  lex->table[i] = id;
  return id;
}

const char *p2ci_wnlex_word(const p2ci_wnlex *lex, int32_t id) { return lex->chars + lex->words[id].str; }
size_t p2ci_wnlex_len(const p2ci_wnlex *lex, int32_t id) { return lex->words[id].len; }
unsigned p2ci_wnlex_pos(const p2ci_wnlex *lex, int32_t id) { return lex->words[id].pos; }

const int32_t *p2ci_wnlex_synsets(const p2ci_wnlex *lex, int32_t id, size_t *n)
{
  *n = lex->words[id].nsyn;
  return lex->pool + lex->words[id].syn;
}

const int32_t *p2ci_wnlex_exc(const p2ci_wnlex *lex, int32_t id, int pos, size_t *n)
{
  *n = lex->words[id].nexc[pos];
  return lex->pool + lex->words[id].exc[pos];
}

unsigned p2ci_wnlex_tagged(const p2ci_wnlex *lex, int32_t id, int pos)
{
  return lex->words[id].tagged[pos];
}

int p2ci_wnlex_is_exc_form(const p2ci_wnlex *lex, int32_t id)
{
  const wn_word *w = &lex->words[id];
  return (w->nexc[0] | w->nexc[1] | w->nexc[2] | w->nexc[3]) != 0;
}

/* (word, value) pairs collected while reading, grouped afterwards. */
typedef struct pair {
  int32_t word, value;
  uint32_t seq; /* file order, to keep exception bases in file order */
} pair;
typedef struct pairs {
  pair *v;
  size_t n, cap;
} pairs;

static int push(pairs *p, int32_t word, int32_t value)
{
  if (p2ci_grow(&p->v, &p->cap, p->n + 1, sizeof *p->v)) return P2C_ERR_NOMEM;
  p->v[p->n].word = word;
  p->v[p->n].value = value;
  p->v[p->n].seq = (uint32_t)p->n;
  p->n++;
  return P2C_OK;
}

/* Sort by word, then value: a counting sort on the word ids (dense, below
 * nwords), then each word's few values by insertion. qsort was 40% of a
 * SPICE handle's creation. */
static int sort_word_value(pairs *p, size_t nwords)
{
  size_t *at = p2ci_calloc_array(nwords + 1, sizeof *at);
  pair *v = p2ci_malloc_array(p->n ? p->n : 1, sizeof *v);
  if (!at || !v) {
    free(at), free(v);
    return P2C_ERR_NOMEM;
  }
  for (size_t i = 0; i < p->n; i++) at[(size_t)p->v[i].word + 1]++;
  for (size_t w = 0; w < nwords; w++) at[w + 1] += at[w];
  for (size_t i = 0; i < p->n; i++) v[at[p->v[i].word]++] = p->v[i];
  for (size_t i = 0, j; i < p->n; i = j) {
    for (j = i + 1; j < p->n && v[j].word == v[i].word; j++) {
      pair x = v[j];
      size_t k = j;
      for (; k > i && v[k - 1].value > x.value; k--) v[k] = v[k - 1];
      v[k] = x;
    }
  }
  free(at);
  free(p->v);
  p->v = v;
  p->cap = p->n ? p->n : 1;
  return P2C_OK;
}

static int cmp_word_seq(const void *a, const void *b)
{
  const pair *x = a, *y = b;
  if (x->word != y->word) return x->word < y->word ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* index.<pos> in file order: pos bit, tagsense_cnt and synset offsets. */
static int read_index(p2ci_wnlex *lex, int pos, pairs *syn)
{
  p2ci_wn_synsets offsets = {0};
  p2ci_wn_str lemma;
  uint32_t tagged;
  size_t cursor = 0;
  int rc;
  while ((rc = p2ci_wordnet_next_index_entry(lex->wn, pos, &cursor, &lemma, &tagged, &offsets)) == 1) {
    int32_t id = p2ci_wnlex_intern(lex, lemma.ptr, lemma.len);
    if (id < 0) break;
    lex->words[id].pos |= (uint8_t)(1u << pos);
    lex->words[id].tagged[pos] = (uint16_t)(tagged > 65535 ? 65535 : tagged);
    size_t k = 0;
    for (; k < offsets.n; k++)
      if (push(syn, id, (int32_t)offsets.v[k].offset)) break;
    if (k < offsets.n) break;
  }
  p2ci_wn_synsets_free(&offsets);
  return rc == 0 ? P2C_OK : P2C_ERR_NOMEM;
}

/* <pos>.exc in file order: (form, base) pairs, every line of a repeated form. */
static int read_exc(p2ci_wnlex *lex, int pos, pairs *exc)
{
  p2ci_wn_str form;
  const p2ci_wn_str *bases;
  size_t n, cursor = 0;
  while (p2ci_wordnet_next_exc_line(lex->wn, pos, &cursor, &form, &bases, &n)) {
    if (n == 0) continue;
    int32_t f = p2ci_wnlex_intern(lex, form.ptr, form.len);
    if (f < 0) return P2C_ERR_NOMEM;
    for (size_t k = 0; k < n; k++) {
      int32_t base = p2ci_wnlex_intern(lex, bases[k].ptr, bases[k].len);
      if (base < 0 || push(exc, f, base)) return P2C_ERR_NOMEM;
    }
  }
  return P2C_OK;
}

static int pool_reserve(p2ci_wnlex *lex, size_t n)
{
  return p2ci_grow(&lex->pool, &lex->cappool, lex->npool + n, sizeof *lex->pool);
}

int p2ci_wnlex_load(const char *dir, p2ci_wnlex **out, p2c_error *err)
{
  *out = NULL;
  p2ci_wnlex *lex = calloc(1, sizeof *lex);
  pairs syn = {0}, exc[4] = {{0}};
  int rc = P2C_ERR_NOMEM;
  if (!lex) goto fail;
  if ((rc = p2ci_wordnet_open_shared(dir, &lex->wn, err))) goto fail_quiet;
  rc = P2C_ERR_NOMEM;
  if (rehash(lex, 1u << 19)) goto fail;
  for (int pos = 0; pos < 4; pos++)
    if (read_index(lex, pos, &syn)) goto fail;
  for (int pos = 0; pos < 4; pos++)
    if (read_exc(lex, pos, &exc[pos])) goto fail;
  if (syn.n && sort_word_value(&syn, lex->nwords)) goto fail;
  if (pool_reserve(lex, syn.n + exc[0].n + exc[1].n + exc[2].n + exc[3].n + 1)) goto fail;
  for (size_t i = 0; i < syn.n;) {
    wn_word *w = &lex->words[syn.v[i].word];
    w->syn = (uint32_t)lex->npool;
    size_t j = i;
    for (; j < syn.n && syn.v[j].word == syn.v[i].word; j++)
      if (j == i || syn.v[j].value != syn.v[j - 1].value) lex->pool[lex->npool++] = syn.v[j].value;
    w->nsyn = (uint32_t)(lex->npool - w->syn);
    i = j;
  }
  for (int pos = 0; pos < 4; pos++) {
    pairs *e = &exc[pos];
    if (e->n) qsort(e->v, e->n, sizeof *e->v, cmp_word_seq);
    for (size_t i = 0; i < e->n;) {
      wn_word *w = &lex->words[e->v[i].word];
      w->exc[pos] = (uint32_t)lex->npool;
      size_t j = i;
      for (; j < e->n && e->v[j].word == e->v[i].word; j++) lex->pool[lex->npool++] = e->v[j].value;
      w->nexc[pos] = (uint16_t)(j - i);
      i = j;
    }
  }
  free(syn.v);
  for (int pos = 0; pos < 4; pos++) free(exc[pos].v);
  *out = lex;
  return P2C_OK;
fail:
  p2ci_error(err, rc, "%s: out of memory reading WordNet", dir);
fail_quiet:
  free(syn.v);
  for (int pos = 0; pos < 4; pos++) free(exc[pos].v);
  p2ci_wnlex_free(lex);
  return rc;
}

/* One english.synsets record: the word's synsets become its ids, sorted and
 * unique (the file lists each once but not in order); a later record of the
 * same word replaces an earlier one. */
static int set_meteor_synsets(void *ctx, const char *word, size_t len, const int32_t *ids,
                              size_t n, size_t record)
{
  (void)record;
  p2ci_wnlex *lex = ctx;
  int32_t id = p2ci_wnlex_intern(lex, word, len);
  if (id < 0 || n > UINT32_MAX || pool_reserve(lex, n + 1)) return P2C_ERR_NOMEM;
  wn_word *w = &lex->words[id];
  w->syn = (uint32_t)lex->npool;
  int32_t *v = lex->pool + w->syn;
  uint32_t u = 0;
  for (size_t i = 0; i < n; i++) { /* insertion sort: a word has a few dozen at most */
    uint32_t j = u++;
    while (j > 0 && v[j - 1] > ids[i]) {
      v[j] = v[j - 1];
      j--;
    }
    v[j] = ids[i];
  }
  uint32_t k = 0;
  for (uint32_t i = 0; i < u; i++)
    if (i == 0 || v[i] != v[k - 1]) v[k++] = v[i];
  w->nsyn = k;
  lex->npool = w->syn + k;
  return 0;
}

int p2ci_wnlex_load_meteor_synsets(p2ci_wnlex *lex, const char *path, p2c_error *err)
{
  /* The file's lists replace WordNet's: clear them all first. */
  for (size_t i = 0; i < lex->nwords; i++) lex->words[i].nsyn = 0;
  return p2ci_meteor_synsets_read(path, set_meteor_synsets, lex, err);
}

void p2ci_wnlex_free(p2ci_wnlex *lex)
{
  if (!lex) return;
  p2ci_wordnet_free(lex->wn);
  free(lex->chars);
  free(lex->words);
  free(lex->pool);
  free(lex->table);
  free(lex);
}
