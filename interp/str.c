/*
** str.c — the str type: indexing by code point (strings are UTF-8),
** substring search, and the str methods.  Case mapping and character
** classes (upper, isalpha ...) follow ASCII; other characters are kept
** as they are and count as neither letters nor digits.
*/
#define _GNU_SOURCE   /* memmem */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "valimpl.h"

#define S(v) hi_as_str(v)

int hi_str_is_ascii(const hi_str *s)
{
	for (size_t i = 0; i < s->len; i++)
		if ((unsigned char)s->s[i] >= 0x80)
			return 0;
	return 1;
}

size_t hi_utf8_offset(const char *s, size_t n, size_t index)
{
	size_t i = 0;
	while (i < n && index > 0) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		index--;
	}
	return i;
}

/* Byte length of the code point starting at s[i]. */
static size_t cp_len(const char *s, size_t n, size_t i)
{
	size_t j = i + 1;
	while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80)
		j++;
	return j - i;
}

/* Code point count of a str object (fast for ASCII). */
static int64_t str_cps(hi_val v)
{
	return (int64_t)hi_utf8_count(S(v)->s, S(v)->len);
}

static hi_val substr(hi_val v, size_t from, size_t to)
{
	return hi_str_new(S(v)->s + from, to - from);
}

hi_val hi_str_getitem(hi_val s, hi_val key)
{
	int ascii = hi_str_is_ascii(S(s));
	int64_t n = ascii ? (int64_t)S(s)->len : str_cps(s);
	if (key.kind == HI_INT || key.kind == HI_BOOL) {
		int64_t i = hi_norm_index(key.i, n);
		if (i < 0)
			return hi_raise(hi_IndexError, "string index out of range");
		if (ascii)
			return hi_str_new(S(s)->s + i, 1);
		size_t off = hi_utf8_offset(S(s)->s, S(s)->len, (size_t)i);
		return hi_str_new(S(s)->s + off, cp_len(S(s)->s, S(s)->len, off));
	}
	if (key.kind != HI_SLICE)
		return hi_raise(hi_TypeError, "string indices must be integers, not '%s'", hi_type_name(key));
	int64_t start, stop, step;
	int64_t cnt = hi_slice_indices(key, n, &start, &stop, &step);
	if (cnt < 0)
		return hi_err();
	if (step == 1) {
		if (ascii)
			return hi_str_new(S(s)->s + start, (size_t)cnt);
		size_t a = hi_utf8_offset(S(s)->s, S(s)->len, (size_t)start);
		size_t b = hi_utf8_offset(S(s)->s, S(s)->len, (size_t)(start + cnt));
		return substr(s, a, b);
	}
	hi_buf b = {0};
	hi_buf_add(&b, "", 0);
	for (int64_t k = 0, i = start; k < cnt; k++, i += step) {
		if (ascii) {
			hi_buf_add(&b, S(s)->s + i, 1);
		} else {
			size_t off = hi_utf8_offset(S(s)->s, S(s)->len, (size_t)i);
			hi_buf_add(&b, S(s)->s + off, cp_len(S(s)->s, S(s)->len, off));
		}
	}
	return hi_buf_finish(&b);
}

static const char *find_bytes(const char *h, size_t hn, const char *n, size_t nn)
{
	if (nn == 0)
		return h;
	if (nn > hn)
		return NULL;
	return memmem(h, hn, n, nn);
}

int hi_str_contains(hi_val hay, hi_val needle)
{
	if (needle.kind != HI_STR)
		return hi_raisei(hi_TypeError, "'in <string>' requires string as left operand, not %s",
		                 hi_type_name(needle));
	return find_bytes(S(hay)->s, S(hay)->len, S(needle)->s, S(needle)->len) != NULL;
}

/* ---- argument helpers ---- */

static int need_str(hi_val v, const char *what)
{
	if (v.kind == HI_STR)
		return 0;
	if (!what)
		return hi_raisei(hi_TypeError, "must be str, not %s", hi_type_name(v));
	return hi_raisei(hi_TypeError, "%s must be str, not %s", what, hi_type_name(v));
}

/* start/end code point arguments -> a byte window [*b0, *b1). */
static int window(hi_val s, hi_val vstart, hi_val vend, size_t *b0, size_t *b1)
{
	int64_t n = str_cps(s), start = 0, end = n;
	if (!hi_isabsent(vstart) && vstart.kind != HI_NONE && hi_as_int64(vstart, &start, NULL) < 0)
		return -1;
	if (!hi_isabsent(vend) && vend.kind != HI_NONE && hi_as_int64(vend, &end, NULL) < 0)
		return -1;
	if (start < 0 && (start += n) < 0)
		start = 0;
	if (end < 0 && (end += n) < 0)
		end = 0;
	if (end > n)
		end = n;
	if (start > n) {
		*b0 = S(s)->len + 1;   /* empty and beyond the end: nothing matches */
		*b1 = S(s)->len;
		return 0;
	}
	*b0 = hi_utf8_offset(S(s)->s, S(s)->len, (size_t)start);
	*b1 = end < start ? *b0 : hi_utf8_offset(S(s)->s, S(s)->len, (size_t)end);
	return 0;
}

/* ---- search ---- */

/* Byte offset of the first (or last) sub in the window; -1 if absent, -2 on error. */
static int64_t search(hi_val *a, int last)
{
	if (need_str(a[1], NULL) < 0)
		return -2;
	size_t b0, b1;
	if (window(a[0], a[2], a[3], &b0, &b1) < 0)
		return -2;
	if (b0 > b1)
		return -1;
	const char *h = S(a[0])->s + b0, *n = S(a[1])->s;
	size_t hn = b1 - b0, nn = S(a[1])->len;
	if (nn > hn)
		return -1;
	if (!last) {
		const char *p = find_bytes(h, hn, n, nn);
		return p ? (int64_t)(p - S(a[0])->s) : -1;
	}
	for (size_t i = hn - nn + 1; i-- > 0;)
		if (memcmp(h + i, n, nn) == 0)
			return (int64_t)(b0 + i);
	return -1;
}

static hi_val cp_index(hi_val s, int64_t byte_off)
{
	return hi_int(byte_off < 0 ? -1 : (int64_t)hi_utf8_count(S(s)->s, (size_t)byte_off));
}

static hi_val str_find(hi_val *a, void *c)
{
	(void)c;
	int64_t r = search(a, 0);
	return r == -2 ? hi_err() : cp_index(a[0], r);
}

static hi_val str_rfind(hi_val *a, void *c)
{
	(void)c;
	int64_t r = search(a, 1);
	return r == -2 ? hi_err() : cp_index(a[0], r);
}

static hi_val str_index(hi_val *a, void *c)
{
	(void)c;
	int64_t r = search(a, 0);
	if (r == -1)
		return hi_raise(hi_ValueError, "substring not found");
	return r == -2 ? hi_err() : cp_index(a[0], r);
}

static hi_val str_rindex(hi_val *a, void *c)
{
	(void)c;
	int64_t r = search(a, 1);
	if (r == -1)
		return hi_raise(hi_ValueError, "substring not found");
	return r == -2 ? hi_err() : cp_index(a[0], r);
}

static hi_val str_count(hi_val *a, void *c)
{
	(void)c;
	if (need_str(a[1], NULL) < 0)
		return hi_err();
	size_t b0, b1;
	if (window(a[0], a[2], a[3], &b0, &b1) < 0)
		return hi_err();
	if (b0 > b1)
		return hi_int(0);
	size_t nn = S(a[1])->len;
	if (nn == 0)
		return hi_int((int64_t)hi_utf8_count(S(a[0])->s + b0, b1 - b0) + 1);
	int64_t cnt = 0;
	const char *p = S(a[0])->s + b0, *end = S(a[0])->s + b1;
	while ((p = find_bytes(p, (size_t)(end - p), S(a[1])->s, nn)) != NULL) {
		cnt++;
		p += nn;
	}
	return hi_int(cnt);
}

/* startswith / endswith: prefix may be a tuple of strings. */
static hi_val affix(hi_val *a, int end)
{
	size_t b0, b1;
	if (window(a[0], a[2], a[3], &b0, &b1) < 0)
		return hi_err();
	const hi_val *cands = &a[1];
	size_t nc = 1;
	if (a[1].kind == HI_TUPLE) {
		cands = hi_as_tuple(a[1])->items;
		nc = hi_as_tuple(a[1])->len;
	}
	for (size_t i = 0; i < nc; i++) {
		if (cands[i].kind != HI_STR)
			return hi_raise(hi_TypeError, a[1].kind == HI_TUPLE
			                ? "tuple for %s must only contain str, not %s"
			                : "%s first arg must be str or a tuple of str, not %s",
			                end ? "endswith" : "startswith", hi_type_name(cands[i]));
		if (b0 > b1)
			continue;
		size_t n = S(cands[i])->len;
		if (n > b1 - b0)
			continue;
		const char *at = end ? S(a[0])->s + b1 - n : S(a[0])->s + b0;
		if (memcmp(at, S(cands[i])->s, n) == 0)
			return hi_bool(1);
	}
	return hi_bool(0);
}

static hi_val str_startswith(hi_val *a, void *c) { (void)c; return affix(a, 0); }
static hi_val str_endswith(hi_val *a, void *c) { (void)c; return affix(a, 1); }

/* ---- split / join ---- */

static int is_ws(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int push(hi_val list, const char *p, size_t n)
{
	hi_val s = hi_str_new(p, n);
	if (hi_iserr(s))
		return -1;
	int r = hi_list_append(list, s);
	hi_decref(s);
	return r;
}

static int64_t maxsplit_arg(hi_val v)
{
	int64_t m = -1;
	if (!hi_isabsent(v) && v.kind != HI_NONE && hi_as_int64(v, &m, NULL) < 0)
		return -2;
	return m < 0 ? INT64_MAX : m;
}

static int split_ws(hi_val out, const char *s, size_t n, int64_t maxs, int right)
{
	if (!right) {
		size_t i = 0;
		while (i < n) {
			while (i < n && is_ws((unsigned char)s[i]))
				i++;
			if (i == n)
				break;
			if (maxs-- == 0)   /* the rest, verbatim */
				return push(out, s + i, n - i);
			size_t j = i;
			while (j < n && !is_ws((unsigned char)s[j]))
				j++;
			if (push(out, s + i, j - i) < 0)
				return -1;
			i = j;
		}
		return 0;
	}
	size_t i = n;
	while (i > 0) {
		while (i > 0 && is_ws((unsigned char)s[i - 1]))
			i--;
		if (i == 0)
			break;
		if (maxs-- == 0)
			return push(out, s, i) < 0 ? -1 : 1;
		size_t j = i;
		while (j > 0 && !is_ws((unsigned char)s[j - 1]))
			j--;
		if (push(out, s + j, i - j) < 0)
			return -1;
		i = j;
	}
	return 1;   /* caller reverses */
}

static int split_sep(hi_val out, const char *s, size_t n, const char *sep, size_t sn,
                     int64_t maxs, int right)
{
	if (!right) {
		const char *p = s, *end = s + n, *q;
		while (maxs-- > 0 && (q = find_bytes(p, (size_t)(end - p), sep, sn)) != NULL) {
			if (push(out, p, (size_t)(q - p)) < 0)
				return -1;
			p = q + sn;
		}
		return push(out, p, (size_t)(end - p));
	}
	size_t e = n;
	while (maxs > 0 && e >= sn) {
		size_t i = e - sn + 1, found = (size_t)-1;
		while (i-- > 0)
			if (memcmp(s + i, sep, sn) == 0) {
				found = i;
				break;
			}
		if (found == (size_t)-1)
			break;
		if (push(out, s + found + sn, e - found - sn) < 0)
			return -1;
		e = found;
		maxs--;
	}
	if (push(out, s, e) < 0)
		return -1;
	return 1;
}

static hi_val do_split(hi_val *a, int right)
{
	int64_t maxs = maxsplit_arg(a[2]);
	if (maxs == -2)
		return hi_err();
	hi_val out = hi_list_new(0);
	if (hi_iserr(out))
		return out;
	int r;
	if (a[1].kind == HI_NONE) {
		r = split_ws(out, S(a[0])->s, S(a[0])->len, maxs, right);
	} else if (a[1].kind != HI_STR) {
		hi_decref(out);
		return hi_raise(hi_TypeError, "must be str or None, not %s", hi_type_name(a[1]));
	} else if (S(a[1])->len == 0) {
		hi_decref(out);
		return hi_raise(hi_ValueError, "empty separator");
	} else {
		r = split_sep(out, S(a[0])->s, S(a[0])->len, S(a[1])->s, S(a[1])->len, maxs, right);
	}
	if (r < 0) {
		hi_decref(out);
		return hi_err();
	}
	if (right) {
		hi_list *l = hi_as_list(out);
		for (size_t i = 0, j = l->len; i + 1 < j; i++, j--) {
			hi_val t = l->items[i];
			l->items[i] = l->items[j - 1];
			l->items[j - 1] = t;
		}
	}
	return out;
}

static hi_val str_split(hi_val *a, void *c) { (void)c; return do_split(a, 0); }
static hi_val str_rsplit(hi_val *a, void *c) { (void)c; return do_split(a, 1); }

static hi_val str_join(hi_val *a, void *c)
{
	(void)c;
	hi_val items = hi_list_from(a[1]);
	if (hi_iserr(items))
		return items;
	hi_list *l = hi_as_list(items);
	hi_buf b = {0};
	hi_buf_add(&b, "", 0);
	for (size_t i = 0; i < l->len; i++) {
		if (l->items[i].kind != HI_STR) {
			hi_buf_free(&b);
			hi_raise(hi_TypeError, "sequence item %zu: expected str instance, %s found",
			         i, hi_type_name(l->items[i]));
			hi_decref(items);
			return hi_err();
		}
		if (i)
			hi_buf_addval(&b, a[0]);
		hi_buf_addval(&b, l->items[i]);
	}
	hi_decref(items);
	return hi_setlocal(hi_buf_finish(&b), a[1].local);
}

static hi_val str_splitlines(hi_val *a, void *c)
{
	(void)c;
	int keep = hi_truthy(a[1]);
	const char *s = S(a[0])->s;
	size_t n = S(a[0])->len, i = 0, start = 0;
	hi_val out = hi_list_new(0);
	if (hi_iserr(out))
		return out;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		size_t eol = 0;
		if (ch == '\r' && i + 1 < n && s[i + 1] == '\n')
			eol = 2;
		else if (ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f' || (ch >= 0x1c && ch <= 0x1e))
			eol = 1;
		if (!eol) {
			i++;
			continue;
		}
		if (push(out, s + start, i - start + (keep ? eol : 0)) < 0) {
			hi_decref(out);
			return hi_err();
		}
		i += eol;
		start = i;
	}
	if (start < n && push(out, s + start, n - start) < 0) {
		hi_decref(out);
		return hi_err();
	}
	return out;
}

static hi_val partition(hi_val *a, int right)
{
	if (need_str(a[1], NULL) < 0)
		return hi_err();
	size_t sn = S(a[1])->len, n = S(a[0])->len;
	const char *s = S(a[0])->s;
	if (sn == 0)
		return hi_raise(hi_ValueError, "empty separator");
	int64_t at = -1;
	if (!right) {
		const char *p = find_bytes(s, n, S(a[1])->s, sn);
		at = p ? p - s : -1;
	} else if (sn <= n) {
		for (size_t i = n - sn + 1; i-- > 0;)
			if (memcmp(s + i, S(a[1])->s, sn) == 0) {
				at = (int64_t)i;
				break;
			}
	}
	hi_val empty = hi_str_new("", 0), r;
	if (at < 0) {
		r = right ? hi_tuple_pack(3, empty, empty, a[0]) : hi_tuple_pack(3, a[0], empty, empty);
	} else {
		hi_val x = hi_str_new(s, (size_t)at), y = hi_str_new(s + at + sn, n - (size_t)at - sn);
		r = hi_tuple_pack(3, x, a[1], y);
		hi_decref(x);
		hi_decref(y);
	}
	hi_decref(empty);
	return r;
}

static hi_val str_partition(hi_val *a, void *c) { (void)c; return partition(a, 0); }
static hi_val str_rpartition(hi_val *a, void *c) { (void)c; return partition(a, 1); }

/* ---- strip / replace ---- */

static hi_val strip(hi_val *a, int left, int right)
{
	const char *s = S(a[0])->s, *chars = NULL;
	size_t n = S(a[0])->len, b = 0, e = n, cn = 0;
	if (!hi_isabsent(a[1]) && a[1].kind != HI_NONE) {
		if (a[1].kind != HI_STR)
			return hi_raise(hi_TypeError, "strip arg must be None or str");
		chars = S(a[1])->s;
		cn = S(a[1])->len;
	}
#define STRIPPABLE(ch) (chars ? memchr(chars, (ch), cn) != NULL : is_ws((unsigned char)(ch)))
	if (left)
		while (b < e && STRIPPABLE(s[b]))
			b++;
	if (right)
		while (e > b && STRIPPABLE(s[e - 1]))
			e--;
#undef STRIPPABLE
	return hi_str_new(s + b, e - b);
}

static hi_val str_strip(hi_val *a, void *c) { (void)c; return strip(a, 1, 1); }
static hi_val str_lstrip(hi_val *a, void *c) { (void)c; return strip(a, 1, 0); }
static hi_val str_rstrip(hi_val *a, void *c) { (void)c; return strip(a, 0, 1); }

static hi_val str_replace(hi_val *a, void *c)
{
	(void)c;
	if (need_str(a[1], "replace() argument 1") < 0 || need_str(a[2], "replace() argument 2") < 0)
		return hi_err();
	int64_t count = maxsplit_arg(a[3]);
	if (count == -2)
		return hi_err();
	const char *s = S(a[0])->s, *old = S(a[1])->s;
	size_t n = S(a[0])->len, on = S(a[1])->len;
	hi_buf b = {0};
	hi_buf_add(&b, "", 0);
	if (on == 0) {   /* insert between every code point */
		size_t i = 0;
		while (i <= n) {
			if (count-- > 0)
				hi_buf_addval(&b, a[2]);
			else {
				hi_buf_add(&b, s + i, n - i);
				break;
			}
			if (i == n)
				break;
			size_t l = cp_len(s, n, i);
			hi_buf_add(&b, s + i, l);
			i += l;
		}
		return hi_buf_finish(&b);
	}
	const char *p = s, *end = s + n, *q;
	while (count > 0 && (q = find_bytes(p, (size_t)(end - p), old, on)) != NULL) {
		hi_buf_add(&b, p, (size_t)(q - p));
		hi_buf_addval(&b, a[2]);
		p = q + on;
		count--;
	}
	hi_buf_add(&b, p, (size_t)(end - p));
	return hi_buf_finish(&b);
}

static hi_val str_removeprefix(hi_val *a, void *c)
{
	(void)c;
	if (need_str(a[1], "removeprefix() argument") < 0)
		return hi_err();
	size_t n = S(a[1])->len;
	if (n <= S(a[0])->len && memcmp(S(a[0])->s, S(a[1])->s, n) == 0)
		return hi_str_new(S(a[0])->s + n, S(a[0])->len - n);
	return hi_incref(a[0]);
}

static hi_val str_removesuffix(hi_val *a, void *c)
{
	(void)c;
	if (need_str(a[1], "removesuffix() argument") < 0)
		return hi_err();
	size_t n = S(a[1])->len, m = S(a[0])->len;
	if (n && n <= m && memcmp(S(a[0])->s + m - n, S(a[1])->s, n) == 0)
		return hi_str_new(S(a[0])->s, m - n);
	return hi_incref(a[0]);
}

/* ---- case ---- */

enum { C_UPPER, C_LOWER, C_SWAP, C_TITLE, C_CAPITALIZE };

static hi_val recase(hi_val s, int how)
{
	hi_val r = hi_str_new(S(s)->s, S(s)->len);
	if (hi_iserr(r))
		return r;
	char *p = S(r)->s;
	int prev_cased = 0;
	for (size_t i = 0; i < S(r)->len; i++) {
		int ch = (unsigned char)p[i];
		if (ch >= 0x80) {
			prev_cased = 0;
			continue;
		}
		switch (how) {
		case C_UPPER: ch = toupper(ch); break;
		case C_LOWER: ch = tolower(ch); break;
		case C_SWAP: ch = isupper(ch) ? tolower(ch) : toupper(ch); break;
		case C_TITLE: ch = prev_cased ? tolower(ch) : toupper(ch); break;
		default: ch = i == 0 ? toupper(ch) : tolower(ch); break;
		}
		prev_cased = isalpha(ch);
		p[i] = (char)ch;
	}
	return r;
}

static hi_val str_upper(hi_val *a, void *c) { (void)c; return recase(a[0], C_UPPER); }
static hi_val str_lower(hi_val *a, void *c) { (void)c; return recase(a[0], C_LOWER); }
static hi_val str_swapcase(hi_val *a, void *c) { (void)c; return recase(a[0], C_SWAP); }
static hi_val str_title(hi_val *a, void *c) { (void)c; return recase(a[0], C_TITLE); }
static hi_val str_capitalize(hi_val *a, void *c) { (void)c; return recase(a[0], C_CAPITALIZE); }

/* ---- predicates ---- */

static hi_val all_chars(hi_val s, int (*pred)(int))
{
	if (S(s)->len == 0)
		return hi_bool(0);
	for (size_t i = 0; i < S(s)->len; i++)
		if ((unsigned char)S(s)->s[i] >= 0x80 || !pred((unsigned char)S(s)->s[i]))
			return hi_bool(0);
	return hi_bool(1);
}

static int ws_pred(int c) { return is_ws((unsigned char)c); }

static hi_val str_isdigit(hi_val *a, void *c) { (void)c; return all_chars(a[0], isdigit); }
static hi_val str_isalpha(hi_val *a, void *c) { (void)c; return all_chars(a[0], isalpha); }
static hi_val str_isalnum(hi_val *a, void *c) { (void)c; return all_chars(a[0], isalnum); }
static hi_val str_isspace(hi_val *a, void *c) { (void)c; return all_chars(a[0], ws_pred); }

/* isupper/islower: at least one cased character and none of the other case. */
static hi_val cased(hi_val s, int upper)
{
	int any = 0;
	for (size_t i = 0; i < S(s)->len; i++) {
		int ch = (unsigned char)S(s)->s[i];
		if (upper ? islower(ch) : isupper(ch))
			return hi_bool(0);
		any |= upper ? isupper(ch) : islower(ch);
	}
	return hi_bool(any);
}

static hi_val str_isupper(hi_val *a, void *c) { (void)c; return cased(a[0], 1); }
static hi_val str_islower(hi_val *a, void *c) { (void)c; return cased(a[0], 0); }

/* ---- padding ---- */

static hi_val pad(hi_val s, hi_val vwidth, hi_val vfill, int align)
{
	int64_t width;
	if (hi_as_int64(vwidth, &width, NULL) < 0)
		return hi_err();
	const char *fill = " ";
	size_t fl = 1;
	if (!hi_isabsent(vfill)) {
		if (vfill.kind != HI_STR || hi_utf8_count(S(vfill)->s, S(vfill)->len) != 1)
			return hi_raise(hi_TypeError, "The fill character must be exactly one character long");
		fill = S(vfill)->s;
		fl = S(vfill)->len;
	}
	int64_t n = str_cps(s);
	if (width <= n)
		return hi_incref(s);
	int64_t total = width - n, left;
	if (align == '<')
		left = 0;
	else if (align == '>')
		left = total;
	else
		left = total / 2 + (total & width & 1);   /* CPython's centring rule */
	hi_buf b = {0};
	for (int64_t i = 0; i < left; i++)
		hi_buf_add(&b, fill, fl);
	hi_buf_addval(&b, s);
	for (int64_t i = left; i < total; i++)
		hi_buf_add(&b, fill, fl);
	return hi_buf_finish(&b);
}

static hi_val str_center(hi_val *a, void *c) { (void)c; return pad(a[0], a[1], a[2], '^'); }
static hi_val str_ljust(hi_val *a, void *c) { (void)c; return pad(a[0], a[1], a[2], '<'); }
static hi_val str_rjust(hi_val *a, void *c) { (void)c; return pad(a[0], a[1], a[2], '>'); }

static hi_val str_zfill(hi_val *a, void *c)
{
	(void)c;
	int64_t width;
	if (hi_as_int64(a[1], &width, NULL) < 0)
		return hi_err();
	int64_t n = str_cps(a[0]);
	if (width <= n)
		return hi_incref(a[0]);
	const char *s = S(a[0])->s;
	size_t sign = S(a[0])->len && (s[0] == '+' || s[0] == '-');
	hi_buf b = {0};
	hi_buf_add(&b, s, sign);
	for (int64_t i = 0; i < width - n; i++)
		hi_buf_add(&b, "0", 1);
	hi_buf_add(&b, s + sign, S(a[0])->len - sign);
	return hi_buf_finish(&b);
}

static hi_val str_format(hi_val *a, void *c)
{
	(void)c;
	hi_tuple *t = hi_as_tuple(a[1]);
	return hi_str_format(a[0], (int)t->len, t->items, a[2]);
}

static const hi_builtin_def str_methods[] = {
	{ "format(self, *args, **kwargs)", str_format, "Return a formatted version of the string, using substitutions from args and kwargs.\nThe substitutions are identified by braces ('{' and '}')." },
	{ "split(self, sep=None, maxsplit=-1)", str_split, "Return a list of the substrings in the string, using sep as the separator string.\n\nsep=None splits on runs of whitespace and drops empty strings; maxsplit\nlimits the number of splits (-1: no limit)." },
	{ "rsplit(self, sep=None, maxsplit=-1)", str_rsplit, "Return a list of the substrings in the string, using sep as the separator string,\nsplitting from the right." },
	{ "join(self, iterable)", str_join, "Concatenate any number of strings, with the string as separator between them." },
	{ "strip(self, chars=None)", str_strip, "Return a copy of the string with leading and trailing whitespace (or chars) removed." },
	{ "lstrip(self, chars=None)", str_lstrip, "Return a copy of the string with leading whitespace (or chars) removed." },
	{ "rstrip(self, chars=None)", str_rstrip, "Return a copy of the string with trailing whitespace (or chars) removed." },
	{ "replace(self, old, new, count=-1)", str_replace, "Return a copy with all occurrences of substring old replaced by new.\n\ncount limits the number of replacements (-1: all)." },
	{ "startswith(self, prefix, start=?, end=?)", str_startswith, "Return True if the string starts with the prefix (a str or a tuple of str), False otherwise." },
	{ "endswith(self, suffix, start=?, end=?)", str_endswith, "Return True if the string ends with the suffix (a str or a tuple of str), False otherwise." },
	{ "find(self, sub, start=?, end=?)", str_find, "Return the lowest index where substring sub is found, or -1." },
	{ "rfind(self, sub, start=?, end=?)", str_rfind, "Return the highest index where substring sub is found, or -1." },
	{ "index(self, sub, start=?, end=?)", str_index, "Like find() but raise ValueError when the substring is not found." },
	{ "rindex(self, sub, start=?, end=?)", str_rindex, "Like rfind() but raise ValueError when the substring is not found." },
	{ "count(self, sub, start=?, end=?)", str_count, "Return the number of non-overlapping occurrences of substring sub." },
	{ "upper(self)", str_upper, "Return a copy of the string converted to uppercase." },
	{ "lower(self)", str_lower, "Return a copy of the string converted to lowercase." },
	{ "swapcase(self)", str_swapcase, "Convert uppercase characters to lowercase and lowercase characters to uppercase." },
	{ "title(self)", str_title, "Return a version of the string where each word is titlecased." },
	{ "capitalize(self)", str_capitalize, "Return a capitalized version of the string." },
	{ "isdigit(self)", str_isdigit, "Return True if the string is a non-empty string of digits." },
	{ "isdecimal(self)", str_isdigit, "Return True if the string is a non-empty string of decimal digits." },
	{ "isnumeric(self)", str_isdigit, "Return True if the string is a non-empty string of numeric characters." },
	{ "isalpha(self)", str_isalpha, "Return True if the string is a non-empty string of letters." },
	{ "isalnum(self)", str_isalnum, "Return True if the string is a non-empty string of letters and digits." },
	{ "isspace(self)", str_isspace, "Return True if the string is a non-empty string of whitespace." },
	{ "isupper(self)", str_isupper, "Return True if the string has cased characters and all of them are uppercase." },
	{ "islower(self)", str_islower, "Return True if the string has cased characters and all of them are lowercase." },
	{ "zfill(self, width)", str_zfill, "Pad a numeric string with zeros on the left, to fill a field of the given width." },
	{ "center(self, width, fillchar=?)", str_center, "Return a centered string of length width, padded with fillchar (default a space)." },
	{ "ljust(self, width, fillchar=?)", str_ljust, "Return a left-justified string of length width." },
	{ "rjust(self, width, fillchar=?)", str_rjust, "Return a right-justified string of length width." },
	{ "splitlines(self, keepends=False)", str_splitlines, "Return a list of the lines in the string, breaking at line boundaries." },
	{ "partition(self, sep)", str_partition, "Split the string at the first occurrence of sep into (head, sep, tail)." },
	{ "rpartition(self, sep)", str_rpartition, "Split the string at the last occurrence of sep into (head, sep, tail)." },
	{ "removeprefix(self, prefix)", str_removeprefix, "Return a str with the given prefix string removed if present." },
	{ "removesuffix(self, suffix)", str_removesuffix, "Return a str with the given suffix string removed if present." },
	{ 0 }
};

void hi_init_str_methods(void)
{
	hi_register_methods(HI_STR, str_methods);
}
