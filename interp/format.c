/*
** format.c — Python's format-spec mini-language (format(), f-strings,
** str.format) and printf-style `str % args`, with CPython 3.11's results
** and error messages for int, bool, float, complex, str and None.
**
**   [[fill]align][sign][#][0][width][,|_][.precision][type]
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valimpl.h"

typedef struct fspec {
	char fill[8];          /* one code point, UTF-8 */
	char align;            /* < > = ^ or 0 (default for the kind) */
	char sign;             /* + - space or 0 */
	int alt;               /* # */
	int zero;              /* 0 flag */
	int64_t width;         /* -1: none */
	char group;            /* , _ or 0 */
	int64_t prec;          /* -1: none */
	char type;             /* 0: none */
} fspec;

static int parse_spec(const char *s, fspec *f, const char *tname)
{
	memset(f, 0, sizeof *f);
	strcpy(f->fill, " ");
	f->width = f->prec = -1;
	const char *p = s;
	size_t cl = 1;
	while (p[0] && ((unsigned char)p[cl] & 0xC0) == 0x80)
		cl++;
	if (p[0] && p[cl] && strchr("<>=^", p[cl]) && cl < sizeof f->fill) {
		memcpy(f->fill, p, cl);
		f->fill[cl] = 0;
		f->align = p[cl];
		p += cl + 1;
	} else if (*p && strchr("<>=^", *p)) {
		f->align = *p++;
	}
	int explicit_fill = p - s > 1;
	if (*p == '+' || *p == '-' || *p == ' ')
		f->sign = *p++;
	if (*p == 'z')   /* 3.11: coerce negative zero; accepted and ignored */
		p++;
	if (*p == '#') {
		f->alt = 1;
		p++;
	}
	if (*p == '0') {
		f->zero = 1;
		if (!explicit_fill)
			strcpy(f->fill, "0");
		if (!f->align)
			f->align = '=';
		p++;
	}
	if (*p >= '0' && *p <= '9') {
		f->width = 0;
		while (*p >= '0' && *p <= '9')
			f->width = f->width * 10 + (*p++ - '0');
	}
	if (*p == ',' || *p == '_')
		f->group = *p++;
	if (*p == ',' || *p == '_')
		return hi_raisei(hi_ValueError, "Cannot specify both ',' and '_'.");
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return hi_raisei(hi_ValueError, "Format specifier missing precision");
		f->prec = 0;
		while (*p >= '0' && *p <= '9')
			f->prec = f->prec * 10 + (*p++ - '0');
	}
	if (*p)
		f->type = *p++;
	if (*p)
		return hi_raisei(hi_ValueError, "Invalid format specifier '%s' for object of type '%s'", s, tname);
	return 0;
}

static int bad_code(const fspec *f, const char *tname)
{
	if ((unsigned char)f->type > 32 && (unsigned char)f->type < 128)
		return hi_raisei(hi_ValueError, "Unknown format code '%c' for object of type '%s'", f->type, tname);
	return hi_raisei(hi_ValueError, "Unknown format code '\\x%x' for object of type '%s'",
	                 (unsigned char)f->type, tname);
}

/* Pad `body` (n bytes, cps code points) to the spec's width. */
static void pad_to(hi_buf *out, const fspec *f, char dflt_align, const char *body, size_t n, size_t cps)
{
	int64_t fillw = f->width > (int64_t)cps ? f->width - (int64_t)cps : 0;
	char align = f->align ? f->align : dflt_align;
	int64_t left = align == '>' ? fillw : align == '^' ? fillw / 2 : 0;
	size_t fl = strlen(f->fill);
	for (int64_t i = 0; i < left; i++)
		hi_buf_add(out, f->fill, fl);
	hi_buf_add(out, body, n);
	for (int64_t i = left; i < fillw; i++)
		hi_buf_add(out, f->fill, fl);
}

/* Insert separators every `every` digits from the right. */
static void group_digits(hi_buf *out, const char *d, size_t n, char sep, int every)
{
	for (size_t i = 0; i < n; i++) {
		if (sep && i && (n - i) % (size_t)every == 0)
			hi_buf_add(out, &sep, 1);
		hi_buf_add(out, d + i, 1);
	}
}

/* Assemble sign + prefix + integer digits (grouped) + rest, padded.
** With '=' alignment the fill goes between the prefix and the digits; a
** '0' fill with grouping grows the digits so separators land correctly. */
static void emit_number(hi_buf *out, const fspec *f, const char *sign, const char *prefix,
                        const char *digits, const char *rest, int every)
{
	size_t nd = strlen(digits), head = strlen(sign) + strlen(prefix), nr = strlen(rest);
	hi_buf g = {0};
	hi_buf_add(&g, "", 0);
	group_digits(&g, digits, nd, f->group, every);
	if (f->align == '=' || (!f->align && f->zero)) {
		int64_t need = f->width - (int64_t)(head + g.len + nr);
		hi_buf_adds(out, sign);
		hi_buf_adds(out, prefix);
		if (need > 0 && f->group && strcmp(f->fill, "0") == 0) {
			/* zero padding takes part in grouping: 0,001,234 */
			char *z = malloc(nd + (size_t)need + 2);
			size_t nz = 0;
			while (1) {
				hi_buf_free(&g);
				memset(z, '0', nz);
				memcpy(z + nz, digits, nd);
				hi_buf_add(&g, "", 0);
				group_digits(&g, z, nz + nd, f->group, every);
				if ((int64_t)(head + g.len + nr) >= f->width)
					break;
				nz++;
			}
			free(z);
		} else {
			for (int64_t i = 0; i < need; i++)
				hi_buf_adds(out, f->fill);
		}
		hi_buf_add(out, g.p, g.len);
		hi_buf_adds(out, rest);
		hi_buf_free(&g);
		return;
	}
	hi_buf body = {0};
	hi_buf_adds(&body, sign);
	hi_buf_adds(&body, prefix);
	hi_buf_add(&body, g.p, g.len);
	hi_buf_adds(&body, rest);
	pad_to(out, f, '>', body.p, body.len, hi_utf8_count(body.p, body.len));
	hi_buf_free(&body);
	hi_buf_free(&g);
}

static const char *sign_of(int neg, char sign)
{
	if (neg)
		return "-";
	return sign == '+' ? "+" : sign == ' ' ? " " : "";
}

/* ---- int ---- */

static void utoa_base(uint64_t u, int base, int upper, char *buf)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[72];
	int n = 0;
	do {
		tmp[n++] = dig[u % (uint64_t)base];
		u /= (uint64_t)base;
	} while (u);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
}

static int format_float(hi_buf *out, double d, fspec *f, const char *tname);

static int format_int(hi_buf *out, int64_t v, fspec *f)
{
	char t = f->type ? f->type : 'd';
	if (strchr("eEfFgG%", t))
		return format_float(out, (double)v, f, "int");
	if (!strchr("bcdoxXn", t))
		return bad_code(f, "int");
	if (f->prec >= 0)
		return hi_raisei(hi_ValueError, "Precision not allowed in integer format specifier");
	if (f->group == ',' && t != 'd')
		return hi_raisei(hi_ValueError, "Cannot specify ',' with '%c'.", t);
	if (t == 'n' && f->group)
		return hi_raisei(hi_ValueError, "Cannot specify ',' with 'n'.");
	if (t == 'c') {
		if (f->sign)
			return hi_raisei(hi_ValueError, "Sign not allowed with integer format specifier 'c'");
		if (v < 0 || v > 0x10ffff)
			return hi_raisei(hi_OverflowError, "%%c arg not in range(0x110000)");
		char u[8];
		int n = 0;
		if (v < 0x80) {
			u[n++] = (char)v;
		} else if (v < 0x800) {
			u[n++] = (char)(0xC0 | (v >> 6));
			u[n++] = (char)(0x80 | (v & 0x3F));
		} else if (v < 0x10000) {
			u[n++] = (char)(0xE0 | (v >> 12));
			u[n++] = (char)(0x80 | ((v >> 6) & 0x3F));
			u[n++] = (char)(0x80 | (v & 0x3F));
		} else {
			u[n++] = (char)(0xF0 | (v >> 18));
			u[n++] = (char)(0x80 | ((v >> 12) & 0x3F));
			u[n++] = (char)(0x80 | ((v >> 6) & 0x3F));
			u[n++] = (char)(0x80 | (v & 0x3F));
		}
		pad_to(out, f, '>', u, (size_t)n, 1);
		return 0;
	}
	int base = t == 'b' ? 2 : t == 'o' ? 8 : (t == 'x' || t == 'X') ? 16 : 10;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char digits[72];
	utoa_base(u, base, t == 'X', digits);
	const char *prefix = "";
	if (f->alt)
		prefix = base == 2 ? "0b" : base == 8 ? "0o" : t == 'x' ? "0x" : t == 'X' ? "0X" : "";
	emit_number(out, f, sign_of(v < 0, f->sign), prefix, digits, "", base == 10 ? 3 : 4);
	return 0;
}

/* ---- float ---- */

/* Drop trailing zeros of the fraction in buf (and the point if keep_point
** is 0; with keep_point one zero stays: "1.0"). */
static void trim_zeros(char *buf, int keep_point)
{
	char *e = strpbrk(buf, "eE"), tail[16] = "";
	if (e) {
		snprintf(tail, sizeof tail, "%s", e);
		*e = 0;
	}
	char *dot = strchr(buf, '.');
	if (dot) {
		size_t k = strlen(buf);
		while (k > (size_t)(dot - buf) + 1 && buf[k - 1] == '0')
			buf[--k] = 0;
		if (buf[k - 1] == '.') {
			if (keep_point)
				strcat(buf, "0");
			else
				buf[k - 1] = 0;
		}
	}
	strcat(buf, tail);
}

/* The '' type with a precision p: like 'g', but scientific from exponent
** p-1 on, and fixed-point output keeps one digit after the point. */
static void none_with_prec(char *buf, size_t n, double a, int prec, int alt)
{
	snprintf(buf, n, "%.*e", prec - 1, a);
	int x = atoi(strchr(buf, 'e') + 1);
	if (x < -4 || x >= prec - 1) {
		if (!alt)
			trim_zeros(buf, 0);
		return;
	}
	snprintf(buf, n, "%.*f", prec - 1 - x, a);
	if (!alt)
		trim_zeros(buf, 1);
	else if (!strchr(buf, '.'))
		strcat(buf, ".");
}

/* repr()-style digits for the '' type: like 'g' with at least one digit
** after the point; without a precision it is repr itself. */
static void float_body(char *buf, size_t n, double a, fspec *f, char t)
{
	if (t == 'r') {
		hi_format_double(a, buf, n);
		return;
	}
	int prec = (int)(f->prec < 0 ? 6 : f->prec);
	char fmt[16];
	switch (t) {
	case 'e': case 'E': case 'f': case 'F':
		snprintf(fmt, sizeof fmt, "%%%s.*%c", f->alt ? "#" : "", t);
		snprintf(buf, n, fmt, prec, a);
		return;
	case '%':
		snprintf(fmt, sizeof fmt, "%%%s.*f", f->alt ? "#" : "");
		snprintf(buf, n, fmt, prec, a * 100);
		return;
	default:   /* g G */
		if (prec == 0)
			prec = 1;
		if (t == 0) {
			none_with_prec(buf, n, a, prec, f->alt);
			return;
		}
		snprintf(fmt, sizeof fmt, "%%%s.*%c", f->alt ? "#" : "", t);
		snprintf(buf, n, fmt, prec, a);
		return;
	}
}

static int format_float(hi_buf *out, double d, fspec *f, const char *tname)
{
	char t = f->type;
	if (t == 'n')
		t = 'g';
	if (t && !strchr("eEfFgG%", t))
		return bad_code(f, tname);
	if (!t && f->prec < 0)
		t = 'r';
	int neg = signbit(d) && !isnan(d);
	double a = fabs(d);
	char body[512];
	if (isinf(a) || isnan(a)) {
		int up = t == 'E' || t == 'F' || t == 'G';
		strcpy(body, isnan(a) ? (up ? "NAN" : "nan") : (up ? "INF" : "inf"));
		if (t == '%')
			strcat(body, "%");
		fspec g = *f;
		g.group = 0;   /* no separators in inf/nan, even with zero padding */
		emit_number(out, &g, sign_of(neg, f->sign), "", "", body, 3);
		return 0;
	}
	if (f->prec > 400)
		return hi_raisei(hi_ValueError, "precision too big");
	float_body(body, sizeof body, a, f, t);
	if (t == '%')
		strcat(body, "%");
	/* split the integer digits (grouped) from the rest */
	size_t k = 0;
	while (body[k] >= '0' && body[k] <= '9')
		k++;
	char digits[400];
	memcpy(digits, body, k);
	digits[k] = 0;
	emit_number(out, f, sign_of(neg, f->sign), "", digits, body + k, 3);
	return 0;
}

/* ---- complex ---- */

static void strip_dot0(char *s)
{
	size_t n = strlen(s);
	if (n > 2 && strcmp(s + n - 2, ".0") == 0)
		s[n - 2] = 0;
}

static int format_complex(hi_buf *out, double re, double im, fspec *f)
{
	if (f->zero && strcmp(f->fill, "0") == 0)
		return hi_raisei(hi_ValueError, "Zero padding is not allowed in complex format specifier");
	if (f->align == '=')
		return hi_raisei(hi_ValueError, "Alignment flag is not allowed in complex format specifier");
	if (f->type && !strchr("eEfFgGn", f->type))
		return bad_code(f, "complex");
	int parens = !f->type;
	int skip_re = parens && re == 0 && !signbit(re);
	fspec p = *f;
	p.width = -1;
	p.align = 0;
	strcpy(p.fill, " ");
	if (!p.type && p.prec >= 0)
		p.type = 'g';
	hi_buf r = {0}, i = {0};
	hi_buf_add(&r, "", 0);
	hi_buf_add(&i, "", 0);
	if (!skip_re && format_float(&r, re, &p, "complex") < 0)
		goto fail;
	p.sign = '+';
	if (skip_re)
		p.sign = f->sign;
	if (format_float(&i, im, &p, "complex") < 0)
		goto fail;
	if (!f->type && f->prec < 0) {   /* repr-like parts print 1 not 1.0 */
		strip_dot0(r.p);
		strip_dot0(i.p);
		r.len = strlen(r.p);
		i.len = strlen(i.p);
	}
	hi_buf body = {0};
	hi_buf_adds(&body, parens && !skip_re ? "(" : "");
	hi_buf_add(&body, r.p, r.len);
	hi_buf_add(&body, i.p, i.len);
	hi_buf_adds(&body, parens && !skip_re ? "j)" : "j");
	pad_to(out, f, '>', body.p, body.len, hi_utf8_count(body.p, body.len));
	hi_buf_free(&body);
	hi_buf_free(&r);
	hi_buf_free(&i);
	return 0;
fail:
	hi_buf_free(&r);
	hi_buf_free(&i);
	return -1;
}

/* ---- str ---- */

static int format_str(hi_buf *out, const char *s, size_t n, fspec *f)
{
	if (f->type && f->type != 's')
		return bad_code(f, "str");
	if (f->sign)
		return hi_raisei(hi_ValueError, "Sign not allowed in string format specifier");
	if (f->alt)
		return hi_raisei(hi_ValueError, "Alternate form (#) not allowed in string format specifier");
	if (f->align == '=')
		return hi_raisei(hi_ValueError, "'=' alignment not allowed in string format specifier");
	if (f->group)
		return hi_raisei(hi_ValueError, "Cannot specify '%c' with 's'.", f->group);
	size_t cps = hi_utf8_count(s, n);
	if (f->prec >= 0 && (size_t)f->prec < cps) {
		n = hi_utf8_offset(s, n, (size_t)f->prec);
		cps = (size_t)f->prec;
	}
	pad_to(out, f, '<', s, n, cps);
	return 0;
}

/* ---- entry point ---- */

static int format_into(hi_buf *out, hi_val v, const char *spec)
{
	fspec f;
	if (!*spec || v.kind == HI_STR) {
		if (!*spec) {
			hi_val s = hi_to_str(v);
			if (hi_iserr(s))
				return -1;
			hi_buf_addval(out, s);
			hi_decref(s);
			return 0;
		}
	}
	switch (v.kind) {
	case HI_BOOL:
	case HI_INT:
		if (parse_spec(spec, &f, "int") < 0)
			return -1;
		return format_int(out, v.i, &f);
	case HI_FLOAT:
		if (parse_spec(spec, &f, "float") < 0)
			return -1;
		return format_float(out, v.f, &f, "float");
	case HI_COMPLEX:
		if (parse_spec(spec, &f, "complex") < 0)
			return -1;
		return format_complex(out, ((hi_complex *)v.o)->re, ((hi_complex *)v.o)->im, &f);
	case HI_STR:
		if (parse_spec(spec, &f, "str") < 0)
			return -1;
		return format_str(out, hi_as_str(v)->s, hi_as_str(v)->len, &f);
	default:
		if (v.kind < HI_KIND_COUNT && hi_slots_of(v.kind)->format) {
			hi_val s = hi_slots_of(v.kind)->format(v, spec);
			if (hi_iserr(s))
				return -1;
			hi_buf_addval(out, s);
			hi_decref(s);
			return 0;
		}
		return hi_raisei(hi_TypeError, "unsupported format string passed to %s.__format__",
		                 hi_type_name(v));
	}
}

hi_val hi_format_value(hi_val v, const char *spec)
{
	if (!*spec && v.kind == HI_STR)
		return hi_incref(v);
	hi_buf b = {0};
	hi_buf_add(&b, "", 0);
	if (format_into(&b, v, spec) < 0) {
		hi_buf_free(&b);
		return hi_err();
	}
	return hi_setlocal(hi_buf_finish(&b), v.local);
}

/* ==== str.format ==== */

typedef struct fmt_state {
	int argc;
	const hi_val *argv;
	hi_val kwargs;
	int auto_idx;          /* next automatic index; -1 once manual numbering is used */
	int manual;
} fmt_state;

/* Resolve "0", "name", "", "0.attr", "name[key]" to a new reference. */
static hi_val field_value(fmt_state *st, const char *name, size_t n)
{
	size_t k = 0;
	while (k < n && name[k] != '.' && name[k] != '[')
		k++;
	hi_val v;
	if (k == 0 || (name[0] >= '0' && name[0] <= '9')) {
		int64_t idx = 0;
		if (k == 0) {
			if (st->manual)
				return hi_raise(hi_ValueError, "cannot switch from manual field specification to automatic field numbering");
			idx = st->auto_idx++;
		} else {
			if (st->auto_idx > 0)
				return hi_raise(hi_ValueError, "cannot switch from automatic field numbering to manual field specification");
			st->manual = 1;
			for (size_t i = 0; i < k; i++)
				idx = idx * 10 + (name[i] - '0');
		}
		if (idx >= st->argc)
			return hi_raise(hi_IndexError, "Replacement index %lld out of range for positional args tuple",
			                (long long)idx);
		v = hi_incref(st->argv[idx]);
	} else {
		hi_val key = hi_str_new(name, k);
		int r = st->kwargs.kind == HI_DICT ? hi_dict_lookup(st->kwargs, key, &v) : 0;
		if (r == 0) {
			hi_val args = hi_tuple_pack(1, key);
			hi_val e = hi_exc_new(hi_KeyError, args);
			hi_decref(args);
			hi_decref(key);
			return hi_iserr(e) ? e : hi_raise_exc(e);
		}
		hi_decref(key);
		if (r < 0)
			return hi_err();
	}
	while (k < n) {   /* .attr and [key] chains */
		hi_val next;
		if (name[k] == '.') {
			size_t j = ++k;
			while (k < n && name[k] != '.' && name[k] != '[')
				k++;
			char attr[128];
			snprintf(attr, sizeof attr, "%.*s", (int)(k - j), name + j);
			next = hi_getattr(v, attr);
		} else {
			size_t j = ++k;
			while (k < n && name[k] != ']')
				k++;
			int digits = k > j;
			for (size_t i = j; i < k; i++)
				digits &= name[i] >= '0' && name[i] <= '9';
			hi_val key = digits ? hi_int(strtoll(name + j, NULL, 10)) : hi_str_new(name + j, k - j);
			next = hi_getitem(v, key);
			hi_decref(key);
			k++;
		}
		hi_decref(v);
		if (hi_iserr(next))
			return next;
		v = next;
	}
	return v;
}

static int format_field(hi_buf *out, fmt_state *st, const char *f, size_t n, int depth);

/* Expand nested {} inside a spec ("{:{width}.{prec}f}"). */
static int expand_spec(hi_buf *spec, fmt_state *st, const char *s, size_t n, int depth)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '{') {
			hi_buf_add(spec, s + i, 1);
			continue;
		}
		size_t j = i + 1;
		int lvl = 1;
		while (j < n && lvl) {
			lvl += s[j] == '{';
			lvl -= s[j] == '}';
			j++;
		}
		if (lvl)
			return hi_raisei(hi_ValueError, "unmatched '{' in format spec");
		if (format_field(spec, st, s + i + 1, j - i - 2, depth + 1) < 0)
			return -1;
		i = j - 1;
	}
	return 0;
}

static int format_field(hi_buf *out, fmt_state *st, const char *f, size_t n, int depth)
{
	if (depth > 2)
		return hi_raisei(hi_ValueError, "Max string recursion exceeded");
	size_t k = 0;
	while (k < n && f[k] != '!' && f[k] != ':') {
		if (f[k] == '[')
			while (k < n && f[k] != ']')
				k++;
		k++;
	}
	if (k > n)
		k = n;
	hi_val v = field_value(st, f, k);
	if (hi_iserr(v))
		return -1;
	char conv = 0;
	if (k < n && f[k] == '!') {
		if (k + 1 >= n || (k + 2 < n && f[k + 2] != ':') ) {
			hi_decref(v);
			return hi_raisei(hi_ValueError, "expected ':' after conversion specifier");
		}
		conv = f[k + 1];
		k += 2;
		hi_val c;
		if (conv == 'r' || conv == 'a')
			c = hi_repr(v);
		else if (conv == 's')
			c = hi_to_str(v);
		else {
			hi_decref(v);
			return hi_raisei(hi_ValueError, "Unknown conversion specifier %c", conv);
		}
		hi_decref(v);
		if (hi_iserr(c))
			return -1;
		v = c;
	}
	hi_buf spec = {0};
	hi_buf_add(&spec, "", 0);
	if (k < n && f[k] == ':' && expand_spec(&spec, st, f + k + 1, n - k - 1, depth) < 0) {
		hi_buf_free(&spec);
		hi_decref(v);
		return -1;
	}
	int r = format_into(out, v, spec.p);
	hi_buf_free(&spec);
	hi_decref(v);
	return r;
}

hi_val hi_str_format(hi_val fmt, int argc, const hi_val *argv, hi_val kwargs)
{
	fmt_state st = { argc, argv, kwargs, 0, 0 };
	const char *s = hi_as_str(fmt)->s;
	size_t n = hi_as_str(fmt)->len;
	hi_buf out = {0};
	hi_buf_add(&out, "", 0);
	int local = fmt.local | kwargs.local;
	for (int i = 0; i < argc; i++)
		local |= argv[i].local;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '}') {
			if (i + 1 < n && s[i + 1] == '}') {
				hi_buf_add(&out, "}", 1);
				i++;
				continue;
			}
			hi_buf_free(&out);
			return hi_raise(hi_ValueError, "Single '}' encountered in format string");
		}
		if (c != '{') {
			hi_buf_add(&out, s + i, 1);
			continue;
		}
		if (i + 1 < n && s[i + 1] == '{') {
			hi_buf_add(&out, "{", 1);
			i++;
			continue;
		}
		size_t j = i + 1;
		int lvl = 1;
		while (j < n && lvl) {
			if (s[j] == '[')
				while (j < n && s[j] != ']')
					j++;
			lvl += s[j] == '{';
			lvl -= s[j] == '}';
			j++;
		}
		if (lvl) {
			hi_buf_free(&out);
			return hi_raise(hi_ValueError, lvl && j >= n && i + 1 == n
			                ? "Single '{' encountered in format string"
			                : "expected '}' before end of string");
		}
		if (format_field(&out, &st, s + i + 1, j - i - 2, 0) < 0) {
			hi_buf_free(&out);
			return hi_err();
		}
		i = j - 1;
	}
	return hi_setlocal(hi_buf_finish(&out), local);
}

/* ==== printf-style: fmt % args ==== */

typedef struct pct_state {
	const hi_val *items;
	size_t n, next;
	hi_val mapping;        /* a dict when args is a dict, else None */
} pct_state;

static int pct_next(pct_state *st, hi_val *out)
{
	if (st->next >= st->n)
		return hi_raisei(hi_TypeError, "not enough arguments for format string");
	*out = st->items[st->next++];
	return 0;
}

/* A non-number argument of a numeric %-conversion converts through its
** kind's __int__ or __float__ (a one-element array), as in Python.
** Returns a new reference, v itself (borrowed -> new) when no conversion
** applies, or an error. */
static hi_val pct_convert(hi_val v, int want_int)
{
	if (v.kind == HI_INT || v.kind == HI_BOOL || v.kind == HI_FLOAT || v.kind >= HI_KIND_COUNT)
		return hi_incref(v);
	hi_val m = hi_method_lookup(v.kind, want_int ? "__int__" : "__float__");
	if (hi_isabsent(m))
		return hi_incref(v);
	hi_val r = m.kind == HI_BUILTIN ? hi_call_builtin((hi_builtin *)m.o, 1, &v, 0, NULL, NULL)
	                                : hi_call(m, 1, &v, 0, NULL, NULL);
	hi_decref(m);
	return r;
}

static int pct_number_conv(hi_buf *out, hi_val v, char t, fspec *f)
{
	const char *what = t == 'x' || t == 'X' || t == 'o' || t == 'c' ? "an integer" : "a real number";
	if (strchr("diu", t)) {
		if (v.kind == HI_FLOAT) {
			if (!isfinite(v.f))
				return hi_raisei(isnan(v.f) ? hi_ValueError : hi_OverflowError,
				                 isnan(v.f) ? "cannot convert float NaN to integer"
				                 : "cannot convert float infinity to integer");
			v = hi_int((int64_t)v.f);
		}
		if (v.kind != HI_INT && v.kind != HI_BOOL)
			return hi_raisei(hi_TypeError, "%%%c format: %s is required, not %s", t, what, hi_type_name(v));
		int64_t minw = f->prec;
		f->prec = -1;
		f->type = 'd';
		if (minw > 0) {   /* precision = minimum number of digits */
			char d[72];
			uint64_t u = v.i < 0 ? (uint64_t)0 - (uint64_t)v.i : (uint64_t)v.i;
			utoa_base(u, 10, 0, d);
			hi_buf z = {0};
			for (int64_t i = (int64_t)strlen(d); i < minw; i++)
				hi_buf_add(&z, "0", 1);
			hi_buf_adds(&z, d);
			emit_number(out, f, sign_of(v.i < 0, f->sign), "", z.p, "", 3);
			hi_buf_free(&z);
			return 0;
		}
		return format_int(out, v.i, f);
	}
	if (strchr("xXo", t)) {
		if (v.kind != HI_INT && v.kind != HI_BOOL)
			return hi_raisei(hi_TypeError, "%%%c format: %s is required, not %s", t, what, hi_type_name(v));
		f->type = t;
		f->prec = -1;
		return format_int(out, v.i, f);
	}
	double d;
	if (v.kind == HI_INT || v.kind == HI_BOOL)
		d = (double)v.i;
	else if (v.kind == HI_FLOAT)
		d = v.f;
	else
		return hi_raisei(hi_TypeError, "must be real number, not %s", hi_type_name(v));
	f->type = t;
	if (f->prec < 0)
		f->prec = 6;
	return format_float(out, d, f, "float");
}

static int pct_number(hi_buf *out, hi_val v, char t, fspec *f)
{
	hi_val c = pct_convert(v, strchr("diuxXo", t) != NULL);
	if (hi_iserr(c))
		return -1;
	int rc = pct_number_conv(out, c, t, f);
	hi_decref(c);
	return rc;
}

static int pct_one(hi_buf *out, pct_state *st, const char *s, size_t n, size_t *pos)
{
	size_t i = *pos + 1;
	hi_val arg = hi_none(), owned = hi_none();
	int have_arg = 0;
	if (i < n && s[i] == '(') {
		size_t j = ++i;
		int lvl = 1;
		while (i < n && lvl) {
			lvl += s[i] == '(';
			lvl -= s[i] == ')';
			i++;
		}
		if (lvl)
			return hi_raisei(hi_ValueError, "incomplete format key");
		if (st->mapping.kind != HI_DICT)
			return hi_raisei(hi_TypeError, "format requires a mapping");
		hi_val key = hi_str_new(s + j, i - 1 - j);
		hi_val item = hi_getitem(st->mapping, key);
		hi_decref(key);
		if (hi_iserr(item))
			return -1;
		owned = arg = item;
		have_arg = 1;
	}
	fspec f;
	memset(&f, 0, sizeof f);
	strcpy(f.fill, " ");
	f.width = f.prec = -1;
	int left = 0;
	for (; i < n && strchr("-+ #0", s[i]); i++) {
		if (s[i] == '-') left = 1;
		else if (s[i] == '+') f.sign = '+';
		else if (s[i] == ' ' && f.sign != '+') f.sign = ' ';
		else if (s[i] == '#') f.alt = 1;
		else f.zero = 1;
	}
	hi_val star;
	if (i < n && s[i] == '*') {
		if (pct_next(st, &star) < 0 || hi_as_int64(star, &f.width, "* wants int") < 0)
			goto fail;
		if (f.width < 0) {
			left = 1;
			f.width = -f.width;
		}
		i++;
	} else {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			f.width = (f.width < 0 ? 0 : f.width * 10) + (s[i++] - '0');
	}
	if (i < n && s[i] == '.') {
		i++;
		f.prec = 0;
		if (i < n && s[i] == '*') {
			if (pct_next(st, &star) < 0 || hi_as_int64(star, &f.prec, "* wants int") < 0)
				goto fail;
			i++;
		} else {
			while (i < n && s[i] >= '0' && s[i] <= '9')
				f.prec = f.prec * 10 + (s[i++] - '0');
		}
	}
	while (i < n && strchr("hlL", s[i]))
		i++;
	if (i >= n) {
		hi_raisei(hi_ValueError, "incomplete format");
		goto fail;
	}
	char t = s[i];
	*pos = i;
	if (t == '%') {
		hi_buf_add(out, "%", 1);
		hi_decref(owned);
		return 0;
	}
	if (!have_arg && pct_next(st, &arg) < 0)
		goto fail;
	if (left)
		f.align = '<';
	else if (f.zero && t != 's' && t != 'r' && t != 'a' && t != 'c') {
		strcpy(f.fill, "0");
		f.align = '=';
	}
	int rc;
	if (t == 's' || t == 'r' || t == 'a') {
		hi_val sv = t == 's' ? hi_to_str(arg) : hi_repr(arg);
		if (hi_iserr(sv))
			goto fail;
		if (!f.align)
			f.align = '>';
		f.sign = 0;
		f.alt = 0;
		rc = format_str(out, hi_as_str(sv)->s, hi_as_str(sv)->len, &f);
		hi_decref(sv);
	} else if (t == 'c') {
		if (!f.align)
			f.align = '>';
		if (arg.kind == HI_STR) {
			if (hi_utf8_count(hi_as_str(arg)->s, hi_as_str(arg)->len) != 1) {
				hi_raisei(hi_TypeError, "%%c requires int or char");
				goto fail;
			}
			f.prec = -1;
			rc = format_str(out, hi_as_str(arg)->s, hi_as_str(arg)->len, &f);
		} else if (arg.kind == HI_INT || arg.kind == HI_BOOL) {
			f.type = 'c';
			f.prec = -1;
			rc = format_int(out, arg.i, &f);
		} else {
			hi_raisei(hi_TypeError, "%%c requires int or char");
			goto fail;
		}
	} else if (strchr("diuxXoeEfFgG", t)) {
		rc = pct_number(out, arg, t, &f);
	} else {
		hi_raisei(hi_ValueError, "unsupported format character '%c' (0x%x) at index %zu",
		          t, (unsigned char)t, i);
		goto fail;
	}
	hi_decref(owned);
	return rc;
fail:
	hi_decref(owned);
	return -1;
}

hi_val hi_str_percent(hi_val fmt, hi_val args)
{
	pct_state st = { &args, 1, 0, hi_none() };
	if (args.kind == HI_TUPLE) {
		st.items = hi_as_tuple(args)->items;
		st.n = hi_as_tuple(args)->len;
	} else if (args.kind == HI_DICT) {
		st.mapping = args;
	}
	const char *s = hi_as_str(fmt)->s;
	size_t n = hi_as_str(fmt)->len;
	hi_buf out = {0};
	hi_buf_add(&out, "", 0);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			size_t j = i;
			while (j < n && s[j] != '%')
				j++;
			hi_buf_add(&out, s + i, j - i);
			i = j - 1;
			continue;
		}
		if (pct_one(&out, &st, s, n, &i) < 0) {
			hi_buf_free(&out);
			return hi_err();
		}
	}
	if (st.next < st.n && st.mapping.kind != HI_DICT) {
		hi_buf_free(&out);
		return hi_raise(hi_TypeError, "not all arguments converted during string formatting");
	}
	return hi_setlocal(hi_buf_finish(&out), fmt.local | args.local);
}
