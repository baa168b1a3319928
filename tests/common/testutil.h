/* Helpers shared by the unit and parity tests. */
#ifndef P2C_TESTUTIL_H
#define P2C_TESTUTIL_H

#include <check.h>
#include <stddef.h>

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

/* Run a suite, print Check's summary; returns the process exit status. */
int p2ct_run(Suite *s);

#endif
