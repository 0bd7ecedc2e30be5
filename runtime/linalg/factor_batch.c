/*
** factor_batch.c — qr, svd, inv, det, cholesky and eigh of a batch of
** matrices (ndim > 2: the last two axes are the matrix, the leading ones
** the batch, as in NumPy).  solve_batch.c does solve.
**
** Split None or on a batch axis: every rank loops over the matrices it
** holds (batch_local) with the per-matrix kernels of batch_kernels.c; the
** results keep the input's split and chunk map, and the only message is
** one 4-byte Allreduce that agrees on failures ("Singular matrix" ...).
**
** Split on one of the two matrix axes: the matrices have to be factored
** by several ranks together or moved.  When the longest batch axis has at
** least P entries the array is resplit to that axis (ONE Alltoallv), the
** batch is factored locally as above, and every result is resplit to the
** split the 2-D function gives (one Alltoallv each, an Allgatherv for a
** replicated result): two all-to-all exchanges in total instead of one
** distributed factorization per matrix.  With fewer matrices than ranks
** that would leave ranks idle, so the 2-D algorithm (TSQR, gather + LAPACK)
** runs once per matrix instead and its results are stacked.  Either way
** the results have the 2-D function's splits shifted past the batch axes.
*/
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"

#define NOUT 3

/* Geometry of one result per matrix: tnd trailing axes of shape tail,
** real = 1 for real results of complex input (S, w); tnd < 0: absent. */
typedef struct bgeom {
	int tnd;
	int64_t tail[2];
	int real;
} bgeom;

/* One matrix: a (m x n) in, o[j] out (NULL for absent results). */
typedef int (*bkernel)(ha_dtype t, int64_t m, int64_t n, const void *a, void **o, const void *ctx);
/* The 2-D function on one matrix: o[j] new references (NULL allowed). */
typedef int (*bfunc2d)(const ha_array *a, ha_array **o, const void *ctx);

typedef struct bspec {
	const char *what;          /* function name, comm counter */
	const char *msg;           /* message of a numerical failure (info > 0) */
	int nout;
	bgeom g[NOUT];
	int target[NOUT];          /* result split when a is split on a matrix axis */
	bkernel kern;
	bfunc2d f2d;
	const void *ctx;
} bspec;

/* Agree on a failure code (0 ok, 1 numerical, 2 memory/LAPACK): the
** largest wins.  One 4-byte Allreduce when there is more than one rank. */
static int agree_code(int code, ha_comm *c, const char *what)
{
	if (c->size == 1)
		return code;
	int out = 0;
	if (ha_allreduce(&code, &out, 1, MPI_INT, MPI_MAX, c, what))
		return -1;
	return out;
}

static int raise_code(int code, const bspec *sp)
{
	if (code == 1)
		return ha_error_set(HA_ELINALG, "%s", sp->msg);
	if (code == 2)
		return ha_error_set(HA_EMEMORY, "%s: out of memory or LAPACK failure", sp->what);
	return -1;    /* the Allreduce failed and set the error */
}

static void release_all(int n, ha_array **r)
{
	for (int j = 0; j < n; j++) {
		if (r[j])
			ha_release(r[j]);
		r[j] = NULL;
	}
}

/* a split None or on a batch axis: results with a's batch axes, split and
** chunk map; every rank factors its own matrices. */
static int batch_local(const ha_array *a, const bspec *sp, ha_array **res)
{
	int nb = a->ndim - 2;
	ha_dtype t = a->dtype;
	size_t es = ha_dtype_size(t), oes[NOUT];
	int64_t m = a->gshape[nb], n = a->gshape[nb + 1], nloc = 1, per[NOUT];
	for (int d = 0; d < nb; d++)
		nloc *= a->lshape[d];
	int code = 0;
	for (int j = 0; j < sp->nout; j++) {
		res[j] = NULL;
		if (sp->g[j].tnd < 0)
			continue;
		int64_t shape[HA_MAXDIM];
		memcpy(shape, a->gshape, sizeof(int64_t) * (size_t)nb);
		per[j] = 1;
		for (int d = 0; d < sp->g[j].tnd; d++) {
			shape[nb + d] = sp->g[j].tail[d];
			per[j] *= sp->g[j].tail[d];
		}
		ha_dtype ot = sp->g[j].real ? ha_dtype_real(t) : t;
		oes[j] = ha_dtype_size(ot);
		res[j] = ha_array_alloc_lmap(ot, nb + sp->g[j].tnd, shape, a->split,
		                             a->split >= 0 ? a->lmap : NULL, a->device, a->comm);
		if (!res[j]) {
			release_all(sp->nout, res);
			return -1;
		}
	}
	for (int64_t i = 0; i < nloc && code < 2; i++) {
		void *o[NOUT] = { NULL, NULL, NULL };
		for (int j = 0; j < sp->nout; j++)
			if (res[j])
				o[j] = (char *)res[j]->data + (size_t)(i * per[j]) * oes[j];
		int info = sp->kern(t, m, n, (const char *)a->data + (size_t)(i * m * n) * es, o, sp->ctx);
		if (info < 0)
			code = 2;
		else if (info > 0)
			code = 1;
	}
	if ((code = agree_code(code, a->comm, sp->what)) != 0) {
		release_all(sp->nout, res);
		return raise_code(code, sp);
	}
	return 0;
}

/* Fewer matrices than ranks, split on a matrix axis: the 2-D function once
** per matrix; the per-matrix results (same split and chunk map for every
** matrix) are stacked behind the batch axes. */
static int batch_loop(const ha_array *a, const bspec *sp, ha_array **res)
{
	int nb = a->ndim - 2;
	ha_dtype t = a->dtype;
	size_t es = ha_dtype_size(t);
	int64_t nmat = 1, shape2[2] = { a->gshape[nb], a->gshape[nb + 1] };
	int64_t lsize = a->lshape[nb] * a->lshape[nb + 1];
	for (int d = 0; d < nb; d++)
		nmat *= a->gshape[d];
	for (int j = 0; j < sp->nout; j++)
		res[j] = NULL;
	for (int64_t b = 0; b < nmat; b++) {
		ha_array *v = ha_array_alloc_lmap(t, 2, shape2, a->split - nb, a->lmap, a->device, a->comm);
		if (!v)
			goto fail;
		memcpy(v->data, (const char *)a->data + (size_t)(b * lsize) * es, (size_t)lsize * es);
		ha_array *o[NOUT] = { NULL, NULL, NULL };
		int rc = sp->f2d(v, o, sp->ctx);
		ha_release(v);
		if (rc)
			goto fail;
		for (int j = 0; j < sp->nout; j++) {
			if (!o[j])
				continue;
			if (!res[j]) {
				int64_t shape[HA_MAXDIM];
				memcpy(shape, a->gshape, sizeof(int64_t) * (size_t)nb);
				memcpy(shape + nb, o[j]->gshape, sizeof(int64_t) * (size_t)o[j]->ndim);
				res[j] = ha_array_alloc_lmap(o[j]->dtype, nb + o[j]->ndim, shape,
				                             o[j]->split >= 0 ? nb + o[j]->split : HA_SPLIT_NONE,
				                             o[j]->lmap, a->device, a->comm);
			}
			if (res[j]) {
				int64_t nbytes = ha_lnbytes(o[j]);
				memcpy((char *)res[j]->data + (size_t)(b * nbytes), o[j]->data, (size_t)nbytes);
			}
		}
		int ok = 1;
		for (int j = 0; j < sp->nout; j++) {
			ok = ok && (!o[j] || res[j]);
			if (o[j])
				ha_release(o[j]);
		}
		if (!ok)
			goto fail;
	}
	return 0;
fail:
	release_all(sp->nout, res);
	return -1;
}

/* Split on a matrix axis with at least P matrices along the longest batch
** axis: resplit there, factor locally, resplit the results to target. */
static int batch_moved(const ha_array *a, int axis, const bspec *sp, ha_array **res)
{
	ha_array *w = ha_resplit(a, axis);
	if (!w)
		return -1;
	int rc = batch_local(w, sp, res);
	ha_release(w);
	for (int j = 0; rc == 0 && j < sp->nout; j++) {
		if (!res[j] || res[j]->split == sp->target[j])
			continue;
		ha_array *r = ha_resplit(res[j], sp->target[j]);
		ha_release(res[j]);
		res[j] = r;
		rc = r ? 0 : -1;
	}
	if (rc)
		release_all(sp->nout, res);
	return rc;
}

/* Checks done and a converted: pick the strategy. */
static int batch_run(const ha_array *a, const bspec *sp, ha_array **res)
{
	int nb = a->ndim - 2;
	if (a->split < nb)
		return batch_local(a, sp, res);
	int axis = 0;
	int64_t nmat = 1;
	for (int d = 0; d < nb; d++) {
		nmat *= a->gshape[d];
		if (a->gshape[d] > a->gshape[axis])
			axis = d;
	}
	if (nmat == 0 || a->gshape[axis] >= a->comm->size)
		return batch_moved(a, axis, sp, res);
	return batch_loop(a, sp, res);
}

/* fl_input for the batched functions (complex and ndim > 2 allowed),
** optionally requiring square matrices. */
static ha_array *batch_input(const ha_array *a0, const char *fn, int square)
{
	ha_array *a = fl_input(a0, fn, FL_COMPLEX | FL_BATCH);
	if (a && square && fl_require_square(a)) {
		ha_release(a);
		return NULL;
	}
	return a;
}

/* ---- qr ---- */

static int k_qr(ha_dtype t, int64_t m, int64_t n, const void *a, void **o, const void *ctx)
{
	(void)ctx;
	return fl_k_qr(t, m, n, a, o[0], o[1]);
}

static int f_qr(const ha_array *a, ha_array **o, const void *ctx)
{
	return ha_qr(a, *(const int *)ctx, &o[0], &o[1]);
}

int fl_batch_qr(const ha_array *a0, int want_q, ha_array **q, ha_array **r)
{
	ha_array *a = batch_input(a0, "qr", 0);
	if (!a)
		return -1;
	int nb = a->ndim - 2, row = a->split == nb;
	int64_t m = a->gshape[nb], n = a->gshape[nb + 1], k = m < n ? m : n;
	bspec sp = { "qr", "QR failed", 2,
	             { { want_q ? 2 : -1, { m, k }, 0 }, { 2, { k, n }, 0 } },
	             { row ? nb : nb + 1, row ? HA_SPLIT_NONE : nb + 1 }, k_qr, f_qr, &want_q };
	ha_array *res[NOUT] = { NULL, NULL, NULL };
	int rc = batch_run(a, &sp, res);
	ha_release(a);
	if (rc)
		return -1;
	if (q)
		*q = res[0];
	*r = res[1];
	return 0;
}

/* ---- svd ---- */

static int k_svd(ha_dtype t, int64_t m, int64_t n, const void *a, void **o, const void *ctx)
{
	(void)ctx;
	return fl_k_svd(t, m, n, a, o[0], o[1], o[2]);
}

static int f_svd(const ha_array *a, ha_array **o, const void *ctx)
{
	if (*(const int *)ctx)
		return ha_svd(a, 1, &o[0], &o[1], &o[2]);
	return ha_svd(a, 0, NULL, &o[1], NULL);
}

int fl_batch_svd(const ha_array *a0, int compute_uv, ha_array **u, ha_array **s, ha_array **vt)
{
	ha_array *a = batch_input(a0, "svd", 0);
	if (!a)
		return -1;
	int nb = a->ndim - 2, uv = compute_uv ? 2 : -1;
	int64_t m = a->gshape[nb], n = a->gshape[nb + 1], k = m < n ? m : n;
	int tall = m >= n;
	bspec sp = { "svd", "SVD did not converge", 3,
	             { { uv, { m, k }, 0 }, { 1, { k, 0 }, 1 }, { uv, { k, n }, 0 } },
	             { tall ? nb : HA_SPLIT_NONE, HA_SPLIT_NONE, tall ? HA_SPLIT_NONE : nb + 1 },
	             k_svd, f_svd, &compute_uv };
	ha_array *res[NOUT] = { NULL, NULL, NULL };
	int rc = batch_run(a, &sp, res);
	ha_release(a);
	if (rc)
		return -1;
	if (u)
		*u = res[0];
	*s = res[1];
	if (vt)
		*vt = res[2];
	return 0;
}

/* ---- inv, det, cholesky: one square result per matrix ---- */

static int k_inv(ha_dtype t, int64_t m, int64_t n, const void *a, void **o, const void *ctx)
{
	(void)ctx;
	(void)m;
	return fl_k_inv(t, n, a, o[0]);
}

static int k_det(ha_dtype t, int64_t m, int64_t n, const void *a, void **o, const void *ctx)
{
	(void)ctx;
	(void)m;
	return fl_k_det(t, n, a, o[0]);
}

static int k_chol(ha_dtype t, int64_t m, int64_t n, const void *a, void **o, const void *ctx)
{
	(void)ctx;
	(void)m;
	return fl_k_cholesky(t, n, a, o[0]);
}

static int f_one(const ha_array *a, ha_array **o, const void *ctx)
{
	ha_array *(*fn)(const ha_array *) = *(ha_array *(*const *)(const ha_array *))ctx;
	o[0] = fn(a);
	return o[0] ? 0 : -1;
}

static ha_array *batch_one(const ha_array *a0, const char *what, const char *msg, int tnd,
                           bkernel kern, ha_array *(*fn)(const ha_array *))
{
	ha_array *a = batch_input(a0, what, 1);
	if (!a)
		return NULL;
	int nb = a->ndim - 2;
	int64_t n = a->gshape[nb];
	bspec sp = { what, msg, 1, { { tnd, { n, n }, 0 } },
	             { tnd ? a->split : HA_SPLIT_NONE }, kern, f_one, &fn };
	ha_array *res[NOUT] = { NULL, NULL, NULL };
	int rc = batch_run(a, &sp, res);
	ha_release(a);
	return rc ? NULL : res[0];
}

ha_array *fl_batch_inv(const ha_array *a)
{
	return batch_one(a, "inv", "Singular matrix", 2, k_inv, ha_inv);
}

ha_array *fl_batch_det(const ha_array *a)
{
	return batch_one(a, "det", "det failed", 0, k_det, ha_det);
}

ha_array *fl_batch_cholesky(const ha_array *a)
{
	return batch_one(a, "cholesky", "Matrix is not positive definite", 2, k_chol, ha_cholesky);
}

/* ---- eigh ---- */

static int k_eigh(ha_dtype t, int64_t m, int64_t n, const void *a, void **o, const void *ctx)
{
	(void)ctx;
	(void)m;
	return fl_k_eigh(t, n, a, o[0], o[1]);
}

static int f_eigh(const ha_array *a, ha_array **o, const void *ctx)
{
	return ha_eigh(a, &o[0], *(const int *)ctx ? &o[1] : NULL);
}

int fl_batch_eigh(const ha_array *a0, ha_array **w, ha_array **v)
{
	ha_array *a = batch_input(a0, "eigh", 1);
	if (!a)
		return -1;
	int nb = a->ndim - 2, want_v = v != NULL;
	int64_t n = a->gshape[nb];
	bspec sp = { "eigh", "Eigenvalues did not converge", 2,
	             { { 1, { n, 0 }, 1 }, { want_v ? 2 : -1, { n, n }, 0 } },
	             { HA_SPLIT_NONE, a->split }, k_eigh, f_eigh, &want_v };
	ha_array *res[NOUT] = { NULL, NULL, NULL };
	int rc = batch_run(a, &sp, res);
	ha_release(a);
	if (rc)
		return -1;
	*w = res[0];
	if (v)
		*v = res[1];
	return 0;
}
