/* What a caption metric sees and what it must provide: the plug-in interface
 * of the p2c_captions handle (see the comment at the top of caption_scorer.c
 * for how to add a metric). */
#ifndef P2C_METRICS_CAPTION_METRIC_H
#define P2C_METRICS_CAPTION_METRIC_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"
#include "text/ngram.h"
#include "text/vocab.h"

/* How pycocoevalcap's scorers cut the tokenized caption string. */
typedef enum p2ci_split {
  P2CI_SPLIT_WS = 0,   /* str.split(): BLEU, CIDEr-D (and NLTK METEOR) */
  P2CI_SPLIT_SPACE = 1 /* str.split(" "): ROUGE-L; "" is one empty word */
} p2ci_split;

typedef struct p2ci_span {
  uint32_t off, len; /* words pool[off .. off + len) */
} p2ci_span;

/* The evaluated items, read-only while metrics run. Item i has one hypothesis
 * and at least one reference; its captions are numbered
 * first[i] (the hypothesis), first[i] + 1 .. first[i + 1] - 1 (references,
 * in the order given). Words are vocab ids; the tokenized string of a caption
 * (what pycocoevalcap hands to its scorers) is its P2CI_SPLIT_SPACE words
 * joined by single spaces. */
typedef struct p2ci_caption_set {
  size_t n_items;
  const size_t *first;     /* n_items + 1 entries */
  const p2ci_span *words[2]; /* per caption, indexed by p2ci_split */
  const uint32_t *pool;
  const p2ci_vocab *vocab;
  const char *const *keys; /* item keys, borrowed (for error messages) */
} p2ci_caption_set;

static inline size_t p2ci_set_num_refs(const p2ci_caption_set *s, size_t item)
{
  return s->first[item + 1] - s->first[item] - 1;
}
static inline size_t p2ci_set_hyp(const p2ci_caption_set *s, size_t item) { return s->first[item]; }
static inline size_t p2ci_set_ref(const p2ci_caption_set *s, size_t item, size_t r)
{
  return s->first[item] + 1 + r;
}
/* Words of caption c; returns their number. */
static inline size_t p2ci_set_words(const p2ci_caption_set *s, size_t c, p2ci_split how,
                                    const uint32_t **w)
{
  p2ci_span sp = s->words[how][c];
  *w = s->pool + sp.off;
  return sp.len;
}

/* One item's n-grams, numbered by text/ngram.h: orders 1..P2CI_NGRAM_MAX of
 * the P2CI_SPLIT_WS words, caption 0 the hypothesis (so its n-grams have the
 * lowest ids), then the references in order. */
typedef struct p2ci_item_ngrams {
  p2ci_ngrams g;
  const uint32_t **words; /* per caption */
  size_t *len;
  size_t n_captions;
  /* private */
  size_t words_cap, len_cap;
} p2ci_item_ngrams;

/* With corpus keys (text/ngram.h) when keys is non-zero, of
 * p2ci_item_ngrams_key_bits(set) bits per word. Returns 0 or P2C_ERR_NOMEM. */
int p2ci_item_ngrams_init(p2ci_item_ngrams *it, const p2ci_caption_set *set, int keys);
void p2ci_item_ngrams_release(p2ci_item_ngrams *it);
/* Number item's captions. Returns 0 or P2C_ERR_NOMEM / P2C_ERR_LIMIT. */
int p2ci_item_ngrams_number(p2ci_item_ngrams *it, const p2ci_caption_set *set, size_t item);
/* Bits per word of the corpus keys: as many as the vocabulary's size takes
 * (32 when p2ci_ngram_wide_keys is set). */
unsigned p2ci_item_ngrams_key_bits(const p2ci_caption_set *set);

#define P2CI_METRIC_MAX_OUTPUTS 8

/* Flags of a metric. */
enum {
  P2CI_METRIC_DEFAULT = 1,   /* computed when the caller names no metric */
  P2CI_METRIC_NGRAM_KEYS = 2 /* its item() needs the n-grams' corpus keys */
};

/* One metric family, e.g. BLEU with outputs Bleu_1..Bleu_4. All functions but
 * compute, or start, item and finish, may be NULL. */
typedef struct p2ci_caption_metric {
  const char *name;    /* family name, the prefix of its options: "Bleu" */
  unsigned flags;
  unsigned n_outputs;
  const char *outputs[P2CI_METRIC_MAX_OUTPUTS]; /* pycocoevalcap's names: "Bleu_1" */
  /* Private state for options (resource paths, variants); *state may stay NULL. */
  int (*create)(void **state, p2c_error *err);
  void (*destroy)(void *state);
  /* One option "name" = "value" (the part after "<family>."). Unknown names:
   * P2C_ERR_NOT_FOUND; bad values: P2C_ERR_INVALID_ARG; message in err. */
  int (*set_option)(void *state, const char *name, const char *value, p2c_error *err);
  /* Score every item: corpus[j] for output j, per_item[i * n_outputs + j].
   * Called at most once per handle, with n_items >= 1. Must not print, must
   * check every allocation, and must say in err which key a failure concerns. */
  int (*compute)(void *state, const p2ci_caption_set *set, double *corpus, double *per_item,
                 p2c_error *err);
  /* Instead of compute, for a metric scored item by item from the item's
   * n-grams (BLEU, CIDEr-D): the scorer numbers each item once for all such
   * metrics. start() prepares a run (it may first make a pass of its own over
   * the set: CIDEr-D's document frequencies), item() scores one item into
   * out[0 .. n_outputs), in item order, and finish() gives the corpus values
   * from the per-item ones and frees the run (corpus NULL: only frees it).
   * Same duties as compute. */
  int (*start)(void *state, const p2ci_caption_set *set, void **run, p2c_error *err);
  int (*item)(void *run, size_t item, const p2ci_item_ngrams *it, double *out, p2c_error *err);
  int (*finish)(void *run, const double *per_item, double *corpus, p2c_error *err);
  /* Optional: the name of the definition computed with the current options
   * (e.g. "meteor-1.5-nopara"), for reports; static storage. */
  const char *(*variant)(void *state);
} p2ci_caption_metric;

/* The metrics of this file set; the table of caption_scorer.c lists them. */
extern const p2ci_caption_metric p2ci_metric_bleu;
extern const p2ci_caption_metric p2ci_metric_rouge_l;
extern const p2ci_caption_metric p2ci_metric_cider_d;

/* Tests only: non-zero makes the n-grams' corpus keys 32 bits per word, in
 * two 64-bit words, as they are for vocabularies of 65536 words and more. */
extern int p2ci_ngram_wide_keys;

#endif
