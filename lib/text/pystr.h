/* Python 3 str semantics on UTF-8 bytes: str.lower(), str.split() and
 * str.split(" ").
 *
 * NLTK lowercases tokens with str.lower and the Pix2Cap scripts and
 * pycocoevalcap's BLEU / CIDEr-D tokenize with str.split() (ROUGE-L with
 * str.split(" ")); lower and split() are Unicode-aware, so ASCII-only versions would change
 * scores on accented, Greek or Cyrillic captions. The tables are measured from
 * CPython 3.11.2 (Unicode 14.0) by tools/gen_pylower_table.py.
 *
 * All functions are pure and thread-safe. */
#ifndef P2C_TEXT_PYSTR_H
#define P2C_TEXT_PYSTR_H

#include <stddef.h>
#include <stdint.h>

/* Decode one code point of valid-or-not UTF-8 at s[*pos] (pos < len). Returns 1
 * and advances *pos, or 0 on an invalid sequence (overlong forms, surrogates
 * and values above U+10FFFF are invalid, as in Python's strict decoder). */
int p2ci_utf8_next(const char *s, size_t len, size_t *pos, uint32_t *cp);
/* Byte offset of the first invalid sequence, or len when s is valid UTF-8. */
size_t p2ci_utf8_check(const char *s, size_t len);
/* Encode cp (<= U+10FFFF) into out (4 bytes room); returns the byte count. */
size_t p2ci_utf8_put(uint32_t cp, char *out);

/* Python's str.lower() of valid UTF-8 s. out must have room for 2 * len bytes
 * (lowercasing grows UTF-8 by at most 3/2); returns the output length. No NUL
 * is written. Includes the Final_Sigma rule and U+0130 -> "i\u0307". */
size_t p2ci_pylower(const char *s, size_t len, char *out);
/* 1 when cp is whitespace for str.split() (Unicode White_Space as CPython
 * defines it: 29 code points including U+00A0, U+3000, U+001C..U+001F). */
int p2ci_pyspace(uint32_t cp);
/* Next str.split() token of valid UTF-8 s from *pos: sets *start and *tok_len
 * and advances *pos past it; returns 0 when there are no more tokens. */
int p2ci_pysplit_next(const char *s, size_t len, size_t *pos, size_t *start, size_t *tok_len);
/* Bytes of the str.split() whitespace character at s[0..len) (len > 0), or 0.
 * U+00A0, which the PTB tokenizer leaves inside tokens such as "5 7/8", is
 * one of them. */
size_t p2ci_pyspace_len(const char *s, size_t len);

/* Called once per word; a non-zero return stops the split and is returned. */
typedef int (*p2ci_word_fn)(void *ctx, const char *word, size_t len);
/* str.split() with no argument over s, one call of fn per word. */
int p2ci_split_whitespace(const char *s, size_t len, p2ci_word_fn fn, void *ctx);
/* str.split(" "): every single space separates, empty words are kept; ""
 * gives one empty word. */
int p2ci_split_space(const char *s, size_t len, p2ci_word_fn fn, void *ctx);

#endif
