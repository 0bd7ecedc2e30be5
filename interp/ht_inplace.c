/*
** ht_inplace.c — the in-place DNDarray methods of Heat's arithmetics.py:
** x.add_(y), x.mul_(2), x.neg_(), x.cumsum_(0) ... (and their aliases
** subtract_, multiply_, divide_, ...).  Each overwrites x's elements and
** returns x itself.  x keeps its dtype, shape, split and chunk map, as
** torch's in-place ops do: a result that does not cast same-kind to x's
** dtype raises TypeError (int32 .div_(2) -> float32 does not), the same
** error as x /= 2; an operand that would broadcast x to a larger shape
** raises ValueError.  The other operand is aligned to x's distribution
** exactly as for x + y (see ha_ops.h).
*/
#include "ht_internal.h"

/* x OP= y with y a number or anything array-like */
static hi_val binary_(hi_val *a, int op)
{
	ha_array *x = hi_arr(a[0]);
	ha_scalar s;
	int rc;
	if (hi_val_scalar(a[1], &s)) {
		rc = ha_binary_scalar_inplace(op, x, s);
	} else {
		ha_array *y = hi_as_array(a[1], -1, x->comm);
		if (!y)
			return hi_err();
		rc = ha_binary_inplace(op, x, y);
		ha_release(y);
	}
	if (rc)
		return hi_raise_ha();
	return hi_incref(a[0]);
}

#define BINARY_(NAME, OP) \
	static hi_val f_##NAME(hi_val *a, void *ctx) { (void)ctx; return binary_(a, OP); }

BINARY_(add_, HA_ADD)
BINARY_(sub_, HA_SUB)
BINARY_(mul_, HA_MUL)
BINARY_(div_, HA_TRUEDIV)
BINARY_(floordiv_, HA_FLOORDIV)
BINARY_(mod_, HA_MOD)
BINARY_(fmod_, HA_FMOD)
BINARY_(pow_, HA_POW)
BINARY_(bitwise_and_, HA_BITWISE_AND)
BINARY_(bitwise_or_, HA_BITWISE_OR)
BINARY_(bitwise_xor_, HA_BITWISE_XOR)
BINARY_(left_shift_, HA_LEFT_SHIFT)
BINARY_(right_shift_, HA_RIGHT_SHIFT)
BINARY_(copysign_, HA_COPYSIGN)
BINARY_(hypot_, HA_HYPOT)
BINARY_(gcd_, HA_GCD)
BINARY_(lcm_, HA_LCM)

static hi_val unary_(hi_val *a, int op)
{
	if (ha_unary_inplace(op, hi_arr(a[0])))
		return hi_raise_ha();
	return hi_incref(a[0]);
}

static hi_val f_neg_(hi_val *a, void *ctx) { (void)ctx; return unary_(a, HA_NEGATIVE); }
static hi_val f_invert_(hi_val *a, void *ctx) { (void)ctx; return unary_(a, HA_INVERT); }

/* Overwrite x with r (same dtype, shape and distribution: x[...] = r,
** which then moves nothing) and return x. */
static hi_val assign(hi_val self, ha_array *r)
{
	if (!r)
		return hi_raise_ha();
	ha_index all = { .kind = HA_IX_ELLIPSIS };
	int rc = ha_setitem(hi_arr(self), 1, &all, r);
	ha_release(r);
	if (rc)
		return hi_raise_ha();
	return hi_incref(self);
}

static hi_val f_nan_to_num_(hi_val *a, void *ctx)
{
	(void)ctx;
	double nan, pinf, ninf;
	int have_p, have_n;
	if (hi_nan_to_num_args(a, &nan, &pinf, &ninf, &have_p, &have_n))
		return hi_err();
	return assign(a[0], ha_nan_to_num(hi_arr(a[0]), nan, have_p ? &pinf : NULL, have_n ? &ninf : NULL));
}

/* cumsum_/cumprod_ accumulate in x's own dtype (torch's in-place scan),
** so int32 stays int32 where ht.cumsum would give int64. */
static hi_val scan_(hi_val *a, int prod)
{
	ha_array *x = hi_arr(a[0]);
	int axis;
	if (hi_get_axis(a[1], x->ndim, &axis))
		return hi_err();
	return assign(a[0], prod ? ha_cumprod(x, axis, x->dtype) : ha_cumsum(x, axis, x->dtype));
}

static hi_val f_cumsum_(hi_val *a, void *ctx) { (void)ctx; return scan_(a, 0); }
static hi_val f_cumprod_(hi_val *a, void *ctx) { (void)ctx; return scan_(a, 1); }

#define INPLACE "\n\nIn place: x keeps its dtype, shape and distribution and is returned.\n" \
	"TypeError when the result does not cast same-kind to x's dtype (an int\n" \
	"array .div_(2)); ValueError when `other` would broadcast x to a larger\n" \
	"shape. `other` (a number or an array of any split) is aligned to x as\n" \
	"for the operator: no communication when it is replicated or split like x."
#define B_(NAME, FN, WHAT) { #NAME "(self, other)", f_##FN, WHAT INPLACE },

static const hi_builtin_def inplace_methods[] = {
	B_(add_, add_, "x.add_(other): x += other (ht.add).")
	B_(sub_, sub_, "x.sub_(other): x -= other (ht.sub).")
	B_(subtract_, sub_, "The same as x.sub_(other).")
	B_(mul_, mul_, "x.mul_(other): x *= other (ht.mul).")
	B_(multiply_, mul_, "The same as x.mul_(other).")
	B_(div_, div_, "x.div_(other): x /= other (ht.div); x must be floating point\n"
	   "(or complex) to hold the quotient.")
	B_(divide_, div_, "The same as x.div_(other).")
	B_(floordiv_, floordiv_, "x.floordiv_(other): x //= other (ht.floordiv).")
	B_(floor_divide_, floordiv_, "The same as x.floordiv_(other).")
	B_(mod_, mod_, "x.mod_(other): x %= other, with the sign of other (ht.mod).")
	B_(remainder_, mod_, "The same as x.mod_(other).")
	B_(fmod_, fmod_, "x.fmod_(other): C's fmod, the sign of x (ht.fmod).")
	B_(pow_, pow_, "x.pow_(other): x **= other (ht.pow).")
	B_(power_, pow_, "The same as x.pow_(other).")
	B_(bitwise_and_, bitwise_and_, "x.bitwise_and_(other): x &= other (integers and bools).")
	B_(bitwise_or_, bitwise_or_, "x.bitwise_or_(other): x |= other (integers and bools).")
	B_(bitwise_xor_, bitwise_xor_, "x.bitwise_xor_(other): x ^= other (integers and bools).")
	B_(left_shift_, left_shift_, "x.left_shift_(other): x <<= other (integers).")
	B_(right_shift_, right_shift_, "x.right_shift_(other): x >>= other (integers).")
	B_(copysign_, copysign_, "x.copysign_(other): |x| with the sign of other (ht.copysign);\n"
	   "x must be floating point.")
	B_(hypot_, hypot_, "x.hypot_(other): sqrt(x**2 + other**2) (ht.hypot); x must be\n"
	   "floating point.")
	B_(gcd_, gcd_, "x.gcd_(other): the greatest common divisor of |x| and |other|\n"
	   "(ht.gcd; integers only).")
	B_(lcm_, lcm_, "x.lcm_(other): the least common multiple of |x| and |other|\n"
	   "(ht.lcm; integers only).")
	{ "neg_(self)", f_neg_, "x.neg_(): x = -x (ht.neg). Local; returns x." },
	{ "negative_(self)", f_neg_, "The same as x.neg_()." },
	{ "invert_(self)", f_invert_,
	  "x.invert_(): x = ~x, bitwise NOT (logical NOT for bools; ht.invert).\n"
	  "TypeError for floating point x. Local; returns x." },
	{ "bitwise_not_(self)", f_invert_, "The same as x.invert_()." },
	{ "nan_to_num_(self, nan=0.0, posinf=None, neginf=None)", f_nan_to_num_,
	  "x.nan_to_num_(): replace NaN by nan and +-inf by posinf/neginf (default:\n"
	  "the dtype's largest finite values) in place (ht.nan_to_num). Local;\n"
	  "returns x." },
	{ "cumsum_(self, axis)", f_cumsum_,
	  "x.cumsum_(axis): the cumulative sum along axis, in place, accumulated in\n"
	  "x's dtype (ht.cumsum). Along the split axis: a local scan plus one\n"
	  "Exscan of each rank's last slice. Returns x." },
	{ "cumprod_(self, axis)", f_cumprod_,
	  "x.cumprod_(axis): the cumulative product along axis, in place, in x's\n"
	  "dtype (ht.cumprod). Along the split axis: a local scan plus one Exscan\n"
	  "of each rank's last slice. Returns x." },
	{ "cumproduct_(self, axis)", f_cumprod_, "The same as x.cumprod_(axis)." },
	{ 0 }
};

void hi_init_ht_inplace(void)
{
	hi_register_methods(HI_ARRAY, inplace_methods);
}
