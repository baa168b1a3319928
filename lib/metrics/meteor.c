/* The METEOR family of the caption handle: one output, "METEOR", computed by
 * one of several variants chosen with the option METEOR.variant.
 *
 * Each variant is itself a p2ci_caption_metric (one output, "METEOR") listed
 * in variants[] below. The family creates every variant's state, forwards
 * every other option (METEOR.wordnet, ...) to each variant that knows it, and
 * runs the selected variant's compute. The first entry is the default. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/caption_metric.h"

/* Variants, each in its own file: one declaration and one table line. */
extern const p2ci_caption_metric p2ci_metric_meteor_nltk; /* meteor_nltk_captions.c */

extern const p2ci_caption_metric p2ci_metric_meteor15; /* meteor15_captions.c */

/* The first entry is the default. */
static const struct {
  const char *name;
  const p2ci_caption_metric *metric;
} variants[] = {
    {"1.5", &p2ci_metric_meteor15},
    {"nltk", &p2ci_metric_meteor_nltk},
};
#define N_VARIANTS (sizeof variants / sizeof variants[0])

typedef struct meteor_state {
  size_t variant;
  void *state[N_VARIANTS];
} meteor_state;

static void meteor_destroy(void *state)
{
  meteor_state *s = state;
  if (!s) return;
  for (size_t v = 0; v < N_VARIANTS; v++)
    if (variants[v].metric->destroy) variants[v].metric->destroy(s->state[v]);
  free(s);
}

static int meteor_create(void **state, p2c_error *err)
{
  meteor_state *s = calloc(1, sizeof *s);
  if (!s) return p2ci_error(err, P2C_ERR_NOMEM, "METEOR: out of memory");
  for (size_t v = 0; v < N_VARIANTS; v++) {
    int rc = variants[v].metric->create ? variants[v].metric->create(&s->state[v], err) : 0;
    if (rc) {
      meteor_destroy(s);
      return rc;
    }
  }
  *state = s;
  return P2C_OK;
}

static int meteor_set_option(void *state, const char *name, const char *value, p2c_error *err)
{
  meteor_state *s = state;
  if (strcmp(name, "variant") == 0) {
    char known[128] = "";
    for (size_t v = 0; v < N_VARIANTS; v++) {
      if (value && strcmp(value, variants[v].name) == 0) {
        s->variant = v;
        return P2C_OK;
      }
      strncat(known, v ? ", " : "", sizeof known - strlen(known) - 1);
      strncat(known, variants[v].name, sizeof known - strlen(known) - 1);
    }
    return p2ci_error(err, P2C_ERR_INVALID_ARG, "METEOR.variant: unknown variant '%s' (known: %s)",
                      value ? value : "(null)", known);
  }
  int found = 0;
  for (size_t v = 0; v < N_VARIANTS; v++) {
    const p2ci_caption_metric *m = variants[v].metric;
    if (!m->set_option) continue;
    int rc = m->set_option(s->state[v], name, value, err);
    if (rc == P2C_OK)
      found = 1;
    else if (rc != P2C_ERR_NOT_FOUND)
      return rc;
  }
  if (!found) return p2ci_error(err, P2C_ERR_NOT_FOUND, "unknown METEOR option '%s'", name);
  return P2C_OK;
}

static int meteor_compute(void *state, const p2ci_caption_set *set, double *corpus,
                          double *per_item, p2c_error *err)
{
  meteor_state *s = state;
  const p2ci_caption_metric *m = variants[s->variant].metric;
  return m->compute(s->state[s->variant], set, corpus, per_item, err);
}

static const char *meteor_variant(void *state)
{
  meteor_state *s = state;
  const p2ci_caption_metric *m = variants[s->variant].metric;
  return m->variant ? m->variant(s->state[s->variant]) : "meteor-nltk";
}

const p2ci_caption_metric p2ci_metric_meteor = {
    .name = "METEOR",
    .flags = 0, /* not computed unless asked for: it needs WordNet */
    .n_outputs = 1,
    .outputs = {"METEOR"},
    .create = meteor_create,
    .destroy = meteor_destroy,
    .set_option = meteor_set_option,
    .compute = meteor_compute,
    .variant = meteor_variant,
};
