/*
** test_values.c — the value layer against CPython 3.11's observable
** behaviour: repr/str, arithmetic and comparison rules, containers, str
** methods, format specs, %-formatting, hashing and slicing.
** Every expected string below was produced by python3.11.
*/
#include <check.h>
#include <math.h>
#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"


/* ---- helpers ---- */

static hi_val S(const char *s) { return hi_str_cstr(s); }
static hi_val I(int64_t i) { return hi_int(i); }
static hi_val F(double f) { return hi_float(f); }

/* Compare a str object (consumed) with the expected text. */
#define ck_text(v, want) do { \
	hi_val v_ = (v); \
	ck_assert_msg(!hi_iserr(v_), "unexpected error: %s", pending_msg()); \
	ck_assert_int_eq(v_.kind, HI_STR); \
	ck_assert_str_eq(hi_as_str(v_)->s, (want)); \
	hi_decref(v_); \
} while (0)

/* repr of a value (consumed). */
#define ck_repr(v, want) do { \
	hi_val x_ = (v); \
	ck_assert_msg(!hi_iserr(x_), "unexpected error: %s", pending_msg()); \
	ck_text(hi_repr(x_), want); \
	hi_decref(x_); \
} while (0)

static char msgbuf[512];

static const char *pending_msg(void)
{
	hi_val e = hi_exc_pending();
	if (e.kind == HI_NONE)
		return "(none)";
	hi_val m = hi_exc_message(e);
	snprintf(msgbuf, sizeof msgbuf, "%s: %s", hi_type_name(e), hi_iserr(m) ? "?" : hi_as_str(m)->s);
	hi_decref(m);
	return msgbuf;
}

/* The result must be an error of type t with message msg; clears it. */
#define ck_raises(v, t, msg) do { \
	hi_val r_ = (v); \
	ck_assert_msg(hi_iserr(r_), "expected %s", msg); \
	hi_val e_ = hi_exc_take(); \
	ck_assert_str_eq(((hi_exc *)e_.o)->type->name, (t)->name); \
	hi_val m_ = hi_exc_message(e_); \
	ck_assert_str_eq(hi_as_str(m_)->s, (msg)); \
	hi_decref(m_); \
	hi_decref(e_); \
} while (0)

/* Call obj.name(args...) with positional arguments (borrowed). */
static hi_val callm(hi_val obj, const char *name, int argc, ...)
{
	hi_val argv[8];
	va_list ap;
	va_start(ap, argc);
	for (int i = 0; i < argc; i++)
		argv[i] = va_arg(ap, hi_val);
	va_end(ap);
	hi_val m = hi_getattr(obj, name);
	if (hi_iserr(m))
		return m;
	hi_val r = hi_call(m, argc, argv, 0, NULL, NULL);
	hi_decref(m);
	return r;
}

/* Same, consuming the receiver and str arguments built for the call. */
static hi_val callm_own(hi_val obj, const char *name, int argc, hi_val a0, hi_val a1)
{
	hi_val r = argc == 0 ? callm(obj, name, 0) : argc == 1 ? callm(obj, name, 1, a0)
	         : callm(obj, name, 2, a0, a1);
	hi_decref(obj);
	if (argc > 0) hi_decref(a0);
	if (argc > 1) hi_decref(a1);
	return r;
}

static hi_val fmt(hi_val v, const char *spec)
{
	hi_val r = hi_format_value(v, spec);
	hi_decref(v);
	return r;
}

static hi_val pct(const char *f, hi_val args)
{
	hi_val s = S(f);
	hi_val r = hi_str_percent(s, args);
	hi_decref(s);
	hi_decref(args);
	return r;
}

static hi_val list_of(int n, ...)
{
	hi_val l = hi_list_new(0);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		hi_val v = va_arg(ap, hi_val);
		hi_list_append(l, v);
		hi_decref(v);
	}
	va_end(ap);
	return l;
}

static hi_val tuple_of(int n, ...)
{
	hi_val t = hi_tuple_new((size_t)n);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		hi_tuple_set(t, (size_t)i, va_arg(ap, hi_val));
	va_end(ap);
	return t;
}

static hi_val bin(int op, hi_val a, hi_val b)
{
	hi_val r = hi_binop(op, a, b);
	hi_decref(a);
	hi_decref(b);
	return r;
}

static hi_val cmp(int op, hi_val a, hi_val b)
{
	hi_val r = hi_compare(op, a, b);
	hi_decref(a);
	hi_decref(b);
	return r;
}

static hi_val slice3(hi_val a, hi_val b, hi_val c) { return hi_slice_new(a, b, c); }

static hi_val item(hi_val obj, hi_val key)
{
	hi_val r = hi_getitem(obj, key);
	hi_decref(obj);
	hi_decref(key);
	return r;
}

/* ---- repr ---- */

START_TEST(float_repr)
{
	static const struct { double d; const char *s; } t[] = {
		{ 0.1, "0.1" }, { 1.0 / 3, "0.3333333333333333" }, { 1e16, "1e+16" },
		{ 1e-5, "1e-05" }, { 123456789012345678.0, "1.2345678901234568e+17" },
		{ 2.5, "2.5" }, { -0.0, "-0.0" }, { 1000.0, "1000.0" },
		{ 1e15, "1000000000000000.0" }, { 0.0001, "0.0001" }, { 1.5e-7, "1.5e-07" },
		{ 0.1 + 0.2, "0.30000000000000004" }, { 5e-324, "5e-324" },
		{ 1.7976931348623157e308, "1.7976931348623157e+308" }, { 1e22, "1e+22" },
		{ -123.456, "-123.456" }, { 0.0, "0.0" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		ck_repr(F(t[i].d), t[i].s);
	ck_repr(F(INFINITY), "inf");
	ck_repr(F(-INFINITY), "-inf");
	ck_repr(F(NAN), "nan");
}
END_TEST

START_TEST(scalar_repr)
{
	ck_repr(hi_none(), "None");
	ck_repr(hi_bool(1), "True");
	ck_repr(hi_bool(0), "False");
	ck_repr(I(-42), "-42");
	ck_repr(hi_complex_new(3, 4), "(3+4j)");
	ck_repr(hi_complex_new(0, 1), "1j");
	ck_repr(hi_complex_new(1, -0.0), "(1-0j)");
	ck_repr(hi_complex_new(-0.0, -1), "(-0-1j)");
	ck_repr(hi_complex_new(0, -1), "-1j");
	ck_repr(hi_complex_new(NAN, INFINITY), "(nan+infj)");
	ck_repr(hi_complex_new(1.5, 2), "(1.5+2j)");
	ck_repr(S("it's"), "\"it's\"");
	ck_repr(S("a\n\t\\\x07"), "'a\\n\\t\\\\\\x07'");
	ck_repr(S("h\xc3\xa9"), "'h\xc3\xa9'");
	ck_repr(S("'\""), "'\\'\"'");
	hi_val plain = S("plain");
	ck_text(hi_to_str(plain), "plain");
	hi_decref(plain);
	ck_text(hi_to_str(F(1e16)), "1e+16");
}
END_TEST

START_TEST(container_repr)
{
	ck_repr(list_of(2, I(1), I(2)), "[1, 2]");
	ck_repr(tuple_of(1, I(1)), "(1,)");
	ck_repr(hi_tuple_new(0), "()");
	hi_val d = hi_dict_new();
	hi_val k = S("a");
	hi_dict_set(d, k, I(1));
	hi_decref(k);
	ck_repr(d, "{'a': 1}");
	hi_val s = hi_set_new();
	ck_repr(hi_incref(s), "set()");
	hi_set_add(s, I(1));
	hi_set_add(s, I(2));
	hi_set_add(s, F(1.0));   /* 1.0 == 1: not added */
	ck_repr(s, "{1, 2}");
	ck_repr(hi_range_new(0, 10, 1), "range(0, 10)");
	ck_repr(hi_range_new(0, 10, 2), "range(0, 10, 2)");
	hi_val sl = slice3(I(1), I(2), hi_none());
	ck_repr(sl, "slice(1, 2, None)");
	hi_val self = hi_list_new(0);
	hi_list_append(self, I(1));
	hi_list_append(self, self);
	ck_text(hi_repr(self), "[1, [...]]");
	hi_as_list(self)->len = 1;   /* break the cycle before releasing */
	self.o->refs--;
	hi_decref(self);
	hi_val e = { 0 };
	e.kind = HI_ELLIPSIS;
	ck_text(hi_repr(e), "Ellipsis");
}
END_TEST

/* ---- arithmetic ---- */

START_TEST(int_arith)
{
	ck_repr(bin(HG_OP_FLOORDIV, I(-7), I(2)), "-4");
	ck_repr(bin(HG_OP_MOD, I(-7), I(2)), "1");
	ck_repr(bin(HG_OP_MOD, I(7), I(-2)), "-1");
	ck_repr(bin(HG_OP_FLOORDIV, I(7), I(-2)), "-4");
	ck_repr(bin(HG_OP_DIV, I(7), I(2)), "3.5");
	ck_repr(bin(HG_OP_POW, I(2), I(10)), "1024");
	ck_repr(bin(HG_OP_POW, I(2), I(-1)), "0.5");
	ck_repr(bin(HG_OP_AND, hi_bool(1), hi_bool(0)), "False");
	ck_repr(bin(HG_OP_OR, hi_bool(1), I(2)), "3");
	ck_repr(bin(HG_OP_ADD, hi_bool(1), hi_bool(1)), "2");
	ck_repr(bin(HG_OP_LSHIFT, I(1), I(40)), "1099511627776");
	ck_repr(bin(HG_OP_RSHIFT, I(-9), I(1)), "-5");
	ck_repr(hi_unop(HG_OP_INVERT, I(5)), "-6");
	ck_repr(hi_unop(HG_OP_NEG, hi_bool(1)), "-1");
	ck_raises(bin(HG_OP_DIV, I(1), I(0)), hi_ZeroDivisionError, "division by zero");
	ck_raises(bin(HG_OP_FLOORDIV, I(1), I(0)), hi_ZeroDivisionError, "integer division or modulo by zero");
	ck_raises(bin(HG_OP_MOD, I(1), I(0)), hi_ZeroDivisionError, "integer modulo by zero");
	ck_raises(bin(HG_OP_POW, I(0), I(-1)), hi_ZeroDivisionError, "0.0 cannot be raised to a negative power");
	ck_raises(bin(HG_OP_MUL, I(INT64_MAX), I(2)), hi_OverflowError, "integer overflow");
	ck_raises(bin(HG_OP_POW, I(10), I(19)), hi_OverflowError, "integer overflow");
	ck_raises(bin(HG_OP_ADD, I(1), S("a")), hi_TypeError, "unsupported operand type(s) for +: 'int' and 'str'");
	ck_raises(bin(HG_OP_ADD, S("a"), I(1)), hi_TypeError, "can only concatenate str (not \"int\") to str");
	ck_raises(hi_unop(HG_OP_INVERT, F(1)), hi_TypeError, "bad operand type for unary ~: 'float'");
}
END_TEST

START_TEST(float_arith)
{
	ck_repr(bin(HG_OP_ADD, F(0.1), F(0.2)), "0.30000000000000004");
	ck_repr(bin(HG_OP_MOD, F(-7.5), I(2)), "0.5");
	ck_repr(bin(HG_OP_FLOORDIV, F(7.5), I(-2)), "-4.0");
	ck_repr(bin(HG_OP_MOD, F(5.0), F(-0.0 + 3)), "2.0");
	ck_repr(bin(HG_OP_MUL, I(3), F(0.5)), "1.5");
	ck_repr(bin(HG_OP_POW, F(2), F(0.5)), "1.4142135623730951");
	ck_repr(bin(HG_OP_POW, F(-8), F(1.0 / 3)), "(1.0000000000000002+1.7320508075688772j)");
	ck_raises(bin(HG_OP_DIV, F(1), F(0)), hi_ZeroDivisionError, "float division by zero");
	ck_raises(bin(HG_OP_DIV, I(1), F(0)), hi_ZeroDivisionError, "float division by zero");
	ck_raises(bin(HG_OP_FLOORDIV, F(1), F(0)), hi_ZeroDivisionError, "float floor division by zero");
	ck_raises(bin(HG_OP_MOD, F(1), F(0)), hi_ZeroDivisionError, "float modulo");
	ck_repr(bin(HG_OP_MUL, hi_complex_new(1, 2), hi_complex_new(3, 4)), "(-5+10j)");
	ck_repr(bin(HG_OP_POW, hi_complex_new(1, 2), I(2)), "(-3+4j)");
	ck_repr(bin(HG_OP_DIV, hi_complex_new(1, 2), I(2)), "(0.5+1j)");
	ck_raises(bin(HG_OP_DIV, hi_complex_new(1, 2), I(0)), hi_ZeroDivisionError, "complex division by zero");
}
END_TEST

START_TEST(compare)
{
	ck_repr(cmp(HG_OP_EQ, I(1), F(1.0)), "True");
	ck_repr(cmp(HG_OP_EQ, hi_bool(1), I(1)), "True");
	ck_repr(cmp(HG_OP_LT, I(2), F(2.5)), "True");
	ck_repr(cmp(HG_OP_LT, I(9007199254740993), F(9007199254740992.0)), "False");
	ck_repr(cmp(HG_OP_LT, S("abc"), S("abd")), "True");
	ck_repr(cmp(HG_OP_LT, list_of(2, I(1), I(2)), list_of(3, I(1), I(2), I(0))), "True");
	ck_repr(cmp(HG_OP_GT, tuple_of(2, I(1), I(3)), tuple_of(2, I(1), I(2))), "True");
	ck_repr(cmp(HG_OP_EQ, list_of(1, I(1)), tuple_of(1, I(1))), "False");
	ck_repr(cmp(HG_OP_IN, S("ell"), S("hello")), "True");
	ck_repr(cmp(HG_OP_IN, I(4), hi_range_new(0, 10, 2)), "True");
	ck_repr(cmp(HG_OP_NOT_IN, I(5), hi_range_new(0, 10, 2)), "True");
	ck_repr(cmp(HG_OP_IN, F(2.0), list_of(2, I(1), I(2))), "True");
	ck_repr(cmp(HG_OP_IS, hi_none(), hi_none()), "True");
	ck_repr(cmp(HG_OP_EQ, F(NAN), F(NAN)), "False");
	ck_raises(cmp(HG_OP_LT, I(1), S("a")), hi_TypeError,
	          "'<' not supported between instances of 'int' and 'str'");
	hi_val a = list_of(1, I(1));
	ck_repr(cmp(HG_OP_IS, hi_incref(a), hi_incref(a)), "True");
	ck_repr(cmp(HG_OP_IS, a, list_of(1, I(1))), "False");
}
END_TEST

START_TEST(sequences)
{
	ck_repr(bin(HG_OP_ADD, list_of(1, I(1)), list_of(1, I(2))), "[1, 2]");
	ck_repr(bin(HG_OP_MUL, S("ab"), I(3)), "'ababab'");
	ck_repr(bin(HG_OP_MUL, I(2), tuple_of(1, I(0))), "(0, 0)");
	ck_repr(bin(HG_OP_MUL, list_of(1, I(1)), I(-1)), "[]");
	ck_raises(bin(HG_OP_MUL, S("a"), F(2)), hi_TypeError, "can't multiply sequence by non-int of type 'float'");
	/* slicing with negative steps */
	hi_val l = list_of(5, I(0), I(1), I(2), I(3), I(4));
	ck_repr(item(hi_incref(l), slice3(hi_none(), hi_none(), I(-1))), "[4, 3, 2, 1, 0]");
	ck_repr(item(hi_incref(l), slice3(I(-2), hi_none(), I(-2))), "[3, 1]");
	ck_repr(item(hi_incref(l), slice3(I(1), I(-1), hi_none())), "[1, 2, 3]");
	ck_repr(item(hi_incref(l), slice3(I(10), I(0), I(-3))), "[4, 1]");
	ck_repr(item(hi_incref(l), I(-1)), "4");
	ck_raises(item(hi_incref(l), I(5)), hi_IndexError, "list index out of range");
	ck_raises(item(hi_incref(l), S("a")), hi_TypeError, "list indices must be integers or slices, not str");
	ck_raises(item(hi_incref(l), slice3(hi_none(), hi_none(), I(0))), hi_ValueError, "slice step cannot be zero");
	/* slice assignment and deletion */
	hi_val sl = slice3(I(1), I(3), hi_none());
	hi_val repl = list_of(3, S("a"), S("b"), S("c"));
	ck_assert_int_eq(hi_setitem(l, sl, repl), 0);
	hi_decref(sl);
	hi_decref(repl);
	ck_repr(hi_incref(l), "[0, 'a', 'b', 'c', 3, 4]");
	sl = slice3(hi_none(), hi_none(), I(2));
	ck_assert_int_eq(hi_delitem(l, sl), 0);
	hi_decref(sl);
	ck_repr(hi_incref(l), "['a', 'c', 4]");
	hi_decref(l);
	ck_repr(item(S("hello"), slice3(hi_none(), hi_none(), I(-1))), "'olleh'");
	ck_repr(item(S("h\xc3\xa9llo"), I(1)), "'\xc3\xa9'");
	ck_raises(item(S("abc"), I(3)), hi_IndexError, "string index out of range");
	ck_raises(item(tuple_of(1, I(1)), I(3)), hi_IndexError, "tuple index out of range");
	ck_repr(item(hi_range_new(0, 10, 1), slice3(hi_none(), hi_none(), I(-1))), "range(9, -1, -1)");
	ck_repr(item(hi_range_new(0, 10, 3), I(-1)), "9");
	ck_raises(item(hi_range_new(0, 3, 1), I(3)), hi_IndexError, "range object index out of range");
	hi_val u = S("h\xc3\xa9llo");
	ck_repr(hi_len(u), "5");
	hi_decref(u);
}
END_TEST

/* ---- containers ---- */

START_TEST(dict_behaviour)
{
	hi_val d = hi_dict_new();
	hi_val v0 = S("int");
	hi_dict_set(d, I(1), v0);
	hi_decref(v0);
	hi_val one_f = F(1.0), tru = hi_bool(1);
	hi_val x = S("float");
	hi_dict_set(d, one_f, x);      /* same key as 1 */
	hi_decref(x);
	ck_repr(hi_incref(d), "{1: 'float'}");
	hi_val out;
	ck_assert_int_eq(hi_dict_lookup(d, tru, &out), 1);
	ck_text(out, "float");
	ck_assert_int_eq(hi_hash(I(1), &(int){0}), hi_hash(F(1.0), &(int){0}));
	ck_assert_int_eq(hi_hash(I(-1), &(int){0}), -2);
	ck_assert_int_eq(hi_hash(F(0.5), &(int){0}), 1152921504606846976LL);
	hi_val t0 = tuple_of(2, I(1), S("a")), t1 = tuple_of(2, F(1.0), S("a"));
	ck_assert_int_eq(hi_hash(t0, &(int){0}), hi_hash(t1, &(int){0}));
	hi_decref(t0);
	hi_decref(t1);
	/* insertion order survives deletions and growth */
	for (int i = 2; i < 40; i++)
		hi_dict_set(d, I(i), I(i * i));
	for (int i = 2; i < 38; i++)
		hi_dict_del(d, I(i));
	ck_repr(hi_incref(d), "{1: 'float', 38: 1444, 39: 1521}");
	hi_val k = S("x");
	ck_raises(hi_getitem(d, k), hi_KeyError, "'x'");
	ck_repr(callm(d, "get", 2, k, I(7)), "7");
	hi_decref(k);
	ck_repr(callm(d, "keys", 0), "dict_keys([1, 38, 39])");
	ck_repr(callm(d, "items", 0), "dict_items([(1, 'float'), (38, 1444), (39, 1521)])");
	ck_repr(callm(d, "pop", 1, I(38)), "1444");
	ck_repr(callm(d, "setdefault", 2, I(5), I(25)), "25");
	ck_repr(hi_len(d), "3");
	hi_val l = hi_list_new(0);
	ck_raises(hi_dict_set(d, l, I(0)) < 0 ? hi_err() : hi_none(), hi_TypeError, "unhashable type: 'list'");
	hi_decref(l);
	hi_val d2 = hi_dict_from(d);
	ck_repr(cmp(HG_OP_EQ, hi_incref(d), d2), "True");
	hi_decref(d);
}
END_TEST

START_TEST(list_methods)
{
	hi_val l = list_of(5, I(3), I(1), I(2), I(1), F(0.5));
	ck_repr(callm(l, "sort", 0), "None");
	ck_repr(hi_incref(l), "[0.5, 1, 1, 2, 3]");
	ck_repr(callm(l, "index", 1, I(2)), "3");
	ck_repr(callm(l, "count", 1, I(1)), "2");
	ck_repr(callm(l, "pop", 0), "3");
	ck_repr(callm(l, "pop", 1, I(0)), "0.5");
	hi_val sx = S("x");
	ck_repr(callm(l, "insert", 2, I(-1), sx), "None");
	ck_repr(hi_incref(l), "[1, 1, 'x', 2]");
	ck_repr(callm(l, "remove", 1, sx), "None");
	hi_decref(sx);
	ck_raises(callm(l, "remove", 1, I(9)), hi_ValueError, "list.remove(x): x not in list");
	ck_raises(callm(l, "index", 1, I(9)), hi_ValueError, "9 is not in list");
	ck_repr(callm(l, "reverse", 0), "None");
	ck_repr(hi_incref(l), "[2, 1, 1]");
	hi_val ext = tuple_of(2, I(7), I(8));
	ck_repr(callm(l, "extend", 1, ext), "None");
	hi_decref(ext);
	ck_repr(hi_incref(l), "[2, 1, 1, 7, 8]");
	ck_repr(callm(l, "clear", 0), "None");
	ck_raises(callm(l, "pop", 0), hi_IndexError, "pop from empty list");
	hi_decref(l);
	/* stable reverse sort keeps equal items in order */
	hi_val p = list_of(4, tuple_of(2, I(1), S("a")), tuple_of(2, I(2), S("b")),
	                   tuple_of(2, I(1), S("c")), tuple_of(2, I(2), S("d")));
	ck_assert_int_eq(hi_list_sort(p, hi_none(), 1), 0);
	ck_repr(hi_incref(p), "[(2, 'd'), (2, 'b'), (1, 'c'), (1, 'a')]");
	hi_decref(p);
	hi_val mixed = list_of(2, I(1), S("a"));
	ck_raises(hi_list_sort(mixed, hi_none(), 0) < 0 ? hi_err() : hi_none(), hi_TypeError,
	          "'<' not supported between instances of 'str' and 'int'");
	hi_decref(mixed);
}
END_TEST

START_TEST(sets)
{
	hi_val b = hi_set_new(), a;
	hi_val src = list_of(3, I(1), I(2), I(3));
	a = hi_set_from(src);
	hi_decref(src);
	hi_set_add(b, I(2));
	hi_set_add(b, I(4));
	ck_repr(hi_binop(HG_OP_OR, a, b), "{1, 2, 3, 4}");
	ck_repr(hi_binop(HG_OP_AND, a, b), "{2}");
	ck_repr(hi_binop(HG_OP_SUB, a, b), "{1, 3}");
	ck_repr(hi_binop(HG_OP_XOR, a, b), "{1, 3, 4}");
	ck_repr(cmp(HG_OP_IN, I(3), hi_incref(a)), "True");
	ck_repr(callm(a, "issubset", 1, b), "False");
	ck_repr(callm(a, "discard", 1, I(1)), "None");
	ck_raises(callm(a, "remove", 1, I(1)), hi_KeyError, "1");
	ck_repr(hi_incref(a), "{2, 3}");
	hi_decref(a);
	hi_decref(b);
}
END_TEST

START_TEST(iterators)
{
	hi_val l = list_of(3, S("a"), S("b"), S("c"));
	hi_val e = hi_enumerate_new(l, 1);
	ck_repr(hi_list_from(e), "[(1, 'a'), (2, 'b'), (3, 'c')]");
	hi_decref(e);
	hi_val its[2] = { l, hi_range_new(10, 12, 1) };
	hi_val z = hi_zip_new(2, its);
	ck_repr(hi_list_from(z), "[('a', 10), ('b', 11)]");
	hi_decref(z);
	hi_decref(its[1]);
	hi_val r = hi_reversed_new(l);
	ck_repr(hi_list_from(r), "['c', 'b', 'a']");
	hi_decref(r);
	hi_val rr = hi_range_new(0, 10, 3);
	r = hi_reversed_new(rr);
	ck_repr(hi_list_from(r), "[9, 6, 3, 0]");
	hi_decref(r);
	hi_decref(rr);
	hi_val src = list_of(4, I(0), I(1), S(""), S("x"));
	hi_val f = hi_filter_new(hi_none(), src);
	ck_repr(hi_list_from(f), "[1, 'x']");
	hi_decref(f);
	hi_decref(src);
	src = S("h\xc3\xa9");
	ck_repr(hi_list_from(src), "['h', '\xc3\xa9']");
	hi_decref(src);
	src = list_of(1, tuple_of(2, S("k"), I(1)));
	ck_repr(hi_dict_from(src), "{'k': 1}");
	hi_decref(src);
	hi_decref(l);
	ck_raises(hi_iter(I(3)), hi_TypeError, "'int' object is not iterable");
}
END_TEST

/* ---- str methods ---- */

START_TEST(str_methods)
{
	ck_repr(callm_own(S("  a b  c "), "split", 0, hi_none(), hi_none()), "['a', 'b', 'c']");
	ck_repr(callm_own(S("a,b,,c"), "split", 1, S(","), hi_none()), "['a', 'b', '', 'c']");
	ck_repr(callm_own(S("a,b,c"), "split", 2, S(","), I(1)), "['a', 'b,c']");
	ck_repr(callm_own(S("a,b,c"), "rsplit", 2, S(","), I(1)), "['a,b', 'c']");
	ck_repr(callm_own(S(" a b c "), "rsplit", 2, hi_none(), I(1)), "[' a b', 'c']");
	ck_repr(callm_own(S("-"), "join", 1, list_of(3, S("x"), S("y"), S("z")), hi_none()), "'x-y-z'");
	ck_repr(callm_own(S("xxhixx"), "strip", 1, S("x"), hi_none()), "'hi'");
	ck_repr(callm_own(S("  hi \n"), "rstrip", 0, hi_none(), hi_none()), "'  hi'");
	ck_repr(callm_own(S("aaa"), "replace", 2, S("a"), S("bb")), "'bbbbbb'");
	ck_repr(callm_own(S("hello"), "startswith", 1, tuple_of(2, S("x"), S("he")), hi_none()), "True");
	ck_repr(callm_own(S("hello"), "endswith", 1, S("lo"), hi_none()), "True");
	ck_repr(callm_own(S("hello world"), "title", 0, hi_none(), hi_none()), "'Hello World'");
	ck_repr(callm_own(S("hELLO"), "capitalize", 0, hi_none(), hi_none()), "'Hello'");
	ck_repr(callm_own(S("Mixed"), "upper", 0, hi_none(), hi_none()), "'MIXED'");
	ck_repr(callm_own(S("hello"), "find", 1, S("l"), hi_none()), "2");
	ck_repr(callm_own(S("hello"), "rfind", 1, S("l"), hi_none()), "3");
	ck_repr(callm_own(S("h\xc3\xa9llo"), "find", 1, S("l"), hi_none()), "2");
	ck_raises(callm_own(S("hello"), "index", 1, S("z"), hi_none()), hi_ValueError, "substring not found");
	ck_repr(callm_own(S("banana"), "count", 1, S("an"), hi_none()), "2");
	ck_repr(callm_own(S("123"), "isdigit", 0, hi_none(), hi_none()), "True");
	ck_repr(callm_own(S("ab1"), "isalpha", 0, hi_none(), hi_none()), "False");
	ck_repr(callm_own(S("-42"), "zfill", 1, I(6), hi_none()), "'-00042'");
	ck_repr(callm_own(S("ab"), "center", 2, I(5), S("*")), "'**ab*'");
	ck_repr(callm_own(S("abc"), "center", 2, I(6), S("*")), "'*abc**'");
	ck_repr(callm_own(S("ab"), "rjust", 1, I(4), hi_none()), "'  ab'");
	ck_repr(callm_own(S("a\nb\r\nc"), "splitlines", 0, hi_none(), hi_none()), "['a', 'b', 'c']");
	ck_repr(callm_own(S("k=v=w"), "partition", 1, S("="), hi_none()), "('k', '=', 'v=w')");
	ck_repr(callm_own(S("k=v=w"), "rpartition", 1, S("="), hi_none()), "('k=v', '=', 'w')");
	ck_raises(callm_own(S("a"), "split", 1, S(""), hi_none()), hi_ValueError, "empty separator");
	ck_raises(callm_own(S("-"), "join", 1, list_of(2, S("a"), I(1)), hi_none()), hi_TypeError,
	          "sequence item 1: expected str instance, int found");
}
END_TEST

/* ---- formatting ---- */

START_TEST(format_specs)
{
	ck_text(fmt(F(3.14159), ".3f"), "3.142");
	ck_text(fmt(I(5), ">5"), "    5");
	ck_text(fmt(F(3.14159), "08.3f"), "0003.142");
	ck_text(fmt(I(1234567), ","), "1,234,567");
	ck_text(fmt(F(12345.678), "e"), "1.234568e+04");
	ck_text(fmt(F(0.0001234), "g"), "0.0001234");
	ck_text(fmt(F(1e-5), "g"), "1e-05");
	ck_text(fmt(I(255), "#x"), "0xff");
	ck_text(fmt(I(255), "08b"), "11111111");
	ck_text(fmt(I(-42), "+06d"), "-00042");
	ck_text(fmt(I(42), "+d"), "+42");
	ck_text(fmt(S("ab"), "^6"), "  ab  ");
	ck_text(fmt(S("ab"), "*^7"), "**ab***");
	ck_text(fmt(I(1234), "010,"), "00,001,234");
	ck_text(fmt(I(1234), "08,"), "0,001,234");
	ck_text(fmt(F(0.25), ".1%"), "25.0%");
	ck_text(fmt(F(1.0), ""), "1.0");
	ck_text(fmt(F(1e16), ""), "1e+16");
	ck_text(fmt(F(1.0), ".3"), "1.0");
	ck_text(fmt(F(123456.0), ".3"), "1.23e+05");
	ck_text(fmt(hi_bool(1), ""), "True");
	ck_text(fmt(hi_bool(1), ">5"), "    1");
	ck_text(fmt(hi_complex_new(1, 2), ""), "(1+2j)");
	ck_text(fmt(hi_complex_new(1, 2), ".2f"), "1.00+2.00j");
	ck_text(fmt(hi_complex_new(1.5, 2), ">12"), "    (1.5+2j)");
	ck_text(fmt(S("abc"), ".2"), "ab");
	ck_text(fmt(F(1234.5), ",.2f"), "1,234.50");
	ck_text(fmt(F(1234.5), "_.1f"), "1_234.5");
	ck_text(fmt(F(-0.0), "+"), "-0.0");
	ck_text(fmt(F(INFINITY), "010"), "0000000inf");
	ck_text(fmt(I(65), "c"), "A");
	ck_text(fmt(I(0xffffffff), "_x"), "ffff_ffff");
	ck_text(fmt(I(3), "=+5"), "+   3");
	ck_text(fmt(F(0.1), ".20f"), "0.10000000000000000555");
	ck_text(fmt(hi_none(), ""), "None");
	ck_raises(fmt(hi_none(), ">5"), hi_TypeError, "unsupported format string passed to NoneType.__format__");
	ck_raises(fmt(I(1), "q"), hi_ValueError, "Unknown format code 'q' for object of type 'int'");
	ck_raises(fmt(S("a"), "d"), hi_ValueError, "Unknown format code 'd' for object of type 'str'");
	ck_raises(fmt(I(1), ".2d"), hi_ValueError, "Precision not allowed in integer format specifier");
}
END_TEST

START_TEST(str_format)
{
	hi_val args[3] = { I(1), S("a"), list_of(2, I(5), I(6)) };
	hi_val kw = hi_dict_new();
	hi_val x = S("s");
	hi_dict_set_str(kw, "x", x);
	hi_dict_set_str(kw, "w", I(4));
	hi_decref(x);
	hi_val f;
#define SF(text, n, want) do { f = S(text); ck_text(hi_str_format(f, n, args, kw), want); hi_decref(f); } while (0)
	SF("{} {}", 2, "1 a");
	SF("{1}{0}{1}", 2, "a1a");
	SF("{x!r}", 0, "'s'");
	SF("{0:>{w}}|", 1, "   1|");
	SF("{{}} {x}", 0, "{} s");
	SF("{2[1]}", 3, "6");
	SF("{0:05.1f}", 1, "001.0");
	f = S("{} {0}");
	ck_raises(hi_str_format(f, 2, args, kw), hi_ValueError,
	          "cannot switch from automatic field numbering to manual field specification");
	hi_decref(f);
	f = S("{5}");
	ck_raises(hi_str_format(f, 2, args, kw), hi_IndexError,
	          "Replacement index 5 out of range for positional args tuple");
	hi_decref(f);
	f = S("{nope}");
	ck_raises(hi_str_format(f, 0, args, kw), hi_KeyError, "'nope'");
	hi_decref(f);
	f = S("a}");
	ck_raises(hi_str_format(f, 0, args, kw), hi_ValueError, "Single '}' encountered in format string");
	hi_decref(f);
#undef SF
	hi_decref(args[1]);
	hi_decref(args[2]);
	hi_decref(kw);
}
END_TEST

START_TEST(percent_format)
{
	ck_text(pct("%d items", I(5)), "5 items");
	ck_text(pct("%5.2f|%-4s|%x", tuple_of(3, F(3.14159), S("ab"), I(255))), " 3.14|ab  |ff");
	ck_text(pct("%r", S("x")), "'x'");
	ck_text(pct("%05d", I(-42)), "-0042");
	ck_text(pct("%+.1e", F(12345.0)), "+1.2e+04");
	ck_text(pct("%c%c", tuple_of(2, I(72), S("i"))), "Hi");
	ck_text(pct("100%%", tuple_of(0)), "100%");
	hi_val d = hi_dict_new();
	hi_val x = S("x");
	hi_dict_set_str(d, "a", x);
	hi_dict_set_str(d, "b", I(2));
	hi_decref(x);
	ck_text(pct("%(a)s-%(b)d", d), "x-2");
	ck_text(pct("%s", list_of(2, I(1), I(2))), "[1, 2]");
	ck_text(pct("%g", F(1e-5)), "1e-05");
	ck_text(pct("%#o", I(8)), "0o10");
	ck_text(pct("%.3s", S("abcdef")), "abc");
	ck_text(pct("%10.3f", F(-1.5)), "    -1.500");
	ck_text(pct("%5s|", S("ab")), "   ab|");
	ck_text(pct("%d", F(3.9)), "3");
	ck_text(pct("%x", I(-255)), "-ff");
	ck_raises(pct("%d %d", I(1)), hi_TypeError, "not enough arguments for format string");
	ck_raises(pct("%d", tuple_of(2, I(1), I(2))), hi_TypeError, "not all arguments converted during string formatting");
	ck_raises(pct("%d", S("x")), hi_TypeError, "%d format: a real number is required, not str");
	ck_raises(pct("%z", I(1)), hi_ValueError, "unsupported format character 'z' (0x7a) at index 1");
}
END_TEST

START_TEST(locality)
{
	hi_val a = hi_setlocal(I(3), 1);
	hi_val r = hi_binop(HG_OP_ADD, a, I(4));
	ck_assert_int_eq(r.local, 1);
	r = hi_compare(HG_OP_LT, I(1), hi_setlocal(F(2), 1));
	ck_assert_int_eq(r.local, 1);
	hi_val s = hi_repr(a);
	ck_assert_int_eq(s.local, 1);
	hi_decref(s);
}
END_TEST

static Suite *values_suite(void)
{
	Suite *s = suite_create("values");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, float_repr);
	tcase_add_test(tc, scalar_repr);
	tcase_add_test(tc, container_repr);
	tcase_add_test(tc, int_arith);
	tcase_add_test(tc, float_arith);
	tcase_add_test(tc, compare);
	tcase_add_test(tc, sequences);
	tcase_add_test(tc, dict_behaviour);
	tcase_add_test(tc, list_methods);
	tcase_add_test(tc, sets);
	tcase_add_test(tc, iterators);
	tcase_add_test(tc, str_methods);
	tcase_add_test(tc, format_specs);
	tcase_add_test(tc, str_format);
	tcase_add_test(tc, percent_format);
	tcase_add_test(tc, locality);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	MPI_Init(&argc, &argv);
	hi_registry_init();
	hi_exc_init();
	hi_init_values();
	SRunner *sr = srunner_create(values_suite());
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	MPI_Finalize();
	return failed ? 1 : 0;
}
