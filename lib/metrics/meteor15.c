/* The METEOR 1.5 handle: pycocoevalcap's line building, METEOR's reading of
 * the line, normalization, per-token features, alignment against each
 * reference and the best-reference choice (MeteorScorer.getMeteorStats). */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/meteor15.h"
#include "text/java_string.h"
#include "text/meteor_data.h"
#include "text/meteor_normalizer.h"
#include "text/snowball_english.h"
#include "text/wordnet.h"

typedef struct side {
  char *text; /* own copy of the normalized line */
  size_t cap_text;
  p2ci_m15_token *tok;
  size_t cap_tok, n;
  int32_t *syn;
  size_t cap_syn, num_syn;
  size_t *syn_off;
  size_t cap_off;
} side;

/* What create loads: read-only afterwards, shared by clones (reference-counted). */
typedef struct m15_res {
  atomic_int refs;
  p2ci_meteor_normalizer *norm;
  p2ci_m15_synonyms *syn;
  p2ci_m15_paraphrase *para;
  p2ci_strmap function_words;
} m15_res;

struct p2c_meteor15 {
  m15_res *res;
  /* working memory of this handle */
  p2ci_meteor_scratch *scratch;
  p2ci_m15_aligner *aligner;
  side hyp, ref;
  int32_t *setbuf;
  size_t cap_setbuf;
  char *stembuf;
  size_t cap_stembuf;
  char *lowbuf;
  size_t cap_lowbuf;
  int line_mode;
  p2c_error last;
};

static int fail(p2c_meteor15 *m, int code, const char *fmt, ...) P2CI_PRINTF(3, 4);
static int fail(p2c_meteor15 *m, int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  p2ci_verror(&m->last, code, fmt, ap);
  va_end(ap);
  return code;
}

static void side_free(side *s)
{
  free(s->text);
  free(s->tok);
  free(s->syn);
  free(s->syn_off);
}

static void res_release(m15_res *r)
{
  if (!r || atomic_fetch_sub(&r->refs, 1) != 1) return;
  p2ci_meteor_normalizer_free(r->norm);
  p2ci_m15_synonyms_free(r->syn);
  p2ci_m15_paraphrase_free(r->para);
  p2ci_strmap_free(&r->function_words);
  free(r);
}

void p2c_meteor15_free(p2c_meteor15 *m)
{
  if (!m) return;
  res_release(m->res);
  p2ci_meteor_scratch_free(m->scratch);
  p2ci_m15_aligner_free(m->aligner);
  side_free(&m->hyp);
  side_free(&m->ref);
  free(m->setbuf);
  free(m->stembuf);
  free(m->lowbuf);
  free(m);
}

const char *p2c_meteor15_last_error(const p2c_meteor15 *m) { return m ? m->last.message : ""; }

const char *p2c_meteor15_variant(const p2c_meteor15 *m)
{
  return m && m->res->para ? "meteor-1.5" : "meteor-1.5-nopara";
}

/* A handle on resources r (taking a reference) with fresh working memory. */
static int new_handle(m15_res *r, int line_mode, p2c_meteor15 **out, p2c_error *err)
{
  p2c_meteor15 *m = calloc(1, sizeof *m);
  if (!m) return p2ci_error(err, P2C_ERR_NOMEM, "METEOR 1.5: out of memory");
  atomic_fetch_add(&r->refs, 1);
  m->res = r;
  m->line_mode = line_mode;
  if (!(m->scratch = p2ci_meteor_scratch_new()) || !(m->aligner = p2ci_m15_aligner_new())) {
    p2c_meteor15_free(m);
    return p2ci_error(err, P2C_ERR_NOMEM, "METEOR 1.5: out of memory");
  }
  *out = m;
  return 0;
}

int p2c_meteor15_create(const p2c_meteor15_options *opts, p2c_meteor15 **out, p2c_error *err)
{
  p2c_meteor15_options defaults = P2C_METEOR15_OPTIONS_INIT;
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_meteor15_create: out is NULL");
  *out = NULL;
  if (!opts) opts = &defaults;
  if (opts->version != P2C_METEOR15_OPTIONS_VERSION)
    return p2ci_error(err, P2C_ERR_VERSION, "METEOR 1.5 options: version %u, expected %u",
                      opts->version, P2C_METEOR15_OPTIONS_VERSION);
  if (opts->line_mode < P2C_METEOR15_LINE_PIX2CAP || opts->line_mode > P2C_METEOR15_LINE_TYLIN)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "METEOR 1.5 options: unknown line_mode %d",
                      opts->line_mode);
  m15_res *r = calloc(1, sizeof *r);
  if (!r) return p2ci_error(err, P2C_ERR_NOMEM, "METEOR 1.5: out of memory");
  atomic_init(&r->refs, 1);
  int rc = p2ci_meteor_normalizer_new(&r->norm, err);
  for (size_t i = 0; !rc && i < p2ci_meteor_num_function_words; i++) {
    const char *w = p2ci_meteor_function_words[i];
    if (p2ci_strmap_put(&r->function_words, w, strlen(w), 1, NULL) < 0)
      rc = p2ci_error(err, P2C_ERR_NOMEM, "METEOR 1.5: out of memory");
  }
  if (!rc) {
    if (opts->meteor_data_dir)
      rc = p2ci_m15_synonyms_load_meteor(opts->meteor_data_dir, &r->syn, err);
    else
      rc = p2ci_m15_synonyms_load_wordnet(p2ci_wordnet_resolve_dir(opts->wordnet_dir), &r->syn, err);
  }
  if (!rc && opts->paraphrase_path) rc = p2ci_m15_paraphrase_load(opts->paraphrase_path, &r->para, err);
  if (!rc) rc = new_handle(r, opts->line_mode, out, err);
  res_release(r); /* the handle holds its own reference */
  return rc;
}

int p2c_meteor15_clone(const p2c_meteor15 *m, p2c_meteor15 **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_meteor15_clone: out is NULL");
  *out = NULL;
  if (!m) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_meteor15_clone: m is NULL");
  return new_handle(m->res, m->line_mode, out, err);
}

/* ---- line building ------------------------------------------------------ */
typedef struct sbuf {
  char *p;
  size_t len, cap;
  int oom;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
  if (b->oom) return;
  if (p2ci_grow(&b->p, &b->cap, b->len + n + 1, 1)) {
    b->oom = 1;
    return;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

/* A caption with newlines as spaces (METEOR reads one line per request). */
static void put_caption(sbuf *b, const char *s)
{
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    size_t k = i;
    while (k < n && s[k] != '\n' && s[k] != '\r') k++;
    put(b, s + i, k - i);
    if (k < n) put(b, " ", 1);
    i = k + 1;
  }
}

/* Python's str.isspace for the code point starting at s (length in *len). */
static int py_space(const unsigned char *s, size_t n, size_t *len)
{
  uint32_t c;
  *len = p2ci_utf8_decode(s, n, &c);
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

/* str.replace(old, new) on b's contents from offset 'from' on. */
static void replace_from(sbuf *b, size_t from, const char *old, const char *rep)
{
  sbuf t = {0};
  size_t ol = strlen(old), rl = strlen(rep), i = from;
  put(&t, "", 0);
  while (i < b->len) {
    if (b->len - i >= ol && memcmp(b->p + i, old, ol) == 0) {
      put(&t, rep, rl);
      i += ol;
    } else {
      put(&t, b->p + i, 1);
      i++;
    }
  }
  if (t.oom || b->oom) {
    free(t.p);
    b->oom = 1;
    return;
  }
  b->len = from;
  put(b, t.p, t.len);
  free(t.p);
}

char *p2ci_m15_build_line(const char *hyp, const char *const *refs, size_t num_refs, int mode)
{
  sbuf b = {0};
  put(&b, "SCORE ||| ", 10);
  for (size_t k = 0; k < num_refs; k++) {
    if (k) put(&b, " ||| ", 5);
    put_caption(&b, refs[k]);
  }
  put(&b, " ||| ", 5);
  size_t h = b.len;
  if (mode == P2C_METEOR15_LINE_PIX2CAP && hyp[0] == '\0') put(&b, "a", 1);
  else put_caption(&b, hyp);
  replace_from(&b, h, "|||", "");
  replace_from(&b, h, "  ", " ");
  if (b.oom) {
    free(b.p);
    return NULL;
  }
  if (mode != P2C_METEOR15_LINE_TYLIN) {
    const unsigned char *p = (const unsigned char *)b.p;
    size_t s = 0, e = b.len, l;
    while (s < e && py_space(p + s, e - s, &l)) s += l;
    /* strip from the right: find the last non-space code point */
    size_t last = s;
    for (size_t i = s; i < e;) {
      if (!py_space(p + i, e - i, &l)) last = i + l;
      i += l;
    }
    e = last;
    memmove(b.p, b.p + s, e - s);
    b.p[e - s] = '\0';
  }
  return b.p;
}

static size_t java_trim(const char *s, size_t n, size_t *start)
{
  size_t b = 0, e = n;
  while (b < e && (unsigned char)s[b] <= 0x20) b++;
  while (e > b && (unsigned char)s[e - 1] <= 0x20) e--;
  *start = b;
  return e - b;
}

int p2ci_m15_split_line(const char *line, const char ***parts, size_t **lens)
{
  size_t n = strlen(line), fields = 1;
  for (size_t i = 0; i + 3 <= n;)
    if (memcmp(line + i, "|||", 3) == 0) fields++, i += 3;
    else i++;
  const char **p = p2ci_malloc_array(fields, sizeof *p);
  size_t *l = p2ci_malloc_array(fields, sizeof *l);
  if (!p || !l) {
    free(p);
    free(l);
    return P2C_ERR_NOMEM;
  }
  size_t f = 0, b = 0;
  for (size_t i = 0; i <= n;) {
    if (i == n || (i + 3 <= n && memcmp(line + i, "|||", 3) == 0)) {
      p[f] = line + b;
      l[f] = i - b;
      f++;
      if (i == n) break;
      i += 3;
      b = i;
    } else {
      i++;
    }
  }
  while (f > 0 && l[f - 1] == 0) f--; /* String.split drops trailing empty fields */
  if (f < 3) {
    free(p);
    free(l);
    return 0;
  }
  for (size_t k = 1; k < f; k++) {
    size_t s, tl = java_trim(p[k], l[k], &s);
    p[k - 1] = p[k] + s;
    l[k - 1] = tl;
  }
  *parts = p;
  *lens = l;
  return (int)(f - 1);
}

/* ---- tokens ------------------------------------------------------------- */
static int ensure(void *p, size_t *cap, size_t need, size_t elem)
{
  return p2ci_grow(p, cap, need, elem);
}

/* Normalize text into s and compute every token's features. */
static int prepare_side(p2c_meteor15 *m, side *s, const char *text, size_t len)
{
  const char *norm;
  size_t nl;
  int rc = p2ci_meteor_normalize(m->res->norm, m->scratch, text, len, &norm, &nl);
  if (rc) return rc;
  if (ensure(&s->text, &s->cap_text, nl + 1, 1)) return P2C_ERR_NOMEM;
  memcpy(s->text, norm, nl + 1);
  s->n = 0;
  s->num_syn = 0;
  for (size_t i = 0; i < nl;) {
    while (i < nl && p2ci_meteor_is_delim(s->text[i])) i++;
    size_t b = i;
    while (i < nl && !p2ci_meteor_is_delim(s->text[i])) i++;
    if (i == b) break;
    size_t tl = i - b;
    const char *t = s->text + b;
    if (ensure(&s->tok, &s->cap_tok, s->n + 1, sizeof *s->tok) ||
        ensure(&s->syn_off, &s->cap_off, s->n + 2, sizeof *s->syn_off) ||
        ensure(&m->stembuf, &m->cap_stembuf, tl + 1, 1) ||
        ensure(&m->lowbuf, &m->cap_lowbuf, tl * 3 / 2 + 4, 1))
      return P2C_ERR_NOMEM;
    p2ci_m15_token *k = &s->tok[s->n];
    k->text = t;
    k->len = tl;
    k->hash = p2ci_java_hash(t, tl);
    size_t sl = p2ci_snowball_english(t, tl, m->stembuf);
    if (sl == (size_t)-1) return P2C_ERR_NOMEM;
    k->stem_hash = p2ci_java_hash(m->stembuf, sl);
    k->para = p2ci_m15_paraphrase_word(m->res->para, t, tl);
    size_t ll = p2ci_java_lower(t, tl, m->lowbuf);
    k->function_word = p2ci_strmap_get(&m->res->function_words, m->lowbuf, ll) >= 0;
    int ns = p2ci_m15_synonyms_sets(m->res->syn, t, tl, &m->setbuf, &m->cap_setbuf);
    if (ns < 0) return ns;
    if (ensure(&s->syn, &s->cap_syn, s->num_syn + (size_t)ns + 1, sizeof *s->syn))
      return P2C_ERR_NOMEM;
    if (ns > 0) memcpy(s->syn + s->num_syn, m->setbuf, (size_t)ns * sizeof *s->syn);
    s->syn_off[s->n] = s->num_syn;
    k->num_syn = (size_t)ns;
    k->syn_sig = 0;
    for (int q = 0; q < ns; q++) k->syn_sig |= (uint64_t)1 << ((uint32_t)m->setbuf[q] & 63);
    s->num_syn += (size_t)ns;
    s->n++;
  }
  for (size_t j = 0; j < s->n; j++) s->tok[j].syn = s->syn + s->syn_off[j];
  return 0;
}

int p2c_meteor15_score(p2c_meteor15 *m, const char *hyp, const char *const *refs, size_t num_refs,
                       double *score, double *stats)
{
  if (!m) return P2C_ERR_INVALID_ARG;
  if (!hyp || (num_refs && !refs))
    return fail(m, P2C_ERR_INVALID_ARG, "METEOR 1.5: hypothesis or references are NULL");
  size_t bad = p2ci_utf8_invalid_at(hyp, strlen(hyp));
  if (bad < strlen(hyp))
    return fail(m, P2C_ERR_PARSE, "METEOR 1.5: hypothesis: invalid UTF-8 at byte %zu", bad);
  for (size_t k = 0; k < num_refs; k++) {
    if (!refs[k]) return fail(m, P2C_ERR_INVALID_ARG, "METEOR 1.5: reference %zu is NULL", k);
    size_t n = strlen(refs[k]);
    if ((bad = p2ci_utf8_invalid_at(refs[k], n)) < n)
      return fail(m, P2C_ERR_PARSE, "METEOR 1.5: reference %zu: invalid UTF-8 at byte %zu", k, bad);
  }
  char *line = p2ci_m15_build_line(hyp, refs, num_refs, m->line_mode);
  if (!line) return fail(m, P2C_ERR_NOMEM, "METEOR 1.5: out of memory");
  const char **parts = NULL;
  size_t *lens = NULL;
  int nparts = p2ci_m15_split_line(line, &parts, &lens);
  if (nparts <= 0) {
    free(line);
    if (nparts < 0) return fail(m, P2C_ERR_NOMEM, "METEOR 1.5: out of memory");
    return fail(m, P2C_ERR_EMPTY,
                "METEOR 1.5: the hypothesis is empty after pycocoevalcap's line building "
                "(METEOR answers \"Error: specify hypothesis and at least one reference\")");
  }
  int rc = prepare_side(m, &m->hyp, parts[nparts - 1], lens[nparts - 1]);
  double best[P2C_METEOR15_NUM_STATS], cur[P2C_METEOR15_NUM_STATS], best_score = -1;
  for (int r = 0; !rc && r < nparts - 1; r++) {
    rc = prepare_side(m, &m->ref, parts[r], lens[r]);
    if (!rc)
      rc = p2ci_m15_align(m->aligner, m->hyp.tok, m->hyp.n, m->ref.tok, m->ref.n, m->res->para, cur);
    if (rc) break;
    double s = p2ci_m15_score_stats(cur);
    if (s > best_score) {
      best_score = s;
      memcpy(best, cur, sizeof best);
    }
  }
  free(parts);
  free(lens);
  free(line);
  if (rc) return fail(m, rc, "METEOR 1.5: %s", p2c_strerror(rc));
  if (score) *score = best_score;
  if (stats) memcpy(stats, best, sizeof best);
  return 0;
}
