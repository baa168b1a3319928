/* METEOR as nltk.translate.meteor_score computes it (NLTK 3.8).
 *
 * Reproduced behaviour, each one visible in the goldens:
 *  - words: str.split() then str.lower() per word;
 *  - three stages, each on what the previous left: exact words, then Porter
 *    stems (NLTK's PorterStemmer), then WordNet: a reference word matches a
 *    hypothesis word when it is one of the underscore-free lemma names of the
 *    synsets of the hypothesis word, or the word itself. The stem stage hands
 *    its leftovers on *stemmed*, so WordNet sees stems ("larg", "automobil");
 *    and only hypothesis synsets are looked up (asymmetric);
 *  - every stage walks the hypothesis from its last word down, and for each
 *    word the remaining reference words from the last down, taking the first
 *    equal one (NLTK's _match_enums);
 *  - chunks counted on the matches sorted by hypothesis position;
 *  - P = m/len(hyp), R = m/len(ref), fmean = P*R / (alpha*P + (1-alpha)*R),
 *    penalty = gamma * pow(chunks/m, beta), score = (1 - penalty) * fmean,
 *    0.0 when NLTK divides by zero; the maximum over references.
 */
#include "metrics/meteor_nltk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "text/hash.h"
#include "text/porter_nltk.h"
#include "text/pystr.h"
#include "text/wordnet.h"

#define UNKNOWN UINT32_MAX

/* One interned string. lower/stem/syn are filled on first need. */
typedef struct entry {
  uint32_t off, len, hash;
  uint32_t lower;     /* id of str.lower(this), or UNKNOWN */
  uint32_t stem;      /* id of PorterStemmer().stem(this), or UNKNOWN */
  uint32_t syn_start; /* its synonym ids (sorted) at syn_pool[syn_start..] */
  uint32_t syn_count; /* UNKNOWN until computed */
  uint64_t syn_mask;  /* bit (id & 63) set for each synonym id: a quick "not in set" */
  uint32_t stamp;     /* match_equal: call number that set head */
  uint32_t head;      /* match_equal: last unmatched reference slot holding this word */
} entry;

typedef struct pos_word {
  uint32_t pos; /* position in the sentence (NLTK's enumerate index) */
  uint32_t w;   /* word id at the current stage */
} pos_word;

typedef struct match {
  uint32_t h, r;
} match;

struct p2c_meteor_nltk {
  p2ci_wordnet *wn;
  double alpha, beta, gamma;
  p2c_error err;
  /* interned strings */
  char *arena;
  size_t arena_len, arena_cap;
  entry *e;
  size_t n, cap;
  uint32_t *slot; /* id + 1, 0 = empty */
  size_t slot_mask;
  uint32_t *syn_pool;
  size_t syn_len, syn_cap;
  /* scratch, reused across calls */
  pos_word *hs, *rs;
  size_t hs_cap, rs_cap;
  match *mt;
  size_t mt_cap;
  uint32_t *next; /* match_equal's per-reference-slot links */
  size_t next_cap;
  uint32_t stamp;
  uint32_t *ids;
  size_t ids_cap;
  char *buf;
  size_t buf_cap;
  p2ci_wn_synsets syn_tmp;
  p2ci_wn_strs names_tmp;
};

/* ---- interning ---------------------------------------------------------- */

static int rehash(p2c_meteor_nltk *m)
{
  size_t size = m->slot ? 2 * (m->slot_mask + 1) : 4096;
  uint32_t *s = p2ci_calloc_array(size, sizeof *s);
  if (!s) return P2C_ERR_NOMEM;
  for (size_t k = 0; k < m->n; k++) {
    size_t i = m->e[k].hash & (size - 1);
    while (s[i]) i = (i + 1) & (size - 1);
    s[i] = (uint32_t)k + 1;
  }
  free(m->slot);
  m->slot = s;
  m->slot_mask = size - 1;
  return 0;
}

static int intern(p2c_meteor_nltk *m, const char *s, size_t len, uint32_t *id)
{
  if (len >= UINT32_MAX / 2) return P2C_ERR_LIMIT;
  uint32_t h = p2ci_hash32(s, len);
  size_t i = h & m->slot_mask;
  for (; m->slot[i]; i = (i + 1) & m->slot_mask) {
    const entry *e = &m->e[m->slot[i] - 1];
    if (e->hash == h && e->len == len && memcmp(m->arena + e->off, s, len) == 0) {
      *id = m->slot[i] - 1;
      return 0;
    }
  }
  if (m->n + 1 >= UNKNOWN || m->arena_len + len >= UINT32_MAX) return P2C_ERR_LIMIT;
  if (p2ci_grow(&m->e, &m->cap, m->n + 1, sizeof *m->e) ||
      p2ci_grow(&m->arena, &m->arena_cap, m->arena_len + len + 1, 1))
    return P2C_ERR_NOMEM;
  memcpy(m->arena + m->arena_len, s, len);
  entry *e = &m->e[m->n];
  e->off = (uint32_t)m->arena_len;
  e->len = (uint32_t)len;
  e->hash = h;
  e->lower = e->stem = e->syn_count = UNKNOWN;
  e->stamp = 0;
  e->syn_start = 0;
  m->arena_len += len;
  m->slot[i] = (uint32_t)(m->n + 1);
  *id = (uint32_t)m->n++;
  if (2 * m->n > m->slot_mask && rehash(m)) return P2C_ERR_NOMEM;
  return 0;
}

static int scratch_buf(p2c_meteor_nltk *m, size_t need)
{
  return p2ci_grow(&m->buf, &m->buf_cap, need, 1);
}

/* The lowercase id of a token already known to be valid UTF-8. */
static int word_id(p2c_meteor_nltk *m, const char *s, size_t len, uint32_t *id)
{
  uint32_t raw;
  int rc = intern(m, s, len, &raw);
  if (rc) return p2ci_error(&m->err, rc, "out of memory interning words");
  if (m->e[raw].lower == UNKNOWN) {
    if (scratch_buf(m, 2 * len + 1)) return p2ci_error(&m->err, P2C_ERR_NOMEM, "out of memory");
    size_t n = p2ci_pylower(s, len, m->buf);
    uint32_t low;
    if ((rc = intern(m, m->buf, n, &low)) != 0)
      return p2ci_error(&m->err, rc, "out of memory interning words");
    m->e[raw].lower = low;
    m->e[low].lower = low; /* str.lower is idempotent */
  }
  *id = m->e[raw].lower;
  return 0;
}

int p2ci_meteor_nltk_word(p2c_meteor_nltk *m, const char *s, size_t len, uint32_t *id)
{
  size_t bad = p2ci_utf8_check(s, len);
  if (bad != len)
    return p2ci_error(&m->err, P2C_ERR_PARSE, "invalid UTF-8 at byte %zu of the word '%.*s'", bad,
                      (int)(bad < 64 ? bad : 64), s);
  return word_id(m, s, len, id);
}

static int stem_of(p2c_meteor_nltk *m, uint32_t w, uint32_t *out)
{
  if (m->e[w].stem == UNKNOWN) {
    size_t len = m->e[w].len, n;
    if (scratch_buf(m, P2CI_PORTER_NLTK_OUT(len))) return P2C_ERR_NOMEM;
    /* the arena may move while interning: stem from a copy */
    char *copy = malloc(len + 1);
    if (!copy) return P2C_ERR_NOMEM;
    memcpy(copy, m->arena + m->e[w].off, len);
    int rc = p2ci_porter_nltk(copy, len, m->buf, &n);
    free(copy);
    uint32_t s;
    if (rc || (rc = intern(m, m->buf, n, &s))) return rc;
    m->e[w].stem = s;
  }
  *out = m->e[w].stem;
  return 0;
}

static int cmp_u32(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* The set NLTK builds in _enum_wordnetsyn_match for word w: the lemma names
 * without '_' of wordnet.synsets(w), plus w. Stored sorted, unique. */
static int synonyms_of(p2c_meteor_nltk *m, uint32_t w, const uint32_t **set, size_t *n,
                       uint64_t *mask)
{
  entry *e = &m->e[w];
  if (e->syn_count == UNKNOWN) {
    size_t len = e->len;
    char *copy = malloc(len + 1);
    if (!copy) return P2C_ERR_NOMEM;
    memcpy(copy, m->arena + e->off, len);
    int rc = p2ci_wordnet_synsets(m->wn, copy, len, P2CI_WORDNET_ANY, &m->syn_tmp);
    free(copy);
    if (rc) return rc;
    size_t start = m->syn_len;
    if (p2ci_grow(&m->syn_pool, &m->syn_cap, m->syn_len + 1, sizeof *m->syn_pool))
      return P2C_ERR_NOMEM;
    m->syn_pool[m->syn_len++] = w;
    for (size_t k = 0; k < m->syn_tmp.n; k++) {
      rc = p2ci_wordnet_lemma_names(m->wn, m->syn_tmp.v[k], &m->names_tmp);
      if (rc) return rc;
      for (size_t j = 0; j < m->names_tmp.n; j++) {
        const p2ci_wn_str *nm = &m->names_tmp.v[j];
        if (memchr(nm->ptr, '_', nm->len)) continue;
        uint32_t id;
        if ((rc = intern(m, nm->ptr, nm->len, &id)) != 0) return rc;
        if (p2ci_grow(&m->syn_pool, &m->syn_cap, m->syn_len + 1, sizeof *m->syn_pool))
          return P2C_ERR_NOMEM;
        m->syn_pool[m->syn_len++] = id;
      }
    }
    uint32_t *v = m->syn_pool + start;
    size_t cnt = m->syn_len - start, u = 0;
    qsort(v, cnt, sizeof *v, cmp_u32);
    for (size_t k = 0; k < cnt; k++)
      if (u == 0 || v[k] != v[u - 1]) v[u++] = v[k];
    m->syn_len = start + u;
    e = &m->e[w]; /* intern() may have moved the entries */
    e->syn_start = (uint32_t)start;
    e->syn_count = (uint32_t)u;
    e->syn_mask = 0;
    for (size_t k = 0; k < u; k++) e->syn_mask |= (uint64_t)1 << (v[k] & 63);
  }
  *set = m->syn_pool + e->syn_start;
  *n = e->syn_count;
  *mask = e->syn_mask;
  return 0;
}

static int in_set(const uint32_t *v, size_t n, uint32_t x)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid] < x)
      lo = mid + 1;
    else if (v[mid] > x)
      hi = mid;
    else
      return 1;
  }
  return 0;
}

/* ---- alignment ---------------------------------------------------------- */

/* Drop the entries marked with w == UNKNOWN, keeping order. */
static size_t compact(pos_word *v, size_t n)
{
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (v[i].w != UNKNOWN) v[k++] = v[i];
  return k;
}

/* NLTK _match_enums: the hypothesis from its end; for each word the first
 * equal reference word, also from the end, among those not yet matched. For
 * one word value that is always the highest unmatched reference position
 * holding it, so each value keeps a stack of its reference slots (head in its
 * entry, next[] here), built once: O(n) instead of NLTK's O(n^2) scan, same
 * pairs. */
static size_t match_equal(p2c_meteor_nltk *m, pos_word *h, size_t *nh, pos_word *r, size_t *nr,
                          match *out)
{
  uint32_t stamp = ++m->stamp;
  if (stamp == 0) { /* wrapped: forget every old stamp */
    for (size_t k = 0; k < m->n; k++) m->e[k].stamp = 0;
    stamp = m->stamp = 1;
  }
  uint32_t *next = m->next;
  for (size_t j = 0; j < *nr; j++) {
    entry *e = &m->e[r[j].w];
    next[j] = e->stamp == stamp ? e->head : UNKNOWN;
    e->head = (uint32_t)j;
    e->stamp = stamp;
  }
  size_t nm = 0;
  for (size_t i = *nh; i-- > 0;) {
    entry *e = &m->e[h[i].w];
    if (e->stamp != stamp || e->head == UNKNOWN) continue;
    uint32_t j = e->head;
    e->head = next[j];
    out[nm].h = h[i].pos;
    out[nm].r = r[j].pos;
    nm++;
    h[i].w = UNKNOWN;
    r[j].w = UNKNOWN;
  }
  *nh = compact(h, *nh);
  *nr = compact(r, *nr);
  return nm;
}

static int grow_scratch(p2c_meteor_nltk *m, size_t nh, size_t nr)
{
  if (p2ci_grow(&m->hs, &m->hs_cap, nh + 1, sizeof *m->hs) ||
      p2ci_grow(&m->rs, &m->rs_cap, nr + 1, sizeof *m->rs) ||
      p2ci_grow(&m->mt, &m->mt_cap, (nh < nr ? nh : nr) + 1, sizeof *m->mt) ||
      p2ci_grow(&m->next, &m->next_cap, nr + 1, sizeof *m->next))
    return P2C_ERR_NOMEM;
  return 0;
}

int p2ci_meteor_nltk_single(p2c_meteor_nltk *m, const uint32_t *hyp, size_t nh,
                            const uint32_t *ref, size_t nr, double *score)
{
  int rc;
  *score = 0.0;
  if (nh == 0 || nr == 0) return 0; /* NLTK: ZeroDivisionError -> 0.0 */
  if (nh >= UINT32_MAX || nr >= UINT32_MAX) return p2ci_error(&m->err, P2C_ERR_LIMIT, "caption too long");
  if ((rc = grow_scratch(m, nh, nr)) != 0) return p2ci_error(&m->err, rc, "out of memory");
  pos_word *h = m->hs, *r = m->rs;
  for (size_t i = 0; i < nh; i++) h[i] = (pos_word){(uint32_t)i, hyp[i]};
  for (size_t j = 0; j < nr; j++) r[j] = (pos_word){(uint32_t)j, ref[j]};
  size_t lh = nh, lr = nr;
  /* 1. exact */
  size_t nm = match_equal(m, h, &lh, r, &lr, m->mt);
  /* 2. Porter stems; the leftovers stay stemmed for stage 3 */
  if (lh && lr) {
    for (size_t i = 0; i < lh; i++)
      if ((rc = stem_of(m, h[i].w, &h[i].w)) != 0) goto oom;
    for (size_t j = 0; j < lr; j++)
      if ((rc = stem_of(m, r[j].w, &r[j].w)) != 0) goto oom;
    nm += match_equal(m, h, &lh, r, &lr, m->mt + nm);
  }
  /* 3. WordNet synonyms of the hypothesis word */
  for (size_t i = lh; i-- > 0 && lr > 0;) {
    const uint32_t *syn;
    size_t ns;
    uint64_t mask;
    if ((rc = synonyms_of(m, h[i].w, &syn, &ns, &mask)) != 0) goto oom;
    for (size_t j = lr; j-- > 0;) {
      uint32_t w = r[j].w;
      if (w != UNKNOWN && ((mask >> (w & 63)) & 1) && in_set(syn, ns, w)) {
        m->mt[nm].h = h[i].pos;
        m->mt[nm].r = r[j].pos;
        nm++;
        r[j].w = UNKNOWN;
        break;
      }
    }
  }
  if (nm == 0) return 0;
  /* sorted(..., key=hyp position): positions are distinct, so any sort gives
   * NLTK's order; insertion sort, as there are few matches */
  for (size_t i = 1; i < nm; i++) {
    match x = m->mt[i];
    size_t k = i;
    for (; k > 0 && m->mt[k - 1].h > x.h; k--) m->mt[k] = m->mt[k - 1];
    m->mt[k] = x;
  }
  size_t chunks = 1;
  for (size_t i = 0; i + 1 < nm; i++)
    if (!(m->mt[i + 1].h == m->mt[i].h + 1 && m->mt[i + 1].r == m->mt[i].r + 1)) chunks++;
  /* nltk single_meteor_score, same operations in the same order */
  double precision = (double)nm / (double)nh;
  double recall = (double)nm / (double)nr;
  double denom = m->alpha * precision + (1 - m->alpha) * recall;
  if (denom == 0.0) return 0;
  double fmean = (precision * recall) / denom;
  double frag_frac = (double)chunks / (double)nm;
  double penalty = m->gamma * pow(frag_frac, m->beta);
  *score = (1 - penalty) * fmean;
  return 0;
oom:
  if (rc == P2C_ERR_NOMEM) return p2ci_error(&m->err, rc, "out of memory");
  return p2ci_error(&m->err, rc, "WordNet lookup failed (%s)", p2c_strerror(rc));
}

/* ---- public API ---------------------------------------------------------- */

int p2c_meteor_nltk_create(const p2c_meteor_nltk_options *opts, p2c_meteor_nltk **out,
                           p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_meteor_nltk_create: out is NULL");
  *out = NULL;
  p2c_meteor_nltk_options def = P2C_METEOR_NLTK_OPTIONS_INIT;
  if (!opts) opts = &def;
  if (opts->version != P2C_METEOR_NLTK_OPTIONS_VERSION)
    return p2ci_error(err, P2C_ERR_VERSION, "p2c_meteor_nltk_options version %u (expected %u)",
                      opts->version, P2C_METEOR_NLTK_OPTIONS_VERSION);
  p2c_meteor_nltk *m = calloc(1, sizeof *m);
  if (!m) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  m->alpha = opts->alpha;
  m->beta = opts->beta;
  m->gamma = opts->gamma;
  int rc = p2ci_wordnet_open_shared(opts->wordnet_dir, &m->wn, err);
  if (rc) {
    free(m);
    return rc;
  }
  if (rehash(m)) {
    p2c_meteor_nltk_free(m);
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  p2ci_error_clear(&m->err);
  *out = m;
  return P2C_OK;
}

int p2c_meteor_nltk_clone(const p2c_meteor_nltk *src, p2c_meteor_nltk **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_meteor_nltk_clone: out is NULL");
  *out = NULL;
  if (!src) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_meteor_nltk_clone: src is NULL");
  p2c_meteor_nltk *m = calloc(1, sizeof *m);
  if (!m) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  m->alpha = src->alpha;
  m->beta = src->beta;
  m->gamma = src->gamma;
  m->wn = p2ci_wordnet_retain(src->wn);
  if (rehash(m)) {
    p2c_meteor_nltk_free(m);
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  *out = m;
  return P2C_OK;
}

void p2c_meteor_nltk_free(p2c_meteor_nltk *m)
{
  if (!m) return;
  p2ci_wordnet_free(m->wn);
  free(m->arena);
  free(m->e);
  free(m->slot);
  free(m->syn_pool);
  free(m->hs);
  free(m->rs);
  free(m->mt);
  free(m->next);
  free(m->ids);
  free(m->buf);
  p2ci_wn_synsets_free(&m->syn_tmp);
  p2ci_wn_strs_free(&m->names_tmp);
  free(m);
}

const char *p2c_meteor_nltk_last_error(const p2c_meteor_nltk *m)
{
  return m ? m->err.message : "";
}

/* Word ids of one caption (str.split words) into m->ids from index at; *n =
 * how many. */
static int caption_ids(p2c_meteor_nltk *m, const char *s, const char *what, size_t at, size_t *n)
{
  size_t len = strlen(s), bad = p2ci_utf8_check(s, len);
  if (bad != len)
    return p2ci_error(&m->err, P2C_ERR_PARSE, "%s: invalid UTF-8 at byte %zu", what, bad);
  size_t pos = 0, st, tl, k = at;
  while (p2ci_pysplit_next(s, len, &pos, &st, &tl)) {
    if (p2ci_grow(&m->ids, &m->ids_cap, k + 1, sizeof *m->ids))
      return p2ci_error(&m->err, P2C_ERR_NOMEM, "out of memory");
    int rc = word_id(m, s + st, tl, &m->ids[k]);
    if (rc) return rc;
    k++;
  }
  *n = k - at;
  return 0;
}

static int words_ids(p2c_meteor_nltk *m, const char *const *w, size_t nw, const char *what,
                     size_t at)
{
  if (nw && !w) return p2ci_error(&m->err, P2C_ERR_INVALID_ARG, "%s: NULL word list", what);
  if (p2ci_grow(&m->ids, &m->ids_cap, at + nw + 1, sizeof *m->ids))
    return p2ci_error(&m->err, P2C_ERR_NOMEM, "out of memory");
  for (size_t k = 0; k < nw; k++) {
    if (!w[k]) return p2ci_error(&m->err, P2C_ERR_INVALID_ARG, "%s: word %zu is NULL", what, k);
    int rc = p2ci_meteor_nltk_word(m, w[k], strlen(w[k]), &m->ids[at + k]);
    if (rc) return rc;
  }
  return 0;
}

/* max() over references keeps the first of equal values, as Python's does. */
static void keep_max(double s, size_t r, double *best)
{
  if (r == 0 || s > *best) *best = s;
}

int p2c_meteor_nltk_score(p2c_meteor_nltk *m, const char *const *refs, size_t n_refs,
                          const char *hyp, double *score)
{
  if (!m || !score) return P2C_ERR_INVALID_ARG;
  p2ci_error_clear(&m->err);
  if (n_refs == 0)
    return p2ci_error(&m->err, P2C_ERR_INVALID_ARG,
                      "no reference (NLTK raises ValueError: max() arg is an empty sequence)");
  if (!refs || !hyp) return p2ci_error(&m->err, P2C_ERR_INVALID_ARG, "NULL caption");
  size_t nh, nr;
  int rc = caption_ids(m, hyp, "hypothesis", 0, &nh);
  if (rc) return rc;
  double best = 0.0;
  for (size_t r = 0; r < n_refs; r++) {
    if (!refs[r]) return p2ci_error(&m->err, P2C_ERR_INVALID_ARG, "reference %zu is NULL", r);
    char what[48];
    snprintf(what, sizeof what, "reference %zu", r);
    if ((rc = caption_ids(m, refs[r], what, nh, &nr)) != 0) return rc;
    double s;
    if ((rc = p2ci_meteor_nltk_single(m, m->ids, nh, m->ids + nh, nr, &s)) != 0) return rc;
    keep_max(s, r, &best);
  }
  *score = best;
  return 0;
}

int p2c_meteor_nltk_score_words(p2c_meteor_nltk *m, const char *const *const *refs,
                                const size_t *ref_lens, size_t n_refs, const char *const *hyp,
                                size_t hyp_len, double *score)
{
  if (!m || !score) return P2C_ERR_INVALID_ARG;
  p2ci_error_clear(&m->err);
  if (n_refs == 0)
    return p2ci_error(&m->err, P2C_ERR_INVALID_ARG,
                      "no reference (NLTK raises ValueError: max() arg is an empty sequence)");
  if (!refs || !ref_lens) return p2ci_error(&m->err, P2C_ERR_INVALID_ARG, "NULL reference list");
  int rc = words_ids(m, hyp, hyp_len, "hypothesis", 0);
  if (rc) return rc;
  double best = 0.0;
  for (size_t r = 0; r < n_refs; r++) {
    if ((rc = words_ids(m, refs[r], ref_lens[r], "reference", hyp_len)) != 0) return rc;
    double s;
    rc = p2ci_meteor_nltk_single(m, m->ids, hyp_len, m->ids + hyp_len, ref_lens[r], &s);
    if (rc) return rc;
    keep_max(s, r, &best);
  }
  *score = best;
  return 0;
}
