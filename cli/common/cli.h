/* Helpers shared by the command-line tools. They use only the public API. */
#ifndef P2C_CLI_H
#define P2C_CLI_H

#include <stdio.h>

#include "p2ceval.h"

#if defined(__GNUC__)
#define P2C_CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define P2C_CLI_PRINTF(f, a)
#endif

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
void p2c_cli_errorf(const char *fmt, ...) P2C_CLI_PRINTF(1, 2);
/* Exit code for a library status. */
int p2c_cli_exit_code(int status);
/* Print an error report and return the matching exit code. */
int p2c_cli_report(const p2c_error *err);

/* Write text to path atomically (temp file + rename): no half-written file on failure. */
int p2c_cli_write_file(const char *path, const char *text, size_t len);

/* ---- command lines (options.c) ------------------------------------------
 * A command describes its options in a table ended by P2C_CLI_END; p2c_cli_parse
 * walks argv once, in order, and stops at the first usage error. "--name VALUE"
 * and "--name=VALUE" are the same; a flag takes no value; "--help" and "-h"
 * print the usage on stdout. Every usage error is one line on stderr,
 * "prog: [command: ]message", followed by the usage. */
enum p2c_cli_kind {
  P2C_CLI_KIND_FLAG,   /* no value: *(int *)target = min */
  P2C_CLI_KIND_ACTION, /* no value: call(cmd, NULL, target) */
  P2C_CLI_KIND_STRING, /* *(const char **)target = value */
  P2C_CLI_KIND_INT,    /* *(int *)target = an integer in [min, max] */
  P2C_CLI_KIND_SIZE,   /* *(size_t *)target = an integer in [min, max] */
  P2C_CLI_KIND_CALL    /* call(cmd, value, target): 0, or -1 after p2c_cli_cmd_errorf */
};

typedef struct p2c_cli_command p2c_cli_command;

typedef struct p2c_cli_option {
  const char *name; /* "--threads" */
  enum p2c_cli_kind kind;
  void *target;
  long min, max;
  int (*call)(const p2c_cli_command *cmd, const char *value, void *target);
} p2c_cli_option;

#define P2C_CLI_FLAG(name, target, value) {name, P2C_CLI_KIND_FLAG, target, value, 0, NULL}
#define P2C_CLI_ACTION(name, target, fn) {name, P2C_CLI_KIND_ACTION, target, 0, 0, fn}
#define P2C_CLI_STRING(name, target) {name, P2C_CLI_KIND_STRING, target, 0, 0, NULL}
#define P2C_CLI_INT(name, target, lo, hi) {name, P2C_CLI_KIND_INT, target, lo, hi, NULL}
#define P2C_CLI_SIZE(name, target, lo, hi) {name, P2C_CLI_KIND_SIZE, target, lo, hi, NULL}
#define P2C_CLI_CALL(name, target, fn) {name, P2C_CLI_KIND_CALL, target, 0, 0, fn}
#define P2C_CLI_END {NULL, P2C_CLI_KIND_FLAG, NULL, 0, 0, NULL}

struct p2c_cli_command {
  const char *name;              /* prefixes the messages ("pq: ..."); "" for none */
  const p2c_cli_option *options; /* ended by P2C_CLI_END */
  const char **operands;         /* receives the operands, in order */
  int min_operands, max_operands;
  const char *operands_help;     /* said when too few: "expected GT.json and PRED.json" */
  void (*usage)(FILE *out);      /* on stdout for --help; on stderr after a usage error */
  void (*usage_error)(FILE *out); /* after a usage error instead of usage, if set */
};

/* What p2c_cli_parse returns when the command should run. */
#define P2C_CLI_RUN (-1)

/* Parse argv[1..argc-1] (argv[0] is the command). Returns P2C_CLI_RUN (with
 * *n_operands set, when not NULL), or the exit code to return at once: 0 after
 * --help, P2C_EXIT_USAGE after a reported usage error. */
int p2c_cli_parse(const p2c_cli_command *cmd, int argc, char **argv, int *n_operands);
/* Print "prog: [command: ]message" on stderr. */
void p2c_cli_cmd_errorf(const p2c_cli_command *cmd, const char *fmt, ...) P2C_CLI_PRINTF(2, 3);
/* A usage error found after parsing: the message, then the usage; returns P2C_EXIT_USAGE. */
int p2c_cli_usage_error(const p2c_cli_command *cmd, const char *fmt, ...) P2C_CLI_PRINTF(2, 3);

/* ---- text output (textbuf.c) --------------------------------------------
 * A growable text buffer for JSON reports. After a failed allocation it keeps
 * only the flag oom and ignores what follows. Zero-initialise it. */
typedef struct p2c_cli_buf {
  char *p; /* NUL-terminated once anything was added */
  size_t n, cap;
  int oom;
} p2c_cli_buf;

void p2c_cli_buf_put(p2c_cli_buf *b, const char *s, size_t n);
void p2c_cli_buf_puts(p2c_cli_buf *b, const char *s);
void p2c_cli_buf_printf(p2c_cli_buf *b, const char *fmt, ...) P2C_CLI_PRINTF(2, 3);
/* s as a JSON string: quotes, backslashes and control characters escaped,
 * other bytes (UTF-8) copied. */
void p2c_cli_buf_json_string(p2c_cli_buf *b, const char *s);
/* Write the buffer to path atomically and free it. Returns P2C_EXIT_OK,
 * P2C_EXIT_INTERNAL (out of memory, reported) or P2C_EXIT_INVALID (not written,
 * reported). */
int p2c_cli_buf_write(p2c_cli_buf *b, const char *path);

#endif
