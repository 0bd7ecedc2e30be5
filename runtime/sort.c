/*
** sort.c — sort, argsort, topk, searchsorted.
**
** Values are sorted as order-preserving unsigned keys (integers with the
** sign bit flipped, IEEE floats with the usual sign trick, NaN largest) by
** a stable LSD radix sort (32-bit keys for dtypes of up to 4 bytes, 64-bit
** otherwise; the rank's threads share long lines), carrying int64
** positions along when indices are wanted.  Descending order complements
** the keys.  Ties keep the original order everywhere, which also makes the
** distributed result, indices included, independent of the number of
** ranks and threads.
**
** Along the split axis of a 1-D array: PSRS (Shi & Schaeffer 1992, as
** Heat does it): sort locally; every rank contributes P regular samples
** (key, tie-break) to one Allgatherv; P-1 pivots split every local run;
** the P x P send counts go round in one Allgatherv; ONE Alltoallv moves the
** values (and one the global indices); the received runs, which arrive in
** rank order, are merged stably (pairwise rounds up to 8 runs, the radix
** sort beyond); a redistribute
** returns the balanced chunk map.  The tie-break of an element is its
** global index (argsort) or its global position after the local sort
** (values only): a total order, so pivots split even a run of equal values.
*/
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "manip_internal.h"

/* ---- keys ---- */

#define F32_TOP UINT32_C(0x80000000)
#define F64_TOP UINT64_C(0x8000000000000000)

/* Element counts from which the key conversions and the radix sort use
** the rank's threads (below it a team costs more than it saves). */
#define SORT_PAR_MIN 131072

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* Keys are 32-bit for dtypes of at most 4 bytes (half the memory traffic
** of 64-bit keys) and 64-bit otherwise; w is the width in bytes.  The
** helpers below are always inlined with a constant w, so the width tests
** fold away. */
static int key_width(ha_dtype t)
{
	return ha_dtype_size(t) <= 4 ? 4 : 8;
}

ALWAYS_INLINE uint64_t kget(const void *k, int w, int64_t i)
{
	return w == 4 ? ((const uint32_t *)k)[i] : ((const uint64_t *)k)[i];
}

ALWAYS_INLINE void kput(void *k, int w, int64_t i, uint64_t v)
{
	if (w == 4)
		((uint32_t *)k)[i] = (uint32_t)v;
	else
		((uint64_t *)k)[i] = v;
}

/* Key of one value; flip (0, or the key mask for descending order) is
** XORed in, which complements the key within its width. */
ALWAYS_INLINE uint64_t key_of(ha_dtype t, const char *p)
{
	switch (t) {
	case HA_BOOL:
		return *(const uint8_t *)p != 0;
	case HA_UINT8:
		return *(const uint8_t *)p;
	case HA_INT8:
		return (uint8_t)*(const int8_t *)p ^ 0x80u;
	case HA_INT16:
		return (uint16_t)*(const int16_t *)p ^ 0x8000u;
	case HA_INT32:
		return (uint32_t)*(const int32_t *)p ^ F32_TOP;
	case HA_INT64:
		return (uint64_t)*(const int64_t *)p ^ F64_TOP;
	case HA_FLOAT32: {
		float f;
		uint32_t u;
		memcpy(&f, p, 4);
		memcpy(&u, p, 4);
		return isnan(f) ? UINT32_MAX : (u & F32_TOP) ? ~u : (u | F32_TOP);
	}
	case HA_FLOAT64: {
		double f;
		uint64_t u;
		memcpy(&f, p, 8);
		memcpy(&u, p, 8);
		return isnan(f) ? UINT64_MAX : (u & F64_TOP) ? ~u : (u | F64_TOP);
	}
	default:
		return 0;
	}
}

ALWAYS_INLINE void value_of(ha_dtype t, uint64_t k, char *p)
{
	switch (t) {
	case HA_BOOL:
	case HA_UINT8:
		*(uint8_t *)p = (uint8_t)k;
		break;
	case HA_INT8:
		*(int8_t *)p = (int8_t)(uint8_t)(k ^ 0x80u);
		break;
	case HA_INT16:
		*(int16_t *)p = (int16_t)(uint16_t)(k ^ 0x8000u);
		break;
	case HA_INT32:
		*(int32_t *)p = (int32_t)(uint32_t)(k ^ F32_TOP);
		break;
	case HA_INT64:
		*(int64_t *)p = (int64_t)(k ^ F64_TOP);
		break;
	case HA_FLOAT32: {
		uint32_t c = (uint32_t)k, u = (c & F32_TOP) ? (c ^ F32_TOP) : ~c;
		memcpy(p, &u, 4);
		break;
	}
	case HA_FLOAT64: {
		uint64_t u = (k & F64_TOP) ? (k ^ F64_TOP) : ~k;
		memcpy(p, &u, 8);
		break;
	}
	default:
		break;
	}
}

/* One loop per dtype and key width (the tests outside the loop: inside an
** OpenMP region a parameter is no longer a constant, an enumerator is);
** threads for long lines unless already inside a parallel region. */
#define KEY_LOOP1(BODY)                                                                         \
	_Pragma("omp parallel for schedule(static) if (n >= SORT_PAR_MIN && !omp_in_parallel())") \
	for (int64_t i = 0; i < n; i++) {                                                           \
		BODY;                                                                                   \
	}
#define KEY_LOOP(T, BODY)                                                                       \
	case T:                                                                                     \
		if (width == 4) {                                                                       \
			enum { w = 4 };                                                                     \
			KEY_LOOP1(BODY)                                                                     \
		} else {                                                                                \
			enum { w = 8 };                                                                     \
			KEY_LOOP1(BODY)                                                                     \
		}                                                                                       \
		break;

ALWAYS_INLINE void keys_in(ha_dtype t, const void *src_, int64_t n, int64_t stride, uint64_t flip,
                           int width, void *keys)
{
	const char *src = src_;
	switch (t) {
	KEY_LOOP(HA_BOOL, kput(keys, w, i, key_of(HA_BOOL, src + i * stride * 1) ^ flip))
	KEY_LOOP(HA_UINT8, kput(keys, w, i, key_of(HA_UINT8, src + i * stride * 1) ^ flip))
	KEY_LOOP(HA_INT8, kput(keys, w, i, key_of(HA_INT8, src + i * stride * 1) ^ flip))
	KEY_LOOP(HA_INT16, kput(keys, w, i, key_of(HA_INT16, src + i * stride * 2) ^ flip))
	KEY_LOOP(HA_INT32, kput(keys, w, i, key_of(HA_INT32, src + i * stride * 4) ^ flip))
	KEY_LOOP(HA_INT64, kput(keys, w, i, key_of(HA_INT64, src + i * stride * 8) ^ flip))
	KEY_LOOP(HA_FLOAT32, kput(keys, w, i, key_of(HA_FLOAT32, src + i * stride * 4) ^ flip))
	KEY_LOOP(HA_FLOAT64, kput(keys, w, i, key_of(HA_FLOAT64, src + i * stride * 8) ^ flip))
	default:
		break;
	}
}

ALWAYS_INLINE void keys_out(ha_dtype t, const void *keys, int64_t n, uint64_t flip, int width,
                            void *dst_, int64_t stride)
{
	char *dst = dst_;
	switch (t) {
	KEY_LOOP(HA_BOOL, value_of(HA_BOOL, kget(keys, w, i) ^ flip, dst + i * stride * 1))
	KEY_LOOP(HA_UINT8, value_of(HA_UINT8, kget(keys, w, i) ^ flip, dst + i * stride * 1))
	KEY_LOOP(HA_INT8, value_of(HA_INT8, kget(keys, w, i) ^ flip, dst + i * stride * 1))
	KEY_LOOP(HA_INT16, value_of(HA_INT16, kget(keys, w, i) ^ flip, dst + i * stride * 2))
	KEY_LOOP(HA_INT32, value_of(HA_INT32, kget(keys, w, i) ^ flip, dst + i * stride * 4))
	KEY_LOOP(HA_INT64, value_of(HA_INT64, kget(keys, w, i) ^ flip, dst + i * stride * 8))
	KEY_LOOP(HA_FLOAT32, value_of(HA_FLOAT32, kget(keys, w, i) ^ flip, dst + i * stride * 4))
	KEY_LOOP(HA_FLOAT64, value_of(HA_FLOAT64, kget(keys, w, i) ^ flip, dst + i * stride * 8))
	default:
		break;
	}
}

void ha__to_keys(ha_dtype t, const void *src, int64_t n, int64_t stride, uint64_t *keys)
{
	keys_in(t, src, n, stride, 0, 8, keys);
}

void ha__from_keys(ha_dtype t, const uint64_t *keys, int64_t n, void *dst, int64_t stride)
{
	keys_out(t, keys, n, 0, 8, dst, stride);
}

/* Key width in bits: descending keys are complemented within it. */
static uint64_t key_mask(ha_dtype t)
{
	int bits = t == HA_BOOL ? 8 : 8 * (int)ha_dtype_size(t);
	return bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/* ---- stable radix sort ---- */

#define RADIX_BITS 11
#define RADIX_R (1 << RADIX_BITS)

/* The work of one thread of radix_sort (a function of its own so that the
** key width is a constant in it, which it is not inside an OpenMP region):
** per-thread counts of every digit, the totals, then the passes. */
typedef struct radix_job {
	int64_t n;
	void *keys;
	int64_t *idx;
	void *tk;
	int64_t *ti;
	int64_t *h;   /* per-thread counts [T][npass][R] */
	int64_t *tot; /* totals [npass][R] */
	int swapped;
} radix_job;

ALWAYS_INLINE void radix_thread(int w, radix_job *j)
{
	int64_t n = j->n, *h = j->h, *tot = j->tot;
	const int npass = (8 * w + RADIX_BITS - 1) / RADIX_BITS;
	int T = omp_get_num_threads(), me = omp_get_thread_num();
	int64_t b0 = n * me / T, b1 = n * (me + 1) / T;
	int64_t *mh = h + (size_t)me * npass * RADIX_R;
	int64_t pos[RADIX_R];
	if (w == 4) {
		/* written out: 32-bit keys are the common case */
		const uint32_t *k4 = j->keys;
		for (int64_t i = b0; i < b1; i++) {
			uint32_t k = k4[i];
			mh[k & (RADIX_R - 1)]++;
			mh[RADIX_R + ((k >> RADIX_BITS) & (RADIX_R - 1))]++;
			mh[2 * RADIX_R + (k >> (2 * RADIX_BITS))]++;
		}
	} else {
		for (int64_t i = b0; i < b1; i++) {
			uint64_t k = kget(j->keys, w, i);
			for (int p = 0; p < npass; p++)
				mh[p * RADIX_R + ((k >> (RADIX_BITS * p)) & (RADIX_R - 1))]++;
		}
	}
	#pragma omp barrier
	#pragma omp for schedule(static)
	for (int d = 0; d < npass * RADIX_R; d++) {
		int64_t s = 0;
		for (int t = 0; t < T; t++)
			s += h[(size_t)t * npass * RADIX_R + d];
		tot[d] = s;
	}
	void *src = j->keys, *dst = j->tk;
	int64_t *si = j->idx, *di = j->ti;
	int counted = 1;
	for (int p = 0; p < npass; p++) {
		const int64_t *tp = tot + p * RADIX_R;
		int sh = RADIX_BITS * p, constant = 0;
		for (int d = 0; d < RADIX_R && !constant; d++)
			constant = tp[d] == n;
		if (constant)
			continue;
		if (!counted) {
			/* the data moved: count this chunk again */
			int64_t *c = mh + p * RADIX_R;
			memset(c, 0, sizeof(int64_t) * RADIX_R);
			for (int64_t i = b0; i < b1; i++)
				c[(kget(src, w, i) >> sh) & (RADIX_R - 1)]++;
			#pragma omp barrier
		}
		counted = 0;
		int64_t acc = 0;
		for (int d = 0; d < RADIX_R; d++) {
			int64_t o = acc;
			for (int t = 0; t < me; t++)
				o += h[((size_t)t * npass + p) * RADIX_R + d];
			pos[d] = o;
			acc += tp[d];
		}
		if (si) {
			for (int64_t i = b0; i < b1; i++) {
				uint64_t k = kget(src, w, i);
				int64_t q = pos[(k >> sh) & (RADIX_R - 1)]++;
				kput(dst, w, q, k);
				di[q] = si[i];
			}
			int64_t *t = si;
			si = di;
			di = t;
		} else {
			for (int64_t i = b0; i < b1; i++) {
				uint64_t k = kget(src, w, i);
				kput(dst, w, pos[(k >> sh) & (RADIX_R - 1)]++, k);
			}
		}
		void *t = src;
		src = dst;
		dst = t;
		/* every thread's scatter must end before the next count, and
		** every count before this pass's offsets are reused */
		#pragma omp barrier
	}
	if (me == 0)
		j->swapped = src != j->keys;
}

static void radix_thread4(radix_job *j)
{
	radix_thread(4, j);
}

static void radix_thread8(radix_job *j)
{
	radix_thread(8, j);
}

/* Stable LSD radix sort of n keys of width w (idx carried along when not
** NULL), 11-bit digits.  Histograms of every digit come from one read;
** a digit that is the same for all keys costs no pass (3 passes for
** float32 in [0, 1), 2 for int64 below 2^22).  With T threads each owns a
** contiguous chunk: per-thread counts of the chunk, offsets prefixed over
** digits then threads, so every thread scatters its chunk in order and the
** result is the stable one whatever T is.  Returns 1 when the sorted data
** ended in the scratch (tk, ti), 0 when in keys, idx. */
ALWAYS_INLINE int radix_sort(int w, int64_t n, void *keys, int64_t *idx, void *tk, int64_t *ti)
{
	if (n < 48) {
		for (int64_t i = 1; i < n; i++) {
			uint64_t k = kget(keys, w, i);
			int64_t x = idx ? idx[i] : 0, j = i;
			while (j > 0 && kget(keys, w, j - 1) > k) {
				kput(keys, w, j, kget(keys, w, j - 1));
				if (idx)
					idx[j] = idx[j - 1];
				j--;
			}
			kput(keys, w, j, k);
			if (idx)
				idx[j] = x;
		}
		return 0;
	}
	int npass = (8 * w + RADIX_BITS - 1) / RADIX_BITS;
	int nt = n >= SORT_PAR_MIN && !omp_in_parallel() ? omp_get_max_threads() : 1;
	if (nt > n / (SORT_PAR_MIN / 2))
		nt = (int)(n / (SORT_PAR_MIN / 2));
	if (nt < 1)
		nt = 1;
	/* per-thread counts [nt][npass][R], then the totals [npass][R] */
	int64_t *h = calloc((size_t)(nt + 1) * (size_t)npass * RADIX_R, sizeof(int64_t));
	if (!h) {
		/* no scratch for histograms: a shell sort keeps the result ordered
		** (equal keys may then lose their original order) */
		for (int64_t gap = n / 2; gap > 0; gap /= 2)
			for (int64_t i = gap; i < n; i++)
				for (int64_t j = i; j >= gap && kget(keys, w, j - gap) > kget(keys, w, j); j -= gap) {
					uint64_t t = kget(keys, w, j);
					kput(keys, w, j, kget(keys, w, j - gap));
					kput(keys, w, j - gap, t);
					if (idx) {
						int64_t u = idx[j];
						idx[j] = idx[j - gap];
						idx[j - gap] = u;
					}
				}
		return 0;
	}
	radix_job job = { n, keys, idx, tk, ti, h, h + (size_t)nt * npass * RADIX_R, 0 };
	#pragma omp parallel num_threads(nt) if (nt > 1)
	{
		if (w == 4)
			radix_thread4(&job);
		else
			radix_thread8(&job);
	}
	int swapped = job.swapped;
	free(h);
	return swapped;
}

static int radix_sort32(int64_t n, uint32_t *keys, int64_t *idx, uint32_t *tk, int64_t *ti)
{
	return radix_sort(4, n, keys, idx, tk, ti);
}

static int radix_sort64(int64_t n, uint64_t *keys, int64_t *idx, uint64_t *tk, int64_t *ti)
{
	return radix_sort(8, n, keys, idx, tk, ti);
}

void ha__sort_keys(int64_t n, uint64_t *keys, int64_t *idx, uint64_t *tk, int64_t *ti)
{
	if (radix_sort64(n, keys, idx, tk, ti)) {
		memcpy(keys, tk, sizeof(uint64_t) * (size_t)n);
		if (idx)
			memcpy(idx, ti, sizeof(int64_t) * (size_t)n);
	}
}

/* Stable merge of the nr sorted runs of keys[n] (run r starts at b[r];
** b[nr] = n), idx along when not NULL, by rounds of pairwise merges into
** the scratch and back; an element of a later run goes after the equal
** keys of an earlier one, so the result is the stable sort's.  b is
** overwritten.  Returns 1 when the result ended in the scratch. */
ALWAYS_INLINE int merge_runs(int w, int64_t n, int nr, int64_t *b, void *keys, int64_t *idx,
                             void *tk, int64_t *ti)
{
	void *src = keys, *dst = tk;
	int64_t *si = idx, *di = ti;
	int swapped = 0;
	(void)n;
	while (nr > 1) {
		int m = 0;
		for (int r = 0; r < nr; r += 2, m++) {
			int64_t i = b[r], ie = b[r + 1], j = ie, je = r + 2 <= nr ? b[r + 2] : ie, o = i;
			if (r + 1 < nr) {
				while (i < ie && j < je) {
					uint64_t ki = kget(src, w, i), kj = kget(src, w, j);
					if (kj < ki) {
						kput(dst, w, o, kj);
						if (si)
							di[o] = si[j];
						j++;
					} else {
						kput(dst, w, o, ki);
						if (si)
							di[o] = si[i];
						i++;
					}
					o++;
				}
			}
			for (; i < ie; i++, o++) {
				kput(dst, w, o, kget(src, w, i));
				if (si)
					di[o] = si[i];
			}
			for (; j < je; j++, o++) {
				kput(dst, w, o, kget(src, w, j));
				if (si)
					di[o] = si[j];
			}
			b[m] = b[r];
		}
		b[m] = b[nr];
		nr = m;
		void *t = src;
		src = dst;
		dst = t;
		int64_t *u = si;
		si = di;
		di = u;
		swapped = !swapped;
	}
	return swapped;
}

static int merge_runs4(int64_t n, int nr, int64_t *b, uint32_t *k, int64_t *idx, uint32_t *tk,
                       int64_t *ti)
{
	return merge_runs(4, n, nr, b, k, idx, tk, ti);
}

static int merge_runs8(int64_t n, int nr, int64_t *b, uint64_t *k, int64_t *idx, uint64_t *tk,
                       int64_t *ti)
{
	return merge_runs(8, n, nr, b, k, idx, tk, ti);
}

/* Sort one line of n values of dtype t (element stride ss) into dst
** (stride ds; NULL: positions only), in place allowed; idx (NULL, or n
** positions, carried along) with ti as its scratch; kbuf holds 2n keys of
** key_width(t) bytes.  nr > 1: the line is nr sorted runs starting at
** b[0..nr-1] (b[nr] = n; overwritten), merged rather than sorted.
** Returns where the sorted positions are (idx or ti). */
static int64_t *sort_line(ha_dtype t, const void *src, int64_t n, int64_t ss, int desc, void *dst,
                          int64_t ds, int64_t *idx, int64_t *ti, void *kbuf, int nr, int64_t *b)
{
	uint64_t flip = desc ? key_mask(t) : 0;
	int in_scratch;
	if (key_width(t) == 4) {
		uint32_t *k = kbuf;
		keys_in(t, src, n, ss, flip, 4, k);
		in_scratch = nr > 1 ? merge_runs4(n, nr, b, k, idx, k + n, ti)
		                    : radix_sort32(n, k, idx, k + n, ti);
		if (dst)
			keys_out(t, in_scratch ? k + n : k, n, flip, 4, dst, ds);
	} else {
		uint64_t *k = kbuf;
		keys_in(t, src, n, ss, flip, 8, k);
		in_scratch = nr > 1 ? merge_runs8(n, nr, b, k, idx, k + n, ti)
		                    : radix_sort64(n, k, idx, k + n, ti);
		if (dst)
			keys_out(t, in_scratch ? k + n : k, n, flip, 8, dst, ds);
	}
	return in_scratch ? ti : idx;
}

/* ---- local sort along an axis held whole in the block ---- */

int ha__sort_local(const ha_array *a, int axis, int desc, ha_array **v, ha_array **ix)
{
	ha_array *vv = NULL, *ii = NULL;
	if (v) {
		vv = ha_array_alloc_lmap(a->dtype, a->ndim, a->gshape, a->split, a->lmap, a->device, a->comm);
		if (!vv)
			return -1;
	}
	if (ix) {
		ii = ha_array_alloc_lmap(HA_INT64, a->ndim, a->gshape, a->split, a->lmap, a->device, a->comm);
		if (!ii) {
			if (vv)
				ha_release(vv);
			return -1;
		}
	}
	int64_t pre = 1, post = 1, L = a->ndim ? a->lshape[axis] : 1;
	for (int d = 0; d < a->ndim; d++) {
		if (d < axis)
			pre *= a->lshape[d];
		else if (d > axis)
			post *= a->lshape[d];
	}
	int64_t lines = L ? pre * post : 0;
	size_t es = ha_dtype_size(a->dtype);
	int failed = 0;
	#pragma omp parallel if (lines > 1 && lines * L > 65536) reduction(|:failed)
	{
		void *k = malloc((size_t)key_width(a->dtype) * 2 * (size_t)(L ? L : 1));
		int64_t *x = ix ? malloc(sizeof(int64_t) * 2 * (size_t)(L ? L : 1)) : NULL;
		if (!k || (ix && !x)) {
			failed = 1;
		} else {
			#pragma omp for schedule(static)
			for (int64_t l = 0; l < lines; l++) {
				int64_t p = l / post, s = l % post, base = p * L * post + s;
				if (x)
					for (int64_t i = 0; i < L; i++)
						x[i] = i;
				int64_t *sx = sort_line(a->dtype, (const char *)a->data + (size_t)base * es, L,
				                        post, desc, vv ? (char *)vv->data + (size_t)base * es : NULL,
				                        post, x, x ? x + L : NULL, k, 1, NULL);
				if (x) {
					int64_t *o = (int64_t *)ii->data + base;
					for (int64_t i = 0; i < L; i++)
						o[i * post] = sx[i];
				}
			}
		}
		free(k);
		free(x);
	}
	if (failed) {
		if (vv)
			ha_release(vv);
		if (ii)
			ha_release(ii);
		return ha_error_set(HA_EMEMORY, "out of memory in sort");
	}
	if (v)
		*v = vv;
	if (ix)
		*ix = ii;
	return 0;
}

/* ---- PSRS ---- */

typedef struct sample { uint64_t key; int64_t tie; } sample;

static int sample_cmp(const void *x, const void *y)
{
	const sample *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->tie > b->tie) - (a->tie < b->tie);
}

/* Key of vals[i] (descending: flipped), for samples and pivots. */
static uint64_t key_at(ha_dtype t, const void *vals, int64_t i, uint64_t flip)
{
	return key_of(t, (const char *)vals + (size_t)i * ha_dtype_size(t)) ^ flip;
}

/* First i with (key(vals[i]), tie(i)) >= pivot; tie(i) = idx[i] or
** base + i. */
static int64_t lower_bound(ha_dtype t, const void *vals, uint64_t flip, const int64_t *idx,
                           int64_t base, int64_t n, sample piv)
{
	int64_t lo = 0, hi = n;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		sample s = { key_at(t, vals, mid, flip), idx ? idx[mid] : base + mid };
		if (sample_cmp(&s, &piv) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Wrap a rank-local buffer (this rank's part of chunk map lmap) as an
** array, then move it to the balanced map. */
static ha_array *balanced_from(ha_dtype t, const ha_array *like, const int64_t *lmap,
                               const void *data)
{
	ha_array *tmp = ha_array_alloc_lmap(t, 1, like->gshape, 0, lmap, like->device, like->comm);
	if (!tmp)
		return NULL;
	memcpy(tmp->data, data, (size_t)ha_lnbytes(tmp));
	if (ha_is_balanced(tmp))
		return tmp;
	int64_t *bal = malloc(sizeof(int64_t) * (size_t)like->comm->size);
	ha_array *r = NULL;
	if (!bal) {
		ha_error_set(HA_EMEMORY, "out of memory in sort");
	} else {
		ha_chunk_map(like->gshape[0], like->comm->size, bal);
		r = ha_redistribute(tmp, bal);
	}
	free(bal);
	ha_release(tmp);
	return r;
}

static int psrs(const ha_array *a, int desc, ha_array **v, ha_array **ix)
{
	ha_comm *c = a->comm;
	int P = c->size, me = c->rank;
	int64_t n = a->lshape[0], base = a->loffset;
	ha_dtype t = a->dtype;
	size_t es = ha_dtype_size(t), kw = (size_t)key_width(t);
	uint64_t flip = desc ? key_mask(t) : 0;
	int want_ix = ix != NULL, rc = -1;
	/* keys of the local sort, later of the merge: 2 * max(n, R) keys */
	void *kbuf = malloc(kw * 2 * (size_t)(n ? n : 1));
	int64_t *idx = want_ix ? malloc(sizeof(int64_t) * 2 * (size_t)(n ? n : 1)) : NULL;
	int64_t *cnt = calloc((size_t)(P * P + 12 * P + 3), sizeof(int64_t));
	sample *smp = malloc(sizeof(sample) * (size_t)(P * P + P + 1));
	char *sbuf = ha__malloc((size_t)n * es), *rbuf = NULL;
	int64_t *ridx = NULL;
	if (ha__agree(!kbuf || (want_ix && !idx) || !cnt || !smp || (n && !sbuf), ha_gnbytes(a), c,
	              "sort")) {
		free(kbuf);
		free(idx);
		free(cnt);
		free(smp);
		free(sbuf);
		return -1;
	}
	int64_t *M = cnt, *sc = cnt + P * P, *sd = sc + P, *rcn = sd + P, *rd = rcn + P,
	        *scnt = rd + P, *sdis = scnt + P, *lmap = sdis + P, *bnd = lmap + P,
	        *row = bnd + P + 1, *mc = row + P, *md = mc + P;
	sample *mine = smp + P * P;

	/* 1. local sort, the values straight into the send buffer */
	if (want_ix)
		for (int64_t i = 0; i < n; i++)
			idx[i] = base + i;
	int64_t *sidx = sort_line(t, a->data, n, 1, desc, sbuf, 1, idx, idx ? idx + n : NULL, kbuf, 1,
	                          NULL);

	/* 2. regular samples of every non-empty rank, pivots */
	int64_t off = 0, S = 0;
	for (int r = 0; r < P; r++) {
		scnt[r] = a->lmap[r] > 0 ? P * (int64_t)sizeof(sample) : 0;
		sdis[r] = off;
		off += scnt[r];
		S += a->lmap[r] > 0 ? P : 0;
	}
	for (int j = 0; j < P && n > 0; j++) {
		int64_t p = (int64_t)j * n / P;
		mine[j].key = key_at(t, sbuf, p, flip);
		mine[j].tie = sidx ? sidx[p] : base + p;
	}
	if (ha_allgather_bytes(mine, scnt[me], smp, scnt, sdis, c, "sort"))
		goto out;
	qsort(smp, (size_t)S, sizeof(sample), sample_cmp);
	bnd[0] = 0;
	for (int r = 1; r < P; r++)
		bnd[r] = S ? lower_bound(t, sbuf, flip, sidx, base, n, smp[(int64_t)r * S / P]) : n;
	bnd[P] = n;
	for (int r = 1; r <= P; r++)
		if (bnd[r] < bnd[r - 1])
			bnd[r] = bnd[r - 1];

	/* 3. the P x P element counts, replicated */
	for (int r = 0; r < P; r++) {
		row[r] = bnd[r + 1] - bnd[r];
		mc[r] = P * (int64_t)sizeof(int64_t);
		md[r] = (int64_t)r * mc[r];
	}
	if (ha_allgather_bytes(row, mc[me], M, mc, md, c, "sort"))
		goto out;
	int64_t R = 0;
	for (int r = 0; r < P; r++) {
		lmap[r] = 0;
		for (int s = 0; s < P; s++)
			lmap[r] += M[s * P + r];
	}
	R = lmap[me];

	/* 4. values (as the dtype, smaller than keys) and indices */
	rbuf = ha__malloc((size_t)R * es);
	ridx = want_ix ? malloc(sizeof(int64_t) * 2 * (size_t)(R ? R : 1)) : NULL;
	if (R > n) {
		void *k = realloc(kbuf, kw * 2 * (size_t)R);
		if (k)
			kbuf = k;
		else
			R = -1;
	}
	if (ha__agree(R < 0 || (R && !rbuf) || (want_ix && !ridx), ha_gnbytes(a), c, "sort"))
		goto out;
	int64_t so = 0, ro = 0;
	for (int r = 0; r < P; r++) {
		sc[r] = M[me * P + r] * (int64_t)es;
		sd[r] = so;
		so += sc[r];
		rcn[r] = M[r * P + me] * (int64_t)es;
		rd[r] = ro;
		ro += rcn[r];
	}
	if (ha_alltoall_bytes(sbuf, sc, sd, rbuf, rcn, rd, c, "sort"))
		goto out;
	if (want_ix) {
		for (int r = 0; r < P; r++) {
			sc[r] = sc[r] / (int64_t)es * 8;
			sd[r] = sd[r] / (int64_t)es * 8;
			rcn[r] = rcn[r] / (int64_t)es * 8;
			rd[r] = rd[r] / (int64_t)es * 8;
		}
		if (ha_alltoall_bytes(sidx, sc, sd, ridx, rcn, rd, c, "sort"))
			goto out;
	}

	/* 5. merge the runs (they arrive in rank order: stable keeps ties);
	** up to 8 runs by rounds of pairwise merges, more by a radix sort */
	int64_t *rb = cnt + P * P + 11 * P + 2, acc = 0;
	for (int r = 0; r < P; r++) {
		rb[r] = acc;
		acc += M[r * P + me];
	}
	rb[P] = acc;
	int64_t *sridx = sort_line(t, rbuf, R, 1, desc, rbuf, 1, ridx, ridx ? ridx + R : NULL, kbuf,
	                           P <= 8 ? P : 1, rb);

	/* 6. back to the balanced chunk map */
	ha_array *vv = NULL, *ii = NULL;
	if (v && !(vv = balanced_from(t, a, lmap, rbuf)))
		goto out;
	if (want_ix && !(ii = balanced_from(HA_INT64, a, lmap, sridx))) {
		if (vv)
			ha_release(vv);
		goto out;
	}
	if (v)
		*v = vv;
	if (ix)
		*ix = ii;
	rc = 0;
out:
	free(kbuf);
	free(idx);
	free(cnt);
	free(smp);
	free(sbuf);
	free(rbuf);
	free(ridx);
	return rc;
}

/* ---- sort / argsort ---- */

static int sort_any(const ha_array *a, int axis, int desc, ha_array **v, ha_array **ix)
{
	if (ha_dtype_is_complex(a->dtype))
		return ha_error_set(HA_ETYPE, "sort is not supported for complex arrays");
	if (ha__norm_axis(axis, a->ndim, &axis))
		return -1;
	int P = a->comm->size, k = a->split;
	if (k != axis || P == 1)
		return ha__sort_local(a, axis, desc, v, ix);
	if (a->ndim == 1)
		return psrs(a, desc, v, ix);
	/* n-D along the split axis */
	int64_t others = 1;
	int j = -1;
	for (int d = 0; d < a->ndim; d++)
		if (d != axis) {
			others *= a->gshape[d];
			if (j < 0 || a->gshape[d] > a->gshape[j])
				j = d;
		}
	ha_array *vv = NULL, *ii = NULL;
	if (others == 1) {
		/* (1, n, 1)-like: sort the 1-D array with PSRS */
		int64_t n = a->gshape[axis];
		ha_array *f = ha_reshape(a, 1, &n, 0);
		if (!f)
			return -1;
		int rc = psrs(f, desc, v ? &vv : NULL, ix ? &ii : NULL);
		ha_release(f);
		if (rc)
			return -1;
	} else {
		ha_array *b = ha_resplit(a, j);
		if (!b)
			return -1;
		int rc = ha__sort_local(b, axis, desc, v ? &vv : NULL, ix ? &ii : NULL);
		ha_release(b);
		if (rc)
			return -1;
	}
	/* back to a's shape and split */
	ha_array *outs[2] = { vv, ii };
	for (int t = 0; t < 2; t++) {
		if (!outs[t])
			continue;
		ha_array *r = others == 1 ? ha_reshape(outs[t], a->ndim, a->gshape, axis)
		                          : ha_resplit(outs[t], axis);
		ha_release(outs[t]);
		outs[t] = r;
	}
	if ((v && !outs[0]) || (ix && !outs[1])) {
		if (outs[0])
			ha_release(outs[0]);
		if (outs[1])
			ha_release(outs[1]);
		return -1;
	}
	if (v)
		*v = outs[0];
	if (ix)
		*ix = outs[1];
	return 0;
}

ha_array *ha_sort(const ha_array *a, int axis, int descending, ha_array **indices)
{
	ha_array *v = NULL;
	if (sort_any(a, axis, descending, &v, indices))
		return NULL;
	return v;
}

ha_array *ha_argsort(const ha_array *a, int axis, int descending)
{
	ha_array *ix = NULL;
	if (sort_any(a, axis, descending, NULL, &ix))
		return NULL;
	return ix;
}

/* ---- topk ---- */

static void rm_head(const void *ctx, int64_t g, int *q, int64_t *r)
{
	(void)ctx;
	*q = 0;
	*r = g;
}

int ha_topk(const ha_array *a, int64_t k, int axis, int largest, ha_array **values,
            ha_array **indices)
{
	if (ha__norm_axis(axis, a->ndim, &axis))
		return -1;
	if (k < 0 || k > a->gshape[axis])
		return ha_error_set(HA_EVALUE, "selected index k out of range");
	ha_array *v = NULL, *ix = NULL;
	if (sort_any(a, axis, largest, values ? &v : NULL, indices ? &ix : NULL))
		return -1;
	ha_array *src[2] = { v, ix }, *res[2] = { NULL, NULL };
	int rc = 0;
	for (int t = 0; t < 2; t++) {
		if (!src[t])
			continue;
		ha_array *const in[1] = { src[t] };
		res[t] = ha__rowmap(1, in, axis, k, rm_head, NULL, NULL, "topk");
		ha_release(src[t]);
		if (!res[t])
			rc = -1;
	}
	if (rc) {
		for (int t = 0; t < 2; t++)
			if (res[t])
				ha_release(res[t]);
		return -1;
	}
	if (values)
		*values = res[0];
	if (indices)
		*indices = res[1];
	return 0;
}

/* ---- searchsorted ---- */

static int64_t bound(const uint64_t *keys, int64_t n, uint64_t k, int right)
{
	int64_t lo = 0, hi = n;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		if (right ? keys[mid] <= k : keys[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

ha_array *ha_searchsorted(const ha_array *sorted, const ha_array *v, int right)
{
	if (sorted->ndim != 1) {
		ha_error_set(HA_EVALUE, "searchsorted: the sorted array must be 1-D, not %d-D", sorted->ndim);
		return NULL;
	}
	if (ha_dtype_is_complex(sorted->dtype) || ha_dtype_is_complex(v->dtype)) {
		ha_error_set(HA_ETYPE, "searchsorted is not supported for complex arrays");
		return NULL;
	}
	ha_dtype t = ha_promote_types(sorted->dtype, v->dtype);
	ha_array *s = sorted->dtype == t ? ha_retain((ha_array *)sorted) : ha_astype(sorted, t);
	ha_array *w = NULL, *r = NULL;
	uint64_t *sk = NULL, *vk = NULL;
	if (!s)
		return NULL;
	/* a split `sorted`: every rank counts within its chunk for every value */
	int dist = s->split >= 0 && s->comm->size > 1;
	if (dist && v->split >= 0)
		w = ha_resplit(v, HA_SPLIT_NONE);
	else
		w = ha_retain((ha_array *)v);
	if (w && w->dtype != t) {
		ha_array *x = ha_astype(w, t);
		ha_release(w);
		w = x;
	}
	if (!w)
		goto out;
	int64_t ns = s->lshape[0], nv = ha_lnumel(w);
	sk = malloc(sizeof(uint64_t) * (size_t)(ns ? ns : 1));
	vk = malloc(sizeof(uint64_t) * (size_t)(nv ? nv : 1));
	r = ha_array_alloc_lmap(HA_INT64, w->ndim, w->gshape, w->split, w->lmap, w->device, w->comm);
	if (ha__agree(!sk || !vk || !r, ha_gnbytes(w) * 2, w->comm, "searchsorted")) {
		if (r)
			ha_release(r);
		r = NULL;
		goto out;
	}
	ha__to_keys(t, s->data, ns, 1, sk);
	ha__to_keys(t, w->data, nv, 1, vk);
	int64_t *o = r->data;
	#pragma omp parallel for schedule(static) if (nv > 4096)
	for (int64_t i = 0; i < nv; i++)
		o[i] = bound(sk, ns, vk[i], right);
	if (dist) {
		if (ha_allreduce(MPI_IN_PLACE, o, nv, MPI_INT64_T, MPI_SUM, s->comm, "searchsorted")) {
			ha_release(r);
			r = NULL;
			goto out;
		}
		if (v->split >= 0) {
			/* back to v's chunk map: keep this rank's rows */
			ha_array *x = ha_array_alloc_lmap(HA_INT64, v->ndim, v->gshape, v->split, v->lmap,
			                                  v->device, v->comm);
			if (x) {
				int64_t box[HA_MAXDIM], soff[HA_MAXDIM] = { 0 }, doff[HA_MAXDIM] = { 0 };
				memcpy(box, x->lshape, sizeof(int64_t) * (size_t)v->ndim);
				soff[v->split] = x->loffset;
				ha_copy_box(8, v->ndim, box, r->data, r->gshape, soff, x->data, x->lshape, doff);
			}
			ha_release(r);
			r = x;
		}
	}
out:
	free(sk);
	free(vk);
	ha_release(s);
	if (w)
		ha_release(w);
	return r;
}
