/* Helpers shared by the command-line tools. They use only the public API. */
#ifndef P2C_CLI_H
#define P2C_CLI_H

#include <stdio.h>

#include "p2ceval.h"

/* Exit codes of every tool: documented in README.md. */
enum {
  P2C_EXIT_OK = 0,
  P2C_EXIT_INVALID = 1, /* the input is bad (validation problems, unreadable, malformed) */
  P2C_EXIT_USAGE = 2,   /* wrong command line */
  P2C_EXIT_INTERNAL = 3 /* out of memory or a bug */
};

/* The program name used in messages ("p2c-eval"). */
extern const char *p2c_cli_prog;

/* Print "prog: message" on stderr. */
void p2c_cli_errorf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Exit code for a library status. */
int p2c_cli_exit_code(int status);
/* Print an error report and return the matching exit code. */
int p2c_cli_report(const p2c_error *err);

/* Option parsing: argv[*i] is "--name" or "--name=value". Returns the value (or
 * NULL when argv[*i] is not this option); advances *i past a separate value.
 * A missing value is a usage error, reported here (sets *bad). */
const char *p2c_cli_opt(int argc, char **argv, int *i, const char *name, int *bad);
/* Parse a positive int option value; reports and sets *bad on error. */
int p2c_cli_int(const char *name, const char *value, int min, int max, int *bad);

/* The last branch of every option loop: arg is an unknown option (reported),
 * or the next of two operands (stored in paths[*npaths]), or one too many
 * (reported). cmd prefixes the messages ("pq: unknown option ..."); "" for
 * none. Sets *bad on a usage error. */
void p2c_cli_operand(const char *cmd, const char *arg, const char *paths[2], int *npaths, int *bad);
/* After the loop: both operands given? If not, says "expected <what>" and sets *bad. */
void p2c_cli_need_operands(const char *cmd, int npaths, const char *what, int *bad);

/* Write text to path atomically (temp file + rename): no half-written file on failure. */
int p2c_cli_write_file(const char *path, const char *text, size_t len);

#endif
