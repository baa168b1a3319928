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

typedef struct path {
  int match_count, matches1, matches2, all1, all2, chunks, idx, last_end, distance;
  int *matches;       /* n2 entries: index into the candidate array, or -1 */
  unsigned char *used1, *used2;
  struct path *next_free;
} path;

struct p2ci_m15_aligner {
  p2ci_m15_match *cand; /* all candidates, in insertion order */
  size_t num_cand, cap_cand;
  size_t *list_start, *list_len, cap_lists; /* per reference position */
  size_t *order, cap_order;                 /* candidates grouped by reference start */
  int *cov1, *cov2;
  size_t cap_cov1, cap_cov2;
  path **cur, **next, **tmp;
  size_t cap_cur, cap_next, cap_tmp;
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
  int *m = p->matches;
  unsigned char *u1 = p->used1, *u2 = p->used2;
  *p = *src;
  p->matches = m;
  p->used1 = u1;
  p->used2 = u2;
  memcpy(m, src->matches, a->path_n2 * sizeof *m);
  memcpy(u1, src->used1, a->path_n1);
  memcpy(u2, src->used2, a->path_n2);
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
static int cmp_path(const path *x, const path *y)
{
  int d = (y->matches1 + y->matches2) - (x->matches1 + x->matches2);
  if (d > 0) return 1;
  if (d < 0) return -1;
  if (x->chunks != y->chunks) return x->chunks - y->chunks;
  return x->distance - y->distance;
}

/* The first k paths of a stable sort (Java's Collections.sort), in order,
 * moved to v[0..k); the others follow in any order. Only those are ever used:
 * the search keeps the first BEAM paths and finally takes the first. */
static void select_sorted(path **v, path **tmp, size_t n, size_t k)
{
  size_t c = 0, rest = n;
  for (size_t i = 0; i < n; i++) {
    path *p = v[i];
    if (c == k && cmp_path(p, tmp[c - 1]) >= 0) {
      tmp[--rest] = p;
      continue;
    }
    size_t lo = 0, hi = c; /* insert after every path that does not come after p */
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (cmp_path(p, tmp[mid]) < 0) hi = mid;
      else lo = mid + 1;
    }
    if (c == k) tmp[--rest] = tmp[c - 1];
    else c++;
    memmove(tmp + lo + 1, tmp + lo, (c - 1 - lo) * sizeof *tmp);
    tmp[lo] = p;
  }
  memcpy(v, tmp, n * sizeof *v);
}

static const double search_weight[P2CI_M15_MODULES] = {1.0, 0.5, 0.5, 0.5};

/* The bookkeeping of taking candidate m on path p (Aligner.resolve). */
static void take(path *p, const p2ci_m15_match *m)
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

static int push(p2ci_m15_aligner *a, size_t *n, path *p)
{
  if (p2ci_grow(&a->next, &a->cap_next, *n + 1, sizeof *a->next)) return P2C_ERR_NOMEM;
  a->next[(*n)++] = p;
  return 0;
}

static int resolve(p2ci_m15_aligner *a, size_t n2, path *start, path **best)
{
  size_t ncur = 0, nnext = 0;
  int rc = push(a, &nnext, start);
  if (rc) {
    path_release(a, start);
    return rc;
  }
  for (size_t current = 0; current <= n2; current++) {
    /* paths = nextPaths */
    path **t = a->cur;
    size_t tc = a->cap_cur;
    a->cur = a->next;
    a->cap_cur = a->cap_next;
    a->next = t;
    a->cap_next = tc;
    ncur = nnext;
    nnext = 0;
    if (p2ci_grow(&a->tmp, &a->cap_tmp, ncur, sizeof *a->tmp)) return P2C_ERR_NOMEM;
    size_t keep = ncur < BEAM ? ncur : BEAM;
    select_sorted(a->cur, a->tmp, ncur, keep);
    for (size_t rank = 0; rank < keep && !rc; rank++) {
      path *p = a->cur[rank];
      if (current == n2) {
        if (p->last_end != -1) p->chunks++;
        a->cur[rank] = NULL;
        rc = push(a, &nnext, p);
        if (rc) path_release(a, p);
        continue;
      }
      if (p->used2[current]) {
        if ((int)current < p->idx) {
          a->cur[rank] = NULL;
          rc = push(a, &nnext, p);
          if (rc) path_release(a, p);
        } else if (p->matches[p->idx] >= 0) {
          const p2ci_m15_match *m = &a->cand[p->matches[p->idx]];
          take(p, m);
          p->distance += abs(m->start - m->match_start);
          a->cur[rank] = NULL;
          rc = push(a, &nnext, p);
          if (rc) path_release(a, p);
        }
        /* else: the path is dropped (it stays in cur, unchanged) */
        continue;
      }
      for (size_t k = 0; k < a->list_len[current] && !rc; k++) {
        size_t ci = a->order[a->list_start[current] + k];
        const p2ci_m15_match *m = &a->cand[ci];
        int used = 0;
        for (int q = 0; q < m->length && !used; q++) used = p->used2[m->start + q];
        for (int q = 0; q < m->match_length && !used; q++) used = p->used1[m->match_start + q];
        if (used) continue;
        path *np = path_copy(a, p);
        if (!np) {
          rc = P2C_ERR_NOMEM;
          break;
        }
        for (int q = 0; q < m->length; q++) np->used2[m->start + q] = 1;
        for (int q = 0; q < m->match_length; q++) np->used1[m->match_start + q] = 1;
        np->matches[current] = (int)ci;
        take(np, m);
        p->distance += abs(m->start - m->match_start); /* sic: the parent's distance */
        rc = push(a, &nnext, np);
        if (rc) path_release(a, np);
      }
      if (rc) break;
      if (p->last_end != -1) {
        p->chunks++;
        p->last_end = -1;
      }
      p->idx++;
      a->cur[rank] = NULL;
      rc = push(a, &nnext, p);
      if (rc) path_release(a, p);
    }
    if (!rc && nnext == 0) {
      /* "unexpected conditions": METEOR goes on with the best previous path,
       * which was dropped unchanged */
      rc = push(a, &nnext, a->cur[0]);
      if (!rc) a->cur[0] = NULL;
    }
    /* paths beyond the beam, and dropped ones, are released */
    for (size_t r = 0; r < ncur; r++)
      if (a->cur[r]) {
        path_release(a, a->cur[r]);
        a->cur[r] = NULL;
      }
    if (rc) break;
  }
  if (rc) {
    for (size_t r = 0; r < nnext; r++) path_release(a, a->next[r]);
    return rc;
  }
  if (p2ci_grow(&a->tmp, &a->cap_tmp, nnext, sizeof *a->tmp)) return P2C_ERR_NOMEM;
  select_sorted(a->next, a->tmp, nnext, 1);
  *best = a->next[0];
  for (size_t r = 1; r < nnext; r++) path_release(a, a->next[r]);
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
  memset(start, 0, offsetof(path, matches));
  start->last_end = -1;
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
