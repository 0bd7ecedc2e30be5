/*
** ha_index.h — distributed getitem / setitem (runtime/index.c).  Included
** by ha.h; do not include directly.
**
** A key is a list of items, as in NumPy: integers, slices (any step,
** including negative ones), newaxis (None), one Ellipsis, and advanced
** items: boolean masks (covering as many axes as they have dimensions, and
** counting as their nonzero() index arrays) and integer arrays of any
** dimensions, each with any split.  With an advanced item, integers are
** advanced too (NumPy).  All advanced index arrays broadcast together
** (IndexError "shape mismatch: indexing arrays could not be broadcast
** together with shapes (2,) (3,)"); when the advanced items are adjacent
** the broadcast axes replace them in place, when a slice, None or
** Ellipsis separates them the broadcast axes go first.
**
** Distribution of the result (Heat v2 / NumPy-compliant rules):
**   - an integer along the split axis: the owner cuts the slab and
**     broadcasts it (one Bcast "getitem"); the result is replicated;
**   - a slice along the split axis, positive step: each rank keeps its part
**     of the selection, no communication; the result keeps the split and is
**     not rebalanced;
**   - a negative step along the split axis: the result is the global
**     reversal, balanced, made with ONE Alltoallv ("getitem");
**   - a mask: the result axis (the selected elements, in C order) is split
**     when the array or the mask is split along a masked axis, each rank
**     keeping its own selected elements (unbalanced).  No data moves when
**     the mask shares the array's first masked split; a mask with another
**     distribution is aligned first (the mask moves, not the array);
**   - an integer list: the result keeps the key's order.  Along the split
**     axis the requested rows are fetched from their owners with one
**     Alltoallv of requests (skipped when the key is replicated, since then
**     every rank knows every request) and one of data; the result is split
**     like the key (balanced over the key when the key is replicated).
**     Along any other axis the selection is local.
**   - several advanced items (or one integer array that is not 1-D): the
**     index arrays are made replicated (a distributed one, or a mask, is
**     gathered once; the indexed array never is).  When the split axis is
**     indexed by an advanced item, the result is split along the first
**     broadcast axis, balanced, and each rank fetches the rows of its part
**     from their owners in one request/response exchange (Alltoall of
**     counts, Alltoallv of positions, Alltoallv of rows).  When the split
**     axis is kept (sliced or whole), the result keeps it split at its new
**     place and the selection is local (a negative step adds the global
**     reversal).  A replicated array gives a replicated result, split along
**     the first broadcast axis when an index array or mask is distributed.
** Errors are decided from replicated metadata (or agreed by one Allreduce
** when a distributed key holds an out-of-range index) and are identical on
** every rank; on error nothing is modified:
**   IndexError "index 10 is out of bounds for axis 0 with size 10"
**   IndexError "boolean index did not match indexed array along dimension
**              0; dimension is 5 but corresponding boolean dimension is 3"
**   ValueError "could not broadcast input array from shape (3,) into shape (4,)"
*/
#ifndef HA_INDEX_H
#define HA_INDEX_H

typedef enum ha_ixkind {
	HA_IX_INT,        /* i (negative counts from the end) */
	HA_IX_SLICE,      /* start:stop:step, each part optional */
	HA_IX_NEWAXIS,    /* None */
	HA_IX_ELLIPSIS,   /* ... */
	HA_IX_ARRAY       /* bool mask or integer index list (borrowed) */
} ha_ixkind;

typedef struct ha_index {
	ha_ixkind kind;
	int64_t i;                                  /* HA_IX_INT */
	int64_t start, stop, step;                  /* HA_IX_SLICE */
	unsigned char has_start, has_stop, has_step;/* 0: that part is None */
	const ha_array *arr;                        /* HA_IX_ARRAY */
} ha_index;

/* a[key]: a new array (never a view).  Collective. */
ha_array *ha_getitem(const ha_array *a, int n, const ha_index *key);
/* a[key] = value: value is converted to a's dtype and broadcast to the
** selection's shape; it may have any split (it is aligned to the target's
** selection with Alltoallv; a replicated value needs no communication).
** Duplicate integer indices: the last one in key order (C order of the
** broadcast index arrays) wins, at every rank count.  Collective. */
int ha_setitem(ha_array *a, int n, const ha_index *key, const ha_array *value);
/* a[key] = scalar: no communication for basic keys, masks, replicated
** index lists and several advanced items (a distributed index list alone
** sends its indices to their owners: one Alltoallv). */
int ha_setitem_scalar(ha_array *a, int n, const ha_index *key, ha_scalar value);
#endif
