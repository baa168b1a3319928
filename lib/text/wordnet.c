/* WordNet 3.0 reader with NLTK 3.8 semantics; see wordnet.h. */
#define _DEFAULT_SOURCE 1 /* MAP_POPULATE where the system has it */
#include "text/wordnet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "text/pystr.h"

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

static const char *const pos_file[P2CI_WORDNET_NPOS] = {"noun", "verb", "adj", "adv"};
static const char pos_chars[P2CI_WORDNET_NPOS] = {'n', 'v', 'a', 'r'};

typedef struct exc_rec {
  const char *s;
  uint32_t len, hash;
  uint32_t start, count; /* into wn->exc_vals */
} exc_rec;

/* Open-addressing table of record indices + 1 (0 = empty); mask = size - 1. */
typedef struct slots {
  uint32_t *v;
  size_t mask;
} slots;

typedef struct mapped {
  char *ptr;
  size_t len;
  int is_mmap;
} mapped;

struct p2ci_wordnet {
  atomic_uint refs; /* p2ci_wordnet_retain / p2ci_wordnet_free */
  char *dir;
  mapped index[P2CI_WORDNET_NPOS], exc_file[P2CI_WORDNET_NPOS], data[P2CI_WORDNET_NPOS];
  /* Per part of speech: byte offset + 1 of each lemma's index line (0 =
   * empty slot). The lemma string and its synset offsets are read from the
   * mapped line when needed, so opening allocates little (fresh pages are
   * what loading costs most). */
  slots lemma_slots[P2CI_WORDNET_NPOS];
  size_t n_entries; /* lemma lines over the four files */
  exc_rec *exc[P2CI_WORDNET_NPOS];
  size_t n_exc[P2CI_WORDNET_NPOS];
  slots exc_slots[P2CI_WORDNET_NPOS];
  p2ci_wn_str *exc_vals;
  size_t n_exc_vals, cap_exc_vals;
};

/* FNV-1a: short keys, and the table is built once. */
static uint32_t hash_bytes(const char *s, size_t n)
{
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static int slots_init(slots *t, size_t n)
{
  size_t size = 16;
  while (size < 2 * n + 1) size *= 2;
  t->v = p2ci_calloc_array(size, sizeof *t->v);
  t->mask = size - 1;
  return t->v ? 0 : P2C_ERR_NOMEM;
}

/* ---- files ----------------------------------------------------------------- */

static char *join_path(const char *dir, const char *name)
{
  size_t a = strlen(dir), b = strlen(name);
  char *p = malloc(a + b + 2);
  if (!p) return NULL;
  memcpy(p, dir, a);
  p[a] = '/';
  memcpy(p + a + 1, name, b + 1);
  return p;
}

/* Map (or read) a whole file. A trailing NUL is not guaranteed: parsers stop
 * at len. */
static int map_file(const char *dir, const char *name, int want_mmap, mapped *m, p2c_error *err)
{
  char *path = join_path(dir, name);
  if (!path) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    int e = errno;
    p2ci_error(err, P2C_ERR_IO, "WordNet file %s: cannot open: %s (set the WordNet folder with "
               "--wordnet DIR or %s)", path, strerror(e), P2CI_WORDNET_ENV);
    free(path);
    return P2C_ERR_IO;
  }
  struct stat st;
  int rc = P2C_OK;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    rc = p2ci_error(err, P2C_ERR_IO, "WordNet file %s: not a regular file", path);
    goto out;
  }
  m->len = (size_t)st.st_size;
  m->is_mmap = 0;
  if (m->len == 0) { /* not NULL: ptr + len must be defined behaviour */
    if (!(m->ptr = malloc(1))) rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory reading %s", path);
    goto out;
  }
  if (want_mmap) {
    void *p = mmap(NULL, m->len, PROT_READ, 
                   MAP_PRIVATE | (want_mmap == 2 ? 0 : 0), fd, 0);
    if (p != MAP_FAILED) {
      m->ptr = p;
      m->is_mmap = 1;
      goto out;
    }
  }
  m->ptr = malloc(m->len);
  if (!m->ptr) {
    rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory reading %s", path);
    goto out;
  }
  for (size_t got = 0; got < m->len;) {
    ssize_t r = read(fd, m->ptr + got, m->len - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      rc = p2ci_error(err, P2C_ERR_IO, "WordNet file %s: read error", path);
      free(m->ptr);
      m->ptr = NULL;
      goto out;
    }
    got += (size_t)r;
  }
out:
  close(fd);
  free(path);
  return rc;
}

static void unmap_file(mapped *m)
{
  if (!m->ptr) return;
  if (m->is_mmap)
    munmap(m->ptr, m->len);
  else
    free(m->ptr);
  m->ptr = NULL;
}

/* ---- lookups ----------------------------------------------------------------- */

/* Length of the lemma token that starts the index line at p. */
static size_t lemma_token_len(const mapped *m, const char *p)
{
  const char *end = m->ptr + m->len, *q = p;
  while (q < end && *q != ' ' && *q != '\n') q++;
  return (size_t)(q - p);
}

/* The index line of lemma s in index.<pos>, or NULL. */
static const char *find_line(const p2ci_wordnet *wn, int pos, const char *s, size_t len, uint32_t h)
{
  const slots *t = &wn->lemma_slots[pos];
  const mapped *m = &wn->index[pos];
  for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
    uint32_t k = t->v[i];
    if (!k) return NULL;
    const char *line = m->ptr + (k - 1);
    if (lemma_token_len(m, line) == len && memcmp(line, s, len) == 0) return line;
  }
}

static const exc_rec *find_exc(const p2ci_wordnet *wn, int pos, const char *s, size_t len)
{
  const slots *t = &wn->exc_slots[pos];
  uint32_t h = hash_bytes(s, len);
  for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
    uint32_t k = t->v[i];
    if (!k) return NULL;
    const exc_rec *r = &wn->exc[pos][k - 1];
    if (r->hash == h && r->len == len && memcmp(r->s, s, len) == 0) return r;
  }
}

/* ---- loading ------------------------------------------------------------------ */

typedef struct line_cursor {
  const char *p, *end;
} line_cursor;

/* Next whitespace-separated token within the line [p, end). */
static int next_tok(line_cursor *c, const char **tok, size_t *n)
{
  const char *p = c->p;
  while (p < c->end && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
  if (p >= c->end) return 0;
  const char *q = p;
  while (q < c->end && *q != ' ' && *q != '\t' && *q != '\r') q++;
  *tok = p;
  *n = (size_t)(q - p);
  c->p = q;
  return 1;
}

static int parse_uint(const char *t, size_t n, int base, uint32_t *out)
{
  if (n == 0 || n > 9) return 0;
  uint32_t v = 0;
  for (size_t i = 0; i < n; i++) {
    int d;
    char ch = t[i];
    if (ch >= '0' && ch <= '9')
      d = ch - '0';
    else if (base == 16 && ch >= 'a' && ch <= 'f')
      d = ch - 'a' + 10;
    else if (base == 16 && ch >= 'A' && ch <= 'F')
      d = ch - 'A' + 10;
    else
      return 0;
    v = v * (uint32_t)base + (uint32_t)d;
  }
  *out = v;
  return 1;
}

static size_t count_lines(const mapped *m)
{
  size_t n = 1;
  for (const char *p = m->ptr, *e = m->ptr + m->len; p && p < e; p++) {
    p = memchr(p, '\n', (size_t)(e - p));
    if (!p) break;
    n++;
  }
  return n;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Parse the synset offsets of the index line at line: the last synset_cnt
 * fields, read backwards from the end of the line (so the pointer symbols in
 * the middle are never looked at). Appends to out when out is not NULL.
 * Returns the count, or -1 for a malformed line. */
static long line_offsets_to(const char *line, const char *le, int pos, p2ci_wn_synsets *out)
{
  const char *q = line;
  while (q < le && *q != ' ') q++;
  /* " p n_syn " */
  if (le - q < 4 || q[1] != pos_chars[pos] || q[2] != ' ') return -1;
  q += 3;
  uint32_t n_syn = 0;
  while (q < le && is_digit(*q) && n_syn < 100000) n_syn = n_syn * 10 + (uint32_t)(*q++ - '0');
  if (n_syn == 0 || n_syn >= 100000 || q >= le || *q != ' ') return -1;
  if (out && out->n + n_syn > out->cap &&
      p2ci_grow(&out->v, &out->cap, out->n + n_syn, sizeof *out->v))
    return -2;
  const char *r = le;
  for (uint32_t k = n_syn; k-- > 0;) {
    while (r > q && (r[-1] == ' ' || r[-1] == '\r')) r--;
    const char *t = r;
    while (t > q && is_digit(t[-1])) t--;
    if (r - t != 8 || t <= q || t[-1] != ' ') return -1;
    uint32_t off = 0;
    for (const char *d = t; d < r; d++) off = off * 10 + (uint32_t)(*d - '0');
    if (out) {
      out->v[out->n + k].pos = pos;
      out->v[out->n + k].offset = off;
    }
    r = t;
  }
  if (out) out->n += n_syn;
  return (long)n_syn;
}

static long line_offsets(const mapped *m, int pos, const char *line, p2ci_wn_synsets *out)
{
  const char *end = m->ptr + m->len;
  const char *nl = memchr(line, '\n', (size_t)(end - line));
  return line_offsets_to(line, nl ? nl : end, pos, out);
}

/* index.<pos>: "lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt
 * tagsense_cnt synset_offset..." (wndb(5WN)); lines starting with a space are
 * the licence. Each line is checked here, so queries can trust it later. NLTK
 * keeps the last line of a repeated lemma; so do we. */
static int load_index(p2ci_wordnet *wn, int pos, p2c_error *err)
{
  const mapped *m = &wn->index[pos];
  slots *t = &wn->lemma_slots[pos];
  const char *p = m->ptr, *end = m->ptr + m->len;
  size_t lineno = 0, n = 0;
  if (m->len >= UINT32_MAX)
    return p2ci_error(err, P2C_ERR_LIMIT, "WordNet file %s/index.%s: too large", wn->dir,
                      pos_file[pos]);
  /* One lemma per line is at least 22 bytes ("a n 1 0 1 0 00000000  "). */
  if (slots_init(t, m->len / 22 + 1)) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  while (p && p < end) {
    const char *line = p;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    lineno++;
    p = nl ? nl + 1 : end;
    if (line == (nl ? nl : end) || *line == ' ') continue;
    if (line_offsets_to(line, nl ? nl : end, pos, NULL) < 0)
      return p2ci_error(err, P2C_ERR_PARSE, "WordNet file %s/index.%s, line %zu: malformed entry",
                        wn->dir, pos_file[pos], lineno);
    size_t len = lemma_token_len(m, line);
    uint32_t h = hash_bytes(line, len);
    size_t i = h & t->mask;
    for (; t->v[i]; i = (i + 1) & t->mask) {
      const char *other = m->ptr + (t->v[i] - 1);
      if (lemma_token_len(m, other) == len && memcmp(other, line, len) == 0) break;
    }
    if (!t->v[i] && ++n > t->mask / 2) /* cannot happen with the 22-byte bound; be safe */
      return p2ci_error(err, P2C_ERR_PARSE, "WordNet file %s/index.%s: too many lines", wn->dir,
                        pos_file[pos]);
    t->v[i] = (uint32_t)(line - m->ptr) + 1;
  }
  wn->n_entries += n;
  return P2C_OK;
}

/* <pos>.exc: "form base..." per line; a repeated form keeps its last line, as
 * NLTK's dict assignment does. */
static int load_exc(p2ci_wordnet *wn, int pos, p2c_error *err)
{
  const mapped *m = &wn->exc_file[pos];
  size_t nlines = count_lines(m);
  wn->exc[pos] = p2ci_malloc_array(nlines, sizeof(exc_rec));
  if (!wn->exc[pos] || slots_init(&wn->exc_slots[pos], nlines) != 0)
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory loading WordNet");
  const char *p = m->ptr, *end = m->ptr + m->len;
  while (p && p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    line_cursor c = {p, le};
    p = nl ? nl + 1 : end;
    const char *key, *t;
    size_t key_len, n;
    if (!next_tok(&c, &key, &key_len)) continue;
    uint32_t start = (uint32_t)wn->n_exc_vals, count = 0;
    while (next_tok(&c, &t, &n)) {
      if (p2ci_grow(&wn->exc_vals, &wn->cap_exc_vals, wn->n_exc_vals + 1, sizeof *wn->exc_vals))
        return p2ci_error(err, P2C_ERR_NOMEM, "out of memory loading WordNet");
      wn->exc_vals[wn->n_exc_vals].ptr = t;
      wn->exc_vals[wn->n_exc_vals].len = n;
      wn->n_exc_vals++;
      count++;
    }
    uint32_t h = hash_bytes(key, key_len);
    slots *sl = &wn->exc_slots[pos];
    size_t i = h & sl->mask;
    exc_rec *r = NULL;
    for (;; i = (i + 1) & sl->mask) {
      uint32_t k = sl->v[i];
      if (!k) break;
      exc_rec *q = &wn->exc[pos][k - 1];
      if (q->hash == h && q->len == key_len && memcmp(q->s, key, key_len) == 0) {
        r = q;
        break;
      }
    }
    if (!r) {
      r = &wn->exc[pos][wn->n_exc[pos]++];
      r->s = key;
      r->len = (uint32_t)key_len;
      r->hash = h;
      sl->v[i] = (uint32_t)wn->n_exc[pos];
    }
    r->start = start;
    r->count = count;
  }
  return P2C_OK;
}

const char *p2ci_wordnet_resolve_dir(const char *dir)
{
  if (dir && *dir) return dir;
  const char *env = getenv(P2CI_WORDNET_ENV);
  if (env && *env) return env;
  return P2CI_WORDNET_DEFAULT_DIR;
}

int p2ci_wordnet_open(const char *dir_opt, p2ci_wordnet **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2ci_wordnet_open: out is NULL");
  *out = NULL;
  const char *dir = p2ci_wordnet_resolve_dir(dir_opt);
  p2ci_wordnet *wn = calloc(1, sizeof *wn);
  if (!wn || !(wn->dir = p2ci_strdup(dir))) {
    free(wn);
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  atomic_init(&wn->refs, 1u);
  int rc;
  char name[32];
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    rc = p2ci_error(err, P2C_ERR_IO, "WordNet folder %s: not found (set it with --wordnet DIR "
                    "or %s; Debian: apt install wordnet-base)", dir, P2CI_WORDNET_ENV);
    goto fail;
  }
  for (int pos = 0; pos < P2CI_WORDNET_NPOS; pos++) {
    snprintf(name, sizeof name, "index.%s", pos_file[pos]);
    if ((rc = map_file(dir, name, 2, &wn->index[pos], err)) != 0) goto fail;
    snprintf(name, sizeof name, "data.%s", pos_file[pos]);
    if ((rc = map_file(dir, name, 1, &wn->data[pos], err)) != 0) goto fail;
    snprintf(name, sizeof name, "%s.exc", pos_file[pos]);
    if ((rc = map_file(dir, name, 0, &wn->exc_file[pos], err)) != 0) goto fail;
  }
  for (int pos = 0; pos < P2CI_WORDNET_NPOS; pos++) {
    if ((rc = load_index(wn, pos, err)) != 0) goto fail;
    if ((rc = load_exc(wn, pos, err)) != 0) goto fail;
  }
  if (wn->n_entries == 0) {
    rc = p2ci_error(err, P2C_ERR_PARSE, "WordNet folder %s: the index files hold no lemma", dir);
    goto fail;
  }
  *out = wn;
  return P2C_OK;
fail:
  p2ci_wordnet_free(wn);
  return rc;
}

p2ci_wordnet *p2ci_wordnet_retain(p2ci_wordnet *wn)
{
  if (wn) atomic_fetch_add_explicit(&wn->refs, 1u, memory_order_relaxed);
  return wn;
}

void p2ci_wordnet_free(p2ci_wordnet *wn)
{
  if (!wn) return;
  if (atomic_fetch_sub_explicit(&wn->refs, 1u, memory_order_acq_rel) != 1) return;
  for (int pos = 0; pos < P2CI_WORDNET_NPOS; pos++) {
    unmap_file(&wn->index[pos]);
    unmap_file(&wn->exc_file[pos]);
    unmap_file(&wn->data[pos]);
    free(wn->exc[pos]);
    free(wn->exc_slots[pos].v);
    free(wn->lemma_slots[pos].v);
  }
  free(wn->exc_vals);
  free(wn->dir);
  free(wn);
}

const char *p2ci_wordnet_dir(const p2ci_wordnet *wn) { return wn ? wn->dir : ""; }

size_t p2ci_wordnet_num_lemmas(const p2ci_wordnet *wn)
{
  if (!wn) return 0;
  size_t n = 0;
  for (int pos = 0; pos < P2CI_WORDNET_NPOS; pos++) {
    const slots *t = &wn->lemma_slots[pos];
    const mapped *m = &wn->index[pos];
    for (size_t i = 0; i <= t->mask; i++) {
      if (!t->v[i]) continue;
      const char *line = m->ptr + (t->v[i] - 1);
      size_t len = lemma_token_len(m, line);
      uint32_t h = hash_bytes(line, len);
      int seen = 0;
      for (int q = 0; q < pos && !seen; q++) seen = find_line(wn, q, line, len, h) != NULL;
      n += !seen;
    }
  }
  return n;
}

char p2ci_wordnet_pos_char(int pos)
{
  return pos >= 0 && pos < P2CI_WORDNET_NPOS ? pos_chars[pos] : '?';
}

void p2ci_wn_strs_free(p2ci_wn_strs *l)
{
  if (!l) return;
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

void p2ci_wn_synsets_free(p2ci_wn_synsets *l)
{
  if (!l) return;
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

static int push_str(p2ci_wn_strs *l, const char *p, size_t n)
{
  if (l->n == l->cap && p2ci_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v)) return P2C_ERR_NOMEM;
  l->v[l->n].ptr = p;
  l->v[l->n].len = n;
  l->n++;
  return P2C_OK;
}

int p2ci_wordnet_in_index(const p2ci_wordnet *wn, const char *s, size_t len, int pos)
{
  uint32_t h = hash_bytes(s, len);
  for (int p = 0; p < P2CI_WORDNET_NPOS; p++)
    if ((pos == P2CI_WORDNET_ANY || pos == p) && find_line(wn, p, s, len, h)) return 1;
  return 0;
}

int p2ci_wordnet_index_synsets(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                               p2ci_wn_synsets *out)
{
  out->n = 0;
  if (!wn || pos < 0 || pos >= P2CI_WORDNET_NPOS) return P2C_ERR_INVALID_ARG;
  const char *line = find_line(wn, pos, s, len, hash_bytes(s, len));
  if (line && line_offsets(&wn->index[pos], pos, line, out) < 0) return P2C_ERR_NOMEM;
  return P2C_OK;
}

/* ---- morphy --------------------------------------------------------------------- */

typedef struct subst {
  const char *old, *new_;
} subst;

/* NLTK WordNetCorpusReader.MORPHOLOGICAL_SUBSTITUTIONS, in its order. */
static const subst noun_rules[] = {{"s", ""},     {"ses", "s"},  {"ves", "f"},
                                   {"xes", "x"},  {"zes", "z"},  {"ches", "ch"},
                                   {"shes", "sh"}, {"men", "man"}, {"ies", "y"}};
static const subst verb_rules[] = {{"s", ""},  {"ies", "y"}, {"es", "e"},  {"es", ""},
                                   {"ed", "e"}, {"ed", ""},   {"ing", "e"}, {"ing", ""}};
static const subst adj_rules[] = {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}};

/* A list of forms in one buffer, deduplicated on insertion. Keeping only the
 * first copy of a form changes nothing NLTK computes (a repeated form yields
 * repeated rewrites, after the first ones) but keeps the work polynomial. */
typedef struct forms {
  char *buf;
  size_t blen, bcap;
  uint32_t *off, *len;
  size_t n, cap;
  uint32_t *slot; /* indices + 1 */
  size_t slot_mask;
} forms;

static void forms_free(forms *f)
{
  free(f->buf);
  free(f->off);
  free(f->len);
  free(f->slot);
  memset(f, 0, sizeof *f);
}

static void forms_clear(forms *f)
{
  f->blen = 0;
  f->n = 0;
  if (f->slot) memset(f->slot, 0, (f->slot_mask + 1) * sizeof *f->slot);
}

static int forms_rehash(forms *f, size_t need)
{
  size_t size = 64;
  while (size < 2 * need) size *= 2;
  if (f->slot && size <= f->slot_mask + 1) return 0;
  uint32_t *s = p2ci_calloc_array(size, sizeof *s);
  if (!s) return P2C_ERR_NOMEM;
  free(f->slot);
  f->slot = s;
  f->slot_mask = size - 1;
  for (size_t k = 0; k < f->n; k++) {
    size_t i = hash_bytes(f->buf + f->off[k], f->len[k]) & f->slot_mask;
    while (f->slot[i]) i = (i + 1) & f->slot_mask;
    f->slot[i] = (uint32_t)k + 1;
  }
  return 0;
}

/* Append a + b unless already present. */
static int forms_add(forms *f, const char *a, size_t na, const char *b, size_t nb)
{
  if (f->n + 1 > (f->slot_mask + 1) / 2 && forms_rehash(f, f->n + 1)) return P2C_ERR_NOMEM;
  if (p2ci_grow(&f->buf, &f->bcap, f->blen + na + nb + 1, 1)) return P2C_ERR_NOMEM;
  char *dst = f->buf + f->blen;
  memcpy(dst, a, na);
  memcpy(dst + na, b, nb);
  size_t n = na + nb;
  size_t i = hash_bytes(dst, n) & f->slot_mask;
  for (; f->slot[i]; i = (i + 1) & f->slot_mask) {
    size_t k = f->slot[i] - 1;
    if (f->len[k] == n && memcmp(f->buf + f->off[k], dst, n) == 0) return 0;
  }
  if (f->n == f->cap) {
    size_t c1 = f->cap, c2 = f->cap;
    if (p2ci_grow(&f->off, &c1, f->n + 1, sizeof *f->off) ||
        p2ci_grow(&f->len, &c2, f->n + 1, sizeof *f->len))
      return P2C_ERR_NOMEM;
    f->cap = c1 < c2 ? c1 : c2;
  }
  f->off[f->n] = (uint32_t)f->blen;
  f->len[f->n] = (uint32_t)n;
  f->slot[i] = (uint32_t)++f->n;
  f->blen += n;
  return 0;
}

static int apply_rules(const forms *src, const subst *rules, size_t nrules, forms *dst)
{
  forms_clear(dst);
  for (size_t k = 0; k < src->n; k++) {
    const char *s = src->buf + src->off[k];
    size_t n = src->len[k];
    for (size_t r = 0; r < nrules; r++) {
      size_t lo = strlen(rules[r].old);
      if (lo > n || memcmp(s + n - lo, rules[r].old, lo) != 0) continue;
      if (forms_add(dst, s, n - lo, rules[r].new_, strlen(rules[r].new_))) return P2C_ERR_NOMEM;
    }
  }
  return 0;
}

/* NLTK filter_forms: the forms that are lemmas of pos, first occurrences. */
static int filter_one(const p2ci_wordnet *wn, int pos, const char *s, size_t n, p2ci_wn_strs *out)
{
  const char *line = find_line(wn, pos, s, n, hash_bytes(s, n));
  if (!line) return 0;
  for (size_t k = 0; k < out->n; k++)
    if (out->v[k].ptr == line) return 0;
  return push_str(out, line, n);
}

static int filter_forms(const p2ci_wordnet *wn, int pos, const forms *f, p2ci_wn_strs *out)
{
  for (size_t k = 0; k < f->n; k++)
    if (filter_one(wn, pos, f->buf + f->off[k], f->len[k], out)) return P2C_ERR_NOMEM;
  return 0;
}

int p2ci_wordnet_morphy(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                        p2ci_wn_strs *out)
{
  out->n = 0;
  if (!wn || pos < 0 || pos >= P2CI_WORDNET_NPOS) return P2C_ERR_INVALID_ARG;
  if (len > P2CI_WORDNET_MAX_FORM) return P2C_OK;
  const exc_rec *e = find_exc(wn, pos, s, len);
  if (e) {
    if (filter_one(wn, pos, s, len, out)) return P2C_ERR_NOMEM;
    for (uint32_t k = 0; k < e->count; k++) {
      const p2ci_wn_str *v = &wn->exc_vals[e->start + k];
      if (filter_one(wn, pos, v->ptr, v->len, out)) return P2C_ERR_NOMEM;
    }
    return P2C_OK;
  }
  const subst *rules = pos == P2CI_WORDNET_NOUN ? noun_rules : pos == P2CI_WORDNET_VERB ? verb_rules : adj_rules;
  size_t nrules = pos == P2CI_WORDNET_NOUN  ? sizeof noun_rules / sizeof *noun_rules
                  : pos == P2CI_WORDNET_VERB ? sizeof verb_rules / sizeof *verb_rules
                  : pos == P2CI_WORDNET_ADJ  ? sizeof adj_rules / sizeof *adj_rules
                                        : 0;
  forms a = {0}, b = {0};
  int rc = P2C_ERR_NOMEM;
  if (forms_add(&a, s, len, "", 0)) goto done;
  if (apply_rules(&a, rules, nrules, &b)) goto done;
  if (filter_one(wn, pos, s, len, out) || filter_forms(wn, pos, &b, out)) goto done;
  while (out->n == 0 && b.n > 0) {
    forms t = a;
    a = b;
    b = t;
    if (apply_rules(&a, rules, nrules, &b) || filter_forms(wn, pos, &b, out)) goto done;
  }
  rc = P2C_OK;
done:
  forms_free(&a);
  forms_free(&b);
  return rc;
}

/* ---- synsets -------------------------------------------------------------------- */

int p2ci_wordnet_synsets(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                         p2ci_wn_synsets *out)
{
  out->n = 0;
  if (!wn || !s || pos < P2CI_WORDNET_ANY || pos >= P2CI_WORDNET_NPOS) return P2C_ERR_INVALID_ARG;
  if (p2ci_utf8_check(s, len) != len) return P2C_ERR_INVALID_ARG;
  /* Lowercasing shrinks UTF-8 by at most a third (3 bytes -> 2), so a longer
   * word cannot come down to a form morphy analyses. */
  if (len > P2CI_WORDNET_MAX_FORM / 2 * 3) return P2C_OK;
  char lower[P2CI_WORDNET_MAX_FORM * 3];
  size_t n = p2ci_pylower(s, len, lower);
  p2ci_wn_strs forms_out = {0};
  int rc = P2C_OK;
  for (int p = 0; p < P2CI_WORDNET_NPOS && rc == P2C_OK; p++) {
    if (pos != P2CI_WORDNET_ANY && p != pos) continue;
    if ((rc = p2ci_wordnet_morphy(wn, lower, n, p, &forms_out)) != 0) break;
    for (size_t k = 0; k < forms_out.n; k++) {
      const char *line = forms_out.v[k].ptr; /* morphy returns views of index lines */
      if (line_offsets(&wn->index[p], p, line, out) < 0) {
        rc = P2C_ERR_NOMEM;
        break;
      }
    }
  }
  p2ci_wn_strs_free(&forms_out);
  return rc;
}

/* The data line of ss, checked as NLTK checks it: the line at that byte offset
 * starts with the offset written in 8 digits. */
static int synset_line(const p2ci_wordnet *wn, p2ci_wn_synset ss, line_cursor *c)
{
  if (ss.pos < 0 || ss.pos >= P2CI_WORDNET_NPOS) return P2C_ERR_INVALID_ARG;
  const mapped *m = &wn->data[ss.pos];
  if ((size_t)ss.offset + 8 > m->len) return P2C_ERR_NOT_FOUND;
  const char *p = m->ptr + ss.offset, *end = m->ptr + m->len;
  uint32_t v;
  if (!parse_uint(p, 8, 10, &v) || v != ss.offset) return P2C_ERR_NOT_FOUND;
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  c->p = p;
  c->end = nl ? nl : end;
  const char *bar = memchr(p, '|', (size_t)(c->end - p));
  if (bar) c->end = bar;
  return P2C_OK;
}

char p2ci_wordnet_synset_type(const p2ci_wordnet *wn, p2ci_wn_synset ss)
{
  line_cursor c;
  const char *t;
  size_t n;
  if (synset_line(wn, ss, &c) != 0) return 0;
  if (!next_tok(&c, &t, &n) || !next_tok(&c, &t, &n) || !next_tok(&c, &t, &n) || n != 1) return 0;
  return t[0];
}

int p2ci_wordnet_lemma_names(const p2ci_wordnet *wn, p2ci_wn_synset ss, p2ci_wn_strs *out)
{
  out->n = 0;
  line_cursor c;
  int rc = synset_line(wn, ss, &c);
  if (rc) return rc;
  const char *t;
  size_t n;
  uint32_t w_cnt, lex_id;
  /* synset_offset lex_filenum ss_type w_cnt (2 hex digits) [word lex_id]... */
  if (!next_tok(&c, &t, &n) || !next_tok(&c, &t, &n) || !next_tok(&c, &t, &n) ||
      !next_tok(&c, &t, &n) || !parse_uint(t, n, 16, &w_cnt))
    return P2C_ERR_PARSE;
  for (uint32_t k = 0; k < w_cnt; k++) {
    if (!next_tok(&c, &t, &n)) return P2C_ERR_PARSE;
    const char *word = t;
    size_t wl = n;
    if (!next_tok(&c, &t, &n) || !parse_uint(t, n, 16, &lex_id)) return P2C_ERR_PARSE;
    /* NLTK: re.match(r"(.*?)(\(.*\))?$", name): cut a trailing "(...)" marker
     * at the first '(' when the word ends in ')'. */
    if (wl > 0 && word[wl - 1] == ')') {
      const char *open_paren = memchr(word, '(', wl);
      if (open_paren) wl = (size_t)(open_paren - word);
    }
    if (push_str(out, word, wl)) return P2C_ERR_NOMEM;
  }
  return P2C_OK;
}
