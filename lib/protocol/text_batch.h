/* Caption text work of the p2c-v1 protocol done once per distinct caption and
 * spread over threads: PTB tokenization, and METEOR 1.5 of many (hypothesis,
 * reference) pairs. Results do not depend on the thread count. */
#ifndef P2C_PROTOCOL_TEXT_BATCH_H
#define P2C_PROTOCOL_TEXT_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

typedef struct p2ci_text_batch p2ci_text_batch;

/* threads >= 1; wordnet_dir / meteor_data_dir as in p2c_meteor15_options. */
int p2ci_text_batch_create(int threads, const char *wordnet_dir, const char *meteor_data_dir,
                           p2ci_text_batch **out);
void p2ci_text_batch_free(p2ci_text_batch *b);
/* Message of the last failure. Borrowed. */
const char *p2ci_text_batch_error(const p2ci_text_batch *b);

/* The id of raw text (NULL counts as ""); equal texts share an id. The text
 * must outlive the batch. */
int p2ci_text_batch_intern(p2ci_text_batch *b, const char *raw, uint32_t *id);
/* Tokenize every interned text (PTB, as pycocoevalcap). */
int p2ci_text_batch_tokenize(p2ci_text_batch *b);
/* The tokenized form of an interned text, after p2ci_text_batch_tokenize. */
const char *p2ci_text_batch_tokens(const p2ci_text_batch *b, uint32_t id);
/* (hypothesis, reference) pairs of interned texts and a score for each. */
typedef struct p2ci_text_pairs {
  const uint32_t *hyp, *ref;
  size_t n;
  double *out;
} p2ci_text_pairs;

/* Work run alongside the pairs, once, on one of the threads; it reports a
 * failure in *err and returns its status. */
typedef int (*p2ci_text_task)(void *ctx, p2c_error *err);

/* One pass over the threads, after p2ci_text_batch_tokenize:
 *  - for every pair of meteor[0..num_meteor), out[i] = METEOR 1.5 of
 *    tokens(hyp[i]) against tokens(ref[i]) (an empty hypothesis scores 0;
 *    each distinct pair is scored once, across calls);
 *  - for every pair of *spice (NULL: none), out[i] = its SPICE-style All F1,
 *    as the p2c_captions "SPICE" metric scores an item;
 *  - task(task_ctx) once (NULL: none), so that a long serial step (the
 *    corpus metrics) overlaps the pairs instead of following them.
 * On failure the first failing item's message is p2ci_text_batch_error. */
int p2ci_text_batch_score(p2ci_text_batch *b, const p2ci_text_pairs *meteor, size_t num_meteor,
                          const p2ci_text_pairs *spice, p2ci_text_task task, void *task_ctx);
/* "meteor-1.5" or "meteor-1.5-nopara" once METEOR has run, else NULL. */
const char *p2ci_text_batch_meteor_variant(const p2ci_text_batch *b);

#endif
