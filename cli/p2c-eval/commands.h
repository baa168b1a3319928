/* The subcommands of p2c-eval; each lives in cmd_<name>.c. */
#ifndef P2C_EVAL_COMMANDS_H
#define P2C_EVAL_COMMANDS_H


#endif
