/* METEOR, NLTK 3.8 variant: the word-id level under p2c_meteor_nltk_score, for
 * callers that already hold words (the caption plug-in, the mAP protocol).
 *
 * A word id names a lowercased word (Python str.lower of the token); ids are
 * private to one p2c_meteor_nltk handle and stable for its life. */
#ifndef P2C_METRICS_METEOR_NLTK_H
#define P2C_METRICS_METEOR_NLTK_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

/* The id of token s (len bytes of valid UTF-8, not split further) after
 * str.lower. Returns 0, P2C_ERR_PARSE (invalid UTF-8) or P2C_ERR_NOMEM; the
 * message is kept on the handle. */
int p2ci_meteor_nltk_word(p2c_meteor_nltk *m, const char *s, size_t len, uint32_t *id);

/* NLTK single_meteor_score of hypothesis word ids against one reference. */
int p2ci_meteor_nltk_single(p2c_meteor_nltk *m, const uint32_t *hyp, size_t nh,
                            const uint32_t *ref, size_t nr, double *score);

#endif
