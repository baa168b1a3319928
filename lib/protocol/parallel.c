#include "protocol/parallel.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/internal.h"

typedef struct worker {
  p2ci_item_fn fn;
  void *ctx;
  int id, stride;
  size_t n;
  int rc;
  size_t failed;
} worker;

static void *run(void *arg)
{
  worker *w = arg;
  for (size_t i = (size_t)w->id; i < w->n; i += (size_t)w->stride) {
    int rc = w->fn(w->ctx, w->id, i);
    if (rc != P2C_OK) {
      w->rc = rc;
      w->failed = i;
      break;
    }
  }
  return NULL;
}

int p2ci_parallel_for(int threads, size_t n, p2ci_item_fn fn, void *ctx, size_t *failed_item)
{
  if (threads < 1) threads = 1;
  if ((size_t)threads > n) threads = n ? (int)n : 1;
  worker *w = p2ci_calloc_array((size_t)threads, sizeof *w);
  pthread_t *th = p2ci_calloc_array((size_t)threads, sizeof *th);
  unsigned char *started = p2ci_calloc_array((size_t)threads, 1);
  if (!w || !th || !started) {
    free(w), free(th), free(started);
    return P2C_ERR_NOMEM;
  }
  for (int t = 0; t < threads; t++) w[t] = (worker){fn, ctx, t, threads, n, P2C_OK, 0};
  for (int t = 1; t < threads; t++) started[t] = pthread_create(&th[t], NULL, run, &w[t]) == 0;
  run(&w[0]);
  for (int t = 1; t < threads; t++) {
    if (started[t])
      pthread_join(th[t], NULL);
    else
      run(&w[t]); /* same items, same worker state: still one thread at a time */
  }
  int rc = P2C_OK;
  size_t first = SIZE_MAX;
  for (int t = 0; t < threads; t++)
    if (w[t].rc != P2C_OK && w[t].failed < first) {
      first = w[t].failed;
      rc = w[t].rc;
    }
  if (failed_item) *failed_item = first;
  free(w), free(th), free(started);
  return rc;
}
