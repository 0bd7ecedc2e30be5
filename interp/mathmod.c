/*
** mathmod.c — the `math` module: Python's math functions on Python
** numbers (ints and floats), with Python's errors: ValueError("math domain
** error") outside a function's domain, OverflowError("math range error")
** when a finite argument gives an infinite result.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"
#include "valimpl.h"

/* A number as a double; values whose kind has __float__ (a one-element
** array) are accepted too. */
static int get_double(hi_val v, double *out)
{
	if (v.kind == HI_INT || v.kind == HI_BOOL || v.kind == HI_FLOAT)
		return hi_as_double(v, out, NULL);
	hi_val m = v.kind < HI_KIND_COUNT ? hi_method_lookup(v.kind, "__float__") : hi_absent();
	if (hi_isabsent(m))
		return hi_as_double(v, out, NULL);
	hi_val r = m.kind == HI_BUILTIN ? hi_call_builtin((hi_builtin *)m.o, 1, &v, 0, NULL, NULL)
	                                : hi_call(m, 1, &v, 0, NULL, NULL);
	hi_decref(m);
	if (hi_iserr(r))
		return -1;
	int rc = hi_as_double(r, out, NULL);
	hi_decref(r);
	return rc;
}

static hi_val domain_error(void) { return hi_raise(hi_ValueError, "math domain error"); }
static hi_val range_error(void) { return hi_raise(hi_OverflowError, "math range error"); }

/* Check a libm result as CPython's math_1 does. */
static hi_val checked(double x, double r, int can_overflow)
{
	if (isnan(r) && !isnan(x))
		return domain_error();
	if (isinf(r) && isfinite(x))
		return can_overflow ? range_error() : domain_error();
	return hi_float(r);
}

/* ---- one-argument functions: one C function, the libm call in ctx ---- */

typedef struct unary {
	double (*f)(double);
	int can_overflow;    /* 1: inf from finite x is OverflowError; 0: ValueError; -1: no check */
} unary;

static hi_val math_unary(hi_val *a, void *ctx)
{
	const unary *u = ctx;
	double x;
	if (get_double(a[0], &x) < 0)
		return hi_err();
	if (u->can_overflow < 0)   /* plain arithmetic: inf and nan pass through */
		return hi_float(u->f(x));
	return checked(x, u->f(x), u->can_overflow);
}

static double deg(double x) { return x * (180.0 / M_PI); }
static double rad(double x) { return x * (M_PI / 180.0); }

static const unary U_sqrt = { sqrt, 0 }, U_exp = { exp, 1 }, U_log2 = { log2, 0 },
	U_log10 = { log10, 0 }, U_sin = { sin, 0 }, U_cos = { cos, 0 }, U_tan = { tan, 0 },
	U_asin = { asin, 0 }, U_acos = { acos, 0 }, U_atan = { atan, 0 }, U_sinh = { sinh, 1 },
	U_cosh = { cosh, 1 }, U_tanh = { tanh, 0 }, U_fabs = { fabs, -1 }, U_deg = { deg, -1 },
	U_rad = { rad, -1 }, U_expm1 = { expm1, 1 }, U_log1p = { log1p, 0 };

static const struct {
	const char *sig;
	const unary *u;
	const char *doc;
} unaries[] = {
	{ "sqrt(x)", &U_sqrt, "Return the square root of x (ValueError for x < 0)." },
	{ "exp(x)", &U_exp, "Return e raised to the power of x." },
	{ "expm1(x)", &U_expm1, "Return exp(x) - 1, accurate also for small x." },
	{ "log2(x)", &U_log2, "Return the base-2 logarithm of x (ValueError for x <= 0)." },
	{ "log10(x)", &U_log10, "Return the base-10 logarithm of x (ValueError for x <= 0)." },
	{ "log1p(x)", &U_log1p, "Return the natural logarithm of 1 + x, accurate also for x near zero." },
	{ "sin(x)", &U_sin, "Return the sine of x (measured in radians)." },
	{ "cos(x)", &U_cos, "Return the cosine of x (measured in radians)." },
	{ "tan(x)", &U_tan, "Return the tangent of x (measured in radians)." },
	{ "asin(x)", &U_asin, "Return the arc sine of x, in radians (ValueError unless -1 <= x <= 1)." },
	{ "acos(x)", &U_acos, "Return the arc cosine of x, in radians (ValueError unless -1 <= x <= 1)." },
	{ "atan(x)", &U_atan, "Return the arc tangent of x, in radians." },
	{ "sinh(x)", &U_sinh, "Return the hyperbolic sine of x." },
	{ "cosh(x)", &U_cosh, "Return the hyperbolic cosine of x." },
	{ "tanh(x)", &U_tanh, "Return the hyperbolic tangent of x." },
	{ "fabs(x)", &U_fabs, "Return the absolute value of x as a float." },
	{ "degrees(x)", &U_deg, "Convert angle x from radians to degrees." },
	{ "radians(x)", &U_rad, "Convert angle x from degrees to radians." },
	{ NULL, NULL, NULL }
};

/* ---- the others ---- */

static hi_val m_log(hi_val *a, void *ctx)
{
	(void)ctx;
	double x, b;
	if (get_double(a[0], &x) < 0)
		return hi_err();
	if (x <= 0)   /* also -inf; log(0) is a domain error in Python */
		return domain_error();
	double lx = log(x);
	if (hi_isabsent(a[1]))
		return hi_float(lx);
	if (get_double(a[1], &b) < 0)
		return hi_err();
	if (b <= 0)
		return domain_error();
	double lb = log(b);
	if (lb == 0.0)
		return hi_raise(hi_ZeroDivisionError, "float division by zero");
	return hi_float(lx / lb);
}

static hi_val m_atan2(hi_val *a, void *ctx)
{
	(void)ctx;
	double y, x;
	if (get_double(a[0], &y) < 0 || get_double(a[1], &x) < 0)
		return hi_err();
	return hi_float(atan2(y, x));
}

static hi_val m_pow(hi_val *a, void *ctx)
{
	(void)ctx;
	double x, y;
	if (get_double(a[0], &x) < 0 || get_double(a[1], &y) < 0)
		return hi_err();
	double r = pow(x, y);
	if (isnan(r) && !isnan(x) && !isnan(y))
		return domain_error();
	if (isinf(r) && isfinite(x) && isfinite(y))
		return x == 0.0 ? domain_error() : range_error();
	return hi_float(r);
}

static hi_val m_hypot(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_tuple *t = hi_as_tuple(a[0]);
	double r = 0.0;
	int any_inf = 0, any_nan = 0;
	for (size_t i = 0; i < t->len; i++) {
		double x;
		if (get_double(t->items[i], &x) < 0)
			return hi_err();
		any_inf |= isinf(x);
		any_nan |= isnan(x);
		r = hypot(r, x);
	}
	if (any_inf)
		return hi_float(INFINITY);
	return hi_float(any_nan ? NAN : r);
}

/* floor/ceil/trunc give ints, as Python's do */
static hi_val to_int(hi_val v, double (*f)(double))
{
	if (v.kind == HI_INT || v.kind == HI_BOOL)
		return hi_int(v.i);
	double x;
	if (get_double(v, &x) < 0)
		return hi_err();
	return hi_int_from_double(f(x));
}

static hi_val m_floor(hi_val *a, void *ctx) { (void)ctx; return to_int(a[0], floor); }
static hi_val m_ceil(hi_val *a, void *ctx) { (void)ctx; return to_int(a[0], ceil); }
static hi_val m_trunc(hi_val *a, void *ctx) { (void)ctx; return to_int(a[0], trunc); }

static hi_val m_isnan(hi_val *a, void *ctx)
{
	(void)ctx;
	double x;
	return get_double(a[0], &x) < 0 ? hi_err() : hi_bool(isnan(x));
}

static hi_val m_isinf(hi_val *a, void *ctx)
{
	(void)ctx;
	double x;
	return get_double(a[0], &x) < 0 ? hi_err() : hi_bool(isinf(x));
}

static hi_val m_isfinite(hi_val *a, void *ctx)
{
	(void)ctx;
	double x;
	return get_double(a[0], &x) < 0 ? hi_err() : hi_bool(isfinite(x));
}

static hi_val m_isclose(hi_val *a, void *ctx)
{
	(void)ctx;
	double x, y, rel, abst;
	if (get_double(a[0], &x) < 0 || get_double(a[1], &y) < 0 ||
	    get_double(a[2], &rel) < 0 || get_double(a[3], &abst) < 0)
		return hi_err();
	if (rel < 0.0 || abst < 0.0)
		return hi_raise(hi_ValueError, "tolerances must be non-negative");
	if (x == y)
		return hi_bool(1);
	if (isinf(x) || isinf(y))
		return hi_bool(0);
	double diff = fabs(y - x);
	return hi_bool(diff <= fabs(rel * y) || diff <= fabs(rel * x) || diff <= abst);
}

static hi_val m_factorial(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t n;
	if (hi_as_int64(a[0], &n, NULL) < 0)
		return hi_err();
	if (n < 0)
		return hi_raise(hi_ValueError, "factorial() not defined for negative values");
	if (n > 20)
		return hi_raise(hi_OverflowError, "factorial(%lld) does not fit in a 64-bit int", (long long)n);
	int64_t r = 1;
	for (int64_t k = 2; k <= n; k++)
		r *= k;
	return hi_int(r);
}

static uint64_t gcd_u(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static hi_val m_gcd(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_tuple *t = hi_as_tuple(a[0]);
	uint64_t g = 0;
	for (size_t i = 0; i < t->len; i++) {
		int64_t v;
		if (hi_as_int64(t->items[i], &v, NULL) < 0)
			return hi_err();
		g = gcd_u(g, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	}
	if (g > (uint64_t)INT64_MAX)
		return hi_raise(hi_OverflowError, "integer overflow");
	return hi_int((int64_t)g);
}

static hi_val m_copysign(hi_val *a, void *ctx)
{
	(void)ctx;
	double x, y;
	if (get_double(a[0], &x) < 0 || get_double(a[1], &y) < 0)
		return hi_err();
	return hi_float(copysign(x, y));
}

static hi_val m_fmod(hi_val *a, void *ctx)
{
	(void)ctx;
	double x, y;
	if (get_double(a[0], &x) < 0 || get_double(a[1], &y) < 0)
		return hi_err();
	if (isinf(y) && isfinite(x))
		return hi_float(x);
	double r = fmod(x, y);
	if (isnan(r) && !isnan(x) && !isnan(y))
		return domain_error();
	return hi_float(r);
}

static hi_val m_prod(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_fold_binop(HG_OP_MUL, a[0], a[1]);
}

static const hi_builtin_def defs[] = {
	{ "log(x, base=?)", m_log,
	  "log(x[, base])\n\nReturn the logarithm of x to the given base (natural logarithm when no\n"
	  "base is given).  ValueError for x <= 0." },
	{ "atan2(y, x)", m_atan2,
	  "Return the arc tangent of y/x in radians, using the signs of both to find the\n"
	  "quadrant (the result is between -pi and pi)." },
	{ "pow(x, y)", m_pow,
	  "Return x raised to the power y as a float (unlike **, never an int)." },
	{ "hypot(*coordinates)", m_hypot,
	  "Return the Euclidean norm sqrt(sum(x**2 for x in coordinates)), the length\n"
	  "of the vector from the origin to the point." },
	{ "floor(x)", m_floor, "Return the floor of x: the largest integer <= x, as an int." },
	{ "ceil(x)", m_ceil, "Return the ceiling of x: the smallest integer >= x, as an int." },
	{ "trunc(x)", m_trunc, "Truncate x toward zero to an int." },
	{ "isnan(x)", m_isnan, "Return True if x is a NaN (not a number), False otherwise." },
	{ "isinf(x)", m_isinf, "Return True if x is a positive or negative infinity, False otherwise." },
	{ "isfinite(x)", m_isfinite, "Return True if x is neither an infinity nor a NaN, False otherwise." },
	{ "isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)", m_isclose,
	  "Return True if a and b are close: abs(a-b) <= max(rel_tol * max(abs(a), abs(b)),\n"
	  "abs_tol).  Infinities are close only to themselves, NaN to nothing." },
	{ "factorial(n)", m_factorial,
	  "Return n! for an integer n >= 0 (OverflowError beyond 20!, ha integers being\n"
	  "64-bit)." },
	{ "gcd(*integers)", m_gcd,
	  "Return the greatest common divisor of the integers (0 when all are zero or\n"
	  "none are given)." },
	{ "copysign(x, y)", m_copysign, "Return a float with the magnitude of x and the sign of y." },
	{ "fmod(x, y)", m_fmod,
	  "Return fmod(x, y) as C computes it: the remainder has the sign of x (unlike\n"
	  "x % y, whose result has the sign of y)." },
	{ "prod(iterable, *, start=1)", m_prod,
	  "Return start times the product of the items of iterable (start for an empty\n"
	  "one)." },
	{ NULL, NULL, NULL }
};

void hi_init_math(void)
{
	hi_val m = hi_module_new("math",
	                         "Mathematical functions on Python numbers.\n\n"
	                         "The functions of Python's math module for ints and floats: roots,\n"
	                         "powers, logarithms, trigonometry, rounding to ints, tests for\n"
	                         "inf/nan.  They work on one number at a time and on every rank alike;\n"
	                         "for arrays use the elementwise ht functions (ht.sqrt, ht.exp ...).");
	if (hi_iserr(m))
		return;
	hi_val d = hi_module_dict(m);
	for (int i = 0; unaries[i].sig; i++) {
		hi_builtin_def def = { unaries[i].sig, math_unary, unaries[i].doc };
		hi_val b = hi_builtin_new(&def, "math", (void *)unaries[i].u);
		hi_dict_set_str(d, ((hi_builtin *)b.o)->name, b);
		hi_decref(b);
	}
	hi_register(d, defs, "math");
	hi_dict_set_str(d, "pi", hi_float(M_PI));
	hi_dict_set_str(d, "e", hi_float(M_E));
	hi_dict_set_str(d, "tau", hi_float(2 * M_PI));
	hi_dict_set_str(d, "inf", hi_float(INFINITY));
	hi_dict_set_str(d, "nan", hi_float(NAN));
	hi_module_install(m);
	hi_decref(m);
}
