/* Helpers shared by the unit and parity tests. */
#ifndef P2C_TESTUTIL_H
#define P2C_TESTUTIL_H

#include <check.h>
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "p2ceval.h"

/* Path of a file under the golden parity data (../shared/parity, or
 * $P2C_PARITY_DIR), or NULL when the parity data is absent: parity tests then
 * print that they skip and return. The result is a static buffer. */
const char *p2ct_parity(const char *rel);
/* Path of a file under fixtures/. Static buffer. */
const char *p2ct_fixture(const char *rel);
/* Print "SKIP <what>: parity data not found" once per call site. */
void p2ct_skip(const char *what);

/* Counts how many compared doubles are bit-identical and the largest relative
 * difference; p2ct_cmp_report prints "<name>: 123/125 bit-identical, ...". */
typedef struct p2ct_cmp {
  const char *name;
  size_t total, identical, within;
  double max_rel;
  double tol;
} p2ct_cmp;
void p2ct_cmp_init(p2ct_cmp *c, const char *name, double rel_tol);
/* Returns 1 when got is within tolerance of expected (NaN == NaN). */
int p2ct_cmp_add(p2ct_cmp *c, double expected, double got);
void p2ct_cmp_report(const p2ct_cmp *c);

/* ---- files (testfiles.c); every failure fails the test ------------------ */
/* A fresh folder for a test: p2ct_tmpdir_make creates /tmp/p2c_test_XXXXXX
 * and keeps its path in p2ct_tmpdir; p2ct_tmpdir_remove deletes it with all
 * it holds. Both fit tcase_add_checked_fixture. */
extern char p2ct_tmpdir[256];
void p2ct_tmpdir_make(void);
void p2ct_tmpdir_remove(void);
/* "<p2ct_tmpdir>/<name>" in a static buffer. */
const char *p2ct_tmp_path(const char *name);
/* Write text to <p2ct_tmpdir>/<name>; returns that path (static buffer). */
const char *p2ct_tmp_write(const char *name, const char *text);
/* Create the folder <p2ct_tmpdir>/<name>. */
void p2ct_tmp_mkdir(const char *name);
/* Write an id map (w x h, row-major) as a panoptic PNG to <p2ct_tmpdir>/<name>. */
void p2ct_tmp_write_ids(const char *name, const uint32_t *ids, int w, int h);
/* A fresh folder of its own (caller frees) and its removal (rm -rf). */
char *p2ct_mkdtemp(void);
void p2ct_rmtree(const char *dir);
/* Write len bytes, or a string, to path. */
void p2ct_write_file(const char *path, const void *data, size_t len);
void p2ct_write_text(const char *path, const char *text);
/* The whole file, NUL-terminated (caller frees); *len its size, if len. */
char *p2ct_read_file(const char *path, size_t *len);

/* ---- data (testdata.c) ---------------------------------------------------- */
/* A JSON (or gzipped JSON) file; a golden one under the parity data, or NULL
 * when that is absent. */
cJSON *p2ct_json_file(const char *path);
cJSON *p2ct_parity_json(const char *rel);
/* The number o[key], which must be there. */
double p2ct_json_num(const cJSON *o, const char *key);
/* Load a data set (kind: P2C_DATASET_GT or _PRED; png_dir NULL: the default). */
p2c_dataset *p2ct_load_dataset(const char *path, int kind, const char *png_dir);

/* Run a suite, print Check's summary; returns the process exit status. */
int p2ct_run(Suite *s);

#endif
