/* METEOR variant "nltk" of the caption handle: NLTK 3.8 meteor_score on each
 * item's tokenized captions (str.split() words), max over references; the
 * corpus value is the plain left-to-right mean over items in key order (what
 * a Python loop over the keys gives: sum(scores) / len(scores)).
 * Option "wordnet" = WordNet folder (default: $P2C_WORDNET_DIR, else
 * /usr/share/wordnet), read when scoring starts. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/summation.h"
#include "metrics/caption_metric.h"
#include "metrics/meteor_nltk.h"

typedef struct nltk_state {
  char *wordnet_dir;
} nltk_state;

static int nltk_create(void **state, p2c_error *err)
{
  *state = calloc(1, sizeof(nltk_state));
  return *state ? P2C_OK : p2ci_error(err, P2C_ERR_NOMEM, "METEOR: out of memory");
}

static void nltk_destroy(void *state)
{
  nltk_state *s = state;
  if (!s) return;
  free(s->wordnet_dir);
  free(s);
}

static int nltk_set_option(void *state, const char *name, const char *value, p2c_error *err)
{
  nltk_state *s = state;
  if (strcmp(name, "wordnet") != 0) return P2C_ERR_NOT_FOUND;
  char *d = value ? p2ci_strdup(value) : NULL;
  if (value && !d) return p2ci_error(err, P2C_ERR_NOMEM, "METEOR: out of memory");
  free(s->wordnet_dir);
  s->wordnet_dir = d;
  return P2C_OK;
}

typedef struct ids {
  uint32_t *v;
  size_t n, cap;
} ids;

/* The METEOR word ids of caption c (its str.split() words); map caches vocab
 * id -> METEOR id (UINT32_MAX: not yet seen). */
static int caption_ids(p2c_meteor_nltk *m, const p2ci_caption_set *set, size_t c, uint32_t *map,
                       ids *out)
{
  const uint32_t *w;
  size_t n = p2ci_set_words(set, c, P2CI_SPLIT_WS, &w);
  if (p2ci_grow(&out->v, &out->cap, n + 1, sizeof *out->v)) return P2C_ERR_NOMEM;
  for (size_t k = 0; k < n; k++) {
    if (map[w[k]] == UINT32_MAX) {
      size_t len;
      const char *s = p2ci_vocab_word(set->vocab, w[k], &len);
      int rc = p2ci_meteor_nltk_word(m, s, len, &map[w[k]]);
      if (rc) return rc;
    }
    out->v[k] = map[w[k]];
  }
  out->n = n;
  return P2C_OK;
}

static int nltk_compute(void *state, const p2ci_caption_set *set, double *corpus,
                        double *per_item, p2c_error *err)
{
  nltk_state *st = state;
  p2c_meteor_nltk_options o = P2C_METEOR_NLTK_OPTIONS_INIT;
  o.wordnet_dir = st->wordnet_dir;
  p2c_meteor_nltk *m;
  int rc = p2c_meteor_nltk_create(&o, &m, err);
  if (rc) return rc;
  size_t nv = p2ci_vocab_size(set->vocab);
  uint32_t *map = p2ci_malloc_array(nv + 1, sizeof *map);
  ids hyp = {0}, ref = {0};
  if (!map) {
    rc = P2C_ERR_NOMEM;
    goto fail;
  }
  memset(map, 0xff, (nv + 1) * sizeof *map);
  for (size_t i = 0; i < set->n_items; i++) {
    if ((rc = caption_ids(m, set, p2ci_set_hyp(set, i), map, &hyp)) != 0) goto fail_item;
    double best = 0.0;
    for (size_t r = 0; r < p2ci_set_num_refs(set, i); r++) {
      double s;
      if ((rc = caption_ids(m, set, p2ci_set_ref(set, i, r), map, &ref)) != 0 ||
          (rc = p2ci_meteor_nltk_single(m, hyp.v, hyp.n, ref.v, ref.n, &s)) != 0)
        goto fail_item;
      if (r == 0 || s > best) best = s; /* Python max(): first of equals */
    }
    per_item[i] = best;
    continue;
  fail_item:
    rc = p2ci_error(err, rc, "METEOR (nltk), key %s: %s", set->keys[i],
                    rc == P2C_ERR_NOMEM ? "out of memory" : p2c_meteor_nltk_last_error(m));
    goto done;
  }
  *corpus = p2ci_sum_sequential(per_item, set->n_items) / (double)set->n_items;
  rc = P2C_OK;
  goto done;
fail:
  rc = p2ci_error(err, rc, "METEOR (nltk): out of memory");
done:
  free(map);
  free(hyp.v);
  free(ref.v);
  p2c_meteor_nltk_free(m);
  return rc;
}

extern const p2ci_caption_metric p2ci_metric_meteor_nltk;
const p2ci_caption_metric p2ci_metric_meteor_nltk = {
    .name = "METEOR",
    .flags = 0,
    .n_outputs = 1,
    .outputs = {"METEOR"},
    .create = nltk_create,
    .destroy = nltk_destroy,
    .set_option = nltk_set_option,
    .compute = nltk_compute,
};
