/* METEOR variant "1.5" of the caption handle: METEOR 1.5 on each item's
 * tokenized caption strings, as pycocoevalcap's Meteor scorer sends them to
 * the jar; the per-item value is the segment score, the corpus value the score
 * of the aggregated statistics (what pycocoevalcap reports), not their mean.
 * Options: "wordnet" (WordNet folder for synonyms), "meteor_data" (METEOR's
 * english.synsets / english.exceptions instead), "paraphrase" (METEOR's
 * paraphrase-en.gz), "line" (pix2cap | salaniz | tylin: pycocoevalcap copy
 * whose line building to follow). Resources are read when scoring starts. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/caption_metric.h"
#include "metrics/meteor15.h"

typedef struct m15_state {
  char *wordnet, *meteor_data, *paraphrase;
  int line_mode;
} m15_state;

static int m15_create(void **state, p2c_error *err)
{
  *state = calloc(1, sizeof(m15_state));
  return *state ? P2C_OK : p2ci_error(err, P2C_ERR_NOMEM, "METEOR: out of memory");
}

static void m15_destroy(void *state)
{
  m15_state *s = state;
  if (!s) return;
  free(s->wordnet);
  free(s->meteor_data);
  free(s->paraphrase);
  free(s);
}

static int set_path(char **slot, const char *value, p2c_error *err)
{
  char *d = value && *value ? p2ci_strdup(value) : NULL;
  if (value && *value && !d) return p2ci_error(err, P2C_ERR_NOMEM, "METEOR: out of memory");
  free(*slot);
  *slot = d;
  return P2C_OK;
}

static int m15_set_option(void *state, const char *name, const char *value, p2c_error *err)
{
  m15_state *s = state;
  if (strcmp(name, "wordnet") == 0) return set_path(&s->wordnet, value, err);
  if (strcmp(name, "meteor_data") == 0) return set_path(&s->meteor_data, value, err);
  if (strcmp(name, "paraphrase") == 0) return set_path(&s->paraphrase, value, err);
  if (strcmp(name, "line") == 0) {
    static const char *const modes[] = {"pix2cap", "salaniz", "tylin"};
    for (int k = 0; k < 3; k++)
      if (value && strcmp(value, modes[k]) == 0) {
        s->line_mode = k;
        return P2C_OK;
      }
    return p2ci_error(err, P2C_ERR_INVALID_ARG,
                      "METEOR.line: unknown value '%s' (known: pix2cap, salaniz, tylin)",
                      value ? value : "(null)");
  }
  return P2C_ERR_NOT_FOUND;
}

static const char *m15_variant(void *state)
{
  m15_state *s = state;
  return s && s->paraphrase ? "meteor-1.5" : "meteor-1.5-nopara";
}

/* The tokenized string of caption c: its split(" ") words joined by spaces. */
static int caption_text(const p2ci_caption_set *set, size_t c, char **buf, size_t *cap)
{
  const uint32_t *w;
  size_t n = p2ci_set_words(set, c, P2CI_SPLIT_SPACE, &w), len = 0;
  if (p2ci_grow(buf, cap, 1, 1)) return P2C_ERR_NOMEM;
  for (size_t k = 0; k < n; k++) {
    size_t wl;
    const char *s = p2ci_vocab_word(set->vocab, w[k], &wl);
    if (p2ci_grow(buf, cap, len + wl + 2, 1)) return P2C_ERR_NOMEM;
    if (k) (*buf)[len++] = ' ';
    memcpy(*buf + len, s, wl);
    len += wl;
  }
  (*buf)[len] = '\0';
  return P2C_OK;
}

static int m15_compute(void *state, const p2ci_caption_set *set, double *corpus, double *per_item,
                       p2c_error *err)
{
  m15_state *st = state;
  p2c_meteor15_options o = P2C_METEOR15_OPTIONS_INIT;
  o.wordnet_dir = st->wordnet;
  o.meteor_data_dir = st->meteor_data;
  o.paraphrase_path = st->paraphrase;
  o.line_mode = st->line_mode;
  p2c_meteor15 *m;
  int rc = p2c_meteor15_create(&o, &m, err);
  if (rc) return rc;
  char *hyp = NULL, **refs = NULL;
  size_t hyp_cap = 0, *ref_cap = NULL, nref_cap = 0;
  double acc[P2C_METEOR15_NUM_STATS] = {0}, stats[P2C_METEOR15_NUM_STATS];
  for (size_t i = 0; i < set->n_items; i++) {
    size_t nr = p2ci_set_num_refs(set, i);
    if (nr > nref_cap) {
      char **r = realloc(refs, nr * sizeof *r);
      size_t *rc2 = r ? realloc(ref_cap, nr * sizeof *rc2) : NULL;
      if (r) refs = r;
      if (rc2) ref_cap = rc2;
      if (!r || !rc2) {
        rc = P2C_ERR_NOMEM;
        goto fail_item;
      }
      memset(refs + nref_cap, 0, (nr - nref_cap) * sizeof *refs);
      memset(ref_cap + nref_cap, 0, (nr - nref_cap) * sizeof *ref_cap);
      nref_cap = nr;
    }
    if ((rc = caption_text(set, p2ci_set_hyp(set, i), &hyp, &hyp_cap)) != 0) goto fail_item;
    for (size_t r = 0; r < nr; r++)
      if ((rc = caption_text(set, p2ci_set_ref(set, i, r), &refs[r], &ref_cap[r])) != 0)
        goto fail_item;
    rc = p2c_meteor15_score(m, hyp, (const char *const *)refs, nr, &per_item[i], stats);
    if (rc) goto fail_item;
    p2c_meteor15_stats_add(acc, stats);
    continue;
  fail_item:
    rc = p2ci_error(err, rc, "METEOR (1.5), key %s: %s", set->keys[i],
                    rc == P2C_ERR_NOMEM ? "out of memory" : p2c_meteor15_last_error(m));
    goto done;
  }
  *corpus = p2c_meteor15_stats_score(acc);
  rc = P2C_OK;
done:
  for (size_t r = 0; r < nref_cap; r++) free(refs[r]);
  free(refs);
  free(ref_cap);
  free(hyp);
  p2c_meteor15_free(m);
  return rc;
}

extern const p2ci_caption_metric p2ci_metric_meteor15;
const p2ci_caption_metric p2ci_metric_meteor15 = {
    .name = "METEOR",
    .flags = 0,
    .n_outputs = 1,
    .outputs = {"METEOR"},
    .create = m15_create,
    .destroy = m15_destroy,
    .set_option = m15_set_option,
    .compute = m15_compute,
    .variant = m15_variant,
};
