/* The SPICE-style handle: WordNet, extraction, scene graphs, F-scores. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/summation.h"
#include "metrics/spice_internal.h"

struct p2c_spice {
  p2ci_wnlex *lex;
  p2ci_sp_syn syn;
  p2ci_sp_filters filters;
  p2ci_sp_extractor *ext;
  p2ci_sp_arena arena;
  p2ci_sp_graph test, ref;
  p2ci_sp_tuples ttest, tref;
  p2c_spice_tuple *out;
  size_t capout;
  p2c_error err;
};

static const char *const KIND_NAMES[P2C_SPICE_NUM_KINDS] = {"All",         "Object", "Attribute", "Relation",
                                                            "Cardinality", "Color",  "Size"};

const char *p2c_spice_kind_name(int kind)
{
  return kind >= 0 && kind < P2C_SPICE_NUM_KINDS ? KIND_NAMES[kind] : NULL;
}

int p2c_spice_create(const p2c_spice_options *opts, p2c_spice **out, p2c_error *err)
{
  if (!out) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_spice_create: out is NULL");
  *out = NULL;
  if (opts && opts->version != P2C_SPICE_OPTIONS_VERSION)
    return p2ci_error(err, P2C_ERR_VERSION, "p2c_spice_create: options version %u, expected %u", opts->version,
                      (unsigned)P2C_SPICE_OPTIONS_VERSION);
  const char *dir = opts && opts->wordnet_dir ? opts->wordnet_dir : "/usr/share/wordnet";
  p2c_spice *sp = calloc(1, sizeof *sp);
  if (!sp) return p2ci_error(err, P2C_ERR_NOMEM, "p2c_spice_create: out of memory");
  int rc = p2ci_wnlex_load(dir, &sp->lex, err);
  if (rc) goto fail;
  if (opts && opts->meteor_synsets && (rc = p2ci_wnlex_load_meteor_synsets(sp->lex, opts->meteor_synsets, err)))
    goto fail;
  sp->syn.lex = sp->lex;
  if ((rc = p2ci_sp_filters_init(&sp->filters, sp->lex)) || (rc = p2ci_sp_extractor_create(sp->lex, &sp->ext))) {
    p2ci_error(err, rc, "p2c_spice_create: out of memory");
    goto fail;
  }
  *out = sp;
  return P2C_OK;
fail:
  p2c_spice_free(sp);
  return rc;
}

void p2c_spice_free(p2c_spice *sp)
{
  if (!sp) return;
  p2ci_sp_extractor_free(sp->ext);
  p2ci_sp_filters_free(&sp->filters);
  p2ci_sp_syn_free(&sp->syn);
  p2ci_sp_arena_free(&sp->arena);
  free(sp->test.nodes);
  free(sp->test.edges);
  free(sp->ref.nodes);
  free(sp->ref.edges);
  free(sp->ttest.v);
  free(sp->tref.v);
  free(sp->out);
  p2ci_wnlex_free(sp->lex);
  free(sp);
}

const char *p2c_spice_last_error(const p2c_spice *sp)
{
  return sp ? sp->err.message : "";
}

static int fail(p2c_spice *sp, int code, const char *what)
{
  return p2ci_error(&sp->err, code, "spice-style: %s", what);
}

/* Evaluation.calcFScore of SPICE 1.0, beta = 1. */
static void prf(p2c_spice_prf *e, long test_n, long ref_n, long tp, int allow_nan)
{
  e->tp = tp;
  e->fp = test_n - tp;
  e->fn = ref_n - tp;
  e->pr = e->re = e->f = 0.0;
  if (ref_n > 0) {
    e->re = (double)tp / (double)ref_n;
    if (test_n > 0) e->pr = (double)tp / (double)test_n;
    if (e->pr > 0 && e->re > 0) e->f = (1.0 + 1.0) * (e->pr * e->re) / (1.0 * e->pr + e->re);
  }
  if (allow_nan && ref_n == 0) e->pr = e->re = e->f = NAN;
}

static void graph_reset(p2ci_sp_graph *g)
{
  g->nnodes = 0;
  g->nedges = 0;
}

static int score_lists(p2c_spice *sp, p2c_spice_detail *out)
{
  graph_reset(&sp->test);
  graph_reset(&sp->ref);
  int rc = P2C_OK;
  for (size_t i = 0; i < sp->tref.n && !rc; i++) rc = p2ci_sp_graph_add(&sp->ref, &sp->arena, &sp->syn, &sp->tref.v[i]);
  for (size_t i = 0; i < sp->ttest.n && !rc; i++)
    rc = p2ci_sp_graph_add(&sp->test, &sp->arena, &sp->syn, &sp->ttest.v[i]);
  p2ci_sp_counts c;
  if (!rc) rc = p2ci_sp_match(&sp->test, &sp->ref, &sp->filters, &sp->arena, &c);
  p2ci_sp_arena_reset(&sp->arena);
  if (rc) return fail(sp, rc, "out of memory while scoring");
  for (int k = 0; k < P2C_SPICE_NUM_KINDS; k++) prf(&out->kind[k], c.test[k], c.ref[k], c.tp[k], k != P2C_SPICE_ALL);
  return P2C_OK;
}

static int add_given(p2c_spice *sp, p2ci_sp_tuples *dst, const p2c_spice_tuple *t, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (t[i].arity < 1 || t[i].arity > 3) return fail(sp, P2C_ERR_INVALID_ARG, "a tuple has arity other than 1, 2, 3");
    int32_t w[3] = {-1, -1, -1};
    for (int k = 0; k < t[i].arity; k++) {
      if (!t[i].w[k]) return fail(sp, P2C_ERR_INVALID_ARG, "a tuple word is NULL");
      w[k] = p2ci_wnlex_intern(sp->lex, t[i].w[k], strlen(t[i].w[k]));
      if (w[k] < 0) return fail(sp, P2C_ERR_NOMEM, "out of memory");
    }
    if (p2ci_sp_tuples_push(dst, t[i].arity, w[0], w[1], w[2])) return fail(sp, P2C_ERR_NOMEM, "out of memory");
  }
  return P2C_OK;
}

int p2c_spice_score_tuples(p2c_spice *sp, const p2c_spice_tuple *ref_tuples, size_t nref,
                           const p2c_spice_tuple *hyp_tuples, size_t nhyp, p2c_spice_detail *out)
{
  if (!sp || !out || (nref && !ref_tuples) || (nhyp && !hyp_tuples)) {
    if (sp) fail(sp, P2C_ERR_INVALID_ARG, "p2c_spice_score_tuples: NULL argument");
    return P2C_ERR_INVALID_ARG;
  }
  sp->tref.n = sp->ttest.n = 0;
  int rc = add_given(sp, &sp->tref, ref_tuples, nref);
  if (!rc) rc = add_given(sp, &sp->ttest, hyp_tuples, nhyp);
  return rc ? rc : score_lists(sp, out);
}

int p2c_spice_score(p2c_spice *sp, const char *const *refs, size_t nrefs, const char *hyp, p2c_spice_detail *out)
{
  if (!sp || !out || !hyp || (nrefs && !refs)) {
    if (sp) fail(sp, P2C_ERR_INVALID_ARG, "p2c_spice_score: NULL argument");
    return P2C_ERR_INVALID_ARG;
  }
  sp->tref.n = sp->ttest.n = 0;
  /* a reference equal to the hypothesis (a third of the matched pairs in a
   * typical evaluation) gives its tuples: extraction depends on the text only */
  size_t same_from = 0, same_to = 0;
  int same = 0;
  for (size_t i = 0; i < nrefs; i++) {
    if (!refs[i]) return fail(sp, P2C_ERR_INVALID_ARG, "p2c_spice_score: a reference is NULL");
    size_t from = sp->tref.n;
    if (p2ci_sp_extract(sp->ext, refs[i], strlen(refs[i]), &sp->tref)) return fail(sp, P2C_ERR_NOMEM, "out of memory");
    if (!same && !strcmp(refs[i], hyp)) {
      same = 1;
      same_from = from;
      same_to = sp->tref.n;
    }
  }
  if (same) {
    for (size_t i = same_from; i < same_to; i++) {
      const p2ci_sp_tuple *t = &sp->tref.v[i];
      if (p2ci_sp_tuples_push(&sp->ttest, t->arity, t->w[0], t->w[1], t->w[2]))
        return fail(sp, P2C_ERR_NOMEM, "out of memory");
    }
  } else if (p2ci_sp_extract(sp->ext, hyp, strlen(hyp), &sp->ttest)) {
    return fail(sp, P2C_ERR_NOMEM, "out of memory");
  }
  return score_lists(sp, out);
}

int p2c_spice_extract(p2c_spice *sp, const char *caption, const p2c_spice_tuple **tuples, size_t *n)
{
  if (!sp || !caption || !tuples || !n) {
    if (sp) fail(sp, P2C_ERR_INVALID_ARG, "p2c_spice_extract: NULL argument");
    return P2C_ERR_INVALID_ARG;
  }
  sp->ttest.n = 0;
  if (p2ci_sp_extract(sp->ext, caption, strlen(caption), &sp->ttest)) return fail(sp, P2C_ERR_NOMEM, "out of memory");
  if (p2ci_grow(&sp->out, &sp->capout, sp->ttest.n + 1, sizeof *sp->out)) return fail(sp, P2C_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < sp->ttest.n; i++) {
    const p2ci_sp_tuple *t = &sp->ttest.v[i];
    sp->out[i].arity = t->arity;
    for (int k = 0; k < 3; k++) sp->out[i].w[k] = k < t->arity ? p2ci_wnlex_word(sp->lex, t->w[k]) : NULL;
  }
  *tuples = sp->out;
  *n = sp->ttest.n;
  return P2C_OK;
}

double p2c_spice_corpus(const double *all_f, size_t n)
{
  if (!all_f) return NAN;
  return p2ci_mean_numpy(all_f, n);
}
