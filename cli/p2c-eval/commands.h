/* The subcommands of p2c-eval; each lives in cmd_<name>.c. */
#ifndef P2C_EVAL_COMMANDS_H
#define P2C_EVAL_COMMANDS_H

/* cmd_captions.c */
int p2c_cmd_captions(int argc, char **argv);
int p2c_cmd_tokenize(int argc, char **argv);

#endif
