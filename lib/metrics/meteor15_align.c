/* METEOR 1.5's aligner (aligner/Aligner.java, Stage, PartialAlignment): the
 * four matchers fill per-reference-position candidate lists, candidates that
 * are alone and uncontested are fixed, then a beam search (width 40) over
 * reference positions picks the alignment. Details kept for parity:
 *  - words are compared by Java String.hashCode (the Stage keys);
 *  - the search's match totals are Java ints updated with `+= len * w`, so a
 *    non-exact one-word match (w = 0.5) adds 0 (compound-assignment truncation);
 *  - when a candidate is taken, the distance is added to the parent path;
 *  - paths are ordered with a stable sort (Collections.sort). */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/meteor15.h"

#define BEAM 40

/* The counters of a partial alignment that the search compares and updates
 * (PartialAlignment's fields), and the path's matches as a trail: the last
 * taken candidate, each node pointing to the previous one (shared by
 * descendants). PARTIAL_COMPARE_TOTAL ranks paths by more (int) weighted
 * matches, then fewer chunks, then smaller distance; matches1 + matches2 and
 * chunks (non-negative ints, used only there) live packed in key, so that the
 * first two criteria are one unsigned comparison:
 * key = (INT32_MAX - (matches1 + matches2)) << 32 | chunks. */
typedef struct pstate {
  uint64_t key;
  int distance, idx, last_end, trail;
} pstate;

#define KEY_START ((uint64_t)INT32_MAX << 32)
#define KEY_MATCHES(n) ((uint64_t)(n) << 32)

/* A path of the next step: a parent's counters after extending it with
 * candidate ci (ci < 0: the parent itself, updated). Only the ones that make
 * the beam become paths. */
typedef struct succ {
  pstate s;
  int parent, ci;
} succ;

struct p2ci_m15_aligner {
  p2ci_m15_match *cand; /* all candidates, in insertion order */
  size_t num_cand, cap_cand;
  size_t *list_start, *list_len, cap_lists; /* per reference position */
  size_t *order, cap_order;                 /* candidates grouped by reference start */
  int *cov1, *cov2;
  size_t cap_cov1, cap_cov2;
  int *gain, *dist;           /* per candidate: (int) weighted words, |start - match_start| */
  unsigned char *blocked;     /* per candidate: its reference span meets a definite match */
  size_t cap_cinfo;
  int *max_gain;              /* per reference position: largest gain of its candidates */
  int *definite;              /* per reference position: definite candidate or -1 */
  unsigned char *fixed2;      /* per reference position: covered by a definite match */
  size_t cap_def;
  int *matches;               /* the chosen path's candidate per reference position */
  size_t cap_matches;
  /* The beam: paths as counters plus a bitset of used hypothesis words each
   * (w words of 64 bits), double-buffered. */
  pstate beam[2][BEAM], *cur, *nxt;
  uint64_t *used, *used_next;
  size_t cap_used;
  size_t w;
  succ *next;
  size_t cap_next;
  uint32_t beam_order[BEAM];
  size_t nsel, sel_k; /* successors in beam_order, and how many to keep */
  int *trail_ci, *trail_prev; /* trail nodes, reset at each alignment */
  size_t num_trail, cap_trail_ci, cap_trail_prev;
};

p2ci_m15_aligner *p2ci_m15_aligner_new(void) { return calloc(1, sizeof(p2ci_m15_aligner)); }

void p2ci_m15_aligner_free(p2ci_m15_aligner *a)
{
  if (!a) return;
  free(a->cand);
  free(a->list_start);
  free(a->list_len);
  free(a->order);
  free(a->cov1);
  free(a->cov2);
  free(a->gain);
  free(a->dist);
  free(a->blocked);
  free(a->definite);
  free(a->max_gain);
  free(a->fixed2);
  free(a->matches);
  free(a->used);
  free(a->used_next);
  free(a->next);
  free(a->trail_ci);
  free(a->trail_prev);
  free(a);
}

static int add_cand(void *ctx, const p2ci_m15_match *m)
{
  p2ci_m15_aligner *a = ctx;
  if (p2ci_grow(&a->cand, &a->cap_cand, a->num_cand + 1, sizeof *a->cand)) return P2C_ERR_NOMEM;
  a->cand[a->num_cand++] = *m;
  for (int k = 0; k < m->match_length; k++) a->cov1[m->match_start + k]++;
  for (int k = 0; k < m->length; k++) a->cov2[m->start + k]++;
  return 0;
}

static int add_pair(p2ci_m15_aligner *a, size_t j, size_t i, int module)
{
  p2ci_m15_match m = {(int)j, 1, (int)i, 1, module};
  return add_cand(a, &m);
}

static int sets_intersect(const p2ci_m15_token *x, const p2ci_m15_token *y)
{
  if (!((x->syn_sig[0] & y->syn_sig[0]) | (x->syn_sig[1] & y->syn_sig[1]) |
        (x->syn_sig[2] & y->syn_sig[2]) | (x->syn_sig[3] & y->syn_sig[3])))
    return 0;
  size_t i = 0, j = 0;
  while (i < x->num_syn && j < y->num_syn) {
    if (x->syn[i] == y->syn[j]) return 1;
    if (x->syn[i] < y->syn[j]) i++;
    else j++;
  }
  return 0;
}

/* Does x come strictly before y in PARTIAL_COMPARE_TOTAL order? */
static inline int before(const pstate *x, const pstate *y)
{
  return x->key < y->key || (x->key == y->key && x->distance < y->distance);
}

/* Aligner's module weights during the search (MeteorScorer sets them to 1.0
 * for exact and 0.5 for the others). */
static const double search_weight[P2CI_M15_MODULES] = {1.0, 0.5, 0.5, 0.5};

/* The bookkeeping of taking candidate ci (Aligner.resolve): matches1 and
 * matches2 are Java ints updated with `+= length * weight` (weight 1.0 for
 * exact, 0.5 otherwise), hence the precomputed truncated gain; the caller
 * adds the distance where METEOR does. */
static inline void take(const p2ci_m15_aligner *a, pstate *p, size_t ci)
{
  const p2ci_m15_match *m = &a->cand[ci];
  p->key -= KEY_MATCHES(a->gain[ci]);
  if (p->last_end != -1 && m->match_start != p->last_end) p->key++; /* chunks++ */
  p->idx = m->start + m->length;
  p->last_end = m->match_start + m->match_length;
}

/* Offer a successor to the next beam. The beam keeps the first k successors
 * of a stable sort (Java's Collections.sort) of all of them, in order
 * (a->beam_order, indices into a->next): the search only ever uses those, the
 * first BEAM paths and finally the first. A successor that would come after
 * k others is not even stored. */
static inline void push(p2ci_m15_aligner *a, size_t *n, const pstate *s, size_t parent, int ci)
{
  size_t c = a->nsel, lo = 0, hi = c;
  uint32_t *order = a->beam_order;
  if (c && !before(s, &a->next[order[c - 1]].s)) {
    if (c == a->sel_k) return;
    lo = c; /* the common case: after every successor so far */
  }
  while (lo < hi) { /* after every successor that p does not come before */
    size_t mid = lo + (hi - lo) / 2;
    if (before(s, &a->next[order[mid]].s)) hi = mid;
    else lo = mid + 1;
  }
  succ *x = &a->next[*n];
  x->s = *s;
  x->parent = (int)parent;
  x->ci = ci;
  if (c < a->sel_k) a->nsel = ++c;
  for (size_t r = c - 1; r > lo; r--) order[r] = order[r - 1];
  order[lo] = (uint32_t)(*n)++;
}

static inline int bit(const uint64_t *u, size_t i) { return (int)((u[i >> 6] >> (i & 63)) & 1); }

/* The successors of the beam's paths at reference position current. A path's
 * reference words at or after its idx are used only by definite matches
 * (taken candidates end before idx), and words before idx are all used, so
 * line2UsedWords is (current < idx || fixed2[current]) and needs no copy per
 * path. */
static int expand(p2ci_m15_aligner *a, size_t ncur, size_t current, size_t n2, size_t *nnext)
{
  size_t nl = current < n2 ? a->list_len[current] : 0;
  if (p2ci_grow(&a->next, &a->cap_next, ncur * (nl + 1) + 1, sizeof *a->next)) return P2C_ERR_NOMEM;
  const size_t *list = current < n2 ? a->order + a->list_start[current] : NULL;
  uint64_t max_gain = KEY_MATCHES(current < n2 ? a->max_gain[current] : 0);
  for (size_t rank = 0; rank < ncur; rank++) {
    pstate s = a->cur[rank];
    if (a->nsel == a->sel_k) {
      /* No successor of this path ranks above (s.key - max_gain, s.distance):
       * chunks and distance only grow. If that bound does not beat the last
       * successor kept, none of them enters the beam, nor any of the later
       * paths' (the beam is sorted, so their bounds are no better). */
      pstate bound = s;
      bound.key -= max_gain;
      if (!before(&bound, &a->next[a->beam_order[a->nsel - 1]].s)) break;
    }
    if (current == n2) {
      if (s.last_end != -1) s.key++; /* chunks++ */
      push(a, nnext, &s, rank, -1);
      continue;
    }
    if ((int)current < s.idx) {
      push(a, nnext, &s, rank, -1);
      continue;
    }
    if (a->fixed2[current]) {
      int d = a->definite[s.idx];
      if (d >= 0) {
        take(a, &s, (size_t)d);
        s.distance += a->dist[d];
        push(a, nnext, &s, rank, -1);
      }
      /* else: the path is dropped, as in METEOR */
      continue;
    }
    const uint64_t *u = a->used + rank * a->w;
    for (size_t k = 0; k < nl; k++) {
      size_t ci = list[k];
      if (a->blocked[ci]) continue;
      const p2ci_m15_match *m = &a->cand[ci];
      int used = 0;
      for (int q = 0; q < m->match_length && !used; q++) used = bit(u, (size_t)(m->match_start + q));
      if (used) continue;
      pstate child = s;
      take(a, &child, ci);
      push(a, nnext, &child, rank, (int)ci);
      s.distance += a->dist[ci]; /* sic: the parent's distance */
    }
    if (s.last_end != -1) {
      s.key++; /* chunks++ */
      s.last_end = -1;
    }
    s.idx++;
    push(a, nnext, &s, rank, -1);
  }
  return 0;
}

/* Turn the selected successors into the beam's paths. */
static int materialize(p2ci_m15_aligner *a, size_t nsel)
{
  size_t w = a->w, need = a->num_trail + nsel;
  if (p2ci_grow(&a->trail_ci, &a->cap_trail_ci, need, sizeof *a->trail_ci) ||
      p2ci_grow(&a->trail_prev, &a->cap_trail_prev, need, sizeof *a->trail_prev))
    return P2C_ERR_NOMEM;
  for (size_t k = 0; k < nsel; k++) {
    const succ *x = &a->next[a->beam_order[k]];
    uint64_t *u = a->used_next + k * w;
    const uint64_t *pu = a->used + (size_t)x->parent * w;
    if (w == 1) *u = *pu; /* hypotheses of up to 63 words */
    else memcpy(u, pu, w * sizeof *u);
    a->nxt[k] = x->s;
    if (x->ci < 0) continue;
    const p2ci_m15_match *m = &a->cand[x->ci];
    for (int q = 0; q < m->match_length; q++) {
      size_t i = (size_t)(m->match_start + q);
      u[i >> 6] |= (uint64_t)1 << (i & 63);
    }
    a->trail_ci[a->num_trail] = x->ci;
    a->trail_prev[a->num_trail] = x->s.trail;
    a->nxt[k].trail = (int)a->num_trail++;
  }
  pstate *ps = a->cur;
  a->cur = a->nxt;
  a->nxt = ps;
  uint64_t *t = a->used;
  a->used = a->used_next;
  a->used_next = t;
  return 0;
}

/* Aligner.resolve: the beam search from the start path (definite matches
 * only, whose hypothesis words are in a->used[0..w)). */
static int resolve(p2ci_m15_aligner *a, size_t n2)
{
  a->cur = a->beam[0];
  a->nxt = a->beam[1];
  memset(&a->cur[0], 0, sizeof a->cur[0]);
  a->cur[0].key = KEY_START;
  a->cur[0].last_end = -1;
  a->cur[0].trail = -1;
  a->num_trail = 0;
  size_t ncur = 1;
  for (size_t current = 0; current <= n2; current++) {
    size_t nnext = 0;
    a->nsel = 0;
    a->sel_k = current == n2 ? 1 : BEAM;
    int rc = expand(a, ncur, current, n2, &nnext);
    if (rc) return rc;
    size_t nsel = a->nsel;
    if (nsel == 0) {
      /* "unexpected conditions": METEOR goes on with the best path, unchanged */
      ncur = 1;
      continue;
    }
    if ((rc = materialize(a, nsel))) return rc;
    ncur = nsel;
  }
  return 0;
}

static int prepare(p2ci_m15_aligner *a, size_t n1, size_t n2)
{
  size_t cap = a->cap_lists;
  if (p2ci_grow(&a->list_start, &cap, n2 + 1, sizeof *a->list_start)) return P2C_ERR_NOMEM;
  cap = a->cap_lists;
  if (p2ci_grow(&a->list_len, &cap, n2 + 1, sizeof *a->list_len)) return P2C_ERR_NOMEM;
  a->cap_lists = cap;
  if (p2ci_grow(&a->cov1, &a->cap_cov1, n1 + 1, sizeof *a->cov1)) return P2C_ERR_NOMEM;
  if (p2ci_grow(&a->cov2, &a->cap_cov2, n2 + 1, sizeof *a->cov2)) return P2C_ERR_NOMEM;
  cap = a->cap_def;
  if (p2ci_grow(&a->definite, &cap, n2 + 1, sizeof *a->definite)) return P2C_ERR_NOMEM;
  cap = a->cap_def;
  if (p2ci_grow(&a->max_gain, &cap, n2 + 1, sizeof *a->max_gain)) return P2C_ERR_NOMEM;
  cap = a->cap_def;
  if (p2ci_grow(&a->fixed2, &cap, n2 + 1, sizeof *a->fixed2)) return P2C_ERR_NOMEM;
  a->cap_def = cap;
  if (p2ci_grow(&a->matches, &a->cap_matches, n2 + 1, sizeof *a->matches)) return P2C_ERR_NOMEM;
  a->w = n1 / 64 + 1;
  cap = a->cap_used;
  if (p2ci_grow(&a->used, &cap, BEAM * a->w, sizeof *a->used)) return P2C_ERR_NOMEM;
  cap = a->cap_used;
  if (p2ci_grow(&a->used_next, &cap, BEAM * a->w, sizeof *a->used_next)) return P2C_ERR_NOMEM;
  a->cap_used = cap;
  memset(a->cov1, 0, (n1 + 1) * sizeof *a->cov1);
  memset(a->cov2, 0, (n2 + 1) * sizeof *a->cov2);
  a->num_cand = 0;
  return 0;
}

int p2ci_m15_align(p2ci_m15_aligner *a, const p2ci_m15_token *hyp, size_t n1,
                   const p2ci_m15_token *ref, size_t n2, const p2ci_m15_paraphrase *pp,
                   double stats[23])
{
  int rc = prepare(a, n1, n2);
  if (rc) return rc;
  /* Identical key sequences: only the exact module runs. */
  int identical = n1 == n2;
  for (size_t i = 0; identical && i < n1; i++) identical = hyp[i].hash == ref[i].hash;

  for (size_t j = 0; j < n2; j++)
    for (size_t i = 0; i < n1; i++)
      if (hyp[i].hash == ref[j].hash && (rc = add_pair(a, j, i, P2CI_M15_EXACT))) return rc;
  if (!identical) {
    for (size_t j = 0; j < n2; j++)
      for (size_t i = 0; i < n1; i++)
        if (hyp[i].stem_hash == ref[j].stem_hash && hyp[i].hash != ref[j].hash &&
            (rc = add_pair(a, j, i, P2CI_M15_STEM)))
          return rc;
    for (size_t j = 0; j < n2; j++)
      for (size_t i = 0; i < n1; i++)
        if (hyp[i].hash != ref[j].hash && sets_intersect(&hyp[i], &ref[j]) &&
            (rc = add_pair(a, j, i, P2CI_M15_SYNONYM)))
          return rc;
    if ((rc = p2ci_m15_paraphrase_match(pp, hyp, n1, ref, n2, add_cand, a))) return rc;
  }

  /* Group candidates by reference start, keeping insertion order. */
  if (p2ci_grow(&a->order, &a->cap_order, a->num_cand + 1, sizeof *a->order)) return P2C_ERR_NOMEM;
  memset(a->list_len, 0, (n2 + 1) * sizeof *a->list_len);
  for (size_t c = 0; c < a->num_cand; c++) a->list_len[a->cand[c].start]++;
  size_t acc = 0;
  for (size_t j = 0; j < n2; j++) {
    a->list_start[j] = acc;
    acc += a->list_len[j];
    a->list_len[j] = 0;
  }
  for (size_t c = 0; c < a->num_cand; c++) {
    size_t j = (size_t)a->cand[c].start;
    a->order[a->list_start[j] + a->list_len[j]++] = c;
  }

  /* Definite matches: alone at their position and covering words nothing else covers. */
  memset(a->used, 0, a->w * sizeof *a->used);
  for (size_t j = 0; j < n2; j++) {
    a->definite[j] = -1;
    a->fixed2[j] = 0;
  }
  for (size_t j = 0; j < n2; j++) {
    if (a->list_len[j] != 1) continue;
    size_t ci = a->order[a->list_start[j]];
    const p2ci_m15_match *m = &a->cand[ci];
    int overlap = 0;
    for (int q = 0; q < m->length; q++) overlap |= a->cov2[j + (size_t)q] != 1;
    for (int q = 0; q < m->match_length; q++) overlap |= a->cov1[m->match_start + q] != 1;
    if (overlap) continue;
    a->definite[j] = (int)ci;
    for (int q = 0; q < m->length; q++) a->fixed2[j + (size_t)q] = 1;
    for (int q = 0; q < m->match_length; q++) {
      size_t i = (size_t)(m->match_start + q);
      a->used[i >> 6] |= (uint64_t)1 << (i & 63);
    }
  }
  size_t cap = a->cap_cinfo;
  if (p2ci_grow(&a->gain, &cap, a->num_cand + 1, sizeof *a->gain)) return P2C_ERR_NOMEM;
  cap = a->cap_cinfo;
  if (p2ci_grow(&a->dist, &cap, a->num_cand + 1, sizeof *a->dist)) return P2C_ERR_NOMEM;
  cap = a->cap_cinfo;
  if (p2ci_grow(&a->blocked, &cap, a->num_cand + 1, sizeof *a->blocked)) return P2C_ERR_NOMEM;
  a->cap_cinfo = cap;
  for (size_t c = 0; c < a->num_cand; c++) {
    const p2ci_m15_match *m = &a->cand[c];
    double w = search_weight[m->module];
    /* (int)(matches1 + matchLength * w) with matches1 a non-negative int */
    a->gain[c] = (int)(m->match_length * w) + (int)(m->length * w);
    a->dist[c] = abs(m->start - m->match_start);
    int blocked = 0;
    for (int q = 0; q < m->length; q++) blocked |= a->fixed2[m->start + q];
    a->blocked[c] = (unsigned char)blocked;
  }
  for (size_t j = 0; j < n2; j++) {
    int g = 0;
    for (size_t k = 0; k < a->list_len[j]; k++) {
      int x = a->gain[a->order[a->list_start[j] + k]];
      if (x > g) g = x;
    }
    a->max_gain[j] = g;
  }
  if ((rc = resolve(a, n2))) return rc;
  /* The best path's matches: the definite ones and its trail. */
  memcpy(a->matches, a->definite, n2 * sizeof *a->matches);
  for (int t = a->cur[0].trail; t >= 0; t = a->trail_prev[t])
    a->matches[a->cand[a->trail_ci[t]].start] = a->trail_ci[t];
  const int *best = a->matches;

  /* Statistics (Aligner.align, MeteorScorer.getMeteorStats). */
  memset(stats, 0, 23 * sizeof *stats);
  int content1[P2CI_M15_MODULES] = {0}, content2[P2CI_M15_MODULES] = {0};
  int function1[P2CI_M15_MODULES] = {0}, function2[P2CI_M15_MODULES] = {0};
  int fw1 = 0, fw2 = 0;
  for (size_t i = 0; i < n1; i++) fw1 += hyp[i].function_word;
  for (size_t j = 0; j < n2; j++) fw2 += ref[j].function_word;
  for (size_t j = 0; j < n2; j++) {
    if (best[j] < 0) continue;
    const p2ci_m15_match *m = &a->cand[best[j]];
    for (int q = 0; q < m->match_length; q++) {
      if (hyp[m->match_start + q].function_word) function1[m->module]++;
      else content1[m->module]++;
    }
    for (int q = 0; q < m->length; q++) {
      if (ref[m->start + q].function_word) function2[m->module]++;
      else content2[m->module]++;
    }
  }
  /* getCountAndChunks: walk the chosen matches along the reference. */
  int w1 = 0, w2 = 0, chunks = 0, last_end = -1;
  size_t idx = 0;
  while (idx < n2) {
    if (best[idx] < 0) {
      if (last_end != -1) {
        chunks++;
        last_end = -1;
      }
      idx++;
      continue;
    }
    const p2ci_m15_match *m = &a->cand[best[idx]];
    w1 += m->match_length;
    w2 += m->length;
    if (last_end != -1 && m->match_start != last_end) chunks++;
    idx = (size_t)m->start + (size_t)(m->length > 0 ? m->length : 1);
    last_end = m->match_start + m->match_length;
  }
  if (last_end != -1) chunks++;

  stats[0] = (double)n1;
  stats[1] = (double)n2;
  stats[2] = fw1;
  stats[3] = fw2;
  for (int k = 0; k < P2CI_M15_MODULES; k++) {
    stats[4 + 4 * k] = content1[k];
    stats[5 + 4 * k] = content2[k];
    stats[6 + 4 * k] = function1[k];
    stats[7 + 4 * k] = function2[k];
  }
  stats[20] = chunks;
  stats[21] = w1;
  stats[22] = w2;
  return 0;
}
