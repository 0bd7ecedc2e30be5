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
** Per panel of LU_NB columns:
**   - per column j, ONE Allreduce with a user operator carries each rank's
**     best candidate (|value|, global row, the row's panel entries) and
**     returns the winner: the largest magnitude, the LOWEST global row on
**     ties, so the pivot sequence does not depend on the rank count.  Its
**     owner retires the row; every rank eliminates column j from its
**     active rows inside the panel (finding column j+1's candidate on the
**     way).  An exactly zero pivot is seen by every rank at once.
**   - ONE Allgatherv of the panel's pivot rows right of the panel; every
**     rank forms U12 = L11^-1 A12 (trsm, the same on every rank) and
**     updates its active rows A22 -= L21 U12 (one local GEMM).
** Back substitution U x = y, blocks of LU_NB steps from the bottom: ONE
** Allgatherv of the block's rows of [U | y], every rank solves the small
** triangle (trsm) and updates its earlier rows (one local GEMM); each rank
** keeps the part of x its result chunk holds.
**
** Memory per rank: its rows (n/P x (n + k)) and O((n + k) LU_NB) buffers.
** Communication per rank: about n (n/2 + k) elements for the panels' U
** rows, n (LU_NB + k) for the back substitution, n Allreduces of
** LU_NB + 2 words.  det needs nothing after the factorization: every rank
** has seen every pivot (U's diagonal and the row permutation).
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

/* Panel width: wide enough for the trailing GEMM to run near peak, narrow
** enough that the column-by-column panel work (and the per-column
** Allreduce payload) stays small. */
#define LU_NB 64

/* A pivot candidate as it travels in the Allreduce; LU_NB panel entries of
** the row (dtype t) follow the header. */
typedef struct lu_pivot {
	double mag;        /* |value|, NaN counted as +inf; -1: no candidate */
	int64_t row;       /* global row (INT64_MAX: no candidate) */
} lu_pivot;

typedef struct lu {
	ha_dtype t;
	size_t es;
	int64_t n, ld, m;       /* order; columns (n + right-hand sides); local rows */
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

/* Per-dtype loops: the candidate search of one column and the elimination
** of one column inside the panel. */
#define LU_KERNELS(T, S) \
static int64_t colmax_##S(const T *w, int64_t ld, const int64_t *grow, int64_t lo, int64_t m, \
                          int64_t j) \
{ \
	int64_t best = -1, bg = INT64_MAX; \
	double bv = -1; \
	for (int64_t l = lo; l < m; l++) { \
		double v = mag(w[l * ld + j]); \
		if (better(v, grow[l], bv, bg)) { \
			bv = v; \
			bg = grow[l]; \
			best = l; \
		} \
	} \
	return best; \
} \
static int64_t elim_##S(T *w, int64_t ld, const int64_t *grow, int64_t lo, int64_t m, int64_t j, \
                        int64_t e, const T *seg) \
{ \
	const T p = seg[0]; \
	const int64_t len = e - j; \
	int64_t best = -1, bg = INT64_MAX; \
	double bv = -1; \
	for (int64_t l = lo; l < m; l++) { \
		T *r = w + l * ld + j; \
		const T x = r[0] / p; \
		r[0] = x; \
		for (int64_t q = 1; q < len; q++) \
			r[q] -= x * seg[q]; \
		if (len > 1) { \
			double v = mag(r[1]); \
			if (better(v, grow[l], bv, bg)) { \
				bv = v; \
				bg = grow[l]; \
				best = l; \
			} \
		} \
	} \
	return best; \
}
LU_KERNELS(float, s)
LU_KERNELS(double, d)

/* Position of the best candidate in column j among local rows [lo, m). */
static int64_t colmax(const lu *f, int64_t lo, int64_t j)
{
	if (f->t == HA_FLOAT32)
		return colmax_s((const float *)f->w, f->ld, f->grow, lo, f->m, j);
	return colmax_d((const double *)f->w, f->ld, f->grow, lo, f->m, j);
}

/* Eliminate column j from the local rows [lo, m) within the panel columns
** [j, e) with the pivot row's entries seg (from column j); returns the
** best candidate of column j + 1, or -1. */
static int64_t elim(lu *f, int64_t lo, int64_t j, int64_t e, const void *seg)
{
	if (f->t == HA_FLOAT32)
		return elim_s((float *)f->w, f->ld, f->grow, lo, f->m, j, e, seg);
	return elim_d((double *)f->w, f->ld, f->grow, lo, f->m, j, e, seg);
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

/* Allreduce operator: keep the better candidate (a total order, so the
** operator is commutative and the winner is the same on every rank). */
static void pivot_op(void *in, void *inout, int *len, MPI_Datatype *type)
{
	int size;
	MPI_Type_size(*type, &size);
	for (int i = 0; i < *len; i++) {
		const lu_pivot *a = (const lu_pivot *)((const char *)in + (size_t)i * (size_t)size);
		lu_pivot *b = (lu_pivot *)((char *)inout + (size_t)i * (size_t)size);
		if (better(a->mag, a->row, b->mag, b->row))
			memcpy(b, a, (size_t)size);
	}
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
	const size_t rec = sizeof(lu_pivot) + (size_t)LU_NB * es;
	char *mine = calloc(1, rec), *win = calloc(1, rec);
	char *l11 = malloc((size_t)(LU_NB * LU_NB) * es);
	char *sbuf = malloc((size_t)(LU_NB * ld + 1) * es);
	char *gbuf = malloc((size_t)(LU_NB * ld + 1) * es);
	char *u12 = malloc((size_t)(LU_NB * ld + 1) * es);
	char *tmp = malloc((size_t)ld * es + 1);
	int64_t *counts = malloc(sizeof(int64_t) * 3 * (size_t)p);
	int bad = !mine || !win || !l11 || !sbuf || !gbuf || !u12 || !tmp || !counts;
	int rc = agree_alloc(bad, f->c, f->what);
	MPI_Datatype rt = MPI_DATATYPE_NULL;
	MPI_Op op = MPI_OP_NULL;
	if (!rc && (MPI_Type_contiguous((int)rec, MPI_BYTE, &rt) != MPI_SUCCESS ||
	            MPI_Type_commit(&rt) != MPI_SUCCESS || MPI_Op_create(pivot_op, 1, &op) != MPI_SUCCESS))
		rc = ha_error_set(HA_ERUNTIME, "%s: cannot create the pivot reduction", f->what);
	int64_t *displs = counts + p, *rowstart = counts + 2 * p;
	int64_t done = 0;       /* local rows retired so far: positions [0, done) */
	for (int64_t k0 = 0; !rc && k0 < n; k0 += LU_NB) {
		const int64_t w = n - k0 < LU_NB ? n - k0 : LU_NB, e = k0 + w, c2 = ld - e, done0 = done;
		int64_t best = colmax(f, done, k0);
		for (int64_t j = k0; j < e; j++) {
			lu_pivot *h = (lu_pivot *)mine;
			if (best >= 0) {
				h->mag = mag(load(t, ROW(f, best) + (size_t)j * es));
				h->row = f->grow[best];
				memcpy(mine + sizeof *h, ROW(f, best) + (size_t)k0 * es, (size_t)w * es);
			} else {
				h->mag = -1;
				h->row = INT64_MAX;
			}
			if (ha_allreduce(mine, win, 1, rt, op, f->c, f->what)) {
				rc = -1;
				break;
			}
			const lu_pivot *g = (const lu_pivot *)win;
			const char *seg = win + sizeof *g;
			f->piv[j] = g->row;
			f->owner[j] = owner_of(f, g->row);
			f->diag[j] = load(t, seg + (size_t)(j - k0) * es);
			memcpy(l11 + (size_t)((j - k0) * w) * es, seg, (size_t)w * es);
			if (g->mag == 0) {
				f->singular = j;
				break;
			}
			if (f->owner[j] == me) {
				/* our candidate won: retire it to position done */
				if (best != done) {
					size_t rb = (size_t)ld * es;
					memcpy(tmp, ROW(f, done), rb);
					memcpy(ROW(f, done), ROW(f, best), rb);
					memcpy(ROW(f, best), tmp, rb);
					int64_t gg = f->grow[done];
					f->grow[done] = f->grow[best];
					f->grow[best] = gg;
				}
				f->lstep[done++] = j;
			}
			best = elim(f, done, j, e, seg + (size_t)(j - k0) * es);
		}
		if (rc || f->singular >= 0)
			break;
		if (c2 == 0)
			continue;
		/* U12 = L11^-1 A12 from the panel's pivot rows */
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
		gemm_sub(t, m - done, c2, w, ROW(f, done) + (size_t)k0 * es, ld, u12, c2,
		         ROW(f, done) + (size_t)e * es, ld);
	}
	if (op != MPI_OP_NULL)
		MPI_Op_free(&op);
	if (rt != MPI_DATATYPE_NULL)
		MPI_Type_free(&rt);
	free(mine);
	free(win);
	free(l11);
	free(sbuf);
	free(gbuf);
	free(u12);
	free(tmp);
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
	const int64_t rw = LU_NB + k;
	char *sbuf = malloc((size_t)(LU_NB * rw) * es), *gbuf = malloc((size_t)(LU_NB * rw) * es);
	char *ubb = malloc((size_t)(LU_NB * LU_NB) * es), *xb = malloc((size_t)(LU_NB * k + 1) * es);
	int64_t *counts = malloc(sizeof(int64_t) * 3 * (size_t)p);
	int rc = agree_alloc(!sbuf || !gbuf || !ubb || !xb || !counts, f->c, f->what);
	int64_t *displs = counts + p, *rowstart = counts + 2 * p;
	int64_t hi = f->m;      /* local positions are in step order */
	for (int64_t s1 = n, s0; !rc && s1 > 0; s1 = s0) {
		s0 = s1 > LU_NB ? s1 - LU_NB : 0;
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
