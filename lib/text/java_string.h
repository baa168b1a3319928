/* Java String semantics over UTF-8 text, for METEOR 1.5 parity: hashCode over
 * UTF-16 code units, toLowerCase, and UTF-8 decoding/validation. */
#ifndef P2C_TEXT_JAVA_STRING_H
#define P2C_TEXT_JAVA_STRING_H

#include <stddef.h>
#include <stdint.h>

/* Byte offset of the first invalid UTF-8 sequence in s[0..n) (overlongs,
 * surrogates and code points above U+10FFFF are invalid), or n if valid. */
size_t p2ci_utf8_invalid_at(const char *s, size_t n);

/* Decode one code point of valid UTF-8 at s (n bytes left); returns its length. */
size_t p2ci_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Encode cp into out (4 bytes room); returns the number of bytes. */
size_t p2ci_utf8_encode(uint32_t cp, char *out);

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
