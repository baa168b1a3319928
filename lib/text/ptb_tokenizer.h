/* pycocoevalcap's PTBTokenizer, without Java: Stanford PTBTokenizer 3.4.1 with
 * -preserveLines -lowerCase, then pycocoevalcap's punctuation filter, applied
 * to one caption at a time. The rules are written down in docs/tokenizer.md. */
#ifndef P2C_TEXT_PTB_TOKENIZER_H
#define P2C_TEXT_PTB_TOKENIZER_H

#include <stddef.h>

#include "p2ceval.h"

typedef struct p2ci_ptb p2ci_ptb;

int p2ci_ptb_create(p2ci_ptb **out, p2c_error *err);
void p2ci_ptb_free(p2ci_ptb *t);
/* Tokenize text[0..len): *out is the tokenized caption, the kept tokens
 * joined by single spaces ("" when none), as pycocoevalcap hands it to its
 * scorers. The buffer is borrowed until the next call on t. Text that is not
 * UTF-8 fails with P2C_ERR_PARSE. */
int p2ci_ptb_tokenize(p2ci_ptb *t, const char *text, size_t len, const char **out,
                      size_t *out_len);
/* Shortcuts for plain words are on by default; tests turn them off to check
 * that they change nothing. */
void p2ci_ptb_set_shortcuts(p2ci_ptb *t, int on);
/* Message of the last failure on t. */
const char *p2ci_ptb_last_error(const p2ci_ptb *t);

#endif
