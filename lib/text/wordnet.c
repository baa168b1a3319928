/* NLTK 3.8's WordNetCorpusReader semantics on the WordNet store: morphy and
 * synsets (see wordnet.h). */
#include "text/wordnet.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "text/hash.h"
#include "text/pystr.h"

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
    size_t i = p2ci_hash32(f->buf + f->off[k], f->len[k]) & f->slot_mask;
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
  size_t i = p2ci_hash32(dst, n) & f->slot_mask;
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
  const char *line = p2ci_wordnet_index_line(wn, s, n, pos);
  if (!line) return 0;
  for (size_t k = 0; k < out->n; k++)
    if (out->v[k].ptr == line) return 0;
  if (out->n == out->cap && p2ci_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v))
    return P2C_ERR_NOMEM;
  out->v[out->n].ptr = line;
  out->v[out->n].len = n;
  out->n++;
  return 0;
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
  const p2ci_wn_str *bases;
  size_t nbases;
  if (p2ci_wordnet_exc_last(wn, s, len, pos, &bases, &nbases)) {
    if (filter_one(wn, pos, s, len, out)) return P2C_ERR_NOMEM;
    for (size_t k = 0; k < nbases; k++)
      if (filter_one(wn, pos, bases[k].ptr, bases[k].len, out)) return P2C_ERR_NOMEM;
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
      if ((rc = p2ci_wordnet_line_synsets(wn, p, line, out)) != 0) break;
    }
  }
  p2ci_wn_strs_free(&forms_out);
  return rc;
}
