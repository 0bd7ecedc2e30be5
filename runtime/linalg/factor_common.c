/*
** factor_common.c — helpers shared by the factorizations: generic GEMM,
** input conversion and checks, gathering, failure agreement, local QR
** pieces and TSQR (the building block of qr, svd and lstsq).
*/
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"

/* From blis.h (dim_t is int64_t), which cannot be included together with
** lapacke.h (their lsame_ prototypes conflict). */
int64_t bli_thread_get_num_threads(void);
void bli_thread_set_num_threads(int64_t value);

int fl_blis_serial(void)
{
	static int from_env = -1;
	if (from_env < 0)
		from_env = getenv("BLIS_NUM_THREADS") != NULL;
	if (from_env)
		return 0;
	int old = (int)bli_thread_get_num_threads();
	if (old != 1)
		bli_thread_set_num_threads(1);
	return old;
}

void fl_blis_restore(int old)
{
	if (old > 1)
		bli_thread_set_num_threads(old);
}

void fl_gemm(ha_dtype t, int transa, int transb, int64_t m, int64_t n, int64_t k, double alpha,
             const void *a, int64_t lda, const void *b, int64_t ldb, double beta, void *c,
             int64_t ldc)
{
	if (m == 0 || n == 0)
		return;
	int cplx = ha_dtype_is_complex(t);
	enum CBLAS_TRANSPOSE tr = cplx ? CblasConjTrans : CblasTrans;
	enum CBLAS_TRANSPOSE ta = transa ? tr : CblasNoTrans;
	enum CBLAS_TRANSPOSE tb = transb ? tr : CblasNoTrans;
	if (t == HA_FLOAT32)
		cblas_sgemm(CblasRowMajor, ta, tb, (int)m, (int)n, (int)k, (float)alpha, a, (int)lda, b,
		            (int)ldb, (float)beta, c, (int)ldc);
	else if (t == HA_FLOAT64)
		cblas_dgemm(CblasRowMajor, ta, tb, (int)m, (int)n, (int)k, alpha, a, (int)lda, b, (int)ldb,
		            beta, c, (int)ldc);
	else {
		/* BLIS has no small-matrix path for complex GEMM: on tiny products a
		** parallel region costs far more than the work, so run those on one
		** thread (as FL_LAPACK does) */
		int old = m * n * k < ((int64_t)1 << 18) ? fl_blis_serial() : 0;
		if (t == HA_COMPLEX64) {
			float complex al = (float)alpha, be = (float)beta;
			cblas_cgemm(CblasRowMajor, ta, tb, (int)m, (int)n, (int)k, &al, a, (int)lda, b,
			            (int)ldb, &be, c, (int)ldc);
		} else {
			double complex al = alpha, be = beta;
			cblas_zgemm(CblasRowMajor, ta, tb, (int)m, (int)n, (int)k, &al, a, (int)lda, b,
			            (int)ldb, &be, c, (int)ldc);
		}
		fl_blis_restore(old);
	}
}

ha_array *fl_input(const ha_array *a, const char *fn, int flags)
{
	if ((flags & FL_BATCH) && a->ndim < 2 && !((flags & FL_1D) && a->ndim == 1)) {
		ha_error_set(HA_EVALUE, "%d-dimensional array given. Array must be at least two-dimensional",
		             a->ndim);
		return NULL;
	}
	if (!(flags & FL_BATCH) && a->ndim != 2 && !((flags & FL_1D) && a->ndim == 1)) {
		ha_error_set(HA_EVALUE, "%d-dimensional array given. Array must be two-dimensional",
		             a->ndim);
		return NULL;
	}
	if (ha_dtype_is_complex(a->dtype)) {
		if (flags & FL_COMPLEX)
			return ha_retain((ha_array *)a);
		ha_error_set(HA_ETYPE, "%s: complex input (%s) is not supported; use float32 or float64",
		             fn, ha_dtype_name(a->dtype));
		return NULL;
	}
	if (a->dtype == HA_FLOAT32 || a->dtype == HA_FLOAT64)
		return ha_retain((ha_array *)a);
	return ha_astype(a, ha_promote_types(a->dtype, HA_FLOAT32));
}

int fl_require_square(const ha_array *a)
{
	if (a->ndim < 2 || a->gshape[a->ndim - 2] != a->gshape[a->ndim - 1])
		return ha_error_set(HA_EVALUE, "Last 2 dimensions of the array must be square");
	return 0;
}

ha_array *fl_replicated(const ha_array *a)
{
	if (!ha_is_distributed(a))
		return ha_retain((ha_array *)a);
	return ha_resplit(a, HA_SPLIT_NONE);
}

ha_array *fl_from_full(const ha_array *like, ha_dtype t, int ndim, const int64_t *shape,
                       const void *data, int split)
{
	return ha_array_from_data(t, ndim, shape, data, split, like->device, like->comm);
}

int fl_any(int bad, ha_comm *c, const char *what)
{
	if (c->size == 1)
		return bad != 0;
	int in = bad != 0, out = 0;
	if (ha_allreduce(&in, &out, 1, MPI_INT, MPI_MAX, c, what))
		return -1;
	return out;
}

int fl_qr_local(ha_dtype t, int64_t m, int64_t n, void *w, void *tau)
{
	if (m == 0 || n == 0)
		return 0;
	/* row-major m x n == column-major n x m (= A^T, ld n); A^T = L Q'
	** gives A = Q'^T L^T, and L^T sits in w exactly where R would.  Plain
	** transposes throughout, also for complex data: Q' Q'^H = I implies
	** (Q'^T)^H Q'^T = conj(Q' Q'^H) = I, so Q = Q'^T has orthonormal
	** columns and no conjugation is needed anywhere. */
	if (m * n >= ((int64_t)1 << 20))
		return FL_LAPACK_MT(t, gelqf, LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)m, w, (lapack_int)n,
		                    tau);
	return FL_LAPACK(t, gelqf, LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)m, w, (lapack_int)n,
	                 tau);
}

void fl_extract_r(ha_dtype t, int64_t k, int64_t n, const void *w, void *r)
{
	size_t es = ha_dtype_size(t);
	memset(r, 0, (size_t)(k * n) * es);
	for (int64_t i = 0; i < k; i++)
		memcpy((char *)r + (size_t)(i * n + i) * es, (const char *)w + (size_t)(i * n + i) * es,
		       (size_t)(n - i) * es);
}

int fl_form_q(ha_dtype t, int64_t m, int64_t n, void *w, void *tau, void *q)
{
	int64_t k = m < n ? m : n;
	size_t es = ha_dtype_size(t);
	if (m == 0 || k == 0)
		return 0;
	int info = m * n >= ((int64_t)1 << 20)
		? FL_LAPACK_RC_MT(t, orglq, unglq, LAPACK_COL_MAJOR, (lapack_int)k, (lapack_int)m, (lapack_int)k, w,
		               (lapack_int)n, tau)
		: FL_LAPACK_RC(t, orglq, unglq, LAPACK_COL_MAJOR, (lapack_int)k, (lapack_int)m, (lapack_int)k, w,
		            (lapack_int)n, tau);
	/* rows of Q have stride n in w: compact to stride k (memmove: q may be w) */
	if (k != n || q != w)
		for (int64_t i = 0; i < m; i++)
			memmove((char *)q + (size_t)(i * k) * es, (char *)w + (size_t)(i * n) * es,
			        (size_t)k * es);
	return info;
}

int fl_tsqr(const ha_array *a, int want_q, void **qout, void **rout, int64_t *kout, const char *what)
{
	ha_dtype t = a->dtype;
	size_t es = ha_dtype_size(t);
	int64_t m = a->gshape[0], n = a->gshape[1];
	int64_t mi = a->lshape[0], ki = mi < n ? mi : n, k = m < n ? m : n;
	int dist = ha_is_distributed(a);
	ha_comm *c = a->comm;
	void *w = malloc((size_t)(mi * n + 1) * es), *tau = malloc((size_t)(n + 1) * es);
	void *r = malloc((size_t)(k * n + 1) * es), *q = NULL;
	void *stack = NULL, *ri = NULL, *taus = NULL;
	int64_t *counts = NULL, *displs = NULL, K = 0;
	int bad = !w || !tau || !r;
	if (!bad) {
		memcpy(w, a->data, (size_t)(mi * n) * es);
		bad = fl_qr_local(t, mi, n, w, tau) != 0;
	}
	if (!dist) {
		if (!bad) {
			fl_extract_r(t, k, n, w, r);
			if (want_q)
				bad = fl_form_q(t, mi, n, w, tau, w) != 0;
		}
		if (bad) {
			free(w);
			free(tau);
			free(r);
			return ha_error_set(HA_EMEMORY, "%s: out of memory or LAPACK failure", what);
		}
		free(tau);
		*rout = r;
		*kout = k;
		if (want_q)
			*qout = w;
		else
			free(w);
		return 0;
	}
	/* distributed: stack every rank's R_i (k_i x n) on every rank */
	int p = c->size;
	counts = malloc(sizeof(int64_t) * (size_t)p);
	displs = malloc(sizeof(int64_t) * (size_t)p);
	int64_t myoff = 0;
	if (counts && displs) {
		for (int j = 0; j < p; j++) {
			int64_t kj = a->lmap[j] < n ? a->lmap[j] : n;
			if (j == c->rank)
				myoff = K;
			displs[j] = K * n * (int64_t)es;
			counts[j] = kj * n * (int64_t)es;
			K += kj;
		}
		stack = malloc((size_t)(K * n + 1) * es);
		taus = malloc((size_t)(n + 1) * es);
		ri = malloc((size_t)(ki * n + 1) * es);
	}
	bad = bad || !counts || !displs || !stack || !taus || !ri;
	if (!bad)
		fl_extract_r(t, ki, n, w, ri);
	int agreed = fl_any(bad, c, what);
	if (agreed || ha_allgather_bytes(ri, ki * n * (int64_t)es, stack, counts, displs, c, what)) {
		if (agreed > 0)
			ha_error_set(HA_EMEMORY, "%s: out of memory or LAPACK failure", what);
		goto fail;
	}
	/* every rank factors the same stacked matrix the same way */
	bad = fl_qr_local(t, K, n, stack, taus) != 0;
	if (!bad) {
		fl_extract_r(t, k, n, stack, r);
		if (want_q) {
			bad = fl_form_q(t, K, n, stack, taus, stack) != 0;   /* K x k */
			if (!bad && !(q = malloc((size_t)(mi * k + 1) * es)))
				bad = 1;
			if (!bad && ki > 0)
				bad = fl_form_q(t, mi, n, w, tau, w) != 0;        /* m_i x k_i */
			if (!bad) {
				if (ki > 0)
					fl_gemm(t, 0, 0, mi, k, ki, 1.0, w, ki, (char *)stack + (size_t)(myoff * k) * es,
					        k, 0.0, q, k);
				else
					memset(q, 0, (size_t)(mi * k) * es);
			}
		}
	}
	if ((agreed = fl_any(bad, c, what)) != 0) {
		if (agreed > 0)
			ha_error_set(HA_EMEMORY, "%s: out of memory or LAPACK failure", what);
		goto fail;
	}
	free(w);
	free(tau);
	free(stack);
	free(taus);
	free(ri);
	free(counts);
	free(displs);
	*rout = r;
	*kout = k;
	if (want_q)
		*qout = q;
	return 0;
fail:
	free(w);
	free(tau);
	free(r);
	free(q);
	free(stack);
	free(taus);
	free(ri);
	free(counts);
	free(displs);
	return -1;
}

int fl_fro_norm(const ha_array *a, double *out, const char *what)
{
	int64_t n = ha_lnumel(a);
	double s = 0;
	if (a->dtype == HA_FLOAT32) {
		const float *x = a->data;
		for (int64_t i = 0; i < n; i++)
			s += (double)x[i] * x[i];
	} else {
		const double *x = a->data;
		for (int64_t i = 0; i < n; i++)
			s += x[i] * x[i];
	}
	if (ha_is_distributed(a)) {
		double g = 0;
		if (ha_allreduce(&s, &g, 1, MPI_DOUBLE, MPI_SUM, a->comm, what))
			return -1;
		s = g;
	}
	*out = sqrt(s);
	return 0;
}
