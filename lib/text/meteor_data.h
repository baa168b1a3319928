/* METEOR 1.5's English word lists, embedded (generated: tools/gen_meteor15_data.py). */
#ifndef P2C_TEXT_METEOR_DATA_H
#define P2C_TEXT_METEOR_DATA_H

#include <stddef.h>

/* resources/function/english.words: one UTF-8 function word per entry. */
extern const char *const p2ci_meteor_function_words[];
extern const size_t p2ci_meteor_num_function_words;
/* resources/nonbreaking/english.prefixes: its lines, verbatim. */
extern const char *const p2ci_meteor_prefix_lines[];
extern const size_t p2ci_meteor_num_prefix_lines;

#endif
