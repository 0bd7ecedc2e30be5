/*
** qr_split1.c — reduced QR of a column-distributed (split 1) matrix by
** block Gram-Schmidt over the ranks' column blocks, with the
** reorthogonalisation of BCGS2 (Barlow & Smoktunowicz 2013), so that
** ||Q^T Q - I|| stays at the working precision's eps for any A with
** eps * cond(A) < 1 (block classical Gram-Schmidt alone loses
** orthogonality like eps * cond(block)).
**
** Rank j owns columns C_j (n_j of them) and, of Q, the k_j columns its
** block adds: kstart_j = min(m, first column of C_j), k_j = min(m, last
** column + 1) - kstart_j (a wide matrix is complete after m columns; later
** blocks get R entries only).  Blocks are processed in rank order; at step
** r (only when k_r > 0):
**   1. rank r factors its already projected block, A_r' = Qt S1
**      (Householder), keeping the first k_r columns / rows;
**   2. reorthogonalisation (when earlier blocks exist): Qt is broadcast
**      ("Bcast"), each earlier rank i computes C_i = Q_i^T Qt and
**      Z_i = Q_i C_i, and ONE Allreduce sums [Z; C] on every rank; then
**      every rank that needs Q_r factors Qt - Z = Q_r S2 itself (the same
**      input everywhere, so no second broadcast); rank r adds C S1 to its
**      earlier R rows and keeps R_rr = S2 S1.  Without earlier blocks Q_r
**      = Qt is broadcast to the later ranks instead;
**   3. each later rank j with columns projects once: R_rj = Q_r^T A_j,
**      A_j -= Q_r R_rj (two local GEMMs).
** A reorthogonalised column whose norm fell below sqrt(eps) lay (nearly)
** in the earlier blocks' span, which happens only when A is rank
** deficient (e.g. zero columns: Householder then returns unit vectors that
** may repeat earlier ones).  Such a column carries a zero row of R, so it
** is replaced by a fixed pseudo-random vector and the round repeats (at
** most 4 rounds; repeating is agreed with one 4-byte Allreduce).
**
** Communication ("qr"): per step with earlier blocks one Bcast of m k_r
** and one Allreduce of (m + kstart_r) k_r elements; the first block one
** Bcast of m k_0.  Memory per rank: its block, its Q columns, and two
** m x max(k_r) buffers (plus k x n_j of R).
** Overlap: each step's data depend on the previous one (rank r + 1 needs
** Q_r before it can factor); the later ranks' projections with Q_r run
** while rank r + 1 factors, which is the overlap the dependency allows.
** With mode "r" the last block that no later column needs is factored
** without forming Q and without reorthogonalisation (R is backward
** stable without it).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"

/* Reorthogonalise a block when the loss of orthogonality without it is
** estimated above this many eps (loss_estimate). */
#define REORTH_COND 10.0

int fl_qr_split1(const ha_array *a, int want_q, ha_array **q, ha_array **r, const char *what);

/* Per-block sizes, replicated: first column, column count, first Q column
** and Q column count of every rank. */
typedef struct blocks {
	int64_t *c0, *n, *k0, *k;
} blocks;

/* Column c of x (m x ld) := a fixed pseudo-random vector (the same on
** every rank for the same step, round and column). */
static void col_random(ha_dtype t, void *x, int64_t m, int64_t ld, int64_t c, uint64_t seed)
{
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
	for (int64_t i = 0; i < m; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		double v = (double)(s >> 11) / 9007199254740992.0 - 0.5;
		if (t == HA_FLOAT32)
			((float *)x)[i * ld + c] = (float)v;
		else
			((double *)x)[i * ld + c] = v;
	}
}

/* x := y - x, nel elements */
static void rsub_into(ha_dtype t, void *x, const void *y, int64_t nel)
{
	if (t == HA_FLOAT32) {
		float *a = x;
		const float *b = y;
		for (int64_t i = 0; i < nel; i++)
			a[i] = b[i] - a[i];
	} else {
		double *a = x;
		const double *b = y;
		for (int64_t i = 0; i < nel; i++)
			a[i] = b[i] - a[i];
	}
}

/* 1-norm condition number estimate of the upper triangle of the n x n
** leading block of s (row-major, ld lds); LAPACK trcon. */
static double tri_cond(ha_dtype t, int64_t n, const void *s, int64_t lds)
{
	double rc = 0;
	if (n == 0)
		return 1;
	int old = fl_blis_serial();
	if (t == HA_FLOAT32) {
		float r = 0;
		if (LAPACKE_strcon(LAPACK_ROW_MAJOR, '1', 'U', 'N', (lapack_int)n, (const float *)s,
		                   (lapack_int)lds, &r) == 0)
			rc = r;
	} else if (LAPACKE_dtrcon(LAPACK_ROW_MAJOR, '1', 'U', 'N', (lapack_int)n, (const double *)s,
	                          (lapack_int)lds, &rc) != 0)
		rc = 0;
	fl_blis_restore(old);
	return rc > 0 ? 1 / rc : HUGE_VAL;
}

/* Without reorthogonalisation Qt = A' S^-1 keeps the earlier blocks'
** components of A' (rounding of the projection, ~ eps * |A|), so
** |Qprev^T Qt| ~ eps * |A| * |S^-1|: this returns |A| |S^-1|_1 (the
** estimate's factor of eps), with |S^-1|_1 = cond_1(S) / |S|_1. */
static double loss_estimate(ha_dtype t, int64_t n, const void *s, int64_t lds, double amax)
{
	double s1 = 0;
	for (int64_t j = 0; j < n; j++) {
		double cs = 0;
		for (int64_t i = 0; i <= j; i++)
			cs += fabs(t == HA_FLOAT32 ? ((const float *)s)[i * lds + j]
			                           : ((const double *)s)[i * lds + j]);
		s1 = cs > s1 ? cs : s1;
	}
	if (s1 == 0)
		return HUGE_VAL;
	return amax * tri_cond(t, n, s, lds) / s1;
}

/* Cholesky QR of a well-conditioned m x n x (row-major, ld n) in place:
** S = chol(x^T x) upper (n x n into s), x := x S^-1.  Two BLAS-3 passes
** instead of Householder's four; used only when x is a projected
** orthonormal block (condition ~1).  Returns the potrf info. */
static int chol_qr(ha_dtype t, int64_t m, int64_t n, void *x, void *s)
{
	lapack_int info;
	if (t == HA_FLOAT32) {
		cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)m, 1.0f, x, (int)n, 0.0f,
		            s, (int)n);
		info = LAPACKE_spotrf(LAPACK_ROW_MAJOR, 'U', (lapack_int)n, s, (lapack_int)n);
		if (info == 0)
			cblas_strsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, (int)m,
			            (int)n, 1.0f, s, (int)n, x, (int)n);
	} else {
		cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)m, 1.0, x, (int)n, 0.0, s,
		            (int)n);
		info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'U', (lapack_int)n, s, (lapack_int)n);
		if (info == 0)
			cblas_dtrsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, (int)m,
			            (int)n, 1.0, s, (int)n, x, (int)n);
	}
	if (info == 0) {   /* S's strict lower triangle held x^T x: clear it */
		size_t es = ha_dtype_size(t);
		for (int64_t i = 1; i < n; i++)
			memset((char *)s + (size_t)(i * n) * es, 0, (size_t)i * es);
	}
	return (int)info;
}

/* Frobenius norm of nel elements. */
static double fro(ha_dtype t, const void *x, int64_t nel)
{
	double s = 0;
	if (t == HA_FLOAT32)
		for (int64_t i = 0; i < nel; i++)
			s += (double)((const float *)x)[i] * ((const float *)x)[i];
	else
		for (int64_t i = 0; i < nel; i++)
			s += ((const double *)x)[i] * ((const double *)x)[i];
	return sqrt(s);
}

/* Column norms of an m x n row-major matrix into out[n] (one row pass). */
static void col_norms(ha_dtype t, const void *x, int64_t m, int64_t n, double *out)
{
	for (int64_t j = 0; j < n; j++)
		out[j] = 0;
	for (int64_t i = 0; i < m; i++)
		for (int64_t j = 0; j < n; j++) {
			double v = t == HA_FLOAT32 ? ((const float *)x)[i * n + j] : ((const double *)x)[i * n + j];
			out[j] += v * v;
		}
	for (int64_t j = 0; j < n; j++)
		out[j] = sqrt(out[j]);
}

/* Elements allocated past every GEMM operand: BLIS's small-matrix kernels
** load a few elements beyond the last row of a tiny row-major C (seen by
** valgrind with m x 2 products). */
#define SLACK 16

int fl_qr_split1(const ha_array *a, int want_q, ha_array **q, ha_array **r, const char *what)
{
	ha_dtype t = a->dtype;
	size_t es = ha_dtype_size(t);
	ha_comm *c = a->comm;
	int p = c->size, me = c->rank;
	int64_t m = a->gshape[0], n = a->gshape[1], k = m < n ? m : n;
	double eps = t == HA_FLOAT32 ? 5.96e-8 : 1.11e-16;
	MPI_Datatype mt = ha_mpi_type(t);
	blocks b = { 0 };
	void *w = NULL, *qown = NULL, *y = NULL, *z = NULL, *tau = NULL, *s = NULL, *mm = NULL,
	     *m2 = NULL, *rl = NULL;
	double *nrm = NULL;
	int64_t kmax = 0, nme = a->lshape[1];
	int rc = -1, bad = 0;
	*r = NULL;
	if (q)
		*q = NULL;

	b.c0 = malloc(sizeof(int64_t) * (size_t)p * 4);
	if (b.c0) {
		b.n = b.c0 + p;
		b.k0 = b.n + p;
		b.k = b.k0 + p;
		int64_t col = 0;
		for (int j = 0; j < p; j++) {
			b.c0[j] = col;
			b.n[j] = a->lmap[j];
			b.k0[j] = col < m ? col : m;
			col += b.n[j];
			b.k[j] = (col < m ? col : m) - b.k0[j];
			if (b.k[j] > kmax)
				kmax = b.k[j];
		}
	}
	/* does any rank after j hold columns (and so need Q_j)? */
	int last_cols = -1;
	for (int j = 0; b.c0 && j < p; j++)
		if (b.n[j] > 0)
			last_cols = j;
	int64_t kme = b.c0 ? b.k[me] : 0;
	if (b.c0) {
		w = malloc((size_t)(m * nme + SLACK) * es);
		qown = malloc((size_t)(m * kme + SLACK) * es);
		y = malloc((size_t)(m * kmax + SLACK) * es);
		nrm = malloc(sizeof(double) * (size_t)(kmax + nme + 1));
		z = malloc((size_t)((m + k) * kmax + SLACK) * es);
		tau = malloc((size_t)(kmax + nme + SLACK) * es);
		s = malloc((size_t)(kmax * kmax + SLACK) * es);
		mm = malloc((size_t)(kmax * nme + SLACK) * es);
		m2 = malloc((size_t)(kmax * nme + SLACK) * es);
		rl = calloc((size_t)(k * nme + SLACK), es);
	}
	bad = !b.c0 || !nrm || !w || !qown || !y || !z || !tau || !s || !mm || !m2 || !rl;
	int agreed = fl_any(bad, c, what);
	if (agreed) {
		if (agreed > 0)
			ha_error_set(HA_EMEMORY, "%s: out of memory", what);
		goto done;
	}
	memcpy(w, a->data, (size_t)(m * nme) * es);
	/* the largest column norm of this block before any projection: with
	** it the loss of orthogonality of a block is estimated (below) */
	double amax = 0;
	col_norms(t, w, m, nme, nrm);
	for (int64_t j = 0; j < nme; j++)
		amax = nrm[j] > amax ? nrm[j] : amax;

	for (int st = 0; st < p; st++) {
		int64_t kr = b.k[st], nr = b.n[st], kprev = b.k0[st];
		if (kr == 0)
			continue;
		/* Q_st is needed by later columns (projection, reorthogonalisation
		** of later blocks) or as output */
		int need_q = want_q || st < last_cols;
		if (me == st) {
			/* 1. A_st' = Qt S1 (Householder); keep k_st columns / rows */
			int64_t kk = m < nr ? m : nr;
			bad |= fl_qr_local(t, m, nr, w, tau) != 0;
			fl_extract_r(t, kr, nr, w, mm);
			if (need_q) {
				bad |= fl_form_q(t, m, nr, w, tau, w) != 0;   /* m x kk */
				for (int64_t i = 0; i < m; i++)
					memcpy((char *)y + (size_t)(i * kr) * es, (char *)w + (size_t)(i * kk) * es,
					       (size_t)kr * es);
				/* the flag after Qt: reorthogonalise? */
				double flag = kprev > 0 && loss_estimate(t, kr, mm, nr, amax) > REORTH_COND;
				if (t == HA_FLOAT32)
					((float *)y)[m * kr] = (float)flag;
				else
					((double *)y)[m * kr] = flag;
			}
		}
		if (!need_q) {
			/* mode "r", last block: R_st,st = S1 */
			if (me == st)
				memcpy((char *)rl + (size_t)(kprev * nr) * es, mm, (size_t)(kr * nr) * es);
			continue;
		}
		if ((kprev > 0 || st < last_cols) &&
		    ha_bcast(y, (m * kr + 1) * (int64_t)es, st, c, what))
			goto done;
		int reorth = kprev > 0 && (t == HA_FLOAT32 ? ((float *)y)[m * kr] != 0
		                                           : ((double *)y)[m * kr] != 0);
		/* 2. reorthogonalise Qt against the earlier blocks (held by ranks < st) */
		int computes = me == st || (me > st && nme > 0);
		for (int round = 0; reorth; round++) {
			if (round > 0 && ha_bcast(y, m * kr * (int64_t)es, st, c, what))
				goto done;
			int64_t zn = (m + kprev) * kr;
			memset(z, 0, (size_t)zn * es);
			if (me < st && kme > 0) {
				char *ci = (char *)z + (size_t)((m + b.k0[me]) * kr) * es;
				fl_gemm(t, 1, 0, kme, kr, m, 1.0, qown, kme, y, kr, 0.0, ci, kr);
				fl_gemm(t, 0, 0, m, kr, kme, 1.0, qown, kme, ci, kr, 0.0, z, kr);
			}
			if (ha_allreduce(MPI_IN_PLACE, z, zn, mt, MPI_SUM, c, what))
				goto done;
			int again = 0;
			if (computes) {
				/* z = Qt - Z; columns that lost much of their norm need
				** another round (and Householder), vanished ones a new start */
				double zf = fro(t, z, m * kr);
				rsub_into(t, z, y, m * kr);
				col_norms(t, z, m, kr, nrm);
				for (int64_t j = 0; j < kr; j++) {
					if (nrm[j] < 0.5 && round < 3)
						again = 1;
					if (nrm[j] < sqrt(eps) && round < 3)
						col_random(t, z, m, kr, j,
						           ((uint64_t)st << 40) ^ ((uint64_t)round << 32) ^ (uint64_t)j);
				}
				if (again || zf > 0.1 || chol_qr(t, m, kr, z, s) != 0) {
					bad |= fl_qr_local(t, m, kr, z, tau) != 0;
					fl_extract_r(t, kr, kr, z, s);
					bad |= fl_form_q(t, m, kr, z, tau, z) != 0;
				}
				memcpy(y, z, (size_t)(m * kr) * es);   /* Q_st (or the next Qt) */
			}
			if (me == st) {
				/* A_st = Qprev (Rprev + C S1) + Qt S1 and Qt - Z = Q S2:
				** Rprev += C M, M = S2 M */
				char *cc = (char *)z + (size_t)(m * kr) * es;
				fl_gemm(t, 0, 0, kprev, nr, kr, 1.0, cc, kr, mm, nr, 1.0, rl, nr);
				fl_gemm(t, 0, 0, kr, nr, kr, 1.0, s, kr, mm, nr, 0.0, m2, nr);
				void *tmp = mm;
				mm = m2;
				m2 = tmp;
			}
			int ag = fl_any(again, c, what);
			if (ag < 0)
				goto done;
			if (!ag)
				break;
		}
		if (me == st)
			memcpy((char *)rl + (size_t)(kprev * nr) * es, mm, (size_t)(kr * nr) * es);
		if (me == st)
			memcpy(qown, y, (size_t)(m * kr) * es);
		/* 3. later ranks project their block once */
		if (me > st && nme > 0) {
			char *g = (char *)rl + (size_t)(kprev * nme) * es;
			fl_gemm(t, 1, 0, kr, nme, m, 1.0, y, kr, w, nme, 0.0, g, nme);
			fl_gemm(t, 0, 0, m, nme, kr, -1.0, y, kr, g, nme, 1.0, w, nme);
		}
	}
	if ((agreed = fl_any(bad, c, what)) != 0) {
		if (agreed > 0)
			ha_error_set(HA_EMEMORY, "%s: LAPACK failure", what);
		goto done;
	}
	int64_t rshape[2] = { k, n }, qshape[2] = { m, k };
	*r = ha_array_alloc_lmap(t, 2, rshape, 1, a->lmap, a->device, c);
	if (!*r)
		goto done;
	memcpy((*r)->data, rl, (size_t)(k * nme) * es);
	if (want_q && q) {
		*q = ha_array_alloc_lmap(t, 2, qshape, 1, b.k, a->device, c);
		if (!*q) {
			ha_release(*r);
			*r = NULL;
			goto done;
		}
		memcpy((*q)->data, qown, (size_t)(m * kme) * es);
	}
	rc = 0;
done:
	free(b.c0);
	free(nrm);
	free(w);
	free(qown);
	free(y);
	free(z);
	free(tau);
	free(s);
	free(mm);
	free(m2);
	free(rl);
	return rc;
}
