/* Messages, exit codes and atomic output files shared by the tools (see cli.h). */
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
