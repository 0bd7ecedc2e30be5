/*
** ha_manip.h — array manipulation: joining and splitting, reordering
** (flip roll rot90 swapaxes moveaxis), growing (pad repeat tile), diff,
** diagonals, nonzero, and the sort family (sort argsort topk searchsorted
** unique percentile median).  runtime/rowmap.c manipulate.c concat.c
** sort.c unique.c percentile.c.  Included by ha.h; do not include directly.
**
** Conventions (as in ha.h): every function is collective over the array's
** communicator; inputs are never modified; results are new references;
** NULL / -1 with the error record set on failure.  Errors about shapes,
** axes and arguments are decided from replicated metadata, so every rank
** raises the same error.  Axes may be negative (counted from the end).
**
** Distribution: an operation along an axis that is not the split axis is
** local (each rank works on its block, nothing is communicated, the result
** keeps the split and chunk map).  Along the split axis, rows move with ONE
** Alltoallv ("manip": each rank sends exactly the rows another rank needs,
** computed from the replicated chunk maps; nobody gathers the array) and
** the result is balanced.  Replicated inputs give replicated results.
*/
#ifndef HA_MANIP_H
#define HA_MANIP_H

/* ---- joining (runtime/concat.c) ----
** dtype: promote_types over the inputs.  Split: the common split; split +
** None -> split; two different splits -> the others are resplit to the
** first input's split (Heat raises here; ha prefers working).
** ValueError: fewer than one array, 0-d arrays, different ndim, sizes
** that differ outside the concatenation axis, axis out of range. */
ha_array *ha_concatenate(int n, ha_array *const *arrays, int axis);
/* Join equally shaped arrays along a NEW axis (split shifts up when the
** new axis is at or before it: stack of split-0 vectors on axis 0 ->
** split 1). */
ha_array *ha_stack(int n, ha_array *const *arrays, int axis);
ha_array *ha_hstack(int n, ha_array *const *arrays);   /* 1-D: axis 0, else axis 1 */
ha_array *ha_vstack(int n, ha_array *const *arrays);   /* 1-D inputs become rows */
ha_array *ha_column_stack(int n, ha_array *const *arrays); /* 1-D inputs become columns */

/* ---- splitting (runtime/concat.c) ----
** Cut a along axis at the nidx (non-decreasing after clipping to
** [0, len]) indices into nidx + 1 pieces, written to out.  Each piece
** keeps a's split (balanced when cut along the split axis). */
int ha_split_at(const ha_array *a, int nidx, const int64_t *idx, int axis, ha_array **out);
/* `sections` pieces; strict: ValueError "array split does not result in
** an equal division" unless the length divides (NumPy's split), else the
** first len % sections pieces get one more element (array_split). */
int ha_split_sections(const ha_array *a, int64_t sections, int axis, int strict, ha_array **out);

/* ---- reordering (runtime/manipulate.c) ---- */
/* Reverse along the listed axes (naxes < 0: all axes). */
ha_array *ha_flip(const ha_array *a, int naxes, const int *axes);
/* Roll by shifts[i] along axes[i]; naxes 0: the flattened array rolled by
** shifts[0] and given a's shape back. */
ha_array *ha_roll(const ha_array *a, int naxes, const int64_t *shifts, const int *axes);
/* Rotate by 90 degrees k times in the plane (ax0, ax1), from ax0 toward ax1. */
ha_array *ha_rot90(const ha_array *a, int k, int ax0, int ax1);
/* Local permutations of the axes (no communication; the split follows). */
ha_array *ha_swapaxes(const ha_array *a, int ax1, int ax2);
ha_array *ha_moveaxis(const ha_array *a, int n, const int *src, const int *dst);

/* ---- growing (runtime/manipulate.c) ---- */
typedef enum ha_padmode {
	HA_PAD_CONSTANT, HA_PAD_EDGE, HA_PAD_REFLECT, HA_PAD_SYMMETRIC, HA_PAD_WRAP
} ha_padmode;
/* widths[2*d], widths[2*d+1]: elements before / after along axis d.
** values[2*d], values[2*d+1]: the constants for those sides (constant
** mode; NULL = zeros).  Axes are padded in order, so a corner takes the
** later axis' constant (NumPy).  ValueError for negative widths, and for
** reflect/symmetric/wrap/edge of an empty axis. */
ha_array *ha_pad(const ha_array *a, const int64_t *widths, ha_padmode mode,
                 const ha_scalar *values);
/* Repeat elements: nrep 1 = every element repeats[0] times, else nrep
** must equal the length along axis.  axis HA_AXIS_NONE: of the flattened
** array (split 0 when a is split). */
ha_array *ha_repeat(const ha_array *a, int nrep, const int64_t *repeats, int axis);
/* NumPy's tile: reps shorter than ndim is padded with leading 1s; longer
** gives a leading size-1 axes first (the split shifts). */
ha_array *ha_tile(const ha_array *a, int nreps, const int64_t *reps);
/* n-th discrete difference along axis (bool: not_equal). */
ha_array *ha_diff(const ha_array *a, int n, int axis);

/* ---- diagonals (runtime/manipulate.c) ---- */
/* The diagonal (offset k) of the (ax1, ax2) planes, as a new LAST axis.
** A split ax1/ax2 gives a result split along that last axis, each rank
** holding the diagonal entries of its own rows: no communication, the
** result is generally unbalanced.  Otherwise the split shifts down. */
ha_array *ha_diagonal(const ha_array *a, int64_t k, int ax1, int ax2);
/* 1-D: an (n+|k|) square matrix with a on diagonal k (split 0 when a is
** split; one Alltoallv "manip" moves the rows); 2-D: ha_diagonal. */
ha_array *ha_diag(const ha_array *a, int64_t k);

/* ---- nonzero (runtime/unique.c) ----
** Writes ndim int64 1-D arrays of the indices of the non-zero elements in
** C order (a 0-d input is treated as 1-D).  A split input gives split-0
** results holding each rank's own hits (unbalanced, like Heat); a split
** axis other than 0 is first resplit to 0 so the order stays C order.
** Communication: one Allgatherv ("nonzero") of the per-rank counts. */
int ha_nonzero(const ha_array *a, ha_array **out);

/* ---- sorting (runtime/sort.c) ----
** Order: NaN sorts last (first when descending); ties keep the original
** order (stable), so values AND indices do not depend on the rank count.
** Complex input: TypeError.  Indices are int64 positions along axis.
** Along the split axis of a 1-D array: PSRS (parallel sorting by regular
** sampling): local radix sort; P regular samples per rank, Allgatherv
** ("sort"); P-1 pivots; one Allgatherv of the P x P send counts; ONE
** Alltoallv of values (+ one of the indices); a local merge (radix); a
** redistribute (one Alltoallv) to the balanced map.  Along the split axis
** of an n-D array: a resplit to the longest other axis (one Alltoallv),
** a local sort, and a resplit back.  Never gathers the array on a rank.
** The result keeps a's split and is balanced. */
ha_array *ha_sort(const ha_array *a, int axis, int descending, ha_array **indices);
ha_array *ha_argsort(const ha_array *a, int axis, int descending);
/* The k largest (smallest unless largest) along axis, sorted, as values
** and int64 indices (either out pointer may be NULL); split kept.
** ValueError when k is not in [0, length]. */
int ha_topk(const ha_array *a, int64_t k, int axis, int largest, ha_array **values,
            ha_array **indices);
/* Insertion points of v's elements into the sorted 1-D array `sorted`
** (right: after equal elements).  int64 with v's shape and split.  A split
** `sorted` costs one Allreduce ("searchsorted") of the per-element counts
** (plus an Allgatherv of v when v is split too). */
ha_array *ha_searchsorted(const ha_array *sorted, const ha_array *v, int right);

/* ---- unique (runtime/unique.c) ----
** The sorted distinct values (NaNs compare equal), 1-D; split 0 when a is
** split, else replicated.  Local unique, one Allgatherv ("unique") of
** every rank's distinct values, a merge.  inverse (may be NULL): int64
** with a's shape, split and chunk map; a[i] == result[inverse[i]]. */
ha_array *ha_unique(const ha_array *a, ha_array **inverse);
/* The distinct slices of a along axis (sub-arrays a[..., i, ...]), sorted
** lexicographically (torch.unique(dim=axis), which Heat calls).  inverse
** (if not NULL): a replicated 1-D int64 array giving, for each index along
** axis, its slice's position in the result.  The result is re-split like
** a.  Collective: ONE Allgatherv of a when it is split. */
ha_array *ha_unique_axis(const ha_array *a, int axis, ha_array **inverse);

/* ---- order statistics (runtime/percentile.c) ----
** q-th percentiles (0..100) along axis (HA_AXIS_NONE: of the flattened
** array) from a distributed sort; the nq results form a leading axis
** unless q_scalar.  dtype: promote_types(a, float32).  Split: None when
** the split axis is reduced (the few needed rows are Allgathered), else
** a's split shifted.  ValueError for q outside [0, 100]. */
typedef enum ha_interp {
	HA_INTERP_LINEAR, HA_INTERP_LOWER, HA_INTERP_HIGHER, HA_INTERP_MIDPOINT, HA_INTERP_NEAREST
} ha_interp;
ha_array *ha_percentile(const ha_array *a, int nq, const double *q, int q_scalar, int axis,
                        ha_interp interp, int keepdims);
ha_array *ha_median(const ha_array *a, int axis, int keepdims);

#endif
