/* METEOR 1.5's data files, read as METEOR 1.5 reads them (BufferedReader
 * lines, gzip allowed): the line reader of english.exceptions and
 * english.synsets, and the english.synsets records that both METEOR 1.5's
 * synonym dictionary and the SPICE lexicon (SPICE's jar reads that file)
 * are built from. */
#ifndef P2C_TEXT_METEOR_FILES_H
#define P2C_TEXT_METEOR_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

/* A whole file in memory, cut into lines on demand. */
typedef struct p2ci_meteor_lines {
  char *data;
  size_t len, pos;
  const char *path;
} p2ci_meteor_lines;

/* Read path (plain or gzip) whole. Errors name the file. */
int p2ci_meteor_lines_read(const char *path, p2ci_meteor_lines *l, p2c_error *err);
/* Next line as [*s, *s + *n) (BufferedReader.readLine: \n, \r or \r\n end a
 * line); 0 at the end. */
int p2ci_meteor_lines_next(p2ci_meteor_lines *l, const char **s, size_t *n);
void p2ci_meteor_lines_free(p2ci_meteor_lines *l);
/* Next token of s[0..n) from *pos, split on METEOR's delimiters; returns its
 * length (0 when none is left) and sets *t. */
size_t p2ci_meteor_token(const char *s, size_t n, size_t *pos, const char **t);
/* Integer.parseInt of a decimal token: 0, or -1 when it is not one. */
int p2ci_meteor_parse_int(const char *t, size_t n, int32_t *out);

/* Called once per english.synsets record (a word line, then a line of synset
 * ids), in file order; record counts from 1. Non-zero means out of memory. */
typedef int (*p2ci_meteor_synsets_fn)(void *ctx, const char *word, size_t len, const int32_t *ids,
                                      size_t n, size_t record);
/* Read english.synsets (records of two lines). Errors name the file and line:
 * a word without its line of ids, a token that is not an integer. */
int p2ci_meteor_synsets_read(const char *path, p2ci_meteor_synsets_fn fn, void *ctx,
                             p2c_error *err);

#endif
