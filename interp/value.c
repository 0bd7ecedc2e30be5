/*
** value.c — object allocation and release, the per-kind slot table, the
** simple constructors (str, complex, range, slice, list, tuple), string
** buffers, kind names, truthiness, len() and numeric conversions.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"
#include "valimpl.h"

static hi_slots slots[HI_KIND_COUNT];

hi_slots *hi_slots_of(int kind)
{
	return &slots[kind < HI_KIND_COUNT ? kind : 0];
}

void hi_register_free(int kind, void (*fn)(hi_obj *))
{
	slots[kind].free = fn;
}

void *hi_obj_alloc(size_t size, int kind)
{
	hi_obj *o = calloc(1, size);
	if (!o)
		return NULL;
	o->refs = 1;
	o->kind = (uint8_t)kind;
	return o;
}

static hi_val nomem(void)
{
	return hi_raise(hi_MemoryError, "out of memory");
}

/* ---- release ---- */

static void free_items(hi_val *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hi_decref(items[i]);
}

void hi_free_obj(hi_obj *o)
{
	switch (o->kind) {
	case HI_STR:
	case HI_COMPLEX:
	case HI_RANGE:
		break;
	case HI_LIST: {
		hi_list *l = (hi_list *)o;
		free_items(l->items, l->len);
		free(l->items);
		break;
	}
	case HI_TUPLE: {
		hi_tuple *t = (hi_tuple *)o;
		free_items(t->items, t->len);
		break;
	}
	case HI_DICT:
	case HI_SET:
		hi_dict_release((hi_dict *)o);
		break;
	case HI_SLICE: {
		hi_slice *s = (hi_slice *)o;
		hi_decref(s->start);
		hi_decref(s->stop);
		hi_decref(s->step);
		break;
	}
	case HI_ITER:
		hi_iter_release(o);
		break;
	default:
		if (slots[o->kind].free) {
			slots[o->kind].free(o);
			return;
		}
		break;
	}
	free(o);
}

/* ---- constructors ---- */

hi_val hi_str_new(const char *s, size_t len)
{
	hi_str *o = hi_obj_alloc(sizeof(hi_str) + len + 1, HI_STR);
	if (!o)
		return nomem();
	o->len = len;
	o->hash = -1;
	if (len && s)   /* s == NULL: zeroed bytes for the caller to fill */
		memcpy(o->s, s, len);
	o->s[len] = 0;
	return hi_objval(o, HI_STR);
}

hi_val hi_str_cstr(const char *s)
{
	return hi_str_new(s, strlen(s));
}

hi_val hi_str_fmt(const char *fmt, ...)
{
	hi_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	char tmp[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return hi_str_new("", 0);
	}
	if ((size_t)n < sizeof tmp) {
		va_end(ap2);
		return hi_str_new(tmp, (size_t)n);
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		va_end(ap2);
		return nomem();
	}
	vsnprintf(big, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	hi_buf_add(&b, big, (size_t)n);
	free(big);
	return hi_buf_finish(&b);
}

hi_val hi_complex_new(double re, double im)
{
	hi_complex *c = hi_obj_alloc(sizeof *c, HI_COMPLEX);
	if (!c)
		return nomem();
	c->re = re;
	c->im = im;
	return hi_objval(c, HI_COMPLEX);
}

hi_val hi_list_new(size_t cap)
{
	hi_list *l = hi_obj_alloc(sizeof *l, HI_LIST);
	if (!l)
		return nomem();
	if (cap) {
		l->items = malloc(cap * sizeof(hi_val));
		if (!l->items) {
			free(l);
			return nomem();
		}
		l->cap = cap;
	}
	return hi_objval(l, HI_LIST);
}

/* Grow a list's storage to hold at least `need` items. */
int hi_list_reserve(hi_list *l, size_t need)
{
	if (need <= l->cap)
		return 0;
	size_t cap = l->cap ? l->cap : 4;
	while (cap < need)
		cap += cap / 2 + 4;
	hi_val *p = realloc(l->items, cap * sizeof(hi_val));
	if (!p) {
		nomem();
		return -1;
	}
	l->items = p;
	l->cap = cap;
	return 0;
}

int hi_list_append(hi_val list, hi_val item)
{
	hi_list *l = hi_as_list(list);
	if (l->len == l->cap && hi_list_reserve(l, l->len + 1) < 0)
		return -1;
	l->items[l->len++] = hi_incref(item);
	return 0;
}

hi_val hi_tuple_new(size_t len)
{
	hi_tuple *t = hi_obj_alloc(sizeof(hi_tuple) + len * sizeof(hi_val), HI_TUPLE);
	if (!t)
		return nomem();
	t->len = len;
	for (size_t i = 0; i < len; i++)
		t->items[i] = hi_none();
	return hi_objval(t, HI_TUPLE);
}

void hi_tuple_set(hi_val tuple, size_t i, hi_val item)
{
	hi_tuple *t = hi_as_tuple(tuple);
	hi_decref(t->items[i]);
	t->items[i] = item;
}

hi_val hi_tuple_pack(size_t n, ...)
{
	hi_val t = hi_tuple_new(n);
	if (hi_iserr(t))
		return t;
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		hi_as_tuple(t)->items[i] = hi_incref(va_arg(ap, hi_val));
	va_end(ap);
	return t;
}

hi_val hi_range_new(int64_t start, int64_t stop, int64_t step)
{
	if (step == 0)
		return hi_raise(hi_ValueError, "range() arg 3 must not be zero");
	hi_range *r = hi_obj_alloc(sizeof *r, HI_RANGE);
	if (!r)
		return nomem();
	r->start = start;
	r->stop = stop;
	r->step = step;
	return hi_objval(r, HI_RANGE);
}

hi_val hi_slice_new(hi_val start, hi_val stop, hi_val step)
{
	hi_slice *s = hi_obj_alloc(sizeof *s, HI_SLICE);
	if (!s)
		return nomem();
	s->start = hi_incref(start);
	s->stop = hi_incref(stop);
	s->step = hi_incref(step);
	return hi_objval(s, HI_SLICE);
}

/* ---- string buffers ---- */

void hi_buf_add(hi_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 32;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			abort();   /* out of memory while building text: nothing sane to do */
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void hi_buf_adds(hi_buf *b, const char *s)
{
	hi_buf_add(b, s, strlen(s));
}

void hi_buf_addf(hi_buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n < sizeof tmp) {
		hi_buf_add(b, tmp, (size_t)n);
	} else {
		hi_buf_add(b, "", 0);
		size_t need = b->len + (size_t)n + 1;
		if (need > b->cap) {
			char *p = realloc(b->p, need);
			if (!p)
				abort();
			b->p = p;
			b->cap = need;
		}
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap2);
		b->len += (size_t)n;
	}
	va_end(ap2);
}

void hi_buf_addval(hi_buf *b, hi_val strobj)
{
	hi_buf_add(b, hi_as_str(strobj)->s, hi_as_str(strobj)->len);
}

hi_val hi_buf_finish(hi_buf *b)
{
	hi_val v = hi_str_new(b->p ? b->p : "", b->len);
	hi_buf_free(b);
	return v;
}

void hi_buf_free(hi_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- names ---- */

const char *hi_kind_name(hi_kind k)
{
	static const char *const names[HI_KIND_COUNT] = {
		"NoneType", "bool", "int", "float", "str", "complex", "list",
		"tuple", "dict", "set", "range", "slice", "ellipsis", "function",
		"builtin_function_or_method", "method", "module", "type",
		"Exception", "cell", "iterator", "dtype", "device",
		"communicator", "DNDarray", "object"
	};
	return k < HI_KIND_COUNT ? names[k] : "<error>";
}

const char *hi_type_name(hi_val v)
{
	if (v.kind == HI_EXC) {
		hi_exc *e = (hi_exc *)v.o;
		if (e->type && e->type->name)
			return e->type->name;
	}
	if (v.kind == HI_ITER)
		return hi_iter_kind_name(v);
	if (v.kind == HI_OBJECT)
		return ((hi_instance *)v.o)->cls;
	return hi_kind_name((hi_kind)v.kind);
}

/* ---- truth, len, conversions ---- */

int hi_truthy(hi_val v)
{
	switch (v.kind) {
	case HI_NONE: return 0;
	case HI_BOOL:
	case HI_INT: return v.i != 0;
	case HI_FLOAT: return v.f != 0.0;
	case HI_STR: return hi_as_str(v)->len != 0;
	case HI_COMPLEX: return ((hi_complex *)v.o)->re != 0.0 || ((hi_complex *)v.o)->im != 0.0;
	case HI_LIST: return hi_as_list(v)->len != 0;
	case HI_TUPLE: return hi_as_tuple(v)->len != 0;
	case HI_DICT:
	case HI_SET: return hi_as_dict(v)->len != 0;
	case HI_RANGE: return hi_range_len((hi_range *)v.o) != 0;
	default:
		if (v.kind < HI_KIND_COUNT && slots[v.kind].truthy)
			return slots[v.kind].truthy(v);
		if (v.kind < HI_KIND_COUNT && slots[v.kind].len) {
			hi_val n = slots[v.kind].len(v);
			if (hi_iserr(n))
				return -1;
			return n.i != 0;
		}
		return 1;
	}
}

int64_t hi_range_len(const hi_range *r)
{
	if (r->step > 0 && r->start < r->stop)
		return (int64_t)(((uint64_t)r->stop - (uint64_t)r->start - 1) / (uint64_t)r->step + 1);
	if (r->step < 0 && r->start > r->stop)
		return (int64_t)(((uint64_t)r->start - (uint64_t)r->stop - 1) / (uint64_t)(-r->step) + 1);
	return 0;
}

/* Number of code points in UTF-8 text (continuation bytes do not count). */
size_t hi_utf8_count(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

hi_val hi_len(hi_val v)
{
	hi_val r;
	switch (v.kind) {
	case HI_STR: r = hi_int((int64_t)hi_utf8_count(hi_as_str(v)->s, hi_as_str(v)->len)); break;
	case HI_LIST: r = hi_int((int64_t)hi_as_list(v)->len); break;
	case HI_TUPLE: r = hi_int((int64_t)hi_as_tuple(v)->len); break;
	case HI_DICT:
	case HI_SET: r = hi_int((int64_t)hi_as_dict(v)->len); break;
	case HI_RANGE: r = hi_int(hi_range_len((hi_range *)v.o)); break;
	default:
		if (v.kind < HI_KIND_COUNT && slots[v.kind].len)
			return slots[v.kind].len(v);
		return hi_raise(hi_TypeError, "object of type '%s' has no len()", hi_type_name(v));
	}
	r.local = v.local;
	return r;
}

int hi_as_int64(hi_val v, int64_t *out, const char *what)
{
	if (v.kind == HI_INT || v.kind == HI_BOOL) {
		*out = v.i;
		return 0;
	}
	if (what)
		hi_raise(hi_TypeError, "%s must be an integer, not '%s'", what, hi_type_name(v));
	else
		hi_raise(hi_TypeError, "'%s' object cannot be interpreted as an integer", hi_type_name(v));
	return -1;
}

int hi_as_double(hi_val v, double *out, const char *what)
{
	switch (v.kind) {
	case HI_INT:
	case HI_BOOL: *out = (double)v.i; return 0;
	case HI_FLOAT: *out = v.f; return 0;
	default:
		if (what)
			hi_raise(hi_TypeError, "%s must be a real number, not '%s'", what, hi_type_name(v));
		else
			hi_raise(hi_TypeError, "must be real number, not %s", hi_type_name(v));
		return -1;
	}
}
