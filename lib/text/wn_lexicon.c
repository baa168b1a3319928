/* WordNet index and exception files, interned. Reading them takes ~60 ms;
 * a lexicon is read-only after loading except for p2ci_wnlex_intern. */
#include "text/wn_lexicon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/file.h"

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
  char *chars;
  size_t nchars, capchars;
  wn_word *words;
  size_t nwords, capwords;
  int32_t *pool;
  size_t npool, cappool;
  int32_t *table; /* open addressing, -1 empty */
  size_t tabsize; /* power of two */
};

static uint32_t hash_bytes(const char *s, size_t n)
{
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

int32_t p2ci_wnlex_find(const p2ci_wnlex *lex, const char *s, size_t n)
{
  size_t mask = lex->tabsize - 1;
  for (size_t i = hash_bytes(s, n) & mask;; i = (i + 1) & mask) {
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
    size_t i = hash_bytes(lex->chars + w->str, w->len) & (size - 1);
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
  size_t i = hash_bytes(s, n) & mask;
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

static int cmp_word_value(const void *a, const void *b)
{
  const pair *x = a, *y = b;
  if (x->word != y->word) return x->word < y->word ? -1 : 1;
  if (x->value != y->value) return x->value < y->value ? -1 : 1;
  return 0;
}

static int cmp_word_seq(const void *a, const void *b)
{
  const pair *x = a, *y = b;
  if (x->word != y->word) return x->word < y->word ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *const POS_NAME[4] = {"noun", "verb", "adj", "adv"};

/* Split one line into whitespace-separated fields (in place). */
static size_t split_fields(char *line, char **f, size_t max)
{
  size_t n = 0;
  char *p = line;
  while (*p && n < max) {
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    if (!*p) break;
    f[n++] = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '\r') p++;
    if (*p) *p++ = '\0';
  }
  return n;
}

static int read_index(p2ci_wnlex *lex, const char *dir, int pos, pairs *syn, p2c_error *err)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/index.%s", dir, POS_NAME[pos]);
  char *data;
  size_t len;
  int rc = p2ci_read_file(path, 0, &data, &len, err);
  if (rc) return rc;
  char *f[512];
  size_t lineno = 0;
  for (char *line = data, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    lineno++;
    if (line[0] == ' ' || line[0] == '\0') continue; /* license header */
    size_t nf = split_fields(line, f, 512);
    long nsyn = nf >= 3 ? strtol(f[2], NULL, 10) : -1;
    if (nsyn < 1 || (size_t)nsyn > nf - 4) {
      free(data);
      return p2ci_error(err, P2C_ERR_PARSE, "%s:%zu: not a WordNet index line", path, lineno);
    }
    int32_t id = p2ci_wnlex_intern(lex, f[0], strlen(f[0]));
    if (id < 0) goto nomem;
    lex->words[id].pos |= (uint8_t)(1u << pos);
    long tagged = strtol(f[nf - (size_t)nsyn - 1], NULL, 10);
    lex->words[id].tagged[pos] = (uint16_t)(tagged < 0 ? 0 : tagged > 65535 ? 65535 : tagged);
    for (size_t k = nf - (size_t)nsyn; k < nf; k++)
      if (push(syn, id, (int32_t)strtol(f[k], NULL, 10))) goto nomem;
  }
  free(data);
  return P2C_OK;
nomem:
  free(data);
  return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
}

static int read_exc(p2ci_wnlex *lex, const char *dir, int pos, pairs *exc, p2c_error *err)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.exc", dir, POS_NAME[pos]);
  char *data;
  size_t len;
  int rc = p2ci_read_file(path, 0, &data, &len, err);
  if (rc) return rc;
  char *f[64];
  for (char *line = data, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    size_t nf = split_fields(line, f, 64);
    if (nf < 2) continue;
    int32_t form = p2ci_wnlex_intern(lex, f[0], strlen(f[0]));
    if (form < 0) goto nomem;
    for (size_t k = 1; k < nf; k++) {
      int32_t base = p2ci_wnlex_intern(lex, f[k], strlen(f[k]));
      if (base < 0 || push(exc, form, base)) goto nomem;
    }
  }
  free(data);
  return P2C_OK;
nomem:
  free(data);
  return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
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
  if (!lex || rehash(lex, 1u << 19)) goto fail;
  for (int pos = 0; pos < 4; pos++)
    if ((rc = read_index(lex, dir, pos, &syn, err))) goto fail_quiet;
  for (int pos = 0; pos < 4; pos++)
    if ((rc = read_exc(lex, dir, pos, &exc[pos], err))) goto fail_quiet;
  rc = P2C_ERR_NOMEM;
  if (syn.n) qsort(syn.v, syn.n, sizeof *syn.v, cmp_word_value);
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

int p2ci_wnlex_load_meteor_synsets(p2ci_wnlex *lex, const char *path, p2c_error *err)
{
  char *data;
  size_t len;
  int rc = p2ci_read_file(path, 0, &data, &len, err);
  if (rc) return rc;
  /* Pairs of lines: a word, then its synset numbers. Clear the old lists. */
  for (size_t i = 0; i < lex->nwords; i++) lex->words[i].nsyn = 0;
  size_t lineno = 0;
  for (char *line = data, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    lineno++;
    char *ids = next;
    if (!ids) break;
    next = strchr(ids, '\n');
    if (next) *next++ = '\0';
    lineno++;
    size_t wl = strlen(line);
    if (wl && line[wl - 1] == '\r') line[--wl] = '\0';
    int32_t id = p2ci_wnlex_intern(lex, line, wl);
    if (id < 0 || pool_reserve(lex, strlen(ids) / 2 + 1)) {
      free(data);
      return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
    }
    wn_word *w = &lex->words[id];
    w->syn = (uint32_t)lex->npool;
    for (char *p = ids, *e; *p;) {
      long v = strtol(p, &e, 10);
      if (e == p) break;
      lex->pool[lex->npool++] = (int32_t)v;
      p = e;
    }
    w->nsyn = (uint32_t)(lex->npool - w->syn);
    /* sorted, unique: the file lists each synset once but not in order */
    int32_t *s = lex->pool + w->syn;
    for (uint32_t i = 1; i < w->nsyn; i++) {
      int32_t v = s[i];
      uint32_t j = i;
      while (j > 0 && s[j - 1] > v) {
        s[j] = s[j - 1];
        j--;
      }
      s[j] = v;
    }
    uint32_t u = 0;
    for (uint32_t i = 0; i < w->nsyn; i++)
      if (i == 0 || s[i] != s[u - 1]) s[u++] = s[i];
    lex->npool = w->syn + u;
    w->nsyn = u;
  }
  free(data);
  return P2C_OK;
}

void p2ci_wnlex_free(p2ci_wnlex *lex)
{
  if (!lex) return;
  free(lex->chars);
  free(lex->words);
  free(lex->pool);
  free(lex->table);
  free(lex);
}
