/*
** basics.c — the small linear-algebra functions around matmul: dot, vdot,
** vecdot, inner, outer, cross, kron, trace, tril/triu, vector and matrix
** norms, projection.
**
** Most are compositions of collective building blocks whose distribution
** rules are already documented (elementwise broadcasting, reductions,
** reshape, matmul), so they inherit those rules instead of adding new
** communication patterns.  The few local loops (cross, trace, tril/triu)
** work on each rank's own chunk with global indices.
*/
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#include "ha.h"

static ha_array *fail_null(ha_errkind k, const char *msg, const char *fn)
{
	ha_error_set(k, "%s: %s", fn, msg);
	return NULL;
}

/* Drop the listed references (NULLs allowed) and return r. */
static ha_array *drop(ha_array *r, ha_array *x, ha_array *y, ha_array *z)
{
	ha_release(x);
	ha_release(y);
	ha_release(z);
	return r;
}

static ha_array *conj_of(const ha_array *a)
{
	if (ha_dtype_is_complex(a->dtype))
		return ha_unary(HA_CONJ, a);
	return ha_retain((ha_array *)a);
}

ha_array *ha_dot(const ha_array *a, const ha_array *b)
{
	if (a->ndim == 0 || b->ndim == 0)
		return ha_binary(HA_MUL, a, b);
	if (b->ndim <= 2 || a->ndim == 1)
		return ha_matmul(a, b);    /* the same as NumPy's dot for these */
	/* N-D . M-D (M > 2): sum over a's last and b's second-to-last axis */
	int64_t k = a->gshape[a->ndim - 1];
	if (k != b->gshape[b->ndim - 2])
		return ha_error_set(HA_EVALUE, "shapes not aligned: %lld (dim %d) != %lld (dim %d)",
		                    (long long)k, a->ndim - 1, (long long)b->gshape[b->ndim - 2], b->ndim - 2), NULL;
	int perm[HA_MAXDIM], np = 0;
	perm[np++] = b->ndim - 2;
	for (int d = 0; d < b->ndim; d++)
		if (d != b->ndim - 2)
			perm[np++] = d;
	int64_t s2[2] = { -1, k }, t2[2] = { k, -1 }, oshape[HA_MAXDIM];
	int nd = 0;
	for (int d = 0; d < a->ndim - 1; d++)
		oshape[nd++] = a->gshape[d];
	for (int d = 0; d < b->ndim; d++)
		if (d != b->ndim - 2)
			oshape[nd++] = b->gshape[d];
	if (ha_gnumel(a) == 0 || ha_gnumel(b) == 0)
		return ha_zeros(ha_promote_types(a->dtype, b->dtype), nd, oshape, HA_SPLIT_NONE, a->device, a->comm);
	ha_array *a2 = ha_reshape(a, 2, s2, HA_SPLIT_DEFAULT);
	ha_array *bt = a2 ? ha_transpose(b, perm) : NULL;
	ha_array *b2 = bt ? ha_reshape(bt, 2, t2, HA_SPLIT_DEFAULT) : NULL;
	ha_array *p = b2 ? ha_matmul(a2, b2) : NULL;
	ha_array *r = p ? ha_reshape(p, nd, oshape, HA_SPLIT_DEFAULT) : NULL;
	drop(NULL, a2, bt, b2);
	return drop(r, p, NULL, NULL);
}

ha_array *ha_vdot(const ha_array *a, const ha_array *b)
{
	if (ha_gnumel(a) != ha_gnumel(b))
		return ha_error_set(HA_EVALUE, "vdot: cannot reshape array of size %lld into shape (%lld,)",
		                    (long long)ha_gnumel(b), (long long)ha_gnumel(a)), NULL;
	ha_array *ca = conj_of(a);
	ha_array *fa = ca ? ha_flatten(ca) : NULL;
	ha_array *fb = fa ? ha_flatten(b) : NULL;
	ha_array *r = fb ? ha_matmul(fa, fb) : NULL;
	drop(NULL, ca, fa, fb);
	return r;
}

/* Sums of integers come back as int64; vecdot keeps the operands' type. */
static ha_array *sum_as(ha_array *x, int naxes, const int *axes, int keepdims, ha_dtype t)
{
	ha_array *s = ha_reduce(HA_RSUM, x, naxes, axes, keepdims);
	if (!s || s->dtype == t)
		return s;
	ha_array *r = ha_astype(s, t);
	ha_release(s);
	return r;
}

ha_array *ha_vecdot(const ha_array *a, const ha_array *b, int axis, int keepdims)
{
	ha_array *ca = conj_of(a);
	ha_array *p = ca ? ha_binary(HA_MUL, ca, b) : NULL;
	ha_array *r = NULL;
	if (p) {
		if (axis < -p->ndim || axis >= p->ndim)
			ha_error_set(HA_EVALUE, "vecdot: axis %d is out of bounds for array of dimension %d", axis, p->ndim);
		else
			r = sum_as(p, 1, &axis, keepdims, p->dtype);
	}
	return drop(r, ca, p, NULL);
}

ha_array *ha_inner(const ha_array *a, const ha_array *b)
{
	if (a->ndim == 0 || b->ndim == 0)
		return ha_binary(HA_MUL, a, b);
	int64_t k = a->gshape[a->ndim - 1];
	if (k != b->gshape[b->ndim - 1])
		return ha_error_set(HA_EVALUE, "inner: shapes (last dimension %lld and %lld) not aligned",
		                    (long long)k, (long long)b->gshape[b->ndim - 1]), NULL;
	if (a->ndim == 1 && b->ndim == 1)
		return ha_matmul(a, b);
	int64_t oshape[HA_MAXDIM], s2[2] = { -1, k };
	int nd = 0;
	for (int d = 0; d < a->ndim - 1; d++)
		oshape[nd++] = a->gshape[d];
	for (int d = 0; d < b->ndim - 1; d++)
		oshape[nd++] = b->gshape[d];
	if (ha_gnumel(a) == 0 || ha_gnumel(b) == 0)
		return ha_zeros(ha_promote_types(a->dtype, b->dtype), nd, oshape, HA_SPLIT_NONE, a->device, a->comm);
	ha_array *a2 = ha_reshape(a, 2, s2, HA_SPLIT_DEFAULT);
	ha_array *b2 = a2 ? ha_reshape(b, 2, s2, HA_SPLIT_DEFAULT) : NULL;
	ha_array *bt = b2 ? ha_transpose(b2, NULL) : NULL;
	ha_array *p = bt ? ha_matmul(a2, bt) : NULL;
	ha_array *r = p ? ha_reshape(p, nd, oshape, HA_SPLIT_DEFAULT) : NULL;
	drop(NULL, a2, b2, bt);
	return drop(r, p, NULL, NULL);
}

ha_array *ha_outer(const ha_array *a, const ha_array *b)
{
	int64_t sa[2] = { ha_gnumel(a), 1 }, sb[2] = { 1, ha_gnumel(b) };
	ha_array *a2 = ha_reshape(a, 2, sa, HA_SPLIT_DEFAULT);
	ha_array *b2 = a2 ? ha_reshape(b, 2, sb, HA_SPLIT_DEFAULT) : NULL;
	ha_array *r = b2 ? ha_binary(HA_MUL, a2, b2) : NULL;
	return drop(r, a2, b2, NULL);
}

ha_array *ha_kron(const ha_array *a, const ha_array *b)
{
	int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
	if (2 * nd > HA_MAXDIM)
		return ha_error_set(HA_EVALUE, "kron: at most %d dimensions", HA_MAXDIM / 2), NULL;
	int64_t sa[HA_MAXDIM], sb[HA_MAXDIM], so[HA_MAXDIM];
	for (int d = 0; d < nd; d++) {
		int da = d - (nd - a->ndim), db = d - (nd - b->ndim);
		int64_t x = da >= 0 ? a->gshape[da] : 1, y = db >= 0 ? b->gshape[db] : 1;
		sa[2 * d] = x;
		sa[2 * d + 1] = 1;
		sb[2 * d] = 1;
		sb[2 * d + 1] = y;
		so[d] = x * y;
	}
	ha_array *a2 = ha_reshape(a, 2 * nd, sa, HA_SPLIT_DEFAULT);
	ha_array *b2 = a2 ? ha_reshape(b, 2 * nd, sb, HA_SPLIT_DEFAULT) : NULL;
	ha_array *p = b2 ? ha_binary(HA_MUL, a2, b2) : NULL;
	ha_array *r = p ? ha_reshape(p, nd, so, HA_SPLIT_DEFAULT) : NULL;
	drop(NULL, a2, b2, p);
	return r;
}

/* ---- cross ---- */

static ha_array *last_axis(const ha_array *x, int axis, const char *which)
{
	if (x->ndim == 0 || axis < -x->ndim || axis >= x->ndim)
		return ha_error_set(HA_EVALUE, "cross: %s out of bounds", which), NULL;
	axis = axis < 0 ? axis + x->ndim : axis;
	int perm[HA_MAXDIM], np = 0;
	for (int d = 0; d < x->ndim; d++)
		if (d != axis)
			perm[np++] = d;
	perm[np] = axis;
	return ha_transpose(x, perm);
}

ha_array *ha_cross(const ha_array *a, const ha_array *b, int axisa, int axisb)
{
	ha_array *A = last_axis(a, axisa, "axisa");
	ha_array *B = A ? last_axis(b, axisb, "axisb") : NULL;
	if (!B)
		return drop(NULL, A, NULL, NULL);
	int64_t la = A->gshape[A->ndim - 1], lb = B->gshape[B->ndim - 1];
	if ((la != 2 && la != 3) || la != lb) {
		drop(NULL, A, B, NULL);
		return ha_error_set(HA_EVALUE, "cross: incompatible dimensions for cross product (both vectors "
		                    "must have length 3, or both 2; got %lld and %lld)", (long long)la,
		                    (long long)lb), NULL;
	}
	int nd;
	int64_t shape[HA_MAXDIM];
	if (ha_broadcast_shapes(A->ndim - 1, A->gshape, B->ndim - 1, B->gshape, &nd, shape)) {
		drop(NULL, A, B, NULL);
		return NULL;
	}
	shape[nd++] = la;
	/* A zero array split like the operands (never along the vector axis)
	** dominates both sums, so both come out with the same chunk map. */
	int s = A->split >= 0 && A->split < A->ndim - 1 ? A->split + (nd - A->ndim)
	      : B->split >= 0 && B->split < B->ndim - 1 ? B->split + (nd - B->ndim)
	      : nd > 1 && (A->split >= 0 || B->split >= 0) ? 0 : HA_SPLIT_NONE;
	ha_dtype t = ha_promote_types(A->dtype, B->dtype);
	ha_array *Z = ha_zeros(t, nd, shape, s, A->device, A->comm);
	ha_array *X = Z ? ha_binary(HA_ADD, Z, A) : NULL;
	ha_array *Y = X ? ha_binary(HA_ADD, Z, B) : NULL;
	drop(NULL, A, B, NULL);
	if (!Y)
		return drop(NULL, Z, X, NULL);
	int64_t nvec = ha_lnumel(X) / la;
	int64_t rshape[HA_MAXDIM];
	memcpy(rshape, shape, sizeof(int64_t) * (size_t)nd);
	int rnd = la == 3 ? nd : nd - 1;
	ha_array *R = ha_array_alloc_lmap(t, rnd, rshape, rnd == 0 ? HA_SPLIT_NONE : s,
	                                  s >= 0 && rnd > 0 ? X->lmap : NULL, X->device, X->comm);
	if (!R)
		return drop(NULL, Z, X, Y);
	/* computed in complex double and stored back in t */
	double complex *x = malloc(sizeof(double complex) * (size_t)(nvec * la + 1));
	double complex *y = malloc(sizeof(double complex) * (size_t)(nvec * la + 1));
	double complex *z = malloc(sizeof(double complex) * (size_t)(nvec * 3 + 1));
	if (!x || !y || !z) {
		free(x);
		free(y);
		free(z);
		ha_error_set(HA_EMEMORY, "cross: out of memory");
		return drop(drop(NULL, R, NULL, NULL), Z, X, Y);
	}
	ha_convert(HA_COMPLEX128, x, t, X->data, nvec * la);
	ha_convert(HA_COMPLEX128, y, t, Y->data, nvec * la);
	for (int64_t v = 0; v < nvec; v++) {
		const double complex *p = x + v * la, *q = y + v * la;
		if (la == 3) {
			z[3 * v] = p[1] * q[2] - p[2] * q[1];
			z[3 * v + 1] = p[2] * q[0] - p[0] * q[2];
			z[3 * v + 2] = p[0] * q[1] - p[1] * q[0];
		} else {
			z[v] = p[0] * q[1] - p[1] * q[0];
		}
	}
	ha_convert(t, R->data, HA_COMPLEX128, z, la == 3 ? nvec * 3 : nvec);
	free(x);
	free(y);
	free(z);
	return drop(R, Z, X, Y);
}

/* ---- trace, tril, triu ---- */

ha_array *ha_trace(const ha_array *a, int64_t offset)
{
	if (a->ndim != 2)
		return fail_null(HA_EVALUE, "only 2-D arrays are supported (diag requires an array of at "
		                 "least two dimensions)", "trace");
	ha_dtype t = a->dtype;
	ha_typekind kind = ha_dtype_kind(t);
	ha_dtype rt = kind == HA_KIND_BOOL || kind == HA_KIND_INT ? HA_INT64 : t;
	int64_t r0 = a->split == 0 ? a->loffset : 0, c0 = a->split == 1 ? a->loffset : 0;
	size_t es = ha_dtype_size(t);
	double complex s = 0;
	int64_t si = 0;
	for (int64_t li = 0; li < a->lshape[0]; li++) {
		int64_t lj = li + r0 + offset - c0;
		if (lj < 0 || lj >= a->lshape[1])
			continue;
		ha_scalar v = ha_scalar_load(t, (const char *)a->data + (size_t)(li * a->lshape[1] + lj) * es);
		if (v.kind == HA_SCALAR_BOOL || v.kind == HA_SCALAR_INT)
			si += v.i;
		else
			s += v.re + I * v.im;
	}
	ha_array *r = ha_array_alloc(rt, 0, NULL, HA_SPLIT_NONE, a->device, a->comm);
	if (!r)
		return NULL;
	ha_scalar out = rt == HA_INT64 ? ha_scalar_int(si) : ha_scalar_complex(creal(s), cimag(s));
	ha_scalar_store(out, rt, r->data);
	if (ha_is_distributed(a)) {
		char tmp[16];
		memcpy(tmp, r->data, ha_dtype_size(rt));
		if (ha_allreduce(tmp, r->data, 1, ha_mpi_type(rt), MPI_SUM, a->comm, "trace")) {
			ha_release(r);
			return NULL;
		}
	}
	return r;
}

static ha_array *triangle(const ha_array *a, int64_t k, int upper)
{
	if (a->ndim < 2)
		return fail_null(HA_EVALUE, "input must be at least 2-D", upper ? "triu" : "tril");
	ha_array *r = ha_copy(a);
	if (!r)
		return NULL;
	int nd = a->ndim;
	int64_t rows = r->lshape[nd - 2], cols = r->lshape[nd - 1];
	int64_t r0 = r->split == nd - 2 ? r->loffset : 0, c0 = r->split == nd - 1 ? r->loffset : 0;
	int64_t nmat = (rows * cols) != 0 ? ha_lnumel(r) / (rows * cols) : 0;
	size_t es = ha_dtype_size(r->dtype);
	char *p = r->data;
	#pragma omp parallel for schedule(static) if (nmat * rows > 64)
	for (int64_t q = 0; q < nmat * rows; q++) {
		int64_t gi = q % rows + r0;
		char *row = p + (size_t)(q * cols) * es;
		/* zero columns j with j - i > k (tril) or j - i < k (triu) */
		int64_t lo, hi;
		if (upper) {
			lo = 0;
			hi = gi + k - c0;
		} else {
			lo = gi + k + 1 - c0;
			hi = cols;
		}
		lo = lo < 0 ? 0 : lo > cols ? cols : lo;
		hi = hi < 0 ? 0 : hi > cols ? cols : hi;
		if (hi > lo)
			memset(row + (size_t)lo * es, 0, (size_t)(hi - lo) * es);
	}
	return r;
}

ha_array *ha_tril(const ha_array *a, int64_t k) { return triangle(a, k, 0); }
ha_array *ha_triu(const ha_array *a, int64_t k) { return triangle(a, k, 1); }

/* ---- norms ---- */

/* |a| in a floating type (integers: promote_types(t, float32)). */
static ha_array *abs_float(const ha_array *a)
{
	ha_dtype t = a->dtype;
	if (!ha_dtype_is_float(t) && !ha_dtype_is_complex(t)) {
		ha_array *f = ha_astype(a, ha_promote_types(t, HA_FLOAT32));
		ha_array *r = f ? ha_unary(HA_ABS, f) : NULL;
		return drop(r, f, NULL, NULL);
	}
	return ha_unary(HA_ABS, a);
}

ha_array *ha_vector_norm(const ha_array *a, double ord, int naxes, const int *axes, int keepdims)
{
	ha_array *x = abs_float(a);
	if (!x)
		return NULL;
	ha_array *r = NULL, *p = NULL, *s = NULL;
	if (isinf(ord)) {
		r = ha_reduce(ord > 0 ? HA_RMAX : HA_RMIN, x, naxes, axes, keepdims);
	} else if (ord == 0) {
		s = ha_reduce(HA_RCOUNT_NONZERO, x, naxes, axes, keepdims);
		r = s ? ha_astype(s, x->dtype) : NULL;
	} else if (ord == 1) {
		r = ha_reduce(HA_RSUM, x, naxes, axes, keepdims);
	} else if (ord == 2) {
		p = ha_binary(HA_MUL, x, x);
		s = p ? ha_reduce(HA_RSUM, p, naxes, axes, keepdims) : NULL;
		r = s ? ha_unary(HA_SQRT, s) : NULL;
	} else {
		p = ha_binary_scalar(HA_POW, x, ha_scalar_float(ord), 0);
		s = p ? ha_reduce(HA_RSUM, p, naxes, axes, keepdims) : NULL;
		r = s ? ha_binary_scalar(HA_POW, s, ha_scalar_float(1.0 / ord), 0) : NULL;
	}
	return drop(r, x, p, s);
}

/* Singular values of a 2-D array, on rank 0 (LAPACK ?gesdd), sent to all:
** out[0] largest, out[1] smallest, out[2] sum. */
static int singular_summary(const ha_array *a, double *out)
{
	ha_array *g = ha_resplit(a, HA_SPLIT_NONE);
	if (!g)
		return -1;
	int64_t m = g->gshape[0], n = g->gshape[1], kmin = m < n ? m : n;
	int info = 0;
	out[0] = out[1] = out[2] = 0;
	if (a->comm->rank == 0 && kmin > 0) {
		int cplx = ha_dtype_is_complex(g->dtype);
		ha_dtype wt = cplx ? HA_COMPLEX128 : HA_FLOAT64;
		void *w = malloc(ha_dtype_size(wt) * (size_t)(m * n));
		double *sv = malloc(sizeof(double) * (size_t)kmin);
		if (!w || !sv) {
			info = -1000;
		} else {
			ha_convert(wt, w, g->dtype, g->data, m * n);
			info = cplx ? LAPACKE_zgesdd(LAPACK_ROW_MAJOR, 'N', (lapack_int)m, (lapack_int)n, w,
			                             (lapack_int)n, sv, NULL, (lapack_int)m, NULL, (lapack_int)n)
			            : LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'N', (lapack_int)m, (lapack_int)n, w,
			                             (lapack_int)n, sv, NULL, (lapack_int)m, NULL, (lapack_int)n);
			if (info == 0) {
				out[0] = sv[0];
				out[1] = sv[kmin - 1];
				for (int64_t i = 0; i < kmin; i++)
					out[2] += sv[i];
			}
		}
		free(w);
		free(sv);
	}
	ha_release(g);
	double msg[4] = { out[0], out[1], out[2], (double)info };
	if (a->comm->size > 1 && ha_bcast(msg, sizeof msg, 0, a->comm, "matrix_norm"))
		return -1;
	out[0] = msg[0];
	out[1] = msg[1];
	out[2] = msg[2];
	if (msg[3] != 0)
		return ha_error_set(msg[3] == -1000 ? HA_EMEMORY : HA_ELINALG,
		                    "matrix_norm: SVD did not converge (LAPACK info %d)", (int)msg[3]);
	return 0;
}

ha_array *ha_matrix_norm(const ha_array *a, char kind, double ord, int r, int c, int keepdims)
{
	int nd = a->ndim;
	if (nd < 2)
		return fail_null(HA_EVALUE, "input must be at least 2-D", "matrix_norm");
	r = r < 0 ? r + nd : r;
	c = c < 0 ? c + nd : c;
	if (r < 0 || r >= nd || c < 0 || c >= nd || r == c)
		return fail_null(HA_EVALUE, "invalid axes for a matrix norm (need two different axes in range)",
		                 "matrix_norm");
	int both[2] = { r, c };
	if (kind == 'f')
		return ha_vector_norm(a, 2, 2, both, keepdims);
	if (kind == 'n' || (kind == 'o' && fabs(ord) == 2)) {
		if (nd != 2)
			return fail_null(HA_EVALUE, "nuclear and 2-norms need a 2-D array", "matrix_norm");
		double sv[3];
		if (singular_summary(a, sv))
			return NULL;
		ha_dtype rt = ha_dtype_real(ha_dtype_is_float(a->dtype) || ha_dtype_is_complex(a->dtype)
		                            ? a->dtype : ha_promote_types(a->dtype, HA_FLOAT32));
		int64_t ones[2] = { 1, 1 };
		double v = kind == 'n' ? sv[2] : ord > 0 ? sv[0] : sv[1];
		return ha_full(rt, keepdims ? 2 : 0, ones, ha_scalar_float(v), HA_SPLIT_NONE, a->device, a->comm);
	}
	if (kind != 'o' || (fabs(ord) != 1 && !isinf(ord)))
		return fail_null(HA_EVALUE, "invalid norm order for matrices", "matrix_norm");
	/* 1: max over columns of the column sums; inf: max over rows of row sums */
	int sum_ax = fabs(ord) == 1 ? r : c, ext_ax = fabs(ord) == 1 ? c : r;
	ha_array *x = abs_float(a);
	ha_array *s = x ? ha_reduce(HA_RSUM, x, 1, &sum_ax, 1) : NULL;
	ha_array *m = s ? ha_reduce(ord > 0 ? HA_RMAX : HA_RMIN, s, 1, &ext_ax, 1) : NULL;
	ha_array *out = m;
	if (m && !keepdims) {
		out = ha_squeeze(m, 2, both);
		ha_release(m);
	}
	return drop(out, x, s, NULL);
}

ha_array *ha_projection(const ha_array *a, const ha_array *b)
{
	if (a->ndim != 1 || b->ndim != 1)
		return fail_null(HA_EVALUE, "a and b must be vectors (1-D)", "projection");
	ha_array *ab = ha_dot(a, b);
	ha_array *bb = ab ? ha_dot(b, b) : NULL;
	ha_array *q = bb ? ha_binary(HA_TRUEDIV, ab, bb) : NULL;
	ha_array *r = q ? ha_binary(HA_MUL, q, b) : NULL;
	drop(NULL, ab, bb, q);
	return r;
}
