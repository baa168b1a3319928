/* The WordNet store: maps and checks the dict files once, for the three
 * WordNet layers (see wordnet.h). NLTK's morphy and synsets are in
 * wordnet.c. */
#define _DEFAULT_SOURCE 1 /* MAP_POPULATE where the system has it */
#include "text/wordnet.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "text/hash.h"

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

static const char *const pos_file[P2CI_WORDNET_NPOS] = {"noun", "verb", "adj", "adv"};
static const char pos_chars[P2CI_WORDNET_NPOS] = {'n', 'v', 'a', 'r'};

typedef struct exc_rec {
  const char *s;
  uint32_t len, hash;
  uint32_t start, count; /* last line of the form: into wn->exc_vals */
  uint32_t first;        /* first line of the form: index in wn->exc_lines[pos] */
} exc_rec;

/* One line of a *.exc file, in file order. A form on several lines (noun.exc
 * has four, adj.exc one) chains them through next (index + 1, 0 = last). */
typedef struct exc_line {
  uint32_t rec;          /* index in wn->exc[pos] */
  uint32_t start, count; /* into wn->exc_vals */
  uint32_t next;
} exc_line;

/* Open-addressing table of record indices + 1 (0 = empty); mask = size - 1. */
typedef struct slots {
  uint32_t *v;
  size_t mask;
} slots;

/* One lemma string over the four index files: where its line is in each. */
typedef struct lemma_rec {
  uint32_t line[P2CI_WORDNET_NPOS]; /* byte offset + 1 in index.<pos>, 0 = not there */
  uint16_t len;    /* WordNet 3.0's longest lemma has 71 bytes */
  uint8_t key_pos; /* a part of speech whose line spells the lemma */
} lemma_rec;

/* Open-addressing slot of the lemma table: record index + 1 (0 = empty) and
 * the key's hash, so that a probe rarely touches a record or a mapped line. */
typedef struct lemma_slot {
  uint32_t rec, hash;
} lemma_slot;

typedef struct mapped {
  char *ptr;
  size_t len;
  int is_mmap;
} mapped;

struct p2ci_wordnet {
  atomic_uint refs; /* p2ci_wordnet_retain / p2ci_wordnet_free */
  char *dir;
  int shared;                /* listed in shared_handles (p2ci_wordnet_open_shared) */
  p2ci_wordnet *next_shared; /* guarded by shared_lock */
  mapped index[P2CI_WORDNET_NPOS], exc_file[P2CI_WORDNET_NPOS], data[P2CI_WORDNET_NPOS];
  /* One table for the four index files: a lemma's lines in each. The
   * lemma string and its synset offsets are read from the mapped lines when
   * needed, so opening allocates little (fresh pages are what loading costs
   * most), and a word is looked up once for all parts of speech. */
  lemma_rec *lemmas;
  size_t n_lemmas;
  lemma_slot *lemma_slots;
  size_t lemma_mask;
  exc_rec *exc[P2CI_WORDNET_NPOS];
  size_t n_exc[P2CI_WORDNET_NPOS];
  exc_line *exc_lines[P2CI_WORDNET_NPOS];
  size_t n_exc_lines[P2CI_WORDNET_NPOS];
  slots exc_slots[P2CI_WORDNET_NPOS];
  p2ci_wn_str *exc_vals;
  size_t n_exc_vals, cap_exc_vals;
};

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
  if (m->len == 0) {
    m->ptr = NULL;
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

/* The slot of lemma s: its record, or the empty slot where it would go. */
static size_t lemma_slot_of(const p2ci_wordnet *wn, const char *s, size_t len, uint32_t h)
{
  for (size_t i = h & wn->lemma_mask;; i = (i + 1) & wn->lemma_mask) {
    const lemma_slot *sl = &wn->lemma_slots[i];
    if (!sl->rec) return i;
    if (sl->hash != h) continue;
    const lemma_rec *r = &wn->lemmas[sl->rec - 1];
    if (r->len == len && memcmp(wn->index[r->key_pos].ptr + r->line[r->key_pos] - 1, s, len) == 0)
      return i;
  }
}

static const lemma_rec *find_lemma(const p2ci_wordnet *wn, const char *s, size_t len, uint32_t h)
{
  uint32_t k = wn->lemma_slots[lemma_slot_of(wn, s, len, h)].rec;
  return k ? &wn->lemmas[k - 1] : NULL;
}

static const char *rec_line(const p2ci_wordnet *wn, const lemma_rec *r, int pos)
{
  return r && r->line[pos] ? wn->index[pos].ptr + (r->line[pos] - 1) : NULL;
}

/* The index line of lemma s in index.<pos>, or NULL. */
static const char *find_line(const p2ci_wordnet *wn, int pos, const char *s, size_t len, uint32_t h)
{
  return rec_line(wn, find_lemma(wn, s, len, h), pos);
}

static const exc_rec *find_exc(const p2ci_wordnet *wn, int pos, const char *s, size_t len)
{
  const slots *t = &wn->exc_slots[pos];
  uint32_t h = p2ci_hash32(s, len);
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
  const char *p = m->ptr, *end = m->ptr + m->len;
  size_t lineno = 0;
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
    if (len > UINT16_MAX)
      return p2ci_error(err, P2C_ERR_PARSE, "WordNet file %s/index.%s, line %zu: malformed entry",
                        wn->dir, pos_file[pos], lineno);
    uint32_t h = p2ci_hash32(line, len);
    size_t i = lemma_slot_of(wn, line, len, h);
    lemma_slot *sl = &wn->lemma_slots[i];
    if (!sl->rec) { /* the table has room for every line of the four files */
      lemma_rec *r = &wn->lemmas[wn->n_lemmas++];
      memset(r, 0, sizeof *r);
      r->len = (uint16_t)len;
      r->key_pos = (uint8_t)pos;
      sl->rec = (uint32_t)wn->n_lemmas;
      sl->hash = h;
    }
    wn->lemmas[sl->rec - 1].line[pos] = (uint32_t)(line - m->ptr) + 1;
  }
  return P2C_OK;
}

/* The lemma table, sized for one lemma per line of the four index files. */
static int init_lemmas(p2ci_wordnet *wn, p2c_error *err)
{
  size_t lines = 0;
  for (int pos = 0; pos < P2CI_WORDNET_NPOS; pos++) {
    if (wn->index[pos].len >= UINT32_MAX)
      return p2ci_error(err, P2C_ERR_LIMIT, "WordNet file %s/index.%s: too large", wn->dir,
                        pos_file[pos]);
    lines += count_lines(&wn->index[pos]);
  }
  /* Load factor at most 2/3: every probe of a run shares a cache line or two,
   * and fewer fresh pages is what makes opening fast. */
  size_t size = 16;
  while (size < lines + lines / 2 + 1) size *= 2;
  wn->lemmas = p2ci_malloc_array(lines, sizeof *wn->lemmas);
  wn->lemma_slots = p2ci_calloc_array(size, sizeof *wn->lemma_slots);
  wn->lemma_mask = size - 1;
  if (!wn->lemmas || !wn->lemma_slots) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  return P2C_OK;
}

/* <pos>.exc: "form base..." per line; a repeated form keeps its last line, as
 * NLTK's dict assignment does. */
static int load_exc(p2ci_wordnet *wn, int pos, p2c_error *err)
{
  const mapped *m = &wn->exc_file[pos];
  size_t nlines = count_lines(m);
  wn->exc[pos] = p2ci_malloc_array(nlines, sizeof(exc_rec));
  wn->exc_lines[pos] = p2ci_malloc_array(nlines, sizeof(exc_line));
  if (!wn->exc[pos] || !wn->exc_lines[pos] || slots_init(&wn->exc_slots[pos], nlines) != 0)
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
    uint32_t h = p2ci_hash32(key, key_len);
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
    exc_line *ln = &wn->exc_lines[pos][wn->n_exc_lines[pos]];
    ln->start = start;
    ln->count = count;
    ln->next = 0;
    if (!r) {
      r = &wn->exc[pos][wn->n_exc[pos]++];
      r->s = key;
      r->len = (uint32_t)key_len;
      r->hash = h;
      r->first = (uint32_t)wn->n_exc_lines[pos];
      sl->v[i] = (uint32_t)wn->n_exc[pos];
    } else {
      uint32_t k = r->first;
      while (wn->exc_lines[pos][k].next) k = wn->exc_lines[pos][k].next - 1;
      wn->exc_lines[pos][k].next = (uint32_t)wn->n_exc_lines[pos] + 1;
    }
    ln->rec = (uint32_t)(r - wn->exc[pos]);
    wn->n_exc_lines[pos]++;
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
  if ((rc = init_lemmas(wn, err)) != 0) goto fail;
  for (int pos = 0; pos < P2CI_WORDNET_NPOS; pos++) {
    if ((rc = load_index(wn, pos, err)) != 0) goto fail;
    if ((rc = load_exc(wn, pos, err)) != 0) goto fail;
  }
  if (wn->n_lemmas == 0) {
    rc = p2ci_error(err, P2C_ERR_PARSE, "WordNet folder %s: the index files hold no lemma", dir);
    goto fail;
  }
  *out = wn;
  return P2C_OK;
fail:
  p2ci_wordnet_free(wn);
  return rc;
}

/* Open handles made by p2ci_wordnet_open_shared. The lock also covers the
 * last release of such a handle, so a lookup never retains a dying one. */
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static p2ci_wordnet *shared_handles;

int p2ci_wordnet_open_shared(const char *dir_opt, p2ci_wordnet **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2ci_wordnet_open_shared: out is NULL");
  *out = NULL;
  const char *dir = p2ci_wordnet_resolve_dir(dir_opt);
  int rc = P2C_OK;
  pthread_mutex_lock(&shared_lock);
  for (p2ci_wordnet *wn = shared_handles; wn; wn = wn->next_shared)
    if (strcmp(wn->dir, dir) == 0) {
      *out = p2ci_wordnet_retain(wn);
      break;
    }
  if (!*out && (rc = p2ci_wordnet_open(dir, out, err)) == P2C_OK) {
    (*out)->shared = 1;
    (*out)->next_shared = shared_handles;
    shared_handles = *out;
  }
  pthread_mutex_unlock(&shared_lock);
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
  if (wn->shared) {
    pthread_mutex_lock(&shared_lock);
    int last = atomic_fetch_sub_explicit(&wn->refs, 1u, memory_order_acq_rel) == 1;
    if (last) {
      p2ci_wordnet **p = &shared_handles;
      while (*p != wn) p = &(*p)->next_shared;
      *p = wn->next_shared;
    }
    pthread_mutex_unlock(&shared_lock);
    if (!last) return;
  } else if (atomic_fetch_sub_explicit(&wn->refs, 1u, memory_order_acq_rel) != 1) {
    return;
  }
  for (int pos = 0; pos < P2CI_WORDNET_NPOS; pos++) {
    unmap_file(&wn->index[pos]);
    unmap_file(&wn->exc_file[pos]);
    unmap_file(&wn->data[pos]);
    free(wn->exc[pos]);
    free(wn->exc_slots[pos].v);
    free(wn->exc_lines[pos]);
  }
  free(wn->exc_vals);
  free(wn->lemmas);
  free(wn->lemma_slots);
  free(wn->dir);
  free(wn);
}

const char *p2ci_wordnet_dir(const p2ci_wordnet *wn) { return wn ? wn->dir : ""; }

size_t p2ci_wordnet_num_lemmas(const p2ci_wordnet *wn) { return wn ? wn->n_lemmas : 0; }

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
  const lemma_rec *r = find_lemma(wn, s, len, p2ci_hash32(s, len));
  if (!r || pos == P2CI_WORDNET_ANY) return r != NULL;
  return pos >= 0 && pos < P2CI_WORDNET_NPOS && r->line[pos] != 0;
}

int p2ci_wordnet_index_synsets(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                               p2ci_wn_synsets *out)
{
  out->n = 0;
  if (!wn || pos < P2CI_WORDNET_ANY || pos >= P2CI_WORDNET_NPOS) return P2C_ERR_INVALID_ARG;
  const lemma_rec *r = find_lemma(wn, s, len, p2ci_hash32(s, len));
  for (int p = 0; r && p < P2CI_WORDNET_NPOS; p++) {
    const char *line = rec_line(wn, r, p);
    if ((pos == P2CI_WORDNET_ANY || pos == p) && line &&
        line_offsets(&wn->index[p], p, line, out) < 0)
      return P2C_ERR_NOMEM;
  }
  return P2C_OK;
}

const char *p2ci_wordnet_index_line(const p2ci_wordnet *wn, const char *s, size_t len, int pos)
{
  if (!wn || pos < 0 || pos >= P2CI_WORDNET_NPOS) return NULL;
  return find_line(wn, pos, s, len, p2ci_hash32(s, len));
}

int p2ci_wordnet_line_synsets(const p2ci_wordnet *wn, int pos, const char *line,
                              p2ci_wn_synsets *out)
{
  return line_offsets(&wn->index[pos], pos, line, out) < 0 ? P2C_ERR_NOMEM : P2C_OK;
}

int p2ci_wordnet_exc_last(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                          const p2ci_wn_str **bases, size_t *n)
{
  const exc_rec *r = wn && pos >= 0 && pos < P2CI_WORDNET_NPOS ? find_exc(wn, pos, s, len) : NULL;
  *bases = r ? wn->exc_vals + r->start : NULL;
  *n = r ? r->count : 0;
  return r != NULL;
}

int p2ci_wordnet_exc_bases(const p2ci_wordnet *wn, const char *s, size_t len, int pos,
                           p2ci_wn_strs *out)
{
  out->n = 0;
  if (!wn || pos < 0 || pos >= P2CI_WORDNET_NPOS) return P2C_ERR_INVALID_ARG;
  const exc_rec *r = find_exc(wn, pos, s, len);
  for (uint32_t k = r ? r->first + 1 : 0; k; k = wn->exc_lines[pos][k - 1].next) {
    const exc_line *ln = &wn->exc_lines[pos][k - 1];
    for (uint32_t j = 0; j < ln->count; j++) {
      const p2ci_wn_str *v = &wn->exc_vals[ln->start + j];
      if (push_str(out, v->ptr, v->len)) return P2C_ERR_NOMEM;
    }
  }
  return P2C_OK;
}

int p2ci_wordnet_next_exc_line(const p2ci_wordnet *wn, int pos, size_t *cursor, p2ci_wn_str *form,
                               const p2ci_wn_str **bases, size_t *n)
{
  if (!wn || pos < 0 || pos >= P2CI_WORDNET_NPOS || *cursor >= wn->n_exc_lines[pos]) return 0;
  const exc_line *ln = &wn->exc_lines[pos][(*cursor)++];
  const exc_rec *r = &wn->exc[pos][ln->rec];
  form->ptr = r->s;
  form->len = r->len;
  *bases = wn->exc_vals + ln->start;
  *n = ln->count;
  return 1;
}

int p2ci_wordnet_next_index_entry(const p2ci_wordnet *wn, int pos, size_t *cursor,
                                  p2ci_wn_str *lemma, uint32_t *tagsense_cnt,
                                  p2ci_wn_synsets *offsets)
{
  if (!wn || pos < 0 || pos >= P2CI_WORDNET_NPOS) return P2C_ERR_INVALID_ARG;
  const mapped *m = &wn->index[pos];
  const char *end = m->ptr + m->len;
  while (*cursor < m->len) {
    const char *line = m->ptr + *cursor;
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    const char *le = nl ? nl : end;
    *cursor = (size_t)((nl ? nl + 1 : end) - m->ptr);
    if (line == le || *line == ' ') continue; /* licence; lines were checked at open */
    offsets->n = 0;
    long n_syn = line_offsets_to(line, le, pos, offsets);
    if (n_syn < 0) return P2C_ERR_NOMEM;
    /* tagsense_cnt is the field just before the n_syn offsets. */
    const char *r = le;
    for (long k = 0; k <= n_syn; k++) {
      while (r > line && (r[-1] == ' ' || r[-1] == '\r')) r--;
      if (k == n_syn) break;
      while (r > line && r[-1] != ' ') r--;
    }
    const char *t = r;
    while (t > line && is_digit(t[-1])) t--;
    uint32_t tagged = 0;
    for (; t < r && tagged < 100000000u; t++) tagged = tagged * 10 + (uint32_t)(*t - '0');
    lemma->ptr = line;
    lemma->len = lemma_token_len(m, line);
    *tagsense_cnt = tagged;
    return 1;
  }
  return 0;
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
