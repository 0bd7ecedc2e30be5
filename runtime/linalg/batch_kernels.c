/*
** batch_kernels.c — one matrix factored on this rank: the per-matrix work
** of the batched factorizations (factor_batch.c, solve_batch.c).  Raw
** row-major buffers of any float or complex dtype; the input is copied,
** never written.  Contract in factor_internal.h (fl_k_*).
*/
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"

/* LAPACK info -> kernel result: argument errors count as failures (-1). */
static int kres(int info)
{
	return info < 0 ? -1 : info;
}

static void *dup_buf(const void *src, size_t nb)
{
	void *d = malloc(nb + 1);
	if (d)
		memcpy(d, src, nb);
	return d;
}

int fl_k_qr(ha_dtype t, int64_t m, int64_t n, const void *a, void *q, void *r)
{
	size_t es = ha_dtype_size(t);
	int64_t k = m < n ? m : n;
	void *w = dup_buf(a, (size_t)(m * n) * es), *tau = malloc((size_t)(k + 1) * es);
	int info = !w || !tau ? -1 : fl_qr_local(t, m, n, w, tau);
	if (!info) {
		fl_extract_r(t, k, n, w, r);
		if (q)
			info = fl_form_q(t, m, n, w, tau, q);
	}
	free(w);
	free(tau);
	return kres(info);
}

int fl_k_svd(ha_dtype t, int64_t m, int64_t n, const void *a, void *u, void *s, void *vt)
{
	size_t es = ha_dtype_size(t);
	int64_t k = m < n ? m : n;
	if (k == 0)
		return 0;
	void *fac = dup_buf(a, (size_t)(m * n) * es);
	double dummy[4];
	if (!fac)
		return -1;
	int info = FL_LAPACK(t, gesdd, LAPACK_ROW_MAJOR, u ? 'S' : 'N', (lapack_int)m, (lapack_int)n,
	                     fac, (lapack_int)n, s, u ? u : (void *)dummy, (lapack_int)k,
	                     vt ? vt : (void *)dummy, (lapack_int)n);
	free(fac);
	return kres(info);
}

int fl_k_inv(ha_dtype t, int64_t n, const void *a, void *out)
{
	if (n == 0)
		return 0;
	lapack_int *ipiv = malloc(sizeof(lapack_int) * (size_t)n);
	if (!ipiv)
		return -1;
	memcpy(out, a, (size_t)(n * n) * ha_dtype_size(t));
	int info = FL_LAPACK(t, getrf, LAPACK_ROW_MAJOR, (lapack_int)n, (lapack_int)n, out, (lapack_int)n,
	                     ipiv);
	if (!info)
		info = FL_LAPACK(t, getri, LAPACK_ROW_MAJOR, (lapack_int)n, out, (lapack_int)n, ipiv);
	free(ipiv);
	return kres(info);
}

void fl_det_product(ha_dtype t, int64_t n, const void *lu, const lapack_int *ipiv, double *re,
                    double *im)
{
	size_t es = ha_dtype_size(t);
	for (int64_t i = 0; i < n; i++) {
		ha_scalar d = ha_scalar_load(t, (const char *)lu + (size_t)(i * n + i) * es);
		double dr = d.re, di = d.kind == HA_SCALAR_COMPLEX ? d.im : 0, r0 = *re;
		if (ipiv[i] != i + 1) {
			dr = -dr;
			di = -di;
		}
		*re = r0 * dr - *im * di;
		*im = r0 * di + *im * dr;
	}
}

int fl_k_det(ha_dtype t, int64_t n, const void *a, void *out)
{
	size_t es = ha_dtype_size(t);
	double re = 1, im = 0;
	if (n > 0) {
		void *lu = dup_buf(a, (size_t)(n * n) * es);
		lapack_int *ipiv = malloc(sizeof(lapack_int) * (size_t)n);
		int info = !lu || !ipiv ? -1
			: FL_LAPACK(t, getrf, LAPACK_ROW_MAJOR, (lapack_int)n, (lapack_int)n, lu, (lapack_int)n,
			            ipiv);
		if (info > 0)
			re = 0;            /* exactly singular: 0, like NumPy */
		if (info == 0)
			fl_det_product(t, n, lu, ipiv, &re, &im);
		free(lu);
		free(ipiv);
		if (info < 0)
			return -1;
	}
	ha_scalar_store(ha_dtype_is_complex(t) ? ha_scalar_complex(re, im) : ha_scalar_float(re), t, out);
	return 0;
}

int fl_k_solve(ha_dtype t, int64_t n, int64_t nrhs, const void *a, const void *b, void *x)
{
	size_t es = ha_dtype_size(t);
	if (n == 0 || nrhs == 0)
		return 0;
	memcpy(x, b, (size_t)(n * nrhs) * es);
	void *lu = dup_buf(a, (size_t)(n * n) * es);
	lapack_int *ipiv = malloc(sizeof(lapack_int) * (size_t)n);
	int info = !lu || !ipiv ? -1
		: FL_LAPACK(t, gesv, LAPACK_ROW_MAJOR, (lapack_int)n, (lapack_int)nrhs, lu, (lapack_int)n,
		            ipiv, x, (lapack_int)nrhs);
	free(lu);
	free(ipiv);
	return kres(info);
}

int fl_k_cholesky(ha_dtype t, int64_t n, const void *a, void *out)
{
	size_t es = ha_dtype_size(t);
	if (n == 0)
		return 0;
	memcpy(out, a, (size_t)(n * n) * es);
	int info = FL_LAPACK(t, potrf, LAPACK_ROW_MAJOR, 'L', (lapack_int)n, out, (lapack_int)n);
	for (int64_t i = 0; i < n && !info; i++)      /* potrf leaves the upper part alone */
		memset((char *)out + (size_t)(i * n + i + 1) * es, 0, (size_t)(n - i - 1) * es);
	return kres(info);
}

int fl_k_eigh(ha_dtype t, int64_t n, const void *a, void *w, void *v)
{
	size_t es = ha_dtype_size(t);
	if (n == 0)
		return 0;
	void *buf = v ? v : malloc((size_t)(n * n) * es);
	if (!buf)
		return -1;
	memcpy(buf, a, (size_t)(n * n) * es);
	int info = FL_LAPACK_RC(t, syevd, heevd, LAPACK_ROW_MAJOR, v ? 'V' : 'N', 'L', (lapack_int)n, buf,
	                        (lapack_int)n, w);
	if (!v)
		free(buf);
	return kres(info);
}
