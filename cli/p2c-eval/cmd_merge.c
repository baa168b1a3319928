/* p2c-eval merge STATE...: the evaluation of several shards (each written by
 * p2c-eval GT PRED --shard I/N --state-out STATE), finished as one run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static void usage(FILE *out)
{
  fprintf(out,
          "usage: p2c-eval merge STATE... [options]\n"
          "\n"
          "Merges evaluator states (p2c-eval GT PRED --shard I/N --state-out STATE) and\n"
          "prints the numbers of one run over all their images, bit for bit.\n"
          "\n"
          "options:\n"
          "  --json OUT            write the full result as JSON\n"
          "  --per-segment OUT     one JSON line per segment (states made with it kept)\n"
          "  --state-out FILE      write the merged state instead of finishing\n"
          "  --threads N           worker threads of the caption metrics (default 1)\n"
          "  --wordnet DIR         WordNet 3.0 dict folder (default /usr/share/wordnet)\n");
}

static int read_all(const char *path, unsigned char **out, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    p2c_cli_errorf("%s: cannot open: %s", path, strerror(errno));
    return P2C_EXIT_INVALID;
  }
  size_t cap = 1 << 16, n = 0;
  unsigned char *buf = malloc(cap);
  for (;;) {
    if (!buf) break;
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    unsigned char *bigger = realloc(buf, cap * 2);
    if (!bigger) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  int failed = ferror(f);
  fclose(f);
  if (!buf) {
    p2c_cli_errorf("%s: out of memory", path);
    return P2C_EXIT_INTERNAL;
  }
  if (failed) {
    free(buf);
    p2c_cli_errorf("%s: read error", path);
    return P2C_EXIT_INVALID;
  }
  *out = buf;
  *len = n;
  return P2C_EXIT_OK;
}

int p2c_cmd_merge(int argc, char **argv)
{
  const char *json_out = NULL, *seg_out = NULL, *state_out = NULL;
  int nfiles = 0;
  p2c_eval_options eo = P2C_EVAL_OPTIONS_INIT;
  const p2c_cli_option options[] = {
      P2C_CLI_STRING("--json", &json_out),
      P2C_CLI_STRING("--per-segment", &seg_out),
      P2C_CLI_STRING("--state-out", &state_out),
      P2C_CLI_INT("--threads", &eo.threads, 1, 1024),
      P2C_CLI_STRING("--wordnet", &eo.wordnet_dir),
      P2C_CLI_END,
  };
  const char **files = calloc((size_t)argc, sizeof *files);
  if (!files) return P2C_EXIT_INTERNAL;
  const p2c_cli_command cmd = {.name = "merge", .options = options, .usage = usage, .operands = files,
                               .min_operands = 1, .max_operands = argc,
                               .operands_help = "at least one state file"};
  int parsed = p2c_cli_parse(&cmd, argc, argv, &nfiles);
  if (parsed != P2C_CLI_RUN) {
    free(files);
    return parsed;
  }
  p2c_evaluator *ev = NULL;
  int code = P2C_EXIT_OK, rc = P2C_OK;
  for (int k = 0; k < nfiles && code == P2C_EXIT_OK; k++) {
    unsigned char *data = NULL;
    size_t len = 0;
    if ((code = read_all(files[k], &data, &len)) != P2C_EXIT_OK) break;
    if (k == 0) {
      p2c_error err;
      if ((rc = p2c_evaluator_from_state(data, len, &eo, &ev, &err)) != P2C_OK) {
        p2c_cli_errorf("%s: %s", files[k], err.message);
        code = p2c_cli_exit_code(rc);
      }
    } else if ((rc = p2c_evaluator_merge_state(ev, data, len)) != P2C_OK) {
      p2c_cli_errorf("%s: %s", files[k], p2c_evaluator_last_error(ev));
      code = p2c_cli_exit_code(rc);
    }
    free(data);
  }
  size_t state_len;
  if (code == P2C_EXIT_OK && state_out) {
    code = p2c_eval_write_state(ev, state_out, &state_len);
  } else if (code == P2C_EXIT_OK && (rc = p2c_evaluator_finish(ev)) != P2C_OK) {
    p2c_cli_errorf("%s", p2c_evaluator_last_error(ev));
    code = p2c_cli_exit_code(rc);
  } else if (code == P2C_EXIT_OK) {
    code = p2c_eval_report(ev, json_out, seg_out);
  }
  p2c_evaluator_free(ev);
  free(files);
  return code;
}
