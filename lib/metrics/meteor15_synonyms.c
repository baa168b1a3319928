/* METEOR 1.5's synonym dictionary (aligner/SynonymDictionary.java): words map
 * to WordNet synset offsets; inflected forms reach their base forms through
 * WordNet's exception lists, otherwise through WordNet's suffix rules
 * (morph). Two words are synonyms when their sets intersect.
 *
 * Two sources: METEOR's own english.synsets / english.exceptions (tables
 * built here), or a WordNet folder, read through the shared store of
 * text/wordnet.h and queried directly with METEOR's rules: one offset space
 * for all parts of speech, and an exception-list entry in any part of speech
 * replaces the suffix rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/meteor15.h"
#include "text/meteor_files.h"
#include "text/meteor_normalizer.h"
#include "text/wordnet.h"

typedef struct pair {
  int word; /* index in words */
  int32_t id;
  uint32_t gen; /* line of the word's record; only the last record counts */
} pair;

struct p2ci_m15_synonyms {
  p2ci_wordnet *wn;    /* WordNet source; NULL for METEOR's files (tables below) */
  p2ci_strmap words;   /* word -> index */
  uint32_t *last_gen;  /* per word: generation of its latest record */
  size_t *set_start;   /* per word: range in ids */
  size_t *set_count;
  int32_t *ids;
  p2ci_strmap forms;   /* inflected form -> index in base lists */
  size_t *base_start;  /* per form: range in bases */
  size_t *base_count;
  char **bases;
  size_t num_bases;
};

/* ---- building ----------------------------------------------------------- */
typedef struct builder {
  p2ci_m15_synonyms *s;
  pair *pairs;
  size_t num_pairs, cap_pairs;
  size_t words_cap;
  struct { int form; char *base; } *exc;
  size_t num_exc, cap_exc;
} builder;

static int word_index(builder *b, const char *w, size_t n, int *idx)
{
  int rc = p2ci_strmap_put(&b->s->words, w, n, (int)b->s->words.count, idx);
  if (rc < 0) return rc;
  if ((size_t)*idx >= b->words_cap) {
    size_t cap = b->words_cap;
    if (p2ci_grow(&b->s->last_gen, &cap, (size_t)*idx + 1, sizeof *b->s->last_gen))
      return P2C_ERR_NOMEM;
    b->words_cap = cap;
  }
  if (rc == 1) b->s->last_gen[*idx] = 0;
  return 0;
}

static int add_record(builder *b, const char *w, size_t n, uint32_t gen, int *idx)
{
  if (word_index(b, w, n, idx)) return P2C_ERR_NOMEM;
  b->s->last_gen[*idx] = gen;
  return 0;
}

static int add_pair(builder *b, int word, int32_t id, uint32_t gen)
{
  if (p2ci_grow(&b->pairs, &b->cap_pairs, b->num_pairs + 1, sizeof *b->pairs)) return P2C_ERR_NOMEM;
  b->pairs[b->num_pairs++] = (pair){word, id, gen};
  return 0;
}

static int add_exception(builder *b, const char *form, size_t fn, const char *base, size_t bn)
{
  int idx;
  if (p2ci_strmap_put(&b->s->forms, form, fn, (int)b->s->forms.count, &idx) < 0) return P2C_ERR_NOMEM;
  if (p2ci_grow(&b->exc, &b->cap_exc, b->num_exc + 1, sizeof *b->exc)) return P2C_ERR_NOMEM;
  char *copy = p2ci_strndup(base, bn);
  if (!copy) return P2C_ERR_NOMEM;
  b->exc[b->num_exc].form = idx;
  b->exc[b->num_exc].base = copy;
  b->num_exc++;
  return 0;
}

static int cmp_pair(const void *x, const void *y)
{
  const pair *a = x, *b = y;
  if (a->word != b->word) return a->word < b->word ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* Turn the collected pairs and exceptions into the lookup arrays. */
static int finish(builder *b)
{
  p2ci_m15_synonyms *s = b->s;
  size_t nw = s->words.count, k = 0;
  s->set_start = p2ci_calloc_array(nw + 1, sizeof *s->set_start);
  s->set_count = p2ci_calloc_array(nw + 1, sizeof *s->set_count);
  s->ids = p2ci_malloc_array(b->num_pairs + 1, sizeof *s->ids);
  if (!s->set_start || !s->set_count || !s->ids) return P2C_ERR_NOMEM;
  if (b->num_pairs) qsort(b->pairs, b->num_pairs, sizeof *b->pairs, cmp_pair); /* qsort(NULL, 0) is UB */
  for (size_t i = 0; i < b->num_pairs; i++) {
    const pair *p = &b->pairs[i];
    if (p->gen != s->last_gen[p->word]) continue; /* superseded record (Hashtable.put) */
    if (s->set_count[p->word] && s->ids[k - 1] == p->id) continue;
    if (!s->set_count[p->word]) s->set_start[p->word] = k;
    s->ids[k++] = p->id;
    s->set_count[p->word]++;
  }
  size_t nf = s->forms.count;
  s->base_start = p2ci_calloc_array(nf + 1, sizeof *s->base_start);
  s->base_count = p2ci_calloc_array(nf + 1, sizeof *s->base_count);
  s->bases = p2ci_malloc_array(b->num_exc + 1, sizeof *s->bases);
  if (!s->base_start || !s->base_count || !s->bases) return P2C_ERR_NOMEM;
  /* group the bases by form, keeping file order (counting sort) */
  for (size_t i = 0; i < b->num_exc; i++) s->base_count[b->exc[i].form]++;
  size_t acc = 0;
  for (size_t f = 0; f < nf; f++) {
    s->base_start[f] = acc;
    acc += s->base_count[f];
    s->base_count[f] = 0;
  }
  for (size_t i = 0; i < b->num_exc; i++) {
    int f = b->exc[i].form;
    s->bases[s->base_start[f] + s->base_count[f]++] = b->exc[i].base;
    b->exc[i].base = NULL;
  }
  s->num_bases = b->num_exc;
  return 0;
}

static void builder_free(builder *b)
{
  free(b->pairs);
  for (size_t i = 0; i < b->num_exc; i++) free(b->exc[i].base);
  free(b->exc);
}

void p2ci_m15_synonyms_free(p2ci_m15_synonyms *s)
{
  if (!s) return;
  p2ci_wordnet_free(s->wn);
  p2ci_strmap_free(&s->words);
  p2ci_strmap_free(&s->forms);
  free(s->last_gen);
  free(s->set_start);
  free(s->set_count);
  free(s->ids);
  if (s->bases)
    for (size_t i = 0; i < s->num_bases; i++) free(s->bases[i]);
  free(s->bases);
  free(s->base_start);
  free(s->base_count);
  free(s);
}

static int oom(const char *path, p2c_error *err)
{
  return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
}

static void join(char *buf, size_t size, const char *dir, const char *name)
{
  snprintf(buf, size, "%s/%s", dir, name);
}

/* english.exceptions: records of 2 lines, a base form then its inflected forms. */
static int load_meteor_exceptions(builder *b, const char *path, p2c_error *err)
{
  p2ci_meteor_lines l;
  int rc = p2ci_meteor_lines_read(path, &l, err);
  if (rc) return rc;
  const char *base, *forms;
  size_t bn, fn, line = 0;
  while (p2ci_meteor_lines_next(&l, &base, &bn)) {
    line++;
    if (!p2ci_meteor_lines_next(&l, &forms, &fn)) {
      p2ci_meteor_lines_free(&l);
      return p2ci_error(err, P2C_ERR_PARSE,
                        "%s: line %zu: base form '%.*s' without a line of inflected forms", path,
                        line, (int)(bn > 64 ? 64 : bn), base);
    }
    line++;
    size_t pos = 0;
    const char *t;
    size_t tn;
    while ((tn = p2ci_meteor_token(forms, fn, &pos, &t)) > 0)
      if (add_exception(b, t, tn, base, bn)) {
        p2ci_meteor_lines_free(&l);
        return oom(path, err);
      }
  }
  p2ci_meteor_lines_free(&l);
  return 0;
}

/* english.synsets: a record replaces the word's earlier ones (Hashtable.put). */
static int add_synsets_record(void *ctx, const char *w, size_t n, const int32_t *ids, size_t count,
                              size_t record)
{
  builder *b = ctx;
  int idx;
  if (add_record(b, w, n, (uint32_t)record, &idx)) return P2C_ERR_NOMEM;
  for (size_t k = 0; k < count; k++)
    if (add_pair(b, idx, ids[k], (uint32_t)record)) return P2C_ERR_NOMEM;
  return 0;
}

int p2ci_m15_synonyms_load_meteor(const char *dir, p2ci_m15_synonyms **out, p2c_error *err)
{
  *out = NULL;
  char path[4096];
  builder b = {0};
  b.s = calloc(1, sizeof *b.s);
  if (!b.s) return p2ci_error(err, P2C_ERR_NOMEM, "METEOR synonyms: out of memory");
  join(path, sizeof path, dir, "english.exceptions");
  int rc = load_meteor_exceptions(&b, path, err);
  if (!rc) {
    join(path, sizeof path, dir, "english.synsets");
    rc = p2ci_meteor_synsets_read(path, add_synsets_record, &b, err);
  }
  if (!rc && finish(&b)) rc = p2ci_error(err, P2C_ERR_NOMEM, "METEOR synonyms: out of memory");
  builder_free(&b);
  if (rc) {
    p2ci_m15_synonyms_free(b.s);
    return rc;
  }
  *out = b.s;
  return 0;
}

int p2ci_m15_synonyms_load_wordnet(const char *dir, p2ci_m15_synonyms **out, p2c_error *err)
{
  *out = NULL;
  p2ci_m15_synonyms *s = calloc(1, sizeof *s);
  if (!s) return p2ci_error(err, P2C_ERR_NOMEM, "WordNet synonyms: out of memory");
  int rc = p2ci_wordnet_open_shared(dir, &s->wn, err);
  if (rc) {
    free(s);
    return rc;
  }
  *out = s;
  return 0;
}

/* ---- lookup ------------------------------------------------------------- */
/* Per-call scratch lists for WordNet queries (the dictionary is shared by
 * threads, so it holds none). */
typedef struct scratch {
  p2ci_wn_synsets offsets;
  p2ci_wn_strs bases;
} scratch;

static int append_wordnet_set(const p2ci_wordnet *wn, const char *w, size_t n, scratch *t,
                              int32_t **sets, size_t *cap, size_t *count)
{
  /* One offset space for all parts of speech, as in METEOR's english.synsets. */
  if (p2ci_wordnet_index_synsets(wn, w, n, P2CI_WORDNET_ANY, &t->offsets)) return P2C_ERR_NOMEM;
  if (!t->offsets.n) return 0;
  if (p2ci_grow(sets, cap, *count + t->offsets.n, sizeof **sets)) return P2C_ERR_NOMEM;
  for (size_t k = 0; k < t->offsets.n; k++) (*sets)[(*count)++] = (int32_t)t->offsets.v[k].offset;
  return 0;
}

static int append_set(const p2ci_m15_synonyms *s, const char *w, size_t n, scratch *t,
                      int32_t **sets, size_t *cap, size_t *count)
{
  if (s->wn) return append_wordnet_set(s->wn, w, n, t, sets, cap, count);
  int idx = p2ci_strmap_get(&s->words, w, n);
  if (idx < 0 || !s->set_count[idx]) return 0;
  size_t c = s->set_count[idx];
  if (p2ci_grow(sets, cap, *count + c, sizeof **sets)) return P2C_ERR_NOMEM;
  memcpy(*sets + *count, s->ids + s->set_start[idx], c * sizeof **sets);
  *count += c;
  return 0;
}

static int ends_with(const char *w, size_t n, const char *suf)
{
  size_t k = strlen(suf);
  return k <= n && memcmp(w + n - k, suf, k) == 0;
}

static size_t utf16_length(const char *w, size_t n)
{
  size_t units = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)w[i];
    if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
  }
  return units;
}

static int known_word(const p2ci_m15_synonyms *s, const char *w, size_t n)
{
  if (s->wn) return p2ci_wordnet_in_index(s->wn, w, n, P2CI_WORDNET_ANY);
  return p2ci_strmap_get(&s->words, w, n) >= 0;
}

/* WordNet 3.0's morphy suffix rules as SynonymDictionary.morph applies them:
 * the first rewrite (noun, verb, adjective rules in order) that is a known
 * word. A word ending in "ss" or of at most 2 characters is returned as is;
 * a word with no known rewrite gives "" (buf[0] = 0). */
static const char *morph(const p2ci_m15_synonyms *s, const char *w, size_t n, char *buf,
                         size_t *out_len)
{
  static const char *const sufx[20] = {"s",  "ses", "xes", "zes", "ches", "shes", "men",
                                       "ies", "s",  "ies", "es",  "es",   "ed",   "ed",
                                       "ing", "ing", "er", "est", "er",   "est"};
  static const char *const addr[20] = {"",  "s", "x", "z", "ch", "sh", "man", "y", "",  "y",
                                       "e", "",  "e", "",  "e",  "",   "",    "",  "e", "e"};
  if (ends_with(w, n, "ss") || utf16_length(w, n) <= 2) {
    *out_len = n;
    return w;
  }
  for (int i = 0; i < 20; i++) {
    if (!ends_with(w, n, sufx[i])) continue;
    size_t keep = n - strlen(sufx[i]), al = strlen(addr[i]);
    memcpy(buf, w, keep);
    memcpy(buf + keep, addr[i], al);
    buf[keep + al] = '\0';
    if (known_word(s, buf, keep + al)) {
      *out_len = keep + al;
      return buf;
    }
  }
  buf[0] = '\0';
  *out_len = 0;
  return buf;
}

static int cmp_i32(const void *x, const void *y)
{
  int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
  return a < b ? -1 : a > b;
}

/* Exception lists: METEOR reads adj, adv, noun and verb.exc into one map, so
 * a form listed in any of them takes the bases of all of them. Returns 1 when
 * w is such a form, 0 when not, or a negative status. */
static int append_exception_sets(const p2ci_m15_synonyms *s, const char *w, size_t n, scratch *t,
                                 int32_t **sets, size_t *cap, size_t *count)
{
  int found = 0;
  if (s->wn) {
    static const int exc_order[P2CI_WORDNET_NPOS] = {P2CI_WORDNET_ADJ, P2CI_WORDNET_ADV,
                                                     P2CI_WORDNET_NOUN, P2CI_WORDNET_VERB};
    for (int i = 0; i < P2CI_WORDNET_NPOS; i++) {
      if (p2ci_wordnet_exc_bases(s->wn, w, n, exc_order[i], &t->bases)) return P2C_ERR_NOMEM;
      found |= t->bases.n > 0;
      for (size_t k = 0; k < t->bases.n; k++)
        if (append_wordnet_set(s->wn, t->bases.v[k].ptr, t->bases.v[k].len, t, sets, cap, count))
          return P2C_ERR_NOMEM;
    }
    return found;
  }
  int f = p2ci_strmap_get(&s->forms, w, n);
  if (f < 0) return 0;
  for (size_t k = 0; k < s->base_count[f]; k++) {
    const char *b = s->bases[s->base_start[f] + k];
    if (append_set(s, b, strlen(b), t, sets, cap, count)) return P2C_ERR_NOMEM;
  }
  return 1;
}

int p2ci_m15_synonyms_sets(const p2ci_m15_synonyms *s, const char *w, size_t n, int32_t **sets,
                           size_t *cap)
{
  size_t count = 0;
  scratch t = {{0}, {0}};
  int rc = append_set(s, w, n, &t, sets, cap, &count);
  int is_form = rc ? rc : append_exception_sets(s, w, n, &t, sets, cap, &count);
  rc = is_form < 0 ? is_form : 0;
  if (is_form == 0) {
    char local[256], *buf = n + 4 <= sizeof local ? local : malloc(n + 4);
    if (!buf) {
      rc = P2C_ERR_NOMEM;
    } else {
      size_t ml;
      const char *m = morph(s, w, n, buf, &ml);
      rc = append_set(s, m, ml, &t, sets, cap, &count);
      if (buf != local) free(buf);
    }
  }
  p2ci_wn_synsets_free(&t.offsets);
  p2ci_wn_strs_free(&t.bases);
  if (rc) return P2C_ERR_NOMEM;
  if (count > 1) {
    qsort(*sets, count, sizeof **sets, cmp_i32);
    size_t u = 1;
    for (size_t i = 1; i < count; i++)
      if ((*sets)[i] != (*sets)[u - 1]) (*sets)[u++] = (*sets)[i];
    count = u;
  }
  return (int)count;
}
