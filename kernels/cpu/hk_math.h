/*
** hk_math.h — the math vocabulary of ops_list.h, for the CPU (C) and the
** GPU (CUDA/HIP C++) backends alike.
**
** C: <tgmath.h> picks sqrtf/sqrt/csqrtf/csqrt from the operand type, so
** one expression serves float32, float64 and the complex types.
** CUDA/HIP: the same HK_* names map to the C++ overloads the device math
** library provides for float and double; the complex names are left
** undefined (the GPU backend does not instantiate the complex lists).
** The helpers below are shared text: HK_DEVICE marks them
** __host__ __device__ under nvcc/hipcc and is empty in C, so the CPU build
** compiles exactly what it did before and its tests check the same scalar
** math the GPU kernels run.
** Integer helpers work in int64 (every ha integer fits) and define the
** cases C leaves undefined: division by zero gives 0 (like torch for
** // and %), INT_MIN / -1 wraps, shifts outside [0, 63] saturate.
*/
#ifndef HK_MATH_H
#define HK_MATH_H

#include <stdint.h>
#include <stdbool.h>

#if defined(__CUDACC__) || defined(__HIPCC__)
#define HK_GPU_MATH 1
#define HK_DEVICE __host__ __device__
#include <math.h>
#else
#define HK_DEVICE
#include <complex.h>
#include <tgmath.h>
#endif

#define HK_FABS(x) fabs(x)
#define HK_SQRT(x) sqrt(x)
#define HK_CBRT(x) cbrt(x)
#define HK_EXP(x) exp(x)
#define HK_EXPM1(x) expm1(x)
#define HK_EXP2(x) exp2(x)
#define HK_LOG(x) log(x)
#define HK_LOG2(x) log2(x)
#define HK_LOG10(x) log10(x)
#define HK_LOG1P(x) log1p(x)
#define HK_SIN(x) sin(x)
#define HK_COS(x) cos(x)
#define HK_TAN(x) tan(x)
#define HK_ASIN(x) asin(x)
#define HK_ACOS(x) acos(x)
#define HK_ATAN(x) atan(x)
#define HK_SINH(x) sinh(x)
#define HK_COSH(x) cosh(x)
#define HK_TANH(x) tanh(x)
#define HK_ASINH(x) asinh(x)
#define HK_ACOSH(x) acosh(x)
#define HK_ATANH(x) atanh(x)
#define HK_FLOOR(x) floor(x)
#define HK_CEIL(x) ceil(x)
#define HK_TRUNC(x) trunc(x)
#define HK_RINT(x) nearbyint(x)          /* half to even in the default rounding mode */
#define HK_ISINF(x) isinf(x)
#define HK_ISFINITE(x) isfinite(x)
#define HK_SIGNBIT(x) (signbit(x) != 0)
#define HK_FMOD(x, y) fmod(x, y)
#define HK_POW(x, y) pow(x, y)
#define HK_FMAX(x, y) fmax(x, y)
#define HK_FMIN(x, y) fmin(x, y)
#define HK_ATAN2(x, y) atan2(x, y)
#define HK_HYPOT(x, y) hypot(x, y)
#define HK_COPYSIGN(x, y) copysign(x, y)

#ifndef HK_GPU_MATH
/* complex: the same generic names dispatch to the c* functions */
#define HK_CABS(z) fabs(z)
#define HK_CSQRT(z) sqrt(z)
#define HK_CEXP(z) exp(z)
#define HK_CLOG(z) log(z)
#define HK_CSIN(z) sin(z)
#define HK_CCOS(z) cos(z)
#define HK_CTAN(z) tan(z)
#define HK_CASIN(z) asin(z)
#define HK_CACOS(z) acos(z)
#define HK_CATAN(z) atan(z)
#define HK_CSINH(z) sinh(z)
#define HK_CCOSH(z) cosh(z)
#define HK_CTANH(z) tanh(z)
#define HK_CPOW(x, y) pow(x, y)
#define HK_CREAL(z) creal(z)
#define HK_CIMAG(z) cimag(z)
#define HK_CONJ(z) conj(z)
#define HK_CARG(z) carg(z)
#endif

/* ---- integers ---- */
static inline HK_DEVICE int64_t hk_ifloordiv(int64_t a, int64_t b)
{
	if (b == 0)
		return 0;
	if (b == -1)
		return (int64_t)(0 - (uint64_t)a);
	int64_t q = a / b;
	if (a % b != 0 && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static inline HK_DEVICE int64_t hk_imod(int64_t a, int64_t b)     /* Python: sign of the divisor */
{
	if (b == 0 || b == -1)
		return 0;
	int64_t r = a % b;
	if (r != 0 && ((r < 0) != (b < 0)))
		r += b;
	return r;
}

static inline HK_DEVICE int64_t hk_ifmod(int64_t a, int64_t b)    /* C: sign of the dividend */
{
	return (b == 0 || b == -1) ? 0 : a % b;
}

/* NumPy's gcd/lcm: of the absolute values, computed in uint64 so that
** |INT64_MIN| does not overflow; the cast back wraps as NumPy's does
** (gcd(-128, 0) in int8 is -128).  gcd(0, 0) = 0; lcm with a 0 is 0. */
static inline HK_DEVICE uint64_t hk_ugcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static inline HK_DEVICE uint64_t hk_uabs(int64_t a)
{
	return a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
}

static inline HK_DEVICE int64_t hk_igcd(int64_t a, int64_t b)
{
	return (int64_t)hk_ugcd(hk_uabs(a), hk_uabs(b));
}

static inline HK_DEVICE int64_t hk_ilcm(int64_t a, int64_t b)
{
	uint64_t x = hk_uabs(a), y = hk_uabs(b);
	if (x == 0 || y == 0)
		return 0;
	return (int64_t)(x / hk_ugcd(x, y) * y);
}

/* Negative exponents give the integer part of 1/a**-b (0 except for
** a = +-1), as torch does for tensor exponents. */
static inline HK_DEVICE int64_t hk_ipow(int64_t a, int64_t b)
{
	if (b < 0)
		return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
	uint64_t r = 1, x = (uint64_t)a;
	while (b) {
		if (b & 1)
			r *= x;
		x *= x;
		b >>= 1;
	}
	return (int64_t)r;
}

static inline HK_DEVICE int64_t hk_shl(int64_t a, int64_t b)
{
	return (b < 0 || b > 63) ? 0 : (int64_t)((uint64_t)a << b);
}

static inline HK_DEVICE int64_t hk_shr(int64_t a, int64_t b)
{
	return (b < 0 || b > 63) ? (a < 0 ? -1 : 0) : a >> b;
}

static inline HK_DEVICE int64_t hk_iabs(int64_t a)
{
	return a < 0 ? (int64_t)(0 - (uint64_t)a) : a;
}

static inline HK_DEVICE int hk_isneg(int64_t a)
{
	return a < 0;
}

/* ---- floats: Python's // and % (NumPy's npy_divmod) ---- */
#define HK_PYDIVMOD_(NAME, T, FMOD, FLOOR, COPYSIGN) \
static inline HK_DEVICE T NAME(T a, T b, T *modp) \
{ \
	T mod = FMOD(a, b); \
	if (b == 0) { \
		*modp = mod; \
		return a / b; \
	} \
	T div = (a - mod) / b; \
	if (mod != 0) { \
		if ((b < 0) != (mod < 0)) { \
			mod += b; \
			div -= 1; \
		} \
	} else { \
		mod = COPYSIGN((T)0, b); \
	} \
	T fl; \
	if (div != 0) { \
		fl = FLOOR(div); \
		if (div - fl > (T)0.5) \
			fl += 1; \
	} else { \
		fl = COPYSIGN((T)0, a / b); \
	} \
	*modp = mod; \
	return fl; \
}
HK_PYDIVMOD_(hk_divmodf, float, fmodf, floorf, copysignf)
HK_PYDIVMOD_(hk_divmodd, double, fmod, floor, copysign)
#undef HK_PYDIVMOD_

static inline HK_DEVICE float hk_floordivf(float a, float b) { float m; return hk_divmodf(a, b, &m); }
static inline HK_DEVICE double hk_floordivd(double a, double b) { double m; return hk_divmodd(a, b, &m); }
static inline HK_DEVICE float hk_pymodf(float a, float b) { float m; hk_divmodf(a, b, &m); return m; }
static inline HK_DEVICE double hk_pymodd(double a, double b) { double m; hk_divmodd(a, b, &m); return m; }
#ifdef HK_GPU_MATH
static inline HK_DEVICE float hk_pyfloordiv(float a, float b) { return hk_floordivf(a, b); }
static inline HK_DEVICE double hk_pyfloordiv(double a, double b) { return hk_floordivd(a, b); }
static inline HK_DEVICE float hk_pymod(float a, float b) { return hk_pymodf(a, b); }
static inline HK_DEVICE double hk_pymod(double a, double b) { return hk_pymodd(a, b); }
#define HK_PYFLOORDIV(a, b) hk_pyfloordiv(a, b)
#define HK_PYMOD(a, b) hk_pymod(a, b)
#else
#define HK_PYFLOORDIV(a, b) _Generic((a), float: hk_floordivf, default: hk_floordivd)(a, b)
#define HK_PYMOD(a, b) _Generic((a), float: hk_pymodf, default: hk_pymodd)(a, b)
#endif

/* log(exp(a) + exp(b)) without overflow; equal infinities stay finite-safe */
static inline HK_DEVICE float hk_logaddexpf(float a, float b)
{
	if (a == b)
		return a + 0.69314718055994530942f;
	float d = a - b;
	return d > 0 ? a + log1pf(expf(-d)) : d <= 0 ? b + log1pf(expf(d)) : d;
}
static inline HK_DEVICE double hk_logaddexpd(double a, double b)
{
	if (a == b)
		return a + 0.69314718055994530942;
	double d = a - b;
	return d > 0 ? a + log1p(exp(-d)) : d <= 0 ? b + log1p(exp(d)) : d;
}
static inline HK_DEVICE float hk_logaddexp2f(float a, float b)
{
	if (a == b)
		return a + 1.0f;
	float d = a - b;
	return d > 0 ? a + log1pf(exp2f(-d)) * 1.44269504088896340736f
	     : d <= 0 ? b + log1pf(exp2f(d)) * 1.44269504088896340736f : d;
}
static inline HK_DEVICE double hk_logaddexp2d(double a, double b)
{
	if (a == b)
		return a + 1.0;
	double d = a - b;
	return d > 0 ? a + log1p(exp2(-d)) * 1.44269504088896340736
	     : d <= 0 ? b + log1p(exp2(d)) * 1.44269504088896340736 : d;
}
#ifdef HK_GPU_MATH
static inline HK_DEVICE float hk_logaddexp(float a, float b) { return hk_logaddexpf(a, b); }
static inline HK_DEVICE double hk_logaddexp(double a, double b) { return hk_logaddexpd(a, b); }
static inline HK_DEVICE float hk_logaddexp2(float a, float b) { return hk_logaddexp2f(a, b); }
static inline HK_DEVICE double hk_logaddexp2(double a, double b) { return hk_logaddexp2d(a, b); }
#define HK_LOGADDEXP(a, b) hk_logaddexp(a, b)
#define HK_LOGADDEXP2(a, b) hk_logaddexp2(a, b)
#else
#define HK_LOGADDEXP(a, b) _Generic((a), float: hk_logaddexpf, default: hk_logaddexpd)(a, b)
#define HK_LOGADDEXP2(a, b) _Generic((a), float: hk_logaddexp2f, default: hk_logaddexp2d)(a, b)
#endif

/* NumPy's round with decimals: scale, round half to even, unscale */
static inline HK_DEVICE double hk_round_dec(double x, double decimals)
{
	if (decimals >= 0) {
		double f = pow(10.0, decimals);
		return nearbyint(x * f) / f;
	}
	double f = pow(10.0, -decimals);
	return nearbyint(x / f) * f;
}

/* |a - b| <= atol + rtol * |b|, infinities equal only to themselves */
static inline HK_DEVICE bool hk_isclose(double a, double b, double rtol, double atol, double equal_nan)
{
	if (a == b)
		return 1;
	if (a != a || b != b)
		return equal_nan != 0 && a != a && b != b;
	if (isinf(a) || isinf(b))
		return 0;
	return fabs(a - b) <= atol + rtol * fabs(b);
}

static inline HK_DEVICE bool hk_cisclose(double ar, double ai, double br, double bi,
                               double rtol, double atol, double equal_nan)
{
	if (ar == br && ai == bi)
		return 1;
	int an = ar != ar || ai != ai, bn = br != br || bi != bi;
	if (an || bn)
		return equal_nan != 0 && an && bn;
	if (isinf(ar) || isinf(ai) || isinf(br) || isinf(bi))
		return 0;
	return hypot(ar - br, ai - bi) <= atol + rtol * hypot(br, bi);
}

#endif
