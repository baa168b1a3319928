/* The official mAP's METEOR: NLTK 3.8 meteor_score(references, hypothesis)
 * with hypothesis = the GT caption's str.split() words and references =
 * [x.split() for x in prediction]: for a string prediction that is one
 * reference per character (a letter becomes a one-word reference, a space an
 * empty one), for a list-valued prediction one reference per element.
 *
 * The scoring is the metrics layer's NLTK scorer (metrics/meteor_nltk.c) on
 * word ids; this file only decides which references the script builds. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/meteor_nltk.h"
#include "protocol/evaluator.h"
#include "text/pystr.h"

struct p2ci_meteor_cache {
  p2c_meteor_nltk *m; /* owns WordNet and the per-word caches */
  uint32_t *hyp, *ref;
  size_t cap_hyp, cap_ref;
  uint32_t *seen; /* code points of the prediction already scored */
  size_t cap_seen;
  char *hyp_text; /* hyp holds the nhyp words of this caption (a copy) */
  size_t nhyp;
};

void p2ci_meteor_cache_free(p2ci_meteor_cache *c)
{
  if (!c) return;
  p2c_meteor_nltk_free(c->m);
  free(c->hyp);
  free(c->ref);
  free(c->seen);
  free(c->hyp_text);
  free(c);
}

static int cache_open(p2c_evaluator *ev)
{
  if (ev->meteor) return P2C_OK;
  p2ci_meteor_cache *c = calloc(1, sizeof *c);
  if (!c) return p2ci_error(&ev->err, P2C_ERR_NOMEM, "out of memory");
  p2c_meteor_nltk_options o = P2C_METEOR_NLTK_OPTIONS_INIT;
  o.wordnet_dir = ev->opts.wordnet_dir;
  p2c_error e;
  int rc = p2c_meteor_nltk_create(&o, &c->m, &e);
  if (rc != P2C_OK) {
    free(c);
    return p2ci_error(&ev->err, rc, "WordNet for the official mAP METEOR: %s", e.message);
  }
  ev->meteor = c;
  return P2C_OK;
}

static int scorer_fail(p2c_evaluator *ev, int rc)
{
  if (rc == P2C_ERR_NOMEM) return p2ci_error(&ev->err, rc, "out of memory");
  return p2ci_error(&ev->err, rc, "official mAP METEOR: %s",
                    p2c_meteor_nltk_last_error(ev->meteor->m));
}

/* The word ids of s's str.split() words into *ids (grown as needed). */
static int split_ids(p2c_evaluator *ev, const char *s, uint32_t **ids, size_t *cap, size_t *n)
{
  const size_t len = strlen(s);
  size_t pos = 0, st, tl;
  *n = 0;
  while (p2ci_pysplit_next(s, len, &pos, &st, &tl)) {
    if (p2ci_grow(ids, cap, *n + 1, sizeof **ids) != P2C_OK) return P2C_ERR_NOMEM;
    int rc = p2ci_meteor_nltk_word(ev->meteor->m, s + st, tl, &(*ids)[*n]);
    if (rc != P2C_OK) return scorer_fail(ev, rc);
    (*n)++;
  }
  return P2C_OK;
}

int p2ci_official_record_meteor(p2c_evaluator *ev, const ev_record *r, double *out)
{
  *out = 0.0;
  int rc = cache_open(ev);
  if (rc != P2C_OK) return rc;
  p2ci_meteor_cache *c = ev->meteor;
  const char *gt = p2ci_text(ev, r->gt_caption);
  const char *pred = p2ci_text(ev, r->pred_caption);
  if (!gt || !pred) return P2C_OK; /* not reached: both are checked when added */
  if (p2ci_utf8_check(gt, strlen(gt)) != strlen(gt) || p2ci_utf8_check(pred, strlen(pred)) != strlen(pred))
    return p2ci_error(&ev->err, P2C_ERR_PARSE, "a caption is not valid UTF-8");
  size_t L = 0, R = 0;
  /* the records of one GT segment follow each other: split its caption once */
  if (!c->hyp_text || strcmp(c->hyp_text, gt) != 0) {
    free(c->hyp_text);
    c->hyp_text = NULL;
    if ((rc = split_ids(ev, gt, &c->hyp, &c->cap_hyp, &c->nhyp)) != P2C_OK) goto done;
    if (!(c->hyp_text = p2ci_strdup(gt))) {
      rc = P2C_ERR_NOMEM;
      goto done;
    }
  }
  L = c->nhyp;
  double best = 0.0, s;
  if (r->pred_is_list) {
    const char *el = pred;
    for (uint32_t k = 0; k < r->pred_list_len; k++, el += strlen(el) + 1) {
      if ((rc = split_ids(ev, el, &c->ref, &c->cap_ref, &R)) != P2C_OK) goto done;
      if ((rc = p2ci_meteor_nltk_single(c->m, c->hyp, L, c->ref, R, &s)) != P2C_OK) {
        rc = scorer_fail(ev, rc);
        goto done;
      }
      if (s > best) best = s;
    }
  } else {
    /* One reference per character: a space's is empty (score 0), any other
     * is the one word lower(character). A one-word reference scores either 0
     * or the single-match value, the same for every character, so the first
     * non-zero score is the maximum; a repeated character scores the same. */
    const size_t plen = strlen(pred);
    size_t pos = 0, nseen = 0;
    uint32_t cp;
    while (best == 0.0 && pos < plen) {
      const size_t at = pos;
      if (!p2ci_utf8_next(pred, plen, &pos, &cp)) break;
      if (p2ci_pyspace(cp)) continue;
      size_t k = 0;
      while (k < nseen && c->seen[k] != cp) k++;
      if (k < nseen) continue;
      if (p2ci_grow(&c->seen, &c->cap_seen, nseen + 1, sizeof *c->seen) != P2C_OK) {
        rc = P2C_ERR_NOMEM;
        goto done;
      }
      c->seen[nseen++] = cp;
      uint32_t one;
      if ((rc = p2ci_meteor_nltk_word(c->m, pred + at, pos - at, &one)) != P2C_OK ||
          (rc = p2ci_meteor_nltk_single(c->m, c->hyp, L, &one, 1, &best)) != P2C_OK) {
        rc = scorer_fail(ev, rc);
        goto done;
      }
    }
  }
  *out = best;
done:
  if (rc == P2C_ERR_NOMEM) return p2ci_error(&ev->err, rc, "out of memory");
  return rc;
}
