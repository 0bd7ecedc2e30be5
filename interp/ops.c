/*
** ops.c — Python's arithmetic, bitwise and comparison operators on
** bool/int/float/complex, sequence concatenation and repetition, set
** algebra, ==, ordering and identity.  Array kinds take over through
** their binop/compare slots (value.h) before any rule here applies.
**
** ints are 64-bit: + - * ** << that do not fit raise OverflowError.
*/
#include <math.h>
#include <string.h>

#include "valimpl.h"

/* Set while hi_inplace_binop falls back to the plain operator, so the
** message names `+=` as Python's does. */
static int reporting_inplace;

static hi_val unsupported(int op, hi_val a, hi_val b)
{
	return hi_raise(hi_TypeError, "unsupported operand type(s) for %s%s: '%s' and '%s'",
	                hg_op_text(op), reporting_inplace ? "=" : "", hi_type_name(a), hi_type_name(b));
}

static hi_val overflow(void)
{
	return hi_raise(hi_OverflowError, "integer overflow");
}

static int is_intlike(hi_val v) { return v.kind == HI_INT || v.kind == HI_BOOL; }
static int is_real(hi_val v) { return v.kind == HI_INT || v.kind == HI_BOOL || v.kind == HI_FLOAT; }
static double as_f(hi_val v) { return v.kind == HI_FLOAT ? v.f : (double)v.i; }

/* ---- ints ---- */

static hi_val int_pow(int64_t a, int64_t b)
{
	if (b < 0) {
		if (a == 0)
			return hi_raise(hi_ZeroDivisionError, "0.0 cannot be raised to a negative power");
		return hi_float(pow((double)a, (double)b));
	}
	int64_t r = 1;
	while (b) {
		if ((b & 1) && __builtin_mul_overflow(r, a, &r))
			return overflow();
		b >>= 1;
		if (b && __builtin_mul_overflow(a, a, &a))
			return overflow();
	}
	return hi_int(r);
}

static hi_val int_binop(int op, hi_val x, hi_val y)
{
	int64_t a = x.i, b = y.i, r;
	int both_bool = x.kind == HI_BOOL && y.kind == HI_BOOL;
	switch (op) {
	case HG_OP_ADD: if (__builtin_add_overflow(a, b, &r)) return overflow(); return hi_int(r);
	case HG_OP_SUB: if (__builtin_sub_overflow(a, b, &r)) return overflow(); return hi_int(r);
	case HG_OP_MUL: if (__builtin_mul_overflow(a, b, &r)) return overflow(); return hi_int(r);
	case HG_OP_DIV:
		if (b == 0)
			return hi_raise(hi_ZeroDivisionError, "division by zero");
		/* beyond 2^53 the ints are not exact doubles: divide in long
		** double (64-bit mantissa, exact for int64) and round once more */
		return hi_float((double)((long double)a / (long double)b));
	case HG_OP_FLOORDIV:
	case HG_OP_MOD:
		if (b == 0)   /* CPython 3.11's two wordings */
			return hi_raise(hi_ZeroDivisionError, op == HG_OP_MOD ? "integer modulo by zero"
			                : "integer division or modulo by zero");
		if (b == -1)
			return op == HG_OP_MOD ? hi_int(0) : a == INT64_MIN ? overflow() : hi_int(-a);
		return hi_int(op == HG_OP_MOD ? hi_mod_i(a, b) : hi_floordiv_i(a, b));
	case HG_OP_POW: return int_pow(a, b);
	case HG_OP_AND: return both_bool ? hi_bool(a & b) : hi_int(a & b);
	case HG_OP_OR: return both_bool ? hi_bool(a | b) : hi_int(a | b);
	case HG_OP_XOR: return both_bool ? hi_bool(a ^ b) : hi_int(a ^ b);
	case HG_OP_LSHIFT:
		if (b < 0)
			return hi_raise(hi_ValueError, "negative shift count");
		if (a == 0)
			return hi_int(0);
		if (b >= 63 || (a << b) >> b != a)
			return overflow();
		return hi_int((int64_t)((uint64_t)a << b));
	case HG_OP_RSHIFT:
		if (b < 0)
			return hi_raise(hi_ValueError, "negative shift count");
		return hi_int(b >= 63 ? (a < 0 ? -1 : 0) : a >> b);
	default:
		return unsupported(op, x, y);
	}
}

/* ---- floats ---- */

static hi_val float_divmod(int op, double vx, double wx)
{
	if (wx == 0)
		return hi_raise(hi_ZeroDivisionError, op == HG_OP_MOD ? "float modulo"
		                : "float floor division by zero");
	double mod = fmod(vx, wx), div = (vx - mod) / wx;
	if (mod) {
		if ((wx < 0) != (mod < 0)) {
			mod += wx;
			div -= 1.0;
		}
	} else {
		mod = copysign(0.0, wx);
	}
	if (op == HG_OP_MOD)
		return hi_float(mod);
	double fl;
	if (div) {
		fl = floor(div);
		if (div - fl > 0.5)
			fl += 1.0;
	} else {
		fl = copysign(0.0, vx / wx);
	}
	return hi_float(fl);
}

static hi_val complex_pow(double ar, double ai, double br, double bi);

static hi_val float_pow(double a, double b)
{
	if (b == 0)
		return hi_float(1.0);
	if (isnan(a))
		return hi_float(a);
	if (isnan(b))
		return hi_float(a == 1.0 ? 1.0 : b);
	if (a == 0 && b < 0)
		return hi_raise(hi_ZeroDivisionError, "0.0 cannot be raised to a negative power");
	if (a < 0 && isfinite(b) && b != floor(b))
		return complex_pow(a, 0, b, 0);
	double r = pow(a, b);
	if (isinf(r) && isfinite(a) && isfinite(b))
		return hi_raise(hi_OverflowError, "(34, 'Numerical result out of range')");
	return hi_float(r);
}

static hi_val float_binop(int op, hi_val x, hi_val y)
{
	double a = as_f(x), b = as_f(y);
	switch (op) {
	case HG_OP_ADD: return hi_float(a + b);
	case HG_OP_SUB: return hi_float(a - b);
	case HG_OP_MUL: return hi_float(a * b);
	case HG_OP_DIV:
		if (b == 0)
			return hi_raise(hi_ZeroDivisionError, "float division by zero");
		return hi_float(a / b);
	case HG_OP_FLOORDIV:
	case HG_OP_MOD: return float_divmod(op, a, b);
	case HG_OP_POW: return float_pow(a, b);
	default: return unsupported(op, x, y);
	}
}

/* ---- complex (CPython's algorithms, so results match digit for digit) ---- */

typedef struct { double r, i; } cplx;

static cplx c_prod(cplx a, cplx b) { return (cplx){ a.r * b.r - a.i * b.i, a.r * b.i + a.i * b.r }; }

static int c_quot(cplx a, cplx b, cplx *out)
{
	double abr = fabs(b.r), abi = fabs(b.i);
	if (abr >= abi) {
		if (abr == 0.0)
			return -1;
		double ratio = b.i / b.r, denom = b.r + b.i * ratio;
		*out = (cplx){ (a.r + a.i * ratio) / denom, (a.i - a.r * ratio) / denom };
	} else if (abi >= abr) {
		double ratio = b.r / b.i, denom = b.r * ratio + b.i;
		*out = (cplx){ (a.r * ratio + a.i) / denom, (a.i * ratio - a.r) / denom };
	} else {
		*out = (cplx){ NAN, NAN };
	}
	return 0;
}

static cplx c_powu(cplx x, long n)
{
	cplx r = { 1, 0 }, p = x;
	for (long mask = 1; mask > 0 && n >= mask; mask <<= 1) {
		if (n & mask)
			r = c_prod(r, p);
		p = c_prod(p, p);
	}
	return r;
}

static hi_val complex_pow(double ar, double ai, double br, double bi)
{
	cplx a = { ar, ai }, r;
	if (bi == 0 && br == floor(br) && fabs(br) <= 100.0) {
		long n = (long)br;
		if (n >= 0) {
			r = c_powu(a, n);
		} else {
			if (a.r == 0 && a.i == 0)
				return hi_raise(hi_ZeroDivisionError, "0.0 to a negative or complex power");
			c_quot((cplx){ 1, 0 }, c_powu(a, -n), &r);
		}
	} else if (br == 0 && bi == 0) {
		r = (cplx){ 1, 0 };
	} else if (a.r == 0 && a.i == 0) {
		if (bi != 0 || br < 0)
			return hi_raise(hi_ZeroDivisionError, "0.0 to a negative or complex power");
		r = (cplx){ 0, 0 };
	} else {
		double vabs = hypot(a.r, a.i), len = pow(vabs, br), at = atan2(a.i, a.r), phase = at * br;
		if (bi != 0.0) {
			len /= exp(at * bi);
			phase += bi * log(vabs);
		}
		r = (cplx){ len * cos(phase), len * sin(phase) };
	}
	return hi_complex_new(r.r, r.i);
}

static cplx to_c(hi_val v)
{
	if (v.kind == HI_COMPLEX)
		return (cplx){ ((hi_complex *)v.o)->re, ((hi_complex *)v.o)->im };
	return (cplx){ as_f(v), 0 };
}

static hi_val complex_binop(int op, hi_val x, hi_val y)
{
	cplx a = to_c(x), b = to_c(y), r;
	switch (op) {
	case HG_OP_ADD: return hi_complex_new(a.r + b.r, a.i + b.i);
	case HG_OP_SUB: return hi_complex_new(a.r - b.r, a.i - b.i);
	case HG_OP_MUL: r = c_prod(a, b); return hi_complex_new(r.r, r.i);
	case HG_OP_DIV:
		if (c_quot(a, b, &r) < 0)
			return hi_raise(hi_ZeroDivisionError, "complex division by zero");
		return hi_complex_new(r.r, r.i);
	case HG_OP_POW: return complex_pow(a.r, a.i, b.r, b.i);
	default: return unsupported(op, x, y);
	}
}

/* ---- sequences and sets ---- */

static hi_val concat(hi_val a, hi_val b)
{
	if (a.kind != b.kind)
		return hi_raise(hi_TypeError, "can only concatenate %s (not \"%s\") to %s",
		                hi_type_name(a), hi_type_name(b), hi_type_name(a));
	if (a.kind == HI_STR) {
		hi_str *x = hi_as_str(a), *y = hi_as_str(b);
		hi_val r = hi_str_new(NULL, x->len + y->len);
		if (hi_iserr(r))
			return r;
		memcpy(hi_as_str(r)->s, x->s, x->len);
		memcpy(hi_as_str(r)->s + x->len, y->s, y->len);
		return r;
	}
	const hi_val *ia, *ib;
	size_t na, nb;
	if (a.kind == HI_LIST) {
		ia = hi_as_list(a)->items, na = hi_as_list(a)->len;
		ib = hi_as_list(b)->items, nb = hi_as_list(b)->len;
		hi_val r = hi_list_new(na + nb);
		if (hi_iserr(r))
			return r;
		hi_list *l = hi_as_list(r);
		for (size_t i = 0; i < na; i++)
			l->items[l->len++] = hi_incref(ia[i]);
		for (size_t i = 0; i < nb; i++)
			l->items[l->len++] = hi_incref(ib[i]);
		return r;
	}
	ia = hi_as_tuple(a)->items, na = hi_as_tuple(a)->len;
	ib = hi_as_tuple(b)->items, nb = hi_as_tuple(b)->len;
	hi_val r = hi_tuple_new(na + nb);
	if (hi_iserr(r))
		return r;
	for (size_t i = 0; i < na; i++)
		hi_as_tuple(r)->items[i] = hi_incref(ia[i]);
	for (size_t i = 0; i < nb; i++)
		hi_as_tuple(r)->items[na + i] = hi_incref(ib[i]);
	return r;
}

static hi_val repeat(hi_val seq, hi_val count)
{
	if (!is_intlike(count))
		return hi_raise(hi_TypeError, "can't multiply sequence by non-int of type '%s'",
		                hi_type_name(count));
	int64_t n = count.i < 0 ? 0 : count.i;
	size_t len = seq.kind == HI_STR ? hi_as_str(seq)->len
	           : seq.kind == HI_LIST ? hi_as_list(seq)->len : hi_as_tuple(seq)->len;
	if (len && (uint64_t)n > (uint64_t)(INT64_MAX / 16) / len)
		return hi_raise(hi_MemoryError, "repeated sequence too large");
	size_t total = len * (size_t)n;
	if (seq.kind == HI_STR) {
		hi_val r = hi_str_new(NULL, total);
		if (hi_iserr(r))
			return r;
		for (int64_t i = 0; i < n; i++)
			memcpy(hi_as_str(r)->s + (size_t)i * len, hi_as_str(seq)->s, len);
		return r;
	}
	const hi_val *items = seq.kind == HI_LIST ? hi_as_list(seq)->items : hi_as_tuple(seq)->items;
	hi_val r = seq.kind == HI_LIST ? hi_list_new(total) : hi_tuple_new(total);
	if (hi_iserr(r))
		return r;
	hi_val *out = seq.kind == HI_LIST ? hi_as_list(r)->items : hi_as_tuple(r)->items;
	for (size_t k = 0; k < total; k++)
		out[k] = hi_incref(items[k % len]);
	if (seq.kind == HI_LIST)
		hi_as_list(r)->len = total;
	return r;
}

/* dict | dict, set | & - ^ set. */
static hi_val set_binop(int op, hi_val a, hi_val b)
{
	if (a.kind == HI_DICT) {
		if (op != HG_OP_OR)
			return unsupported(op, a, b);
		hi_val r = hi_dict_copy(a);
		if (!hi_iserr(r) && hi_dict_update(r, b) < 0) {
			hi_decref(r);
			return hi_err();
		}
		return r;
	}
	hi_dict *x = hi_as_dict(a), *y = hi_as_dict(b);
	hi_val r = op == HG_OP_OR || op == HG_OP_XOR ? hi_dict_copy(a) : hi_set_new();
	if (hi_iserr(r))
		return r;
	hi_dict *src = op == HG_OP_OR || op == HG_OP_XOR ? y : x;
	for (size_t i = 0; i < src->used; i++) {
		hi_dict_entry *e = &src->entries[i];
		if (e->key.kind == HI_ERROR)
			continue;
		int64_t in_other = hi_dict_find(src == y ? x : y, e->key, e->hash);
		int rc = 0;
		if (op == HG_OP_OR)
			rc = hi_set_add(r, e->key);
		else if (op == HG_OP_XOR)
			rc = in_other >= 0 ? hi_set_discard(r, e->key) : hi_set_add(r, e->key);
		else if (op == HG_OP_AND && in_other >= 0)
			rc = hi_set_add(r, e->key);
		else if (op == HG_OP_SUB && in_other == -1)
			rc = hi_set_add(r, e->key);
		if (rc < 0 || in_other == -2) {
			hi_decref(r);
			return hi_err();
		}
	}
	return r;
}

static hi_val object_binop(int op, hi_val a, hi_val b)
{
	if (is_real(a) && is_real(b))
		return (a.kind == HI_FLOAT || b.kind == HI_FLOAT) ? float_binop(op, a, b) : int_binop(op, a, b);
	if ((a.kind == HI_COMPLEX || is_real(a)) && (b.kind == HI_COMPLEX || is_real(b)))
		return complex_binop(op, a, b);
	switch (op) {
	case HG_OP_ADD:
		if (a.kind == HI_STR || a.kind == HI_LIST || a.kind == HI_TUPLE)
			return concat(a, b);
		break;
	case HG_OP_MUL:
		if (a.kind == HI_STR || a.kind == HI_LIST || a.kind == HI_TUPLE)
			return repeat(a, b);
		if (b.kind == HI_STR || b.kind == HI_LIST || b.kind == HI_TUPLE)
			return repeat(b, a);
		break;
	case HG_OP_MOD:
		if (a.kind == HI_STR)
			return hi_str_percent(a, b);
		break;
	case HG_OP_OR: case HG_OP_AND: case HG_OP_SUB: case HG_OP_XOR:
		if ((a.kind == HI_SET && b.kind == HI_SET) || (a.kind == HI_DICT && b.kind == HI_DICT))
			return set_binop(op, a, b);
		break;
	default:
		break;
	}
	return unsupported(op, a, b);
}

hi_val hi_binop(int op, hi_val a, hi_val b)
{
	hi_val r;
	if (a.kind == HI_INT && b.kind == HI_INT) {
		int64_t x;
		switch (op) {
		case HG_OP_ADD: if (__builtin_add_overflow(a.i, b.i, &x)) return overflow(); break;
		case HG_OP_SUB: if (__builtin_sub_overflow(a.i, b.i, &x)) return overflow(); break;
		case HG_OP_MUL: if (__builtin_mul_overflow(a.i, b.i, &x)) return overflow(); break;
		default: goto slow_int;
		}
		r = hi_int(x);
		r.local = a.local | b.local;
		return r;
	slow_int:
		r = int_binop(op, a, b);
	} else if (a.kind == HI_FLOAT && b.kind == HI_FLOAT && op <= HG_OP_MUL) {
		r = hi_float(op == HG_OP_ADD ? a.f + b.f : op == HG_OP_SUB ? a.f - b.f : a.f * b.f);
	} else if (op == HG_OP_MOD && a.kind == HI_STR) {
		/* str.__mod__ answers first, as in Python: "%.2f" % x works for
		** any x that converts, arrays included */
		r = hi_str_percent(a, b);
	} else {
		hi_slots *s = hi_slots_of(a.kind);
		if (!s->binop)
			s = hi_slots_of(b.kind);
		if (s->binop && a.kind != HI_ERROR && b.kind != HI_ERROR)
			r = s->binop(op, a, b);
		else
			r = object_binop(op, a, b);
	}
	if (!hi_iserr(r))
		r.local |= a.local | b.local;
	return r;
}

/* a op= b: lists extend in place (aliases see it, as in Python); kinds
** with an inplace slot (arrays) update in place; everything else is
** a = a op b. */
hi_val hi_inplace_binop(int op, hi_val a, hi_val b)
{
	if (a.kind == HI_LIST && op == HG_OP_ADD) {
		hi_val tmp = hi_list_from(b);
		if (hi_iserr(tmp))
			return tmp;
		hi_list *t = hi_as_list(tmp);
		for (size_t i = 0; i < t->len; i++)
			if (hi_list_append(a, t->items[i]) < 0) {
				hi_decref(tmp);
				return hi_err();
			}
		hi_decref(tmp);
		return hi_setlocal(hi_incref(a), b.local);
	}
	hi_slots *s = hi_slots_of(a.kind);
	if (s->inplace) {
		hi_val r = s->inplace(op, a, b);
		return hi_iserr(r) ? r : hi_setlocal(r, a.local | b.local);
	}
	reporting_inplace = 1;
	hi_val r = hi_binop(op, a, b);
	reporting_inplace = 0;
	return hi_iserr(r) ? r : hi_setlocal(r, a.local | b.local);
}

/* start op x0 op x1 ... over an iterable (sum(), math.prod()); start is
** borrowed.  Float additions skip the generic dispatch: sum() of floats
** is a hot loop. */
hi_val hi_fold_binop(int op, hi_val iterable, hi_val start)
{
	hi_val it = hi_iter(iterable);
	if (hi_iserr(it))
		return it;
	hi_val acc = hi_incref(start), item;
	int r;
	while ((r = hi_next(it, &item)) == 1) {
		hi_val s;
		if (op == HG_OP_ADD && acc.kind == HI_FLOAT && item.kind == HI_FLOAT)
			s = hi_setlocal(hi_float(acc.f + item.f), acc.local | item.local);
		else
			s = hi_binop(op, acc, item);
		hi_decref(item);
		hi_decref(acc);
		acc = s;
		if (hi_iserr(acc)) {
			r = -1;
			break;
		}
	}
	hi_decref(it);
	if (r < 0) {
		if (!hi_iserr(acc))
			hi_decref(acc);
		return hi_err();
	}
	return acc;
}

hi_val hi_unop(int op, hi_val a)
{
	hi_val r;
	switch (a.kind) {
	case HI_BOOL:
	case HI_INT:
		if (op == HG_OP_NEG)
			r = a.i == INT64_MIN ? overflow() : hi_int(-a.i);
		else if (op == HG_OP_POS)
			r = hi_int(a.i);
		else
			r = hi_int(~a.i);
		break;
	case HI_FLOAT:
		if (op == HG_OP_INVERT)
			return hi_raise(hi_TypeError, "bad operand type for unary ~: 'float'");
		r = hi_float(op == HG_OP_NEG ? -a.f : a.f);
		break;
	case HI_COMPLEX: {
		hi_complex *c = (hi_complex *)a.o;
		if (op == HG_OP_INVERT)
			return hi_raise(hi_TypeError, "bad operand type for unary ~: 'complex'");
		r = op == HG_OP_NEG ? hi_complex_new(-c->re, -c->im) : hi_complex_new(c->re, c->im);
		break;
	}
	default:
		if (a.kind < HI_KIND_COUNT && hi_slots_of(a.kind)->unop) {
			r = hi_slots_of(a.kind)->unop(op, a);
			break;
		}
		return hi_raise(hi_TypeError, "bad operand type for unary %s: '%s'",
		                hg_op_text(op), hi_type_name(a));
	}
	if (!hi_iserr(r))
		r.local |= a.local;
	return r;
}

/* ---- equality and ordering ---- */

static int num_equal(hi_val a, hi_val b)
{
	if (a.kind == HI_COMPLEX || b.kind == HI_COMPLEX) {
		cplx x = to_c(a), y = to_c(b);
		return x.r == y.r && x.i == y.i;
	}
	if (a.kind != HI_FLOAT && b.kind != HI_FLOAT)
		return a.i == b.i;
	if (a.kind == HI_FLOAT && b.kind == HI_FLOAT)
		return a.f == b.f;
	double f = a.kind == HI_FLOAT ? a.f : b.f;
	int64_t i = a.kind == HI_FLOAT ? b.i : a.i;
	if (f != floor(f) || fabs(f) > 9.3e18)
		return 0;
	if (f >= 9223372036854775808.0 || f < -9223372036854775808.0)
		return 0;
	return (int64_t)f == i;
}

static int items_equal(const hi_val *x, size_t nx, const hi_val *y, size_t ny)
{
	if (nx != ny)
		return 0;
	for (size_t i = 0; i < nx; i++) {
		if (hi_isobj(x[i]) && x[i].kind == y[i].kind && x[i].o == y[i].o)
			continue;
		int eq = hi_equal(x[i], y[i]);
		if (eq <= 0)
			return eq;
	}
	return 1;
}

static int is_num(hi_val v) { return is_real(v) || v.kind == HI_COMPLEX; }

int hi_equal(hi_val a, hi_val b)
{
	if (is_num(a) && is_num(b))
		return num_equal(a, b);
	hi_slots *s = hi_slots_of(a.kind);
	if (!s->equal)
		s = hi_slots_of(b.kind);
	if (s->equal)
		return s->equal(a, b);
	if (a.kind != b.kind)
		return 0;
	switch (a.kind) {
	case HI_NONE: case HI_ELLIPSIS: return 1;
	case HI_STR:
		return hi_as_str(a)->len == hi_as_str(b)->len
		    && memcmp(hi_as_str(a)->s, hi_as_str(b)->s, hi_as_str(a)->len) == 0;
	case HI_LIST:
		return items_equal(hi_as_list(a)->items, hi_as_list(a)->len,
		                   hi_as_list(b)->items, hi_as_list(b)->len);
	case HI_TUPLE:
		return items_equal(hi_as_tuple(a)->items, hi_as_tuple(a)->len,
		                   hi_as_tuple(b)->items, hi_as_tuple(b)->len);
	case HI_DICT: case HI_SET:
		return hi_dict_equal(a, b);
	case HI_RANGE: {
		hi_range *x = (hi_range *)a.o, *y = (hi_range *)b.o;
		int64_t n = hi_range_len(x);
		if (n != hi_range_len(y))
			return 0;
		return n == 0 || (x->start == y->start && (n == 1 || x->step == y->step));
	}
	case HI_SLICE: {
		hi_slice *x = (hi_slice *)a.o, *y = (hi_slice *)b.o;
		hi_val p[3] = { x->start, x->stop, x->step }, q[3] = { y->start, y->stop, y->step };
		return items_equal(p, 3, q, 3);
	}
	default:
		return hi_isobj(a) ? a.o == b.o : a.i == b.i;
	}
}

static int apply_cmp(int op, int c)   /* c: <0, 0, >0 */
{
	switch (op) {
	case HG_OP_LT: return c < 0;
	case HG_OP_LE: return c <= 0;
	case HG_OP_GT: return c > 0;
	default: return c >= 0;
	}
}

static int order(int op, hi_val a, hi_val b);

/* Compare an int with a (non-NaN) float exactly: -1, 0, 1. */
static int cmp_int_float(int64_t i, double f)
{
	if (f >= 9223372036854775808.0)
		return -1;
	if (f < -9223372036854775808.0)
		return 1;
	double fl = floor(f);
	int64_t fi = (int64_t)fl;
	if (i != fi)
		return i < fi ? -1 : 1;
	return f > fl ? -1 : 0;
}

static int seq_order(int op, const hi_val *x, size_t nx, const hi_val *y, size_t ny)
{
	size_t n = nx < ny ? nx : ny;
	for (size_t i = 0; i < n; i++) {
		int eq = hi_equal(x[i], y[i]);
		if (eq < 0)
			return -1;
		if (!eq)
			return order(op, x[i], y[i]);
	}
	return apply_cmp(op, nx < ny ? -1 : nx > ny ? 1 : 0);
}

/* set <= set is "subset", < proper subset, and so on. */
static int set_order(int op, hi_val a, hi_val b)
{
	if (op == HG_OP_GT || op == HG_OP_GE) {
		hi_val t = a;
		a = b;
		b = t;
		op = op == HG_OP_GT ? HG_OP_LT : HG_OP_LE;
	}
	hi_dict *x = hi_as_dict(a), *y = hi_as_dict(b);
	if (x->len > y->len || (op == HG_OP_LT && x->len == y->len))
		return 0;
	return hi_dict_within(x, y, 0);
}

/* Ordering comparison as a C truth value: 1, 0, -1 (error raised). */
static int order(int op, hi_val a, hi_val b)
{
	if (is_real(a) && is_real(b)) {
		if (a.kind != HI_FLOAT && b.kind != HI_FLOAT)
			return apply_cmp(op, a.i < b.i ? -1 : a.i > b.i);
		double x = as_f(a), y = as_f(b);
		if (isnan(x) || isnan(y))
			return 0;
		if (a.kind != HI_FLOAT)       /* exact, also beyond 2^53 */
			return apply_cmp(op, cmp_int_float(a.i, y));
		if (b.kind != HI_FLOAT)
			return apply_cmp(op, -cmp_int_float(b.i, x));
		return apply_cmp(op, x < y ? -1 : x > y);
	}
	if (a.kind == b.kind) {
		switch (a.kind) {
		case HI_STR: {
			hi_str *x = hi_as_str(a), *y = hi_as_str(b);
			size_t n = x->len < y->len ? x->len : y->len;
			int c = memcmp(x->s, y->s, n);
			return apply_cmp(op, c ? c : x->len < y->len ? -1 : x->len > y->len);
		}
		case HI_LIST:
			return seq_order(op, hi_as_list(a)->items, hi_as_list(a)->len,
			                 hi_as_list(b)->items, hi_as_list(b)->len);
		case HI_TUPLE:
			return seq_order(op, hi_as_tuple(a)->items, hi_as_tuple(a)->len,
			                 hi_as_tuple(b)->items, hi_as_tuple(b)->len);
		case HI_SET:
			return set_order(op, a, b);
		default:
			break;
		}
	}
	hi_slots *s = hi_slots_of(a.kind);
	if (!s->compare)
		s = hi_slots_of(b.kind);
	if (s->compare) {
		hi_val r = s->compare(op, a, b);
		if (hi_iserr(r))
			return -1;
		int t = hi_truthy(r);
		hi_decref(r);
		return t;
	}
	hi_raisei(hi_TypeError, "'%s' not supported between instances of '%s' and '%s'",
	          hg_op_text(op), hi_type_name(a), hi_type_name(b));
	return -1;
}

int hi_less(hi_val a, hi_val b)
{
	return order(HG_OP_LT, a, b);
}

static int identical(hi_val a, hi_val b)
{
	if (a.kind != b.kind)
		return 0;
	if (hi_isobj(a))
		return a.o == b.o;
	if (a.kind == HI_NONE)
		return 1;
	return a.i == b.i;   /* bools; small ints and floats compare by value */
}

hi_val hi_compare(int op, hi_val a, hi_val b)
{
	int t;
	hi_slots *s;
	switch (op) {
	case HG_OP_IS: t = identical(a, b); break;
	case HG_OP_IS_NOT: t = !identical(a, b); break;
	case HG_OP_IN:
	case HG_OP_NOT_IN:
		t = hi_contains(b, a);
		if (t < 0)
			return hi_err();
		if (op == HG_OP_NOT_IN)
			t = !t;
		break;
	default:
		if (a.kind == HI_INT && b.kind == HI_INT) {
			int c = a.i < b.i ? -1 : a.i > b.i;
			t = op == HG_OP_EQ ? c == 0 : op == HG_OP_NE ? c != 0 : apply_cmp(op, c);
			break;
		}
		s = hi_slots_of(a.kind);
		if (!s->compare)
			s = hi_slots_of(b.kind);
		if (s->compare && a.kind != HI_ERROR && b.kind != HI_ERROR) {
			hi_val r = s->compare(op, a, b);
			return hi_iserr(r) ? r : hi_setlocal(r, a.local | b.local);
		}
		if (op == HG_OP_EQ || op == HG_OP_NE) {
			t = hi_equal(a, b);
			if (t >= 0 && op == HG_OP_NE)
				t = !t;
		} else {
			t = order(op, a, b);
		}
		if (t < 0)
			return hi_err();
		break;
	}
	hi_val r = hi_bool(t);
	r.local = a.local | b.local;
	return r;
}
