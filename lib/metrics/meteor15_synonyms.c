/* METEOR 1.5's synonym dictionary (aligner/SynonymDictionary.java): words map
 * to WordNet synset offsets; inflected forms reach their base forms through
 * WordNet's exception lists, otherwise through WordNet's suffix rules
 * (morph). Two words are synonyms when their sets intersect. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/internal.h"
#include "metrics/meteor15.h"
#include "text/meteor_normalizer.h"

typedef struct pair {
  int word; /* index in words */
  int32_t id;
  uint32_t gen; /* line of the word's record; only the last record counts */
} pair;

struct p2ci_m15_synonyms {
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

/* ---- line reading (BufferedReader.readLine: \n, \r or \r\n) ------------- */
typedef struct lines {
  char *data;
  size_t len, pos;
  const char *path;
} lines;

static int read_all(const char *path, lines *l, p2c_error *err)
{
  memset(l, 0, sizeof *l);
  l->path = path;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return p2ci_error(err, P2C_ERR_IO, "%s: is a directory", path);
  gzFile f = gzopen(path, "rb");
  if (!f) return p2ci_error(err, P2C_ERR_IO, "%s: cannot open (%s)", path, strerror(errno));
  size_t cap = 1 << 20;
  l->data = malloc(cap);
  if (!l->data) {
    gzclose(f);
    return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
  }
  for (;;) {
    if (cap - l->len < 65536) {
      char *p = cap > SIZE_MAX / 2 ? NULL : realloc(l->data, cap * 2);
      if (!p) {
        gzclose(f);
        return p2ci_error(err, P2C_ERR_NOMEM, "%s: out of memory", path);
      }
      l->data = p;
      cap *= 2;
    }
    int n = gzread(f, l->data + l->len, 65536);
    if (n < 0) {
      int e;
      const char *msg = gzerror(f, &e);
      p2ci_error(err, P2C_ERR_PARSE, "%s: cannot read: %s", path, msg);
      gzclose(f);
      return P2C_ERR_PARSE;
    }
    if (n == 0) break;
    l->len += (size_t)n;
  }
  gzclose(f);
  l->data[l->len] = '\0';
  return 0;
}

/* Next line as [*s, *s + *n); 0 at the end. */
static int next_line(lines *l, const char **s, size_t *n)
{
  if (l->pos >= l->len) return 0;
  size_t b = l->pos, e = b;
  while (e < l->len && l->data[e] != '\n' && l->data[e] != '\r') e++;
  *s = l->data + b;
  *n = e - b;
  if (e < l->len && l->data[e] == '\r' && e + 1 < l->len && l->data[e + 1] == '\n') e++;
  l->pos = e + 1;
  return 1;
}

static size_t tok(const char *s, size_t n, size_t *pos, const char **t)
{
  size_t i = *pos;
  while (i < n && p2ci_meteor_is_delim(s[i])) i++;
  *t = s + i;
  size_t b = i;
  while (i < n && !p2ci_meteor_is_delim(s[i])) i++;
  *pos = i;
  return i - b;
}

/* Integer.parseInt of a decimal token. */
static int parse_int(const char *t, size_t n, int32_t *out)
{
  if (n == 0 || n > 10) return -1;
  int64_t v = 0;
  size_t i = 0;
  int neg = 0;
  if (t[0] == '-' || t[0] == '+') {
    neg = t[0] == '-';
    if (++i == n) return -1;
  }
  for (; i < n; i++) {
    if (t[i] < '0' || t[i] > '9') return -1;
    v = v * 10 + (t[i] - '0');
  }
  if (neg) v = -v;
  if (v > INT32_MAX || v < INT32_MIN) return -1;
  *out = (int32_t)v;
  return 0;
}

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
  qsort(b->pairs, b->num_pairs, sizeof *b->pairs, cmp_pair);
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
  lines l;
  int rc = read_all(path, &l, err);
  if (rc) return rc;
  const char *base, *forms;
  size_t bn, fn, line = 0;
  while (next_line(&l, &base, &bn)) {
    line++;
    if (!next_line(&l, &forms, &fn)) {
      free(l.data);
      return p2ci_error(err, P2C_ERR_PARSE,
                        "%s: line %zu: base form '%.*s' without a line of inflected forms", path,
                        line, (int)(bn > 64 ? 64 : bn), base);
    }
    line++;
    size_t pos = 0;
    const char *t;
    size_t tn;
    while ((tn = tok(forms, fn, &pos, &t)) > 0)
      if (add_exception(b, t, tn, base, bn)) {
        free(l.data);
        return oom(path, err);
      }
  }
  free(l.data);
  return 0;
}

/* english.synsets: records of 2 lines, a word then its synset ids. */
static int load_meteor_synsets(builder *b, const char *path, p2c_error *err)
{
  lines l;
  int rc = read_all(path, &l, err);
  if (rc) return rc;
  const char *w, *ids;
  size_t wn, in, line = 0;
  while (next_line(&l, &w, &wn)) {
    line++;
    if (!next_line(&l, &ids, &in)) {
      free(l.data);
      return p2ci_error(err, P2C_ERR_PARSE, "%s: line %zu: word without a line of synset ids",
                        path, line);
    }
    line++;
    int idx;
    if (add_record(b, w, wn, (uint32_t)line, &idx)) {
      free(l.data);
      return oom(path, err);
    }
    size_t pos = 0;
    const char *t;
    size_t tn;
    while ((tn = tok(ids, in, &pos, &t)) > 0) {
      int32_t id;
      if (parse_int(t, tn, &id)) {
        free(l.data);
        return p2ci_error(err, P2C_ERR_PARSE, "%s: line %zu: '%.*s' is not a synset id", path,
                          line, (int)(tn > 32 ? 32 : tn), t);
      }
      if (add_pair(b, idx, id, (uint32_t)line)) {
        free(l.data);
        return oom(path, err);
      }
    }
  }
  free(l.data);
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
    rc = load_meteor_synsets(&b, path, err);
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

/* index.<pos>: "lemma pos synset_cnt p_cnt [ptr...] sense_cnt tagsense_cnt offsets...";
 * license lines start with a space. All parts of speech share one map, as in
 * METEOR's file built from index.sense. */
static int load_wordnet_index(builder *b, const char *path, p2c_error *err)
{
  lines l;
  int rc = read_all(path, &l, err);
  if (rc) return rc;
  const char *s;
  size_t n, line = 0;
  while (next_line(&l, &s, &n)) {
    line++;
    if (n == 0 || s[0] == ' ') continue;
    const char *t[4];
    size_t tl[4], pos = 0;
    int32_t cnt, pcnt, id;
    for (int k = 0; k < 4; k++) tl[k] = tok(s, n, &pos, &t[k]);
    if (!tl[3] || parse_int(t[2], tl[2], &cnt) || parse_int(t[3], tl[3], &pcnt) || cnt < 0 ||
        pcnt < 0)
      goto bad;
    const char *x;
    for (int32_t k = 0; k < pcnt + 2; k++)
      if (!tok(s, n, &pos, &x)) goto bad;
    int idx;
    if (word_index(b, t[0], tl[0], &idx)) {
      free(l.data);
      return oom(path, err);
    }
    for (int32_t k = 0; k < cnt; k++) {
      size_t xl = tok(s, n, &pos, &x);
      if (parse_int(x, xl, &id)) goto bad;
      if (add_pair(b, idx, id, 0)) {
        free(l.data);
        return oom(path, err);
      }
    }
  }
  free(l.data);
  return 0;
bad:
  free(l.data);
  return p2ci_error(err, P2C_ERR_PARSE, "%s: line %zu: not a WordNet index line", path, line);
}

/* <pos>.exc: "inflected base [base...]". */
static int load_wordnet_exc(builder *b, const char *path, p2c_error *err)
{
  lines l;
  int rc = read_all(path, &l, err);
  if (rc) return rc;
  const char *s;
  size_t n;
  while (next_line(&l, &s, &n)) {
    size_t pos = 0, fl, bl;
    const char *f, *base;
    if (!(fl = tok(s, n, &pos, &f))) continue;
    while ((bl = tok(s, n, &pos, &base)) > 0)
      if (add_exception(b, f, fl, base, bl)) {
        free(l.data);
        return oom(path, err);
      }
  }
  free(l.data);
  return 0;
}

int p2ci_m15_synonyms_load_wordnet(const char *dir, p2ci_m15_synonyms **out, p2c_error *err)
{
  static const char *const files[] = {"adj.exc",    "adv.exc",   "noun.exc",  "verb.exc",
                                      "index.noun", "index.verb", "index.adj", "index.adv"};
  *out = NULL;
  char path[4096];
  builder b = {0};
  b.s = calloc(1, sizeof *b.s);
  if (!b.s) return p2ci_error(err, P2C_ERR_NOMEM, "WordNet synonyms: out of memory");
  int rc = 0;
  for (size_t k = 0; k < 8 && !rc; k++) {
    join(path, sizeof path, dir, files[k]);
    rc = k < 4 ? load_wordnet_exc(&b, path, err) : load_wordnet_index(&b, path, err);
  }
  if (!rc && finish(&b)) rc = p2ci_error(err, P2C_ERR_NOMEM, "WordNet synonyms: out of memory");
  builder_free(&b);
  if (rc) {
    p2ci_m15_synonyms_free(b.s);
    return rc;
  }
  *out = b.s;
  return 0;
}

/* ---- lookup ------------------------------------------------------------- */
static int append_set(const p2ci_m15_synonyms *s, const char *w, size_t n, int32_t **sets,
                      size_t *cap, size_t *count)
{
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
    if (p2ci_strmap_get(&s->words, buf, keep + al) >= 0) {
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

int p2ci_m15_synonyms_sets(const p2ci_m15_synonyms *s, const char *w, size_t n, int32_t **sets,
                           size_t *cap)
{
  size_t count = 0;
  if (append_set(s, w, n, sets, cap, &count)) return P2C_ERR_NOMEM;
  int f = p2ci_strmap_get(&s->forms, w, n);
  if (f >= 0) {
    for (size_t k = 0; k < s->base_count[f]; k++) {
      const char *b = s->bases[s->base_start[f] + k];
      if (append_set(s, b, strlen(b), sets, cap, &count)) return P2C_ERR_NOMEM;
    }
  } else {
    char local[256], *buf = n + 4 <= sizeof local ? local : malloc(n + 4);
    if (!buf) return P2C_ERR_NOMEM;
    size_t ml;
    const char *m = morph(s, w, n, buf, &ml);
    int rc = append_set(s, m, ml, sets, cap, &count);
    if (buf != local) free(buf);
    if (rc) return P2C_ERR_NOMEM;
  }
  if (count > 1) {
    qsort(*sets, count, sizeof **sets, cmp_i32);
    size_t u = 1;
    for (size_t i = 1; i < count; i++)
      if ((*sets)[i] != (*sets)[u - 1]) (*sets)[u++] = (*sets)[i];
    count = u;
  }
  return (int)count;
}
