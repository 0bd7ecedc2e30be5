/*
** ht_math.c — elementwise functions: the unary math (sqrt, exp, sin ...,
** rounding, predicates), the binary arithmetic, comparison, logical and
** bitwise functions, and where clip isclose allclose round nan_to_num.
** All are collective in the runtime's sense (operands are aligned to the
** dominant operand's distribution, see ha_ops.h); with operands of the
** same split (or replicated) nothing is communicated.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"
#include "../grammar/ast.h"

static hi_val unary(hi_val *a, int op)
{
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	ha_array *r = ha_unary(op, x);
	ha_release(x);
	return hi_to_out(hi_array_new(r), a[1]);
}

static hi_val binary(hi_val *a, int op)
{
	hi_val l = a[0], r = a[1];
	ha_scalar s;
	ha_array *res;
	if (l.kind == HI_ARRAY && hi_val_scalar(r, &s)) {
		res = ha_binary_scalar(op, hi_arr(l), s, 0);
	} else if (r.kind == HI_ARRAY && hi_val_scalar(l, &s)) {
		res = ha_binary_scalar(op, hi_arr(r), s, 1);
	} else {
		ha_array *x = hi_as_array(l, -1, NULL);
		if (!x)
			return hi_err();
		ha_array *y = hi_as_array(r, -1, x->comm);
		if (!y) {
			ha_release(x);
			return hi_err();
		}
		res = ha_binary(op, x, y);
		ha_release(x);
		ha_release(y);
	}
	return hi_to_out(hi_array_new(res), a[2]);
}

#define UNARY_FN(NAME, OP) \
	static hi_val f_##NAME(hi_val *a, void *ctx) { (void)ctx; return unary(a, OP); }
#define BINARY_FN(NAME, OP) \
	static hi_val f_##NAME(hi_val *a, void *ctx) { (void)ctx; return binary(a, OP); }

UNARY_FN(abs, HA_ABS)
UNARY_FN(negative, HA_NEGATIVE)
UNARY_FN(positive, HA_POSITIVE)
UNARY_FN(sqrt, HA_SQRT)
UNARY_FN(cbrt, HA_CBRT)
UNARY_FN(square, HA_SQUARE)
UNARY_FN(exp, HA_EXP)
UNARY_FN(expm1, HA_EXPM1)
UNARY_FN(exp2, HA_EXP2)
UNARY_FN(log, HA_LOG)
UNARY_FN(log2, HA_LOG2)
UNARY_FN(log10, HA_LOG10)
UNARY_FN(log1p, HA_LOG1P)
UNARY_FN(sin, HA_SIN)
UNARY_FN(cos, HA_COS)
UNARY_FN(tan, HA_TAN)
UNARY_FN(arcsin, HA_ARCSIN)
UNARY_FN(arccos, HA_ARCCOS)
UNARY_FN(arctan, HA_ARCTAN)
UNARY_FN(sinh, HA_SINH)
UNARY_FN(cosh, HA_COSH)
UNARY_FN(tanh, HA_TANH)
UNARY_FN(arcsinh, HA_ARCSINH)
UNARY_FN(arccosh, HA_ARCCOSH)
UNARY_FN(arctanh, HA_ARCTANH)
UNARY_FN(deg2rad, HA_DEG2RAD)
UNARY_FN(rad2deg, HA_RAD2DEG)
UNARY_FN(floor, HA_FLOOR)
UNARY_FN(ceil, HA_CEIL)
UNARY_FN(trunc, HA_TRUNC)
UNARY_FN(fix, HA_FIX)
UNARY_FN(sign, HA_SIGN)
UNARY_FN(isnan, HA_ISNAN)
UNARY_FN(isinf, HA_ISINF)
UNARY_FN(isfinite, HA_ISFINITE)
UNARY_FN(isposinf, HA_ISPOSINF)
UNARY_FN(isneginf, HA_ISNEGINF)
UNARY_FN(signbit, HA_SIGNBIT)
UNARY_FN(logical_not, HA_LOGICAL_NOT)
UNARY_FN(invert, HA_INVERT)
UNARY_FN(real, HA_REAL)
UNARY_FN(imag, HA_IMAG)
UNARY_FN(conj, HA_CONJ)

BINARY_FN(add, HA_ADD)
BINARY_FN(sub, HA_SUB)
BINARY_FN(mul, HA_MUL)
BINARY_FN(div, HA_TRUEDIV)
BINARY_FN(floordiv, HA_FLOORDIV)
BINARY_FN(mod, HA_MOD)
BINARY_FN(fmod, HA_FMOD)
BINARY_FN(eq, HA_EQ)
BINARY_FN(ne, HA_NE)
BINARY_FN(lt, HA_LT)
BINARY_FN(le, HA_LE)
BINARY_FN(gt, HA_GT)
BINARY_FN(ge, HA_GE)
BINARY_FN(logical_and, HA_LOGICAL_AND)
BINARY_FN(logical_or, HA_LOGICAL_OR)
BINARY_FN(logical_xor, HA_LOGICAL_XOR)
BINARY_FN(bitwise_and, HA_BITWISE_AND)
BINARY_FN(bitwise_or, HA_BITWISE_OR)
BINARY_FN(bitwise_xor, HA_BITWISE_XOR)
BINARY_FN(left_shift, HA_LEFT_SHIFT)
BINARY_FN(right_shift, HA_RIGHT_SHIFT)
BINARY_FN(gcd, HA_GCD)
BINARY_FN(lcm, HA_LCM)
BINARY_FN(maximum, HA_MAXIMUM)
BINARY_FN(minimum, HA_MINIMUM)
BINARY_FN(fmax, HA_FMAX)
BINARY_FN(fmin, HA_FMIN)
BINARY_FN(arctan2, HA_ARCTAN2)
BINARY_FN(hypot, HA_HYPOT)
BINARY_FN(copysign, HA_COPYSIGN)
BINARY_FN(logaddexp, HA_LOGADDEXP)
BINARY_FN(logaddexp2, HA_LOGADDEXP2)

/* pow of two Python numbers stays Python's (pow(2, 10) is 1024), so the
** global `pow` keeps working for scalar code. */
static hi_val f_pow(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_scalar s;
	if (a[0].kind != HI_ARRAY && a[1].kind != HI_ARRAY && hi_val_scalar(a[0], &s) && hi_val_scalar(a[1], &s)
	    && (hi_isabsent(a[2]) || a[2].kind == HI_NONE))
		return hi_binop(HG_OP_POW, a[0], a[1]);
	return binary(a, HA_POW);
}

static hi_val f_angle(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val args[2] = { a[0], hi_none() };
	hi_val r = unary(args, HA_ANGLE);
	int deg = hi_truthy(a[1]);
	if (hi_iserr(r) || deg <= 0)
		return deg < 0 ? (hi_decref(r), hi_err()) : r;
	ha_array *d = ha_unary(HA_RAD2DEG, hi_arr(r));
	hi_decref(r);
	return hi_array_new(d);
}

static hi_val f_round(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t dec;
	if (hi_as_int64(a[1], &dec, "decimals"))
		return hi_err();
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	ha_array *r = ha_round(x, (int)dec);
	ha_release(x);
	if (r && !(hi_isabsent(a[3]) || a[3].kind == HI_NONE)) {
		ha_dtype t;
		if (hi_get_dtype(a[3], &t)) {
			ha_release(r);
			return hi_err();
		}
		if (t != r->dtype && ha_astype_(r, t)) {
			ha_release(r);
			return hi_raise_ha();
		}
	}
	return hi_to_out(hi_array_new(r), a[2]);
}

static hi_val f_clip(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	hi_val lo = a[1], hi = a[2];
	if (lo.kind == HI_NONE && hi.kind == HI_NONE) {
		ha_release(x);
		return hi_raise(hi_ValueError, "One of max or min must be given");
	}
	ha_scalar sl, sh;
	int lo_s = lo.kind == HI_NONE || hi_val_scalar(lo, &sl);
	int hi_s = hi.kind == HI_NONE || hi_val_scalar(hi, &sh);
	ha_array *r;
	if (lo_s && hi_s) {
		r = ha_clip_scalar(x, lo.kind == HI_NONE ? NULL : &sl, hi.kind == HI_NONE ? NULL : &sh);
	} else {
		ha_array *l = lo.kind == HI_NONE ? NULL : hi_as_array(lo, -1, x->comm);
		ha_array *h = hi.kind == HI_NONE ? NULL : hi_as_array(hi, -1, x->comm);
		if ((lo.kind != HI_NONE && !l) || (hi.kind != HI_NONE && !h)) {
			if (l)
				ha_release(l);
			if (h)
				ha_release(h);
			ha_release(x);
			return hi_err();
		}
		r = ha_clip(x, l, h);
		if (l)
			ha_release(l);
		if (h)
			ha_release(h);
	}
	ha_release(x);
	return hi_to_out(hi_array_new(r), a[3]);
}

/* where's x and y: a Python number is weakly typed (Heat's result_type),
** so it is made a 0-d array of the result dtype, which converts its value
** exactly once. */
static ha_array *where_operand(hi_val v, int kind, ha_dtype rt, ha_comm *comm)
{
	if (kind != HA_OPERAND_SCALAR)
		return hi_as_array(v, -1, comm);
	ha_scalar s;
	hi_val_scalar(v, &s);
	ha_array *r = ha_full(rt, 0, NULL, s, HA_SPLIT_NONE, HA_DEVICE_CPU, v.local ? &hi_self_comm : comm);
	if (!r)
		hi_raise_ha();
	return r;
}

static hi_val f_where(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *c = hi_as_array(a[0], -1, NULL);
	if (!c)
		return hi_err();
	ha_dtype tx = HA_FLOAT32, ty = HA_FLOAT32, rt = HA_FLOAT32;
	int kx, ky;
	if (!hi_operand_type(a[1], &tx, &kx))
		kx = -1;
	if (!hi_operand_type(a[2], &ty, &ky))
		ky = -1;
	if (kx >= 0 && ky >= 0)
		rt = ha_result_type(tx, kx, ty, ky);
	ha_array *x = where_operand(a[1], kx, rt, c->comm);
	ha_array *y = x ? where_operand(a[2], ky, rt, c->comm) : NULL;
	ha_array *r = y ? ha_where(c, x, y) : NULL;
	int failed_here = !y;
	ha_release(c);
	if (x)
		ha_release(x);
	if (y)
		ha_release(y);
	if (failed_here)
		return hi_err();
	return hi_array_new(r);
}

static int close_args(hi_val *a, ha_array **x, ha_array **y, double *rtol, double *atol, int *eqnan)
{
	if (hi_as_double(a[2], rtol, "rtol") || hi_as_double(a[3], atol, "atol"))
		return -1;
	*eqnan = hi_truthy(a[4]);
	if (*eqnan < 0)
		return -1;
	*x = hi_as_array(a[0], -1, NULL);
	if (!*x)
		return -1;
	*y = hi_as_array(a[1], -1, (*x)->comm);
	if (!*y) {
		ha_release(*x);
		return -1;
	}
	return 0;
}

static hi_val f_isclose(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x, *y;
	double rtol, atol;
	int eqnan;
	if (close_args(a, &x, &y, &rtol, &atol, &eqnan))
		return hi_err();
	ha_array *r = ha_isclose(x, y, rtol, atol, eqnan);
	ha_release(x);
	ha_release(y);
	return hi_array_new(r);
}

static hi_val f_allclose(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x, *y;
	double rtol, atol;
	int eqnan, out = 0;
	if (close_args(a, &x, &y, &rtol, &atol, &eqnan))
		return hi_err();
	int rc = ha_allclose(x, y, rtol, atol, eqnan, &out);
	ha_release(x);
	ha_release(y);
	if (rc)
		return hi_raise_ha();
	return hi_bool(out);
}

int hi_nan_to_num_args(const hi_val *a, double *nan, double *pinf, double *ninf, int *have_p,
                       int *have_n)
{
	if (hi_as_double(a[1], nan, "nan"))
		return -1;
	*have_p = a[2].kind != HI_NONE;
	*have_n = a[3].kind != HI_NONE;
	if ((*have_p && hi_as_double(a[2], pinf, "posinf")) || (*have_n && hi_as_double(a[3], ninf, "neginf")))
		return -1;
	return 0;
}

static hi_val f_nan_to_num(hi_val *a, void *ctx)
{
	(void)ctx;
	double nan, pinf, ninf;
	int have_p, have_n;
	if (hi_nan_to_num_args(a, &nan, &pinf, &ninf, &have_p, &have_n))
		return hi_err();
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	ha_array *r = ha_nan_to_num(x, nan, have_p ? &pinf : NULL, have_n ? &ninf : NULL);
	ha_release(x);
	return hi_array_new(r);
}

#define ELEM " Elementwise; no communication when the operands share a split\n" \
	"(or are replicated); the result has the split of the (dominant) operand."
#define U(NAME, FN, WHAT) { #NAME "(x, out=None)", f_##FN, WHAT ELEM },
#define B(NAME, FN, WHAT) { #NAME "(t1, t2, out=None)", f_##FN, WHAT ELEM \
	"\nBroadcasting is NumPy's; Python numbers are weakly typed (an int32 array\n" \
	"plus 3 stays int32, plus 1.5 gives float32)." },

static const hi_builtin_def math_defs[] = {
	U(abs, abs, "Absolute value |x| (integers stay integers; complex gives its real dtype).")
	U(absolute, abs, "Absolute value |x| (the same as ht.abs).")
	U(fabs, abs, "Absolute value |x| (the same as ht.abs).")
	U(negative, negative, "-x.")
	U(neg, negative, "-x (the same as ht.negative).")
	U(positive, positive, "+x (a copy).")
	U(pos, positive, "+x (the same as ht.positive).")
	U(sqrt, sqrt, "Square root. Integers give float32 (int64: float64).")
	U(cbrt, cbrt, "Cube root. Integers give float32 (int64: float64).")
	U(square, square, "x * x in x's dtype.")
	U(exp, exp, "e ** x. Integers give float32 (int64: float64).")
	U(expm1, expm1, "e ** x - 1, accurate for small x.")
	U(exp2, exp2, "2 ** x.")
	U(log, log, "Natural logarithm.")
	U(log2, log2, "Base-2 logarithm.")
	U(log10, log10, "Base-10 logarithm.")
	U(log1p, log1p, "log(1 + x), accurate for small x.")
	U(sin, sin, "Sine (radians). Example: ht.arange(5).sin()")
	U(cos, cos, "Cosine (radians).")
	U(tan, tan, "Tangent (radians).")
	U(arcsin, arcsin, "Inverse sine.")
	U(asin, arcsin, "Inverse sine (the same as ht.arcsin).")
	U(arccos, arccos, "Inverse cosine.")
	U(acos, arccos, "Inverse cosine (the same as ht.arccos).")
	U(arctan, arctan, "Inverse tangent.")
	U(atan, arctan, "Inverse tangent (the same as ht.arctan).")
	U(sinh, sinh, "Hyperbolic sine.")
	U(cosh, cosh, "Hyperbolic cosine.")
	U(tanh, tanh, "Hyperbolic tangent.")
	U(arcsinh, arcsinh, "Inverse hyperbolic sine.")
	U(asinh, arcsinh, "Inverse hyperbolic sine (the same as ht.arcsinh).")
	U(arccosh, arccosh, "Inverse hyperbolic cosine.")
	U(acosh, arccosh, "Inverse hyperbolic cosine (the same as ht.arccosh).")
	U(arctanh, arctanh, "Inverse hyperbolic tangent.")
	U(atanh, arctanh, "Inverse hyperbolic tangent (the same as ht.arctanh).")
	U(deg2rad, deg2rad, "Degrees to radians.")
	U(radians, deg2rad, "Degrees to radians (the same as ht.deg2rad).")
	U(rad2deg, rad2deg, "Radians to degrees.")
	U(degrees, rad2deg, "Radians to degrees (the same as ht.rad2deg).")
	U(floor, floor, "Largest integer <= x (integers give float32, as in Heat).")
	U(ceil, ceil, "Smallest integer >= x (integers give float32, as in Heat).")
	U(trunc, trunc, "x rounded toward zero (integers give float32, as in Heat).")
	U(fix, fix, "x rounded toward zero (the same as ht.trunc).")
	U(sign, sign, "-1, 0 or 1 by the sign of x (integers give float32, as in Heat).")
	U(sgn, sign, "The sign of x (the same as ht.sign for real input).")
	U(isnan, isnan, "True where x is NaN (bool result).")
	U(isinf, isinf, "True where x is +inf or -inf (bool result).")
	U(isfinite, isfinite, "True where x is neither NaN nor infinite (bool result).")
	U(isposinf, isposinf, "True where x is +inf (bool result).")
	U(isneginf, isneginf, "True where x is -inf (bool result).")
	U(signbit, signbit, "True where the sign bit of x is set (bool result).")
	U(logical_not, logical_not, "not x, elementwise (bool result).")
	U(invert, invert, "~x: bitwise not of integers, logical not of bools.")
	U(bitwise_not, invert, "~x (the same as ht.invert).")
	U(real, real, "The real part (real input is returned as it is).")
	U(imag, imag, "The imaginary part (zeros for real input).")
	U(conj, conj, "The complex conjugate.")
	U(conjugate, conj, "The complex conjugate (the same as ht.conj).")
	B(add, add, "t1 + t2.")
	B(sub, sub, "t1 - t2. Example: ht.sub(a, b)")
	B(subtract, sub, "t1 - t2 (the same as ht.sub).")
	B(mul, mul, "t1 * t2.")
	B(multiply, mul, "t1 * t2 (the same as ht.mul).")
	B(div, div, "t1 / t2; integer operands give float32.")
	B(divide, div, "t1 / t2 (the same as ht.div).")
	B(true_divide, div, "t1 / t2 (the same as ht.div).")
	B(floordiv, floordiv, "t1 // t2 (floor of the quotient).")
	B(floor_divide, floordiv, "t1 // t2 (the same as ht.floordiv).")
	B(mod, mod, "t1 % t2 with the sign of t2 (Python's rule).")
	B(remainder, mod, "t1 % t2 (the same as ht.mod).")
	B(fmod, fmod, "C's fmod: the remainder with the sign of t1.")
	{ "pow(t1, t2, out=None)", f_pow,
	  "t1 ** t2 (integer powers stay integer). Two Python numbers give Python's\n"
	  "pow." ELEM },
	{ "power(t1, t2, out=None)", f_pow, "t1 ** t2 (the same as ht.pow)." ELEM },
	B(eq, eq, "t1 == t2 (bool result).")
	B(ne, ne, "t1 != t2 (bool result).")
	B(not_equal, ne, "t1 != t2 (the same as ht.ne).")
	B(lt, lt, "t1 < t2 (bool result).")
	B(less, lt, "t1 < t2 (the same as ht.lt).")
	B(le, le, "t1 <= t2 (bool result).")
	B(less_equal, le, "t1 <= t2 (the same as ht.le).")
	B(gt, gt, "t1 > t2 (bool result).")
	B(greater, gt, "t1 > t2 (the same as ht.gt).")
	B(ge, ge, "t1 >= t2 (bool result).")
	B(greater_equal, ge, "t1 >= t2 (the same as ht.ge).")
	B(logical_and, logical_and, "t1 and t2, elementwise (bool result).")
	B(logical_or, logical_or, "t1 or t2, elementwise (bool result).")
	B(logical_xor, logical_xor, "t1 xor t2, elementwise (bool result).")
	B(bitwise_and, bitwise_and, "t1 & t2 (integers and bools).")
	B(bitwise_or, bitwise_or, "t1 | t2 (integers and bools).")
	B(bitwise_xor, bitwise_xor, "t1 ^ t2 (integers and bools).")
	B(left_shift, left_shift, "t1 << t2 (integers).")
	B(right_shift, right_shift, "t1 >> t2 (integers).")
	B(maximum, maximum, "The larger of t1 and t2 (NaN if either is NaN).")
	B(minimum, minimum, "The smaller of t1 and t2 (NaN if either is NaN).")
	B(fmax, fmax, "The larger of t1 and t2, ignoring a NaN.")
	B(fmin, fmin, "The smaller of t1 and t2, ignoring a NaN.")
	B(arctan2, arctan2, "The angle of the point (t2, t1): arctan(t1 / t2) in the right quadrant.")
	B(atan2, arctan2, "The same as ht.arctan2.")
	B(hypot, hypot, "sqrt(t1**2 + t2**2) without overflow.")
	B(copysign, copysign, "|t1| with the sign of t2.")
	B(logaddexp, logaddexp, "log(exp(t1) + exp(t2)) without overflow.")
	B(logaddexp2, logaddexp2, "log2(2**t1 + 2**t2) without overflow.")
	{ "angle(x, deg=False)", f_angle,
	  "The argument (phase) of complex numbers, in radians (degrees with deg=True)." ELEM },
	{ "round(x, decimals=0, out=None, dtype=None)", f_round,
	  "Round to the given number of decimals, halves to even (0.5 -> 0, 1.5 -> 2,\n"
	  "2.5 -> 2). Integers give float32 as in Heat; dtype casts the result." ELEM },
	{ "clip(x, min, max, out=None)", f_clip,
	  "Limit the values to [min, max] (either may be None): minimum(maximum(x,\n"
	  "min), max)." ELEM },
	{ "nan_to_num(x, nan=0.0, posinf=None, neginf=None)", f_nan_to_num,
	  "Replace NaN by nan and +-inf by posinf/neginf (default: the dtype's\n"
	  "largest finite values)." ELEM },
	{ 0 }
};

static const hi_builtin_def where_defs[] = {
	{ "where(cond, x, y)", f_where,
	  "x where cond is true, else y (cond is converted to bool; x and y may be\n"
	  "numbers). dtype = result_type(x, y). The result takes the distribution of\n"
	  "the first split operand among cond, x, y; the others are aligned to it\n"
	  "(no communication when all share a split or are replicated)." },
	{ "isclose(x, y, rtol=1e-05, atol=1e-08, equal_nan=False)", f_isclose,
	  "True where |x - y| <= atol + rtol * |y| (bool array)." ELEM },
	{ "allclose(x, y, rtol=1e-05, atol=1e-08, equal_nan=False)", f_allclose,
	  "True when isclose(x, y) holds everywhere: a Python bool, the same on every\n"
	  "rank. Collective: one Allreduce ('allclose') of a flag when distributed." },
	B(gcd, gcd, "The greatest common divisor of |t1| and |t2| (integers only;\n"
	  "gcd(0, 0) = 0). Floats and bools raise TypeError, as in NumPy.")
	B(lcm, lcm, "The least common multiple of |t1| and |t2| (integers only; 0 when\n"
	  "either is 0). Floats and bools raise TypeError, as in NumPy.")
	{ 0 }
};

/* Of where_defs, these are DNDarray methods too (x.isclose(y) ...), as in
** Heat's logical.py. */
static const char *const where_methods[] = { "isclose", "allclose", NULL };

void hi_init_ht_math(void)
{
	hi_ht_register(math_defs, 1);
	hi_ht_register(where_defs, 0);
	hi_ht_mirror(where_defs, where_methods);
}
