/* p2c-eval: score Pix2Cap-COCO submissions. Subcommands are listed in
 * `commands`; `p2c-eval GT.json PRED.json` (no subcommand) runs the main
 * evaluation. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static int p2c_cmd_version(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  printf("p2c-eval %s\n", p2c_version_string());
  return P2C_EXIT_OK;
}

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
    {"captions", p2c_cmd_captions, "BLEU, ROUGE-L, CIDEr-D of COCO caption files (pycocoevalcap)"},
    {"merge", p2c_cmd_merge, "finish the evaluation from shard states (--state-out)"},
    {"pq", p2c_cmd_pq, "panoptic quality (PQ, SQ, RQ), as panopticapi"},
    {"to-instances", p2c_cmd_to_instances, "rewrite panoptic PNG predictions as instance RLEs"},
    {"tokenize", p2c_cmd_tokenize, "PTB-tokenize lines of stdin as pycocoevalcap does"},
    {"validate", p2c_cmd_validate, "check a prediction against its ground truth"},
    {"version", p2c_cmd_version, "print the library version"},
};

static int is_json_name(const char *s)
{
  size_t n = strlen(s);
  return (n > 5 && !strcmp(s + n - 5, ".json")) || (n > 8 && !strcmp(s + n - 8, ".json.gz"));
}

static void usage(FILE *out)
{
  fprintf(out,
          "usage: p2c-eval GT.json PRED.json [options]     evaluate a submission\n"
          "       p2c-eval COMMAND [args]                   run one step\n"
          "       p2c-eval --version | --help\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\nRun 'p2c-eval GT.json PRED.json --help' for the evaluation's options (--json,\n"
               "--protocol, --per-segment, ...) and 'p2c-eval COMMAND --help' for a command's.\n");
}

int main(int argc, char **argv)
{
  p2c_cli_prog = "p2c-eval";
  if (argc < 2) {
    usage(stderr);
    return P2C_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage(stdout);
    return P2C_EXIT_OK;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("p2c-eval %s\n", p2c_version_string());
    return P2C_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
  /* p2c-eval GT.json PRED.json [options]: the main evaluation */
  if (argc >= 3 && is_json_name(argv[1]) && is_json_name(argv[2])) return p2c_cmd_evaluate(argc, argv);
  p2c_cli_errorf("unknown command '%s'", argv[1]);
  usage(stderr);
  return P2C_EXIT_USAGE;
}
