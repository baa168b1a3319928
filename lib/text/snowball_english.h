/* The Snowball English ("Porter2") stemmer, as in the Snowball Java
 * englishStemmer that METEOR 1.5 bundles (the 2006 algorithm: exception
 * lists, gener/commun/arsen regions, Step 1c "y after a non-vowel"). Written
 * from the algorithm's definition at snowballstem.org. */
#ifndef P2C_TEXT_SNOWBALL_ENGLISH_H
#define P2C_TEXT_SNOWBALL_ENGLISH_H

#include <stddef.h>

/* Stem valid UTF-8 word[0..len) (expected lowercase; no case folding is
 * done, as in Snowball) into out, which needs len + 1 bytes: a stem is never
 * longer than its word. Returns the stem's length; out is NUL-terminated.
 * Returns (size_t)-1 only when out of memory (words over 256 code points). */
size_t p2ci_snowball_english(const char *word, size_t len, char *out);

#endif
