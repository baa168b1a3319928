/* METEOR 1.5's text normalizer for English (-norm: Normalizer.normalizeLine
 * with punctuation kept), on UTF-8 text, followed by String.toLowerCase and
 * the whitespace split the aligner applies. */
#ifndef P2C_TEXT_METEOR_NORMALIZER_H
#define P2C_TEXT_METEOR_NORMALIZER_H

#include <stddef.h>

#include "p2ceval.h"

typedef struct p2ci_meteor_normalizer p2ci_meteor_normalizer;

/* Compiles the patterns and loads the embedded nonbreaking-prefix list.
 * Read-only afterwards: one normalizer may serve several threads, each with
 * its own scratch (see below). */
int p2ci_meteor_normalizer_new(p2ci_meteor_normalizer **out, p2c_error *err);
void p2ci_meteor_normalizer_free(p2ci_meteor_normalizer *n);

/* Per-thread working memory for normalizing. */
typedef struct p2ci_meteor_scratch p2ci_meteor_scratch;
p2ci_meteor_scratch *p2ci_meteor_scratch_new(void);
void p2ci_meteor_scratch_free(p2ci_meteor_scratch *s);

/* Normalize valid UTF-8 text[0..len) and lowercase it. The result is a
 * NUL-terminated string owned by the scratch, valid until its next use;
 * tokens are separated by single spaces (none at either end). Returns 0 or
 * P2C_ERR_NOMEM / P2C_ERR_INTERNAL. */
int p2ci_meteor_normalize(const p2ci_meteor_normalizer *n, p2ci_meteor_scratch *s,
                          const char *text, size_t len, const char **out, size_t *out_len);

/* The same, always through every rule (p2ci_meteor_normalize takes a shortcut
 * for text of ASCII letters, digits and spaces); for tests. */
int p2ci_meteor_normalize_full(const p2ci_meteor_normalizer *n, p2ci_meteor_scratch *s,
                               const char *text, size_t len, const char **out, size_t *out_len);

/* java.util.StringTokenizer's default delimiters: space, \t, \n, \r, \f. */
static inline int p2ci_meteor_is_delim(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

#endif
