/* The official mAP's METEOR: NLTK 3.8 meteor_score(references, hypothesis)
 * with hypothesis = the GT caption's str.split() words and references =
 * [x.split() for x in prediction]: for a string prediction that is one
 * reference per character (a letter becomes a one-word reference, a space an
 * empty one), for a list-valued prediction one reference per element.
 *
 * single_meteor_score as nltk/translate/meteor_score.py (3.8): tokens
 * lowercased with str.lower; exact, then Porter-stem, then WordNet-synonym
 * matching (each stage pops what it matched, scanning hypothesis and
 * reference words from the end; later stages see the stemmed words); matches
 * sorted by hypothesis position; P = m/L, R = m/len(ref), fmean = P*R /
 * (0.9 P + (1 - 0.9) R), penalty 0.5 * (chunks/m) ** 3; 0 on any division
 * by zero. The score is the max over references. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "protocol/evaluator.h"
#include "text/hash.h"
#include "text/porter_nltk.h"
#include "text/pystr.h"
#include "text/wordnet.h"

/* Per distinct (lowercased) word: its stem, and the synonyms NLTK gathers
 * for that stem (lemma names without '_', plus the stem itself). */
typedef struct entry {
  char *word, *stem;
  char **syn;
  size_t nsyn;
  /* the word and its synonyms of at most 8 bytes, packed into integers: the
   * only tokens a one-letter reference can be */
  uint64_t *shortk;
  size_t nshort;
  struct entry *next;
} entry;

/* A string of at most 8 bytes as an integer (0 for a longer one). */
static uint64_t pack8(const char *s, size_t len)
{
  uint64_t k = 0;
  if (len == 0 || len > 8) return 0;
  memcpy(&k, s, len);
  return k;
}

struct p2ci_meteor_cache {
  p2ci_wordnet *wn;
  entry **bucket;
  size_t nbucket, n;
  p2ci_wn_synsets ss;
  p2ci_wn_strs names;
};

void p2ci_meteor_cache_free(p2ci_meteor_cache *c)
{
  if (!c) return;
  for (size_t b = 0; b < c->nbucket; b++)
    for (entry *e = c->bucket[b], *nx; e; e = nx) {
      nx = e->next;
      for (size_t k = 0; k < e->nsyn; k++) free(e->syn[k]);
      free(e->syn);
      free(e->shortk);
      free(e->word);
      free(e->stem);
      free(e);
    }
  free(c->bucket);
  p2ci_wn_synsets_free(&c->ss);
  p2ci_wn_strs_free(&c->names);
  p2ci_wordnet_free(c->wn);
  free(c);
}

static int cache_open(p2c_evaluator *ev)
{
  if (ev->meteor) return P2C_OK;
  p2ci_meteor_cache *c = calloc(1, sizeof *c);
  if (!c) return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  c->nbucket = 4096;
  c->bucket = calloc(c->nbucket, sizeof *c->bucket);
  if (!c->bucket) {
    free(c);
    return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  }
  p2c_error e;
  int rc = p2ci_wordnet_open(ev->opts.wordnet_dir, &c->wn, &e);
  if (rc != P2C_OK) {
    p2ci_meteor_cache_free(c);
    return p2ci_error(&ev->err, rc, "WordNet for the official mAP METEOR: %s", e.message);
  }
  ev->meteor = c;
  return P2C_OK;
}

static int has_syn(const entry *e, const char *w, size_t len)
{
  for (size_t k = 0; k < e->nsyn; k++)
    if (strlen(e->syn[k]) == len && !memcmp(e->syn[k], w, len)) return 1;
  return 0;
}

/* The entry of a lowercased word, computed on first use. NULL when out of
 * memory or on a WordNet error (err set). */
static entry *lookup(p2c_evaluator *ev, const char *w, size_t len)
{
  p2ci_meteor_cache *c = ev->meteor;
  const size_t b = (size_t)(p2ci_hash_bytes(w, len) % c->nbucket);
  for (entry *e = c->bucket[b]; e; e = e->next)
    if (strlen(e->word) == len && !memcmp(e->word, w, len)) return e;
  entry *e = calloc(1, sizeof *e);
  char *stem = malloc(P2CI_PORTER_NLTK_OUT(len) + 1);
  if (!e || !stem || !(e->word = p2ci_strndup(w, len))) goto oom;
  size_t sl = 0;
  if (p2ci_porter_nltk(w, len, stem, &sl) != P2C_OK) goto oom;
  stem[sl] = '\0';
  e->stem = stem;
  stem = NULL;
  /* wordnet.synsets(stem): every synset's lemma names without '_' */
  if (p2ci_wordnet_synsets(c->wn, e->stem, sl, P2CI_WN_ANY, &c->ss) != P2C_OK) goto oom;
  size_t cap = 0;
  for (size_t s = 0; s < c->ss.n; s++) {
    int rc = p2ci_wordnet_lemma_names(c->wn, c->ss.v[s], &c->names);
    if (rc != P2C_OK) {
      p2ci_error(&ev->err, rc, "WordNet: cannot read a synset of '%s'", e->stem);
      goto fail;
    }
    for (size_t k = 0; k < c->names.n; k++) {
      const p2ci_wn_str *nm = &c->names.v[k];
      if (memchr(nm->ptr, '_', nm->len) || has_syn(e, nm->ptr, nm->len)) continue;
      if (p2ci_grow(&e->syn, &cap, e->nsyn + 1, sizeof *e->syn) != P2C_OK) goto oom;
      if (!(e->syn[e->nsyn] = p2ci_strndup(nm->ptr, nm->len))) goto oom;
      e->nsyn++;
    }
  }
  if (!has_syn(e, e->stem, sl)) { /* .union({word}) */
    if (p2ci_grow(&e->syn, &cap, e->nsyn + 1, sizeof *e->syn) != P2C_OK) goto oom;
    if (!(e->syn[e->nsyn] = p2ci_strdup(e->stem))) goto oom;
    e->nsyn++;
  }
  e->shortk = p2ci_malloc_array(e->nsyn + 1, sizeof *e->shortk);
  if (!e->shortk) goto oom;
  if (pack8(e->word, len)) e->shortk[e->nshort++] = pack8(e->word, len);
  for (size_t k = 0; k < e->nsyn; k++) {
    uint64_t v = pack8(e->syn[k], strlen(e->syn[k]));
    if (v) e->shortk[e->nshort++] = v;
  }
  e->next = c->bucket[b];
  c->bucket[b] = e;
  return e;
oom:
  p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
fail:
  free(stem);
  if (e) {
    for (size_t k = 0; k < e->nsyn; k++) free(e->syn[k]);
    free(e->syn);
    free(e->shortk);
    free(e->word);
    free(e->stem);
    free(e);
  }
  return NULL;
}

typedef struct tok {
  int idx;
  const char *s; /* lowercased (hypothesis: then stemmed), NUL-terminated */
  const entry *e; /* hypothesis words: the cache entry */
} tok;

typedef struct match {
  int h, r;
} match;

/* _match_enums: hypothesis from the end, reference from the end, first equal
 * pair wins; both are popped. */
static size_t match_stage(tok *h, size_t *nh, tok *r, size_t *nr, match *out, size_t nout)
{
  for (size_t i = *nh; i-- > 0;)
    for (size_t j = *nr; j-- > 0;)
      if (!strcmp(h[i].s, r[j].s)) {
        out[nout++] = (match){h[i].idx, r[j].idx};
        memmove(&h[i], &h[i + 1], (*nh - i - 1) * sizeof *h);
        memmove(&r[j], &r[j + 1], (*nr - j - 1) * sizeof *r);
        (*nh)--, (*nr)--;
        break;
      }
  return nout;
}

static int by_h(const void *a, const void *b)
{
  const match *x = a, *y = b;
  return (x->h > y->h) - (x->h < y->h);
}

/* The score of nm matches in chunks chunks, hypothesis length L, reference
 * length R, in NLTK's float order. */
static double meteor_value(size_t nm, size_t L, size_t R, size_t chunks)
{
  const double alpha = 0.9, beta = 3, gamma = 0.5;
  const double precision = (double)nm / (double)L;
  const double recall = (double)nm / (double)R;
  const double fmean = (precision * recall) / (alpha * precision + (1 - alpha) * recall);
  const double frag = (double)chunks / (double)nm;
  const double penalty = gamma * pow(frag, beta);
  return (1 - penalty) * fmean;
}

/* single_meteor_score on lowercased word lists. ref words are stemmed here
 * (ref_stems: their stems, computed by the caller). */
static double single_score(tok *h, size_t L, tok *r, size_t R, char **ref_stems, match *m)
{
  if (L == 0 || R == 0) return 0.0;
  size_t nh = L, nr = R, nm = 0;
  nm = match_stage(h, &nh, r, &nr, m, nm);
  /* the stem stage (and the WordNet one after it) sees stemmed words */
  for (size_t i = 0; i < nh; i++) h[i].s = h[i].e->stem;
  for (size_t j = 0; j < nr; j++) r[j].s = ref_stems[r[j].idx];
  nm = match_stage(h, &nh, r, &nr, m, nm);
  for (size_t i = nh; i-- > 0;)
    for (size_t j = nr; j-- > 0;)
      if (has_syn(h[i].e, r[j].s, strlen(r[j].s))) {
        m[nm++] = (match){h[i].idx, r[j].idx};
        memmove(&h[i], &h[i + 1], (nh - i - 1) * sizeof *h);
        memmove(&r[j], &r[j + 1], (nr - j - 1) * sizeof *r);
        nh--, nr--;
        break;
      }
  if (nm == 0) return 0.0;
  /* sorted(..., key=hypothesis index): indices are distinct, any sort will do */
  qsort(m, nm, sizeof *m, by_h);
  size_t chunks = 1;
  for (size_t i = 0; i + 1 < nm; i++)
    if (!(m[i + 1].h == m[i].h + 1 && m[i + 1].r == m[i].r + 1)) chunks++;
  return meteor_value(nm, L, R, chunks);
}

/* Lowercased str.split() words of s, NUL-terminated copies in one buffer. */
static int words_of(const char *s, char **buf, char ***w, size_t *n)
{
  const size_t len = strlen(s);
  *buf = malloc(2 * len + len + 1);
  *w = p2ci_malloc_array(len / 2 + 1, sizeof **w);
  *n = 0;
  if (!*buf || !*w) return P2C_ERR_NOMEM;
  size_t pos = 0, st, tl, o = 0;
  while (p2ci_pysplit_next(s, len, &pos, &st, &tl)) {
    (*w)[(*n)++] = *buf + o;
    o += p2ci_pylower(s + st, tl, *buf + o);
    (*buf)[o++] = '\0';
  }
  return P2C_OK;
}

int p2ci_official_record_meteor(p2c_evaluator *ev, const ev_record *r, double *out)
{
  *out = 0.0;
  int rc = cache_open(ev);
  if (rc != P2C_OK) return rc;
  const char *gt = p2ci_text(ev, r->gt_caption);
  const char *pred = p2ci_text(ev, r->pred_caption);
  if (!gt || !pred) return P2C_OK; /* not reached: both are checked when added */
  if (p2ci_utf8_check(gt, strlen(gt)) != strlen(gt) || p2ci_utf8_check(pred, strlen(pred)) != strlen(pred))
    return p2ci_error(&ev->err, P2C_ERR_PARSE, "a caption is not valid UTF-8");
  char *hbuf = NULL, **hw = NULL;
  size_t L = 0;
  tok *h = NULL, *hcopy = NULL, *rt = NULL;
  match *m = NULL;
  char *rbuf = NULL, **rw = NULL, **rstem = NULL;
  size_t R = 0;
  if ((rc = words_of(gt, &hbuf, &hw, &L)) != P2C_OK) goto done;
  h = p2ci_malloc_array(L + 1, sizeof *h);
  hcopy = p2ci_malloc_array(L + 1, sizeof *hcopy);
  if (!h || !hcopy) {
    rc = P2C_ERR_NOMEM;
    goto done;
  }
  for (size_t i = 0; i < L; i++) {
    const entry *e = lookup(ev, hw[i], strlen(hw[i]));
    if (!e) {
      rc = ev->err.code ? ev->err.code : P2C_ERR_NOMEM;
      goto done;
    }
    h[i] = (tok){(int)i, hw[i], e};
  }
  if (r->pred_is_list) {
    /* one reference per element, each split into words */
    const char *el = pred;
    double best = 0.0;
    for (uint32_t k = 0; k < r->pred_list_len; k++, el += strlen(el) + 1) {
      free(rbuf), free(rw), free(rstem), free(rt), free(m);
      rbuf = NULL, rw = NULL, rstem = NULL, rt = NULL, m = NULL;
      if ((rc = words_of(el, &rbuf, &rw, &R)) != P2C_OK) goto done;
      rstem = p2ci_calloc_array(R + 1, sizeof *rstem);
      rt = p2ci_malloc_array(R + 1, sizeof *rt);
      m = p2ci_malloc_array(L + R + 1, sizeof *m);
      if (!rstem || !rt || !m) {
        rc = P2C_ERR_NOMEM;
        goto done;
      }
      for (size_t j = 0; j < R; j++) {
        const entry *e = lookup(ev, rw[j], strlen(rw[j]));
        if (!e) {
          rc = ev->err.code ? ev->err.code : P2C_ERR_NOMEM;
          goto done;
        }
        rstem[j] = e->stem;
        rt[j] = (tok){(int)j, rw[j], NULL};
      }
      memcpy(hcopy, h, L * sizeof *h);
      double s = single_score(hcopy, L, rt, R, rstem, m);
      if (s > best) best = s;
      free(rstem);
      rstem = NULL;
    }
    *out = best;
  } else {
    /* One reference per character. A letter's reference is one token t =
     * lower(letter) (a space gives an empty reference, score 0): the exact,
     * stem (stem(t) = t for one or two code points) and synonym stages then
     * match it iff t is a GT word, the stem of one, or a synonym of such a
     * stem, and a match scores NLTK's single-match value for L words. */
    const size_t plen = strlen(pred);
    size_t pos = 0;
    uint32_t cp;
    char low[16];
    int found = 0;
    while (!found && pos < plen && p2ci_utf8_next(pred, plen, &pos, &cp)) {
      if (p2ci_pyspace(cp)) continue;
      char one[4];
      size_t ol = p2ci_utf8_put(cp, one);
      const uint64_t t = pack8(low, p2ci_pylower(one, ol, low));
      for (size_t i = 0; i < L && !found; i++)
        for (size_t k = 0; k < h[i].e->nshort && !found; k++) found = h[i].e->shortk[k] == t;
    }
    if (found) *out = meteor_value(1, L, 1, 1);
  }
done:
  free(hbuf), free(hw), free(h), free(hcopy), free(rt), free(m), free(rbuf), free(rw), free(rstem);
  if (rc == P2C_ERR_NOMEM) return p2ci_error(&ev->err, rc, "out of memory");
  return rc;
}
