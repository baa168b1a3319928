/* p2c_dataset_load_pair: the two JSON files of an evaluation, side by side. */
#include <pthread.h>

#include "core/internal.h"

typedef struct load_job {
  const char *path;
  const p2c_load_options *opts;
  p2c_dataset *ds;
  p2c_error err;
  int rc;
} load_job;

static void *load_one(void *arg)
{
  load_job *j = arg;
  j->rc = p2c_dataset_load(j->path, j->opts, &j->ds, &j->err);
  return NULL;
}

int p2c_dataset_load_pair(const char *gt_path, const p2c_load_options *gt_opts, const char *pred_path,
                          const p2c_load_options *pred_opts, int threads, p2c_dataset **gt,
                          p2c_dataset **pred, p2c_error *err)
{
  if (gt) *gt = NULL;
  if (pred) *pred = NULL;
  if (!gt || !pred) return p2ci_error(err, P2C_ERR_INVALID_ARG, "p2c_dataset_load_pair: NULL argument");
  load_job g = {gt_path, gt_opts, NULL, {0}, P2C_OK}, p = {pred_path, pred_opts, NULL, {0}, P2C_OK};
  pthread_t th;
  int started = threads > 1 && pthread_create(&th, NULL, load_one, &p) == 0;
  load_one(&g);
  if (started)
    pthread_join(th, NULL);
  else if (g.rc == P2C_OK)
    load_one(&p);
  const load_job *failed = g.rc != P2C_OK ? &g : p.rc != P2C_OK ? &p : NULL;
  if (failed) {
    if (err) p2ci_error_copy(err, &failed->err);
    p2c_dataset_free(g.ds);
    p2c_dataset_free(p.ds);
    return failed->rc;
  }
  *gt = g.ds;
  *pred = p.ds;
  return P2C_OK;
}
