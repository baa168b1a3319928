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

/* The counters of a partial alignment (PartialAlignment's int fields). */
typedef struct pstate {
  int match_count, matches1, matches2, all1, all2, chunks, idx, last_end, distance;
} pstate;

typedef struct path {
  pstate s;
  int *matches; /* n2 entries: index into the candidate array, or -1 */
  unsigned char *used1, *used2;
  struct path *next_free;
  int kept; /* survives the current step as itself */
} path;

/* A path of the next step before it exists: a parent's counters after
 * extending it with candidate ci (ci < 0: the parent itself, updated). Only
 * the ones that make the beam are materialized, which saves copying the
 * arrays of every path METEOR creates and then drops. */
typedef struct succ {
  pstate s;
  path *parent;
  int ci;
} succ;

struct p2ci_m15_aligner {
  p2ci_m15_match *cand; /* all candidates, in insertion order */
  size_t num_cand, cap_cand;
  size_t *list_start, *list_len, cap_lists; /* per reference position */
  size_t *order, cap_order;                 /* candidates grouped by reference start */
  int *cov1, *cov2;
  size_t cap_cov1, cap_cov2;
  path **cur;
  size_t cap_cur;
  succ *next, *tmp;
  size_t cap_next, cap_tmp;
  uint32_t beam_order[BEAM];
  path *free_list;
  size_t path_n1, path_n2; /* sizes the pooled paths were made for */
};

p2ci_m15_aligner *p2ci_m15_aligner_new(void) { return calloc(1, sizeof(p2ci_m15_aligner)); }

static void drop_pool(p2ci_m15_aligner *a)
{
  while (a->free_list) {
    path *p = a->free_list;
    a->free_list = p->next_free;
    free(p);
  }
}

void p2ci_m15_aligner_free(p2ci_m15_aligner *a)
{
  if (!a) return;
  drop_pool(a);
  free(a->cand);
  free(a->list_start);
  free(a->list_len);
  free(a->order);
  free(a->cov1);
  free(a->cov2);
  free(a->cur);
  free(a->next);
  free(a->tmp);
  free(a);
}

static path *path_alloc(p2ci_m15_aligner *a)
{
  path *p = a->free_list;
  if (p) {
    a->free_list = p->next_free;
    return p;
  }
  size_t n1 = a->path_n1, n2 = a->path_n2;
  size_t bytes = sizeof *p + n2 * sizeof(int) + n1 + n2;
  p = malloc(bytes);
  if (!p) return NULL;
  p->matches = (int *)(p + 1);
  p->used2 = (unsigned char *)(p->matches + n2);
  p->used1 = p->used2 + n2;
  return p;
}

static void path_release(p2ci_m15_aligner *a, path *p)
{
  p->next_free = a->free_list;
  a->free_list = p;
}

static path *path_copy(p2ci_m15_aligner *a, const path *src)
{
  path *p = path_alloc(a);
  if (!p) return NULL;
  p->s = src->s;
  memcpy(p->matches, src->matches, a->path_n2 * sizeof *p->matches);
  memcpy(p->used1, src->used1, a->path_n1);
  memcpy(p->used2, src->used2, a->path_n2);
  return p;
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
  if (!(x->syn_sig & y->syn_sig)) return 0;
  size_t i = 0, j = 0;
  while (i < x->num_syn && j < y->num_syn) {
    if (x->syn[i] == y->syn[j]) return 1;
    if (x->syn[i] < y->syn[j]) i++;
    else j++;
  }
  return 0;
}

/* PARTIAL_COMPARE_TOTAL: more (int) weighted matches, then fewer chunks, then
 * smaller distance. */
static int cmp_state(const pstate *x, const pstate *y)
{
  int d = (y->matches1 + y->matches2) - (x->matches1 + x->matches2);
  if (d > 0) return 1;
  if (d < 0) return -1;
  if (x->chunks != y->chunks) return x->chunks - y->chunks;
  return x->distance - y->distance;
}

/* The first k successors of a stable sort (Java's Collections.sort), in
 * order, moved to v[0..k); returns min(k, n). The search only ever uses
 * those: it keeps the first BEAM paths and finally takes the first. order
 * is scratch for k indices, out for k successors. */
static size_t select_sorted(succ *v, uint32_t *order, succ *out, size_t n, size_t k)
{
  size_t c = 0;
  for (size_t i = 0; i < n; i++) {
    const pstate *p = &v[i].s;
    if (c == k && cmp_state(p, &v[order[c - 1]].s) >= 0) continue;
    size_t lo = 0, hi = c; /* after every successor that does not come after p */
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (cmp_state(p, &v[order[mid]].s) < 0) hi = mid;
      else lo = mid + 1;
    }
    if (c < k) c++;
    memmove(order + lo + 1, order + lo, (c - 1 - lo) * sizeof *order);
    order[lo] = (uint32_t)i;
  }
  for (size_t r = 0; r < c; r++) out[r] = v[order[r]];
  memcpy(v, out, c * sizeof *v);
  return c;
}

static const double search_weight[P2CI_M15_MODULES] = {1.0, 0.5, 0.5, 0.5};

/* The bookkeeping of taking candidate m (Aligner.resolve); the caller adds
 * the distance where METEOR does. */
static void take(pstate *p, const p2ci_m15_match *m)
{
  double w = search_weight[m->module];
  p->match_count++;
  p->matches1 = (int)((double)p->matches1 + m->match_length * w);
  p->matches2 = (int)((double)p->matches2 + m->length * w);
  p->all1 += m->match_length;
  p->all2 += m->length;
  if (p->last_end != -1 && m->match_start != p->last_end) p->chunks++;
  p->idx = m->start + m->length;
  p->last_end = m->match_start + m->match_length;
}

static int push(p2ci_m15_aligner *a, size_t *n, const pstate *s, path *parent, int ci)
{
  if (p2ci_grow(&a->next, &a->cap_next, *n + 1, sizeof *a->next)) return P2C_ERR_NOMEM;
  a->next[*n].s = *s;
  a->next[*n].parent = parent;
  a->next[*n].ci = ci;
  (*n)++;
  return 0;
}

/* The successors of the paths in cur at reference position current. */
static int expand(p2ci_m15_aligner *a, size_t ncur, size_t current, size_t n2, size_t *nnext)
{
  int rc = 0;
  for (size_t rank = 0; rank < ncur && !rc; rank++) {
    path *p = a->cur[rank];
    pstate s = p->s;
    if (current == n2) {
      if (s.last_end != -1) s.chunks++;
      rc = push(a, nnext, &s, p, -1);
      continue;
    }
    if (p->used2[current]) {
      if ((int)current < s.idx) {
        rc = push(a, nnext, &s, p, -1);
      } else if (p->matches[s.idx] >= 0) {
        const p2ci_m15_match *m = &a->cand[p->matches[s.idx]];
        take(&s, m);
        s.distance += abs(m->start - m->match_start);
        rc = push(a, nnext, &s, p, -1);
      }
      /* else: the path is dropped, as in METEOR */
      continue;
    }
    for (size_t k = 0; k < a->list_len[current] && !rc; k++) {
      size_t ci = a->order[a->list_start[current] + k];
      const p2ci_m15_match *m = &a->cand[ci];
      int used = 0;
      for (int q = 0; q < m->length && !used; q++) used = p->used2[m->start + q];
      for (int q = 0; q < m->match_length && !used; q++) used = p->used1[m->match_start + q];
      if (used) continue;
      pstate child = s;
      take(&child, m);
      rc = push(a, nnext, &child, p, (int)ci);
      s.distance += abs(m->start - m->match_start); /* sic: the parent's distance */
    }
    if (rc) break;
    if (s.last_end != -1) {
      s.chunks++;
      s.last_end = -1;
    }
    s.idx++;
    rc = push(a, nnext, &s, p, -1);
  }
  return rc;
}

/* Turn the selected successors into the paths of cur; release the rest. */
static int materialize(p2ci_m15_aligner *a, size_t ncur, size_t nsel, size_t current)
{
  /* children first: they copy their parent's arrays, which no step changes */
  for (size_t k = 0; k < nsel; k++) {
    succ *x = &a->next[k];
    if (x->ci < 0) continue;
    path *np = path_copy(a, x->parent);
    if (!np) return P2C_ERR_NOMEM;
    const p2ci_m15_match *m = &a->cand[x->ci];
    for (int q = 0; q < m->length; q++) np->used2[m->start + q] = 1;
    for (int q = 0; q < m->match_length; q++) np->used1[m->match_start + q] = 1;
    np->matches[current] = x->ci;
    x->parent = np; /* now holds the path itself */
  }
  for (size_t r = 0; r < ncur; r++) a->cur[r]->kept = 0;
  for (size_t k = 0; k < nsel; k++) {
    a->next[k].parent->s = a->next[k].s;
    a->next[k].parent->kept = 1;
  }
  /* parents that did not survive as themselves */
  for (size_t r = 0; r < ncur; r++)
    if (!a->cur[r]->kept) path_release(a, a->cur[r]);
  if (p2ci_grow(&a->cur, &a->cap_cur, nsel, sizeof *a->cur)) {
    for (size_t k = 0; k < nsel; k++) path_release(a, a->next[k].parent);
    return P2C_ERR_NOMEM;
  }
  for (size_t k = 0; k < nsel; k++) a->cur[k] = a->next[k].parent;
  return 0;
}

static int resolve(p2ci_m15_aligner *a, size_t n2, path *start, path **best)
{
  if (p2ci_grow(&a->cur, &a->cap_cur, 1, sizeof *a->cur)) {
    path_release(a, start);
    return P2C_ERR_NOMEM;
  }
  a->cur[0] = start;
  size_t ncur = 1;
  int rc = 0;
  for (size_t current = 0; current <= n2 && !rc; current++) {
    size_t nnext = 0;
    rc = expand(a, ncur, current, n2, &nnext);
    if (rc) break;
    if (nnext == 0) {
      /* "unexpected conditions": METEOR goes on with the best path, unchanged */
      for (size_t r = 1; r < ncur; r++) path_release(a, a->cur[r]);
      ncur = 1;
      continue;
    }
    if (p2ci_grow(&a->tmp, &a->cap_tmp, BEAM, sizeof *a->tmp)) {
      rc = P2C_ERR_NOMEM;
      break;
    }
    size_t nsel = select_sorted(a->next, a->beam_order, a->tmp, nnext, current == n2 ? 1 : BEAM);
    rc = materialize(a, ncur, nsel, current);
    if (rc) return rc; /* materialize released everything */
    ncur = nsel;
  }
  if (rc) {
    for (size_t r = 0; r < ncur; r++) path_release(a, a->cur[r]);
    return rc;
  }
  *best = a->cur[0];
  return 0;
}

static int prepare(p2ci_m15_aligner *a, size_t n1, size_t n2)
{
  if (a->path_n1 != n1 || a->path_n2 != n2) {
    drop_pool(a);
    a->path_n1 = n1;
    a->path_n2 = n2;
  }
  size_t cap = a->cap_lists;
  if (p2ci_grow(&a->list_start, &cap, n2 + 1, sizeof *a->list_start)) return P2C_ERR_NOMEM;
  cap = a->cap_lists;
  if (p2ci_grow(&a->list_len, &cap, n2 + 1, sizeof *a->list_len)) return P2C_ERR_NOMEM;
  a->cap_lists = cap;
  if (p2ci_grow(&a->cov1, &a->cap_cov1, n1 + 1, sizeof *a->cov1)) return P2C_ERR_NOMEM;
  if (p2ci_grow(&a->cov2, &a->cap_cov2, n2 + 1, sizeof *a->cov2)) return P2C_ERR_NOMEM;
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

  path *start = path_alloc(a);
  if (!start) return P2C_ERR_NOMEM;
  memset(&start->s, 0, sizeof start->s);
  start->s.last_end = -1;
  for (size_t j = 0; j < n2; j++) start->matches[j] = -1;
  memset(start->used1, 0, n1);
  memset(start->used2, 0, n2);
  /* Definite matches: alone at their position and covering words nothing else covers. */
  for (size_t j = 0; j < n2; j++) {
    if (a->list_len[j] != 1) continue;
    size_t ci = a->order[a->list_start[j]];
    const p2ci_m15_match *m = &a->cand[ci];
    int overlap = 0;
    for (int q = 0; q < m->length; q++) overlap |= a->cov2[j + (size_t)q] != 1;
    for (int q = 0; q < m->match_length; q++) overlap |= a->cov1[m->match_start + q] != 1;
    if (overlap) continue;
    start->matches[j] = (int)ci;
    for (int q = 0; q < m->length; q++) start->used2[j + (size_t)q] = 1;
    for (int q = 0; q < m->match_length; q++) start->used1[m->match_start + q] = 1;
  }
  path *best = NULL;
  if ((rc = resolve(a, n2, start, &best))) return rc;

  /* Statistics (Aligner.align, MeteorScorer.getMeteorStats). */
  memset(stats, 0, 23 * sizeof *stats);
  int content1[P2CI_M15_MODULES] = {0}, content2[P2CI_M15_MODULES] = {0};
  int function1[P2CI_M15_MODULES] = {0}, function2[P2CI_M15_MODULES] = {0};
  int fw1 = 0, fw2 = 0;
  for (size_t i = 0; i < n1; i++) fw1 += hyp[i].function_word;
  for (size_t j = 0; j < n2; j++) fw2 += ref[j].function_word;
  for (size_t j = 0; j < n2; j++) {
    if (best->matches[j] < 0) continue;
    const p2ci_m15_match *m = &a->cand[best->matches[j]];
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
    if (best->matches[idx] < 0) {
      if (last_end != -1) {
        chunks++;
        last_end = -1;
      }
      idx++;
      continue;
    }
    const p2ci_m15_match *m = &a->cand[best->matches[idx]];
    w1 += m->match_length;
    w2 += m->length;
    if (last_end != -1 && m->match_start != last_end) chunks++;
    idx = (size_t)m->start + (size_t)(m->length > 0 ? m->length : 1);
    last_end = m->match_start + m->match_length;
  }
  if (last_end != -1) chunks++;
  path_release(a, best);

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
