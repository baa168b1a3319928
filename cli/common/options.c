/* Table-driven command-line parsing shared by every tool (see cli.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void vreport(const p2c_cli_command *cmd, const char *fmt, va_list ap) P2C_CLI_PRINTF(2, 0);
static void vreport(const p2c_cli_command *cmd, const char *fmt, va_list ap)
{
  fprintf(stderr, "%s: ", p2c_cli_prog);
  if (cmd->name[0]) fprintf(stderr, "%s: ", cmd->name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void p2c_cli_cmd_errorf(const p2c_cli_command *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vreport(cmd, fmt, ap);
  va_end(ap);
}

static int usage_exit(const p2c_cli_command *cmd)
{
  (cmd->usage_error ? cmd->usage_error : cmd->usage)(stderr);
  return P2C_EXIT_USAGE;
}

int p2c_cli_usage_error(const p2c_cli_command *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vreport(cmd, fmt, ap);
  va_end(ap);
  return usage_exit(cmd);
}

static int takes_value(const p2c_cli_option *o)
{
  return o->kind != P2C_CLI_KIND_FLAG && o->kind != P2C_CLI_KIND_ACTION;
}

/* The option arg names, or NULL. *value is what follows "--name=", or NULL. */
static const p2c_cli_option *find(const p2c_cli_option *opts, const char *arg, const char **value)
{
  for (const p2c_cli_option *o = opts; o->name; o++) {
    size_t n = strlen(o->name);
    if (strncmp(arg, o->name, n) != 0) continue;
    if (arg[n] == '\0') {
      *value = NULL;
      return o;
    }
    if (arg[n] == '=' && takes_value(o)) {
      *value = arg + n + 1;
      return o;
    }
  }
  return NULL;
}

static int integer(const p2c_cli_command *cmd, const p2c_cli_option *o, const char *value, long *out)
{
  char *end = NULL;
  errno = 0;
  long v = strtol(value, &end, 10);
  if (errno || !end || *end || end == value || v < o->min || v > o->max) {
    p2c_cli_cmd_errorf(cmd, "option %s: expected an integer in [%ld, %ld], got '%s'", o->name, o->min,
                       o->max, value);
    return -1;
  }
  *out = v;
  return 0;
}

/* Apply option o with value (NULL for a flag). Returns 0, or -1 after reporting. */
static int apply(const p2c_cli_command *cmd, const p2c_cli_option *o, const char *value)
{
  long v;
  switch (o->kind) {
  case P2C_CLI_KIND_FLAG: *(int *)o->target = (int)o->min; return 0;
  case P2C_CLI_KIND_ACTION: return o->call(cmd, NULL, o->target);
  case P2C_CLI_KIND_STRING: *(const char **)o->target = value; return 0;
  case P2C_CLI_KIND_INT:
    if (integer(cmd, o, value, &v)) return -1;
    *(int *)o->target = (int)v;
    return 0;
  case P2C_CLI_KIND_SIZE:
    if (integer(cmd, o, value, &v)) return -1;
    *(size_t *)o->target = (size_t)v;
    return 0;
  case P2C_CLI_KIND_CALL: return o->call(cmd, value, o->target);
  }
  return -1;
}

int p2c_cli_parse(const p2c_cli_command *cmd, int argc, char **argv, int *n_operands)
{
  int n = 0;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i], *value = NULL;
    const p2c_cli_option *o;
    if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
      cmd->usage(stdout);
      return P2C_EXIT_OK;
    } else if ((o = find(cmd->options, arg, &value)) != NULL) {
      if (takes_value(o) && !value) {
        if (i + 1 >= argc) return p2c_cli_usage_error(cmd, "option %s needs a value", o->name);
        value = argv[++i];
      }
      if (apply(cmd, o, value)) return usage_exit(cmd);
    } else if (arg[0] == '-' && arg[1] != '\0') {
      return p2c_cli_usage_error(cmd, "unknown option '%s'", arg);
    } else if (n < cmd->max_operands) {
      cmd->operands[n++] = arg;
    } else {
      return p2c_cli_usage_error(cmd, "unexpected argument '%s'", arg);
    }
  }
  if (n < cmd->min_operands) return p2c_cli_usage_error(cmd, "expected %s", cmd->operands_help);
  if (n_operands) *n_operands = n;
  return P2C_CLI_RUN;
}
