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
/* GPU backend discovery (gpu_load.c): collective, from ha_init / ha_finalize */
void ha__gpu_load(void);
void ha__gpu_unload(void);

/* Shared scratch allocation that may fail: malloc(n ? n : 1). */
void *ha__malloc(size_t n);

/* Bookkeeping of one Alltoallv that moves rows along the split axis from
** one row map (smap) to another (tmap): per-rank byte counts and
** displacements, filled by the caller, and each rank's first global row
** under either map.  One allocation of 6 * P int64s behind sc. */
typedef struct {
	int64_t *sc, *sd;     /* bytes sent to each rank, offset in the send buffer */
	int64_t *rc, *rd;     /* bytes received from each rank, offset in the receive buffer */
	int64_t *soff, *toff; /* first global row of each rank under smap, under tmap */
} ha__xplan;

/* Allocates x for P ranks and sets soff/toff to the exclusive prefix sums
** of smap/tmap.  Returns 0, or -1 with "out of memory in <what>" set.
** Release with ha__xplan_free. */
int ha__xplan_init(ha__xplan *x, int P, const int64_t *smap, const int64_t *tmap,
                   const char *what);
void ha__xplan_free(ha__xplan *x);

/* Rank owning global row g of a chunk map whose exclusive prefix offsets
** are off[0..P): the largest r with off[r] <= g, which skips empty chunks
** (they share their successor's offset). */
int ha__owner_of(const int64_t *off, int P, int64_t g);

#endif
