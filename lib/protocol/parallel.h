/* A deterministic parallel loop: fn(ctx, worker, i) for every i < n, on
 * `threads` workers that take the next item as they become free, so items of
 * very different costs (one long task among many short ones) still share the
 * cores. Worker w's calls all run on one thread, one at a time, so per-worker
 * state needs no lock; what an item computes must not depend on which worker
 * ran it, nor on the items that worker ran before. */
#ifndef P2C_PROTOCOL_PARALLEL_H
#define P2C_PROTOCOL_PARALLEL_H

#include <stddef.h>

typedef int (*p2ci_item_fn)(void *ctx, int worker, size_t i);

/* Returns P2C_OK, or the status of the failing item with the smallest index
 * (*failed_item set to it, *failed_worker to the worker that ran it; either
 * may be NULL) whatever the thread count and timing: items are handed out in
 * index order and, after a failure, only items below it still run. Threads
 * that cannot be started leave their share to the others. */
int p2ci_parallel_for(int threads, size_t n, p2ci_item_fn fn, void *ctx, size_t *failed_item,
                      int *failed_worker);

#endif
