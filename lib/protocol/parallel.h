/* A deterministic parallel loop: fn(ctx, worker, i) for every i < n, item i
 * on worker i % threads, so any per-worker state is used by one thread. */
#ifndef P2C_PROTOCOL_PARALLEL_H
#define P2C_PROTOCOL_PARALLEL_H

#include <stddef.h>

typedef int (*p2ci_item_fn)(void *ctx, int worker, size_t i);

/* Returns P2C_OK, or the status of the failing item with the smallest index
 * (*failed_item set to it) whatever the thread count. Threads that cannot be
 * started leave their items to the calling thread. */
int p2ci_parallel_for(int threads, size_t n, p2ci_item_fn fn, void *ctx, size_t *failed_item);

#endif
