/*
** sort_internal.h — what the sort files share: order-preserving keys and
** the radix engine (sort_radix.c) that the local sort (sort.c) and the
** distributed sample sort (sort_dist.c) drive.
**
** A value's key is an unsigned integer whose order is the value order
** (integers with the sign bit flipped, IEEE floats with the usual sign
** trick, NaN largest).  Keys are 32-bit for dtypes of at most 4 bytes (half
** the memory traffic of 64-bit keys) and 64-bit otherwise.  Descending
** order XORs the key with its mask (sk_flip), which complements it.  The
** helpers are always inlined with a constant dtype, so their switches fold.
*/
#ifndef HA_SORT_INTERNAL_H
#define HA_SORT_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#include "ha.h"

#define SK_INLINE static inline __attribute__((always_inline))

#define SK_F32_TOP UINT32_C(0x80000000)
#define SK_F64_TOP UINT64_C(0x8000000000000000)

/* Element counts from which the key loops and the radix sort use the
** rank's threads (below it a team costs more than it saves). */
#define SORT_PAR_MIN 131072

/* Pseudo-dtypes of the radix engine: raw keys in, sorted keys left in a
** buffer (no values read or written). */
#define SK_RAW32 100
#define SK_RAW64 101

/* Key width in bytes of dtype (or pseudo-dtype) t. */
SK_INLINE int sk_width(int t)
{
	return t == HA_INT64 || t == HA_FLOAT64 || t == SK_RAW64 ? 8 : 4;
}

/* Element size in bytes of dtype t (0 for the pseudo-dtypes). */
SK_INLINE int sk_size(int t)
{
	switch (t) {
	case HA_BOOL:
	case HA_UINT8:
	case HA_INT8:
		return 1;
	case HA_INT16:
		return 2;
	case HA_INT32:
	case HA_FLOAT32:
		return 4;
	case HA_INT64:
	case HA_FLOAT64:
		return 8;
	default:
		return 0;
	}
}

/* The complement mask of dtype t's keys (descending order). */
SK_INLINE uint64_t sk_flip(int t)
{
	int bits = t == HA_BOOL ? 8 : 8 * sk_size(t);
	return bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

SK_INLINE uint64_t sk_get(const void *k, int w, int64_t i)
{
	return w == 4 ? ((const uint32_t *)k)[i] : ((const uint64_t *)k)[i];
}

SK_INLINE void sk_put(void *k, int w, int64_t i, uint64_t v)
{
	if (w == 4)
		((uint32_t *)k)[i] = (uint32_t)v;
	else
		((uint64_t *)k)[i] = v;
}

/* Key of the value at p. */
SK_INLINE uint64_t sk_key(int t, const char *p)
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
		return (uint32_t)*(const int32_t *)p ^ SK_F32_TOP;
	case HA_INT64:
		return (uint64_t)*(const int64_t *)p ^ SK_F64_TOP;
	case HA_FLOAT32: {
		float f;
		uint32_t u;
		memcpy(&f, p, 4);
		memcpy(&u, p, 4);
		return isnan(f) ? UINT32_MAX : (u & SK_F32_TOP) ? ~u : (u | SK_F32_TOP);
	}
	case HA_FLOAT64: {
		double f;
		uint64_t u;
		memcpy(&f, p, 8);
		memcpy(&u, p, 8);
		return isnan(f) ? UINT64_MAX : (u & SK_F64_TOP) ? ~u : (u | SK_F64_TOP);
	}
	default:
		return 0;
	}
}

/* The value of key k, stored at p. */
SK_INLINE void sk_value(int t, uint64_t k, char *p)
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
		*(int32_t *)p = (int32_t)(uint32_t)(k ^ SK_F32_TOP);
		break;
	case HA_INT64:
		*(int64_t *)p = (int64_t)(k ^ SK_F64_TOP);
		break;
	case HA_FLOAT32: {
		uint32_t c = (uint32_t)k, u = (c & SK_F32_TOP) ? (c ^ SK_F32_TOP) : ~c;
		memcpy(p, &u, 4);
		break;
	}
	case HA_FLOAT64: {
		uint64_t u = (k & SK_F64_TOP) ? (k ^ SK_F64_TOP) : ~k;
		memcpy(p, &u, 8);
		break;
	}
	default:
		break;
	}
}

/* One stable LSD radix sort (11-bit digits; a digit that is the same for
** every key costs no pass).  Input: n values of dtype t at vin (element
** stride vs) with positions 0, 1, ... when wanted, or else n keys at kin
** with positions iin (NULL when not wanted).  The key conversion is fused
** into the first pass and the inverse into the last one, which writes the
** element of sorted position q to
**   vout[(q - lo) * vos], iout[(q - lo) * ios]   when lo <= q < hi,
**   vside[q], iside[q]                           otherwise
** (the window lets the distributed sort write its own part of the result
** straight into the result array).  Without vout and iout (the SK_RAW*
** pseudo-dtypes) the sorted keys and positions stay in a scratch buffer:
** ka/ia when the call returns 1, kb/ib when it returns 0; kin must then
** be kb and iin ib.  Scratch: ka and kb of n keys, ia and ib of n
** positions when positions are wanted; kb (ib) may be kin (iin), but the
** outputs must not overlap the input.  Uses the rank's threads for long
** inputs outside a parallel region. */
typedef struct sk_job {
	int64_t n;
	uint64_t flip;
	const char *vin;
	int64_t vs;
	const void *kin;
	const int64_t *iin;
	int want_idx;
	void *ka, *kb;
	int64_t *ia, *ib;
	char *vout;
	int64_t vos;
	int64_t *iout;
	int64_t ios;
	int64_t lo, hi;
	char *vside;
	int64_t *iside;
	/* set by the engine */
	int nt;
	int64_t *h, *tot;
	char *wc;
	int where;
} sk_job;

int ha__radix(int t, sk_job *j);

/* Sort of a 1-D array split along axis 0 over P > 1 ranks (sort_dist.c):
** values into *v and/or int64 global positions into *ix, balanced.
** Collective. */
int ha__sort_dist(const ha_array *a, int descending, ha_array **v, ha_array **ix);

#endif
