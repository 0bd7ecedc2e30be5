/*
** repr.c — repr() and str() exactly as CPython 3.11 prints them:
** shortest round-trip floats, complex, quoted strings, containers (with
** [...] for a container that contains itself), ranges and slices.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valimpl.h"

/* ---- floats ---- */

/* Shortest digits that read back as d: digits in dig (no dot), decimal
** exponent of the first digit in *exp. */
static void shortest_digits(double d, char *dig, int *exp)
{
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d || prec == 17)
			break;
	}
	/* tmp is "D.DDDDe+XX" or "De+XX" (d >= 0 here) */
	char *e = strchr(tmp, 'e');
	*exp = atoi(e + 1);
	int n = 0;
	for (char *p = tmp; p < e; p++)
		if (*p != '.')
			dig[n++] = *p;
	while (n > 1 && dig[n - 1] == '0')
		n--;
	dig[n] = 0;
}

void hi_format_double(double d, char *buf, size_t n)
{
	if (isnan(d)) {
		snprintf(buf, n, "nan");
		return;
	}
	if (isinf(d)) {
		snprintf(buf, n, d > 0 ? "inf" : "-inf");
		return;
	}
	char dig[40], out[64];
	int exp, k = 0;
	if (signbit(d)) {
		out[k++] = '-';
		d = -d;
	}
	if (d == 0) {
		snprintf(out + k, sizeof out - (size_t)k, "0.0");
		snprintf(buf, n, "%s", out);
		return;
	}
	shortest_digits(d, dig, &exp);
	int nd = (int)strlen(dig);
	if (exp < -4 || exp >= 16) {
		out[k++] = dig[0];
		if (nd > 1) {
			out[k++] = '.';
			memcpy(out + k, dig + 1, (size_t)nd - 1);
			k += nd - 1;
		}
		snprintf(out + k, sizeof out - (size_t)k, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
	} else if (exp < 0) {
		out[k++] = '0';
		out[k++] = '.';
		for (int i = 0; i < -exp - 1; i++)
			out[k++] = '0';
		memcpy(out + k, dig, (size_t)nd);
		k += nd;
		out[k] = 0;
	} else {
		for (int i = 0; i <= exp; i++)
			out[k++] = i < nd ? dig[i] : '0';
		out[k++] = '.';
		if (nd > exp + 1) {
			memcpy(out + k, dig + exp + 1, (size_t)(nd - exp - 1));
			k += nd - exp - 1;
		} else {
			out[k++] = '0';
		}
		out[k] = 0;
	}
	snprintf(buf, n, "%s", out);
}

/* Python prints complex parts with repr's digits, but an integral part
** without the ".0" (1j, (1+2j), (1.5-0j)). */
static void complex_part(double d, char *buf, size_t n)
{
	hi_format_double(d, buf, n);
	size_t len = strlen(buf);
	if (len > 2 && strcmp(buf + len - 2, ".0") == 0 && !strchr(buf, 'e'))
		buf[len - 2] = 0;
}

static void add_complex(hi_buf *b, double re, double im)
{
	char r[48], i[48];
	complex_part(im, i, sizeof i);
	if (re == 0 && !signbit(re)) {
		hi_buf_addf(b, "%sj", i);
		return;
	}
	complex_part(re, r, sizeof r);
	hi_buf_addf(b, "(%s%s%sj)", r, isnan(im) || !signbit(im) ? "+" : "", i);
}

/* ---- strings ---- */

/* Length of a valid UTF-8 sequence at s (1..4), 0 if invalid. */
static int utf8_len(const unsigned char *s, size_t n)
{
	int len = s[0] < 0xC0 ? 0 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : s[0] < 0xF8 ? 4 : 0;
	if (!len || (size_t)len > n)
		return 0;
	for (int i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

void hi_buf_add_quoted(hi_buf *b, const char *s, size_t n)
{
	char q = '\'';
	if (memchr(s, '\'', n) && !memchr(s, '"', n))
		q = '"';
	hi_buf_add(b, &q, 1);
	size_t run = 0;   /* start of a stretch of bytes copied verbatim */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char hex[8];
		int skip = 0;
		if (c == (unsigned char)q || c == '\\') {
			hex[0] = '\\';
			hex[1] = (char)c;
			hex[2] = 0;
			esc = hex;
		} else if (c == '\n') {
			esc = "\\n";
		} else if (c == '\r') {
			esc = "\\r";
		} else if (c == '\t') {
			esc = "\\t";
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(hex, sizeof hex, "\\x%02x", c);
			esc = hex;
		} else if (c >= 0x80) {
			int len = utf8_len((const unsigned char *)s + i, n - i);
			if (len == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0) {
				/* U+0080..U+009F are not printable: \x80 */
				snprintf(hex, sizeof hex, "\\x%02x", (unsigned char)s[i + 1]);
				esc = hex;
				skip = 1;
			} else if (len) {
				i += (size_t)len - 1;
				continue;
			}
		}
		if (!esc)
			continue;
		hi_buf_add(b, s + run, i - run);
		hi_buf_adds(b, esc);
		i += (size_t)skip;
		run = i + 1;
	}
	hi_buf_add(b, s + run, n - run);
	hi_buf_add(b, &q, 1);
}

/* ---- containers, with a guard against self-containing values ---- */

#define REPR_DEPTH_MAX 512
static hi_obj *repr_stack[REPR_DEPTH_MAX];
static int repr_depth;
static int repr_failed;     /* The decimal text of i into d (at least 21 bytes, not NUL-terminated);
** its length.  printf's "%lld" costs ~20 times more per int. */
static size_t int_text(int64_t i, char *d)
{
	char t[24];
	size_t n = 0;
	uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	size_t len = 0;
	if (i < 0)
		d[len++] = '-';
	while (n)
		d[len++] = t[--n];
	return len;
}

/* a slot's repr raised while building text */

static int repr_enter(hi_obj *o)
{
	for (int i = 0; i < repr_depth; i++)
		if (repr_stack[i] == o)
			return 0;
	if (repr_depth == REPR_DEPTH_MAX)
		return 0;
	repr_stack[repr_depth++] = o;
	return 1;
}

static void add_items(hi_buf *b, const hi_val *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			hi_buf_add(b, ", ", 2);
		hi_repr_into(b, items[i]);
	}
}

static void add_dict(hi_buf *b, hi_dict *d, int is_set)
{
	int first = 1;
	for (size_t i = 0; i < d->used; i++) {
		hi_dict_entry *e = &d->entries[i];
		if (e->key.kind == HI_ERROR)
			continue;
		if (!first)
			hi_buf_add(b, ", ", 2);
		first = 0;
		hi_repr_into(b, e->key);
		if (!is_set) {
			hi_buf_add(b, ": ", 2);
			hi_repr_into(b, e->value);
		}
	}
}

static void add_container(hi_buf *b, hi_val v)
{
	static const char *const recur[] = { "[...]", "(...)", "{...}", "{...}" };
	int which = v.kind == HI_LIST ? 0 : v.kind == HI_TUPLE ? 1 : v.kind == HI_DICT ? 2 : 3;
	if (!repr_enter(v.o)) {
		hi_buf_adds(b, recur[which]);
		return;
	}
	switch (v.kind) {
	case HI_LIST: {
		static const char *const views[] = { "", "dict_keys(", "dict_values(", "dict_items(" };
		int view = hi_as_list(v)->view;
		hi_buf_adds(b, views[view]);
		hi_buf_add(b, "[", 1);
		add_items(b, hi_as_list(v)->items, hi_as_list(v)->len);
		hi_buf_adds(b, view ? "])" : "]");
		break;
	}
	case HI_TUPLE:
		hi_buf_add(b, "(", 1);
		add_items(b, hi_as_tuple(v)->items, hi_as_tuple(v)->len);
		hi_buf_adds(b, hi_as_tuple(v)->len == 1 ? ",)" : ")");
		break;
	case HI_DICT:
		hi_buf_add(b, "{", 1);
		add_dict(b, hi_as_dict(v), 0);
		hi_buf_add(b, "}", 1);
		break;
	default:
		if (hi_as_dict(v)->len == 0) {
			hi_buf_adds(b, "set()");
		} else {
			hi_buf_add(b, "{", 1);
			add_dict(b, hi_as_dict(v), 1);
			hi_buf_add(b, "}", 1);
		}
		break;
	}
	repr_depth--;
}

static void add_slice_part(hi_buf *b, hi_val v)
{
	hi_repr_into(b, v);
}

void hi_repr_into(hi_buf *b, hi_val v)
{
	char tmp[64];
	switch (v.kind) {
	case HI_NONE: hi_buf_add(b, "None", 4); return;
	case HI_BOOL: hi_buf_adds(b, v.i ? "True" : "False"); return;
	case HI_INT: {
		char d[24];
		size_t n = int_text(v.i, d);
		hi_buf_add(b, d, n);
		return;
	}
	case HI_FLOAT:
		hi_format_double(v.f, tmp, sizeof tmp);
		hi_buf_adds(b, tmp);
		return;
	case HI_COMPLEX:
		add_complex(b, ((hi_complex *)v.o)->re, ((hi_complex *)v.o)->im);
		return;
	case HI_STR: hi_buf_add_quoted(b, hi_as_str(v)->s, hi_as_str(v)->len); return;
	case HI_LIST: case HI_TUPLE: case HI_DICT: case HI_SET:
		add_container(b, v);
		return;
	case HI_RANGE: {
		hi_range *r = (hi_range *)v.o;
		if (r->step == 1)
			hi_buf_addf(b, "range(%lld, %lld)", (long long)r->start, (long long)r->stop);
		else
			hi_buf_addf(b, "range(%lld, %lld, %lld)", (long long)r->start,
			            (long long)r->stop, (long long)r->step);
		return;
	}
	case HI_SLICE: {
		hi_slice *s = (hi_slice *)v.o;
		hi_buf_adds(b, "slice(");
		add_slice_part(b, s->start);
		hi_buf_add(b, ", ", 2);
		add_slice_part(b, s->stop);
		hi_buf_add(b, ", ", 2);
		add_slice_part(b, s->step);
		hi_buf_add(b, ")", 1);
		return;
	}
	case HI_ELLIPSIS: hi_buf_adds(b, "Ellipsis"); return;
	default:
		break;
	}
	if (v.kind < HI_KIND_COUNT && hi_slots_of(v.kind)->repr) {
		hi_val s = hi_slots_of(v.kind)->repr(v);
		if (hi_iserr(s)) {
			repr_failed = 1;
			return;
		}
		hi_buf_addval(b, s);
		hi_decref(s);
		return;
	}
	hi_buf_addf(b, "<%s object at %p>", hi_type_name(v), (void *)v.o);
}

hi_val hi_repr(hi_val v)
{
	hi_val r;
	if (v.kind == HI_ERROR)
		return v;
	if (v.kind == HI_INT) {   /* str(i), the common conversion: no buffer, no printf */
		char d[24];
		size_t n = int_text(v.i, d);
		r = hi_str_new(d, n);
		return hi_iserr(r) ? r : hi_setlocal(r, v.local);
	}
	if (v.kind >= HI_FUNC && v.kind < HI_KIND_COUNT && hi_slots_of(v.kind)->repr) {
		r = hi_slots_of(v.kind)->repr(v);
	} else {
		hi_buf b = {0};
		int outer = repr_depth == 0;
		if (outer)
			repr_failed = 0;
		hi_repr_into(&b, v);
		if (outer && repr_failed) {
			hi_buf_free(&b);
			return hi_err();
		}
		r = hi_buf_finish(&b);
	}
	return hi_iserr(r) ? r : hi_setlocal(r, v.local);
}

hi_val hi_to_str(hi_val v)
{
	hi_val r;
	switch (v.kind) {
	case HI_STR:
		return hi_incref(v);
	case HI_NONE: case HI_BOOL: case HI_INT: case HI_FLOAT: case HI_COMPLEX:
	case HI_LIST: case HI_TUPLE: case HI_DICT: case HI_SET: case HI_RANGE:
	case HI_SLICE: case HI_ELLIPSIS:
		return hi_repr(v);
	default:
		if (v.kind < HI_KIND_COUNT && hi_slots_of(v.kind)->str) {
			r = hi_slots_of(v.kind)->str(v);
			return hi_iserr(r) ? r : hi_setlocal(r, v.local);
		}
		return hi_repr(v);
	}
}

/* print()'s text into b: str() of each item of the tuple items, joined by
** sep (None: a blank), then end (None: a newline).  *local collects the
** items' text's rank-local flags.  -1 (b freed) on error. */
int hi_print_text(hi_buf *b, hi_val items, hi_val sep, hi_val end, int *local)
{
	if (sep.kind != HI_NONE && sep.kind != HI_STR)
		return hi_raisei(hi_TypeError, "sep must be None or a string, not %s", hi_type_name(sep));
	if (end.kind != HI_NONE && end.kind != HI_STR)
		return hi_raisei(hi_TypeError, "end must be None or a string, not %s", hi_type_name(end));
	hi_tuple *t = hi_as_tuple(items);
	for (size_t i = 0; i < t->len; i++) {
		if (i) {
			if (sep.kind == HI_STR)
				hi_buf_addval(b, sep);
			else
				hi_buf_add(b, " ", 1);
		}
		hi_val s = hi_to_str(t->items[i]);
		if (hi_iserr(s)) {
			hi_buf_free(b);
			return -1;
		}
		*local |= s.local;
		hi_buf_addval(b, s);
		hi_decref(s);
	}
	if (end.kind == HI_STR)
		hi_buf_addval(b, end);
	else
		hi_buf_add(b, "\n", 1);
	return 0;
}
