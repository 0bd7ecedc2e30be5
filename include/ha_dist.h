/*
** ha_dist.h — distribution helpers of the DNDarray methods that work on
** each rank's own chunk: halo exchange (runtime/halo.c) and filling the
** main diagonal (runtime/fill_diag.c).  Include after ha.h.
*/
#ifndef HA_DIST_H
#define HA_DIST_H

#include "ha.h"

/* Heat's get_halo: along the split axis, every rank that holds rows
** sends its first `halo` rows to the previous rank holding rows and its
** last `halo` rows to the next one (ranks with empty chunks are skipped,
** as Heat does).  *prev receives the last `halo` rows of the previous
** populated rank (when want_prev), *next the first `halo` rows of the
** next one (when want_next); each is NULL when there is no such rank,
** when this rank holds no rows, or when the array is not distributed or
** halo is 0.  Results are C-contiguous arrays of shape lshape with
** `halo` rows along the split axis, replicated over `local` (the
** caller's one-rank communicator; NULL means the world).
** ValueError when halo < 0 or when halo exceeds a populated chunk (the
** check uses the replicated chunk map, so every rank raises).
** Communication: point to point only, between neighbouring populated
** ranks; both directions are posted at once ("halo", Isendrecv). */
int ha_get_halo(const ha_array *a, int64_t halo, int want_prev, int want_next,
                ha_comm *local, ha_array **prev, ha_array **next);

/* Set the main diagonal of the 2-D array a (a[i, i] for i < min(n, m))
** to v, converted to a's dtype.  Any split: each rank writes the diagonal
** elements inside its chunk.  ValueError for other dimensions.  Local, no
** communication. */
int ha_fill_diagonal(ha_array *a, ha_scalar v);

#endif
