/* p2c-eval GT.json PRED.json: the whole Pix2Cap-COCO evaluation (panoptic
 * quality, caption quality, dense-captioning mAP) under one protocol. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void pct(double v)
{
  if (isnan(v))
    printf("  %6s", "-");
  else
    printf("  %6.2f", 100.0 * v);
}

void p2c_eval_print_table(const p2c_eval_summary *S)
{
  const int official = S->protocol == P2C_PROTOCOL_PIX2CAP_OFFICIAL;
  printf("protocol: %s\n\n", p2c_protocol_name(S->protocol));
  printf("%-10s|  %6s  %6s  %6s  %5s\n", "", "PQ", "SQ", "RQ", "N");
  printf("----------+------------------------------\n");
  printf("%-10s|", "All");
  pct(S->pq), pct(S->sq), pct(S->rq);
  printf("  %5zu\n", S->n_classes);
  if (!official) {
    printf("%-10s|", "Things");
    pct(S->pq_things), pct(S->sq_things), pct(S->rq_things);
    printf("  %5zu\n", S->n_things);
    printf("%-10s|", "Stuff");
    pct(S->pq_stuff), pct(S->sq_stuff), pct(S->rq_stuff);
    printf("  %5zu\n", S->n_stuff);
  }
  printf("\ncaptions on %zu matched pairs (TP %llu, FP %llu, FN %llu)\n", S->caption_pairs,
         (unsigned long long)S->tp, (unsigned long long)S->fp, (unsigned long long)S->fn);
  printf("%-10s|  %6s  %6s  %6s  %6s  %6s\n", "", "BLEU-4", "METEOR", "ROUGE", "CIDEr", "SPICE");
  printf("----------+------------------------------------------\n");
  if (!official) {
    printf("%-10s|", "mean");
    pct(S->bleu4), pct(S->meteor), pct(S->rouge_l), pct(S->cider_d), pct(S->spice);
    printf("\n");
  }
  printf("%-10s|", "scaled");
  pct(S->bleu4_scaled), pct(S->meteor_scaled), pct(S->rouge_l_scaled), pct(S->cider_d_scaled),
      pct(S->spice_scaled);
  printf("\n\ndense captioning (%llu %s, %llu GT)\n", (unsigned long long)S->map_entries,
         official ? "records" : "predictions", (unsigned long long)S->map_npos);
  printf("%-10s|", "mAP");
  pct(S->map);
  printf("\n%-10s|", "det mAP");
  pct(S->detmap);
  printf("\n");
}

int p2c_cmd_evaluate(int argc, char **argv)
{
  const char *paths[2] = {NULL, NULL};
  const char *gt_dir = NULL, *pred_dir = NULL, *json_out = NULL, *seg_out = NULL, *v;
  const char *state_out = NULL;
  size_t shard = 0, nshards = 1;
  int keep_segments = 0;
  int npaths = 0, bad = 0, quiet = 0;
  p2c_eval_options eo = P2C_EVAL_OPTIONS_INIT;
  for (int i = 1; i < argc && !bad; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      usage(stdout);
      return P2C_EXIT_OK;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--gt-dir", &bad))) {
      gt_dir = v;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--pred-dir", &bad))) {
      pred_dir = v;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--protocol", &bad))) {
      if (p2c_protocol_from_name(v, &eo.protocol) != P2C_OK) {
        p2c_cli_errorf("unknown protocol '%s' (known: p2c-v1, pix2cap-official)", v);
        bad = 1;
      }
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--threads", &bad))) {
      eo.threads = p2c_cli_int("--threads", v, 1, 1024, &bad);
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--compat-cpus", &bad))) {
      eo.compat_cpus = p2c_cli_int("--compat-cpus", v, 1, 1 << 20, &bad);
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--wordnet", &bad))) {
      eo.wordnet_dir = v;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--json", &bad))) {
      json_out = v;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--per-segment", &bad))) {
      seg_out = v;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--shard", &bad))) {
      unsigned long a = 0, b = 0;
      char tail = 0;
      if (sscanf(v, "%lu/%lu%c", &a, &b, &tail) != 2 || b == 0 || a >= b || b > 1000000) {
        p2c_cli_errorf("--shard: expected I/N with 0 <= I < N, got '%s'", v);
        bad = 1;
      }
      shard = a, nshards = b;
    } else if ((v = p2c_cli_opt(argc, argv, &i, "--state-out", &bad))) {
      state_out = v;
    } else if (!strcmp(argv[i], "--keep-segments")) {
      keep_segments = 1;
    } else if (!strcmp(argv[i], "--class-agnostic")) {
      eo.class_agnostic = 1;
    } else if (!strcmp(argv[i], "--quiet")) {
      quiet = 1;
    } else {
      p2c_cli_operand("", argv[i], paths, &npaths, &bad);
    }
  }
  p2c_cli_need_operands("", npaths, "GT.json and PRED.json", &bad);
  if (!bad && nshards > 1 && !state_out) {
    p2c_cli_errorf("--shard needs --state-out (merge the shards' states with 'p2c-eval merge')");
    bad = 1;
  }
  if (!bad && state_out && (json_out || seg_out)) {
    p2c_cli_errorf("--state-out writes the state only: --json and --per-segment belong to 'p2c-eval merge'");
    bad = 1;
  }
  if (bad) {
    usage(stderr);
    return P2C_EXIT_USAGE;
  }

  progress pr = {!quiet && isatty(STDERR_FILENO), {0, 0}, 0};
  clock_gettime(CLOCK_MONOTONIC, &pr.start);
  eo.progress = on_progress;
  eo.progress_user = &pr;
  eo.keep_segments = seg_out != NULL || keep_segments;

  p2c_error err;
  p2c_dataset *gt = NULL, *pred = NULL;
  p2c_evaluator *ev = NULL;
  p2c_load_options gopts = P2C_LOAD_OPTIONS_INIT, popts = P2C_LOAD_OPTIONS_INIT;
  gopts.png_dir = gt_dir;
  popts.kind = P2C_DATASET_PRED;
  popts.png_dir = pred_dir;
  /* with --threads 2 or more, the two files load side by side */
  if (p2c_dataset_load_pair(paths[0], &gopts, paths[1], &popts, eo.threads, &gt, &pred, &err) != P2C_OK)
    return p2c_cli_report(&err);
  int rc = p2c_evaluator_create(gt, &eo, &ev, &err);
  if (rc != P2C_OK) {
    p2c_dataset_free(gt);
    p2c_dataset_free(pred);
    return p2c_cli_report(&err);
  }
  rc = p2c_evaluator_run_shard(ev, gt, pred, shard, nshards);
  int code = P2C_EXIT_OK;
  if (rc == P2C_OK && state_out) {
    const unsigned char *st = NULL;
    size_t stlen = 0;
    if ((rc = p2c_evaluator_state(ev, &st, &stlen)) == P2C_OK) {
      if (p2c_cli_write_file(state_out, (const char *)st, stlen) != 0)
        code = P2C_EXIT_INVALID;
      else if (!quiet)
        fprintf(stderr, "%s: shard %zu/%zu: state written to %s (%zu bytes)\n", p2c_cli_prog, shard,
                nshards, state_out, stlen);
    }
    if (rc == P2C_OK) {
      p2c_evaluator_free(ev);
      p2c_dataset_free(gt);
      p2c_dataset_free(pred);
      return code;
    }
  }
  if (rc == P2C_OK) rc = p2c_evaluator_finish(ev);
  if (rc != P2C_OK) {
    if (pr.shown) fputc('\n', stderr);
    p2c_cli_errorf("%s", p2c_evaluator_last_error(ev));
    code = p2c_cli_exit_code(rc);
  } else {
    p2c_eval_summary S;
    p2c_evaluator_summary(ev, &S);
    p2c_eval_print_table(&S);
    const char *w = p2c_evaluator_warning(ev);
    if (*w) fprintf(stderr, "%s: warning: %s\n", p2c_cli_prog, w);
    if (json_out && (rc = p2c_evaluator_write_json(ev, json_out)) != P2C_OK) {
      p2c_cli_errorf("%s: cannot write: %s", json_out, p2c_strerror(rc));
      code = p2c_cli_exit_code(rc);
    }
    if (seg_out && (rc = p2c_evaluator_write_segments(ev, seg_out)) != P2C_OK) {
      p2c_cli_errorf("%s: cannot write: %s", seg_out, p2c_strerror(rc));
      code = p2c_cli_exit_code(rc);
    }
  }
  p2c_evaluator_free(ev);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  return code;
}
