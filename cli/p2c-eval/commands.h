/* The subcommands of p2c-eval; each lives in cmd_<name>.c. */
#ifndef P2C_EVAL_COMMANDS_H
#define P2C_EVAL_COMMANDS_H

#include "p2ceval.h"

/* Each takes argv[0] = the command name, returns a P2C_EXIT_* code. */
int p2c_cmd_validate(int argc, char **argv);
int p2c_cmd_pq(int argc, char **argv);
/* cmd_captions.c */
int p2c_cmd_captions(int argc, char **argv);
int p2c_cmd_tokenize(int argc, char **argv);
int p2c_cmd_to_instances(int argc, char **argv);
/* p2c-eval GT.json PRED.json [options]: the full evaluation (argv[0] unused). */
int p2c_cmd_evaluate(int argc, char **argv);
/* p2c-eval merge STATE... : finish merged shard states (cmd_merge.c). */
int p2c_cmd_merge(int argc, char **argv);

/* results.c: what the evaluation and merge print and write. */
void p2c_eval_print_table(const p2c_eval_summary *S);
/* The table on stdout, the warning on stderr, then --json and --per-segment
 * (each NULL when not asked for). Returns a P2C_EXIT_* code, reported. */
int p2c_eval_report(const p2c_evaluator *ev, const char *json_out, const char *seg_out);
/* The mergeable state, written atomically to path; *len is its size. Returns
 * a P2C_EXIT_* code, reported. */
int p2c_eval_write_state(p2c_evaluator *ev, const char *path, size_t *len);

/* datasets.c: load paths[0] as the ground truth and paths[1] as the
 * prediction (PNG folders: NULL for the default), side by side when threads
 * > 1. Returns P2C_EXIT_OK, or the exit code of the reported failure (the
 * ground truth's first; then nothing is left loaded). */
int p2c_eval_load(const char *const paths[2], const char *gt_dir, const char *pred_dir, int threads,
                  p2c_dataset **gt, p2c_dataset **pred);

#endif
