/*
** manip_internal.h — what the manipulation files share (rowmap.c,
** manipulate.c, concat.c, sort.c, unique.c, percentile.c); not public API.
*/
#ifndef HA_MANIP_INTERNAL_H
#define HA_MANIP_INTERNAL_H

#include "ha.h"

/* A row map along one axis: output row g (global index along the axis)
** is row *r of input *q, or, when *r < 0, filled with fill value -1 - *r.
** Must be a pure function of g (every rank evaluates it). */
typedef void (*ha__rowfn)(const void *ctx, int64_t g, int *q, int64_t *r);

/* The array whose rows along `axis` are given by fn for g in [0, nout).
** The nin inputs share dtype and ndim and the extents of every axis but
** `axis`; each is split along one common axis k or replicated.  Result:
** dtype and extents of in[0] with nout rows along axis, split k (or None).
**   k != axis: local on each block (the inputs are first brought to one
**              chunk map when theirs differ); the result keeps that map.
**   k == axis: the result is balanced; rows that change rank move in ONE
**              Alltoallv charged to `what`; both sides work out from the
**              replicated chunk maps which rows travel, so no index is sent.
** fills: nfill elements of the dtype (may be NULL when fn never fills). */
ha_array *ha__rowmap(int nin, ha_array *const *in, int axis, int64_t nout, ha__rowfn fn,
                     const void *ctx, const void *fills, const char *what);

/* Normalise an axis against ndim (negative from the end); ValueError
** "axis 3 is out of bounds for array of dimension 2". */
int ha__norm_axis(int axis, int ndim, int *out);

/* Order-preserving unsigned keys of real values: key order = value order,
** NaN largest.  Complex input is not supported (TypeError from callers). */
void ha__to_keys(ha_dtype t, const void *src, int64_t n, int64_t stride, uint64_t *keys);
void ha__from_keys(ha_dtype t, const uint64_t *keys, int64_t n, void *dst, int64_t stride);

/* Stable LSD radix sort of keys[n] (and idx[n] along, when idx is not
** NULL) using tk/ti as scratch of the same sizes; short inputs use an
** insertion sort.  Local. */
void ha__sort_keys(int64_t n, uint64_t *keys, int64_t *idx, uint64_t *tk, int64_t *ti);

/* Sort along `axis` where the whole axis is in each block (a replicated
** or split elsewhere): values into v (may be NULL), int64 positions into
** ix (may be NULL); both allocated like a.  Local. */
int ha__sort_local(const ha_array *a, int axis, int descending, ha_array **v, ha_array **ix);

#endif
