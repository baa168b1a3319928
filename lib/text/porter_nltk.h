/* NLTK 3.8's PorterStemmer in its default mode (NLTK_EXTENSIONS).
 *
 * This is not Martin Porter's frozen algorithm (libstemmer's "porter"): NLTK
 * adds an irregular-forms pool (skies, dying, news, ...), leaves words of at
 * most two characters alone, and changes steps 1a, 1b, 1c, 2 and the *o test.
 * NLTK works on Python code points, so non-ASCII letters count as consonants
 * and lengths are in code points; this port decodes UTF-8 and does the same.
 * Thread-safe, no state. */
#ifndef P2C_TEXT_PORTER_NLTK_H
#define P2C_TEXT_PORTER_NLTK_H

#include <stddef.h>

/* Room out needs for a word of len bytes. */
#define P2CI_PORTER_NLTK_OUT(len) (2 * (len) + 8)

/* PorterStemmer().stem(word) with to_lowercase=True: word (valid UTF-8, len
 * bytes) is lowercased with Python's str.lower, then stemmed. Writes the stem
 * (no NUL) to out, which has room for P2CI_PORTER_NLTK_OUT(len) bytes, and
 * sets *out_len. Returns 0, P2C_ERR_INVALID_ARG (invalid UTF-8) or
 * P2C_ERR_NOMEM. */
int p2ci_porter_nltk(const char *word, size_t len, char *out, size_t *out_len);

#endif
