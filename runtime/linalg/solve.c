/*
** solve.c — inv, det, solve, cholesky (gather the matrix on every rank,
** LAPACK there, slice the result back to the input's split: one
** Allgatherv of n^2 elements per call) and lstsq (TSQR for a tall split-0
** matrix, so the m x n data never moves; gather otherwise).
**
** Every rank factors the same replicated data, so a singular or
** indefinite matrix is seen everywhere; one 4-byte Allreduce agrees on it
** anyway before anyone raises, so no rank can be left in a collective.
** Complex matrices use the c/z routines (det complex; lstsq's residuals
** and singular values real).  Batched input (ndim > 2) goes to
** factor_batch.c.
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"
#include "lu.h"

/* Distributed real square matrices go to the distributed LU (lu.c). */
#define DIST_LU(a) (ha_is_distributed(a) && (a)->ndim == 2 && !ha_dtype_is_complex((a)->dtype))

/* The full n x n data of a (after the input checks) in a malloc'd copy. */
static void *full_copy(const ha_array *a)
{
	ha_array *f = fl_replicated(a);
	if (!f)
		return NULL;
	size_t nb = (size_t)ha_gnbytes(f);
	void *buf = malloc(nb + 1);
	if (buf)
		memcpy(buf, f->data, nb);
	else
		ha_error_set(HA_EMEMORY, "out of memory copying a %zu-byte matrix", nb);
	ha_release(f);
	return buf;
}

/* Square float input, or NULL with the error set. */
static ha_array *square_input(const ha_array *a0, const char *fn)
{
	ha_array *a = fl_input(a0, fn, FL_COMPLEX | FL_BATCH);
	if (a && fl_require_square(a)) {
		ha_release(a);
		return NULL;
	}
	return a;
}

/* LU factors (getrf) of square a's full data, in place in a malloc'd copy
** *buf with pivots *ipiv (both the caller's to free, either may be NULL).
** Returns getrf's info, or -1 when an allocation failed. */
static int lu_full(const ha_array *a, void **buf, lapack_int **ipiv)
{
	int64_t n = a->gshape[0];
	*buf = full_copy(a);
	*ipiv = malloc(sizeof(lapack_int) * (size_t)(n + 1));
	if (!*buf || !*ipiv)
		return -1;
	if (n == 0)
		return 0;
	return FL_LAPACK(a->dtype, getrf, LAPACK_ROW_MAJOR, (lapack_int)n, (lapack_int)n, *buf,
	                 (lapack_int)n, *ipiv);
}

/* Agree on a LAPACK info (> 0: the numerical failure `msg`). */
static int agree_info(int info, const ha_array *a, const char *what, const char *msg)
{
	int bad = fl_any(info != 0, a->comm, what);
	if (bad > 0)
		ha_error_set(info < 0 ? HA_ERUNTIME : HA_ELINALG, "%s", info < 0 ? "LAPACK argument error" : msg);
	return bad ? -1 : 0;
}

ha_array *ha_inv(const ha_array *a0)
{
	if (a0->ndim > 2)
		return fl_batch_inv(a0);
	if (DIST_LU(a0))
		return fl_lu_inv(a0);
	ha_array *a = square_input(a0, "inv");
	if (!a)
		return NULL;
	int64_t n = a->gshape[0];
	ha_dtype t = a->dtype;
	void *buf;
	lapack_int *ipiv;
	ha_array *r = NULL;
	int info = lu_full(a, &buf, &ipiv);
	if (!info && n > 0)
		info = FL_LAPACK(t, getri, LAPACK_ROW_MAJOR, (lapack_int)n, buf, (lapack_int)n, ipiv);
	if (!agree_info(info, a, "inv", "Singular matrix"))
		r = fl_from_full(a, t, 2, a->gshape, buf, a->split);
	free(buf);
	free(ipiv);
	ha_release(a);
	return r;
}

ha_array *ha_det(const ha_array *a0)
{
	if (a0->ndim > 2)
		return fl_batch_det(a0);
	if (DIST_LU(a0))
		return fl_lu_det(a0);
	ha_array *a = square_input(a0, "det");
	if (!a)
		return NULL;
	int64_t n = a->gshape[0];
	ha_dtype t = a->dtype;
	void *buf;
	lapack_int *ipiv;
	ha_array *r = NULL;
	int info = lu_full(a, &buf, &ipiv);
	double re = 1, im = 0;
	if (info > 0) {
		re = 0;       /* exactly singular: NumPy gives 0.0 too */
		info = 0;
	} else if (!info) {
		fl_det_product(t, n, buf, ipiv, &re, &im);
	}
	if (!agree_info(info, a, "det", "det failed")) {
		char v[16];
		ha_scalar_store(ha_dtype_is_complex(t) ? ha_scalar_complex(re, im) : ha_scalar_float(re), t, v);
		r = fl_from_full(a, t, 0, NULL, v, HA_SPLIT_NONE);
	}
	free(buf);
	free(ipiv);
	ha_release(a);
	return r;
}

ha_array *ha_solve(const ha_array *a0, const ha_array *b0)
{
	if (a0->ndim > 2 || b0->ndim > 2)
		return fl_batch_solve(a0, b0);
	if (DIST_LU(a0) && !ha_dtype_is_complex(b0->dtype))
		return fl_lu_solve(a0, b0);
	ha_array *a = square_input(a0, "solve");
	if (!a)
		return NULL;
	ha_array *b = fl_input(b0, "solve", FL_1D | FL_COMPLEX);
	if (!b) {
		ha_release(a);
		return NULL;
	}
	ha_dtype t = ha_promote_types(a->dtype, b->dtype);
	int64_t n = a->gshape[0], nrhs = b->ndim == 2 ? b->gshape[1] : 1;
	ha_array *r = NULL;
	if (b->gshape[0] != n) {
		ha_error_set(HA_EVALUE, "solve: a is %lld x %lld but b has %lld rows", (long long)n,
		             (long long)n, (long long)b->gshape[0]);
		goto out;
	}
	ha_array *ac = a->dtype == t ? ha_retain(a) : ha_astype(a, t);
	ha_array *bc = ac && b->dtype != t ? ha_astype(b, t) : (ac ? ha_retain(b) : NULL);
	void *abuf = ac && bc ? full_copy(ac) : NULL, *bbuf = abuf ? full_copy(bc) : NULL;
	lapack_int *ipiv = malloc(sizeof(lapack_int) * (size_t)(n + 1));
	int info = !abuf || !bbuf || !ipiv ? -1 : 0;
	if (!info && n > 0 && nrhs > 0)
		info = FL_LAPACK(t, gesv, LAPACK_ROW_MAJOR, (lapack_int)n, (lapack_int)nrhs, abuf,
		                 (lapack_int)n, ipiv, bbuf, (lapack_int)nrhs);
	if (ac && bc && !agree_info(info, a, "solve", "Singular matrix"))
		r = fl_from_full(b, t, b->ndim, b->gshape, bbuf, b->split);
	free(abuf);
	free(bbuf);
	free(ipiv);
	if (ac)
		ha_release(ac);
	if (bc)
		ha_release(bc);
out:
	ha_release(a);
	ha_release(b);
	return r;
}

ha_array *ha_cholesky(const ha_array *a0)
{
	if (a0->ndim > 2)
		return fl_batch_cholesky(a0);
	ha_array *a = square_input(a0, "cholesky");
	if (!a)
		return NULL;
	int64_t n = a->gshape[0];
	ha_dtype t = a->dtype;
	size_t es = ha_dtype_size(t);
	void *buf = full_copy(a);
	ha_array *r = NULL;
	int info = !buf ? -1 : 0;
	if (!info && n > 0)
		info = FL_LAPACK(t, potrf, LAPACK_ROW_MAJOR, 'L', (lapack_int)n, buf, (lapack_int)n);
	if (!agree_info(info, a, "cholesky", "Matrix is not positive definite")) {
		for (int64_t i = 0; i < n; i++)        /* potrf leaves the upper part alone */
			memset((char *)buf + (size_t)(i * n + i + 1) * es, 0, (size_t)(n - i - 1) * es);
		r = fl_from_full(a, t, 2, a->gshape, buf, a->split);
	}
	free(buf);
	ha_release(a);
	return r;
}

/* ---- lstsq ---- */

/* b aligned to the rows of a split-0 a: a new array with a's chunk map. */
static ha_array *align_rows(const ha_array *a, const ha_array *b)
{
	if (!ha_is_distributed(b)) {
		/* replicated: keep our rows */
		int64_t shape[2] = { b->gshape[0], b->ndim == 2 ? b->gshape[1] : 1 };
		ha_array *r = ha_array_alloc_lmap(b->dtype, b->ndim, b->gshape, 0, a->lmap, a->device, a->comm);
		if (r)
			memcpy(r->data, (const char *)b->data + (size_t)(a->loffset * shape[1]) * ha_dtype_size(b->dtype),
			       (size_t)ha_lnbytes(r));
		return r;
	}
	ha_array *b0 = b->split == 0 ? ha_retain((ha_array *)b) : ha_resplit(b, 0);
	if (!b0)
		return NULL;
	int same = 1;
	for (int j = 0; j < a->comm->size; j++)
		same = same && b0->lmap[j] == a->lmap[j];
	if (same)
		return b0;
	ha_array *r = ha_redistribute(b0, a->lmap);
	ha_release(b0);
	return r;
}

/* |x[i]|^2 of a float or complex buffer. */
static double abs2(ha_dtype t, const void *x, int64_t i)
{
	ha_scalar v = ha_scalar_load(t, (const char *)x + (size_t)i * ha_dtype_size(t));
	double im = v.kind == HA_SCALAR_COMPLEX ? v.im : 0;
	return v.re * v.re + im * im;
}

/* gelsd on a replicated m x n system (b is m x k, overwritten by x in its
** first n rows; ldb = k). */
static int gelsd(ha_dtype t, int64_t m, int64_t n, int64_t k, void *abuf, void *bbuf, int64_t ldbrows,
                 void *sbuf, double rcond, lapack_int *rank)
{
	(void)ldbrows;
	if (m == 0 || n == 0 || k == 0) {
		*rank = 0;
		return 0;
	}
	return FL_LAPACK(t, gelsd, LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)n, (lapack_int)k, abuf,
	                 (lapack_int)n, bbuf, (lapack_int)k, sbuf, rcond, rank);
}

int ha_lstsq(const ha_array *a0, const ha_array *b0, double rcond, ha_array **x,
             ha_array **residuals, int64_t *rank, ha_array **s)
{
	*x = *residuals = *s = NULL;
	*rank = 0;
	ha_array *a1 = fl_input(a0, "lstsq", FL_COMPLEX);
	if (!a1)
		return -1;
	ha_array *b1 = fl_input(b0, "lstsq", FL_1D | FL_COMPLEX);
	if (!b1) {
		ha_release(a1);
		return -1;
	}
	int rc = -1;
	ha_dtype t = ha_promote_types(a1->dtype, b1->dtype), rt = ha_dtype_real(t);
	size_t es = ha_dtype_size(t);
	int64_t m = a1->gshape[0], n = a1->gshape[1], k = b1->ndim == 2 ? b1->gshape[1] : 1;
	int64_t mn = m < n ? m : n, big = m > n ? m : n;
	ha_array *a = NULL, *b = NULL, *bl = NULL, *ra = NULL, *rb = NULL;
	void *rbuf = NULL, *q = NULL, *cb = NULL, *sb = NULL, *xb = NULL;
	double *res = NULL;
	lapack_int rk = 0;
	if (b1->gshape[0] != m) {
		ha_error_set(HA_EVALUE, "Incompatible dimensions: a has %lld rows, b has %lld",
		             (long long)m, (long long)b1->gshape[0]);
		goto out;
	}
	a = a1->dtype == t ? ha_retain(a1) : ha_astype(a1, t);
	b = b1->dtype == t ? ha_retain(b1) : ha_astype(b1, t);
	if (!a || !b)
		goto out;
	if (rcond < 0)
		rcond = (rt == HA_FLOAT32 ? FLT_EPSILON : DBL_EPSILON) * (double)big;
	sb = malloc((size_t)(mn + 1) * es);
	xb = malloc((size_t)(n * k + 1) * es);
	res = calloc((size_t)k + 1, sizeof(double));
	if (!sb || !xb || !res) {
		ha_error_set(HA_EMEMORY, "lstsq: out of memory");
		goto out;
	}
	int info = 0;
	if (ha_is_distributed(a) && a->split == 0 && m >= n) {
		/* TSQR: A = Q R; min ||R x - Q^H b|| has A's solution and A's
		** singular values (those of R) */
		int64_t kk;
		if (fl_tsqr(a, 1, &q, &rbuf, &kk, "lstsq"))
			goto out;
		if (!(bl = align_rows(a, b)))
			goto out;
		int64_t mi = a->lshape[0];
		cb = malloc((size_t)(n * k + 1) * es);
		void *part = malloc((size_t)(n * k + 1) * es);
		if (!cb || !part) {
			free(part);
			ha_error_set(HA_EMEMORY, "lstsq: out of memory");
			goto out;
		}
		fl_gemm(t, 1, 0, n, k, mi, 1.0, q, n, bl->data, k, 0.0, part, k);    /* Q_i^H b_i */
		if (mi == 0)
			memset(part, 0, (size_t)(n * k) * es);
		int e = ha_allreduce(part, cb, n * k, ha_mpi_type(t), MPI_SUM, a->comm, "lstsq");
		free(part);
		if (e)
			goto out;
		info = gelsd(t, n, n, k, rbuf, cb, n, sb, rcond, &rk);
		memcpy(xb, cb, (size_t)(n * k) * es);
		if (info == 0 && rk == n && m > n) {
			/* residual sums from our rows: b_i - A_i x */
			void *r = malloc((size_t)(mi * k + 1) * es);
			if (!r) {
				ha_error_set(HA_EMEMORY, "lstsq: out of memory");
				goto out;
			}
			memcpy(r, bl->data, (size_t)(mi * k) * es);
			fl_gemm(t, 0, 0, mi, k, n, -1.0, a->data, n, xb, k, 1.0, r, k);
			double *loc = calloc((size_t)k + 1, sizeof(double));
			if (!loc) {
				free(r);
				ha_error_set(HA_EMEMORY, "lstsq: out of memory");
				goto out;
			}
			for (int64_t i = 0; i < mi; i++)
				for (int64_t j = 0; j < k; j++)
					loc[j] += abs2(t, r, i * k + j);
			free(r);
			e = ha_allreduce(loc, res, k, MPI_DOUBLE, MPI_SUM, a->comm, "lstsq");
			free(loc);
			if (e)
				goto out;
		}
	} else {
		if (!(ra = fl_replicated(a)) || !(rb = fl_replicated(b)))
			goto out;
		int64_t rows = m > n ? m : n;           /* gelsd needs room for x in b */
		void *abuf = malloc((size_t)(m * n + 1) * es);
		cb = calloc((size_t)(rows * k + 1), es);
		if (!abuf || !cb) {
			free(abuf);
			ha_error_set(HA_EMEMORY, "lstsq: out of memory");
			goto out;
		}
		memcpy(abuf, ra->data, (size_t)(m * n) * es);
		memcpy(cb, rb->data, (size_t)(m * k) * es);
		info = gelsd(t, m, n, k, abuf, cb, rows, sb, rcond, &rk);
		free(abuf);
		memcpy(xb, cb, (size_t)(n * k) * es);
		if (info == 0 && rk == n && m > n)
			for (int64_t i = n; i < m; i++)     /* rows n.. of b hold the residual */
				for (int64_t j = 0; j < k; j++)
					res[j] += abs2(t, cb, i * k + j);
	}
	if (agree_info(info, a, "lstsq", "SVD did not converge in Linear Least Squares"))
		goto out;
	int64_t xshape[2] = { n, k }, sshape[1] = { mn };
	int64_t nres = rk == n && m > n ? k : 0, rshape[1] = { nres };
	*x = fl_from_full(a, t, b->ndim, xshape, xb, HA_SPLIT_NONE);
	*s = fl_from_full(a, rt, 1, sshape, sb, HA_SPLIT_NONE);
	char *rv = malloc((size_t)(k + 1) * es);
	if (rv) {
		for (int64_t j = 0; j < nres; j++)
			ha_scalar_store(ha_scalar_float(res[j]), rt, rv + (size_t)j * ha_dtype_size(rt));
		*residuals = fl_from_full(a, rt, 1, rshape, rv, HA_SPLIT_NONE);
		free(rv);
	} else
		ha_error_set(HA_EMEMORY, "lstsq: out of memory");
	*rank = rk;
	rc = *x && *s && *residuals ? 0 : -1;
	if (rc) {
		if (*x)
			ha_release(*x);
		if (*s)
			ha_release(*s);
		if (*residuals)
			ha_release(*residuals);
		*x = *s = *residuals = NULL;
	}
out:
	free(rbuf);
	free(q);
	free(cb);
	free(sb);
	free(xb);
	free(res);
	ha_array *rel[] = { a, b, bl, ra, rb, a1, b1 };
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++)
		if (rel[i])
			ha_release(rel[i]);
	return rc;
}
