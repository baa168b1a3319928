/* Unicode simple lowercase mapping (generated table: tools/gen_unicode_lower.py). */
#ifndef P2C_TEXT_UNICODE_LOWER_H
#define P2C_TEXT_UNICODE_LOWER_H

#include <stddef.h>
#include <stdint.h>

/* The simple lowercase of a code point (itself when it has none). */
uint32_t p2ci_unicode_lower(uint32_t cp);

#endif
