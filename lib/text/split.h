/* The two ways pycocoevalcap's scorers cut a tokenized caption into words. */
#ifndef P2C_TEXT_SPLIT_H
#define P2C_TEXT_SPLIT_H

#include <stddef.h>

/* Called once per word; a non-zero return stops the split and is returned. */
typedef int (*p2ci_word_fn)(void *ctx, const char *word, size_t len);

/* Python's str.split() with no argument (BLEU, CIDEr-D): runs of whitespace
 * separate words, leading/trailing whitespace gives no empty word. Whitespace
 * is Python's str.isspace() set on UTF-8 text, so U+00A0 (which the PTB
 * tokenizer leaves inside tokens such as "5 7/8") also separates. */
int p2ci_split_whitespace(const char *s, size_t len, p2ci_word_fn fn, void *ctx);
/* Python's str.split(" ") (ROUGE-L): every single space separates, empty words
 * are kept; "" gives one empty word. */
int p2ci_split_space(const char *s, size_t len, p2ci_word_fn fn, void *ctx);
/* Bytes of the Python whitespace character at s[0..len), or 0. */
size_t p2ci_pyspace_len(const char *s, size_t len);

#endif
