/* p2c-eval captions REFS.json HYPS.json [--metrics LIST] [--tokenized] [--json OUT]
 *                   [--meteor 1.5|nltk] [--meteor-paraphrase FILE] [--meteor-data DIR]
 *                   [--wordnet DIR]
 * p2c-eval tokenize  (lines on stdin -> tokens on stdout)
 *
 * Caption metrics over COCO caption files, as pycocoevalcap's COCOEvalCap
 * computes them (PTBTokenizer, Bleu(4), Rouge(), Cider()), without Java. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static void captions_usage(FILE *out)
{
  fprintf(out,
          "usage: p2c-eval captions REFS.json HYPS.json [--metrics LIST] [--tokenized] [--json OUT]\n"
          "\n"
          "  REFS.json    COCO caption annotations {\"annotations\": [{\"image_id\", \"caption\"}, ...]}\n"
          "  HYPS.json    COCO results [{\"image_id\", \"caption\"}, ...], one caption per image\n"
          "               (either may be gzipped)\n"
          "  --metrics L  comma list of");
  for (size_t i = 0; p2c_captions_metric_known(i); i++)
    fprintf(out, "%s%s", i ? "," : " ", p2c_captions_metric_known(i));
  fprintf(out, " (default: all)\n"
               "  --tokenized  the captions are already tokenized: skip the PTB tokenizer\n"
               "  --json OUT   write {\"corpus\": {...}, \"per_image\": {\"ID\": {...}}} to OUT\n"
               "  --meteor V   METEOR variant: 1.5 (default: METEOR 1.5 as pycocoevalcap runs it)\n"
               "               or nltk (NLTK 3.8 meteor_score)\n"
               "  --meteor-paraphrase FILE  METEOR 1.5 paraphrase table (paraphrase-en.gz);\n"
               "               without it the variant is meteor-1.5-nopara\n"
               "  --meteor-data DIR  METEOR 1.5 synonyms from METEOR's english.synsets and\n"
               "               english.exceptions instead of WordNet\n"
               "  --wordnet DIR  WordNet 3.0 dict folder (default: $P2C_WORDNET_DIR, else\n"
               "               /usr/share/wordnet)\n");
}

static void put_double(p2c_cli_buf *b, double v)
{
  if (v != v) p2c_cli_buf_puts(b, "null"); /* NaN: not JSON */
  else p2c_cli_buf_printf(b, "%.17g", v);
}

/* SPICE's per-image detail: {"All": {"pr", "re", "f", "tp", "fp", "fn"}, ...} */
static void put_spice_detail(p2c_cli_buf *b, const p2c_spice_detail *d)
{
  p2c_cli_buf_puts(b, "{");
  for (int k = 0; k < P2C_SPICE_NUM_KINDS; k++) {
    const p2c_spice_prf *e = &d->kind[k];
    p2c_cli_buf_puts(b, k ? ", " : "");
    p2c_cli_buf_json_string(b, p2c_spice_kind_name(k));
    p2c_cli_buf_puts(b, ": {\"pr\": ");
    put_double(b, e->pr);
    p2c_cli_buf_puts(b, ", \"re\": ");
    put_double(b, e->re);
    p2c_cli_buf_puts(b, ", \"f\": ");
    put_double(b, e->f);
    p2c_cli_buf_printf(b, ", \"tp\": %ld, \"fp\": %ld, \"fn\": %ld}", e->tp, e->fp, e->fn);
  }
  p2c_cli_buf_puts(b, "}");
}

static int write_json(const p2c_captions *c, const char *path)
{
  p2c_cli_buf b = {NULL, 0, 0, 0};
  size_t nm = p2c_captions_num_metrics(c);
  double v;
  size_t spice_m;
  int spice = p2c_captions_metric_index(c, "SPICE", &spice_m) == P2C_OK;
  p2c_cli_buf_puts(&b, "{\"corpus\": {");
  for (size_t m = 0; m < nm; m++) {
    p2c_cli_buf_puts(&b, m ? ", " : "");
    p2c_cli_buf_json_string(&b, p2c_captions_metric_name(c, m));
    p2c_cli_buf_puts(&b, ": ");
    p2c_captions_corpus(c, m, &v);
    put_double(&b, v);
  }
  p2c_cli_buf_puts(&b, "},\n");
  int any_variant = 0;
  for (size_t m = 0; m < nm; m++) {
    const char *var = p2c_captions_metric_variant(c, m);
    if (!var) continue;
    p2c_cli_buf_puts(&b, any_variant ? ", " : " \"variants\": {");
    p2c_cli_buf_json_string(&b, p2c_captions_metric_name(c, m));
    p2c_cli_buf_puts(&b, ": ");
    p2c_cli_buf_json_string(&b, var);
    any_variant = 1;
  }
  if (any_variant) p2c_cli_buf_puts(&b, "},\n");
  p2c_cli_buf_puts(&b, " \"per_image\": {");
  for (size_t i = 0; i < p2c_captions_num_items(c); i++) {
    p2c_cli_buf_puts(&b, i ? ",\n  " : "\n  ");
    p2c_cli_buf_json_string(&b, p2c_captions_key(c, i));
    p2c_cli_buf_puts(&b, ": {");
    for (size_t m = 0; m < nm; m++) {
      p2c_cli_buf_puts(&b, m ? ", " : "");
      p2c_cli_buf_json_string(&b, p2c_captions_metric_name(c, m));
      p2c_cli_buf_puts(&b, ": ");
      p2c_captions_item_score(c, i, m, &v);
      put_double(&b, v);
    }
    p2c_spice_detail d;
    if (spice && p2c_captions_spice_detail(c, i, &d) == P2C_OK) {
      p2c_cli_buf_puts(&b, ", \"SPICE_detail\": ");
      put_spice_detail(&b, &d);
    }
    p2c_cli_buf_puts(&b, "}");
  }
  p2c_cli_buf_puts(&b, "}}\n");
  return p2c_cli_buf_write(&b, path);
}

int p2c_cmd_captions(int argc, char **argv)
{
  const char *paths[2] = {NULL, NULL}, *metrics = NULL, *json = NULL;
  /* the METEOR options, passed on as "METEOR.<name>" */
  static const char *const meteor_names[4] = {"variant", "paraphrase", "meteor_data", "wordnet"};
  const char *meteor_values[4] = {NULL, NULL, NULL, NULL};
  int tokenized = 0;
  const p2c_cli_option options[] = {
      P2C_CLI_STRING("--meteor", &meteor_values[0]),
      P2C_CLI_STRING("--meteor-paraphrase", &meteor_values[1]),
      P2C_CLI_STRING("--meteor-data", &meteor_values[2]),
      P2C_CLI_STRING("--wordnet", &meteor_values[3]),
      P2C_CLI_FLAG("--tokenized", &tokenized, 1),
      P2C_CLI_STRING("--metrics", &metrics),
      P2C_CLI_STRING("--json", &json),
      P2C_CLI_END,
  };
  const p2c_cli_command cmd = {.name = "captions", .options = options, .usage = captions_usage,
                               .operands = paths, .min_operands = 2, .max_operands = 2,
                               .operands_help = "REFS.json and HYPS.json"};
  int parsed = p2c_cli_parse(&cmd, argc, argv, NULL);
  if (parsed != P2C_CLI_RUN) return parsed;

  p2c_captions_options opts = P2C_CAPTIONS_OPTIONS_INIT;
  opts.text = tokenized ? P2C_TEXT_TOKENIZED : P2C_TEXT_RAW;
  opts.metrics = metrics;
  p2c_captions *c;
  p2c_error err;
  int rc = p2c_captions_create(&opts, &c, &err);
  if (rc == P2C_ERR_NOT_FOUND) { /* an unknown metric name */
    p2c_cli_errorf("%s", err.message);
    return P2C_EXIT_USAGE;
  }
  if (rc) return p2c_cli_report(&err);
  size_t unused;
  if (p2c_captions_metric_index(c, "METEOR", &unused) == P2C_OK) {
    for (size_t k = 0; k < 4; k++) {
      if (!meteor_values[k]) continue;
      char name[32];
      snprintf(name, sizeof name, "METEOR.%s", meteor_names[k]);
      if ((rc = p2c_captions_set_option(c, name, meteor_values[k])) != P2C_OK) {
        p2c_cli_cmd_errorf(&cmd, "%s: %s", options[k].name, p2c_captions_last_error(c));
        p2c_captions_free(c);
        return rc == P2C_ERR_NOMEM ? P2C_EXIT_INTERNAL : P2C_EXIT_USAGE;
      }
    }
  }
  if ((rc = p2c_captions_add_coco_files(c, paths[0], paths[1])) != P2C_OK ||
      (rc = p2c_captions_score(c)) != P2C_OK) {
    p2c_cli_errorf("%s", p2c_captions_last_error(c));
    p2c_captions_free(c);
    return p2c_cli_exit_code(rc);
  }
  for (size_t m = 0; m < p2c_captions_num_metrics(c); m++) {
    double v;
    p2c_captions_corpus(c, m, &v);
    const char *var = p2c_captions_metric_variant(c, m);
    if (var) printf("%-8s %.6f  (%s)\n", p2c_captions_metric_name(c, m), v, var);
    else printf("%-8s %.6f\n", p2c_captions_metric_name(c, m), v);
  }
  int exit_code = P2C_EXIT_OK;
  if (json) exit_code = write_json(c, json);
  p2c_captions_free(c);
  return exit_code;
}

int p2c_cmd_tokenize(int argc, char **argv)
{
  if (argc > 1) {
    int help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
    fprintf(help ? stdout : stderr,
            "usage: p2c-eval tokenize < LINES\n\n"
            "Tokenize each line of stdin as pycocoevalcap's PTBTokenizer (Stanford 3.4.1,\n"
            "-lowerCase, punctuation removed) and print its tokens separated by spaces.\n");
    return help ? P2C_EXIT_OK : P2C_EXIT_USAGE;
  }
  p2c_tokenizer *t;
  p2c_error err;
  if (p2c_tokenizer_create(&t, &err)) return p2c_cli_report(&err);
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  int rc = P2C_EXIT_OK;
  while ((n = getline(&line, &cap, stdin)) >= 0) {
    lineno++;
    if (n > 0 && line[n - 1] == '\n') n--;
    const char *out;
    size_t len;
    if (p2c_tokenize(t, line, (size_t)n, &out, &len)) {
      p2c_cli_errorf("stdin line %zu: %s", lineno, p2c_tokenizer_last_error(t));
      rc = P2C_EXIT_INVALID;
      break;
    }
    fwrite(out, 1, len, stdout);
    putchar('\n');
  }
  free(line);
  p2c_tokenizer_free(t);
  if (fflush(stdout) != 0) rc = P2C_EXIT_INTERNAL;
  return rc;
}
