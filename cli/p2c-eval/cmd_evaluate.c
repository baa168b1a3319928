/* p2c-eval GT.json PRED.json: the whole Pix2Cap-COCO evaluation (panoptic
 * quality, caption quality, dense-captioning mAP) under one protocol. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"

static void usage(FILE *out)
{
  fprintf(out,
          "usage: p2c-eval GT.json PRED.json [options]\n"
          "\n"
          "Scores a Pix2Cap-COCO submission: PQ/SQ/RQ, caption metrics on the matched\n"
          "segments and the dense-captioning mAP. Prints a table; --json writes every number.\n"
          "\n"
          "options:\n"
          "  --gt-dir DIR          folder of the ground-truth PNGs (default: GT.json without .json)\n"
          "  --pred-dir DIR        folder of the predicted PNGs (default: PRED.json without .json)\n"
          "  --protocol NAME       p2c-v1 (default: the corrected metrics) or pix2cap-official\n"
          "                        (the paper's scripts, quirks included; see docs/metrics.md)\n"
          "  --threads N           worker threads (default 1); the numbers do not depend on it\n"
          "  --compat-cpus N       pix2cap-official: the scripts' worker chunk count (default 1)\n"
          "  --class-agnostic      p2c-v1 mAP: a prediction may take a GT of another category\n"
          "  --wordnet DIR         WordNet 3.0 dict folder (default /usr/share/wordnet)\n"
          "  --json OUT            write the full result as JSON\n"
          "  --per-segment OUT     write one JSON line per matched or unmatched segment\n"
          "  --shard I/N           score only shard I of N (0 <= I < N: images I, I+N, ...)\n"
          "  --state-out FILE      write the mergeable state instead of finishing\n"
          "                        (combine with 'p2c-eval merge'; docs/state-format.md)\n"
          "  --keep-segments       with --state-out: keep per-segment records for 'merge --per-segment'\n"
          "  --quiet               no progress bar\n");
}

typedef struct progress {
  int enabled;
  struct timespec start;
  int shown;
} progress;

static double elapsed(const struct timespec *t0)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* A bar on stderr, only on a terminal and only once the run has taken more
 * than a second. */
static void on_progress(void *user, size_t done, size_t total)
{
  progress *p = user;
  if (!p->enabled || total == 0) return;
  double s = elapsed(&p->start);
  if (s < 1.0 && done < total) return;
  if (!p->shown && done == total) return; /* finished quickly: stay quiet */
  int width = 30, fill = (int)((double)width * (double)done / (double)total);
  fprintf(stderr, "\r%3d%% [%.*s%*s] %zu/%zu images %.1fs", (int)(100.0 * (double)done / (double)total),
          fill, "##############################", width - fill, "", done, total, s);
  p->shown = 1;
  if (done == total) fputc('\n', stderr);
  fflush(stderr);
}

typedef struct shard_spec {
  size_t i, n;
} shard_spec;

static int parse_protocol(const p2c_cli_command *cmd, const char *value, void *protocol)
{
  if (p2c_protocol_from_name(value, protocol) == P2C_OK) return 0;
  p2c_cli_cmd_errorf(cmd, "unknown protocol '%s' (known: p2c-v1, pix2cap-official)", value);
  return -1;
}

/* "I/N": shard I of N */
static int parse_shard(const p2c_cli_command *cmd, const char *value, void *shard)
{
  unsigned long a = 0, b = 0;
  char tail = 0;
  if (sscanf(value, "%lu/%lu%c", &a, &b, &tail) != 2 || b == 0 || a >= b || b > 1000000) {
    p2c_cli_cmd_errorf(cmd, "--shard: expected I/N with 0 <= I < N, got '%s'", value);
    return -1;
  }
  *(shard_spec *)shard = (shard_spec){a, b};
  return 0;
}

int p2c_cmd_evaluate(int argc, char **argv)
{
  const char *paths[2] = {NULL, NULL};
  const char *gt_dir = NULL, *pred_dir = NULL, *json_out = NULL, *seg_out = NULL, *state_out = NULL;
  shard_spec shard = {0, 1};
  int keep_segments = 0, quiet = 0;
  p2c_eval_options eo = P2C_EVAL_OPTIONS_INIT;
  const p2c_cli_option options[] = {
      P2C_CLI_STRING("--gt-dir", &gt_dir),
      P2C_CLI_STRING("--pred-dir", &pred_dir),
      P2C_CLI_CALL("--protocol", &eo.protocol, parse_protocol),
      P2C_CLI_INT("--threads", &eo.threads, 1, 1024),
      P2C_CLI_INT("--compat-cpus", &eo.compat_cpus, 1, 1 << 20),
      P2C_CLI_STRING("--wordnet", &eo.wordnet_dir),
      P2C_CLI_STRING("--json", &json_out),
      P2C_CLI_STRING("--per-segment", &seg_out),
      P2C_CLI_CALL("--shard", &shard, parse_shard),
      P2C_CLI_STRING("--state-out", &state_out),
      P2C_CLI_FLAG("--keep-segments", &keep_segments, 1),
      P2C_CLI_FLAG("--class-agnostic", &eo.class_agnostic, 1),
      P2C_CLI_FLAG("--quiet", &quiet, 1),
      P2C_CLI_END,
  };
  const p2c_cli_command cmd = {.name = "", .options = options, .usage = usage, .operands = paths,
                               .min_operands = 2, .max_operands = 2,
                               .operands_help = "GT.json and PRED.json"};
  int parsed = p2c_cli_parse(&cmd, argc, argv, NULL);
  if (parsed != P2C_CLI_RUN) return parsed;
  if (shard.n > 1 && !state_out)
    return p2c_cli_usage_error(
        &cmd, "--shard needs --state-out (merge the shards' states with 'p2c-eval merge')");
  if (state_out && (json_out || seg_out))
    return p2c_cli_usage_error(
        &cmd, "--state-out writes the state only: --json and --per-segment belong to 'p2c-eval merge'");

  progress pr = {!quiet && isatty(STDERR_FILENO), {0, 0}, 0};
  clock_gettime(CLOCK_MONOTONIC, &pr.start);
  eo.progress = on_progress;
  eo.progress_user = &pr;
  eo.keep_segments = seg_out != NULL || keep_segments;

  p2c_dataset *gt = NULL, *pred = NULL;
  p2c_evaluator *ev = NULL;
  p2c_error err;
  /* with --threads 2 or more, the two files load side by side */
  int code = p2c_eval_load(paths, gt_dir, pred_dir, eo.threads, &gt, &pred);
  if (code != P2C_EXIT_OK) return code;
  int rc = p2c_evaluator_create(gt, &eo, &ev, &err);
  if (rc != P2C_OK) {
    code = p2c_cli_report(&err);
  } else if ((rc = p2c_evaluator_run_shard(ev, gt, pred, shard.i, shard.n)) == P2C_OK && state_out) {
    size_t len = 0;
    code = p2c_eval_write_state(ev, state_out, &len);
    if (code == P2C_EXIT_OK && !quiet)
      fprintf(stderr, "%s: shard %zu/%zu: state written to %s (%zu bytes)\n", p2c_cli_prog, shard.i,
              shard.n, state_out, len);
  } else if (rc != P2C_OK || (rc = p2c_evaluator_finish(ev)) != P2C_OK) {
    if (pr.shown) fputc('\n', stderr);
    p2c_cli_errorf("%s", p2c_evaluator_last_error(ev));
    code = p2c_cli_exit_code(rc);
  } else {
    code = p2c_eval_report(ev, json_out, seg_out);
  }
  p2c_evaluator_free(ev);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  return code;
}
