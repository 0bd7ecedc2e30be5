/*
** test_registry.c — the builtin registry (signatures, argument binding and
** its error messages), exceptions (hierarchy, str/repr, traceback and
** SyntaxError rendering), type objects and constructors, Python builtins,
** the math module, help() and dir().
*/
#include <check.h>
#include <math.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

/* ---- helpers ---- */

static void setup_once(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	hi_S.exc = hi_none();
	hi_S.builtins = hi_dict_new();
	hi_S.modules = hi_dict_new();
	hi_S.globals = hi_dict_new();
	hi_exc_init();
	hi_init_values();
	hi_init_builtins();
	hi_init_math();
	hi_init_time();
}

/* Take the pending exception and check its type and str(). */
static void expect_error(hi_val r, hi_type *t, const char *msg)
{
	ck_assert_msg(hi_iserr(r), "expected %s: %s", t->name, msg);
	hi_val e = hi_exc_take();
	ck_assert_int_eq(e.kind, HI_EXC);
	ck_assert_str_eq(((hi_exc *)e.o)->type->name, t->name);
	hi_val m = hi_exc_message(e);
	ck_assert_str_eq(hi_as_str(m)->s, msg);
	hi_decref(m);
	hi_decref(e);
}

static hi_val builtin(const char *name)
{
	hi_val v;
	ck_assert_int_eq(hi_dict_get_str(hi_S.builtins, name, &v), 1);
	return v;
}

static hi_val callv(hi_val f, int argc, const hi_val *argv, int nkw,
                    const char *const *kwn, const hi_val *kwv)
{
	if (f.kind == HI_TYPE)
		return hi_call_type((hi_type *)f.o, argc, argv, nkw, kwn, kwv);
	ck_assert_int_eq(f.kind, HI_BUILTIN);
	return hi_call_builtin((hi_builtin *)f.o, argc, argv, nkw, kwn, kwv);
}

/* Call builtin `name` with positional args only. */
static hi_val call(const char *name, int argc, const hi_val *argv)
{
	hi_val f = builtin(name);
	hi_val r = callv(f, argc, argv, 0, NULL, NULL);
	hi_decref(f);
	return r;
}

static hi_val call1(const char *name, hi_val a)
{
	return call(name, 1, &a);
}

/* Call builtin `name` with one str argument. */
static hi_val call1s(const char *name, const char *arg)
{
	hi_val s = hi_str_cstr(arg);
	hi_val r = call1(name, s);
	hi_decref(s);
	return r;
}

static void expect_repr(hi_val v, const char *text)
{
	ck_assert_msg(!hi_iserr(v), "unexpected error for %s", text);
	hi_val r = hi_repr(v);
	ck_assert_str_eq(hi_as_str(r)->s, text);
	hi_decref(r);
	hi_decref(v);
}

static hi_val S(const char *s) { return hi_str_cstr(s); }

/* ---- a test builtin that returns its bound arguments as a tuple ---- */

static int nparams_of_echo;
static hi_val echo(hi_val *args, void *ctx)
{
	int n = (int)(intptr_t)ctx;
	hi_val t = hi_tuple_new((size_t)n);
	for (int i = 0; i < n; i++)
		hi_tuple_set(t, (size_t)i, hi_isabsent(args[i]) ? hi_str_cstr("<absent>") : hi_incref(args[i]));
	return t;
}

static hi_val make(const char *sig)
{
	hi_builtin_def d = { sig, echo, "Echo." };
	hi_val b = hi_builtin_new(&d, NULL, NULL);
	hi_builtin *bb = (hi_builtin *)b.o;
	nparams_of_echo = bb->nparams;
	bb->ctx = (void *)(intptr_t)bb->nparams;
	return b;
}

/* ==== signatures ==== */

START_TEST(sig_parse)
{
	setup_once();
	hi_val b = make("sum(a, axis=None, out=None, keepdims=False)");
	hi_builtin *s = (hi_builtin *)b.o;
	ck_assert_str_eq(s->name, "sum");
	ck_assert_int_eq(s->nparams, 4);
	ck_assert_str_eq(s->params[0].name, "a");
	ck_assert_int_eq(s->params[0].has_default, 0);
	ck_assert_str_eq(s->params[3].name, "keepdims");
	ck_assert_int_eq(s->params[3].defval.kind, HI_BOOL);
	ck_assert_int_eq(s->params[1].defval.kind, HI_NONE);
	hi_decref(b);

	b = make("f(x, y=-1, z=2.5e-3, s='a,b', t=(1, -2), *args, k=?, h=0x10, **kw)");
	s = (hi_builtin *)b.o;
	ck_assert_int_eq(s->nparams, 9);
	ck_assert_int_eq(s->params[1].defval.i, -1);
	ck_assert(s->params[2].defval.f == 2.5e-3);
	ck_assert_str_eq(hi_as_str(s->params[3].defval)->s, "a,b");
	expect_repr(hi_incref(s->params[4].defval), "(1, -2)");
	ck_assert_int_eq(s->params[5].kind, HG_PARAM_STAR);
	ck_assert_int_eq(s->params[6].kind, HG_PARAM_KWONLY);
	ck_assert(hi_isabsent(s->params[6].defval));
	ck_assert_int_eq(s->params[7].defval.i, 16);
	ck_assert_int_eq(s->params[8].kind, HG_PARAM_DSTAR);
	hi_decref(b);

	b = make("sorted(iterable, *, key=None, reverse=False)");
	s = (hi_builtin *)b.o;
	ck_assert_int_eq(s->params[1].kind, HG_PARAM_KWONLY);
	char *t = hi_builtin_signature(s);
	ck_assert_str_eq(t, "sorted(iterable, *, key=None, reverse=False)");
	free(t);
	hi_decref(b);

	b = make("range(start, stop=?, step=?)");
	t = hi_builtin_signature((hi_builtin *)b.o);
	ck_assert_str_eq(t, "range(start[, stop[, step]])");
	free(t);
	hi_decref(b);

	b = make("print(*args, sep=' ', end='\\n', flush=False)");
	t = hi_builtin_signature((hi_builtin *)b.o);
	ck_assert_str_eq(t, "print(*args, sep=' ', end='\\n', flush=False)");
	free(t);
	hi_decref(b);
}
END_TEST

/* ==== binding ==== */

START_TEST(bind_ok)
{
	setup_once();
	hi_val b = make("f(x, y=1, *args, k=?, **kw)");
	hi_val argv[4] = { hi_int(10), hi_int(20), hi_int(30), hi_int(40) };
	const char *kn[2] = { "k", "other" };
	hi_val kv[2] = { hi_int(5), hi_int(6) };
	expect_repr(callv(b, 4, argv, 2, kn, kv), "(10, 20, (30, 40), 5, {'other': 6})");
	expect_repr(callv(b, 1, argv, 0, NULL, NULL), "(10, 1, (), '<absent>', {})");
	const char *kn2[1] = { "x" };
	expect_repr(callv(b, 0, NULL, 1, kn2, argv), "(10, 1, (), '<absent>', {})");
	hi_decref(b);

	/* locality: a rank-local argument makes the result rank-local */
	b = make("g(x)");
	hi_val loc = hi_setlocal(hi_int(1), 1);
	hi_val r = callv(b, 1, &loc, 0, NULL, NULL);
	ck_assert_int_eq(r.local, 1);
	hi_decref(r);
	r = callv(b, 1, argv, 0, NULL, NULL);
	ck_assert_int_eq(r.local, 0);
	hi_decref(r);
	hi_decref(b);
}
END_TEST

START_TEST(bind_errors)
{
	setup_once();
	hi_val f = make("f(x, y)");
	hi_val argv[3] = { hi_int(1), hi_int(2), hi_int(3) };
	expect_error(callv(f, 3, argv, 0, NULL, NULL), hi_TypeError,
	             "f() takes 2 positional arguments but 3 were given");
	expect_error(callv(f, 0, argv, 0, NULL, NULL), hi_TypeError,
	             "f() missing 2 required positional arguments: 'x' and 'y'");
	expect_error(callv(f, 1, argv, 0, NULL, NULL), hi_TypeError,
	             "f() missing 1 required positional argument: 'y'");
	const char *ky[1] = { "y" }, *kx[1] = { "x" }, *kz[1] = { "z" };
	expect_error(callv(f, 2, argv, 1, ky, argv), hi_TypeError,
	             "f() got multiple values for argument 'y'");
	expect_error(callv(f, 1, argv, 1, kx, argv), hi_TypeError,
	             "f() got multiple values for argument 'x'");
	expect_error(callv(f, 2, argv, 1, kz, argv), hi_TypeError,
	             "f() got an unexpected keyword argument 'z'");
	hi_decref(f);

	f = make("g(x, y=2)");
	expect_error(callv(f, 3, argv, 0, NULL, NULL), hi_TypeError,
	             "g() takes from 1 to 2 positional arguments but 3 were given");
	hi_decref(f);
	f = make("h()");
	expect_error(callv(f, 1, argv, 0, NULL, NULL), hi_TypeError,
	             "h() takes 0 positional arguments but 1 was given");
	hi_decref(f);
	f = make("one(a)");
	expect_error(callv(f, 2, argv, 0, NULL, NULL), hi_TypeError,
	             "one() takes 1 positional argument but 2 were given");
	hi_decref(f);
	f = make("three(a, b, c)");
	expect_error(callv(f, 0, argv, 0, NULL, NULL), hi_TypeError,
	             "three() missing 3 required positional arguments: 'a', 'b', and 'c'");
	hi_decref(f);
	f = make("k(a, *, opt)");
	expect_error(callv(f, 1, argv, 0, NULL, NULL), hi_TypeError,
	             "k() missing 1 required keyword-only argument: 'opt'");
	expect_error(callv(f, 2, argv, 0, NULL, NULL), hi_TypeError,
	             "k() takes 1 positional argument but 2 were given");
	hi_decref(f);
}
END_TEST

/* ==== exceptions ==== */

static hi_val exc1(hi_type *t, const char *msg)
{
	hi_val m = S(msg);
	hi_val a = hi_tuple_pack(1, m);
	hi_val e = hi_exc_new(t, a);
	hi_decref(a);
	hi_decref(m);
	return e;
}

START_TEST(exc_render)
{
	setup_once();
	hi_val e = exc1(hi_ValueError, "message");
	hi_exc_add_tb(e, "prog.ha", 3, "<module>");
	hi_exc_add_tb(e, "prog.ha", 2, "f");
	char *t = hi_exc_render(e);
	ck_assert_str_eq(t, "Traceback (most recent call last):\n"
	                    "  File \"prog.ha\", line 3, in <module>\n"
	                    "  File \"prog.ha\", line 2, in f\n"
	                    "ValueError: message\n");
	free(t);
	hi_decref(e);

	e = hi_exc_new(hi_ValueError, hi_none());
	t = hi_exc_render(e);
	ck_assert_str_eq(t, "ValueError\n");
	free(t);
	hi_decref(e);

	/* KeyError shows the repr of its key; several args show the tuple */
	e = exc1(hi_KeyError, "k");
	t = hi_exc_render(e);
	ck_assert_str_eq(t, "KeyError: 'k'\n");
	free(t);
	expect_repr(e, "KeyError('k')");
	hi_val two = hi_tuple_pack(2, S("a"), hi_int(1));
	hi_decref(hi_as_tuple(two)->items[0]);   /* hi_tuple_pack increfed the temporary */
	e = hi_exc_new(hi_ValueError, two);
	hi_decref(two);
	hi_val m = hi_exc_message(e);
	ck_assert_str_eq(hi_as_str(m)->s, "('a', 1)");
	hi_decref(m);
	expect_repr(e, "ValueError('a', 1)");

	/* IOError is OSError and prints as such */
	ck_assert_ptr_eq(hi_IOError, hi_OSError);
	hi_raise(hi_IOError, "cannot open %s", "x.h5");
	e = hi_exc_take();
	t = hi_exc_render(e);
	ck_assert_str_eq(t, "OSError: cannot open x.h5\n");
	free(t);
	hi_decref(e);
}
END_TEST

START_TEST(exc_syntax)
{
	setup_once();
	const char *line = "    x = (1 +";
	hi_val e = hi_syntax_error_new(NULL, "'(' was never closed", "prog.ha", 2, 9, line, strlen(line));
	char *t = hi_exc_render(e);
	ck_assert_str_eq(t, "  File \"prog.ha\", line 2\n"
	                    "    x = (1 +\n"
	                    "        ^\n"
	                    "SyntaxError: '(' was never closed\n");
	free(t);
	hi_val m = hi_exc_message(e);
	ck_assert_str_eq(hi_as_str(m)->s, "'(' was never closed (prog.ha, line 2)");
	hi_decref(m);
	hi_decref(e);

	line = "x = 1 +* 2\n";
	e = hi_syntax_error_new(hi_IndentationError, "invalid syntax", "prog.ha", 5, 8, line, strlen(line));
	t = hi_exc_render(e);
	ck_assert_str_eq(t, "  File \"prog.ha\", line 5\n"
	                    "    x = 1 +* 2\n"
	                    "           ^\n"
	                    "IndentationError: invalid syntax\n");
	free(t);
	hi_decref(e);
}
END_TEST

START_TEST(exc_hierarchy)
{
	setup_once();
	hi_val e = exc1(hi_KeyError, "k");
	hi_val lookup = hi_objval(hi_LookupError, HI_TYPE);
	ck_assert_int_eq(hi_exc_matches(e, lookup), 1);
	ck_assert_int_eq(hi_exc_matches(e, hi_objval(hi_IndexError, HI_TYPE)), 0);
	hi_val tup = hi_tuple_pack(2, hi_objval(hi_TypeError, HI_TYPE), hi_objval(hi_Exception, HI_TYPE));
	ck_assert_int_eq(hi_exc_matches(e, tup), 1);
	ck_assert_int_eq(hi_isinstance(e, tup), 1);
	hi_decref(tup);
	ck_assert_int_eq(hi_exc_matches(e, hi_objval(hi_BaseException, HI_TYPE)), 1);
	/* except int: is a TypeError */
	ck_assert_int_eq(hi_exc_matches(e, hi_objval(hi_types[HI_INT], HI_TYPE)), -1);
	hi_exc_clear();
	hi_decref(e);
	ck_assert(hi_type_is_sub(hi_ZeroDivisionError, hi_ArithmeticError));
	ck_assert(hi_type_is_sub(hi_UnboundLocalError, hi_NameError));
	ck_assert(hi_type_is_sub(hi_RecursionError, hi_RuntimeError));
	ck_assert(hi_type_is_sub(hi_IndentationError, hi_SyntaxError));
	ck_assert(hi_type_is_sub(hi_ModuleNotFoundError, hi_ImportError));
	ck_assert(hi_type_is_sub(hi_UnicodeError, hi_ValueError));
	ck_assert(!hi_type_is_sub(hi_SystemExit, hi_Exception));
	ck_assert(!hi_type_is_sub(hi_KeyboardInterrupt, hi_Exception));

	/* isinstance on builtin types: bool is an int, not a float */
	hi_val intt = hi_objval(hi_types[HI_INT], HI_TYPE), flt = hi_objval(hi_types[HI_FLOAT], HI_TYPE);
	ck_assert_int_eq(hi_isinstance(hi_bool(1), intt), 1);
	ck_assert_int_eq(hi_isinstance(hi_bool(1), flt), 0);
	ck_assert_int_eq(hi_isinstance(hi_int(1), hi_objval(hi_types[HI_BOOL], HI_TYPE)), 0);
	ck_assert_int_eq(hi_isinstance(hi_int(1), hi_objval(hi_object_type, HI_TYPE)), 1);
	hi_val a[2] = { hi_int(1), hi_int(2) };
	expect_error(call("isinstance", 2, a), hi_TypeError,
	             "isinstance() arg 2 must be a type, a tuple of types, or a union");

	/* calling an exception class makes an instance; type() gives it back */
	hi_val msg = S("bad");
	hi_val inst = hi_call_type(hi_ValueError, 1, &msg, 0, NULL, NULL);
	hi_decref(msg);
	expect_repr(hi_incref(inst), "ValueError('bad')");
	hi_val ty = call1("type", inst);
	ck_assert_ptr_eq(ty.o, (hi_obj *)hi_ValueError);
	expect_repr(ty, "<class 'ValueError'>");
	hi_val args = hi_getattr(inst, "args");
	expect_repr(args, "('bad',)");
	hi_decref(inst);
	expect_repr(call1("type", hi_int(3)), "<class 'int'>");
	expect_repr(call1("type", hi_bool(0)), "<class 'bool'>");
	expect_repr(call1("type", hi_none()), "<class 'NoneType'>");
}
END_TEST

/* ==== constructors ==== */

START_TEST(ctor_int_float)
{
	setup_once();
	expect_repr(call1s("int", "  12 "), "12");
	expect_repr(call1s("int", "1_000"), "1000");
	expect_repr(call1s("int", "-9223372036854775808"), "-9223372036854775808");
	hi_val a[2] = { S("-0x1F"), hi_int(16) };
	expect_repr(call("int", 2, a), "-31");
	hi_decref(a[0]);
	a[0] = S("0b101");
	a[1] = hi_int(0);
	expect_repr(call("int", 2, a), "5");
	hi_decref(a[0]);
	a[0] = S("010");
	expect_error(call("int", 2, a), hi_ValueError, "invalid literal for int() with base 0: '010'");
	hi_decref(a[0]);
	a[0] = S("z");
	a[1] = hi_int(36);
	expect_repr(call("int", 2, a), "35");
	hi_decref(a[0]);
	hi_val s = S("12a");
	expect_error(call1("int", s), hi_ValueError, "invalid literal for int() with base 10: '12a'");
	hi_decref(s);
	s = S("9223372036854775808");
	hi_val r = call1("int", s);
	ck_assert(hi_iserr(r));
	hi_val e = hi_exc_take();
	ck_assert_ptr_eq(((hi_exc *)e.o)->type, hi_OverflowError);
	hi_decref(e);
	hi_decref(s);
	expect_repr(call1("int", hi_float(3.9)), "3");
	expect_repr(call1("int", hi_float(-3.9)), "-3");
	expect_repr(call1("int", hi_bool(1)), "1");
	expect_repr(call("int", 0, NULL), "0");
	expect_error(call1("int", hi_float(NAN)), hi_ValueError, "cannot convert float NaN to integer");
	expect_error(call1("int", hi_float(INFINITY)), hi_OverflowError, "cannot convert float infinity to integer");

	const char *ok[][2] = { { "inf", "inf" }, { "-Infinity", "-inf" }, { " nan ", "nan" },
	                        { " 1e3 ", "1000.0" }, { "1_0.5", "10.5" }, { ".5", "0.5" },
	                        { "5.", "5.0" }, { "+1E-2", "0.01" } };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		s = S(ok[i][0]);
		expect_repr(call1("float", s), ok[i][1]);
		hi_decref(s);
	}
	const char *bad[] = { "abc", "0x10", "1__0", "_1", "1_", "", "1e", "--1", "in f" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		s = S(bad[i]);
		r = call1("float", s);
		ck_assert_msg(hi_iserr(r), "float(%s) should fail", bad[i]);
		hi_exc_clear();
		hi_decref(s);
	}
	s = S("abc");
	expect_error(call1("float", s), hi_ValueError, "could not convert string to float: 'abc'");
	hi_decref(s);
	expect_repr(call1("float", hi_int(3)), "3.0");

	const char *cx[][2] = { { "1+2j", "(1+2j)" }, { "-j", "-1j" }, { " (3-4.5J) ", "(3-4.5j)" },
	                        { "2", "(2+0j)" }, { "1e1j", "100j" } };
	for (size_t i = 0; i < sizeof cx / sizeof cx[0]; i++) {
		s = S(cx[i][0]);
		r = call1("complex", s);
		ck_assert_msg(!hi_iserr(r), "complex(%s)", cx[i][0]);
		hi_decref(r);
		hi_decref(s);
	}
	s = S("1+2j");
	expect_repr(call1("complex", s), "(1+2j)");
	hi_decref(s);
	a[0] = hi_int(1);
	a[1] = hi_float(2.5);
	expect_repr(call("complex", 2, a), "(1+2.5j)");
}
END_TEST

START_TEST(ctor_containers)
{
	setup_once();
	hi_val rng = hi_range_new(0, 3, 1);
	expect_repr(call1("list", rng), "[0, 1, 2]");
	expect_repr(call1("tuple", rng), "(0, 1, 2)");
	hi_decref(rng);
	hi_val a[3] = { hi_int(1), hi_int(10), hi_int(0) };
	expect_error(call("range", 3, a), hi_ValueError, "range() arg 3 must not be zero");
	a[2] = hi_int(3);
	expect_repr(call("range", 3, a), "range(1, 10, 3)");
	expect_repr(call("range", 1, a), "range(0, 1)");
	expect_repr(call("slice", 1, a), "slice(None, 1, None)");
	hi_val d = builtin("dict");
	const char *kn[2] = { "a", "b" };
	hi_val kv[2] = { hi_int(1), hi_int(2) };
	expect_repr(callv(d, 0, NULL, 2, kn, kv), "{'a': 1, 'b': 2}");
	hi_decref(d);
	expect_repr(call1("bool", hi_int(0)), "False");
	expect_repr(call1("str", hi_float(0.1)), "'0.1'");
	expect_repr(call("str", 0, NULL), "''");
}
END_TEST

/* ==== builtins ==== */

START_TEST(builtins_numbers)
{
	setup_once();
	struct { double x; const char *r; } r0[] = { { 2.5, "2" }, { 3.5, "4" }, { -2.5, "-2" }, { -0.5, "0" } };
	for (size_t i = 0; i < 4; i++)
		expect_repr(call1("round", hi_float(r0[i].x)), r0[i].r);
	hi_val a[3] = { hi_float(2.675), hi_int(2) };
	expect_repr(call("round", 2, a), "2.67");
	a[0] = hi_float(0.125);
	expect_repr(call("round", 2, a), "0.12");
	a[0] = hi_float(123.456);
	a[1] = hi_int(-1);
	expect_repr(call("round", 2, a), "120.0");
	a[1] = hi_int(-2);
	a[0] = hi_int(1250);
	expect_repr(call("round", 2, a), "1200");
	a[0] = hi_int(-1250);
	expect_repr(call("round", 2, a), "-1200");
	a[0] = hi_int(1350);
	expect_repr(call("round", 2, a), "1400");

	a[0] = hi_int(3); a[1] = hi_int(-1); a[2] = hi_int(7);
	expect_repr(call("pow", 3, a), "5");
	a[0] = hi_int(2); a[1] = hi_int(10); a[2] = hi_int(-7);
	expect_repr(call("pow", 3, a), "-5");
	a[2] = hi_int(0);
	expect_error(call("pow", 3, a), hi_ValueError, "pow() 3rd argument cannot be 0");
	a[0] = hi_int(7); a[1] = hi_int(-2);
	expect_repr(call("divmod", 2, a), "(-4, -1)");
	expect_repr(call1("hex", hi_int(-42)), "'-0x2a'");
	expect_repr(call1("bin", hi_int(0)), "'0b0'");
	expect_repr(call1("oct", hi_int(8)), "'0o10'");
	expect_repr(call1("abs", hi_int(-4)), "4");
	expect_repr(call1("abs", hi_float(-0.5)), "0.5");
	hi_val c = hi_complex_new(3, 4);
	expect_repr(call1("abs", c), "5.0");
	hi_decref(c);
	hi_val s = S("abc");
	expect_error(call1("abs", s), hi_TypeError, "bad operand type for abs(): 'str'");
	expect_error(call1("ord", s), hi_TypeError, "ord() expected a character, but string of length 3 found");
	hi_decref(s);
	hi_val ch = call1("chr", hi_int(0x20AC));
	ck_assert_str_eq(hi_as_str(ch)->s, "\xe2\x82\xac");
	expect_repr(call1("ord", ch), "8364");
	hi_decref(ch);
}
END_TEST

START_TEST(builtins_iter)
{
	setup_once();
	hi_val l = hi_list_new(0);
	int xs[] = { 3, 1, 4, 1, 5 };
	for (int i = 0; i < 5; i++)
		hi_list_append(l, hi_int(xs[i]));
	expect_repr(call1("max", l), "5");
	expect_repr(call1("min", l), "1");
	expect_repr(call1("sum", l), "14");
	expect_repr(call1("sorted", l), "[1, 1, 3, 4, 5]");
	hi_val sorted = builtin("sorted");
	const char *kr[1] = { "reverse" };
	hi_val tv = hi_bool(1);
	expect_repr(callv(sorted, 1, &l, 1, kr, &tv), "[5, 4, 3, 1, 1]");
	hi_decref(sorted);
	expect_repr(call1("any", l), "True");
	expect_repr(call1("all", l), "True");
	hi_val a[2] = { hi_int(2), hi_int(9) };
	expect_repr(call("max", 2, a), "9");
	hi_val e = hi_list_new(0);
	expect_error(call1("max", e), hi_ValueError, "max() arg is an empty sequence");
	expect_error(call("min", 0, NULL), hi_TypeError, "min expected at least 1 argument, got 0");
	hi_val mx = builtin("max");
	const char *kd[1] = { "default" };
	hi_val dv = hi_int(-1);
	expect_repr(callv(mx, 1, &e, 1, kd, &dv), "-1");
	expect_error(callv(mx, 2, a, 1, kd, &dv), hi_TypeError,
	             "Cannot specify a default for max() with multiple positional arguments");
	hi_decref(mx);
	expect_repr(call1("all", e), "True");
	expect_repr(call1("any", e), "False");
	hi_list_append(e, hi_float(0.5));
	hi_list_append(e, hi_float(0.25));
	hi_val sa[2] = { e, hi_float(1.0) };
	expect_repr(call("sum", 2, sa), "1.75");
	hi_decref(e);
	hi_val st = S("");
	hi_val sb[2] = { l, st };
	expect_error(call("sum", 2, sb), hi_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
	hi_decref(st);

	hi_val it = call1("iter", l);
	expect_repr(call1("next", it), "3");
	hi_decref(it);
	expect_error(call1("next", l), hi_TypeError, "'list' object is not an iterator");
	hi_val en = call1("enumerate", l);
	expect_repr(call1("list", en), "[(0, 3), (1, 1), (2, 4), (3, 1), (4, 5)]");
	hi_decref(en);
	hi_decref(l);
}
END_TEST

START_TEST(builtins_attrs)
{
	setup_once();
	hi_val s = S("a b");
	hi_val nm = S("nope"), dflt = hi_int(7);
	hi_val a[3] = { s, nm, dflt };
	expect_repr(call("getattr", 3, a), "7");
	expect_error(call("getattr", 2, a), hi_AttributeError, "'str' object has no attribute 'nope'");
	expect_repr(call("hasattr", 2, a), "False");
	hi_decref(nm);
	hi_val m;
	ck_assert_int_eq(hi_dict_get_str(hi_S.modules, "math", &m), 1);
	expect_repr(hi_incref(m), "<module 'math'>");
	expect_error(hi_getattr(m, "foo"), hi_AttributeError, "module 'math' has no attribute 'foo'");
	hi_val sq = hi_getattr(m, "sqrt");
	expect_repr(hi_incref(sq), "<built-in function sqrt>");
	expect_error(hi_call_builtin((hi_builtin *)sq.o, 1, (hi_val[]){ hi_int(-1) }, 0, NULL, NULL),
	             hi_ValueError, "math domain error");
	expect_repr(hi_call_builtin((hi_builtin *)sq.o, 1, (hi_val[]){ hi_int(16) }, 0, NULL, NULL), "4.0");
	hi_decref(sq);
	expect_repr(call1("repr", hi_objval(hi_types[HI_STR], HI_TYPE)), "\"<class 'str'>\"");
	expect_repr(builtin("len"), "<built-in function len>");
	hi_decref(s);
	hi_decref(m);
	expect_error(hi_getattr(hi_int(1), "foo"), hi_AttributeError, "'int' object has no attribute 'foo'");
}
END_TEST

START_TEST(math_module)
{
	setup_once();
	hi_val m;
	ck_assert_int_eq(hi_dict_get_str(hi_S.modules, "math", &m), 1);
	struct { const char *f; int n; hi_val a[2]; const char *r; } cases[] = {
		{ "floor", 1, { hi_float(-2.5) }, "-3" },
		{ "ceil", 1, { hi_float(2.1) }, "3" },
		{ "log", 2, { hi_int(8), hi_int(2) }, "3.0" },
		{ "factorial", 1, { hi_int(5) }, "120" },
		{ "gcd", 2, { hi_int(12), hi_int(-18) }, "6" },
		{ "isclose", 2, { hi_int(1), hi_float(1.0000000001) }, "True" },
		{ "hypot", 2, { hi_int(3), hi_int(4) }, "5.0" },
		{ "trunc", 1, { hi_float(-2.7) }, "-2" },
		{ "fmod", 2, { hi_float(-7), hi_float(3) }, "-1.0" },
		{ "atan2", 2, { hi_int(1), hi_int(1) }, "0.7853981633974483" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hi_val f = hi_getattr(m, cases[i].f);
		expect_repr(hi_call_builtin((hi_builtin *)f.o, cases[i].n, cases[i].a, 0, NULL, NULL), cases[i].r);
		hi_decref(f);
	}
	hi_val f = hi_getattr(m, "exp");
	expect_error(hi_call_builtin((hi_builtin *)f.o, 1, (hi_val[]){ hi_int(1000) }, 0, NULL, NULL),
	             hi_OverflowError, "math range error");
	hi_decref(f);
	f = hi_getattr(m, "log");
	expect_error(hi_call_builtin((hi_builtin *)f.o, 1, (hi_val[]){ hi_int(0) }, 0, NULL, NULL),
	             hi_ValueError, "math domain error");
	hi_decref(f);
	f = hi_getattr(m, "factorial");
	expect_error(hi_call_builtin((hi_builtin *)f.o, 1, (hi_val[]){ hi_int(-1) }, 0, NULL, NULL),
	             hi_ValueError, "factorial() not defined for negative values");
	hi_decref(f);
	expect_repr(hi_getattr(m, "pi"), "3.141592653589793");
	hi_decref(m);
}
END_TEST

START_TEST(help_and_dir)
{
	setup_once();
	hi_builtin_def d = { "sum(a, axis=None, out=None, keepdims=False)", echo,
	                     "Sum of array elements over a given axis.\n\n"
	                     "    Collective: one Allreduce when a is split.\n" };
	hi_val b = hi_builtin_new(&d, "heat", NULL);
	char *t = hi_help_text(b);
	ck_assert_str_eq(t, "Help on built-in function sum in module heat:\n\n"
	                    "sum(a, axis=None, out=None, keepdims=False)\n"
	                    "    Sum of array elements over a given axis.\n"
	                    "\n"
	                    "    Collective: one Allreduce when a is split.\n");
	free(t);
	hi_decref(b);
	hi_val len = builtin("len");
	t = hi_help_text(len);
	const char *want = "Help on built-in function len in module builtins:\n\nlen(obj)\n    Return";
	ck_assert(!strncmp(t, want, strlen(want)));
	free(t);
	hi_decref(len);
	hi_val name = S("math.sqrt");
	t = hi_help_text(name);
	want = "Help on built-in function sqrt in module math:\n\nsqrt(x)\n";
	ck_assert(!strncmp(t, want, strlen(want)));
	free(t);
	hi_decref(name);

	hi_val m;
	ck_assert_int_eq(hi_dict_get_str(hi_S.modules, "time", &m), 1);
	expect_repr(hi_dir(m), "['__doc__', '__name__', 'monotonic', 'perf_counter', 'process_time', 'sleep', 'time']");
	t = hi_help_text(m);
	ck_assert(strstr(t, "FUNCTIONS\n    monotonic()\n        Return the value in seconds of a clock"));
	free(t);
	hi_decref(m);
	hi_val ex = hi_objval(hi_KeyError, HI_TYPE);
	t = hi_help_text(ex);
	ck_assert_str_eq(t, "Help on class KeyError in module builtins:\n\nclass KeyError(LookupError)\n    Mapping key not found.\n");
	free(t);
	hi_dict_set_str(hi_S.globals, "zeta", hi_int(1));
	hi_dict_set_str(hi_S.globals, "alpha", hi_int(2));
	expect_repr(hi_dir(hi_absent()), "['alpha', 'zeta']");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, sig_parse);
	tcase_add_test(tc, bind_ok);
	tcase_add_test(tc, bind_errors);
	tcase_add_test(tc, exc_render);
	tcase_add_test(tc, exc_syntax);
	tcase_add_test(tc, exc_hierarchy);
	tcase_add_test(tc, ctor_int_float);
	tcase_add_test(tc, ctor_containers);
	tcase_add_test(tc, builtins_numbers);
	tcase_add_test(tc, builtins_iter);
	tcase_add_test(tc, builtins_attrs);
	tcase_add_test(tc, math_module);
	tcase_add_test(tc, help_and_dir);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	MPI_Init(&argc, &argv);
	SRunner *sr = srunner_create(suite());
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	MPI_Finalize();
	return failed ? 1 : 0;
}
