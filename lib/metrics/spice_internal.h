/* SPICE-style metric: private interfaces shared by the extraction (captions
 * to tuples), the scene graph (tuples to merged concepts) and the scoring. */
#ifndef P2C_METRICS_SPICE_INTERNAL_H
#define P2C_METRICS_SPICE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/internal.h"
#include "text/pos_lexicon.h"
#include "text/wn_lexicon.h"

/* A tuple as words (lexicon ids): an object (1), an object and an attribute
 * (2), or subject, predicate, object (3, SPICE's printed order). */
typedef struct p2ci_sp_tuple {
  int arity;
  int32_t w[3];
} p2ci_sp_tuple;

/* A growable list of tuples. */
typedef struct p2ci_sp_tuples {
  p2ci_sp_tuple *v;
  size_t n, cap;
} p2ci_sp_tuples;

int p2ci_sp_tuples_push(p2ci_sp_tuples *t, int arity, int32_t a, int32_t b, int32_t c);

/* Bump allocator for one image's graphs; reset between images. */
typedef struct p2ci_sp_chunk p2ci_sp_chunk;
typedef struct p2ci_sp_arena {
  p2ci_sp_chunk *head;
} p2ci_sp_arena;
void *p2ci_sp_alloc(p2ci_sp_arena *a, size_t size);
void p2ci_sp_arena_reset(p2ci_sp_arena *a);
void p2ci_sp_arena_free(p2ci_sp_arena *a);

/* SemanticConcept: a set of words and a set of synset offsets. Words keep
 * insertion order; synsets are sorted. */
typedef struct p2ci_sp_concept {
  int32_t *w;
  const int32_t *s;
  uint32_t nw, ns;
} p2ci_sp_concept;

typedef struct p2ci_sp_node {
  p2ci_sp_concept obj;
  p2ci_sp_concept **attr;
  size_t nattr, capattr;
} p2ci_sp_node;

typedef struct p2ci_sp_edge {
  size_t src, tgt;
  p2ci_sp_concept rel;
} p2ci_sp_edge;

typedef struct p2ci_sp_graph {
  p2ci_sp_node *nodes;
  size_t nnodes, capnodes;
  p2ci_sp_edge *edges;
  size_t nedges, capedges;
} p2ci_sp_graph;

/* Synonym dictionary as SPICE uses METEOR's: synsets of a string and of its
 * "stem" (exception-list bases or the first morphological candidate that
 * WordNet lists), cached per word id. */
typedef struct p2ci_sp_syn {
  p2ci_wnlex *lex; /* borrowed */
  uint32_t *off, *len; /* per word id: cached synsets in pool; len UINT32_MAX = not computed */
  size_t ncache;
  int32_t *pool;
  size_t npool, cappool;
  int32_t *tmp;
  size_t captmp;
} p2ci_sp_syn;

int p2ci_sp_syn_get(p2ci_sp_syn *sy, int32_t word, const int32_t **s, size_t *n);
void p2ci_sp_syn_free(p2ci_sp_syn *sy);

/* Add a tuple to a scene graph as SceneGraph.addTuple does (with merging). */
int p2ci_sp_graph_add(p2ci_sp_graph *g, p2ci_sp_arena *a, p2ci_sp_syn *sy, const p2ci_sp_tuple *t);

enum {
  P2CI_SP_ALL,
  P2CI_SP_OBJECT,
  P2CI_SP_ATTRIBUTE,
  P2CI_SP_RELATION,
  P2CI_SP_CARDINALITY,
  P2CI_SP_COLOR,
  P2CI_SP_SIZE,
  P2CI_SP_KINDS
};

/* Per-kind counts of one image: tuples in test, in refs, test tuples matched. */
typedef struct p2ci_sp_counts {
  long test[P2CI_SP_KINDS], ref[P2CI_SP_KINDS], tp[P2CI_SP_KINDS];
} p2ci_sp_counts;

/* Word classes for the Cardinality/Color/Size filters: bit 1 number word,
 * 2 colour, 4 size adjective; indexed by word id (ids past nclass have none). */
typedef struct p2ci_sp_filters {
  uint8_t *cls;
  size_t ncls;
} p2ci_sp_filters;

int p2ci_sp_filters_init(p2ci_sp_filters *f, p2ci_wnlex *lex);
void p2ci_sp_filters_free(p2ci_sp_filters *f);

/* Match the test graph's tuples against the reference graph's, per kind. */
int p2ci_sp_match(const p2ci_sp_graph *test, const p2ci_sp_graph *ref, const p2ci_sp_filters *f,
                  p2ci_sp_arena *a, p2ci_sp_counts *out);

/* ---- extraction --------------------------------------------------------- */
typedef struct p2ci_sp_extractor p2ci_sp_extractor;
int p2ci_sp_extractor_create(p2ci_wnlex *lex, p2ci_sp_extractor **out);
void p2ci_sp_extractor_free(p2ci_sp_extractor *x);
/* Append the tuples of one caption (lower-cased, space-tokenized text). */
int p2ci_sp_extract(p2ci_sp_extractor *x, const char *caption, size_t len, p2ci_sp_tuples *out);

#endif
