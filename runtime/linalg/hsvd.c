/*
** hsvd.c — Heat's hierarchical truncated SVD (Iwen & Ong 2016; error
** estimate of Himpe, Leibner & Rave 2018).  Each rank truncates the SVD
** of its column block; the blocks U*S are merged up a tree (Heat's
** grouping: consecutive nodes while the merged width stays within
** maxmergedim and at most no_of_merges nodes merge), re-truncated at
** every level, and rank 0 broadcasts the final U.  U blocks are kept
** column-major so merging is appending columns.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"

typedef struct hs_opts {
	int64_t maxrank;        /* >= 1 */
	int64_t maxmergedim;    /* >= 1 */
	int64_t safetyshift;
	int64_t merges;         /* <= 0: no limit */
	double atol;            /* < 0: none */
} hs_opts;

static double elt(ha_dtype t, const void *p, int64_t i)
{
	return t == HA_FLOAT32 ? ((const float *)p)[i] : ((const double *)p)[i];
}

static void set_elt(ha_dtype t, void *p, int64_t i, double v)
{
	if (t == HA_FLOAT32)
		((float *)p)[i] = (float)v;
	else
		((double *)p)[i] = v;
}

/* Truncated SVD of the column-major m x c matrix x (destroyed).  Returns
** in *u (column-major m x r, malloc'd) U*S when scale, else U; *s (r,
** malloc'd); *r; adds the estimated squared error to *err2.  0 or -1. */
static int trunc_svd(ha_dtype t, int64_t m, int64_t c, void *x, const hs_opts *o, int64_t shift,
                     int scale, void **uout, void **sout, int64_t *rout, double *err2)
{
	size_t es = ha_dtype_size(t);
	int64_t kk = m < c ? m : c;
	void *u = malloc((size_t)(m * (kk ? kk : 1)) * es), *s = malloc((size_t)(kk + 1) * es);
	void *vt = malloc((size_t)(kk * c + 1) * es);
	if (!u || !s || !vt) {
		free(u);
		free(s);
		free(vt);
		return -1;
	}
	int info = kk == 0 ? 0 : FL_LAPACK(t, gesdd, LAPACK_COL_MAJOR, 'S', (lapack_int)m, (lapack_int)c, x,
	                                   (lapack_int)(m ? m : 1), s, u, (lapack_int)(m ? m : 1), vt,
	                                   (lapack_int)(kk ? kk : 1));
	free(vt);
	if (info) {
		free(u);
		free(s);
		return -1;
	}
	double noise = t == HA_FLOAT32 ? 1e-7 : 1e-14;
	int64_t cut = 0;
	for (int64_t j = 0; j < kk; j++)
		if (elt(t, s, j) >= noise)
			cut = j + 1;
	if (cut == 0) {
		/* only noise: one zero column carries the whole block as error */
		for (int64_t j = 0; j < kk; j++)
			*err2 += elt(t, s, j) * elt(t, s, j);
		memset(u, 0, (size_t)m * es);
		set_elt(t, s, 0, 0.0);
		*uout = u;
		*sout = s;
		*rout = 1;
		return 0;
	}
	int64_t r = o->maxrank < cut ? o->maxrank : cut;
	if (o->atol >= 0) {
		/* smallest k with ||s[k:]||^2 < atol^2 */
		double tail = 0;
		int64_t ideal = kk;
		for (int64_t k = kk; k >= 0; k--) {
			if (k < kk)
				tail += elt(t, s, k) * elt(t, s, k);
			if (tail < o->atol * o->atol)
				ideal = k;
			else
				break;
		}
		r = ideal < r ? ideal : r;
	}
	/* Heat's estimate: the tail beyond the rank before the safety shift
	** (Heat subtracts the shift again after capping it at the block width,
	** which counts kept values as lost; this does not) */
	int64_t from = r;
	r = r + shift < kk ? r + shift : kk;
	for (int64_t j = from; j < kk; j++)
		*err2 += elt(t, s, j) * elt(t, s, j);
	if (r == 0) {
		memset(u, 0, (size_t)m * es);
		set_elt(t, s, 0, 0.0);
		r = 1;
	}
	if (scale)
		for (int64_t j = 0; j < r; j++) {
			double sj = elt(t, s, j);
			for (int64_t i = 0; i < m; i++)
				set_elt(t, u, j * m + i, elt(t, u, j * m + i) * sj);
		}
	*uout = u;
	*sout = s;
	*rout = r;
	return 0;
}

/* The merge tree.  x: the split-1 (or replicated) work array.  On return
** every rank holds the final U (row-major m x r, malloc'd) and err2. */
static int merge_tree(const ha_array *x, const hs_opts *o, void **uout, int64_t *rout, double *err2)
{
	ha_dtype t = x->dtype;
	size_t es = ha_dtype_size(t);
	ha_comm *c = x->comm;
	int dist = ha_is_distributed(x), p = dist ? c->size : 1, me = dist ? c->rank : 0;
	int64_t m = x->gshape[0], ci = x->lshape[1];
	int64_t *dims = malloc(sizeof(int64_t) * (size_t)p * 3), *counts = dims + p, *displs = dims + 2 * p;
	int *active = malloc(sizeof(int) * (size_t)p), *future = malloc(sizeof(int) * (size_t)p);
	int *send_to = malloc(sizeof(int) * (size_t)p);
	void *cm = malloc((size_t)(m * ci + 1) * es), *u = NULL, *s = NULL;
	int64_t r = 0;
	int rc = -1, nactive = p, shift_final = 0;
	double e2 = 0;
	if (fl_any(!dims || !active || !future || !send_to || !cm, c, "hsvd")) {
		ha_error_set(HA_EMEMORY, "hsvd: out of memory");
		goto out;
	}
	/* level 0: the local block, transposed to column-major */
	for (int64_t i = 0; i < m; i++)
		for (int64_t j = 0; j < ci; j++)
			memcpy((char *)cm + (size_t)(j * m + i) * es, (const char *)x->data + (size_t)(i * ci + j) * es, es);
	int bad = trunc_svd(t, m, ci, cm, o, o->safetyshift, 1, &u, &s, &r, &e2);
	free(s);
	s = NULL;
	if (fl_any(bad, c, "hsvd")) {
		ha_error_set(HA_ELINALG, "SVD did not converge");
		goto out;
	}
	for (int i = 0; i < p; i++)
		active[i] = i;
	for (;;) {
		/* every rank learns every node's width */
		if (dist) {
			for (int j = 0; j < p; j++) {
				counts[j] = sizeof(int64_t);
				displs[j] = (int64_t)sizeof(int64_t) * j;
			}
			if (ha_allgather_bytes(&r, sizeof(int64_t), dims, counts, displs, c, "hsvd"))
				goto out;
		} else
			dims[0] = r;
		int nfuture = 1, cur = 0, counter = 0;
		int64_t budget = 0;
		future[0] = 0;
		for (int i = 0; i < p; i++)
			send_to[i] = -1;
		for (int k = 0; k < nactive; k++) {
			int idx = active[k];
			if (budget > 0 && (budget + dims[idx] > o->maxmergedim || (o->merges > 0 && counter == o->merges))) {
				cur = idx;
				future[nfuture++] = idx;
				budget = dims[idx];
				counter = 1;
			} else {
				if (budget != 0)
					send_to[idx] = cur;
				budget += dims[idx];
				counter++;
			}
		}
		if (nfuture == nactive && nactive > 1) {
			ha_error_set(HA_ERUNTIME, "hsvd: maxmergedim=%lld is too small to merge two blocks",
			             (long long)o->maxmergedim);
			goto out;
		}
		int am_future = 0, am_active = 0;
		for (int k = 0; k < nfuture; k++)
			am_future |= future[k] == me;
		for (int k = 0; k < nactive; k++)
			am_active |= active[k] == me;
		if (am_future) {
			int64_t total = r;
			for (int j = 0; j < p; j++)
				if (send_to[j] == me)
					total += dims[j];
			void *cat = malloc((size_t)(m * total + 1) * es);
			char *msg = NULL;
			bad = !cat;
			if (!bad)
				memcpy(cat, u, (size_t)(m * r) * es);
			int64_t at = r;
			for (int j = 0; j < p && !bad; j++) {
				if (send_to[j] != me)
					continue;
				msg = malloc((size_t)(m * dims[j]) * es + sizeof(double));
				if (!msg || ha_sendrecv_bytes(NULL, 0, MPI_PROC_NULL, msg,
				                              (int64_t)((size_t)(m * dims[j]) * es + sizeof(double)), j, c,
				                              "hsvd")) {
					free(msg);
					bad = 1;
					break;
				}
				memcpy((char *)cat + (size_t)(m * at) * es, msg, (size_t)(m * dims[j]) * es);
				double ej;
				memcpy(&ej, msg + (size_t)(m * dims[j]) * es, sizeof(double));
				e2 += ej;
				at += dims[j];
				free(msg);
			}
			free(u);
			u = NULL;
			if (!bad) {
				shift_final = nfuture == 1;
				bad = trunc_svd(t, m, total, cat, o, shift_final ? 0 : o->safetyshift, !shift_final,
				                &u, &s, &r, &e2);
				free(s);
				s = NULL;
			}
			free(cat);
			if (bad) {
				ha_error_set(HA_EMEMORY, "hsvd: merging failed (out of memory or no convergence)");
				goto out;
			}
		} else if (am_active) {
			size_t nb = (size_t)(m * r) * es;
			char *msg = malloc(nb + sizeof(double));
			if (!msg) {
				ha_error_set(HA_EMEMORY, "hsvd: out of memory");
				goto out;
			}
			memcpy(msg, u, nb);
			memcpy(msg + nb, &e2, sizeof(double));
			int e = ha_sendrecv_bytes(msg, (int64_t)(nb + sizeof(double)), send_to[me], NULL, 0,
			                          MPI_PROC_NULL, c, "hsvd");
			free(msg);
			if (e)
				goto out;
		}
		if (nfuture == 1)
			break;
		memcpy(active, future, sizeof(int) * (size_t)nfuture);
		nactive = nfuture;
	}
	/* rank 0 holds the answer: broadcast (r, err2), then U */
	if (dist) {
		double hdr[2] = { (double)r, e2 };
		if (ha_bcast(hdr, sizeof hdr, 0, c, "hsvd"))
			goto out;
		r = (int64_t)hdr[0];
		e2 = hdr[1];
		if (me != 0) {
			free(u);
			u = malloc((size_t)(m * r + 1) * es);
		}
		if (fl_any(!u, c, "hsvd")) {
			ha_error_set(HA_EMEMORY, "hsvd: out of memory");
			goto out;
		}
		if (ha_bcast(u, (int64_t)((size_t)(m * r) * es), 0, c, "hsvd"))
			goto out;
	}
	/* column-major -> row-major */
	void *rm = malloc((size_t)(m * r + 1) * es);
	if (fl_any(!rm, c, "hsvd")) {
		free(rm);
		ha_error_set(HA_EMEMORY, "hsvd: out of memory");
		goto out;
	}
	for (int64_t j = 0; j < r; j++)
		for (int64_t i = 0; i < m; i++)
			memcpy((char *)rm + (size_t)(i * r + j) * es, (char *)u + (size_t)(j * m + i) * es, es);
	*uout = rm;
	*rout = r;
	*err2 = e2;
	rc = 0;
out:
	free(u);
	free(cm);
	free(dims);
	free(active);
	free(future);
	free(send_to);
	return rc;
}

static int hsvd(const ha_array *a0, hs_opts *o, double rtol, int compute_sv, ha_array **uo,
                ha_array **so, ha_array **vo, double *err)
{
	*uo = NULL;
	if (so)
		*so = NULL;
	if (vo)
		*vo = NULL;
	ha_array *a = fl_input(a0, "hsvd", 0);
	if (!a)
		return -1;
	ha_dtype t = a->dtype;
	size_t es = ha_dtype_size(t);
	int transposed = a->split == 0;
	ha_array *x = transposed ? ha_transpose(a, NULL) : ha_retain(a);
	ha_release(a);
	if (!x)
		return -1;
	int rc = -1, dist = ha_is_distributed(x);
	int p = dist ? x->comm->size : 1;
	int64_t m = x->gshape[0], ci = x->lshape[1], r = 0;
	void *ub = NULL, *vb = NULL, *sb = NULL;
	double anorm, e2 = 0;
	if (fl_fro_norm(x, &anorm, "hsvd"))
		goto out;
	o->atol = rtol >= 0 ? anorm * rtol / sqrt(2.0 * p - 1) : -1;
	if (merge_tree(x, o, &ub, &r, &e2))
		goto out;
	*err = anorm > 0 ? sqrt(e2) / anorm : 0;
	int64_t ushape[2] = { m, r };
	if (!transposed && !compute_sv) {
		*uo = fl_from_full(x, t, 2, ushape, ub, HA_SPLIT_NONE);
		rc = *uo ? 0 : -1;
		goto out;
	}
	/* V = X^T U (rows follow X's columns), S = column norms, V /= S */
	vb = malloc((size_t)(ci * r + 1) * es);
	sb = malloc((size_t)(r + 1) * es);
	double *ss = calloc((size_t)r + 1, sizeof(double)), *gs = calloc((size_t)r + 1, sizeof(double));
	int bad = fl_any(!vb || !sb || !ss || !gs, x->comm, "hsvd");
	if (!bad) {
		if (ci > 0)
			fl_gemm(t, 1, 0, ci, r, m, 1.0, x->data, ci, ub, r, 0.0, vb, r);
		for (int64_t i = 0; i < ci; i++)
			for (int64_t j = 0; j < r; j++)
				ss[j] += elt(t, vb, i * r + j) * elt(t, vb, i * r + j);
		if (dist)
			bad = ha_allreduce(ss, gs, r, MPI_DOUBLE, MPI_SUM, x->comm, "hsvd") ? -1 : 0;
		else
			memcpy(gs, ss, sizeof(double) * (size_t)r);
	} else if (bad > 0)
		ha_error_set(HA_EMEMORY, "hsvd: out of memory");
	if (!bad) {
		for (int64_t j = 0; j < r; j++) {
			gs[j] = sqrt(gs[j]);
			set_elt(t, sb, j, gs[j]);
		}
		for (int64_t i = 0; i < ci; i++)
			for (int64_t j = 0; j < r; j++)
				if (gs[j] > 0)
					set_elt(t, vb, i * r + j, elt(t, vb, i * r + j) / gs[j]);
	}
	free(ss);
	free(gs);
	if (bad)
		goto out;
	/* V as an array: its rows follow X's columns (split 0 when X is split) */
	int64_t n = x->gshape[1], vshape[2] = { n, r }, sshape[1] = { r };
	ha_array *v;
	if (dist) {
		v = ha_array_alloc_lmap(t, 2, vshape, 0, x->lmap, x->device, x->comm);
		if (v)
			memcpy(v->data, vb, (size_t)ha_lnbytes(v));
	} else
		v = fl_from_full(x, t, 2, vshape, vb, x->split == 1 ? 0 : HA_SPLIT_NONE);
	ha_array *u = fl_from_full(x, t, 2, ushape, ub, HA_SPLIT_NONE);
	ha_array *s = compute_sv ? fl_from_full(x, t, 1, sshape, sb, HA_SPLIT_NONE) : NULL;
	if (!v || !u || (compute_sv && !s)) {
		if (v)
			ha_release(v);
		if (u)
			ha_release(u);
		if (s)
			ha_release(s);
		goto out;
	}
	if (transposed) {
		/* X = A^T ~ U S V^T, so A ~ V S U^T */
		*uo = v;
		if (compute_sv)
			*vo = u;
		else
			ha_release(u);
	} else {
		*uo = u;
		if (compute_sv)
			*vo = v;
		else
			ha_release(v);
	}
	if (so)
		*so = s;
	else if (s)
		ha_release(s);
	rc = 0;
out:
	free(ub);
	free(vb);
	free(sb);
	ha_release(x);
	return rc;
}

/* Max local column count of the split-1 view (Heat's A_local_size). */
static int64_t local_cols(const ha_array *a)
{
	if (!ha_is_distributed(a))
		return a->split == 0 ? a->gshape[0] : a->gshape[1];
	int64_t mx = 0;
	for (int j = 0; j < a->comm->size; j++)
		mx = a->lmap[j] > mx ? a->lmap[j] : mx;
	return mx;
}

int ha_hsvd_rank(const ha_array *a, int64_t maxrank, int compute_sv, int64_t maxmergedim,
                 int64_t safetyshift, ha_array **u, ha_array **s, ha_array **v, double *err)
{
	if (a->ndim != 2)
		return ha_error_set(HA_EVALUE, "A needs to be a 2D matrix");
	if (maxrank < 1)
		return ha_error_set(HA_EVALUE, "maxrank must be a positive integer, got %lld", (long long)maxrank);
	if (safetyshift < 0)
		return ha_error_set(HA_EVALUE, "safetyshift must be >= 0, got %lld", (long long)safetyshift);
	if (maxmergedim > 0 && maxmergedim < 2 * (maxrank + safetyshift) + 1)
		return ha_error_set(HA_ERUNTIME,
		                    "maxmergedim=%lld is too small. Please ensure `maxmergedim > 2*(maxrank + "
		                    "safetyshift)`, or set `maxmergedim=None` in order to work with the default value.",
		                    (long long)maxmergedim);
	if (maxmergedim <= 0) {
		int64_t loc = local_cols(a);
		maxmergedim = loc >= 2 * (maxrank + safetyshift) ? loc : 2 * (maxrank + safetyshift) + 1;
	}
	hs_opts o = { maxrank, maxmergedim, safetyshift, 0, -1 };
	return hsvd(a, &o, -1, compute_sv, u, s, v, err);
}

int ha_hsvd_rtol(const ha_array *a, double rtol, int compute_sv, int64_t maxrank,
                 int64_t maxmergedim, int64_t safetyshift, int64_t no_of_merges,
                 ha_array **u, ha_array **s, ha_array **v, double *err)
{
	if (a->ndim != 2)
		return ha_error_set(HA_EVALUE, "A needs to be a 2D matrix");
	if (!(rtol >= 0))
		return ha_error_set(HA_EVALUE, "rtol must be a non-negative number, got %g", rtol);
	if (safetyshift < 0)
		return ha_error_set(HA_EVALUE, "safetyshift must be >= 0, got %lld", (long long)safetyshift);
	int64_t loc = local_cols(a);
	if (maxmergedim > 0 && maxrank <= 0) {
		maxrank = loc / 2 - safetyshift;
		if (maxrank <= 0)
			return ha_error_set(HA_EVALUE, "safetyshift is too large.");
	}
	if (maxmergedim <= 0 && maxrank > 0)
		maxmergedim = loc >= 2 * (maxrank + safetyshift) ? loc : 2 * (maxrank + safetyshift) + 1;
	if (maxmergedim > 0 && maxrank > 0 && maxmergedim < 2 * (maxrank + safetyshift) + 1)
		return ha_error_set(HA_EVALUE,
		                    "maxmergedim=%lld is too small. Please ensure `maxmergedim > 2*(maxrank + "
		                    "safetyshift)`, or set `maxmergedim=None` in order to work with the default value.",
		                    (long long)maxmergedim);
	if (maxmergedim <= 0 && maxrank <= 0) {
		int64_t ncols = a->split == 0 ? a->gshape[0] : a->gshape[1];
		if (no_of_merges <= 0)
			no_of_merges = 2;
		maxmergedim = 2 * (ncols + safetyshift) + 1;
		maxrank = ncols;
	}
	if (no_of_merges > 0 && no_of_merges < 2)
		return ha_error_set(HA_EVALUE, "`no_of_merges` must be >= 2.");
	hs_opts o = { maxrank, maxmergedim, safetyshift, no_of_merges, -1 };
	return hsvd(a, &o, rtol, compute_sv, u, s, v, err);
}
