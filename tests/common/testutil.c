#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static char path_buf[4096];

const char *p2ct_parity(const char *rel)
{
  const char *root = getenv("P2C_PARITY_DIR");
  if (!root || !*root) root = "../shared/parity";
  struct stat st;
  if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) return NULL;
  snprintf(path_buf, sizeof path_buf, "%s/%s", root, rel);
  return path_buf;
}

const char *p2ct_fixture(const char *rel)
{
  snprintf(path_buf, sizeof path_buf, "fixtures/%s", rel);
  return path_buf;
}

void p2ct_skip(const char *what)
{
  printf("SKIP %s: parity data (../shared/parity) not found\n", what);
}

void p2ct_cmp_init(p2ct_cmp *c, const char *name, double rel_tol)
{
  memset(c, 0, sizeof *c);
  c->name = name;
  c->tol = rel_tol;
}

int p2ct_cmp_add(p2ct_cmp *c, double expected, double got)
{
  c->total++;
  if ((isnan(expected) && isnan(got)) || memcmp(&expected, &got, sizeof got) == 0) {
    c->identical++;
    c->within++;
    return 1;
  }
  double d = fabs(expected - got);
  double scale = fabs(expected) > 1e-300 ? fabs(expected) : 1.0;
  double rel = d / scale;
  if (rel > c->max_rel || isnan(rel)) c->max_rel = rel;
  if (rel <= c->tol) {
    c->within++;
    return 1;
  }
  return 0;
}

void p2ct_cmp_report(const p2ct_cmp *c)
{
  printf("%s: %zu/%zu bit-identical, %zu/%zu within %.0e relative (max rel diff %.3g)\n", c->name,
         c->identical, c->total, c->within, c->total, c->tol, c->max_rel);
}

int p2ct_run(Suite *s)
{
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
