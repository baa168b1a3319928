#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const char *p2c_cli_prog = "p2c";

void p2c_cli_errorf(const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "%s: ", p2c_cli_prog);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

int p2c_cli_exit_code(int status)
{
  switch (status) {
  case P2C_OK: return P2C_EXIT_OK;
  case P2C_ERR_INVALID_ARG: return P2C_EXIT_USAGE;
  case P2C_ERR_NOMEM:
  case P2C_ERR_INTERNAL: return P2C_EXIT_INTERNAL;
  default: return P2C_EXIT_INVALID;
  }
}

int p2c_cli_report(const p2c_error *err)
{
  if (err->message[0]) p2c_cli_errorf("%s", err->message);
  else p2c_cli_errorf("%s", p2c_strerror(err->code));
  return p2c_cli_exit_code(err->code);
}

const char *p2c_cli_opt(int argc, char **argv, int *i, const char *name, int *bad)
{
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0) return NULL;
  if (a[n] == '=') return a + n + 1;
  if (a[n] != '\0') return NULL;
  if (*i + 1 >= argc) {
    p2c_cli_errorf("option %s needs a value", name);
    *bad = 1;
    return "";
  }
  return argv[++*i];
}

int p2c_cli_int(const char *name, const char *value, int min, int max, int *bad)
{
  char *end = NULL;
  errno = 0;
  long v = strtol(value, &end, 10);
  if (errno || !end || *end || end == value || v < min || v > max) {
    p2c_cli_errorf("option %s: expected an integer in [%d, %d], got '%s'", name, min, max, value);
    *bad = 1;
    return min;
  }
  return (int)v;
}

int p2c_cli_write_file(const char *path, const char *text, size_t len)
{
  size_t n = strlen(path);
  char *tmp = malloc(n + 32);
  if (!tmp) return -1;
  snprintf(tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    p2c_cli_errorf("%s: cannot write: %s", path, strerror(errno));
    free(tmp);
    return -1;
  }
  int ok = fwrite(text, 1, len, f) == len;
  ok = (fflush(f) == 0) && ok;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp, path) != 0) {
    p2c_cli_errorf("%s: cannot write: %s", path, strerror(errno));
    remove(tmp);
    free(tmp);
    return -1;
  }
  free(tmp);
  return 0;
}

void p2c_cli_operand(const char *cmd, const char *arg, const char *paths[2], int *npaths, int *bad)
{
  const char *sep = *cmd ? ": " : "";
  if (arg[0] == '-' && arg[1] != '\0') {
    p2c_cli_errorf("%s%sunknown option '%s'", cmd, sep, arg);
    *bad = 1;
  } else if (*npaths < 2) {
    paths[(*npaths)++] = arg;
  } else {
    p2c_cli_errorf("%s%stoo many arguments ('%s')", cmd, sep, arg);
    *bad = 1;
  }
}

void p2c_cli_need_operands(const char *cmd, int npaths, const char *what, int *bad)
{
  if (*bad || npaths >= 2) return;
  p2c_cli_errorf("%s%sexpected %s", cmd, *cmd ? ": " : "", what);
  *bad = 1;
}
