/* SPICE scene graphs: concepts, synonym merging and tuple matching, as in
 * SPICE 1.0 (SemanticConcept, SceneGraph, SceneGraphNode, TupleSet). */
#include <stdlib.h>
#include <string.h>

#include "metrics/spice_internal.h"

/* ---- arena ----------------------------------------------------------------- */
struct p2ci_sp_chunk {
  p2ci_sp_chunk *next;
  size_t used, cap;
  max_align_t data[];
};

void *p2ci_sp_alloc(p2ci_sp_arena *a, size_t size)
{
  size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  p2ci_sp_chunk *c = a->head;
  if (!c || c->cap - c->used < size) {
    size_t cap = c ? c->cap * 2 : 16384;
    while (cap < size) cap *= 2;
    p2ci_sp_chunk *n = malloc(sizeof *n + cap);
    if (!n) return NULL;
    n->next = c;
    n->used = 0;
    n->cap = cap;
    a->head = c = n;
  }
  void *p = (char *)c->data + c->used;
  c->used += size;
  return p;
}

void p2ci_sp_arena_reset(p2ci_sp_arena *a)
{
  /* Keep the newest (largest) chunk for the next image. */
  p2ci_sp_chunk *c = a->head;
  if (!c) return;
  for (p2ci_sp_chunk *o = c->next; o;) {
    p2ci_sp_chunk *nx = o->next;
    free(o);
    o = nx;
  }
  c->next = NULL;
  c->used = 0;
}

void p2ci_sp_arena_free(p2ci_sp_arena *a)
{
  for (p2ci_sp_chunk *c = a->head; c;) {
    p2ci_sp_chunk *nx = c->next;
    free(c);
    c = nx;
  }
  a->head = NULL;
}

int p2ci_sp_tuples_push(p2ci_sp_tuples *t, int arity, int32_t a, int32_t b, int32_t c)
{
  if (p2ci_grow(&t->v, &t->cap, t->n + 1, sizeof *t->v)) return P2C_ERR_NOMEM;
  p2ci_sp_tuple *x = &t->v[t->n++];
  x->arity = arity;
  x->w[0] = a;
  x->w[1] = b;
  x->w[2] = c;
  return P2C_OK;
}

/* ---- synonyms (METEOR 1.5 SynonymDictionary, as SPICE calls it) ----------- */

/* WordNet's morphy suffix rules in METEOR's order: noun, verb, adjective. */
static const char *const SUFX[20] = {"s",   "ses", "xes", "zes", "ches", "shes", "men", "ies", "s",  "ies",
                                     "es",  "es",  "ed",  "ed",  "ing",  "ing",  "er",  "est", "er", "est"};
static const char *const ADDR[20] = {"",  "s", "x", "z", "ch", "sh", "man", "y", "", "y",
                                     "e", "",  "e", "",  "e",  "",   "",    "",  "e", "e"};

static int ends_with(const char *s, size_t n, const char *suf)
{
  size_t k = strlen(suf);
  return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* Synsets of the exact string (spaces as underscores) plus its stem's. */
static int compute_synsets(p2ci_sp_syn *sy, int32_t word)
{
  p2ci_wnlex *lex = sy->lex;
  size_t n = p2ci_wnlex_len(lex, word);
  const char *s = p2ci_wnlex_word(lex, word);
  char buf[256];
  size_t tmpn = 0;
  if (n + 8 > sizeof buf) goto store; /* longer than any WordNet lemma */
  memcpy(buf, s, n);
  /* getSynSets lower-cases and trims; our words are already lower-case. */
  size_t b = 0, e = n;
  while (b < e && buf[b] == ' ') b++;
  while (e > b && buf[e - 1] == ' ') e--;
  char key[256];
  size_t kn = e - b;
  for (size_t i = 0; i < kn; i++) {
    char c = buf[b + i];
    key[i] = (c == ' ') ? '_' : (c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
  }
  key[kn] = '\0';
  int32_t id = p2ci_wnlex_find(lex, key, kn);
#define ADD_SYNSETS(wid)                                                                         \
  do {                                                                                           \
    size_t ns_;                                                                                  \
    const int32_t *ss_ = p2ci_wnlex_synsets(lex, (wid), &ns_);                                   \
    if (p2ci_grow(&sy->tmp, &sy->captmp, tmpn + ns_, sizeof *sy->tmp)) return P2C_ERR_NOMEM;    \
    memcpy(sy->tmp + tmpn, ss_, ns_ * sizeof *ss_);                                              \
    tmpn += ns_;                                                                                 \
  } while (0)
  if (id >= 0) {
    ADD_SYNSETS(id);
    if (p2ci_wnlex_is_exc_form(lex, id)) {
      for (int pos = 0; pos < 4; pos++) {
        size_t nb;
        const int32_t *bases = p2ci_wnlex_exc(lex, id, pos, &nb);
        for (size_t k = 0; k < nb; k++) ADD_SYNSETS(bases[k]);
      }
      goto store;
    }
  }
  /* METEOR's morphEN: length <= 2 or "ss" ends return the word itself; else
   * the first rule whose candidate has synsets. A word ending in "ful" gets
   * "ful" appended to its candidate (a METEOR quirk: the candidate then never
   * has synsets). */
  if (kn <= 2 || ends_with(key, kn, "ss")) {
    if (id >= 0) ADD_SYNSETS(id);
    goto store;
  }
  int ful = ends_with(key, kn, "ful");
  for (int r = 0; r < 20; r++) {
    if (!ends_with(key, kn, SUFX[r])) continue;
    char cand[300];
    size_t sl = strlen(SUFX[r]), al = strlen(ADDR[r]);
    size_t cn = kn - sl;
    memcpy(cand, key, cn);
    memcpy(cand + cn, ADDR[r], al);
    cn += al;
    int32_t cid = p2ci_wnlex_find(lex, cand, cn);
    size_t ncs;
    if (cid < 0 || (p2ci_wnlex_synsets(lex, cid, &ncs), ncs == 0)) continue;
    if (ful) {
      memcpy(cand + cn, "ful", 3);
      cn += 3;
      cid = p2ci_wnlex_find(lex, cand, cn);
      if (cid >= 0) ADD_SYNSETS(cid);
    } else {
      ADD_SYNSETS(cid);
    }
    break;
  }
#undef ADD_SYNSETS
store:;
  /* sort + unique into the cache pool */
  int32_t *t = sy->tmp;
  for (size_t i = 1; i < tmpn; i++) { /* insertion sort: lists are short */
    int32_t v = t[i];
    size_t j = i;
    while (j > 0 && t[j - 1] > v) {
      t[j] = t[j - 1];
      j--;
    }
    t[j] = v;
  }
  if (p2ci_grow(&sy->pool, &sy->cappool, sy->npool + tmpn, sizeof *sy->pool)) return P2C_ERR_NOMEM;
  size_t start = sy->npool;
  for (size_t i = 0; i < tmpn; i++)
    if (i == 0 || t[i] != t[i - 1]) sy->pool[sy->npool++] = t[i];
  sy->off[word] = (uint32_t)start;
  sy->len[word] = (uint32_t)(sy->npool - start);
  return P2C_OK;
}

int p2ci_sp_syn_get(p2ci_sp_syn *sy, int32_t word, const int32_t **s, size_t *n)
{
  if ((size_t)word >= sy->ncache) {
    size_t nc = sy->ncache ? sy->ncache : 1024;
    while (nc <= (size_t)word) nc *= 2;
    uint32_t *o = realloc(sy->off, nc * sizeof *o);
    if (!o) return P2C_ERR_NOMEM;
    sy->off = o;
    uint32_t *l = realloc(sy->len, nc * sizeof *l);
    if (!l) return P2C_ERR_NOMEM;
    sy->len = l;
    for (size_t i = sy->ncache; i < nc; i++) l[i] = UINT32_MAX;
    sy->ncache = nc;
  }
  if (sy->len[word] == UINT32_MAX) {
    int rc = compute_synsets(sy, word);
    if (rc) return rc;
  }
  *s = sy->pool + sy->off[word];
  *n = sy->len[word];
  return P2C_OK;
}

void p2ci_sp_syn_free(p2ci_sp_syn *sy)
{
  free(sy->off);
  free(sy->len);
  free(sy->pool);
  free(sy->tmp);
  memset(sy, 0, sizeof *sy);
}

/* ---- concepts --------------------------------------------------------------- */

static int concept_init(p2ci_sp_concept *c, p2ci_sp_arena *a, p2ci_sp_syn *sy, int32_t word)
{
  size_t n;
  const int32_t *s;
  int rc = p2ci_sp_syn_get(sy, word, &s, &n);
  if (rc) return rc;
  c->w = p2ci_sp_alloc(a, sizeof *c->w);
  if (!c->w) return P2C_ERR_NOMEM;
  c->w[0] = word;
  c->nw = 1;
  /* a copy: the cache pool moves when it grows */
  int32_t *cs = p2ci_sp_alloc(a, (n ? n : 1) * sizeof *cs);
  if (!cs) return P2C_ERR_NOMEM;
  if (n) memcpy(cs, s, n * sizeof *cs);
  c->s = cs;
  c->ns = (uint32_t)n;
  return P2C_OK;
}

static int has_word(const p2ci_sp_concept *c, int32_t w)
{
  for (uint32_t i = 0; i < c->nw; i++)
    if (c->w[i] == w) return 1;
  return 0;
}

static int share_word(const p2ci_sp_concept *a, const p2ci_sp_concept *b)
{
  for (uint32_t i = 0; i < a->nw; i++)
    if (has_word(b, a->w[i])) return 1;
  return 0;
}

static size_t common_synsets(const p2ci_sp_concept *a, const p2ci_sp_concept *b)
{
  size_t i = 0, j = 0, k = 0;
  while (i < a->ns && j < b->ns) {
    if (a->s[i] < b->s[j]) i++;
    else if (a->s[i] > b->s[j]) j++;
    else {
      k++;
      i++;
      j++;
    }
  }
  return k;
}

static int share_synset(const p2ci_sp_concept *a, const p2ci_sp_concept *b)
{
  size_t i = 0, j = 0;
  while (i < a->ns && j < b->ns) {
    if (a->s[i] < b->s[j]) i++;
    else if (a->s[i] > b->s[j]) j++;
    else return 1;
  }
  return 0;
}

/* SemanticConcept.similarTo: a shared synset or a shared word. */
static int similar(const p2ci_sp_concept *a, const p2ci_sp_concept *b)
{
  return share_synset(a, b) || share_word(a, b);
}

/* SemanticConcept.equals: same word set and same synset set. */
static int equal(const p2ci_sp_concept *a, const p2ci_sp_concept *b)
{
  if (a->nw != b->nw || a->ns != b->ns) return 0;
  if (a->s != b->s && memcmp(a->s, b->s, a->ns * sizeof *a->s) != 0) return 0;
  for (uint32_t i = 0; i < a->nw; i++)
    if (!has_word(b, a->w[i])) return 0;
  return 1;
}

/* SemanticConcept.merge: union of words (appended) and of synsets. */
static int merge(p2ci_sp_concept *into, const p2ci_sp_concept *from, p2ci_sp_arena *a)
{
  uint32_t add = 0;
  for (uint32_t i = 0; i < from->nw; i++) add += !has_word(into, from->w[i]);
  if (add) {
    int32_t *w = p2ci_sp_alloc(a, (into->nw + add) * sizeof *w);
    if (!w) return P2C_ERR_NOMEM;
    memcpy(w, into->w, into->nw * sizeof *w);
    uint32_t n = into->nw;
    for (uint32_t i = 0; i < from->nw; i++)
      if (!has_word(into, from->w[i])) w[n++] = from->w[i];
    into->w = w;
    into->nw = n;
  }
  size_t common = common_synsets(into, from);
  if (common < from->ns) {
    size_t n = into->ns + from->ns - common;
    int32_t *s = p2ci_sp_alloc(a, n * sizeof *s);
    if (!s) return P2C_ERR_NOMEM;
    size_t i = 0, j = 0, k = 0;
    while (i < into->ns || j < from->ns) {
      if (j >= from->ns || (i < into->ns && into->s[i] < from->s[j])) s[k++] = into->s[i++];
      else if (i >= into->ns || from->s[j] < into->s[i]) s[k++] = from->s[j++];
      else {
        s[k++] = into->s[i++];
        j++;
      }
    }
    into->s = s;
    into->ns = (uint32_t)k;
  }
  return P2C_OK;
}

/* SemanticConcept.similarity, in float as SPICE computes it: 1 for a shared
 * word, else the Jaccard overlap of the synset sets (0/0 is NaN: never best). */
static float similarity(const p2ci_sp_concept *a, const p2ci_sp_concept *b)
{
  if (share_word(a, b)) return 1.0f;
  size_t inter = common_synsets(a, b);
  size_t uni = a->ns + b->ns - inter;
  return (float)inter / (float)uni;
}

/* ---- scene graph ------------------------------------------------------------ */

/* SceneGraph.getOrAddNode. SPICE iterates its vertices in identity-hash order,
 * so a tie between equally similar nodes is broken at random there; here the
 * node added last wins (the one tie in the 1000-image demo corpus went that
 * way in the official run: docs/metrics.md). */
static int get_or_add_node(p2ci_sp_graph *g, p2ci_sp_arena *a, p2ci_sp_syn *sy, int32_t word, size_t *idx)
{
  p2ci_sp_concept c;
  int rc = concept_init(&c, a, sy, word);
  if (rc) return rc;
  float best = 0;
  size_t best_i = SIZE_MAX;
  for (size_t i = 0; i < g->nnodes; i++) {
    if (equal(&c, &g->nodes[i].obj)) {
      *idx = i;
      return P2C_OK;
    }
    float sim = similarity(&c, &g->nodes[i].obj);
    if (sim > 0 && sim >= best) {
      best = sim;
      best_i = i;
    }
  }
  if (best_i != SIZE_MAX) {
    *idx = best_i;
    return merge(&g->nodes[best_i].obj, &c, a);
  }
  if (p2ci_grow(&g->nodes, &g->capnodes, g->nnodes + 1, sizeof *g->nodes)) return P2C_ERR_NOMEM;
  p2ci_sp_node *n = &g->nodes[g->nnodes];
  memset(n, 0, sizeof *n);
  n->obj = c;
  *idx = g->nnodes++;
  return P2C_OK;
}

/* SceneGraphNode.mergeAttribute. SPICE keeps attributes in a hash set with
 * identity hashes, so which of several similar attributes absorbs a new one
 * is random there; here the first added one does. */
static int merge_attribute(p2ci_sp_node *n, p2ci_sp_arena *a, p2ci_sp_syn *sy, int32_t word)
{
  p2ci_sp_concept c;
  int rc = concept_init(&c, a, sy, word);
  if (rc) return rc;
  for (size_t i = 0; i < n->nattr; i++)
    if (equal(&c, n->attr[i])) return P2C_OK;
  for (size_t i = 0; i < n->nattr; i++)
    if (similar(&c, n->attr[i])) return merge(n->attr[i], &c, a);
  if (n->nattr == n->capattr) {
    size_t cap = n->capattr ? n->capattr * 2 : 4;
    p2ci_sp_concept **v = p2ci_sp_alloc(a, cap * sizeof *v);
    if (!v) return P2C_ERR_NOMEM;
    if (n->nattr) memcpy(v, n->attr, n->nattr * sizeof *v);
    n->attr = v;
    n->capattr = cap;
  }
  p2ci_sp_concept *p = p2ci_sp_alloc(a, sizeof *p);
  if (!p) return P2C_ERR_NOMEM;
  *p = c;
  n->attr[n->nattr++] = p;
  return P2C_OK;
}

/* SceneGraph.addRelation: an equal edge is a duplicate; the first edge between
 * the same two nodes with a similar relation absorbs it. Edges between one
 * pair of nodes keep insertion order in SPICE too, so this is exact. */
static int add_relation(p2ci_sp_graph *g, p2ci_sp_arena *a, p2ci_sp_syn *sy, size_t src, size_t tgt,
                        int32_t rel)
{
  /* SPICE drops a leading "be " ("there are dogs in the grass": be in -> in) */
  const char *rs = p2ci_wnlex_word(sy->lex, rel);
  if (strncmp(rs, "be ", 3) == 0) {
    rel = p2ci_wnlex_intern(sy->lex, rs + 3, p2ci_wnlex_len(sy->lex, rel) - 3);
    if (rel < 0) return P2C_ERR_NOMEM;
  }
  p2ci_sp_concept c;
  int rc = concept_init(&c, a, sy, rel);
  if (rc) return rc;
  for (size_t i = 0; i < g->nedges; i++)
    if (g->edges[i].src == src && g->edges[i].tgt == tgt && equal(&c, &g->edges[i].rel)) return P2C_OK;
  for (size_t i = 0; i < g->nedges; i++)
    if (g->edges[i].src == src && g->edges[i].tgt == tgt && similar(&c, &g->edges[i].rel))
      return merge(&g->edges[i].rel, &c, a);
  if (p2ci_grow(&g->edges, &g->capedges, g->nedges + 1, sizeof *g->edges)) return P2C_ERR_NOMEM;
  g->edges[g->nedges].src = src;
  g->edges[g->nedges].tgt = tgt;
  g->edges[g->nedges].rel = c;
  g->nedges++;
  return P2C_OK;
}

int p2ci_sp_graph_add(p2ci_sp_graph *g, p2ci_sp_arena *a, p2ci_sp_syn *sy, const p2ci_sp_tuple *t)
{
  size_t s, o;
  int rc;
  switch (t->arity) {
  case 1:
    return get_or_add_node(g, a, sy, t->w[0], &s);
  case 2:
    if ((rc = get_or_add_node(g, a, sy, t->w[0], &s))) return rc;
    return merge_attribute(&g->nodes[s], a, sy, t->w[1]);
  case 3:
    if ((rc = get_or_add_node(g, a, sy, t->w[0], &s))) return rc;
    if ((rc = get_or_add_node(g, a, sy, t->w[2], &o))) return rc;
    return add_relation(g, a, sy, s, o, t->w[1]);
  default:
    return P2C_ERR_INVALID_ARG;
  }
}

/* ---- filters and matching -------------------------------------------------- */

/* TupleFilter's word lists (SPICE 1.0). */
static const char *const NUMBERS[] = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
static const char *const COLORS[] = {"black", "brown", "blue",  "red",   "yellow", "pink",   "gray",   "grey",  "green",
                                     "dark",  "light", "white", "cream", "orange", "purple", "maroon", "beige", "violet"};
static const char *const SIZES[] = {
    "baby",       "illimitable", "scrawny",   "beefy",       "immeasurable", "short",      "big",       "immense",
    "sizable",    "bony",        "infinitesimal", "skeletal", "boundless",   "lanky",      "skimpy",    "brawny",
    "large",      "skinny",      "broad",     "lean",        "slender",      "bulky",      "life-size", "slim",
    "chunky",     "limitless",   "small",     "colossal",    "little",       "squat",      "compact",   "mammoth",
    "stocky",     "corpulent",   "massive",   "stout",       "cosmic",       "meager",     "strapping", "cubby",
    "measly",     "sturdy",      "curvy",     "microscopic", "tall",         "elfin",      "mini",      "teensy",
    "emaciated",  "miniature",   "teeny",     "endless",     "minuscule",    "teeny-tiny", "enormous",  "minute",
    "teeny-weeny", "epic",       "narrow",    "thick",       "expansive",    "obese",      "thickset",  "extensive",
    "outsized",   "thin",        "fat",       "oversize",    "tiny",         "fleshy",     "overweight", "titanic",
    "full-size",  "paltry",      "towering",  "gargantuan",  "petite",       "trifling",   "gaunt",     "pint-size",
    "trim",       "giant",       "plump",     "tubby",       "gigantic",     "pocket-size", "undersized", "grand",
    "portly",     "underweight", "great",     "pudgy",       "unlimited",    "heavy",      "puny",      "vast",
    "hefty",      "rotund",      "wee",       "huge",        "scanty",       "whopping",   "hulking",   "scraggy",
    "wide"};

int p2ci_sp_filters_init(p2ci_sp_filters *f, p2ci_wnlex *lex)
{
  struct {
    const char *const *w;
    size_t n;
    uint8_t bit;
  } lists[3] = {{NUMBERS, sizeof NUMBERS / sizeof *NUMBERS, 1},
                {COLORS, sizeof COLORS / sizeof *COLORS, 2},
                {SIZES, sizeof SIZES / sizeof *SIZES, 4}};
  int32_t maxid = -1;
  for (int l = 0; l < 3; l++)
    for (size_t i = 0; i < lists[l].n; i++) {
      int32_t id = p2ci_wnlex_intern(lex, lists[l].w[i], strlen(lists[l].w[i]));
      if (id < 0) return P2C_ERR_NOMEM;
      if (id > maxid) maxid = id;
    }
  f->ncls = (size_t)maxid + 1;
  f->cls = calloc(f->ncls, 1);
  if (!f->cls) return P2C_ERR_NOMEM;
  for (int l = 0; l < 3; l++)
    for (size_t i = 0; i < lists[l].n; i++)
      f->cls[p2ci_wnlex_find(lex, lists[l].w[i], strlen(lists[l].w[i]))] |= lists[l].bit;
  return P2C_OK;
}

void p2ci_sp_filters_free(p2ci_sp_filters *f)
{
  free(f->cls);
  f->cls = NULL;
  f->ncls = 0;
}

typedef struct flat_tuple {
  int arity;
  unsigned kinds; /* bit per P2CI_SP_* kind the tuple belongs to */
  const p2ci_sp_concept *c[3];
} flat_tuple;

/* The printed attribute must be one listed word: a merged attribute such as
 * "gray/grey" prints with a slash and passes no list (TupleFilter). */
static unsigned attr_kinds(const p2ci_sp_filters *f, const p2ci_sp_concept *attr)
{
  unsigned k = 1u << P2CI_SP_ATTRIBUTE;
  if (attr->nw == 1 && (size_t)attr->w[0] < f->ncls) {
    uint8_t c = f->cls[attr->w[0]];
    if (c & 1) k |= 1u << P2CI_SP_CARDINALITY;
    if (c & 2) k |= 1u << P2CI_SP_COLOR;
    if (c & 4) k |= 1u << P2CI_SP_SIZE;
  }
  return k;
}

/* TupleSet(SceneGraph): one tuple per node, per node attribute, per edge. */
static flat_tuple *flatten(const p2ci_sp_graph *g, const p2ci_sp_filters *f, p2ci_sp_arena *a, size_t *n)
{
  size_t total = g->nnodes + g->nedges;
  for (size_t i = 0; i < g->nnodes; i++) total += g->nodes[i].nattr;
  flat_tuple *t = p2ci_sp_alloc(a, (total ? total : 1) * sizeof *t);
  if (!t) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < g->nnodes; i++) {
    const p2ci_sp_node *nd = &g->nodes[i];
    t[k].arity = 1;
    t[k].kinds = 1u << P2CI_SP_ALL | 1u << P2CI_SP_OBJECT;
    t[k++].c[0] = &nd->obj;
    for (size_t j = 0; j < nd->nattr; j++) {
      t[k].arity = 2;
      t[k].kinds = 1u << P2CI_SP_ALL | attr_kinds(f, nd->attr[j]);
      t[k].c[0] = &nd->obj;
      t[k++].c[1] = nd->attr[j];
    }
  }
  for (size_t i = 0; i < g->nedges; i++) {
    const p2ci_sp_edge *e = &g->edges[i];
    t[k].arity = 3;
    t[k].kinds = 1u << P2CI_SP_ALL | 1u << P2CI_SP_RELATION;
    t[k].c[0] = &g->nodes[e->src].obj;
    t[k].c[1] = &e->rel;
    t[k++].c[2] = &g->nodes[e->tgt].obj;
  }
  *n = k;
  return t;
}

static int tuple_similar(const flat_tuple *x, const flat_tuple *y)
{
  for (int i = 0; i < x->arity; i++)
    if (!similar(x->c[i], y->c[i])) return 0;
  return 1;
}

/* TupleSet.match_similar: a test tuple counts once when any reference tuple
 * (of the same kind filter) is similar in every position; no one-to-one
 * constraint, so the order SPICE sorts the tuples in does not matter. */
int p2ci_sp_match(const p2ci_sp_graph *test, const p2ci_sp_graph *ref, const p2ci_sp_filters *f,
                  p2ci_sp_arena *a, p2ci_sp_counts *out)
{
  size_t nt, nr;
  flat_tuple *t = flatten(test, f, a, &nt);
  flat_tuple *r = flatten(ref, f, a, &nr);
  if (!t || !r) return P2C_ERR_NOMEM;
  memset(out, 0, sizeof *out);
  for (size_t j = 0; j < nr; j++)
    for (int k = 0; k < P2CI_SP_KINDS; k++)
      if (r[j].kinds >> k & 1) out->ref[k]++;
  for (size_t i = 0; i < nt; i++) {
    unsigned pending = t[i].kinds; /* kinds where this tuple is not yet matched */
    for (int k = 0; k < P2CI_SP_KINDS; k++)
      if (t[i].kinds >> k & 1) out->test[k]++;
    for (size_t j = 0; j < nr && pending; j++) {
      if (r[j].arity != t[i].arity || !(r[j].kinds & pending)) continue;
      if (!tuple_similar(&t[i], &r[j])) continue;
      unsigned hit = r[j].kinds & pending;
      for (int k = 0; k < P2CI_SP_KINDS; k++)
        if (hit >> k & 1) out->tp[k]++;
      pending &= ~hit;
    }
  }
  return P2C_OK;
}
