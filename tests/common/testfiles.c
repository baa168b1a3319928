/* Temporary folders and whole-file reads and writes for the tests (see testutil.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

char p2ct_tmpdir[256];

char *p2ct_mkdtemp(void)
{
  char *d = strdup("/tmp/p2c_test_XXXXXX");
  ck_assert_ptr_nonnull(d);
  ck_assert_ptr_nonnull(mkdtemp(d));
  return d;
}

void p2ct_rmtree(const char *dir)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

void p2ct_tmpdir_make(void)
{
  char *d = p2ct_mkdtemp();
  snprintf(p2ct_tmpdir, sizeof p2ct_tmpdir, "%s", d);
  free(d);
}

void p2ct_tmpdir_remove(void) { p2ct_rmtree(p2ct_tmpdir); }

const char *p2ct_tmp_path(const char *name)
{
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", p2ct_tmpdir, name);
  return path;
}

const char *p2ct_tmp_write(const char *name, const char *text)
{
  const char *path = p2ct_tmp_path(name);
  p2ct_write_text(path, text);
  return path;
}

void p2ct_tmp_mkdir(const char *name)
{
  const char *path = p2ct_tmp_path(name);
  ck_assert_msg(mkdir(path, 0700) == 0, "%s: cannot create", path);
}

void p2ct_tmp_write_ids(const char *name, const uint32_t *ids, int w, int h)
{
  p2c_error err;
  if (p2c_idmap_write_png(p2ct_tmp_path(name), ids, w, h, &err) != P2C_OK) ck_abort_msg("%s", err.message);
}

void p2ct_write_file(const char *path, const void *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f != NULL, "%s: cannot create", path);
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  ck_assert_int_eq(fclose(f), 0);
}

void p2ct_write_text(const char *path, const char *text) { p2ct_write_file(path, text, strlen(text)); }

char *p2ct_read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f) ck_abort_msg("%s: cannot open", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  ck_assert_ptr_nonnull(buf);
  ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  if (len) *len = (size_t)n;
  return buf;
}
