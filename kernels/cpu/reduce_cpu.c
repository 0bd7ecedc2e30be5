/*
** reduce_cpu.c — local reductions, arg-reductions, moments and scans on
** the CPU.  Every kernel reduces the middle axis of an [outer][n][inner]
** C-contiguous block; the runtime brings any axis set into that form.
**
** Accuracy: float sums are pairwise along a contiguous axis (NumPy's
** scheme, blocks of 8 partial sums below 128 elements) and blocked by 128
** rows along a strided axis, so the error grows like log n, not n.
** Parallelism: OpenMP over output slots; for few slices along a strided
** axis over bands of rows (per-thread partials, merged in thread order:
** every thread streams whole rows) or, with few rows, over columns; for
** one long contiguous reduction over per-thread partials joined in thread
** order.  Tiny inputs never start a parallel region.
*/
#include <stdlib.h>
#include <string.h>
#include <complex.h>
#include <math.h>
#include <omp.h>
#include "reduce_cpu.h"

#define PAR_MIN 32768      /* elements below which one thread is faster */
#define JCH 256            /* columns per work item of a strided scan/moment */
#define JW 2048            /* columns per pass of a strided reduction */
#define ROWBLK 128         /* rows per partial along a strided axis */
#define MAXPART 256        /* per-thread partials of one long reduction */

static int threads_for(int64_t work)
{
	if (work < PAR_MIN || omp_in_parallel())
		return 1;
	int n = omp_get_max_threads();
	return n > MAXPART ? MAXPART : n;
}

int hk_reduce_acc(int op, int t)
{
	switch (op) {
	case HK_RSUM: case HK_RPROD:
		return t <= HK_INT64 ? HK_INT64 : t;
	case HK_RALL: case HK_RANY:
		return HK_BOOL;
	case HK_RCOUNT:
		return HK_INT64;
	default:
		return t;
	}
}

static inline int hk_isnanf_(float v) { return v != v; }
static inline int hk_isnand_(double v) { return v != v; }
static inline int hk_isnan0_(int64_t v) { (void)v; return 0; }
#define ISNAN(v) _Generic((v), float: hk_isnanf_, double: hk_isnand_, default: hk_isnan0_)(v)

/* ---- pairwise sums along a contiguous axis ---- */
#define GEN_PAIRWISE(SUF, T, A) \
static A pw_##SUF(const T *x, int64_t n) \
{ \
	if (n < 8) { \
		A r = 0; \
		for (int64_t i = 0; i < n; i++) \
			r += (A)x[i]; \
		return r; \
	} \
	if (n <= 128) { \
		A r[8]; \
		for (int k = 0; k < 8; k++) \
			r[k] = (A)x[k]; \
		int64_t i = 8; \
		for (; i + 8 <= n; i += 8) \
			for (int k = 0; k < 8; k++) \
				r[k] += (A)x[i + k]; \
		A s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])); \
		for (; i < n; i++) \
			s += (A)x[i]; \
		return s; \
	} \
	int64_t h = n / 2; \
	h -= h % 8; \
	return pw_##SUF(x, h) + pw_##SUF(x + h, n - h); \
}
GEN_PAIRWISE(f32, float, float)
GEN_PAIRWISE(f64, double, double)
GEN_PAIRWISE(c64, float _Complex, float _Complex)
GEN_PAIRWISE(c128, double _Complex, double _Complex)
GEN_PAIRWISE(f32d, float, double)     /* moments accumulate in double */
GEN_PAIRWISE(f64d, double, double)

/* ---- the generic reduction: CONTIG reduces one contiguous run;
** STEP folds one element, MERGE two partial results ---- */
#define GEN_REDUCE(NAME, SUF, T, A, NEUTRAL, STEP, MERGE, CONTIG) \
/* r[j] = reduction over rows i < n of x[i * ld + j], j < m.  Rows are \
** read as contiguous runs of up to JW columns (streaming, prefetch- \
** friendly), accumulated in blocks of ROWBLK rows that are merged into r. */ \
static void NAME##_rows_##SUF(const T *x, A *r, int64_t n, int64_t m, int64_t ld) \
{ \
	A part[JW]; \
	for (int64_t j0 = 0; j0 < m; j0 += JW) { \
		int64_t w = m - j0 < JW ? m - j0 : JW; \
		A *rr = r + j0; \
		for (int64_t j = 0; j < w; j++) \
			rr[j] = NEUTRAL; \
		for (int64_t i0 = 0; i0 < n; i0 += ROWBLK) { \
			int64_t i1 = i0 + ROWBLK < n ? i0 + ROWBLK : n; \
			for (int64_t j = 0; j < w; j++) \
				part[j] = NEUTRAL; \
			for (int64_t i = i0; i < i1; i++) { \
				const T *row = x + i * ld + j0; \
				_Pragma("omp simd") for (int64_t j = 0; j < w; j++) { \
					const T v = row[j]; \
					A acc = part[j]; \
					STEP(acc, v); \
					part[j] = acc; \
				} \
			} \
			for (int64_t j = 0; j < w; j++) { \
				A acc = rr[j]; \
				MERGE(acc, part[j]); \
				rr[j] = acc; \
			} \
		} \
	} \
} \
void NAME##_##SUF(const void *in_, int64_t outer, int64_t n, int64_t inner, void *out_) \
{ \
	const T *in = (const T *)in_; \
	A *out = (A *)out_; \
	if (outer == 0 || inner == 0) \
		return;	/* no output (a rank's empty chunk): read nothing */ \
	int nth = threads_for(outer * n * inner); \
	if (inner > 1) { \
		A *tp = NULL; \
		if (nth == 1) { \
			for (int64_t o = 0; o < outer; o++) \
				NAME##_rows_##SUF(in + o * n * inner, out + o * inner, n, inner, inner); \
		} else if (outer >= nth) { \
			_Pragma("omp parallel for num_threads(nth) schedule(static)") \
			for (int64_t o = 0; o < outer; o++) \
				NAME##_rows_##SUF(in + o * n * inner, out + o * inner, n, inner, inner); \
		} else if (n >= 2 * nth && (tp = malloc(sizeof(A) * (size_t)(nth * inner)))) { \
			/* few slices of many rows: each thread reduces a band of rows \
			** into its own partial; partials merge in thread order */ \
			for (int64_t o = 0; o < outer; o++) { \
				const T *x = in + o * n * inner; \
				A *r = out + o * inner; \
				int used = nth; \
				_Pragma("omp parallel num_threads(nth)") \
				{ \
					int64_t nt = omp_get_num_threads(), id = omp_get_thread_num(); \
					int64_t lo = n * id / nt, hi = n * (id + 1) / nt; \
					NAME##_rows_##SUF(x + lo * inner, tp + id * inner, hi - lo, inner, inner); \
					if (id == 0) \
						used = (int)nt; \
				} \
				memcpy(r, tp, sizeof(A) * (size_t)inner); \
				for (int t = 1; t < used; t++) \
					for (int64_t j = 0; j < inner; j++) { \
						A acc = r[j]; \
						MERGE(acc, tp[t * inner + j]); \
						r[j] = acc; \
					} \
			} \
			free(tp); \
		} else { \
			/* few rows (or no memory for partials): split the columns, \
			** cut at multiples of 16 elements (whole cache lines) */ \
			for (int64_t o = 0; o < outer; o++) { \
				const T *x = in + o * n * inner; \
				A *r = out + o * inner; \
				_Pragma("omp parallel num_threads(nth)") \
				{ \
					int64_t nt = omp_get_num_threads(), id = omp_get_thread_num(); \
					int64_t c0 = inner * id / nt / 16 * 16, c1 = inner * (id + 1) / nt / 16 * 16; \
					if (id == nt - 1) \
						c1 = inner; \
					if (c1 > c0) \
						NAME##_rows_##SUF(x + c0, r + c0, n, c1 - c0, inner); \
				} \
			} \
		} \
		return; \
	} \
	if (nth == 1) { \
		for (int64_t o = 0; o < outer; o++) \
			out[o] = CONTIG(in + o * n, n); \
	} else if (outer >= nth) { \
		_Pragma("omp parallel for num_threads(nth) schedule(static)") \
		for (int64_t o = 0; o < outer; o++) \
			out[o] = CONTIG(in + o * n, n); \
	} else { \
		A part[MAXPART]; \
		for (int64_t o = 0; o < outer; o++) { \
			const T *x = in + o * n; \
			_Pragma("omp parallel num_threads(nth)") \
			{ \
				int64_t nt = omp_get_num_threads(), id = omp_get_thread_num(); \
				int64_t lo = n * id / nt, hi = n * (id + 1) / nt; \
				part[id] = CONTIG(x + lo, hi - lo); \
				if (id == 0) \
					nth = (int)nt; \
			} \
			A acc = part[0]; \
			for (int t = 1; t < nth; t++) \
				MERGE(acc, part[t]); \
			out[o] = acc; \
		} \
	} \
}

#define GEN_CONTIG(NAME, SUF, T, A, NEUTRAL, STEP) \
static A NAME##_contig_##SUF(const T *x, int64_t n) \
{ \
	A acc = NEUTRAL; \
	for (int64_t i = 0; i < n; i++) { \
		const T v = x[i]; \
		STEP(acc, v); \
	} \
	return acc; \
}

#define SUM_STEP(r, v) ((r) += (v))
#define SUM_MERGE(r, q) ((r) += (q))
#define PROD_STEP(r, v) ((r) *= (v))
#define ALL_STEP(r, v) ((r) = (r) && ((v) != 0))
#define ALL_MERGE(r, q) ((r) = (r) && (q))
#define ANY_STEP(r, v) ((r) = (r) || ((v) != 0))
#define ANY_MERGE(r, q) ((r) = (r) || (q))
#define COUNT_STEP(r, v) ((r) += ((v) != 0))
/* NaN wins: once the accumulator is NaN no comparison replaces it */
#define MIN_STEP(r, v) ((r) = ((v) < (r) || ISNAN(v)) ? (v) : (r))
#define MAX_STEP(r, v) ((r) = ((v) > (r) || ISNAN(v)) ? (v) : (r))

/* integer sums: a simd reduction in int64 */
#define GEN_ISUM(SUF, T) \
static int64_t isum_##SUF(const T *x, int64_t n) \
{ \
	int64_t r = 0; \
	_Pragma("omp simd reduction(+:r)") \
	for (int64_t i = 0; i < n; i++) \
		r += x[i]; \
	return r; \
}

#define GEN_ALL(SUF, E, T, A) \
	GEN_CONTIG(hk_red_prod, SUF, T, A, 1, PROD_STEP) \
	GEN_REDUCE(hk_red_prod, SUF, T, A, 1, PROD_STEP, PROD_STEP, hk_red_prod_contig_##SUF) \
	GEN_CONTIG(hk_red_all, SUF, T, bool, 1, ALL_STEP) \
	GEN_REDUCE(hk_red_all, SUF, T, bool, 1, ALL_STEP, ALL_MERGE, hk_red_all_contig_##SUF) \
	GEN_CONTIG(hk_red_any, SUF, T, bool, 0, ANY_STEP) \
	GEN_REDUCE(hk_red_any, SUF, T, bool, 0, ANY_STEP, ANY_MERGE, hk_red_any_contig_##SUF) \
	GEN_CONTIG(hk_red_count, SUF, T, int64_t, 0, COUNT_STEP) \
	GEN_REDUCE(hk_red_count, SUF, T, int64_t, 0, COUNT_STEP, SUM_MERGE, hk_red_count_contig_##SUF)
HK_RED_DTYPES(GEN_ALL)

#define GEN_ISUMS(SUF, E, T, A) \
	GEN_ISUM(SUF, T) \
	GEN_REDUCE(hk_red_sum, SUF, T, int64_t, 0, SUM_STEP, SUM_MERGE, isum_##SUF)
GEN_ISUMS(b, HK_BOOL, bool, int64_t)
GEN_ISUMS(u8, HK_UINT8, uint8_t, int64_t)
GEN_ISUMS(i8, HK_INT8, int8_t, int64_t)
GEN_ISUMS(i16, HK_INT16, int16_t, int64_t)
GEN_ISUMS(i32, HK_INT32, int32_t, int64_t)
GEN_ISUMS(i64, HK_INT64, int64_t, int64_t)
GEN_REDUCE(hk_red_sum, f32, float, float, 0, SUM_STEP, SUM_MERGE, pw_f32)
GEN_REDUCE(hk_red_sum, f64, double, double, 0, SUM_STEP, SUM_MERGE, pw_f64)
GEN_REDUCE(hk_red_sum, c64, float _Complex, float _Complex, 0, SUM_STEP, SUM_MERGE, pw_c64)
GEN_REDUCE(hk_red_sum, c128, double _Complex, double _Complex, 0, SUM_STEP, SUM_MERGE, pw_c128)

#define HK_PRAGMA(x) _Pragma(#x)
/* Contiguous min/max as a SIMD min/max reduction; NaN is tracked by a
** separate flag (x != x is never true for integers, so it folds away). */
#define MM_BLK 1024
#define GEN_MINMAX_CONTIG(NAME, SUF, T, INIT, RED, CMP) \
static T NAME##_contig_##SUF(const T *x, int64_t n) \
{ \
	/* four interleaved SIMD reductions hide the latency of the compare \
	** chain; NaN is tracked by a flag (it folds away for integers) */ \
	T r0 = INIT, r1 = INIT, r2 = INIT, r3 = INIT; \
	int nan = 0; \
	int64_t i = 0; \
	for (; i + 4 * MM_BLK <= n; i += 4 * MM_BLK) { \
		const T *a = x + i, *b = a + MM_BLK, *c = b + MM_BLK, *d = c + MM_BLK; \
		HK_PRAGMA(omp simd reduction(RED:r0, r1, r2, r3) reduction(|:nan)) \
		for (int64_t j = 0; j < MM_BLK; j++) { \
			r0 = a[j] CMP r0 ? a[j] : r0; \
			r1 = b[j] CMP r1 ? b[j] : r1; \
			r2 = c[j] CMP r2 ? c[j] : r2; \
			r3 = d[j] CMP r3 ? d[j] : r3; \
			nan |= ISNAN(a[j]) | ISNAN(b[j]) | ISNAN(c[j]) | ISNAN(d[j]); \
		} \
	} \
	for (; i < n; i++) { \
		r0 = x[i] CMP r0 ? x[i] : r0; \
		nan |= ISNAN(x[i]); \
	} \
	r0 = r1 CMP r0 ? r1 : r0; \
	r0 = r2 CMP r0 ? r2 : r0; \
	r0 = r3 CMP r0 ? r3 : r0; \
	return nan ? (T)NAN : r0; \
}
#define GEN_MINMAX(SUF, E, T, LO, HI) \
	GEN_MINMAX_CONTIG(hk_red_min, SUF, T, HI, min, <) \
	GEN_REDUCE(hk_red_min, SUF, T, T, HI, MIN_STEP, MIN_STEP, hk_red_min_contig_##SUF) \
	GEN_MINMAX_CONTIG(hk_red_max, SUF, T, LO, max, >) \
	GEN_REDUCE(hk_red_max, SUF, T, T, LO, MAX_STEP, MAX_STEP, hk_red_max_contig_##SUF)
HK_RED_REAL(GEN_MINMAX)

/* ---- argmin / argmax: first extreme, NaN counts as the extreme; an
** empty run (n == 0) reports index -1 ---- */
#define ARG_BETTER_MIN(v, b) ((v) < (b) || (ISNAN(v) && !ISNAN(b)))
#define ARG_BETTER_MAX(v, b) ((v) > (b) || (ISNAN(v) && !ISNAN(b)))
#define GEN_ARG(NAME, SUF, T, BETTER) \
void NAME##_##SUF(const void *in_, int64_t outer, int64_t n, int64_t inner, void *val_, int64_t *idx) \
{ \
	const T *in = (const T *)in_; \
	T *val = (T *)val_; \
	int nth = threads_for(outer * n * inner); \
	_Pragma("omp parallel for num_threads(nth) schedule(static) if(nth > 1)") \
	for (int64_t o = 0; o < outer; o++) { \
		const T *x = in + o * n * inner; \
		for (int64_t j = 0; j < inner; j++) { \
			if (n == 0) { \
				val[o * inner + j] = 0; \
				idx[o * inner + j] = -1; \
				continue; \
			} \
			T best = x[j]; \
			int64_t bi = 0; \
			for (int64_t i = 1; i < n; i++) { \
				const T v = x[i * inner + j]; \
				if (BETTER(v, best)) { \
					best = v; \
					bi = i; \
				} \
			} \
			val[o * inner + j] = best; \
			idx[o * inner + j] = bi; \
		} \
	} \
}
#define GEN_ARGS(SUF, E, T, LO, HI) \
	GEN_ARG(hk_argmin, SUF, T, ARG_BETTER_MIN) \
	GEN_ARG(hk_argmax, SUF, T, ARG_BETTER_MAX)
HK_RED_REAL(GEN_ARGS)

/* ---- moments: two passes (mean, then squared deviations) in double ---- */
#define GEN_MOMENTS(SUF, E, T, LO, HI) \
static __attribute__((unused)) double dsum_##SUF(const T *x, int64_t n) \
{ \
	double r = 0; \
	_Pragma("omp simd reduction(+:r)") \
	for (int64_t i = 0; i < n; i++) \
		r += (double)x[i]; \
	return r; \
} \
static double dev2_##SUF(const T *x, int64_t n, double mu) \
{ \
	double r = 0; \
	_Pragma("omp simd reduction(+:r)") \
	for (int64_t i = 0; i < n; i++) { \
		double d = (double)x[i] - mu; \
		r += d * d; \
	} \
	return r; \
} \
void hk_moments_##SUF(const void *in_, int64_t outer, int64_t n, int64_t inner, \
                      double *mean, double *m2) \
{ \
	const T *in = (const T *)in_; \
	int nth = threads_for(outer * n * inner); \
	if (inner == 1) { \
		_Pragma("omp parallel for num_threads(nth) schedule(static) if(nth > 1)") \
		for (int64_t o = 0; o < outer; o++) { \
			const T *x = in + o * n; \
			double mu = n ? MOM_SUM_##SUF(x, n) / (double)n : 0; \
			mean[o] = mu; \
			m2[o] = n ? dev2_##SUF(x, n, mu) : 0; \
		} \
		return; \
	} \
	int64_t jc = (inner + JCH - 1) / JCH, items = outer * jc; \
	_Pragma("omp parallel for num_threads(nth) schedule(static) if(nth > 1)") \
	for (int64_t w = 0; w < items; w++) { \
		int64_t o = w / jc, j0 = (w % jc) * JCH; \
		int64_t m = inner - j0 < JCH ? inner - j0 : JCH; \
		const T *x = in + o * n * inner + j0; \
		double *mu = mean + o * inner + j0, *q = m2 + o * inner + j0; \
		for (int64_t j = 0; j < m; j++) \
			mu[j] = q[j] = 0; \
		for (int64_t i = 0; i < n; i++) \
			_Pragma("omp simd") for (int64_t j = 0; j < m; j++) \
				mu[j] += (double)x[i * inner + j]; \
		for (int64_t j = 0; j < m; j++) \
			mu[j] = n ? mu[j] / (double)n : 0; \
		for (int64_t i = 0; i < n; i++) \
			_Pragma("omp simd") for (int64_t j = 0; j < m; j++) { \
				double d = (double)x[i * inner + j] - mu[j]; \
				q[j] += d * d; \
			} \
	} \
}
#define MOM_SUM_b dsum_b
#define MOM_SUM_u8 dsum_u8
#define MOM_SUM_i8 dsum_i8
#define MOM_SUM_i16 dsum_i16
#define MOM_SUM_i32 dsum_i32
#define MOM_SUM_i64 dsum_i64
#define MOM_SUM_f32 pw_f32d
#define MOM_SUM_f64 pw_f64d
HK_RED_REAL(GEN_MOMENTS)

/* ---- inclusive scans along n, in the accumulator dtype; work items are
** (outer slot, block of JCH columns) so a scan over the first axis of a
** wide array still uses every thread ---- */
#define GEN_SCAN(NAME, SUF, T, A, OP) \
void NAME##_##SUF(const void *in_, int64_t outer, int64_t n, int64_t inner, void *out_) \
{ \
	const T *in = (const T *)in_; \
	A *out = (A *)out_; \
	int nth = threads_for(outer * n * inner); \
	int64_t jc = (inner + JCH - 1) / JCH, items = outer * jc; \
	if (n == 0) \
		return; \
	_Pragma("omp parallel for num_threads(nth) schedule(static) if(nth > 1)") \
	for (int64_t w = 0; w < items; w++) { \
		int64_t o = w / jc, j0 = (w % jc) * JCH; \
		int64_t m = inner - j0 < JCH ? inner - j0 : JCH; \
		const T *x = in + o * n * inner + j0; \
		A *y = out + o * n * inner + j0; \
		for (int64_t j = 0; j < m; j++) \
			y[j] = (A)x[j]; \
		for (int64_t i = 1; i < n; i++) \
			_Pragma("omp simd") for (int64_t j = 0; j < m; j++) \
				y[i * inner + j] = y[(i - 1) * inner + j] OP (A)x[i * inner + j]; \
	} \
}
#define GEN_SCANS(SUF, E, T, A) \
	GEN_SCAN(hk_cumsum, SUF, T, A, +) \
	GEN_SCAN(hk_cumprod, SUF, T, A, *)
HK_RED_DTYPES(GEN_SCANS)

/* ---- single-precision scans with the running value in double ----
** float32 and complex64 scans keep each column's running value in double
** (complex128) and round each output once, as torch's CPU cumsum/cumprod
** (Heat's kernel) do: a float32 running sum rounds at every step, and
** where the chain is cut (rank chunks, thread segments) changed the last
** digits.  One pass, no conversions of the whole block:
**   HK_SCAN_OUT:  out (T) = round(run OP add[o][j]), or round(run) when
**                 add is NULL (add: the carry from before the block, D);
**   HK_SCAN_WIDE: out (D) = run, a temporary for a carry not known yet;
**   HK_SCAN_NONE: nothing written.
** last (D, outer x inner, may be NULL) gets the run of the last row: the
** block's total.  The run starts at the first element itself, as the
** double kernel's does, so every output is bit-identical to scanning the
** block converted to double and rounding afterwards.  One column (inner
** 1) keeps its run in a register, RG rows at a time: independent chains
** overlap the add latency, and each row's chain is unchanged. */
#define RG 4

/* columns j < m of rows i < n (inner apart); v: the running value */
#define SCAND_COLS(D, OP, STORE) \
	do { \
		D r[JCH]; \
		for (int64_t j = 0; j < m; j++) { \
			const int64_t k = j; \
			const D v = r[j] = (D)x[k]; \
			STORE; \
		} \
		for (int64_t i = 1; i < n; i++) \
			_Pragma("omp simd") for (int64_t j = 0; j < m; j++) { \
				const int64_t k = i * inner + j; \
				const D v = r[j] = r[j] OP (D)x[k]; \
				STORE; \
			} \
		if (lst) \
			for (int64_t j = 0; j < m; j++) \
				lst[j] = r[j]; \
	} while (0)

/* g <= RG rows j of one column (n apart), RG of them interleaved */
#define SCAND_STEP(D, OP, STORE, R, J) \
	do { \
		const int64_t row_ = J; \
		const int64_t j = row_, k = j * n + i; \
		const D v = R = R OP (D)x[k]; \
		(void)j; \
		STORE; \
	} while (0)
#define SCAND_ROWS(D, OP, STORE) \
	do { \
		int64_t j0 = 0; \
		if (g == RG) { \
			D r0 = (D)x[0], r1 = (D)x[n], r2 = (D)x[2 * n], r3 = (D)x[3 * n]; \
			{ const int64_t j = 0, k = 0; const D v = r0; (void)j; STORE; } \
			{ const int64_t j = 1, k = n; const D v = r1; (void)j; STORE; } \
			{ const int64_t j = 2, k = 2 * n; const D v = r2; (void)j; STORE; } \
			{ const int64_t j = 3, k = 3 * n; const D v = r3; (void)j; STORE; } \
			for (int64_t i = 1; i < n; i++) { \
				SCAND_STEP(D, OP, STORE, r0, 0); \
				SCAND_STEP(D, OP, STORE, r1, 1); \
				SCAND_STEP(D, OP, STORE, r2, 2); \
				SCAND_STEP(D, OP, STORE, r3, 3); \
			} \
			if (lst) { \
				lst[0] = r0; lst[1] = r1; lst[2] = r2; lst[3] = r3; \
			} \
			j0 = RG; \
		} \
		for (int64_t j = j0; j < g; j++) { \
			D r = (D)x[j * n]; \
			{ const int64_t k = j * n; const D v = r; STORE; } \
			for (int64_t i = 1; i < n; i++) \
				SCAND_STEP(D, OP, STORE, r, j); \
			if (lst) \
				lst[j] = r; \
		} \
	} while (0)

#define SCAND_BODY(LOOP, T, D, OP) \
	do { \
		if (mode == HK_SCAN_OUT && ad) \
			LOOP(D, OP, yo[k] = (T)(v OP ad[j])); \
		else if (mode == HK_SCAN_OUT) \
			LOOP(D, OP, yo[k] = (T)v); \
		else if (mode == HK_SCAN_WIDE) \
			LOOP(D, OP, yd[k] = v); \
		else \
			LOOP(D, OP, (void)k; (void)v); \
	} while (0)

#define GEN_SCAND(NAME, SUF, T, D, OP) \
void NAME##_##SUF(const void *in_, int64_t outer, int64_t n, int64_t inner, int mode, void *out_, \
                  const void *add_, void *last_) \
{ \
	const T *in = (const T *)in_; \
	const D *add = (const D *)add_; \
	D *last = (D *)last_; \
	int nth = threads_for(outer * n * inner); \
	if (n == 0) \
		return; \
	if (inner == 1) { \
		int64_t items = (outer + RG - 1) / RG; \
		_Pragma("omp parallel for num_threads(nth) schedule(static) if(nth > 1)") \
		for (int64_t w = 0; w < items; w++) { \
			int64_t o = w * RG, g = outer - o < RG ? outer - o : RG; \
			const T *x = in + o * n; \
			T *yo = mode == HK_SCAN_OUT ? (T *)out_ + o * n : NULL; \
			D *yd = mode == HK_SCAN_WIDE ? (D *)out_ + o * n : NULL; \
			D *lst = last ? last + o : NULL; \
			const D *ad = add ? add + o : NULL; \
			SCAND_BODY(SCAND_ROWS, T, D, OP); \
		} \
		return; \
	} \
	int64_t jc = (inner + JCH - 1) / JCH, items = outer * jc; \
	_Pragma("omp parallel for num_threads(nth) schedule(static) if(nth > 1)") \
	for (int64_t w = 0; w < items; w++) { \
		int64_t o = w / jc, j0 = (w % jc) * JCH; \
		int64_t m = inner - j0 < JCH ? inner - j0 : JCH, b = o * n * inner + j0; \
		const T *x = in + b; \
		T *yo = mode == HK_SCAN_OUT ? (T *)out_ + b : NULL; \
		D *yd = mode == HK_SCAN_WIDE ? (D *)out_ + b : NULL; \
		D *lst = last ? last + o * inner + j0 : NULL; \
		const D *ad = add ? add + o * inner + j0 : NULL; \
		SCAND_BODY(SCAND_COLS, T, D, OP); \
	} \
}

/* out (T) = round(tmp OP add[o][j]) over an (outer, n, inner) block */
#define FOLD_ROWS 4096
#define GEN_SCANFOLD(NAME, SUF, T, D, OP) \
void NAME##_##SUF(const void *tmp_, int64_t outer, int64_t n, int64_t inner, const void *add_, \
                  void *out_) \
{ \
	const D *tmp = (const D *)tmp_, *add = (const D *)add_; \
	T *out = (T *)out_; \
	int nth = threads_for(outer * n * inner); \
	int64_t rb = inner >= FOLD_ROWS ? 1 : FOLD_ROWS / inner; \
	int64_t nb = (n + rb - 1) / rb, items = outer * nb; \
	_Pragma("omp parallel for num_threads(nth) schedule(static) if(nth > 1)") \
	for (int64_t w = 0; w < items; w++) { \
		int64_t o = w / nb, i0 = (w % nb) * rb, i1 = i0 + rb < n ? i0 + rb : n; \
		const D *a = add + o * inner; \
		if (inner == 1) { \
			const D a0 = a[0]; \
			_Pragma("omp simd") for (int64_t i = i0; i < i1; i++) \
				out[o * n + i] = (T)(tmp[o * n + i] OP a0); \
			continue; \
		} \
		for (int64_t i = i0; i < i1; i++) { \
			const int64_t b = (o * n + i) * inner; \
			_Pragma("omp simd") for (int64_t j = 0; j < inner; j++) \
				out[b + j] = (T)(tmp[b + j] OP a[j]); \
		} \
	} \
}

#define GEN_SCANDS(SUF, T, D) \
	GEN_SCAND(hk_cumsumd, SUF, T, D, +) \
	GEN_SCAND(hk_cumprodd, SUF, T, D, *) \
	GEN_SCANFOLD(hk_cumsumd_fold, SUF, T, D, +) \
	GEN_SCANFOLD(hk_cumprodd_fold, SUF, T, D, *)
GEN_SCANDS(f32, float, double)
GEN_SCANDS(c64, float _Complex, double _Complex)
