/* Interning words to dense ids, so that n-gram counting, alignment and matching
 * work on integers. Ids are assigned 0, 1, 2, ... in first-seen order. */
#ifndef P2C_TEXT_VOCAB_H
#define P2C_TEXT_VOCAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct p2ci_vocab p2ci_vocab;

p2ci_vocab *p2ci_vocab_create(void);
void p2ci_vocab_free(p2ci_vocab *v);
/* The id of the byte string s[0..len) (which may hold NULs), adding it when
 * new. Returns 0 or P2C_ERR_NOMEM / P2C_ERR_LIMIT (more than 2^32-1 words). */
int p2ci_vocab_intern(p2ci_vocab *v, const char *s, size_t len, uint32_t *id);
/* 1 and *id when s is known, else 0. */
int p2ci_vocab_find(const p2ci_vocab *v, const char *s, size_t len, uint32_t *id);
/* The word of an id (NUL-terminated; *len without the NUL when len is not
 * NULL). Borrowed until the vocabulary is freed: words never move. */
const char *p2ci_vocab_word(const p2ci_vocab *v, uint32_t id, size_t *len);
size_t p2ci_vocab_size(const p2ci_vocab *v);

#endif
