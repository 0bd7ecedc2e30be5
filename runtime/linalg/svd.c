/*
** svd.c — reduced SVD of a distributed 2-D array.  A tall matrix split 0
** is reduced by TSQR to its n x n R factor, whose SVD every rank computes
** identically; U = Q Ur is one local GEMM, so only the small R factors
** travel.  A short-fat matrix is handled as its transpose (a local
** operation that swaps split 0 and 1); a split that runs the wrong way
** for the shape is fixed with one resplit (Alltoallv).  Complex input:
** gesdd's c/z forms, S real; the transposes stay plain (not conjugate):
** A^T = U' S V'^H gives A = (V'^H)^T S (U'^T), both unitary factors.
*/
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"

/* SVD of w (m x n, m >= n), split 0 or not distributed.  Writes this
** rank's rows of U (m_i x n, when compute_uv), S (n) and Vt (n x n,
** replicated, when compute_uv); malloc'd.  Returns 0 or -1 (agreed). */
static int svd_tall(const ha_array *w, int compute_uv, void **ub, void **sb, void **vtb)
{
	ha_dtype t = w->dtype;
	size_t es = ha_dtype_size(t);
	int64_t mi = w->lshape[0], n = w->gshape[1];
	char job = compute_uv ? 'S' : 'N';
	void *s = malloc((size_t)(n + 1) * es), *vt = NULL, *u = NULL, *fac = NULL, *q = NULL;
	int64_t rows, k;
	int bad = !s, info = 0;
	float dummy[2];
	if (!ha_is_distributed(w)) {
		rows = mi;
		fac = malloc((size_t)(mi * n + 1) * es);
		bad = bad || !fac;
		if (!bad)
			memcpy(fac, w->data, (size_t)(mi * n) * es);
	} else {
		rows = n;
		if (fl_tsqr(w, compute_uv, &q, &fac, &k, "svd")) {
			free(s);
			return -1;
		}
	}
	if (!bad && compute_uv) {
		u = malloc((size_t)(rows * n + 1) * es);
		vt = malloc((size_t)(n * n + 1) * es);
		bad = !u || !vt;
	}
	if (!bad && n > 0 && rows > 0)
		info = FL_LAPACK(t, gesdd, LAPACK_ROW_MAJOR, job, (lapack_int)rows, (lapack_int)n, fac,
		                 (lapack_int)n, s, compute_uv ? u : (void *)dummy,
		                 (lapack_int)(n ? n : 1), compute_uv ? vt : (void *)dummy,
		                 (lapack_int)(n ? n : 1));
	if (!bad && ha_is_distributed(w) && compute_uv) {
		/* U_i = Q_i (m_i x n) Ur (n x n) */
		void *ui = malloc((size_t)(mi * n + 1) * es);
		if (ui) {
			fl_gemm(t, 0, 0, mi, n, n, 1.0, q, n, u, n, 0.0, ui, n);
			free(u);
			u = ui;
		} else
			bad = 1;
	}
	free(fac);
	free(q);
	int agreed = ha_is_distributed(w) ? fl_any(bad || info, w->comm, "svd") : (bad || info);
	if (agreed) {
		if (agreed > 0)
			ha_error_set(bad ? HA_EMEMORY : HA_ELINALG,
			             bad ? "svd: out of memory" : "SVD did not converge");
		free(s);
		free(u);
		free(vt);
		return -1;
	}
	*sb = s;
	*ub = u;
	*vtb = vt;
	return 0;
}

/* Rows of a tall factor as an array split 0 (w's chunk map). */
static ha_array *rows_array(const ha_array *w, const void *data, int64_t k)
{
	int64_t shape[2] = { w->gshape[0], k };
	if (!ha_is_distributed(w))
		return fl_from_full(w, w->dtype, 2, shape, data, 0);
	ha_array *r = ha_array_alloc_lmap(w->dtype, 2, shape, 0, w->lmap, w->device, w->comm);
	if (r)
		memcpy(r->data, data, (size_t)ha_lnbytes(r));
	return r;
}

static void transpose_buf(size_t es, int64_t m, int64_t n, const void *src, void *dst)
{
	for (int64_t i = 0; i < m; i++)
		for (int64_t j = 0; j < n; j++)
			memcpy((char *)dst + (size_t)(j * m + i) * es, (const char *)src + (size_t)(i * n + j) * es,
			       es);
}

/* Replicated input: one local gesdd, everything replicated. */
static int svd_local(const ha_array *a, int compute_uv, ha_array **u, ha_array **s, ha_array **vt)
{
	ha_dtype t = a->dtype;
	size_t es = ha_dtype_size(t);
	int64_t m = a->gshape[0], n = a->gshape[1], k = m < n ? m : n;
	void *fac = malloc((size_t)(m * n + 1) * es), *sb = malloc((size_t)(k + 1) * es);
	void *ub = compute_uv ? malloc((size_t)(m * k + 1) * es) : NULL;
	void *vb = compute_uv ? malloc((size_t)(k * n + 1) * es) : NULL;
	float dummy[2];
	int rc = -1;
	if (!fac || !sb || (compute_uv && (!ub || !vb))) {
		ha_error_set(HA_EMEMORY, "svd: out of memory");
		goto done;
	}
	memcpy(fac, a->data, (size_t)(m * n) * es);
	int info = k == 0 ? 0 : FL_LAPACK(t, gesdd, LAPACK_ROW_MAJOR, compute_uv ? 'S' : 'N',
	                                  (lapack_int)m, (lapack_int)n, fac, (lapack_int)n, sb,
	                                  compute_uv ? ub : (void *)dummy, (lapack_int)(k ? k : 1),
	                                  compute_uv ? vb : (void *)dummy, (lapack_int)(n ? n : 1));
	if (info) {
		ha_error_set(HA_ELINALG, "SVD did not converge");
		goto done;
	}
	int64_t sshape[1] = { k }, ushape[2] = { m, k }, vshape[2] = { k, n };
	*s = fl_from_full(a, ha_dtype_real(t), 1, sshape, sb, HA_SPLIT_NONE);
	if (*s && compute_uv) {
		*u = fl_from_full(a, t, 2, ushape, ub, HA_SPLIT_NONE);
		*vt = fl_from_full(a, t, 2, vshape, vb, HA_SPLIT_NONE);
	}
	rc = *s && (!compute_uv || (*u && *vt)) ? 0 : -1;
done:
	free(fac);
	free(sb);
	free(ub);
	free(vb);
	return rc;
}

int ha_svd(const ha_array *a0, int compute_uv, ha_array **u, ha_array **s, ha_array **vt)
{
	*s = NULL;
	if (u)
		*u = NULL;
	if (vt)
		*vt = NULL;
	compute_uv = compute_uv && u && vt;
	if (a0->ndim > 2)
		return fl_batch_svd(a0, compute_uv, u, s, vt);
	ha_array *a = fl_input(a0, "svd", FL_COMPLEX | FL_BATCH);
	if (!a)
		return -1;
	int rc;
	if (a->split < 0) {
		rc = svd_local(a, compute_uv, u, s, vt);
		ha_release(a);
		goto out;
	}
	int64_t m = a->gshape[0], n = a->gshape[1];
	int fat = m < n;
	/* the tall view: A (m >= n) or A^T (m < n), split 0 */
	ha_array *tv = fat ? ha_transpose(a, NULL) : ha_retain(a);
	ha_release(a);
	if (!tv)
		return -1;
	ha_array *w = tv->split == 1 && ha_is_distributed(tv) ? ha_resplit(tv, 0) : ha_retain(tv);
	ha_release(tv);
	if (!w)
		return -1;
	void *ub = NULL, *sb = NULL, *vb = NULL;
	int64_t tn = w->gshape[1];     /* k = min(m, n) */
	rc = svd_tall(w, compute_uv, &ub, &sb, &vb);
	if (rc == 0) {
		int64_t sshape[1] = { tn };
		*s = fl_from_full(w, ha_dtype_real(w->dtype), 1, sshape, sb, HA_SPLIT_NONE);
		rc = *s ? 0 : -1;
	}
	if (rc == 0 && compute_uv) {
		ha_array *rows = rows_array(w, ub, tn);            /* U of the tall view, split 0 */
		int64_t kshape[2] = { tn, tn };
		if (!fat) {
			*u = rows;
			*vt = fl_from_full(w, w->dtype, 2, kshape, vb, HA_SPLIT_NONE);
		} else {
			/* A = (A^T)^T = Vt'^T S U'^T */
			size_t es = ha_dtype_size(w->dtype);
			void *tb = malloc((size_t)(tn * tn + 1) * es);
			if (tb) {
				transpose_buf(es, tn, tn, vb, tb);
				*u = fl_from_full(w, w->dtype, 2, kshape, tb, HA_SPLIT_NONE);
				free(tb);
			} else
				ha_error_set(HA_EMEMORY, "svd: out of memory");
			*vt = rows ? ha_transpose(rows, NULL) : NULL;
			if (rows)
				ha_release(rows);
		}
		rc = *u && *vt ? 0 : -1;
	}
	free(ub);
	free(sb);
	free(vb);
	ha_release(w);
out:
	if (rc) {
		if (*s)
			ha_release(*s);
		*s = NULL;
		if (u && *u)
			ha_release(*u);
		if (vt && *vt)
			ha_release(*vt);
		if (u)
			*u = NULL;
		if (vt)
			*vt = NULL;
	}
	return rc;
}
