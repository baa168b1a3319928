/* SPICE-style as a p2c_captions metric ("SPICE"): per item the All F1 of
 * the hypothesis against its references, corpus = mean over items, as
 * pycocoevalcap's Spice(). Captions reach it tokenized (pycocoevalcap's PTB
 * tokenizer), as SPICE receives them. Option: "SPICE.wordnet_dir". */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/caption_metric.h"
#include "metrics/caption_scorer.h"

typedef struct spice_state {
  char *wordnet_dir;
  p2c_spice_detail *detail; /* per item, after compute */
  size_t n_items;
} spice_state;

static int spice_create(void **state, p2c_error *err)
{
  spice_state *s = calloc(1, sizeof *s);
  if (!s) return p2ci_error(err, P2C_ERR_NOMEM, "SPICE: out of memory");
  *state = s;
  return P2C_OK;
}

static void spice_destroy(void *state)
{
  spice_state *s = state;
  if (!s) return;
  free(s->wordnet_dir);
  free(s->detail);
  free(s);
}

static int spice_set_option(void *state, const char *name, const char *value, p2c_error *err)
{
  spice_state *s = state;
  if (strcmp(name, "wordnet_dir") != 0)
    return p2ci_error(err, P2C_ERR_NOT_FOUND, "SPICE: unknown option '%s' (known: wordnet_dir)", name);
  char *d = p2ci_strdup(value);
  if (!d) return p2ci_error(err, P2C_ERR_NOMEM, "SPICE: out of memory");
  free(s->wordnet_dir);
  s->wordnet_dir = d;
  return P2C_OK;
}

/* The tokenized string of caption c: its words joined by single spaces. */
static int caption_text(const p2ci_caption_set *set, size_t c, char **buf, size_t *cap)
{
  const uint32_t *w;
  size_t n = p2ci_set_words(set, c, P2CI_SPLIT_WS, &w), len = 0;
  for (size_t i = 0; i < n; i++) {
    size_t wl;
    const char *s = p2ci_vocab_word(set->vocab, w[i], &wl);
    if (p2ci_grow(buf, cap, len + wl + 2, 1)) return P2C_ERR_NOMEM;
    if (i) (*buf)[len++] = ' ';
    memcpy(*buf + len, s, wl);
    len += wl;
  }
  if (p2ci_grow(buf, cap, len + 1, 1)) return P2C_ERR_NOMEM;
  (*buf)[len] = '\0';
  return P2C_OK;
}

extern const p2ci_caption_metric p2ci_metric_spice;

int p2c_captions_spice_detail(const p2c_captions *c, size_t item, p2c_spice_detail *out)
{
  if (!c || !out) return P2C_ERR_INVALID_ARG;
  const spice_state *st = p2ci_captions_family_state(c, &p2ci_metric_spice);
  if (!st || !st->detail || st->n_items != p2c_captions_num_items(c)) return P2C_ERR_STATE;
  if (item >= st->n_items) return P2C_ERR_INVALID_ARG;
  *out = st->detail[item];
  return P2C_OK;
}

static int spice_compute(void *state, const p2ci_caption_set *set, double *corpus, double *per_item, p2c_error *err)
{
  spice_state *st = state;
  p2c_spice_options o = P2C_SPICE_OPTIONS_INIT;
  o.wordnet_dir = st->wordnet_dir;
  p2c_spice *sp = NULL;
  int rc = p2c_spice_create(&o, &sp, err);
  if (rc) return rc;
  free(st->detail);
  st->n_items = 0;
  st->detail = p2ci_malloc_array(set->n_items, sizeof *st->detail);
  if (!st->detail) {
    p2c_spice_free(sp);
    return p2ci_error(err, P2C_ERR_NOMEM, "SPICE: out of memory");
  }
  char **texts = NULL;
  size_t ntexts = 0;
  size_t *caps = NULL;
  for (size_t i = 0; i < set->n_items && !rc; i++) {
    size_t nref = p2ci_set_num_refs(set, i);
    if (nref + 1 > ntexts) {
      char **t = realloc(texts, (nref + 1) * sizeof *t);
      size_t *c = t ? realloc(caps, (nref + 1) * sizeof *c) : NULL;
      if (t) texts = t;
      if (c) caps = c;
      if (!t || !c) {
        rc = p2ci_error(err, P2C_ERR_NOMEM, "SPICE: out of memory");
        break;
      }
      for (size_t k = ntexts; k <= nref; k++) {
        texts[k] = NULL;
        caps[k] = 0;
      }
      ntexts = nref + 1;
    }
    if (caption_text(set, p2ci_set_hyp(set, i), &texts[0], &caps[0])) rc = P2C_ERR_NOMEM;
    for (size_t r = 0; r < nref && !rc; r++)
      if (caption_text(set, p2ci_set_ref(set, i, r), &texts[r + 1], &caps[r + 1])) rc = P2C_ERR_NOMEM;
    if (rc) {
      p2ci_error(err, rc, "SPICE: out of memory");
      break;
    }
    p2c_spice_detail d;
    rc = p2c_spice_score(sp, (const char *const *)texts + 1, nref, texts[0], &d);
    if (rc) {
      p2ci_error(err, rc, "SPICE: item '%s': %s", set->keys[i], p2c_spice_last_error(sp));
      break;
    }
    per_item[i] = d.kind[P2C_SPICE_ALL].f;
    st->detail[i] = d;
  }
  if (!rc) {
    *corpus = p2c_spice_corpus(per_item, set->n_items);
    st->n_items = set->n_items;
  }
  for (size_t k = 0; k < ntexts; k++) free(texts[k]);
  free(texts);
  free(caps);
  p2c_spice_free(sp);
  return rc;
}

/* Every output names the rule-based metric: the table, the JSON "variants". */
static const char *spice_variant(void *state)
{
  (void)state;
  return "spice-style";
}

const p2ci_caption_metric p2ci_metric_spice = {
    .name = "SPICE",
    .flags = 0, /* on request: loading WordNet costs ~0.1 s */
    .n_outputs = 1,
    .outputs = {"SPICE"},
    .create = spice_create,
    .destroy = spice_destroy,
    .set_option = spice_set_option,
    .compute = spice_compute,
    .variant = spice_variant,
};
