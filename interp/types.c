/*
** types.c — type objects: one per builtin kind (int, str, list ...), the
** `object` root, type(x), isinstance/issubclass, and the constructors
** called when a program calls a type (int("12", 16), float("inf"),
** dict(a=1) ...).  Exception classes are type objects too (exc.c); calling
** one builds an exception instance.
*/
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

hi_type *hi_types[HI_KIND_COUNT];
hi_type *hi_object_type;

/* ---- the type object itself ---- */

static void type_free(hi_obj *o)
{
	hi_type *t = (hi_type *)o;
	free((char *)t->name);
	hi_decref(t->ctor);
	free(t);
}

static hi_val type_repr(hi_val v)
{
	hi_type *t = (hi_type *)v.o;
	/* Heat's array class lives in heat.core.dndarray; print(type(x))
	** shows that qualified name there, and Heat users compare against it. */
	if (t == hi_types[HI_ARRAY])
		return hi_str_fmt("<class 'heat.core.dndarray.DNDarray'>");
	return hi_str_fmt("<class '%s'>", t->name);
}

hi_val hi_type_new(const char *name, hi_type *base, int is_exc, int match_kind, const char *doc)
{
	hi_type *t = hi_obj_alloc(sizeof *t, HI_TYPE);
	char *nm = strdup(name);
	if (!t || !nm) {
		free(t);
		free(nm);
		return hi_raise(hi_MemoryError, "out of memory");
	}
	t->name = nm;
	t->base = base;
	t->is_exc = is_exc;
	t->match_kind = match_kind;
	t->ctor = hi_none();
	t->doc = doc;
	return hi_objval(t, HI_TYPE);
}

hi_val hi_type_of(hi_val v)
{
	if (v.kind == HI_EXC)
		return hi_objval(((hi_exc *)v.o)->type, HI_TYPE);
	if (v.kind == HI_OBJECT && ((hi_instance *)v.o)->type)
		return hi_objval(((hi_instance *)v.o)->type, HI_TYPE);
	if (v.kind < HI_KIND_COUNT && hi_types[v.kind])
		return hi_objval(hi_types[v.kind], HI_TYPE);
	return hi_objval(hi_object_type, HI_TYPE);
}

int hi_type_is_sub(const hi_type *t, const hi_type *base)
{
	if (base == hi_object_type)
		return 1;
	for (; t; t = t->base)
		if (t == base)
			return 1;
	return 0;
}

/* Does type t match typespec (a type or a tuple of them, nested)?
** `who` names the caller in the TypeError for a bad spec. */
static int type_matches(const hi_type *t, hi_val spec, const char *who)
{
	if (spec.kind == HI_TYPE)
		return hi_type_is_sub(t, (hi_type *)spec.o);
	if (spec.kind == HI_TUPLE) {
		hi_tuple *tu = hi_as_tuple(spec);
		for (size_t i = 0; i < tu->len; i++) {
			int r = type_matches(t, tu->items[i], who);
			if (r)
				return r;
		}
		return 0;
	}
	return hi_raisei(hi_TypeError, "%s arg 2 must be a type, a tuple of types, or a union", who);
}

int hi_isinstance(hi_val v, hi_val typespec)
{
	return type_matches((hi_type *)hi_type_of(v).o, typespec, "isinstance()");
}

int hi_issubclass(hi_val cls, hi_val typespec)
{
	if (cls.kind != HI_TYPE)
		return hi_raisei(hi_TypeError, "issubclass() arg 1 must be a class");
	return type_matches((hi_type *)cls.o, typespec, "issubclass()");
}

/* Attributes of a type object: __name__, __doc__, then the methods of the
** kind it stands for, unbound (str.join is the builtin join(self, iterable)). */
static hi_val type_getattr(hi_val self, const char *name)
{
	hi_type *t = (hi_type *)self.o;
	if (!strcmp(name, "__name__") || !strcmp(name, "__qualname__"))
		return hi_str_cstr(t->name);
	if (!strcmp(name, "__doc__"))
		return t->doc ? hi_str_cstr(t->doc) : hi_none();
	if (!strcmp(name, "__base__"))
		return t->base ? hi_incref(hi_objval(t->base, HI_TYPE))
		               : t == hi_object_type ? hi_none() : hi_incref(hi_objval(hi_object_type, HI_TYPE));
	if (t->match_kind >= 0 && t->match_kind < HI_KIND_COUNT)
		return hi_method_lookup(t->match_kind, name);
	return hi_absent();
}

/* Call a type object: construct an instance. */
hi_val hi_call_type(hi_type *t, int argc, const hi_val *argv, int nkw,
                    const char *const *kwnames, const hi_val *kwvals)
{
	if (t->is_exc) {
		if (nkw > 0)
			return hi_raise(hi_TypeError, "%s() takes no keyword arguments", t->name);
		hi_val args = hi_tuple_new((size_t)argc);
		if (hi_iserr(args))
			return args;
		for (int i = 0; i < argc; i++)
			hi_tuple_set(args, (size_t)i, hi_incref(argv[i]));
		hi_val e = hi_exc_new(t, args);
		hi_decref(args);
		return e;
	}
	if (t->ctor.kind == HI_BUILTIN)
		return hi_call_builtin((hi_builtin *)t->ctor.o, argc, argv, nkw, kwnames, kwvals);
	if (t->ctor.kind != HI_NONE)
		return hi_call(t->ctor, argc, argv, nkw, kwnames, kwvals);
	return hi_raise(hi_TypeError, "cannot create '%s' instances", t->name);
}

/* ---- conversions that fall back on a kind's dunder method ---- */

/* Call kind-method `name` on x (e.g. an array's __int__).  *found = 0
** when the kind has no such method. */
static hi_val call_dunder(hi_val x, const char *name, int *found)
{
	hi_val m = x.kind < HI_KIND_COUNT ? hi_method_lookup(x.kind, name) : hi_absent();
	if (hi_isabsent(m)) {
		*found = 0;
		return hi_none();
	}
	*found = 1;
	hi_val r = m.kind == HI_BUILTIN
	           ? hi_call_builtin((hi_builtin *)m.o, 1, &x, 0, NULL, NULL)
	           : hi_call(m, 1, &x, 0, NULL, NULL);
	hi_decref(m);
	return r;
}

/* ---- int() ---- */

static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

static hi_val bad_int_literal(const char *s, size_t n, int base)
{
	hi_val r = hi_str_new(s, n);
	if (hi_iserr(r))
		return r;
	hi_val q = hi_repr(r);
	hi_decref(r);
	if (hi_iserr(q))
		return q;
	hi_raise(hi_ValueError, "invalid literal for int() with base %d: %s", base, hi_as_str(q)->s);
	hi_decref(q);
	return hi_err();
}

/* Python's int(str, base): blanks around, a sign, an optional 0x/0o/0b
** prefix matching the base (any of them with base 0), single underscores
** between digits. */
hi_val hi_int_from_str(const char *s0, size_t n0, int base)
{
	const char *s = s0, *e = s0 + n0;
	int base0 = base;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	int neg = 0;
	if (s < e && (*s == '+' || *s == '-'))
		neg = *s++ == '-';
	int prefixed = 0;
	if (e - s >= 2 && s[0] == '0') {
		int c = tolower((unsigned char)s[1]);
		int pb = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
		if (pb && (base == 0 || base == pb)) {
			base = pb;
			s += 2;
			prefixed = 1;
		}
	}
	if (base == 0)
		base = 10;
	if (s == e)
		return bad_int_literal(s0, n0, base0);
	/* base 0 rejects leading zeros in decimals ("010"), as Python does */
	int leading_zero_check = base0 == 0 && !prefixed && *s == '0';
	uint64_t acc = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	int ndig = 0, overflow = 0, nonzero = 0;
	const char *p = s;
	if (prefixed && p < e && *p == '_')
		p++;
	for (; p < e; p++) {
		if (*p == '_') {
			if (p + 1 >= e || p[1] == '_' || ndig == 0)
				return bad_int_literal(s0, n0, base0);
			continue;
		}
		int d = digit_value((unsigned char)*p);
		if (d >= base)
			return bad_int_literal(s0, n0, base0);
		ndig++;
		if (d)
			nonzero = 1;
		if (acc > (lim - (uint64_t)d) / (uint64_t)base)
			overflow = 1;
		else
			acc = acc * (uint64_t)base + (uint64_t)d;
	}
	if (!ndig || (leading_zero_check && nonzero))
		return bad_int_literal(s0, n0, base0);
	if (overflow)
		return hi_raise(hi_OverflowError, "int too large: %.*s does not fit in 64 bits",
		                (int)(e - s0 > 60 ? 60 : e - s0), s0);
	return hi_int(neg ? (int64_t)(0 - acc) : (int64_t)acc);
}

/* float -> int, truncating toward zero, as int(3.9) == 3. */
hi_val hi_int_from_double(double d)
{
	if (isnan(d))
		return hi_raise(hi_ValueError, "cannot convert float NaN to integer");
	if (isinf(d))
		return hi_raise(hi_OverflowError, "cannot convert float infinity to integer");
	d = trunc(d);
	if (d >= 9223372036854775808.0 || d < -9223372036854775808.0)
		return hi_raise(hi_OverflowError, "int too large: %.17g does not fit in 64 bits", d);
	return hi_int((int64_t)d);
}

static hi_val ctor_int(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val x = a[0], b = a[1];
	if (!hi_isabsent(b)) {
		int64_t base;
		if (hi_as_int64(b, &base, NULL) < 0)
			return hi_err();
		if (base != 0 && (base < 2 || base > 36))
			return hi_raise(hi_ValueError, "int() base must be >= 2 and <= 36, or 0");
		if (hi_isabsent(x))
			return hi_raise(hi_TypeError, "int() missing string argument");
		if (x.kind != HI_STR)
			return hi_raise(hi_TypeError, "int() can't convert non-string with explicit base");
		return hi_int_from_str(hi_as_str(x)->s, hi_as_str(x)->len, (int)base);
	}
	switch (x.kind) {
	case HI_ERROR: return hi_int(0);   /* int() */
	case HI_INT: return hi_int(x.i);
	case HI_BOOL: return hi_int(x.i);
	case HI_FLOAT: return hi_int_from_double(x.f);
	case HI_STR: return hi_int_from_str(hi_as_str(x)->s, hi_as_str(x)->len, 10);
	default: {
		int found;
		hi_val r = call_dunder(x, "__int__", &found);
		if (found)
			return r;
		return hi_raise(hi_TypeError, "int() argument must be a string, a bytes-like object or a real number, not '%s'",
		                hi_type_name(x));
	}
	}
}

/* ---- float() ---- */

/* Scan a decimal float literal (digits with single underscores, optional
** fraction and exponent) or inf/infinity/nan, after an optional sign.
** Appends the literal without underscores to out (capacity cap).
** Returns the end of the literal, or NULL when there is none.
** allow_bare: a lone sign (or nothing) counts, for complex's "+j". */
static const char *scan_float(const char *s, const char *e, char *out, size_t cap, int allow_bare)
{
	size_t k = 0;
#define PUT(c) do { if (k + 1 < cap) out[k++] = (char)(c); } while (0)
	if (s < e && (*s == '+' || *s == '-')) {
		PUT(*s);
		s++;
	}
	static const char *const words[] = { "infinity", "inf", "nan" };
	for (int w = 0; w < 3; w++) {
		size_t L = strlen(words[w]);
		if ((size_t)(e - s) >= L && !strncasecmp(s, words[w], L)) {
			for (size_t i = 0; i < L; i++)
				PUT(words[w][i]);
			out[k] = 0;
			return s + L;
		}
	}
	int ndig = 0;
	int prev_digit = 0;
	/* integer part */
	while (s < e && (isdigit((unsigned char)*s) || (*s == '_' && prev_digit && s + 1 < e && isdigit((unsigned char)s[1])))) {
		if (*s != '_') {
			PUT(*s);
			ndig++;
		}
		prev_digit = *s != '_';
		s++;
	}
	if (s < e && *s == '.') {
		PUT('.');
		s++;
		prev_digit = 0;
		while (s < e && (isdigit((unsigned char)*s) || (*s == '_' && prev_digit && s + 1 < e && isdigit((unsigned char)s[1])))) {
			if (*s != '_') {
				PUT(*s);
				ndig++;
			}
			prev_digit = *s != '_';
			s++;
		}
	}
	if (!ndig) {
		out[k] = 0;
		return allow_bare ? s : NULL;
	}
	if (s < e && (*s == 'e' || *s == 'E')) {
		const char *q = s + 1;
		char tmp[8];
		size_t tk = 0;
		tmp[tk++] = 'e';
		if (q < e && (*q == '+' || *q == '-'))
			tmp[tk++] = *q++;
		if (q < e && isdigit((unsigned char)*q)) {
			for (size_t i = 0; i < tk; i++)
				PUT(tmp[i]);
			prev_digit = 0;
			while (q < e && (isdigit((unsigned char)*q) || (*q == '_' && prev_digit && q + 1 < e && isdigit((unsigned char)q[1])))) {
				if (*q != '_')
					PUT(*q);
				prev_digit = *q != '_';
				q++;
			}
			s = q;
		}
	}
	out[k] = 0;
	return s;
#undef PUT
}

static hi_val bad_float(hi_val x)
{
	hi_val q = hi_repr(x);
	if (hi_iserr(q))
		return q;
	hi_raise(hi_ValueError, "could not convert string to float: %s", hi_as_str(q)->s);
	hi_decref(q);
	return hi_err();
}

int hi_float_from_str(const char *s, size_t n, double *out)
{
	const char *e = s + n;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	char buf[512];
	if (e - s >= (long)sizeof buf - 1)
		return -1;
	const char *end = scan_float(s, e, buf, sizeof buf, 0);
	if (!end || end != e)
		return -1;
	*out = strtod(buf, NULL);
	return 0;
}

static hi_val ctor_float(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val x = a[0];
	double d;
	switch (x.kind) {
	case HI_ERROR: return hi_float(0.0);
	case HI_INT:
	case HI_BOOL: return hi_float((double)x.i);
	case HI_FLOAT: return hi_float(x.f);
	case HI_STR:
		if (hi_float_from_str(hi_as_str(x)->s, hi_as_str(x)->len, &d) < 0)
			return bad_float(x);
		return hi_float(d);
	default: {
		int found;
		hi_val r = call_dunder(x, "__float__", &found);
		if (found)
			return r;
		return hi_raise(hi_TypeError, "float() argument must be a string or a real number, not '%s'",
		                hi_type_name(x));
	}
	}
}

/* ---- complex() ---- */

static int complex_parts(hi_val v, double *re, double *im, const char *which)
{
	switch (v.kind) {
	case HI_INT:
	case HI_BOOL: *re = (double)v.i; *im = 0; return 0;
	case HI_FLOAT: *re = v.f; *im = 0; return 0;
	case HI_COMPLEX: *re = ((hi_complex *)v.o)->re; *im = ((hi_complex *)v.o)->im; return 0;
	default: {
		int found;
		hi_val r = call_dunder(v, "__complex__", &found);
		if (found) {
			if (hi_iserr(r))
				return -1;
			int rc = complex_parts(r, re, im, which);
			hi_decref(r);
			return rc;
		}
		return hi_raisei(hi_TypeError, "complex() %s must be a number, not '%s'", which, hi_type_name(v));
	}
	}
}

static int complex_from_str(const char *s, size_t n, double *re, double *im)
{
	const char *e = s + n;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (s < e && *s == '(') {
		if (e[-1] != ')')
			return -1;
		s++;
		e--;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
	}
	if (s == e || e - s > 500)
		return -1;
	char b1[512], b2[512];
	const char *p = scan_float(s, e, b1, sizeof b1, 1);
	if (!p)
		return -1;
	int bare1 = strcspn(b1, "0123456789infINFaA") == strlen(b1);   /* "", "+", "-" */
	if (p == e) {                           /* "1.5" */
		if (bare1)
			return -1;
		*re = strtod(b1, NULL);
		*im = 0;
		return 0;
	}
	if ((*p == 'j' || *p == 'J') && p + 1 == e) {   /* "2j", "-j" */
		*re = 0;
		*im = bare1 ? (b1[0] == '-' ? -1.0 : 1.0) : strtod(b1, NULL);
		return 0;
	}
	if (bare1 || (*p != '+' && *p != '-'))
		return -1;
	const char *q = scan_float(p, e, b2, sizeof b2, 1);
	if (!q || q + 1 != e || (*q != 'j' && *q != 'J'))
		return -1;
	int bare2 = strcspn(b2, "0123456789infINFaA") == strlen(b2);
	*re = strtod(b1, NULL);
	*im = bare2 ? (b2[0] == '-' ? -1.0 : 1.0) : strtod(b2, NULL);
	return 0;
}

static hi_val ctor_complex(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val r = a[0], i = a[1];
	double re = 0, im = 0, ire = 0, iim = 0;
	if (r.kind == HI_STR) {
		if (!hi_isabsent(i))
			return hi_raise(hi_TypeError, "complex() can't take second arg if first is a string");
		if (complex_from_str(hi_as_str(r)->s, hi_as_str(r)->len, &re, &im) < 0)
			return hi_raise(hi_ValueError, "complex() arg is a malformed string");
		return hi_complex_new(re, im);
	}
	if (i.kind == HI_STR)
		return hi_raise(hi_TypeError, "complex() second arg can't be a string");
	if (!hi_isabsent(r) && complex_parts(r, &re, &im, "first argument") < 0)
		return hi_err();
	if (!hi_isabsent(i) && complex_parts(i, &ire, &iim, "second argument") < 0)
		return hi_err();
	/* complex(a, b) == a + b*1j, also for complex a and b */
	return hi_complex_new(re - iim, im + ire);
}

/* ---- the other constructors ---- */

static hi_val ctor_str(hi_val *a, void *ctx)
{
	(void)ctx;
	if (hi_isabsent(a[0]))
		return hi_str_new("", 0);
	return hi_to_str(a[0]);
}

static hi_val ctor_bool(hi_val *a, void *ctx)
{
	(void)ctx;
	if (hi_isabsent(a[0]))
		return hi_bool(0);
	int t = hi_truthy(a[0]);
	return t < 0 ? hi_err() : hi_bool(t);
}

static hi_val ctor_list(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_isabsent(a[0]) ? hi_list_new(0) : hi_list_from(a[0]);
}

static hi_val ctor_tuple(hi_val *a, void *ctx)
{
	(void)ctx;
	if (hi_isabsent(a[0]))
		return hi_tuple_new(0);
	if (a[0].kind == HI_TUPLE)
		return hi_incref(a[0]);
	return hi_tuple_from(a[0]);
}

static hi_val ctor_set(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_isabsent(a[0]) ? hi_set_new() : hi_set_from(a[0]);
}

static hi_val ctor_dict(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val d = hi_isabsent(a[0]) ? hi_dict_new() : hi_dict_from(a[0]);
	if (hi_iserr(d))
		return d;
	if (hi_as_dict(a[1])->len && hi_dict_update(d, a[1]) < 0) {
		hi_decref(d);
		return hi_err();
	}
	return d;
}

static hi_val ctor_range(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t v[3] = { 0, 0, 1 };
	int n = hi_isabsent(a[1]) ? 1 : hi_isabsent(a[2]) ? 2 : 3;
	for (int k = 0; k < n; k++)
		if (hi_as_int64(a[k], &v[k], NULL) < 0)
			return hi_err();
	if (n == 1)
		return hi_range_new(0, v[0], 1);
	return hi_range_new(v[0], v[1], v[2]);
}

static hi_val ctor_slice(hi_val *a, void *ctx)
{
	(void)ctx;
	if (hi_isabsent(a[1]))
		return hi_slice_new(hi_none(), a[0], hi_none());
	return hi_slice_new(a[0], a[1], hi_isabsent(a[2]) ? hi_none() : a[2]);
}

static hi_val ctor_type(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_incref(hi_type_of(a[0]));
}

/* ---- start-up ---- */

static const struct {
	int kind;
	hi_builtin_def ctor;
	const char *doc;
} builtin_types[] = {
	{ HI_INT, { "int(x=?, base=?)", ctor_int, NULL },
	  "int(x=0) -> integer\nint(x, base=10) -> integer\n\n"
	  "Convert a number or string to a 64-bit integer, or return 0 if no arguments\n"
	  "are given.  A float is truncated toward zero.  A string may have blanks\n"
	  "around it, a sign, underscores between digits, and with base 0 a 0x/0o/0b\n"
	  "prefix that selects the base.  Values outside 64 bits raise OverflowError." },
	{ HI_FLOAT, { "float(x=?)", ctor_float, NULL },
	  "Convert a string or number to a floating point number, if possible.\n\n"
	  "Strings may hold a decimal literal, 'inf', 'infinity' or 'nan' (any case,\n"
	  "optional sign, blanks around).  float() with no argument returns 0.0." },
	{ HI_COMPLEX, { "complex(real=?, imag=?)", ctor_complex, NULL },
	  "Create a complex number from a real part and an optional imaginary part.\n\n"
	  "complex(re, im) equals re + im*1j; complex('1+2j') parses a string." },
	{ HI_STR, { "str(object=?)", ctor_str, NULL },
	  "str(object='') -> str\n\n"
	  "Return the printable text of object, as print() shows it (for most values\n"
	  "the same as repr(); strings are returned unchanged)." },
	{ HI_BOOL, { "bool(x=?)", ctor_bool, NULL },
	  "Return True when x is true, False otherwise (bool() is False).\n\n"
	  "Empty containers, zero numbers and None are false.  bool is a subclass\n"
	  "of int: True == 1 and False == 0." },
	{ HI_LIST, { "list(iterable=?)", ctor_list, NULL },
	  "Build a new list from the items of iterable, or an empty list." },
	{ HI_TUPLE, { "tuple(iterable=?)", ctor_tuple, NULL },
	  "Build an immutable tuple from the items of iterable, or an empty tuple." },
	{ HI_DICT, { "dict(mapping=?, **kwargs)", ctor_dict, NULL },
	  "dict() -> new empty dictionary\n"
	  "dict(mapping) -> new dictionary with the mapping's (key, value) pairs\n"
	  "dict(iterable) -> new dictionary from an iterable of (key, value) pairs\n"
	  "dict(**kwargs) -> new dictionary with the name=value pairs given\n\n"
	  "Dictionaries keep their insertion order." },
	{ HI_SET, { "set(iterable=?)", ctor_set, NULL },
	  "Build an unordered collection of unique elements from iterable." },
	{ HI_RANGE, { "range(start, stop=?, step=?)", ctor_range, NULL },
	  "range(stop) -> range object\nrange(start, stop[, step]) -> range object\n\n"
	  "An immutable sequence of integers from start (inclusive, default 0) to stop\n"
	  "(exclusive) by step (default 1; never 0).  Iterating it costs no memory." },
	{ HI_SLICE, { "slice(start, stop=?, step=?)", ctor_slice, NULL },
	  "slice(stop)\nslice(start, stop[, step])\n\n"
	  "Create a slice object, as written a[start:stop:step] in a subscript." },
	{ HI_TYPE, { "type(object)", ctor_type, NULL },
	  "type(object) -> the object's type\n\n"
	  "Returns the class of a value, e.g. type(1) is int and type(ValueError('x'))\n"
	  "is ValueError." },
	{ -1, { NULL, NULL, NULL }, NULL }
};

static const char *const kind_docs[HI_KIND_COUNT] = {
	[HI_NONE] = "The type of None, the value that means \"nothing\".",
	[HI_ELLIPSIS] = "The type of Ellipsis (written ...), used in subscripts.",
	[HI_FUNC] = "The type of functions defined with def or lambda.",
	[HI_BUILTIN] = "The type of functions and methods implemented in C.",
	[HI_METHOD] = "The type of a method bound to its object (x.append).",
	[HI_MODULE] = "The type of modules and namespaces such as ht, ht.linalg, math.",
	[HI_CELL] = "A closure cell (internal).",
	[HI_ITER] = "The type of iterators (iter(), enumerate, zip, map, filter, reversed).",
	[HI_DTYPE] = "The type of data types such as ht.float32.",
	[HI_DEVICE] = "The type of devices such as cpu:0.",
	[HI_COMM] = "The type of communicators such as comm (MPI_COMM_WORLD).",
	[HI_ARRAY] = "A distributed n-dimensional array (Heat's DNDarray).",
	[HI_OBJECT] = "The type of objects of classes written in C, such as ht.cluster.KMeans.",
};

void hi_types_init(void)
{
	if (hi_object_type)
		return;
	hi_registry_init();
	hi_module_init();
	hi_val ob = hi_type_new("object", NULL, 0, -1,
	                        "The base of every class: isinstance(x, object) is always true.");
	hi_object_type = (hi_type *)ob.o;
	for (int k = 0; k < HI_KIND_COUNT; k++) {
		if (k == HI_EXC || hi_types[k])
			continue;
		hi_val t = hi_type_new(hi_kind_name((hi_kind)k), NULL, 0, k, kind_docs[k]);
		hi_types[k] = (hi_type *)t.o;
	}
	hi_types[HI_BOOL]->base = hi_types[HI_INT];
	for (int i = 0; builtin_types[i].kind >= 0; i++) {
		hi_type *t = hi_types[builtin_types[i].kind];
		t->doc = builtin_types[i].doc;
		hi_builtin_def d = builtin_types[i].ctor;
		d.doc = builtin_types[i].doc;
		t->ctor = hi_builtin_new(&d, NULL, NULL);
	}
	hi_slots *s = hi_slots_of(HI_TYPE);
	s->free = type_free;
	s->repr = type_repr;
	hi_register_getattr(HI_TYPE, type_getattr);
	static const char *const names[] = { "__name__", "__doc__", "__base__", NULL };
	hi_register_attrnames(HI_TYPE, names);
}

/* Put the builtin type objects (int, str, ... object) into a namespace. */
void hi_types_register(hi_val dict)
{
	static const int kinds[] = { HI_INT, HI_FLOAT, HI_COMPLEX, HI_STR, HI_BOOL,
	                             HI_LIST, HI_TUPLE, HI_DICT, HI_SET, HI_RANGE,
	                             HI_SLICE, HI_TYPE };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		hi_dict_set_str(dict, hi_types[kinds[i]]->name, hi_objval(hi_types[kinds[i]], HI_TYPE));
	hi_dict_set_str(dict, "object", hi_objval(hi_object_type, HI_TYPE));
}
