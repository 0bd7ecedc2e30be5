/*
** lu.c — distributed LU factorization with partial pivoting, and inv, det
** and solve built on it, for a square matrix split over several ranks
** (solve.c sends distributed real 2-D inputs here; replicated ones stay on
** the local LAPACK path).
**
** Layout.  The matrix is held by rows (split 0; a split-1 input is first
** resplit to 0, one Alltoallv).  Rows never move between ranks: a pivot
** row only moves, locally, to the front of its rank's still-active rows.
** So each rank's storage is at every moment its finished rows (rows of U
** in step order, their L multipliers to the left) followed by its active
** rows, and the trailing matrix of a rank is one contiguous block: one
** local GEMM per panel.  Right-hand sides ride along as extra columns
** ([A | b], [A | I] for inv), so the elimination applies L^-1 P to them on
** the way; as b's rows sit with A's rows, the permutation P costs nothing.
** The pivots decide which rank finishes which rows: for a general matrix
** they spread over all ranks and so does the work (a strongly diagonally
** dominant matrix retires rank 0's rows first, like a block-row layout).
**
** Per panel of LU_NB columns (two collectives):
**   - ONE Allgatherv of the panel columns of every active row (tagged with
**     its global row).  Every rank orders them by global row and factors
**     the same tall panel the same way (recursive: column-by-column
**     leaves, trsm + GEMM between halves; BLIS serial so no thread count
**     can change a rounding).  Pivot: largest magnitude, the LOWEST global
**     row on ties, so the pivot sequence depends on the data only, not on
**     the rank count.  An exactly zero pivot is seen by every rank at once.
**     Each rank copies its rows' L entries back and retires its pivot rows.
**   - ONE Allgatherv of the panel's pivot rows right of the panel; every
**     rank forms U12 = L11^-1 A12 (trsm, the same on every rank) and
**     updates its active rows, A22 -= L21 U12 (one local GEMM).
** Gathering the panel instead of agreeing on each pivot with its own
** Allreduce trades n small synchronisations for 2n / LU_NB larger ones.
** Back substitution U x = y, blocks of LU_NB steps from the bottom: ONE
** Allgatherv of the block's rows of [U | y], every rank solves the small
** triangle (trsm) and updates its earlier rows (one local GEMM); each rank
** keeps the part of x its result chunk holds.
**
** Memory per rank: its rows (n/P x (n + k)) and O((n + k) LU_NB) buffers.
** Communication per rank: about n^2/2 elements for the panels, n (n/2 + k)
** for the panels' U rows, n (LU_NB + k) for the back substitution, in
** 2n / LU_NB + n / LU_NB Allgathervs.  det needs nothing after the
** factorization: every rank has seen every pivot (U's diagonal and the
** row permutation).
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"
#include "lu.h"
#include <omp.h>

/* From blis.h, which cannot be included together with lapacke.h. */
void bli_thread_set_num_threads(int64_t value);

/* Panel width: each panel costs two collectives (and the back substitution
** one per block), so wider panels mean fewer synchronisations and a GEMM
** nearer peak; the price is the redundant panel factorization (about
** n^2 LU_NB / 4 multiply-adds per rank in all). */
#define LU_NB 128
/* Panel columns factored column by column; wider panels recurse. */
#define LU_LEAF 16

typedef struct lu {
	ha_dtype t;
	size_t es;
	int64_t n, ld, m;       /* order; columns (n + right-hand sides); local rows */
	int64_t nb;             /* panel width */
	char *w;                /* m x ld, row-major: A's rows, then the right-hand sides */
	int64_t *grow;          /* global row at each local position */
	int64_t *lstep;         /* step at which each local position became a pivot */
	int64_t *rowoff;        /* P + 1: first global row of each rank */
	int *owner;             /* n: rank holding step j's pivot row (replicated) */
	int64_t *piv;           /* n: global row of step j's pivot (replicated) */
	double *diag;           /* n: U's diagonal (replicated) */
	int64_t singular;       /* first step with an exactly zero pivot, or -1 */
	ha_comm *c;
	const char *what;
} lu;

#define ROW(f, l) ((f)->w + (size_t)((l) * (f)->ld) * (f)->es)

static inline double mag(double x)
{
	double v = fabs(x);
	return v != v ? INFINITY : v;
}

/* Candidate (v, g) beats (bv, bg): larger magnitude, or lower global row. */
static inline int better(double v, int64_t g, double bv, int64_t bg)
{
	return v > bv || (v == bv && g < bg);
}

static double load(ha_dtype t, const void *p)
{
	return t == HA_FLOAT32 ? *(const float *)p : *(const double *)p;
}

/* The leaf of the panel factorization, per dtype: columns [c0, c0 + w) of
** the column-major panel P (na rows, ld na), rows from c0 down, one column
** at a time.  The pivot of column j is the row of largest magnitude among
** rows j.., the lowest global row (gi) on ties; rows are swapped across
** the whole panel width wf (the L entries to the left move with them).
** Returns the panel column of the first exactly zero pivot, or -1. */
#define LU_LEAF_FN(T, S) \
static int64_t leaf_##S(T *P, int64_t na, int64_t c0, int64_t w, int64_t wf, int64_t *gi) \
{ \
	for (int64_t j = c0; j < c0 + w; j++) { \
		T *cj = P + j * na; \
		int64_t best = j; \
		double bv = mag(cj[j]); \
		for (int64_t i = j + 1; i < na; i++) { \
			double v = mag(cj[i]); \
			if (better(v, gi[i], bv, gi[best])) { \
				bv = v; \
				best = i; \
			} \
		} \
		if (bv == 0) \
			return j; \
		if (best != j) { \
			for (int64_t c = 0; c < wf; c++) { \
				T x = P[c * na + j]; \
				P[c * na + j] = P[c * na + best]; \
				P[c * na + best] = x; \
			} \
			int64_t g = gi[j]; \
			gi[j] = gi[best]; \
			gi[best] = g; \
		} \
		const T p = cj[j]; \
		for (int64_t i = j + 1; i < na; i++) \
			cj[i] /= p; \
		for (int64_t c = j + 1; c < c0 + w; c++) { \
			T *cc = P + c * na; \
			const T u = cc[j]; \
			for (int64_t i = j + 1; i < na; i++) \
				cc[i] -= cj[i] * u; \
		} \
	} \
	return -1; \
}
LU_LEAF_FN(float, s)
LU_LEAF_FN(double, d)

/* The right half of a panel step, per dtype: columns [c1, c1 + w2) get
** their U rows (trsm against the unit lower triangle of the left half's
** w1 columns from c0) and the rows below c1 their update (GEMM). */
#define LU_UPDATE_FN(T, S) \
static void update_##S(T *A, int64_t na, int64_t c0, int64_t w1, int64_t w2) \
{ \
	const int64_t c1 = c0 + w1; \
	int ln = (int)na, r2 = (int)(na - c1); \
	cblas_##S##trsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasUnit, (int)w1, (int)w2, \
	                (T)1, A + c0 + c0 * na, ln, A + c0 + c1 * na, ln); \
	if (r2 > 0) \
		cblas_##S##gemm(CblasColMajor, CblasNoTrans, CblasNoTrans, r2, (int)w2, (int)w1, (T)-1, \
		                A + c1 + c0 * na, ln, A + c0 + c1 * na, ln, (T)1, A + c1 + c1 * na, ln); \
}
LU_UPDATE_FN(float, s)
LU_UPDATE_FN(double, d)

/* Factor columns [c0, c0 + w) of the column-major panel P (na x wf, rows
** from c0 down) with partial pivoting, recursively: the left half, then
** the right half's U rows (trsm) and its update (GEMM), then the right
** half.  Returns the panel column of the first zero pivot, or -1. */
static int64_t panel_factor(ha_dtype t, void *P, int64_t na, int64_t c0, int64_t w, int64_t wf,
                            int64_t *gi)
{
	if (w <= LU_LEAF)
		return t == HA_FLOAT32 ? leaf_s(P, na, c0, w, wf, gi) : leaf_d(P, na, c0, w, wf, gi);
	const int64_t w1 = w / 2, w2 = w - w1, c1 = c0 + w1;
	int64_t z = panel_factor(t, P, na, c0, w1, wf, gi);
	if (z >= 0)
		return z;
	if (t == HA_FLOAT32)
		update_s(P, na, c0, w1, w2);
	else
		update_d(P, na, c0, w1, w2);
	return panel_factor(t, P, na, c1, w2, wf, gi);
}

/* One element of size es (4 or 8: a fixed-size copy the compiler inlines). */
static inline void put(size_t es, void *dst, const void *src)
{
	if (es == 4)
		memcpy(dst, src, 4);
	else
		memcpy(dst, src, 8);
}

/* C (m x n) -= A (m x k) B (k x n), row-major: BLIS with this rank's
** OpenMP thread count (as hk_cpu_gemm does), unless the user fixed
** BLIS_NUM_THREADS.  A subtraction, not an addition of negated factors,
** so that exact cancellations give +0 like LAPACK. */
static void gemm_sub(ha_dtype t, int64_t m, int64_t n, int64_t k, const void *a, int64_t lda,
                     const void *b, int64_t ldb, void *c, int64_t ldc)
{
	static int from_env = -1;
	if (m <= 0 || n <= 0 || k <= 0)
		return;
	if (from_env < 0)
		from_env = getenv("BLIS_NUM_THREADS") != NULL;
	if (!from_env)
		bli_thread_set_num_threads(omp_get_max_threads());
	fl_gemm(t, 0, 0, m, n, k, -1.0, a, lda, b, ldb, 1.0, c, ldc);
}

/* B (rows x cols, ld cols) := T^-1 B for the rows x rows triangle T (ld
** rows): lower with unit diagonal, or upper. */
static void trsm(ha_dtype t, int lower, int64_t rows, int64_t cols, const void *tri, void *b)
{
	if (rows == 0 || cols == 0)
		return;
	enum CBLAS_UPLO ul = lower ? CblasLower : CblasUpper;
	enum CBLAS_DIAG dg = lower ? CblasUnit : CblasNonUnit;
	if (t == HA_FLOAT32)
		cblas_strsm(CblasRowMajor, CblasLeft, ul, CblasNoTrans, dg, (int)rows, (int)cols, 1.0f, tri,
		            (int)rows, b, (int)cols);
	else
		cblas_dtrsm(CblasRowMajor, CblasLeft, ul, CblasNoTrans, dg, (int)rows, (int)cols, 1.0, tri,
		            (int)rows, b, (int)cols);
}

/* The rank whose rows hold global row g (ranks without rows are skipped). */
static int owner_of(const lu *f, int64_t g)
{
	int lo = 0, hi = f->c->size;
	while (hi - lo > 1) {
		int mid = (lo + hi) / 2;
		if (f->rowoff[mid] <= g)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void lu_free(lu *f)
{
	free(f->w);
	free(f->grow);
	free(f->lstep);
	free(f->rowoff);
	free(f->owner);
	free(f->piv);
	free(f->diag);
}

/* Agree on a local allocation failure (MemoryError on every rank). */
static int agree_alloc(int bad, ha_comm *c, const char *what)
{
	int any = fl_any(bad, c, what);
	if (any > 0)
		ha_error_set(HA_EMEMORY, "%s: out of memory", what);
	return any ? -1 : 0;
}

/* Set f up for the square float matrix a (distributed) with k right-hand-
** side columns, which the caller fills in.  *rows receives a's split-0
** form (a new reference, whose row map f uses). */
static int lu_init(lu *f, const ha_array *a, int64_t k, const char *what, ha_array **rows)
{
	memset(f, 0, sizeof *f);
	f->singular = -1;
	ha_array *r = a->split == 0 ? ha_retain((ha_array *)a) : ha_resplit(a, 0);
	if (!(*rows = r))
		return -1;
	int p = a->comm->size;
	f->t = a->dtype;
	f->es = ha_dtype_size(f->t);
	f->n = a->gshape[0];
	f->ld = f->n + k;
	f->nb = LU_NB;
	f->m = r->lshape[0];
	f->c = a->comm;
	f->what = what;
	f->w = malloc((size_t)(f->m * f->ld + 1) * f->es);
	f->grow = malloc(sizeof(int64_t) * (size_t)(f->m + 1));
	f->lstep = malloc(sizeof(int64_t) * (size_t)(f->m + 1));
	f->rowoff = malloc(sizeof(int64_t) * (size_t)(p + 1));
	f->owner = malloc(sizeof(int) * (size_t)(f->n + 1));
	f->piv = malloc(sizeof(int64_t) * (size_t)(f->n + 1));
	f->diag = malloc(sizeof(double) * (size_t)(f->n + 1));
	int bad = !f->w || !f->grow || !f->lstep || !f->rowoff || !f->owner || !f->piv || !f->diag;
	if (agree_alloc(bad, f->c, what))
		return -1;
	f->rowoff[0] = 0;
	for (int j = 0; j < p; j++)
		f->rowoff[j + 1] = f->rowoff[j] + r->lmap[j];
	for (int64_t l = 0; l < f->m; l++) {
		f->grow[l] = r->loffset + l;
		memcpy(ROW(f, l), (const char *)r->data + (size_t)(l * f->n) * f->es, (size_t)f->n * f->es);
	}
	return 0;
}

/* Byte counts and displacements of an Allgatherv in which each rank sends
** its rows among steps [s0, s1) (rowbytes each).  rowstart[r] gets the
** first received row of rank r. */
static void step_counts(const lu *f, int64_t s0, int64_t s1, int64_t rowbytes, int64_t *counts,
                        int64_t *displs, int64_t *rowstart)
{
	int p = f->c->size;
	for (int r = 0; r < p; r++)
		counts[r] = 0;
	for (int64_t j = s0; j < s1; j++)
		counts[f->owner[j]]++;
	int64_t at = 0;
	for (int r = 0; r < p; r++) {
		rowstart[r] = at;
		displs[r] = at * rowbytes;
		at += counts[r];
		counts[r] *= rowbytes;
	}
}

/* Factor f's first n columns in place (the right-hand-side columns follow
** the row operations).  Stops at the first exactly zero pivot (f->singular,
** the same on every rank).  Returns 0, or -1 with the error set. */
static int lu_factor(lu *f)
{
	const ha_dtype t = f->t;
	const size_t es = f->es;
	const int64_t n = f->n, ld = f->ld, m = f->m;
	const int p = f->c->size, me = f->c->rank;
	const int64_t off = f->rowoff[me];
	const size_t rec = sizeof(int64_t) + (size_t)f->nb * es;     /* global row + panel entries */
	const size_t ublk = (size_t)(f->nb * ld) * es;
	char *sbuf = malloc(((size_t)m * rec > ublk ? (size_t)m * rec : ublk) + 1);
	char *gbuf = malloc(((size_t)n * rec > ublk ? (size_t)n * rec : ublk) + 1);
	char *pan = malloc((size_t)(n * f->nb) * es + 1);
	char *u12 = malloc(ublk + 1), *l11 = malloc((size_t)(f->nb * f->nb) * es);
	char *tmp = malloc((size_t)ld * es + 1);
	int64_t *gi = malloc(sizeof(int64_t) * (size_t)(n + 1));
	int64_t *slot = malloc(sizeof(int64_t) * (size_t)(n + 1));
	int64_t *lpos = malloc(sizeof(int64_t) * (size_t)(m + 1));
	int64_t *counts = malloc(sizeof(int64_t) * 4 * (size_t)p);
	int bad = !sbuf || !gbuf || !pan || !u12 || !l11 || !tmp || !gi || !slot || !lpos || !counts;
	int rc = agree_alloc(bad, f->c, f->what);
	int64_t *displs = counts + p, *rowstart = counts + 2 * p, *act = counts + 3 * p;
	if (!rc) {
		for (int64_t g = 0; g < n; g++)
			slot[g] = -1;
		for (int64_t l = 0; l < m; l++)
			lpos[l] = l;          /* local position of local row g - off */
		for (int r = 0; r < p; r++)
			act[r] = f->rowoff[r + 1] - f->rowoff[r];
	}
	int64_t done = 0;       /* local rows retired so far: positions [0, done) */
	for (int64_t k0 = 0; !rc && k0 < n; k0 += f->nb) {
		const int64_t w = n - k0 < f->nb ? n - k0 : f->nb, e = k0 + w, c2 = ld - e, na = n - k0;
		const int64_t done0 = done;
		const size_t rb = sizeof(int64_t) + (size_t)w * es;
		/* the panel columns of every active row, tagged with its global row */
		for (int64_t q = done; q < m; q++) {
			char *s = sbuf + (size_t)(q - done) * rb;
			memcpy(s, &f->grow[q], sizeof(int64_t));
			memcpy(s + sizeof(int64_t), ROW(f, q) + (size_t)k0 * es, (size_t)w * es);
		}
		for (int64_t at = 0, r = 0; r < p; r++) {
			counts[r] = act[r] * (int64_t)rb;
			displs[r] = at;
			at += counts[r];
		}
		if (ha_allgather_bytes(sbuf, (m - done) * (int64_t)rb, gbuf, counts, displs, f->c, f->what)) {
			rc = -1;
			break;
		}
		/* ... in global row order (so that no rank count shows in it), column-major */
		for (int64_t i = 0; i < na; i++) {
			int64_t g;
			memcpy(&g, gbuf + (size_t)i * rb, sizeof g);
			slot[g] = i;
		}
		for (int64_t g = 0, i = 0; g < n; g++) {
			if (slot[g] < 0)
				continue;
			const char *s = gbuf + (size_t)slot[g] * rb + sizeof(int64_t);
			for (int64_t c = 0; c < w; c++)
				put(es, pan + (size_t)(i + c * na) * es, s + (size_t)c * es);
			gi[i++] = g;
			slot[g] = -1;
		}
		/* every rank factors the same panel the same way (BLIS serial, so
		** the thread count cannot change a rounding) */
		int old = fl_blis_serial();
		int64_t z = panel_factor(t, pan, na, 0, w, w, gi);
		fl_blis_restore(old);
		if (z >= 0) {
			f->singular = k0 + z;
			break;
		}
		for (int64_t i = 0; i < w; i++) {
			f->piv[k0 + i] = gi[i];
			f->owner[k0 + i] = owner_of(f, gi[i]);
			act[f->owner[k0 + i]]--;
			f->diag[k0 + i] = load(t, pan + (size_t)(i + i * na) * es);
			for (int64_t c = 0; c < i; c++)
				put(es, l11 + (size_t)(i * w + c) * es, pan + (size_t)(i + c * na) * es);
		}
		/* our rows take their factored panel entries back; our pivot rows
		** retire to the front, in step order */
		for (int64_t i = 0; i < na; i++) {
			if (gi[i] < off || gi[i] >= off + m)
				continue;
			char *d = ROW(f, lpos[gi[i] - off]) + (size_t)k0 * es;
			for (int64_t c = 0; c < w; c++)
				put(es, d + (size_t)c * es, pan + (size_t)(i + c * na) * es);
		}
		for (int64_t i = 0; i < w; i++) {
			if (f->owner[k0 + i] != me)
				continue;
			int64_t q = lpos[gi[i] - off];
			if (q != done) {
				size_t bytes = (size_t)ld * es;
				memcpy(tmp, ROW(f, done), bytes);
				memcpy(ROW(f, done), ROW(f, q), bytes);
				memcpy(ROW(f, q), tmp, bytes);
				int64_t gd = f->grow[done];
				f->grow[done] = f->grow[q];
				f->grow[q] = gd;
				lpos[gd - off] = q;
				lpos[gi[i] - off] = done;
			}
			f->lstep[done++] = k0 + i;
		}
		if (c2 == 0)
			continue;
		/* U12 = L11^-1 A12 from the panel's pivot rows right of the panel */
		step_counts(f, k0, e, c2 * (int64_t)es, counts, displs, rowstart);
		for (int64_t q = done0; q < done; q++)
			memcpy(sbuf + (size_t)((q - done0) * c2) * es, ROW(f, q) + (size_t)e * es, (size_t)c2 * es);
		if (ha_allgather_bytes(sbuf, (done - done0) * c2 * (int64_t)es, gbuf, counts, displs, f->c,
		                       f->what)) {
			rc = -1;
			break;
		}
		for (int64_t i = 0; i < w; i++)
			memcpy(u12 + (size_t)(i * c2) * es, gbuf + (size_t)(rowstart[f->owner[k0 + i]]++ * c2) * es,
			       (size_t)c2 * es);
		trsm(t, 1, w, c2, l11, u12);
		for (int64_t i = 0, q = done0; i < w; i++)
			if (f->owner[k0 + i] == me)
				memcpy(ROW(f, q++) + (size_t)e * es, u12 + (size_t)(i * c2) * es, (size_t)c2 * es);
		/* the trailing update of our active rows: one GEMM */
		gemm_sub(t, m - done, c2, w, ROW(f, done) + (size_t)k0 * es, ld, u12, c2,
		         ROW(f, done) + (size_t)e * es, ld);
	}
	free(sbuf);
	free(gbuf);
	free(pan);
	free(u12);
	free(l11);
	free(tmp);
	free(gi);
	free(slot);
	free(lpos);
	free(counts);
	return rc;
}

/* Copy rows [s0, s0 + bw) of the solution (xb, bw x k) into x's chunk. */
static void store_rows(ha_array *x, int64_t s0, int64_t bw, const char *xb, int64_t k, size_t es)
{
	char *d = x->data;
	if (x->split == 1) {
		int64_t lc = x->lshape[1], co = x->loffset;
		for (int64_t i = 0; i < bw && lc > 0; i++)
			memcpy(d + (size_t)((s0 + i) * lc) * es, xb + (size_t)(i * k + co) * es, (size_t)lc * es);
		return;
	}
	int64_t lo = x->split == 0 ? x->loffset : 0, cnt = x->split == 0 ? x->lshape[0] : x->gshape[0];
	int64_t a = s0 > lo ? s0 : lo, b = s0 + bw < lo + cnt ? s0 + bw : lo + cnt;
	if (a < b)
		memcpy(d + (size_t)((a - lo) * k) * es, xb + (size_t)((a - s0) * k) * es,
		       (size_t)((b - a) * k) * es);
}

/* Solve U x = y (y: the right-hand-side columns after lu_factor) into x,
** an allocated result of n rows and k = ld - n columns (any split). */
static int lu_backsolve(lu *f, ha_array *x)
{
	const ha_dtype t = f->t;
	const size_t es = f->es;
	const int64_t n = f->n, ld = f->ld, k = ld - n;
	const int p = f->c->size;
	const int64_t rw = f->nb + k;
	char *sbuf = malloc((size_t)(f->nb * rw) * es), *gbuf = malloc((size_t)(f->nb * rw) * es);
	char *ubb = malloc((size_t)(f->nb * f->nb) * es), *xb = malloc((size_t)(f->nb * k + 1) * es);
	int64_t *counts = malloc(sizeof(int64_t) * 3 * (size_t)p);
	int rc = agree_alloc(!sbuf || !gbuf || !ubb || !xb || !counts, f->c, f->what);
	int64_t *displs = counts + p, *rowstart = counts + 2 * p;
	int64_t hi = f->m;      /* local positions are in step order */
	for (int64_t s1 = n, s0; !rc && s1 > 0; s1 = s0) {
		s0 = s1 > f->nb ? s1 - f->nb : 0;
		const int64_t bw = s1 - s0, rwb = bw + k;
		int64_t lo = hi;
		while (lo > 0 && f->lstep[lo - 1] >= s0)
			lo--;
		for (int64_t q = lo; q < hi; q++) {
			char *s = sbuf + (size_t)((q - lo) * rwb) * es;
			memcpy(s, ROW(f, q) + (size_t)s0 * es, (size_t)bw * es);
			memcpy(s + (size_t)bw * es, ROW(f, q) + (size_t)n * es, (size_t)k * es);
		}
		step_counts(f, s0, s1, rwb * (int64_t)es, counts, displs, rowstart);
		if (ha_allgather_bytes(sbuf, (hi - lo) * rwb * (int64_t)es, gbuf, counts, displs, f->c,
		                       f->what)) {
			rc = -1;
			break;
		}
		for (int64_t i = 0; i < bw; i++) {
			const char *s = gbuf + (size_t)(rowstart[f->owner[s0 + i]]++ * rwb) * es;
			memcpy(ubb + (size_t)(i * bw) * es, s, (size_t)bw * es);
			memcpy(xb + (size_t)(i * k) * es, s + (size_t)bw * es, (size_t)k * es);
		}
		trsm(t, 0, bw, k, ubb, xb);
		store_rows(x, s0, bw, xb, k, es);
		gemm_sub(t, lo, k, bw, ROW(f, 0) + (size_t)s0 * es, ld, xb, k, ROW(f, 0) + (size_t)n * es, ld);
		hi = lo;
	}
	free(sbuf);
	free(gbuf);
	free(ubb);
	free(xb);
	free(counts);
	return rc;
}

/* Square float input, or NULL with the error set. */
static ha_array *square_input(const ha_array *a0, const char *fn)
{
	ha_array *a = fl_input(a0, fn, 0);
	if (a && fl_require_square(a)) {
		ha_release(a);
		return NULL;
	}
	return a;
}

static int singular_error(void)
{
	return ha_error_set(HA_ELINALG, "Singular matrix");
}

ha_array *fl_lu_det(const ha_array *a0)
{
	ha_array *a = square_input(a0, "det");
	if (!a)
		return NULL;
	ha_array *rows = NULL, *r = NULL;
	lu f;
	if (lu_init(&f, a, 0, "det", &rows) == 0 && lu_factor(&f) == 0) {
		double det = 0;
		if (f.singular < 0) {
			/* product of the pivots in step order, scaled so that no
			** partial product overflows; the sign of the row permutation
			** from its cycles (a cycle of even length is odd) */
			double mant = 1;
			int64_t ex = 0;
			for (int64_t j = 0; j < f.n; j++) {
				int e;
				mant = frexp(mant * f.diag[j], &e);
				ex += e;
			}
			char *seen = calloc((size_t)f.n + 1, 1);
			if (seen) {
				for (int64_t j = 0; j < f.n; j++) {
					int64_t len = 0;
					for (int64_t q = j; !seen[q]; q = f.piv[q], len++)
						seen[q] = 1;
					if (len > 0 && len % 2 == 0)
						mant = -mant;
				}
				free(seen);
			}
			if (ex > 100000)
				ex = 100000;
			if (ex < -100000)
				ex = -100000;
			det = ldexp(mant, (int)ex);
			if (agree_alloc(!seen, f.c, "det"))
				goto out;
		}
		char v[16];
		ha_scalar_store(ha_scalar_float(det), a->dtype, v);
		r = fl_from_full(a, a->dtype, 0, NULL, v, HA_SPLIT_NONE);
	}
out:
	lu_free(&f);
	if (rows)
		ha_release(rows);
	ha_release(a);
	return r;
}

ha_array *fl_lu_inv(const ha_array *a0)
{
	ha_array *a = square_input(a0, "inv");
	if (!a)
		return NULL;
	ha_array *rows = NULL, *x = NULL;
	const int64_t n = a->gshape[0];
	lu f;
	if (lu_init(&f, a, n, "inv", &rows) == 0) {
		/* [A | I]: local row l carries row grow[l] of the identity */
		for (int64_t l = 0; l < f.m; l++) {
			char *y = ROW(&f, l) + (size_t)n * f.es;
			memset(y, 0, (size_t)n * f.es);
			ha_scalar_store(ha_scalar_float(1.0), f.t, y + (size_t)f.grow[l] * f.es);
		}
		if (lu_factor(&f) == 0) {
			if (f.singular >= 0)
				singular_error();
			else if ((x = ha_array_alloc(f.t, 2, a->gshape, a->split, a->device, a->comm)) &&
			         lu_backsolve(&f, x)) {
				ha_release(x);
				x = NULL;
			}
		}
	}
	lu_free(&f);
	if (rows)
		ha_release(rows);
	ha_release(a);
	return x;
}

/* b's rows on the row map of rows (split 0): a new reference to a split-0
** array with that map, or NULL when b is replicated (*src then points at
** the rows in b's data). */
static int align_rhs(const ha_array *rows, const ha_array *b, ha_array **out, const void **src)
{
	*out = NULL;
	int64_t k = b->ndim == 2 ? b->gshape[1] : 1;
	if (!ha_is_distributed(b)) {
		*src = (const char *)b->data + (size_t)(rows->loffset * k) * ha_dtype_size(b->dtype);
		return 0;
	}
	ha_array *b0 = b->split == 0 ? ha_retain((ha_array *)b) : ha_resplit(b, 0);
	if (!b0)
		return -1;
	int same = 1;
	for (int j = 0; j < rows->comm->size; j++)
		same = same && b0->lmap[j] == rows->lmap[j];
	if (!same) {
		ha_array *r = ha_redistribute(b0, rows->lmap);
		ha_release(b0);
		if (!(b0 = r))
			return -1;
	}
	*out = b0;
	*src = b0->data;
	return 0;
}

ha_array *fl_lu_solve(const ha_array *a0, const ha_array *b0)
{
	ha_array *a1 = square_input(a0, "solve");
	if (!a1)
		return NULL;
	ha_array *b1 = fl_input(b0, "solve", 1);
	if (!b1) {
		ha_release(a1);
		return NULL;
	}
	ha_dtype t = ha_promote_types(a1->dtype, b1->dtype);
	const int64_t n = a1->gshape[0], k = b1->ndim == 2 ? b1->gshape[1] : 1;
	ha_array *a = NULL, *b = NULL, *rows = NULL, *bl = NULL, *x = NULL;
	lu f;
	memset(&f, 0, sizeof f);
	if (b1->gshape[0] != n) {
		ha_error_set(HA_EVALUE, "solve: a is %lld x %lld but b has %lld rows", (long long)n,
		             (long long)n, (long long)b1->gshape[0]);
		goto out;
	}
	a = a1->dtype == t ? ha_retain(a1) : ha_astype(a1, t);
	b = b1->dtype == t ? ha_retain(b1) : ha_astype(b1, t);
	if (!a || !b)
		goto out;
	if (k == 0 || n == 0) {
		/* nothing to solve for (LAPACK is not called either) */
		x = ha_zeros(t, b->ndim, b->gshape, b->split, b->device, b->comm);
		goto out;
	}
	const void *src;
	if (lu_init(&f, a, k, "solve", &rows) || align_rhs(rows, b, &bl, &src))
		goto out;
	for (int64_t l = 0; l < f.m; l++)
		memcpy(ROW(&f, l) + (size_t)n * f.es, (const char *)src + (size_t)(l * k) * f.es,
		       (size_t)k * f.es);
	if (lu_factor(&f))
		goto out;
	if (f.singular >= 0) {
		singular_error();
		goto out;
	}
	if ((x = ha_array_alloc(t, b->ndim, b->gshape, b->split, b->device, b->comm)) &&
	    lu_backsolve(&f, x)) {
		ha_release(x);
		x = NULL;
	}
out:
	lu_free(&f);
	ha_array *rel[] = { a, b, rows, bl, a1, b1 };
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++)
		if (rel[i])
			ha_release(rel[i]);
	return x;
}
