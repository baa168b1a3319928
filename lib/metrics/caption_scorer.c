/* The caption-scoring handle (p2c_captions): items in, corpus and per-item
 * scores out, for a table of pluggable metrics.
 *
 * How a metric plugs in (METEOR, SPICE-style, ...):
 *  1. Write lib/metrics/<name>.c defining one
 *       const p2ci_caption_metric p2ci_metric_<name> = {.name = "<Family>",
 *         .flags = P2CI_METRIC_DEFAULT or 0, .n_outputs = k,
 *         .outputs = {"<Output>", ...}, .compute = ..., [create, destroy,
 *         set_option]};
 *     (the interface and what compute() receives are in caption_metric.h).
 *     compute() gets every item with its words as vocabulary ids, split both
 *     ways pycocoevalcap's scorers split the tokenized caption; it fills the
 *     corpus value and the per-item values of each output. A metric that
 *     counts n-grams item by item gives start, item and finish instead: the
 *     scorer then numbers each item's n-grams once for all such metrics.
 *  2. Declare it with one line in this file's "extern" block and add it in
 *     its slot of metric_table below (the table order is the result order,
 *     pycocoevalcap's: Bleu, METEOR, ROUGE_L, CIDEr, SPICE). Slots are
 *     separated by untouched lines so that branches adding different metrics
 *     merge without conflict.
 *  3. Options (resource paths, variants) arrive through set_option as
 *     "<option>" when the caller sets "<Family>.<option>"
 *     (p2c_captions_set_option); keep them in the state made by create().
 *  4. Output names must be unique across the table: they are what callers
 *     select with p2c_captions_options.metrics and the CLI's --metrics.
 * Nothing else changes: selection, tokenizing, interning, error
 * reporting and the accessors are shared. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/caption_metric.h"
#include "metrics/caption_scorer.h"
#include "text/ptb_tokenizer.h"
#include "text/pystr.h"
#include "text/vocab.h"

/* extern: further metrics declare themselves here, one line each. */

/* meteor-nltk: declare here */
extern const p2ci_caption_metric p2ci_metric_meteor; /* metrics/meteor.c */

/* meteor15: declare here */

/* spice: declare here */
extern const p2ci_caption_metric p2ci_metric_spice;

static const p2ci_caption_metric *const metric_table[] = {
    &p2ci_metric_bleu,

    /* meteor-nltk: METEOR (NLTK 3.8 variant) goes here */
    &p2ci_metric_meteor, /* METEOR.variant picks nltk / 1.5: see metrics/meteor.c */

    /* meteor15: METEOR 1.5 variant goes here */

    &p2ci_metric_rouge_l,

    &p2ci_metric_cider_d,

    /* spice: SPICE-style goes here */
    &p2ci_metric_spice,

};
#define N_FAMILIES (sizeof metric_table / sizeof metric_table[0])

typedef struct family {
  void *state;
  int selected;
  double *corpus;   /* n_outputs */
  double *per_item; /* n_items * n_outputs */
} family;

typedef struct output {
  unsigned family, index;
} output;

struct p2c_captions {
  int text;
  p2ci_ptb *ptb; /* NULL for tokenized text */
  p2ci_vocab *words;
  p2ci_vocab *keys; /* id = item index */
  const char **key_ptr;
  size_t key_cap;
  uint32_t *pool;
  size_t pool_n, pool_cap;
  p2ci_span *spans[2]; /* per caption, indexed by p2ci_split */
  size_t n_captions, spans_cap[2];
  size_t *first; /* n_items + 1 */
  size_t first_cap, n_items;
  family fam[N_FAMILIES];
  output out[N_FAMILIES * P2CI_METRIC_MAX_OUTPUTS];
  size_t n_out;
  int scored, started;
  p2c_error err;
};

const char *p2c_captions_metric_known(size_t i)
{
  for (size_t f = 0; f < N_FAMILIES; f++) {
    if (i < metric_table[f]->n_outputs) return metric_table[f]->outputs[i];
    i -= metric_table[f]->n_outputs;
  }
  return NULL;
}

static int fail(p2c_captions *c, int code, const char *fmt, ...) P2CI_PRINTF(3, 4);
static int fail(p2c_captions *c, int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  p2ci_verror(&c->err, code, fmt, ap);
  va_end(ap);
  return code;
}

int p2ci_captions_fail(p2c_captions *c, const p2c_error *err)
{
  p2ci_error_copy(&c->err, err);
  return err->code;
}

/* Mark the outputs named in list (comma-separated) as selected. */
static int select_metrics(p2c_captions *c, const char *list, p2c_error *err)
{
  int want[N_FAMILIES][P2CI_METRIC_MAX_OUTPUTS];
  memset(want, 0, sizeof want);
  if (!list || !*list) {
    for (size_t f = 0; f < N_FAMILIES; f++)
      if (metric_table[f]->flags & P2CI_METRIC_DEFAULT)
        for (unsigned j = 0; j < metric_table[f]->n_outputs; j++) want[f][j] = 1;
  } else {
    const char *p = list;
    for (;;) {
      const char *end = strchr(p, ',');
      size_t len = end ? (size_t)(end - p) : strlen(p);
      while (len && *p == ' ') p++, len--;
      while (len && p[len - 1] == ' ') len--;
      int found = 0;
      for (size_t f = 0; f < N_FAMILIES && !found; f++)
        for (unsigned j = 0; j < metric_table[f]->n_outputs; j++) {
          const char *name = metric_table[f]->outputs[j];
          if (strlen(name) == len && !memcmp(name, p, len)) {
            want[f][j] = found = 1;
            break;
          }
        }
      if (!found) {
        char known[256] = "";
        for (size_t i = 0; p2c_captions_metric_known(i); i++) {
          if (i) strncat(known, ",", sizeof known - strlen(known) - 1);
          strncat(known, p2c_captions_metric_known(i), sizeof known - strlen(known) - 1);
        }
        return p2ci_error(err, P2C_ERR_NOT_FOUND, "unknown caption metric '%.*s' (known: %s)",
                          (int)len, p, known);
      }
      if (!end) break;
      p = end + 1;
    }
  }
  c->n_out = 0;
  for (size_t f = 0; f < N_FAMILIES; f++)
    for (unsigned j = 0; j < metric_table[f]->n_outputs; j++)
      if (want[f][j]) {
        c->fam[f].selected = 1;
        c->out[c->n_out].family = (unsigned)f;
        c->out[c->n_out++].index = j;
      }
  return P2C_OK;
}

int p2c_captions_create(const p2c_captions_options *opts, p2c_captions **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_captions_create: out is NULL");
  *out = NULL;
  p2c_captions_options defaults = P2C_CAPTIONS_OPTIONS_INIT;
  if (!opts) opts = &defaults;
  if (opts->version != P2C_CAPTIONS_OPTIONS_VERSION)
    return p2ci_error(err, P2C_ERR_VERSION, "p2c_captions_options: version %u, expected %u",
                      opts->version, P2C_CAPTIONS_OPTIONS_VERSION);
  if (opts->text != P2C_TEXT_RAW && opts->text != P2C_TEXT_TOKENIZED)
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_captions_options: unknown text mode %d",
                      opts->text);
  p2c_captions *c = calloc(1, sizeof *c);
  if (!c) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  c->text = opts->text;
  int rc = select_metrics(c, opts->metrics, err);
  if (rc) {
    free(c);
    return rc;
  }
  c->words = p2ci_vocab_create();
  c->keys = p2ci_vocab_create();
  if (!c->words || !c->keys || p2ci_grow(&c->first, &c->first_cap, 1, sizeof *c->first)) {
    p2c_captions_free(c);
    return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  }
  c->first[0] = 0;
  if (c->text == P2C_TEXT_RAW && (rc = p2ci_ptb_create(&c->ptb, err)) != P2C_OK) {
    p2c_captions_free(c);
    return rc;
  }
  for (size_t f = 0; f < N_FAMILIES; f++)
    if (metric_table[f]->create && (rc = metric_table[f]->create(&c->fam[f].state, err))) {
      p2c_captions_free(c);
      return rc;
    }
  *out = c;
  return P2C_OK;
}

void p2c_captions_free(p2c_captions *c)
{
  if (!c) return;
  for (size_t f = 0; f < N_FAMILIES; f++) {
    if (metric_table[f]->destroy) metric_table[f]->destroy(c->fam[f].state);
    free(c->fam[f].corpus);
    free(c->fam[f].per_item);
  }
  p2ci_ptb_free(c->ptb);
  p2ci_vocab_free(c->words);
  p2ci_vocab_free(c->keys);
  free(c->key_ptr);
  free(c->pool);
  free(c->spans[0]);
  free(c->spans[1]);
  free(c->first);
  free(c);
}

const char *p2c_captions_last_error(const p2c_captions *c) { return c ? c->err.message : ""; }

int p2c_captions_set_option(p2c_captions *c, const char *name, const char *value)
{
  if (!c || !name || !value) return P2C_ERR_INVALID_ARG;
  if (c->started) return fail(c, P2C_ERR_STATE, "option '%s': set options before adding items", name);
  const char *dot = strchr(name, '.');
  if (dot)
    for (size_t f = 0; f < N_FAMILIES; f++) {
      const p2ci_caption_metric *m = metric_table[f];
      if (strlen(m->name) != (size_t)(dot - name) || memcmp(m->name, name, (size_t)(dot - name)))
        continue;
      if (!m->set_option) break;
      return m->set_option(c->fam[f].state, dot + 1, value, &c->err);
    }
  return fail(c, P2C_ERR_NOT_FOUND, "unknown caption metric option '%s'", name);
}

/* ---- adding captions ------------------------------------------------------ */

static int push_word(void *ctx, const char *w, size_t len)
{
  p2c_captions *c = ctx;
  uint32_t id;
  int rc = p2ci_vocab_intern(c->words, w, len, &id);
  if (rc) return rc;
  if (p2ci_grow(&c->pool, &c->pool_cap, c->pool_n + 1, sizeof *c->pool)) return P2C_ERR_NOMEM;
  c->pool[c->pool_n++] = id;
  return P2C_OK;
}

/* True when str.split() and str.split(" ") give the same words: no leading,
 * trailing or doubled space, no other whitespace, not empty. */
static int splits_agree(const char *s, size_t len)
{
  if (len == 0 || s[0] == ' ' || s[len - 1] == ' ') return 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == ' ') {
      if (s[i + 1] == ' ') return 0;
    } else if (p2ci_pyspace_len(s + i, len - i)) {
      return 0;
    }
  }
  return 1;
}

/* Append one caption's words, split both ways (the two spans share the words
 * when the splits agree). */
static int add_caption(p2c_captions *c, const char *text)
{
  const char *s = text;
  size_t len = strlen(text);
  int rc;
  if (c->ptb && (rc = p2ci_ptb_tokenize(c->ptb, text, len, &s, &len)) != P2C_OK)
    return fail(c, rc, "%s", p2ci_ptb_last_error(c->ptb));
  for (int i = 0; i < 2; i++)
    if (p2ci_grow(&c->spans[i], &c->spans_cap[i], c->n_captions + 1, sizeof(p2ci_span)))
      return P2C_ERR_NOMEM;
  if (len > UINT32_MAX / 4 || c->pool_n + 2 * len + 2 > UINT32_MAX) return P2C_ERR_LIMIT;
  p2ci_span ws, sp;
  ws.off = (uint32_t)c->pool_n;
  if ((rc = p2ci_split_whitespace(s, len, push_word, c))) return rc;
  ws.len = (uint32_t)(c->pool_n - ws.off);
  if (splits_agree(s, len)) {
    sp = ws;
  } else {
    sp.off = (uint32_t)c->pool_n;
    if ((rc = p2ci_split_space(s, len, push_word, c))) return rc;
    sp.len = (uint32_t)(c->pool_n - sp.off);
  }
  c->spans[P2CI_SPLIT_WS][c->n_captions] = ws;
  c->spans[P2CI_SPLIT_SPACE][c->n_captions] = sp;
  c->n_captions++;
  return P2C_OK;
}

int p2c_captions_add(p2c_captions *c, const char *key, const char *const *refs, size_t n_refs,
                     const char *hyp)
{
  if (!c) return P2C_ERR_INVALID_ARG;
  if (c->scored) return fail(c, P2C_ERR_STATE, "p2c_captions_add: the items were already scored");
  if (!key || !hyp || (n_refs && !refs))
    return fail(c, P2C_ERR_INVALID_ARG, "p2c_captions_add: NULL key, hypothesis or references");
  if (n_refs == 0)
    return fail(c, P2C_ERR_INVALID_ARG, "key '%s': no reference caption", key);
  for (size_t r = 0; r < n_refs; r++)
    if (!refs[r]) return fail(c, P2C_ERR_INVALID_ARG, "key '%s': reference %zu is NULL", key, r);
  uint32_t id;
  if (p2ci_vocab_find(c->keys, key, strlen(key), &id))
    return fail(c, P2C_ERR_INVALID_ARG, "key '%s' added twice", key);
  c->started = 1;
  size_t pool_n = c->pool_n, n_captions = c->n_captions;
  int rc = add_caption(c, hyp);
  for (size_t r = 0; r < n_refs && !rc; r++) rc = add_caption(c, refs[r]);
  if (!rc && (p2ci_grow(&c->first, &c->first_cap, c->n_items + 2, sizeof *c->first) ||
              p2ci_grow(&c->key_ptr, &c->key_cap, c->n_items + 1, sizeof *c->key_ptr)))
    rc = P2C_ERR_NOMEM;
  if (!rc) rc = p2ci_vocab_intern(c->keys, key, strlen(key), &id);
  if (rc) {
    /* leave the handle as before the call (interned words may stay) */
    c->pool_n = pool_n;
    c->n_captions = n_captions;
    if (rc == P2C_ERR_NOMEM) return fail(c, rc, "key '%s': out of memory", key);
    if (rc == P2C_ERR_LIMIT) return fail(c, rc, "key '%s': too many words in total", key);
    return rc; /* message already set */
  }
  c->key_ptr[c->n_items] = p2ci_vocab_word(c->keys, id, NULL);
  c->first[++c->n_items] = c->n_captions;
  return P2C_OK;
}

/* ---- scoring -------------------------------------------------------------- */

/* The metrics scored item by item (start/item/finish): each item is numbered
 * once for all of them. */
static int score_items(p2c_captions *c, const p2ci_caption_set *set)
{
  int started[N_FAMILIES] = {0}, keys = 0, any = 0, rc = P2C_OK;
  void *run[N_FAMILIES] = {NULL};
  p2ci_item_ngrams it;
  memset(&it, 0, sizeof it);
  for (size_t f = 0; f < N_FAMILIES && !rc; f++) {
    const p2ci_caption_metric *m = metric_table[f];
    if (!c->fam[f].selected || !m->item) continue;
    any = 1;
    keys |= (m->flags & P2CI_METRIC_NGRAM_KEYS) != 0;
    rc = m->start(c->fam[f].state, set, &run[f], &c->err);
    started[f] = !rc;
  }
  if (!rc && any && p2ci_item_ngrams_init(&it, set, keys)) rc = fail(c, P2C_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < set->n_items && any && !rc; i++) {
    if ((rc = p2ci_item_ngrams_number(&it, set, i))) {
      if (rc == P2C_ERR_NOMEM) fail(c, rc, "key '%s': out of memory", set->keys[i]);
      else fail(c, rc, "key '%s': too many words", set->keys[i]);
      break;
    }
    for (size_t f = 0; f < N_FAMILIES && !rc; f++)
      if (started[f])
        rc = metric_table[f]->item(run[f], i, &it, c->fam[f].per_item + i * metric_table[f]->n_outputs,
                                   &c->err);
  }
  for (size_t f = 0; f < N_FAMILIES; f++)
    if (started[f]) {
      family *fa = &c->fam[f];
      int frc = metric_table[f]->finish(run[f], fa->per_item, rc ? NULL : fa->corpus, &c->err);
      if (!rc) rc = frc;
    }
  p2ci_item_ngrams_release(&it);
  return rc;
}

int p2c_captions_score(p2c_captions *c)
{
  if (!c) return P2C_ERR_INVALID_ARG;
  if (c->scored) return P2C_OK;
  if (c->n_items == 0)
    return fail(c, P2C_ERR_EMPTY, "no caption to score (pycocoevalcap fails on an empty corpus)");
  p2ci_caption_set set;
  memset(&set, 0, sizeof set);
  set.n_items = c->n_items;
  set.first = c->first;
  set.words[P2CI_SPLIT_WS] = c->spans[P2CI_SPLIT_WS];
  set.words[P2CI_SPLIT_SPACE] = c->spans[P2CI_SPLIT_SPACE];
  set.pool = c->pool;
  set.vocab = c->words;
  set.keys = c->key_ptr;

  int rc = P2C_OK;
  for (size_t f = 0; f < N_FAMILIES && !rc; f++) {
    const p2ci_caption_metric *m = metric_table[f];
    family *fa = &c->fam[f];
    if (!fa->selected) continue;
    fa->corpus = p2ci_malloc_array(m->n_outputs, sizeof *fa->corpus);
    fa->per_item = p2ci_malloc_array(c->n_items, m->n_outputs * sizeof *fa->per_item);
    if (!fa->corpus || !fa->per_item) {
      rc = fail(c, P2C_ERR_NOMEM, "out of memory");
      break;
    }
    if (m->compute) rc = m->compute(fa->state, &set, fa->corpus, fa->per_item, &c->err);
  }
  if (!rc) rc = score_items(c, &set);
  if (rc) return rc;
  c->scored = 1;
  p2ci_error_clear(&c->err);
  return P2C_OK;
}

/* ---- results -------------------------------------------------------------- */

size_t p2c_captions_num_items(const p2c_captions *c) { return c ? c->n_items : 0; }

const char *p2c_captions_key(const p2c_captions *c, size_t item)
{
  return c && item < c->n_items ? c->key_ptr[item] : NULL;
}

int p2c_captions_find(const p2c_captions *c, const char *key, size_t *item)
{
  uint32_t id;
  if (!c || !key || !item) return P2C_ERR_INVALID_ARG;
  if (!p2ci_vocab_find(c->keys, key, strlen(key), &id)) return P2C_ERR_NOT_FOUND;
  *item = id;
  return P2C_OK;
}

size_t p2c_captions_num_metrics(const p2c_captions *c) { return c ? c->n_out : 0; }

const char *p2c_captions_metric_name(const p2c_captions *c, size_t metric)
{
  if (!c || metric >= c->n_out) return NULL;
  return metric_table[c->out[metric].family]->outputs[c->out[metric].index];
}

const char *p2c_captions_metric_variant(const p2c_captions *c, size_t metric)
{
  if (!c || metric >= c->n_out) return NULL;
  const p2ci_caption_metric *m = metric_table[c->out[metric].family];
  return m->variant ? m->variant(c->fam[c->out[metric].family].state) : NULL;
}

int p2c_captions_metric_index(const p2c_captions *c, const char *name, size_t *metric)
{
  if (!c || !name || !metric) return P2C_ERR_INVALID_ARG;
  for (size_t i = 0; i < c->n_out; i++)
    if (!strcmp(p2c_captions_metric_name(c, i), name)) {
      *metric = i;
      return P2C_OK;
    }
  return P2C_ERR_NOT_FOUND;
}

int p2c_captions_corpus(const p2c_captions *c, size_t metric, double *out)
{
  if (!c || !out || metric >= c->n_out) return P2C_ERR_INVALID_ARG;
  if (!c->scored) return P2C_ERR_STATE;
  const output *o = &c->out[metric];
  *out = c->fam[o->family].corpus[o->index];
  return P2C_OK;
}

int p2c_captions_item_score(const p2c_captions *c, size_t item, size_t metric, double *out)
{
  if (!c || !out || metric >= c->n_out || item >= c->n_items) return P2C_ERR_INVALID_ARG;
  if (!c->scored) return P2C_ERR_STATE;
  const output *o = &c->out[metric];
  *out = c->fam[o->family].per_item[item * metric_table[o->family]->n_outputs + o->index];
  return P2C_OK;
}

void *p2ci_captions_family_state(const p2c_captions *c, const p2ci_caption_metric *m)
{
  for (size_t f = 0; c && f < N_FAMILIES; f++)
    if (metric_table[f] == m) return c->fam[f].selected && c->scored ? c->fam[f].state : NULL;
  return NULL;
}
