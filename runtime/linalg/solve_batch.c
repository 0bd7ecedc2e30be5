/*
** solve_batch.c — solve(a, b) when a or b has batch axes (ndim > 2).
**
** Shapes follow NumPy 1.x's gufunc rule: b is a stack of vectors when
** b.ndim == a.ndim - 1 (and, as in NumPy 2, whenever b is 1-D), else a
** stack of n x k matrices; the batch axes of a and b broadcast against
** each other (right-aligned, size 1 stretches).  The result has the
** broadcast batch shape followed by b's core shape.
**
** Distribution: the result is split along a batch axis on which one
** operand is already split (a's first, then b's), with that operand's
** chunk map, so its matrices never move; the other operand is used where
** it is (replicated, or split the same way) or gathered (Allgatherv).
** When neither is split on a batch axis but one is split on a matrix axis,
** the operands are resplit to the longest broadcast batch axis (one
** Alltoallv each), solved locally, and the result is resplit to b's split
** (the 2-D rule: the result has b's split; None when b is not split).
** One 4-byte Allreduce agrees on "Singular matrix".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"

/* One operand's batch axes as seen from the result. */
typedef struct operand {
	const ha_array *x;      /* the array whose data is read (local chunk or full) */
	ha_array *hold;         /* a reference to release (x itself or a gathered copy) */
	int nb, off;            /* batch axes; result axis of batch axis 0 */
	int aligned;            /* x is split on the result's split axis with its chunk map */
	int64_t stride[HA_MAXDIM];   /* in matrices, over x's local (aligned) or global batch shape */
	int64_t msize;          /* elements per matrix */
} operand;

static void shape_str(const int64_t *s, int n, char *buf, size_t cap)
{
	size_t o = (size_t)snprintf(buf, cap, "(");
	for (int d = 0; d < n && o < cap; d++)
		o += (size_t)snprintf(buf + o, cap - o, d ? ", %lld" : "%lld", (long long)s[d]);
	if (o < cap)
		snprintf(buf + o, cap - o, n == 1 ? ",)" : ")");
}

/* x's batch axis d has the result's extent there (not a broadcast 1). */
static int full_axis(const ha_array *x, int d, int off, const int64_t *bc)
{
	return d >= 0 && x->gshape[d] == bc[d + off];
}

static int same_map(const int64_t *p, const int64_t *q, int n)
{
	for (int i = 0; i < n; i++)
		if (p[i] != q[i])
			return 0;
	return 1;
}

/* Prepare an operand for a result split on rs (-1: replicated) with chunk
** map lmap: aligned when its own split already matches, else the full
** data on every rank (Allgatherv when it is distributed). */
static int operand_prepare(operand *o, ha_array *x, int nb, int off, int rs, const int64_t *lmap,
                           const int64_t *bc)
{
	o->nb = nb;
	o->off = off;
	o->aligned = rs >= 0 && x->split >= 0 && x->split < nb && x->split + off == rs
	             && full_axis(x, x->split, off, bc) && same_map(x->lmap, lmap, x->comm->size);
	o->hold = o->aligned ? ha_retain(x) : fl_replicated(x);
	if (!o->hold)
		return -1;
	o->x = o->hold;
	o->msize = 1;
	for (int d = nb; d < x->ndim; d++)
		o->msize *= x->gshape[d];
	int64_t st = 1;
	for (int d = nb - 1; d >= 0; d--) {
		o->stride[d] = st;
		st *= o->aligned ? o->x->lshape[d] : o->x->gshape[d];
	}
	return 0;
}

/* The matrix of o for the result batch index g (global) / l (local). */
static const void *operand_at(const operand *o, const int64_t *g, const int64_t *l, size_t es)
{
	int64_t idx = 0;
	for (int d = 0; d < o->nb; d++) {
		if (o->x->gshape[d] == 1)
			continue;            /* broadcast */
		idx += (o->aligned && d == o->x->split ? l[d + o->off] : g[d + o->off]) * o->stride[d];
	}
	return (const char *)o->x->data + (size_t)(idx * o->msize) * es;
}

/* Solve every matrix of the result on this rank: result split rs (-1 or a
** batch axis of the result) with chunk map lmap. */
static ha_array *solve_local(ha_array *a, ha_array *b, int nba, int nbb, int nbc, const int64_t *bc,
                             int vec, int rs, const int64_t *lmap)
{
	ha_dtype t = a->dtype;
	size_t es = ha_dtype_size(t);
	int64_t n = a->gshape[nba], k = vec ? 1 : b->gshape[b->ndim - 1];
	int64_t shape[HA_MAXDIM];
	memcpy(shape, bc, sizeof(int64_t) * (size_t)nbc);
	shape[nbc] = n;
	if (!vec)
		shape[nbc + 1] = k;
	ha_array *r = ha_array_alloc_lmap(t, nbc + (vec ? 1 : 2), shape, rs, rs >= 0 ? lmap : NULL,
	                                  a->device, a->comm);
	if (!r)
		return NULL;
	operand oa, ob;
	memset(&oa, 0, sizeof oa);
	memset(&ob, 0, sizeof ob);
	int code = 0;
	if (operand_prepare(&oa, a, nba, nbc - nba, rs, lmap, bc)
	    || operand_prepare(&ob, b, nbb, nbc - nbb, rs, lmap, bc))
		code = 2;
	int64_t lext[HA_MAXDIM], loff = 0, nloc = 1;
	for (int d = 0; d < nbc; d++)
		lext[d] = d == rs ? r->lshape[d] : bc[d];
	if (rs >= 0)
		loff = r->loffset;
	for (int d = 0; d < nbc; d++)
		nloc *= lext[d];
	int64_t l[HA_MAXDIM], g[HA_MAXDIM];
	for (int64_t i = 0; i < nloc && code == 0; i++) {
		int64_t rem = i;
		for (int d = nbc - 1; d >= 0; d--) {
			l[d] = rem % lext[d];
			rem /= lext[d];
			g[d] = l[d] + (d == rs ? loff : 0);
		}
		int info = fl_k_solve(t, n, k, operand_at(&oa, g, l, es), operand_at(&ob, g, l, es),
		                      (char *)r->data + (size_t)(i * n * k) * es);
		code = info < 0 ? 2 : info > 0 ? 1 : 0;
	}
	if (oa.hold)
		ha_release(oa.hold);
	if (ob.hold)
		ha_release(ob.hold);
	int agreed = code;
	if (a->comm->size > 1 && ha_allreduce(&code, &agreed, 1, MPI_INT, MPI_MAX, a->comm, "solve"))
		agreed = -1;
	if (agreed) {
		if (agreed == 1)
			ha_error_set(HA_ELINALG, "Singular matrix");
		else if (agreed == 2)
			ha_error_set(HA_EMEMORY, "solve: out of memory or LAPACK failure");
		ha_release(r);
		return NULL;
	}
	return r;
}

ha_array *fl_batch_solve(const ha_array *a0, const ha_array *b0)
{
	ha_array *a1 = fl_input(a0, "solve", FL_COMPLEX | FL_BATCH), *b1 = NULL, *a = NULL, *b = NULL;
	ha_array *r = NULL;
	if (!a1 || fl_require_square(a1))
		goto out;
	if (!(b1 = fl_input(b0, "solve", FL_1D | FL_COMPLEX | FL_BATCH)))
		goto out;
	ha_dtype t = ha_promote_types(a1->dtype, b1->dtype);
	a = a1->dtype == t ? ha_retain(a1) : ha_astype(a1, t);
	b = b1->dtype == t ? ha_retain(b1) : ha_astype(b1, t);
	if (!a || !b)
		goto out;
	int nba = a->ndim - 2, vec = b->ndim == 1 || b->ndim == a->ndim - 1;
	int nbb = b->ndim - (vec ? 1 : 2), nbc = nba > nbb ? nba : nbb;
	int64_t n = a->gshape[nba], bc[HA_MAXDIM];
	if (b->gshape[nbb] != n) {
		ha_error_set(HA_EVALUE, "solve: a is %lld x %lld but b has %lld rows", (long long)n,
		             (long long)n, (long long)b->gshape[nbb]);
		goto out;
	}
	for (int d = 0; d < nbc; d++) {
		int da = d - (nbc - nba), db = d - (nbc - nbb);
		int64_t ea = da >= 0 ? a->gshape[da] : 1, eb = db >= 0 ? b->gshape[db] : 1;
		if (ea != eb && ea != 1 && eb != 1) {
			char sa[160], sb[160];
			shape_str(a->gshape, nba, sa, sizeof sa);
			shape_str(b->gshape, nbb, sb, sizeof sb);
			ha_error_set(HA_EVALUE, "solve: batch shapes %s of a and %s of b do not broadcast", sa, sb);
			goto out;
		}
		bc[d] = ea == 1 ? eb : ea;
	}
	int offa = nbc - nba, offb = nbc - nbb;
	/* a batch axis on which an operand is already split keeps its matrices in place */
	if (a->split >= 0 && a->split < nba && full_axis(a, a->split, offa, bc)) {
		r = solve_local(a, b, nba, nbb, nbc, bc, vec, a->split + offa, a->lmap);
		goto out;
	}
	if (b->split >= 0 && b->split < nbb && full_axis(b, b->split, offb, bc)) {
		r = solve_local(a, b, nba, nbb, nbc, bc, vec, b->split + offb, b->lmap);
		goto out;
	}
	int target = b->split >= nbb ? nbc + (b->split - nbb) : HA_SPLIT_NONE;
	if (a->split < 0 && b->split < 0) {
		r = solve_local(a, b, nba, nbb, nbc, bc, vec, HA_SPLIT_NONE, NULL);
		goto out;
	}
	/* split on matrix axes only: move both to the longest batch axis */
	int axis = 0;
	for (int d = 1; d < nbc; d++)
		if (bc[d] > bc[axis])
			axis = d;
	ha_array *x[2] = { a, b };
	int off[2] = { offa, offb };
	for (int i = 0; i < 2; i++) {
		int d = axis - off[i];
		if (x[i]->split >= 0 && d >= 0 && full_axis(x[i], d, off[i], bc)) {
			ha_array *y = ha_resplit(x[i], d);
			if (!y)
				goto out;
			ha_release(x[i]);
			x[i] = y;
		}
	}
	a = x[0];
	b = x[1];
	int64_t *lmap = malloc(sizeof(int64_t) * (size_t)a->comm->size);
	if (!lmap) {
		ha_error_set(HA_EMEMORY, "solve: out of memory");
		goto out;
	}
	ha_chunk_map(bc[axis], a->comm->size, lmap);
	r = solve_local(a, b, nba, nbb, nbc, bc, vec, axis, lmap);
	free(lmap);
	if (r && r->split != target) {
		ha_array *r2 = ha_resplit(r, target);
		ha_release(r);
		r = r2;
	}
out:
	if (a1)
		ha_release(a1);
	if (b1)
		ha_release(b1);
	if (a)
		ha_release(a);
	if (b)
		ha_release(b);
	return r;
}
