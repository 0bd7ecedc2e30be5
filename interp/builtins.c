/*
** builtins.c — Python's builtin functions (print len range abs min max
** round sum sorted enumerate zip ... input quit), the builtin type objects
** and the exception classes, all put into hi_S.builtins.
**
** abs min max round sum any all are exported as hi_builtin_py_* so the
** array layer can register array-aware versions that fall back on them.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interp.h"
#include "spmd.h"
#include "valimpl.h"

/* ---- helpers ---- */

static int any_local_in(hi_val tuple)
{
	hi_tuple *t = hi_as_tuple(tuple);
	for (size_t i = 0; i < t->len; i++)
		if (t->items[i].local)
			return 1;
	return 0;
}

/* Call a kind's dunder method (an array's __abs__ ...); *found = 0 when
** the kind has none. */
static hi_val call_kind_method(hi_val x, const char *name, int argc, const hi_val *rest, int *found)
{
	hi_val m = x.kind < HI_KIND_COUNT ? hi_method_lookup(x.kind, name) : hi_absent();
	if (hi_isabsent(m)) {
		*found = 0;
		return hi_none();
	}
	*found = 1;
	hi_val argv[4];
	argv[0] = x;
	for (int i = 0; i < argc && i < 3; i++)
		argv[i + 1] = rest[i];
	hi_val r = m.kind == HI_BUILTIN ? hi_call_builtin((hi_builtin *)m.o, argc + 1, argv, 0, NULL, NULL)
	                                : hi_call(m, argc + 1, argv, 0, NULL, NULL);
	hi_decref(m);
	return r;
}

static int callable_kind(hi_val v)
{
	return v.kind == HI_FUNC || v.kind == HI_BUILTIN || v.kind == HI_METHOD || v.kind == HI_TYPE;
}

/* ---- output and input ---- */

static hi_val bi_print(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val items = a[0], sep = a[1], end = a[2];
	hi_buf b = {0};
	int local = 0;
	if (hi_print_text(&b, items, sep, end, &local))
		return hi_err();
	local |= any_local_in(items) || sep.local || end.local;
	int rc = hi_out_write(b.p ? b.p : "", b.len, local);
	hi_buf_free(&b);
	if (rc < 0)
		return hi_err();
	int fl = hi_truthy(a[3]);
	if (fl < 0)
		return hi_err();
	if (fl)
		hi_out_flush();
	return hi_none();
}

/* One line from fd 0 without stdio buffering, so nothing is read past the
** newline (the REPL reads the same descriptor).  Returns 1 line, 0 EOF. */
static int read_line_fd0(hi_buf *b)
{
	char c;
	int got = 0;
	for (;;) {
		ssize_t r = read(0, &c, 1);
		if (r <= 0)
			return got;
		got = 1;
		if (c == '\n')
			return 1;
		hi_buf_add(b, &c, 1);
	}
}

static hi_val bi_input(hi_val *a, void *ctx)
{
	(void)ctx;
	if (!hi_isabsent(a[0])) {
		hi_val p = hi_to_str(a[0]);
		if (hi_iserr(p))
			return p;
		int rc = hi_out_write(hi_as_str(p)->s, hi_as_str(p)->len, 0);
		hi_decref(p);
		if (rc < 0)
			return hi_err();
	}
	hi_out_flush();
	/* rank 0 reads; the line travels as "1<text>" or "0" (end of input) */
	char *text = NULL;
	size_t n = 0;
	if (hi_S.rank == 0) {
		hi_buf b = {0};
		hi_buf_add(&b, "1", 1);
		if (!read_line_fd0(&b)) {
			b.p[0] = '0';
			b.len = 1;
		}
		if (b.len > 1 && b.p[b.len - 1] == '\r')
			b.len--;
		text = b.p;
		n = b.len;
	}
	hi_spmd_bcast_text(&text, &n);
	hi_val r = (n >= 1 && text[0] == '1') ? hi_str_new(text + 1, n - 1)
	                                      : hi_raise(hi_EOFError, "EOF when reading a line");
	free(text);
	return r;
}

/* quit()/exit() only raise SystemExit: `except SystemExit` may still catch
** it; the top level (run.c) sets hi_S.quit_requested and the status. */
static hi_val do_exit(hi_val code)
{
	hi_val args = (code.kind == HI_NONE || hi_isabsent(code)) ? hi_tuple_new(0) : hi_tuple_pack(1, code);
	if (hi_iserr(args))
		return args;
	hi_val e = hi_exc_new(hi_SystemExit, args);
	hi_decref(args);
	if (hi_iserr(e))
		return e;
	return hi_raise_exc(e);
}

static hi_val bi_exit(hi_val *a, void *ctx)
{
	(void)ctx;
	return do_exit(a[0]);
}

/* ---- basic queries ---- */

static hi_val bi_len(hi_val *a, void *ctx) { (void)ctx; return hi_len(a[0]); }
static hi_val bi_repr(hi_val *a, void *ctx) { (void)ctx; return hi_repr(a[0]); }

static hi_val bi_isinstance(hi_val *a, void *ctx)
{
	(void)ctx;
	int r = hi_isinstance(a[0], a[1]);
	return r < 0 ? hi_err() : hi_bool(r);
}

static hi_val bi_issubclass(hi_val *a, void *ctx)
{
	(void)ctx;
	int r = hi_issubclass(a[0], a[1]);
	return r < 0 ? hi_err() : hi_bool(r);
}

static hi_val bi_callable(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_bool(callable_kind(a[0]));
}

static hi_val bi_hash(hi_val *a, void *ctx)
{
	(void)ctx;
	int ok = 1;
	int64_t h = hi_hash(a[0], &ok);
	return ok ? hi_int(h) : hi_err();
}

static hi_val bi_id(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val v = a[0];
	if (hi_isobj(v))
		return hi_int((int64_t)(intptr_t)v.o);
	/* immediates have no address: a stable number from kind and payload */
	uint64_t x = (uint64_t)v.i * 0x9E3779B97F4A7C15ull ^ ((uint64_t)v.kind << 56);
	return hi_int((int64_t)(x >> 1));
}

/* ---- numbers ---- */

hi_val hi_builtin_py_abs(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val x = a[0];
	switch (x.kind) {
	case HI_BOOL: return hi_int(x.i);
	case HI_INT:
		if (x.i == INT64_MIN)
			return hi_raise(hi_OverflowError, "integer overflow");
		return hi_int(x.i < 0 ? -x.i : x.i);
	case HI_FLOAT: return hi_float(fabs(x.f));
	case HI_COMPLEX: return hi_float(hypot(((hi_complex *)x.o)->re, ((hi_complex *)x.o)->im));
	default: {
		int found;
		hi_val r = call_kind_method(x, "__abs__", 0, NULL, &found);
		if (found)
			return r;
		return hi_raise(hi_TypeError, "bad operand type for abs(): '%s'", hi_type_name(x));
	}
	}
}

/* round(x) for a float: half to even, to an int */
static hi_val round_float_to_int(double d)
{
	if (isnan(d))
		return hi_raise(hi_ValueError, "cannot convert float NaN to integer");
	if (isinf(d))
		return hi_raise(hi_OverflowError, "cannot convert float infinity to integer");
	double r = nearbyint(d);   /* the default rounding mode: nearest, ties to even */
	return hi_int_from_double(r);
}

static hi_val round_float(double x, int64_t nd)
{
	if (!isfinite(x) || x == 0.0 || nd > 330)
		return hi_float(x);
	if (nd < -330)
		return hi_float(copysign(0.0, x));
	if (nd >= 0) {
		/* %.*f is correctly rounded (ties to even on the exact binary value),
		** which is what CPython's round() computes */
		char buf[800];
		int n = snprintf(buf, sizeof buf, "%.*f", (int)nd, x);
		if (n <= 0 || (size_t)n >= sizeof buf)
			return hi_float(x);
		return hi_float(strtod(buf, NULL));
	}
	double p = pow(10.0, (double)-nd);
	double y = nearbyint(x / p) * p;
	if (!isfinite(y))
		return hi_raise(hi_OverflowError, "rounded value too large to represent");
	return hi_float(y);
}

hi_val hi_builtin_py_round(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val x = a[0], nd = a[1];
	int64_t n = 0;
	int have_nd = nd.kind != HI_NONE && !hi_isabsent(nd);
	if (have_nd && hi_as_int64(nd, &n, NULL) < 0)
		return hi_err();
	switch (x.kind) {
	case HI_BOOL:
	case HI_INT: {
		if (!have_nd || n >= 0)
			return hi_int(x.i);
		if (n < -18)
			return hi_int(0);
		int64_t p = 1;
		for (int64_t k = 0; k < -n; k++)
			p *= 10;
		int64_t q = x.i / p, r = x.i % p;
		if (r < 0) {
			q--;
			r += p;
		}
		if (r > p - r || (r == p - r && (q & 1)))   /* ties to even, as Python */
			q++;
		if ((q > 0 && q > INT64_MAX / p) || (q < 0 && q < INT64_MIN / p))
			return hi_raise(hi_OverflowError, "integer overflow");
		return hi_int(q * p);
	}
	case HI_FLOAT:
		return have_nd ? round_float(x.f, n) : round_float_to_int(x.f);
	default: {
		int found;
		hi_val r = call_kind_method(x, "__round__", have_nd ? 1 : 0, &nd, &found);
		if (found)
			return r;
		return hi_raise(hi_TypeError, "type %s doesn't define __round__ method", hi_type_name(x));
	}
	}
}

static hi_val bi_divmod(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val q = hi_binop(HG_OP_FLOORDIV, a[0], a[1]);
	if (hi_iserr(q))
		return q;
	hi_val r = hi_binop(HG_OP_MOD, a[0], a[1]);
	if (hi_iserr(r)) {
		hi_decref(q);
		return r;
	}
	hi_val t = hi_tuple_pack(2, q, r);
	hi_decref(q);
	hi_decref(r);
	return t;
}

/* (b ** e) % m for m > 0 */
static uint64_t powmod_u(uint64_t b, uint64_t e, uint64_t m)
{
	unsigned __int128 r = 1 % m, x = b % m;
	while (e) {
		if (e & 1)
			r = r * x % m;
		x = x * x % m;
		e >>= 1;
	}
	return (uint64_t)r;
}

static hi_val bi_pow(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val base = a[0], ex = a[1], mod = a[2];
	if (mod.kind == HI_NONE)
		return hi_binop(HG_OP_POW, base, ex);
	int isint = 1;
	for (int i = 0; i < 3; i++)
		isint &= a[i].kind == HI_INT || a[i].kind == HI_BOOL;
	if (!isint)
		return hi_raise(hi_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
	if (mod.i == 0)
		return hi_raise(hi_ValueError, "pow() 3rd argument cannot be 0");
	uint64_t m = mod.i < 0 ? (uint64_t)0 - (uint64_t)mod.i : (uint64_t)mod.i;
	int64_t bm = (int64_t)((__int128)base.i % (__int128)m);
	if (bm < 0)
		bm += (int64_t)m;
	uint64_t b = (uint64_t)bm, e;
	if (ex.i < 0) {
		/* modular inverse by the extended Euclidean algorithm */
		__int128 t0 = 0, t1 = 1, r0 = m, r1 = b;
		while (r1) {
			__int128 q = r0 / r1, tmp;
			tmp = r0 - q * r1; r0 = r1; r1 = tmp;
			tmp = t0 - q * t1; t0 = t1; t1 = tmp;
		}
		if (r0 != 1)
			return hi_raise(hi_ValueError, "base is not invertible for the given modulus");
		if (t0 < 0)
			t0 += m;
		b = (uint64_t)t0;
		e = (uint64_t)0 - (uint64_t)ex.i;
	} else {
		e = (uint64_t)ex.i;
	}
	uint64_t r = m == 1 ? 0 : powmod_u(b, e, m);
	int64_t res = (int64_t)r;
	if (mod.i < 0 && r != 0)
		res = (int64_t)(r - m);
	return hi_int(res);
}

static hi_val int_text(hi_val x, int base, const char *prefix)
{
	int64_t v;
	if (hi_as_int64(x, &v, NULL) < 0)
		return hi_err();
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char digits[70];
	int n = 0;
	do {
		int d = (int)(u % (uint64_t)base);
		digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		u /= (uint64_t)base;
	} while (u);
	char out[80];
	int k = 0;
	if (v < 0)
		out[k++] = '-';
	out[k++] = prefix[0];
	out[k++] = prefix[1];
	while (n)
		out[k++] = digits[--n];
	return hi_str_new(out, (size_t)k);
}

static hi_val bi_hex(hi_val *a, void *ctx) { (void)ctx; return int_text(a[0], 16, "0x"); }
static hi_val bi_oct(hi_val *a, void *ctx) { (void)ctx; return int_text(a[0], 8, "0o"); }
static hi_val bi_bin(hi_val *a, void *ctx) { (void)ctx; return int_text(a[0], 2, "0b"); }

static hi_val bi_chr(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t c;
	if (hi_as_int64(a[0], &c, NULL) < 0)
		return hi_err();
	if (c < 0 || c > 0x10FFFF)
		return hi_raise(hi_ValueError, "chr() arg not in range(0x110000)");
	char s[4];
	size_t n;
	if (c < 0x80) {
		s[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		s[0] = (char)(0xC0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		s[0] = (char)(0xE0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	return hi_str_new(s, n);
}

static hi_val bi_ord(hi_val *a, void *ctx)
{
	(void)ctx;
	if (a[0].kind != HI_STR)
		return hi_raise(hi_TypeError, "ord() expected string of length 1, but %s found", hi_type_name(a[0]));
	const unsigned char *s = (const unsigned char *)hi_as_str(a[0])->s;
	size_t n = hi_as_str(a[0])->len, chars = 0;
	for (size_t i = 0; i < n; i++)
		chars += (s[i] & 0xC0) != 0x80;
	if (chars != 1)
		return hi_raise(hi_TypeError, "ord() expected a character, but string of length %zu found", chars);
	int64_t c;
	if (s[0] < 0x80)
		c = s[0];
	else if (s[0] < 0xE0)
		c = (int64_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	else if (s[0] < 0xF0)
		c = (int64_t)(s[0] & 0x0F) << 12 | (int64_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	else
		c = (int64_t)(s[0] & 0x07) << 18 | (int64_t)(s[1] & 0x3F) << 12 | (int64_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
	return hi_int(c);
}

static hi_val bi_format(hi_val *a, void *ctx)
{
	(void)ctx;
	if (a[1].kind != HI_STR)
		return hi_raise(hi_TypeError, "format() argument 2 must be str, not %s", hi_type_name(a[1]));
	return hi_format_value(a[0], hi_as_str(a[1])->s);
}

/* ---- iteration ---- */

/* min/max share everything but the comparison. */
static hi_val minmax(hi_val *a, int op, const char *name)
{
	hi_val args = a[0], key = a[1], dflt = a[2];
	hi_tuple *t = hi_as_tuple(args);
	if (t->len == 0)
		return hi_raise(hi_TypeError, "%s expected at least 1 argument, got 0", name);
	if (t->len > 1 && !hi_isabsent(dflt))
		return hi_raise(hi_TypeError, "Cannot specify a default for %s() with multiple positional arguments", name);
	hi_val it = hi_iter(t->len == 1 ? t->items[0] : args);
	if (hi_iserr(it))
		return it;
	hi_val best = hi_absent(), bestkey = hi_absent(), item;
	int r;
	while ((r = hi_next(it, &item)) == 1) {
		hi_val k = item;
		if (key.kind != HI_NONE) {
			k = hi_call(key, 1, &item, 0, NULL, NULL);
			if (hi_iserr(k)) {
				hi_decref(item);
				r = -1;
				break;
			}
		} else {
			hi_incref(k);
		}
		if (hi_isabsent(best)) {
			best = item;
			bestkey = k;
			continue;
		}
		hi_val c = hi_compare(op, k, bestkey);
		int better = hi_iserr(c) ? -1 : hi_truthy(c);
		hi_decref(c);
		if (better < 0) {
			hi_decref(item);
			hi_decref(k);
			r = -1;
			break;
		}
		if (better) {
			hi_decref(best);
			hi_decref(bestkey);
			best = item;
			bestkey = k;
		} else {
			hi_decref(item);
			hi_decref(k);
		}
	}
	hi_decref(it);
	hi_decref(bestkey);
	if (r < 0) {
		hi_decref(best);
		return hi_err();
	}
	if (hi_isabsent(best)) {
		if (!hi_isabsent(dflt))
			return hi_incref(dflt);
		return hi_raise(hi_ValueError, "%s() arg is an empty sequence", name);
	}
	return best;
}

hi_val hi_builtin_py_min(hi_val *a, void *ctx) { (void)ctx; return minmax(a, HG_OP_LT, "min"); }
hi_val hi_builtin_py_max(hi_val *a, void *ctx) { (void)ctx; return minmax(a, HG_OP_GT, "max"); }

hi_val hi_builtin_py_sum(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val start = a[1];
	if (start.kind == HI_STR)
		return hi_raise(hi_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
	return hi_fold_binop(HG_OP_ADD, a[0], start);
}

static hi_val any_all(hi_val iterable, int want)
{
	hi_val it = hi_iter(iterable);
	if (hi_iserr(it))
		return it;
	hi_val item;
	int r, result = !want;
	while ((r = hi_next(it, &item)) == 1) {
		int t = hi_truthy(item);
		hi_decref(item);
		if (t < 0) {
			r = -1;
			break;
		}
		if (t == want) {
			result = want;
			break;
		}
	}
	hi_decref(it);
	return r < 0 ? hi_err() : hi_bool(result);
}

hi_val hi_builtin_py_any(hi_val *a, void *ctx) { (void)ctx; return any_all(a[0], 1); }
hi_val hi_builtin_py_all(hi_val *a, void *ctx) { (void)ctx; return any_all(a[0], 0); }

static hi_val bi_sorted(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val l = hi_list_from(a[0]);
	if (hi_iserr(l))
		return l;
	int rev = hi_truthy(a[2]);
	if (rev < 0 || hi_list_sort(l, a[1], rev) < 0) {
		hi_decref(l);
		return hi_err();
	}
	return l;
}

static hi_val bi_reversed(hi_val *a, void *ctx) { (void)ctx; return hi_reversed_new(a[0]); }

static hi_val bi_enumerate(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t start;
	if (hi_as_int64(a[1], &start, NULL) < 0)
		return hi_err();
	return hi_enumerate_new(a[0], start);
}

static hi_val bi_zip(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_tuple *t = hi_as_tuple(a[0]);
	return hi_zip_new((int)t->len, t->items);
}

static hi_val bi_map(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_tuple *t = hi_as_tuple(a[1]);
	if (t->len == 0)
		return hi_raise(hi_TypeError, "map() must have at least two arguments.");
	return hi_map_new(a[0], (int)t->len, t->items);
}

static hi_val bi_filter(hi_val *a, void *ctx) { (void)ctx; return hi_filter_new(a[0], a[1]); }
static hi_val bi_iter(hi_val *a, void *ctx) { (void)ctx; return hi_iter(a[0]); }

static hi_val bi_next(hi_val *a, void *ctx)
{
	(void)ctx;
	if (a[0].kind != HI_ITER)
		return hi_raise(hi_TypeError, "'%s' object is not an iterator", hi_type_name(a[0]));
	hi_val out;
	int r = hi_next(a[0], &out);
	if (r < 0)
		return hi_err();
	if (r == 1)
		return out;
	if (!hi_isabsent(a[1]))
		return hi_incref(a[1]);
	return hi_raise(hi_StopIteration, NULL);
}

/* ---- attributes ---- */

static int attr_name(hi_val v, const char *who)
{
	if (v.kind != HI_STR)
		return hi_raisei(hi_TypeError, "%s(): attribute name must be string, not '%s'", who, hi_type_name(v));
	return 0;
}

static hi_val bi_getattr(hi_val *a, void *ctx)
{
	(void)ctx;
	if (attr_name(a[1], "getattr") < 0)
		return hi_err();
	hi_val r = hi_getattr(a[0], hi_as_str(a[1])->s);
	if (hi_iserr(r) && !hi_isabsent(a[2]) &&
	    hi_exc_matches(hi_exc_pending(), hi_objval(hi_AttributeError, HI_TYPE)) == 1) {
		hi_exc_clear();
		return hi_incref(a[2]);
	}
	return r;
}

static hi_val bi_hasattr(hi_val *a, void *ctx)
{
	(void)ctx;
	if (attr_name(a[1], "hasattr") < 0)
		return hi_err();
	hi_val r = hi_getattr(a[0], hi_as_str(a[1])->s);
	if (hi_iserr(r)) {
		if (hi_exc_matches(hi_exc_pending(), hi_objval(hi_AttributeError, HI_TYPE)) == 1) {
			hi_exc_clear();
			return hi_bool(0);
		}
		return r;
	}
	hi_decref(r);
	return hi_bool(1);
}

static hi_val bi_setattr(hi_val *a, void *ctx)
{
	(void)ctx;
	if (attr_name(a[1], "setattr") < 0)
		return hi_err();
	return hi_setattr(a[0], hi_as_str(a[1])->s, a[2]) < 0 ? hi_err() : hi_none();
}

/* ---- the table ---- */

static const hi_builtin_def defs[] = {
	{ "print(*args, sep=' ', end='\\n', flush=False)", bi_print,
	  "Print the values to the terminal, separated by sep and followed by end.\n\n"
	  "Each value is converted with str().  Only rank 0 writes: a value that is the\n"
	  "same on every rank prints once; when any value is rank-local (from x.larray,\n"
	  "x.lshape, comm.rank ...) every rank's text is gathered and printed in rank\n"
	  "order with a \"[r] \" prefix per line.  flush=True writes the output at once." },
	{ "input(prompt=?)", bi_input,
	  "Write prompt (without a newline), read one line of input and return it\n"
	  "without its newline.  Rank 0 reads the line and broadcasts it, so every rank\n"
	  "gets the same text (collective).  At end of input EOFError is raised." },
	{ "len(obj)", bi_len,
	  "Return the number of items of a container (str, list, tuple, dict, set, range),\n"
	  "or the length of the first axis of an array (its global size)." },
	{ "repr(obj)", bi_repr,
	  "Return the canonical text of obj, as the REPL echoes it: strings with quotes,\n"
	  "arrays as DNDarray(..., dtype=..., device=..., split=...)." },
	{ "abs(x)", hi_builtin_py_abs,
	  "Return the absolute value of a number (the magnitude of a complex number)." },
	{ "min(*args, key=None, default=?)", hi_builtin_py_min,
	  "min(iterable, *[, default=obj, key=func]) -> value\n"
	  "min(arg1, arg2, *args, *[, key=func]) -> value\n\n"
	  "With one argument return the smallest item of the iterable, with several the\n"
	  "smallest argument.  key is applied to each item before comparing; default is\n"
	  "returned for an empty iterable (otherwise ValueError).  The first of equal\n"
	  "items wins." },
	{ "max(*args, key=None, default=?)", hi_builtin_py_max,
	  "max(iterable, *[, default=obj, key=func]) -> value\n"
	  "max(arg1, arg2, *args, *[, key=func]) -> value\n\n"
	  "With one argument return the largest item of the iterable, with several the\n"
	  "largest argument.  key is applied to each item before comparing; default is\n"
	  "returned for an empty iterable (otherwise ValueError).  The first of equal\n"
	  "items wins." },
	{ "round(number, ndigits=None)", hi_builtin_py_round,
	  "Round a number to ndigits decimal digits (ties go to the even neighbour, as\n"
	  "Python rounds).  Without ndigits the result is an int; with ndigits it has the\n"
	  "type of number.  ndigits may be negative (round(1234, -2) == 1200)." },
	{ "sum(iterable, start=0)", hi_builtin_py_sum,
	  "Return start plus the sum of the items of iterable, added left to right.\n"
	  "Strings are refused: use ''.join(seq) to concatenate text." },
	{ "any(iterable)", hi_builtin_py_any,
	  "Return True if any item of the iterable is true (False for an empty one).\n"
	  "Stops at the first true item." },
	{ "all(iterable)", hi_builtin_py_all,
	  "Return True if every item of the iterable is true (True for an empty one).\n"
	  "Stops at the first false item." },
	{ "sorted(iterable, *, key=None, reverse=False)", bi_sorted,
	  "Return a new list with the items of iterable in ascending order.  The sort is\n"
	  "stable; key is applied to each item to get its sort key; reverse=True sorts in\n"
	  "descending order while keeping equal items in their original order." },
	{ "reversed(sequence)", bi_reversed,
	  "Return an iterator over the items of a sequence in reverse order." },
	{ "enumerate(iterable, start=0)", bi_enumerate,
	  "Return an iterator of (index, item) pairs, counting from start:\n"
	  "for i, x in enumerate(['a', 'b']) gives (0, 'a'), (1, 'b')." },
	{ "zip(*iterables)", bi_zip,
	  "Return an iterator of tuples whose i-th tuple holds the i-th item of every\n"
	  "argument; it stops when the shortest iterable is exhausted." },
	{ "map(function, *iterables)", bi_map,
	  "Return an iterator that applies function to the items of the iterables, taken\n"
	  "in parallel (function gets one argument per iterable); it stops at the\n"
	  "shortest iterable." },
	{ "filter(function, iterable)", bi_filter,
	  "Return an iterator over the items of iterable for which function(item) is\n"
	  "true.  With function None the true items themselves are kept." },
	{ "iter(object)", bi_iter,
	  "Return an iterator over object (a list, tuple, str, dict, set, range, array or\n"
	  "an iterator itself)." },
	{ "next(iterator, default=?)", bi_next,
	  "Return the next item of an iterator.  When it is exhausted return default if\n"
	  "given, otherwise raise StopIteration." },
	{ "hash(obj)", bi_hash,
	  "Return the hash value of obj (an int).  Equal values hash equally; lists,\n"
	  "dicts and sets are unhashable (TypeError)." },
	{ "id(obj)", bi_id,
	  "Return an integer that identifies obj during its lifetime (its address).\n"
	  "Two values with the same id at the same time are the same object." },
	{ "chr(i)", bi_chr,
	  "Return the one-character string of Unicode code point i (0 <= i <= 0x10ffff)." },
	{ "ord(c)", bi_ord,
	  "Return the Unicode code point of a one-character string." },
	{ "hex(number)", bi_hex,
	  "Return the hexadecimal text of an integer, e.g. hex(255) == '0xff'." },
	{ "oct(number)", bi_oct,
	  "Return the octal text of an integer, e.g. oct(8) == '0o10'." },
	{ "bin(number)", bi_bin,
	  "Return the binary text of an integer, e.g. bin(5) == '0b101'." },
	{ "divmod(a, b)", bi_divmod,
	  "Return the pair (a // b, a % b): floor quotient and remainder (the remainder\n"
	  "has the sign of b)." },
	{ "pow(base, exp, mod=None)", bi_pow,
	  "Return base ** exp; with mod, (base ** exp) % mod computed efficiently for\n"
	  "integers (a negative exp then means the modular inverse)." },
	{ "format(value, format_spec='')", bi_format,
	  "Return value formatted by format_spec, the mini-language of f-strings and\n"
	  "str.format: format(3.14159, '.2f') == '3.14', format(42, '>6') == '    42'." },
	{ "callable(obj)", bi_callable,
	  "Return True if obj can be called: functions, builtins, bound methods and\n"
	  "types (classes)." },
	{ "isinstance(obj, class_or_tuple)", bi_isinstance,
	  "Return True if obj is an instance of the class or of a subclass of it.  A\n"
	  "tuple of classes checks against each: isinstance(x, (int, float)).  bool is a\n"
	  "subclass of int; exception classes follow Python's hierarchy." },
	{ "issubclass(cls, class_or_tuple)", bi_issubclass,
	  "Return True if cls is the class or derived from it (or from one of a tuple of\n"
	  "classes): issubclass(KeyError, LookupError) is True." },
	{ "getattr(object, name, default=?)", bi_getattr,
	  "Return the attribute called name of object: getattr(x, 'shape') is x.shape.\n"
	  "When it does not exist return default if given, else raise AttributeError." },
	{ "setattr(object, name, value)", bi_setattr,
	  "Set the attribute called name of object to value: setattr(m, 'y', 1) is\n"
	  "m.y = 1." },
	{ "hasattr(object, name)", bi_hasattr,
	  "Return True if object has an attribute called name (getattr would succeed)." },
	{ "quit(code=None)", bi_exit,
	  "Leave the interpreter (every rank) by raising SystemExit.  code None or 0 is\n"
	  "a successful exit; an int is the exit status; other values are printed and\n"
	  "give status 1." },
	{ "exit(code=None)", bi_exit,
	  "Leave the interpreter (every rank) by raising SystemExit.  code None or 0 is\n"
	  "a successful exit; an int is the exit status; other values are printed and\n"
	  "give status 1." },
	{ NULL, NULL, NULL }
};

void hi_init_builtins(void)
{
	hi_exc_init();
	if (hi_S.builtins.kind != HI_DICT)
		hi_S.builtins = hi_dict_new();
	hi_val d = hi_S.builtins;
	hi_register(d, defs, NULL);
	hi_types_register(d);
	hi_exc_register(d);
	hi_register_help(d);
}
