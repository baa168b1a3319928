/* p2c-eval validate GT.json PRED.json: check a submission against its ground
 * truth and report every problem; on success, describe both data sets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static void usage(FILE *out)
{
  fprintf(out,
          "usage: p2c-eval validate GT.json PRED.json [options]\n"
          "\n"
          "Checks a prediction against its ground truth the way the evaluation reads them:\n"
          "the JSON files (or .json.gz) and, unless --json-only, every PNG. Prints each\n"
          "problem as 'FILE: image ID segment ID: message' on stderr; exit status 1 when\n"
          "any is an error (warnings alone do not fail). On success prints a summary.\n"
          "\n"
          "options:\n"
          "  --gt-dir DIR        folder of the ground-truth PNGs (default: GT.json without .json)\n"
          "  --pred-dir DIR      folder of the predicted PNGs (default: PRED.json without .json)\n"
          "  --json-only         do not read the PNGs\n"
          "  --no-captions       do not require captions (panoptic quality only)\n"
          "  --max-problems N    stop after N problems (default 1000)\n");
}

/* After a usage error: the synopsis only. */
static void usage_line(FILE *out)
{
  fprintf(out, "usage: p2c-eval validate GT.json PRED.json [options]   (--help for the options)\n");
}

static void print_problem(const p2c_problem *p)
{
  fprintf(stderr, "%s:", p->file);
  if (p->image_id >= 0) fprintf(stderr, " image %lld", (long long)p->image_id);
  if (p->segment_id >= 0) fprintf(stderr, " segment %lld", (long long)p->segment_id);
  fprintf(stderr, "%s%s%s\n", p->image_id >= 0 || p->segment_id >= 0 ? ": " : " ",
          p->severity == P2C_PROBLEM_WARNING ? "warning: " : "", p->message);
}

typedef struct words {
  size_t n, min, max, total;
} words;

static void count_words(words *w, const char *s)
{
  size_t k = 0;
  for (const char *p = s; *p;) {
    while (*p == ' ' || (*p >= '\t' && *p <= '\r')) p++;
    if (!*p) break;
    k++;
    while (*p && *p != ' ' && !(*p >= '\t' && *p <= '\r')) p++;
  }
  if (w->n == 0 || k < w->min) w->min = k;
  if (k > w->max) w->max = k;
  w->total += k;
  w->n++;
}

typedef struct tally {
  size_t images, segments, things, stuff, unknown, crowd, no_caption;
  words captions;
} tally;

/* Segments split by the ground-truth category's isthing. */
static void count(const p2c_dataset *ds, const p2c_dataset *gt, tally *t)
{
  memset(t, 0, sizeof *t);
  size_t n = p2c_dataset_num_images(ds);
  for (size_t i = 0; i < n; i++) {
    p2c_image_info im;
    p2c_dataset_image(ds, i, &im);
    if (!im.png_name) continue; /* listed in images[] only */
    t->images++;
    for (size_t k = 0; k < im.num_segments; k++) {
      p2c_segment_info s;
      p2c_category_info c;
      size_t ci;
      p2c_dataset_segment(ds, i, k, &s);
      t->segments++;
      t->crowd += s.iscrowd != 0;
      if (p2c_dataset_find_category(gt, s.category_id, &ci) != P2C_OK) t->unknown++;
      else if (p2c_dataset_category(gt, ci, &c) == P2C_OK && c.isthing) t->things++;
      else t->stuff++;
      if (s.caption_kind == P2C_CAPTION_STRING) count_words(&t->captions, s.caption);
      else t->no_caption++;
    }
  }
}

/* ncat < 0: no categories line (the prediction's are not used). */
static void print_tally(const char *what, const char *path, const tally *t, long ncat,
                        size_t cat_things, const char *captions, const char *per)
{
  printf("%s  %s\n", what, path);
  printf("  images        %zu\n", t->images);
  printf("  segments      %zu (things %zu, stuff %zu", t->segments, t->things, t->stuff);
  if (t->unknown) printf(", unknown category %zu", t->unknown);
  if (t->crowd) printf(", crowd %zu", t->crowd);
  printf(")\n");
  if (ncat >= 0)
    printf("  categories    %ld (things %zu, stuff %zu)\n", ncat, cat_things, (size_t)ncat - cat_things);
  printf("  %-13s %zu", captions, t->captions.n);
  if (t->captions.n)
    printf(" (words per %s: mean %.2f, min %zu, max %zu)", per,
           (double)t->captions.total / (double)t->captions.n, t->captions.min, t->captions.max);
  if (t->no_caption) printf(", not a string %zu", t->no_caption);
  printf("\n");
}

int p2c_cmd_validate(int argc, char **argv)
{
  const char *paths[2] = {NULL, NULL}, *gt_dir = NULL, *pred_dir = NULL;
  p2c_validate_options vopts = P2C_VALIDATE_OPTIONS_INIT;
  const p2c_cli_option options[] = {
      P2C_CLI_STRING("--gt-dir", &gt_dir),
      P2C_CLI_STRING("--pred-dir", &pred_dir),
      P2C_CLI_SIZE("--max-problems", &vopts.max_problems, 1, 1000000000),
      P2C_CLI_FLAG("--json-only", &vopts.check_pngs, 0),
      P2C_CLI_FLAG("--no-captions", &vopts.require_captions, 0),
      P2C_CLI_END,
  };
  const p2c_cli_command cmd = {.name = "validate", .options = options, .usage = usage,
                               .usage_error = usage_line, .operands = paths, .min_operands = 2,
                               .max_operands = 2, .operands_help = "GT.json and PRED.json"};
  int parsed = p2c_cli_parse(&cmd, argc, argv, NULL);
  if (parsed != P2C_CLI_RUN) return parsed;

  p2c_error err;
  p2c_dataset *gt = NULL, *pred = NULL;
  int code = p2c_eval_load(paths, gt_dir, pred_dir, 1, &gt, &pred);
  if (code != P2C_EXIT_OK) return code;
  p2c_validation *val = NULL;
  int rc = p2c_validate(gt, pred, &vopts, &val, &err);
  if (rc != P2C_OK) {
    p2c_dataset_free(gt);
    p2c_dataset_free(pred);
    return p2c_cli_report(&err);
  }
  size_t n = p2c_validation_count(val), errors = p2c_validation_num_errors(val), caption_errors = 0;
  for (size_t i = 0; i < n; i++) {
    p2c_problem p;
    if (p2c_validation_problem(val, i, &p) != P2C_OK) continue;
    print_problem(&p);
    caption_errors += p.severity == P2C_PROBLEM_ERROR && p.code == P2C_ERR_SCHEMA;
  }
  if (p2c_validation_truncated(val))
    p2c_cli_errorf("stopped after %zu problems (--max-problems)", n);
  int status = P2C_EXIT_OK;
  if (errors) {
    p2c_cli_errorf("%zu error%s, %zu warning%s", errors, errors == 1 ? "" : "s", n - errors,
                   n - errors == 1 ? "" : "s");
    if (caption_errors == errors)
      p2c_cli_errorf("every error is about captions; --no-captions checks the rest (panoptic quality only)");
    status = P2C_EXIT_INVALID;
  } else {
    tally tg, tp;
    count(gt, gt, &tg);
    count(pred, gt, &tp);
    size_t ncat = p2c_dataset_num_categories(gt), things = 0;
    for (size_t i = 0; i < ncat; i++) {
      p2c_category_info c;
      if (p2c_dataset_category(gt, i, &c) == P2C_OK && c.isthing) things++;
    }
    print_tally("ground truth", paths[0], &tg, (long)ncat, things, "descriptions", "description");
    print_tally("prediction  ", paths[1], &tp, -1, 0, "captions", "caption");
    printf("valid, %zu warning%s\n", n, n == 1 ? "" : "s");
  }
  p2c_validation_free(val);
  p2c_dataset_free(gt);
  p2c_dataset_free(pred);
  return status;
}
