/*
** sort_radix.c — the stable LSD radix sort behind every sort (see
** sort_internal.h for the interface), and the key conversions that unique
** and searchsorted use.
**
** 11-bit digits: 3 passes for 32-bit keys, 6 for 64-bit ones; histograms
** of every digit come from one read of the input, and a digit that is the
** same for all keys costs no pass.  The key conversion rides on the
** histogram read and the first scatter, the inverse on the last scatter,
** so a sort of values reads them twice and writes them once beyond the
** passes themselves.  With T threads each owns a contiguous chunk:
** per-thread counts of the chunk, offsets prefixed over digits then
** threads, so every thread scatters its chunk in order and the result is
** the stable one whatever T is.  A single thread needs no per-chunk counts
** after the first pass; a team recounts its chunk before each later pass.
*/
#include <omp.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "manip_internal.h"
#include "sort_internal.h"

#define RADIX_BITS 11
#define RADIX_R (1 << RADIX_BITS)
#define RADIX_MASK (RADIX_R - 1)
#define MAX_PASS 6

/* Inputs below this are sorted by insertion. */
#define SMALL_N 48

/* Key of input element i: a value (vin) or a key of src. */
SK_INLINE uint64_t in_key(int t, const sk_job *j, int vin, const void *src, int64_t i)
{
	if (vin)
		return sk_key(t, j->vin + i * j->vs * sk_size(t)) ^ j->flip;
	return sk_get(src, sk_width(t), i);
}

/* Store the element of sorted position q (see the window in
** sort_internal.h). */
SK_INLINE void emit(int t, const sk_job *j, int64_t q, uint64_t k, int64_t x)
{
	int es = sk_size(t);
	if ((uint64_t)(q - j->lo) < (uint64_t)(j->hi - j->lo)) {
		int64_t o = q - j->lo;
		if (j->vout)
			sk_value(t, k ^ j->flip, j->vout + o * j->vos * es);
		if (j->iout)
			j->iout[o * j->ios] = x;
	} else {
		if (j->vout)
			sk_value(t, k ^ j->flip, j->vside + q * es);
		if (j->iout)
			j->iside[q] = x;
	}
}

/* One scatter pass over [b0, b1) by the digit at bit sh; vin: the source
** is the input values (positions i), last: write the result. */
SK_INLINE void scatter(int t, int vin, int last, int idx, const sk_job *j, const void *src,
                       void *dst, const int64_t *si, int64_t *di, int64_t b0, int64_t b1,
                       int64_t *pos, int sh)
{
	const int w = sk_width(t);
	for (int64_t i = b0; i < b1; i++) {
		uint64_t k = in_key(t, j, vin, src, i);
		int64_t q = pos[(k >> sh) & RADIX_MASK]++;
		int64_t x = idx ? (vin ? i : si[i]) : 0;
		if (last) {
			emit(t, j, q, k, x);
		} else {
			sk_put(dst, w, q, k);
			if (idx)
				di[q] = x;
		}
	}
}

/* ---- write-combining scatter ----
** A scatter to 2048 places at once is bound by the memory reads that
** every store to a line not in cache starts (they cannot be prefetched).
** So each digit collects its elements in a line-sized buffer, and a full
** line goes to memory by streaming stores that read nothing; the lines a
** digit shares with its neighbours (or another thread, or that cross the
** window) are written by ordinary stores.  Twice as fast at 11 bits. */

#define WC_LINE 64

/* Per-thread scratch of the write-combining scatter: two streams (keys
** or values, and positions) of RADIX_R lines each. */
#define WC_BYTES ((size_t)2 * RADIX_R * WC_LINE)

/* Chunks from which a thread's scatter is write-combined, and the number
** of digits in use above which it is (below, the lines stay in cache). */
#define WC_MIN 65536
#define WC_DIGITS 64

SK_INLINE void nt_line(char *dst, const char *src)
{
#ifdef __SSE2__
	__m128i *d = (__m128i *)dst;
	const __m128i *s = (const __m128i *)src;
	_mm_stream_si128(d, _mm_load_si128(s));
	_mm_stream_si128(d + 1, _mm_load_si128(s + 1));
	_mm_stream_si128(d + 2, _mm_load_si128(s + 2));
	_mm_stream_si128(d + 3, _mm_load_si128(s + 3));
#else
	memcpy(dst, src, WC_LINE);
#endif
}

/* The E-byte element v of position q, whose digit's positions for this
** thread start at s0, into the digit's line buffer lb; base: the address
** of position 0 (E-aligned). */
SK_INLINE void wc_put(int E, char *lb, char *base, int64_t q, int64_t s0, const void *v)
{
	uintptr_t a = (uintptr_t)(base + q * E), off = a & (WC_LINE - 1);
	memcpy(lb + off, v, (size_t)E);
	if (off == (uintptr_t)(WC_LINE - E)) {
		int64_t first = q - (WC_LINE / E - 1);
		if (first >= s0)
			nt_line((char *)(a - off), lb);
		else
			for (int64_t p = s0; p <= q; p++)
				memcpy(base + p * E, lb + ((uintptr_t)(base + p * E) & (WC_LINE - 1)), (size_t)E);
	}
}

/* What is left in the buffer of a digit whose positions ended at e. */
SK_INLINE void wc_tail(int E, const char *lb, char *base, int64_t s0, int64_t e)
{
	int64_t ls = e - (int64_t)(((uintptr_t)(base + e * E) & (WC_LINE - 1)) / (uintptr_t)E);
	for (int64_t p = ls > s0 ? ls : s0; p < e; p++)
		memcpy(base + p * E, lb + ((uintptr_t)(base + p * E) & (WC_LINE - 1)), (size_t)E);
}

/* scatter() through the line buffers wb (keys or values) and wx
** (positions); the result (last) must be written with unit strides. */
SK_INLINE void scatter_wc(int t, int vin, int last, int idx, const sk_job *j, const void *src,
                          void *dst, const int64_t *si, int64_t *di, int64_t b0, int64_t b1,
                          int64_t *pos, int sh, char *wb, char *wx)
{
	const int w = sk_width(t), es = sk_size(t);
	const int64_t lo = last ? j->lo : 0, hi = last ? j->hi : INT64_MAX;
	char *kbase = last ? (j->vout ? j->vout - lo * es : NULL) : dst;
	char *ibase = (char *)(last ? (j->iout ? j->iout - lo : NULL) : di);
	const int kE = last ? es : w, vals = !last || j->vout, poss = last ? j->iout != NULL : idx;
	int64_t s0[RADIX_R];
	for (int d = 0; d < RADIX_R; d++)
		s0[d] = pos[d] > lo ? pos[d] : lo;
	for (int64_t i = b0; i < b1; i++) {
		uint64_t k = in_key(t, j, vin, src, i);
		int d = (int)((k >> sh) & RADIX_MASK);
		int64_t q = pos[d]++;
		int64_t x = idx ? (vin ? i : si[i]) : 0;
		if (last && (uint64_t)(q - lo) >= (uint64_t)(hi - lo)) {
			emit(t, j, q, k, x);
			continue;
		}
		if (vals) {
			char v[8];
			if (last)
				sk_value(t, k ^ j->flip, v);
			else if (w == 4) {
				uint32_t k4 = (uint32_t)k;
				memcpy(v, &k4, 4);
			} else {
				memcpy(v, &k, 8);
			}
			wc_put(kE, wb + (size_t)d * WC_LINE, kbase, q, s0[d], v);
		}
		if (poss)
			wc_put(8, wx + (size_t)d * WC_LINE, ibase, q, s0[d], &x);
	}
	for (int d = 0; d < RADIX_R; d++) {
		int64_t e = pos[d] < hi ? pos[d] : hi;
		if (vals)
			wc_tail(kE, wb + (size_t)d * WC_LINE, kbase, s0[d], e);
		if (poss)
			wc_tail(8, wx + (size_t)d * WC_LINE, ibase, s0[d], e);
	}
#ifdef __SSE2__
	_mm_sfence();
#endif
}

SK_INLINE void histogram(int t, int vin, const sk_job *j, int64_t *mh, int64_t b0, int64_t b1)
{
	if (sk_width(t) == 4) {
		for (int64_t i = b0; i < b1; i++) {
			uint32_t k = (uint32_t)in_key(t, j, vin, j->kin, i);
			mh[k & RADIX_MASK]++;
			mh[RADIX_R + ((k >> RADIX_BITS) & RADIX_MASK)]++;
			mh[2 * RADIX_R + (k >> (2 * RADIX_BITS))]++;
		}
	} else {
		for (int64_t i = b0; i < b1; i++) {
			uint64_t k = in_key(t, j, vin, j->kin, i);
			for (int p = 0; p < MAX_PASS; p++)
				mh[p * RADIX_R + ((k >> (RADIX_BITS * p)) & RADIX_MASK)]++;
		}
	}
}

/* The work of one thread (every branch on t folds: t is a constant). */
SK_INLINE void rthread(int t, sk_job *j)
{
	const int w = sk_width(t), npass = w == 4 ? 3 : MAX_PASS;
	const int64_t n = j->n;
	const int vin = j->vin != NULL, idx = j->want_idx, emits = j->vout || j->iout;
	int T = j->nt, me = T > 1 ? omp_get_thread_num() : 0;
	int64_t b0 = n * me / T, b1 = n * (me + 1) / T;
	int64_t *mh = j->h + (size_t)me * npass * RADIX_R;
	int64_t pos[RADIX_R];
	memset(mh, 0, sizeof(int64_t) * (size_t)npass * RADIX_R);
	if (vin)
		histogram(t, 1, j, mh, b0, b1);
	else
		histogram(t, 0, j, mh, b0, b1);
	const int64_t *tot = mh;
	if (T > 1) {
		#pragma omp barrier
		#pragma omp for schedule(static)
		for (int d = 0; d < npass * RADIX_R; d++) {
			int64_t s = 0;
			for (int u = 0; u < T; u++)
				s += j->h[(size_t)u * npass * RADIX_R + d];
			j->tot[d] = s;
		}
		tot = j->tot;
	}
	int plist[MAX_PASS], np = 0;
	for (int p = 0; p < npass; p++) {
		int constant = 0;
		for (int d = 0; d < RADIX_R && !constant; d++)
			constant = tot[p * RADIX_R + d] == n;
		if (!constant)
			plist[np++] = p;
	}
	if (np == 0) {
		/* every key the same: already in order */
		if (emits)
			for (int64_t i = b0; i < b1; i++)
				emit(t, j, i, in_key(t, j, vin, j->kin, i), idx ? (vin ? i : j->iin[i]) : 0);
		if (me == 0)
			j->where = 0;
		return;
	}
	const void *src = j->kin;
	const int64_t *si = j->iin;
	for (int e = 0; e < np; e++) {
		int p = plist[e], sh = RADIX_BITS * p, last = emits && e == np - 1;
		void *dst = e % 2 == 0 ? j->ka : j->kb;
		int64_t *di = e % 2 == 0 ? j->ia : j->ib;
		const int64_t *tp = tot + p * RADIX_R;
		if (T == 1) {
			int64_t acc = 0;
			for (int d = 0; d < RADIX_R; d++) {
				pos[d] = acc;
				acc += tp[d];
			}
		} else {
			if (e > 0) {
				/* the data moved: count this chunk again */
				int64_t *c = mh + p * RADIX_R;
				memset(c, 0, sizeof(int64_t) * RADIX_R);
				for (int64_t i = b0; i < b1; i++)
					c[(sk_get(src, w, i) >> sh) & RADIX_MASK]++;
				#pragma omp barrier
			}
			int64_t acc = 0;
			for (int d = 0; d < RADIX_R; d++) {
				int64_t o = acc;
				for (int u = 0; u < me; u++)
					o += j->h[((size_t)u * npass + p) * RADIX_R + d];
				pos[d] = o;
				acc += tp[d];
			}
		}
		int first = e == 0 && vin;
		/* write-combined unless few digits occur (then the plain stores
		** stay in cache), the chunk is short or the result is strided */
		int used = 0;
		for (int d = 0; d < RADIX_R; d++)
			used += tp[d] != 0;
		char *wb = j->wc && used > WC_DIGITS && b1 - b0 >= WC_MIN &&
		                   (!last || ((!j->vout || j->vos == 1) && (!j->iout || j->ios == 1)))
		               ? j->wc + (size_t)me * WC_BYTES
		               : NULL;
		if (wb) {
			char *wx = wb + RADIX_R * WC_LINE;
			if (first && last)
				scatter_wc(t, 1, 1, idx, j, src, dst, si, di, b0, b1, pos, sh, wb, wx);
			else if (first)
				scatter_wc(t, 1, 0, idx, j, src, dst, si, di, b0, b1, pos, sh, wb, wx);
			else if (last)
				scatter_wc(t, 0, 1, idx, j, src, dst, si, di, b0, b1, pos, sh, wb, wx);
			else
				scatter_wc(t, 0, 0, idx, j, src, dst, si, di, b0, b1, pos, sh, wb, wx);
		} else if (first && last)
			scatter(t, 1, 1, idx, j, src, dst, si, di, b0, b1, pos, sh);
		else if (first)
			scatter(t, 1, 0, idx, j, src, dst, si, di, b0, b1, pos, sh);
		else if (last)
			scatter(t, 0, 1, idx, j, src, dst, si, di, b0, b1, pos, sh);
		else
			scatter(t, 0, 0, idx, j, src, dst, si, di, b0, b1, pos, sh);
		src = dst;
		si = di;
		/* every scatter must end before the next count, and every count
		** before this pass's offsets are reused */
		if (T > 1) {
			#pragma omp barrier
		}
	}
	if (me == 0)
		j->where = np % 2;
}

/* Short inputs: insertion sort in kb/ib, then the result written. */
SK_INLINE void rsmall(int t, sk_job *j)
{
	const int w = sk_width(t);
	const int64_t n = j->n;
	const int vin = j->vin != NULL, idx = j->want_idx;
	for (int64_t i = 0; i < n; i++) {
		uint64_t k = in_key(t, j, vin, j->kin, i);
		int64_t x = idx ? (vin ? i : j->iin[i]) : 0, m = i;
		while (m > 0 && sk_get(j->kb, w, m - 1) > k) {
			sk_put(j->kb, w, m, sk_get(j->kb, w, m - 1));
			if (idx)
				j->ib[m] = j->ib[m - 1];
			m--;
		}
		sk_put(j->kb, w, m, k);
		if (idx)
			j->ib[m] = x;
	}
	if (j->vout || j->iout)
		for (int64_t i = 0; i < n; i++)
			emit(t, j, i, sk_get(j->kb, w, i), idx ? j->ib[i] : 0);
	j->where = 0;
}

#define INSTANCE(NAME, T)                       \
	static void NAME(sk_job *j, int small)      \
	{                                           \
		if (small)                              \
			rsmall(T, j);                       \
		else                                    \
			rthread(T, j);                      \
	}
INSTANCE(r_bool, HA_BOOL)
INSTANCE(r_u8, HA_UINT8)
INSTANCE(r_i8, HA_INT8)
INSTANCE(r_i16, HA_INT16)
INSTANCE(r_i32, HA_INT32)
INSTANCE(r_i64, HA_INT64)
INSTANCE(r_f32, HA_FLOAT32)
INSTANCE(r_f64, HA_FLOAT64)
INSTANCE(r_raw32, SK_RAW32)
INSTANCE(r_raw64, SK_RAW64)

static void dispatch(int t, sk_job *j, int small)
{
	switch (t) {
	case HA_BOOL: r_bool(j, small); break;
	case HA_UINT8: r_u8(j, small); break;
	case HA_INT8: r_i8(j, small); break;
	case HA_INT16: r_i16(j, small); break;
	case HA_INT32: r_i32(j, small); break;
	case HA_INT64: r_i64(j, small); break;
	case HA_FLOAT32: r_f32(j, small); break;
	case HA_FLOAT64: r_f64(j, small); break;
	case SK_RAW32: r_raw32(j, small); break;
	case SK_RAW64: r_raw64(j, small); break;
	default: break;
	}
}

/* One thread with its histograms on the stack: the fallback when the
** team's histograms cannot be allocated. */
static __attribute__((noinline)) void radix_alone(int t, sk_job *j)
{
	int64_t h[MAX_PASS * RADIX_R];
	j->nt = 1;
	j->h = j->tot = h;
	dispatch(t, j, 0);
	j->h = j->tot = NULL;
}

int ha__radix(int t, sk_job *j)
{
	int64_t n = j->n;
	j->wc = NULL;
	if (n < SMALL_N) {
		dispatch(t, j, 1);
		return j->where;
	}
	int npass = sk_width(t) == 4 ? 3 : MAX_PASS;
	int nt = n >= SORT_PAR_MIN && !omp_in_parallel() ? omp_get_max_threads() : 1;
	if (nt > n / (SORT_PAR_MIN / 2))
		nt = (int)(n / (SORT_PAR_MIN / 2));
	if (nt < 1)
		nt = 1;
	/* line buffers for long chunks (none: the plain scatter) */
	j->wc = n / nt >= WC_MIN ? aligned_alloc(WC_LINE, (size_t)nt * WC_BYTES) : NULL;
	/* per-thread counts [nt][npass][R], then the totals [npass][R] */
	int64_t *h = nt > 1 ? malloc(sizeof(int64_t) * (size_t)(nt + 1) * (size_t)npass * RADIX_R)
	                    : NULL;
	if (!h) {
		radix_alone(t, j);
	} else {
		j->nt = nt;
		j->h = h;
		j->tot = h + (size_t)nt * npass * RADIX_R;
		#pragma omp parallel num_threads(nt)
		dispatch(t, j, 0);
		free(h);
		j->h = j->tot = NULL;
	}
	free(j->wc);
	j->wc = NULL;
	return j->where;
}

/* ---- 64-bit keys for unique and searchsorted ---- */

/* One loop per dtype: inside an OpenMP region a parameter is no longer a
** constant, an enumerator is; threads for long inputs unless already
** inside a parallel region. */
#define KEY_LOOP(T, BODY)                                                                        \
	case T:                                                                                      \
		_Pragma("omp parallel for schedule(static) if (n >= SORT_PAR_MIN && !omp_in_parallel())") \
		for (int64_t i = 0; i < n; i++) {                                                        \
			BODY;                                                                                \
		}                                                                                        \
		break;
#define KEY_LOOPS(BODY)                 \
	KEY_LOOP(HA_BOOL, BODY(HA_BOOL))    \
	KEY_LOOP(HA_UINT8, BODY(HA_UINT8))  \
	KEY_LOOP(HA_INT8, BODY(HA_INT8))    \
	KEY_LOOP(HA_INT16, BODY(HA_INT16))  \
	KEY_LOOP(HA_INT32, BODY(HA_INT32))  \
	KEY_LOOP(HA_INT64, BODY(HA_INT64))  \
	KEY_LOOP(HA_FLOAT32, BODY(HA_FLOAT32)) \
	KEY_LOOP(HA_FLOAT64, BODY(HA_FLOAT64))

void ha__to_keys(ha_dtype t, const void *src_, int64_t n, int64_t stride, uint64_t *keys)
{
	const char *src = src_;
#define TO_KEY(T) keys[i] = sk_key(T, src + i * stride * sk_size(T))
	switch (t) {
	KEY_LOOPS(TO_KEY)
	default:
		break;
	}
#undef TO_KEY
}

void ha__from_keys(ha_dtype t, const uint64_t *keys, int64_t n, void *dst_, int64_t stride)
{
	char *dst = dst_;
#define FROM_KEY(T) sk_value(T, keys[i], dst + i * stride * sk_size(T))
	switch (t) {
	KEY_LOOPS(FROM_KEY)
	default:
		break;
	}
#undef FROM_KEY
}

void ha__sort_keys(int64_t n, uint64_t *keys, int64_t *idx, uint64_t *tk, int64_t *ti)
{
	sk_job j = { .n = n, .kin = keys, .iin = idx, .want_idx = idx != NULL, .ka = tk, .kb = keys,
	             .ia = ti, .ib = idx };
	if (ha__radix(SK_RAW64, &j)) {
		memcpy(keys, tk, sizeof(uint64_t) * (size_t)n);
		if (idx)
			memcpy(idx, ti, sizeof(int64_t) * (size_t)n);
	}
}
