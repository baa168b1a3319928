#include "protocol/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/internal.h"

typedef struct shared {
  p2ci_item_fn fn;
  void *ctx;
  size_t n;
  atomic_size_t next;  /* the next item to hand out */
  atomic_size_t limit; /* items at or above it are not started: the smallest failure so far */
} shared;

typedef struct worker {
  shared *sh;
  int id;
  int rc;
  size_t failed;
} worker;

static void *run(void *arg)
{
  worker *w = arg;
  shared *sh = w->sh;
  for (;;) {
    size_t i = atomic_fetch_add(&sh->next, 1);
    if (i >= sh->n || i >= atomic_load(&sh->limit)) break;
    int rc = sh->fn(sh->ctx, w->id, i);
    if (rc != P2C_OK) {
      /* every item below i was handed out before it and still runs */
      w->rc = rc;
      w->failed = i;
      size_t lim = atomic_load(&sh->limit);
      while (i < lim && !atomic_compare_exchange_weak(&sh->limit, &lim, i)) {
      }
      break;
    }
  }
  return NULL;
}

int p2ci_parallel_for(int threads, size_t n, p2ci_item_fn fn, void *ctx, size_t *failed_item,
                      int *failed_worker)
{
  if (threads < 1) threads = 1;
  if ((size_t)threads > n) threads = n ? (int)n : 1;
  shared sh = {fn, ctx, n, 0, SIZE_MAX};
  worker *w = p2ci_calloc_array((size_t)threads, sizeof *w);
  pthread_t *th = p2ci_calloc_array((size_t)threads, sizeof *th);
  unsigned char *started = p2ci_calloc_array((size_t)threads, 1);
  if (!w || !th || !started) {
    free(w), free(th), free(started);
    return P2C_ERR_NOMEM;
  }
  for (int t = 0; t < threads; t++) w[t] = (worker){&sh, t, P2C_OK, 0};
  for (int t = 1; t < threads; t++) started[t] = pthread_create(&th[t], NULL, run, &w[t]) == 0;
  run(&w[0]);
  for (int t = 1; t < threads; t++)
    if (started[t]) pthread_join(th[t], NULL);
  int rc = P2C_OK;
  size_t first = SIZE_MAX;
  int who = -1;
  for (int t = 0; t < threads; t++)
    if (w[t].rc != P2C_OK && w[t].failed < first) {
      first = w[t].failed;
      rc = w[t].rc;
      who = t;
    }
  if (failed_item) *failed_item = first;
  if (failed_worker) *failed_worker = who;
  free(w), free(th), free(started);
  return rc;
}
