/* METEOR 1.5 internals shared by the aligner, the resources and the handle. */
#ifndef P2C_METRICS_METEOR15_H
#define P2C_METRICS_METEOR15_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

/* ---- a string -> int map (open addressing), owning copies of its keys --- */
typedef struct p2ci_strmap {
  char **keys;
  size_t *lens;
  int *vals;
  size_t cap, count;
} p2ci_strmap;

void p2ci_strmap_free(p2ci_strmap *m);
/* Value of key, or -1. */
int p2ci_strmap_get(const p2ci_strmap *m, const char *key, size_t len);
/* Insert key with value val unless present; *val_out gets the stored value.
 * Returns 1 when inserted, 0 when present, P2C_ERR_NOMEM. */
int p2ci_strmap_put(p2ci_strmap *m, const char *key, size_t len, int val, int *val_out);

/* ---- synonyms: METEOR's SynonymDictionary ------------------------------- */
typedef struct p2ci_m15_synonyms p2ci_m15_synonyms;
/* From METEOR's english.synsets + english.exceptions in dir. */
int p2ci_m15_synonyms_load_meteor(const char *dir, p2ci_m15_synonyms **out, p2c_error *err);
/* From WordNet 3.0 dict files (index.{noun,verb,adj,adv}, {adj,adv,noun,verb}.exc),
 * the files METEOR's scripts/build_wordnet_files.py derives its own from. */
int p2ci_m15_synonyms_load_wordnet(const char *dir, p2ci_m15_synonyms **out, p2c_error *err);
void p2ci_m15_synonyms_free(p2ci_m15_synonyms *s);
/* getSynSets(word) | getStemSynSets(word), sorted and unique, into a
 * caller-growable array. Returns the count or P2C_ERR_NOMEM. */
int p2ci_m15_synonyms_sets(const p2ci_m15_synonyms *s, const char *word, size_t len, int32_t **sets,
                           size_t *cap);

/* ---- paraphrase table: METEOR's ParaphraseTransducer -------------------- */
typedef struct p2ci_m15_paraphrase p2ci_m15_paraphrase;
int p2ci_m15_paraphrase_load(const char *path, p2ci_m15_paraphrase **out, p2c_error *err);
void p2ci_m15_paraphrase_free(p2ci_m15_paraphrase *p);
/* Vocabulary id of a token, or -1. */
int p2ci_m15_paraphrase_word(const p2ci_m15_paraphrase *p, const char *w, size_t len);
size_t p2ci_m15_paraphrase_entries(const p2ci_m15_paraphrase *p);

/* ---- alignment ---------------------------------------------------------- */
enum { P2CI_M15_EXACT = 0, P2CI_M15_STEM = 1, P2CI_M15_SYNONYM = 2, P2CI_M15_PARAPHRASE = 3,
       P2CI_M15_MODULES = 4 };

/* One token with everything the matchers compare. */
typedef struct p2ci_m15_token {
  const char *text; /* lowercased, normalized; borrowed */
  size_t len;
  int32_t hash;      /* String.hashCode */
  int32_t stem_hash; /* hashCode of the Snowball stem */
  int32_t para;      /* paraphrase vocabulary id, -1 if none */
  int function_word;
  const int32_t *syn; /* synonym set ids (sorted) */
  size_t num_syn;
  uint64_t syn_sig[4]; /* one bit per id (id mod 256): disjoint signatures, disjoint sets */
} p2ci_m15_token;

typedef struct p2ci_m15_match {
  int start, length;           /* reference (line2) span */
  int match_start, match_length; /* hypothesis (line1) span */
  int module;
} p2ci_m15_match;

typedef struct p2ci_m15_aligner p2ci_m15_aligner; /* reusable working memory */
p2ci_m15_aligner *p2ci_m15_aligner_new(void);
void p2ci_m15_aligner_free(p2ci_m15_aligner *a);

/* Align hyp (METEOR's line1 / test) against ref (line2 / reference) and fill
 * the 23 statistics. pp may be NULL (no paraphrase entries). Returns 0 or
 * P2C_ERR_NOMEM. */
int p2ci_m15_align(p2ci_m15_aligner *a, const p2ci_m15_token *hyp, size_t n1,
                   const p2ci_m15_token *ref, size_t n2, const p2ci_m15_paraphrase *pp,
                   double stats[23]);

/* Paraphrase candidates of the trie, used by the aligner. */
int p2ci_m15_paraphrase_match(const p2ci_m15_paraphrase *p, const p2ci_m15_token *hyp, size_t n1,
                              const p2ci_m15_token *ref, size_t n2,
                              int (*emit)(void *ctx, const p2ci_m15_match *m), void *ctx);

/* MeteorScorer.computeMetrics with the English "rank" parameters. */
double p2ci_m15_score_stats(const double stats[23]);

#endif

/* ---- line building and splitting (exposed for tests) --------------------- */
/* The SCORE line pycocoevalcap sends for hyp and refs, in mode (a
 * p2c_meteor15_line), with newlines in captions replaced by spaces. Returns a
 * malloc'd string or NULL when out of memory. */
char *p2ci_m15_build_line(const char *hyp, const char *const *refs, size_t num_refs, int mode);
/* METEOR's reading of a SCORE line: split on "|||" (Java String.split, so
 * trailing empty fields vanish), trim every field, references are the middle
 * fields, the hypothesis the last. Fills parts (borrowed into line, lengths
 * in lens, without the leading "SCORE" field); returns the field count
 * (references + 1), 0 when METEOR would answer "Error: specify hypothesis
 * and at least one reference", or P2C_ERR_NOMEM. */
int p2ci_m15_split_line(const char *line, const char ***parts, size_t **lens);
