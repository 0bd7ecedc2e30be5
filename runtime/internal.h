/*
** internal.h — helpers shared by the core runtime files (not public API).
*/
#ifndef HA_INTERNAL_H
#define HA_INTERNAL_H

#include "ha.h"

/* Global size from which rank-local allocation failures are agreed by an
** all-reduce.  The decision depends only on replicated sizes, so every
** rank takes the same branch; below it an allocation failure on a single
** rank is not recoverable anyway, and small arrays stay communication-free. */
#define HA_AGREE_BYTES ((int64_t)64 << 20)

/* Returns 0 when no rank failed, else -1 with a MemoryError set on every
** rank (one 4-byte Allreduce charged to `what` when gbytes is large). */
int ha__agree(int failed, int64_t gbytes, ha_comm *c, const char *what);

/* Shared scratch allocation that may fail: malloc(n ? n : 1). */
void *ha__malloc(size_t n);

#endif
