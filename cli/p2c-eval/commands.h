/* The subcommands of p2c-eval; each lives in cmd_<name>.c. */
#ifndef P2C_EVAL_COMMANDS_H
#define P2C_EVAL_COMMANDS_H

/* Each takes argv[0] = the command name, returns a P2C_EXIT_* code. */
int p2c_cmd_validate(int argc, char **argv);
int p2c_cmd_pq(int argc, char **argv);
/* cmd_captions.c */
int p2c_cmd_captions(int argc, char **argv);
int p2c_cmd_tokenize(int argc, char **argv);
int p2c_cmd_to_instances(int argc, char **argv);
/* p2c-eval GT.json PRED.json [options]: the full evaluation (argv[0] unused). */
int p2c_cmd_evaluate(int argc, char **argv);

#endif
