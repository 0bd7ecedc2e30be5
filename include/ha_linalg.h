/*
** ha_linalg.h — linear algebra on distributed arrays (runtime/linalg/).
** Included by ha.h; do not include directly.
**
** Every function is collective over the operands' communicator.  Result
** dtypes follow promote_types of the operands (norms: the real floating
** type).  Shape errors are ValueErrors decided from replicated metadata.
*/
#ifndef HA_LINALG_H
#define HA_LINALG_H

/* ---- matmul (runtime/linalg/matmul.c) ----
** NumPy's matmul: 1-D operands are promoted to a row (left) / column
** (right) vector and the added axis removed again; more than two
** dimensions are stacks of matrices whose batch dimensions broadcast.
** ValueError for 0-d operands and core dimensions that do not match.
**
** 2-D split pairs (a.split / b.split -> result split) and communication:
**   None/None -> None   local GEMM, none
**   0/None    -> 0      local (a's rows times b), none
**   None/1    -> 1      local (a times b's columns), none
**   0/0, 0/1, None/0 -> 0   ring: b's chunks travel rank -> rank-1 in P-1
**                       non-blocking Isendrecv steps ("matmul"), each
**                       overlapped with the GEMM of the chunk in hand;
**                       every rank computes its own rows of C
**   1/1, 1/None -> 1    ring of a's column chunks; every rank computes
**                       its own columns of C
**   1/0       -> 1      b is resplit to 1 (one Alltoallv), then 1/1
** Memory per rank: the local chunks plus two chunk buffers, O(n^2 / P).
** 1-D . 1-D: aligned chunks, local dot, one Allreduce; 0-d replicated.
** Batched (> 2-D): a split on a batch axis is kept (the other operand is
** aligned to it: sliced when replicated, resplit/redistributed otherwise)
** and every rank multiplies its own stack locally; a split on a core axis
** runs the 2-D algorithm for each matrix of the stack. */
ha_array *ha_matmul(const ha_array *a, const ha_array *b);

/* ---- basics (runtime/linalg/basics.c) ---- */
/* NumPy's dot: 0-d operands multiply elementwise, 1-D . 1-D is the inner
** product (0-d replicated), otherwise matmul (2-D) or sum over the last
** axis of a and the second-to-last of b (N-D . 1-D). */
ha_array *ha_dot(const ha_array *a, const ha_array *b);
/* sum(conj(a.flat) * b.flat): 0-d replicated.  ValueError on sizes. */
ha_array *ha_vdot(const ha_array *a, const ha_array *b);
/* sum(conj(a) * b, axis) with broadcasting (elementwise distribution). */
ha_array *ha_vecdot(const ha_array *a, const ha_array *b, int axis, int keepdims);
/* Sum over the last axes: a.shape[:-1] + b.shape[:-1] (through matmul). */
ha_array *ha_inner(const ha_array *a, const ha_array *b);
/* a.flat[i] * b.flat[j] (elementwise broadcast of (n,1) and (1,m)). */
ha_array *ha_outer(const ha_array *a, const ha_array *b);
/* Cross product of 3-vectors (or 2-vectors, giving the z component) along
** `axis` of each operand; ValueError for other lengths. */
ha_array *ha_cross(const ha_array *a, const ha_array *b, int axisa, int axisb);
/* Kronecker product (elementwise broadcast product, then a reshape). */
ha_array *ha_kron(const ha_array *a, const ha_array *b);
/* Sum of the diagonal `offset` of a 2-D array: 0-d replicated; sums of
** integers in int64 (NumPy).  One Allreduce when a is split. */
ha_array *ha_trace(const ha_array *a, int64_t offset);
/* Lower / upper triangle of the last two axes (elements above diagonal k
** / below it set to 0).  Local: keeps split and chunk map. */
ha_array *ha_tril(const ha_array *a, int64_t k);
ha_array *ha_triu(const ha_array *a, int64_t k);
/* Vector norm over `naxes` axes (naxes < 0: all).  ord: HUGE_VAL (inf),
** -HUGE_VAL, 0 (count of nonzeros), 1, 2 or any p.  Real float result. */
ha_array *ha_vector_norm(const ha_array *a, double ord, int naxes, const int *axes, int keepdims);
/* Matrix norms over axes (r, c): kind 'f' Frobenius, 'n' nuclear (sum of
** singular values), 'o' an order in `ord` (1, -1, inf, -inf: max/min
** column/row sums; 2, -2: largest/smallest singular value).  The singular
** values come from LAPACK (?gesdd) on the matrix gathered to every rank
** (one Allgatherv when split): meant for small matrices; only 2-D input. */
ha_array *ha_matrix_norm(const ha_array *a, char kind, double ord, int r, int c, int keepdims);
/* dot(a, b) / dot(b, b) * b for 1-D a and b. */
ha_array *ha_projection(const ha_array *a, const ha_array *b);

#endif
