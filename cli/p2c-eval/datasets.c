/* Loading the ground truth and the prediction a command compares. */
#include "cli.h"
#include "commands.h"

int p2c_eval_load(const char *const paths[2], const char *gt_dir, const char *pred_dir, int threads,
                  p2c_dataset **gt, p2c_dataset **pred)
{
  p2c_error err;
  p2c_load_options gopts = P2C_LOAD_OPTIONS_INIT, popts = P2C_LOAD_OPTIONS_INIT;
  gopts.png_dir = gt_dir;
  popts.kind = P2C_DATASET_PRED;
  popts.png_dir = pred_dir;
  if (p2c_dataset_load_pair(paths[0], &gopts, paths[1], &popts, threads, gt, pred, &err) != P2C_OK)
    return p2c_cli_report(&err);
  return P2C_EXIT_OK;
}
