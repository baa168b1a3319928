/* Java String semantics over UTF-8 text, for METEOR 1.5 parity: hashCode over
 * UTF-16 code units, toLowerCase, and a fast decoder for text already
 * validated (with p2ci_utf8_check of text/pystr.h). */
#ifndef P2C_TEXT_JAVA_STRING_H
#define P2C_TEXT_JAVA_STRING_H

#include <stddef.h>
#include <stdint.h>

/* Decode one code point of valid UTF-8 at s (n bytes left); returns its length. */
size_t p2ci_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* java.lang.String.hashCode of the UTF-16 form of valid UTF-8 s[0..n):
 * h = 31 h + unit, in 32-bit wrapping arithmetic. */
int32_t p2ci_java_hash(const char *s, size_t n);

/* String.toLowerCase (root locale) of valid UTF-8 s[0..n) into out, which must
 * hold 3 * n / 2 + 4 bytes (the longest growth is U+0130 -> "i" U+0307, 2 -> 3 bytes).
 * A capital sigma always becomes U+03C3: METEOR's normalizer has already
 * isolated it, so Java's final-sigma rule never applies (see docs/metrics.md).
 * Returns the output length (out is NUL-terminated). */
size_t p2ci_java_lower(const char *s, size_t n, char *out);

#endif
