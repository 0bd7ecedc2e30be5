/*
** iter.c — iterators (kind HI_ITER): over list/tuple/str/dict/set/range,
** generic len+getitem sequences (arrays), and the lazy enumerate, zip,
** reversed, map and filter objects; plus iterators driven by C callbacks.
*/
#include <stdlib.h>
#include <string.h>

#include "valimpl.h"

enum {
	IT_LIST, IT_TUPLE, IT_STR, IT_DICT, IT_SET, IT_RANGE, IT_GETITEM,
	IT_ENUMERATE, IT_ZIP, IT_REVERSED, IT_MAP, IT_FILTER, IT_C
};

typedef struct hi_iterobj {
	hi_obj h;
	int type;
	int done;
	hi_val src;            /* the container, or the inner iterator */
	int64_t pos;           /* index / byte offset / entry index */
	int64_t left;          /* range: items left; dict: size at start */
	int64_t cur, step;     /* range: next value and step; enumerate: counter */
	hi_val fn;             /* map / filter */
	int n;                 /* zip / map: number of inner iterators */
	hi_val *its;
	hi_iter_next_fn cnext;
	void (*cfree)(void *);
	void *state;
} hi_iterobj;

static hi_iterobj *it_new(int type, hi_val src)
{
	hi_iterobj *it = hi_obj_alloc(sizeof *it, HI_ITER);
	if (!it) {
		hi_raise(hi_MemoryError, "out of memory");
		return NULL;
	}
	it->type = type;
	it->src = hi_incref(src);
	it->fn = hi_none();
	return it;
}

static hi_val it_val(hi_iterobj *it, int local)
{
	hi_val v = hi_objval(it, HI_ITER);
	v.local = (uint8_t)local;
	return v;
}

void hi_iter_release(hi_obj *o)
{
	hi_iterobj *it = (hi_iterobj *)o;
	hi_decref(it->src);
	hi_decref(it->fn);
	for (int i = 0; i < it->n; i++)
		hi_decref(it->its[i]);
	free(it->its);
	if (it->cfree)
		it->cfree(it->state);
}

const char *hi_iter_kind_name(hi_val v)
{
	static const char *const names[] = {
		"list_iterator", "tuple_iterator", "str_iterator", "dict_keyiterator",
		"set_iterator", "range_iterator", "iterator", "enumerate", "zip",
		"reversed", "map", "filter", "iterator"
	};
	return names[((hi_iterobj *)v.o)->type];
}

/* ---- construction ---- */

static hi_val range_iter(hi_range *r, int reverse, int local)
{
	hi_iterobj *it = it_new(IT_RANGE, hi_none());
	if (!it)
		return hi_err();
	it->left = hi_range_len(r);
	it->step = reverse ? -r->step : r->step;
	it->cur = reverse ? r->start + (it->left - 1) * r->step : r->start;
	return it_val(it, local);
}

hi_val hi_seq_iter_new(hi_val seq)
{
	hi_iterobj *it = it_new(IT_GETITEM, seq);
	if (!it)
		return hi_err();
	hi_val n = hi_len(seq);
	if (hi_iserr(n)) {
		hi_decref(hi_objval(it, HI_ITER));
		return n;
	}
	it->left = n.i;
	return it_val(it, seq.local);
}

hi_val hi_iter(hi_val v)
{
	int type;
	switch (v.kind) {
	case HI_ITER: return hi_incref(v);
	case HI_LIST: type = IT_LIST; break;
	case HI_TUPLE: type = IT_TUPLE; break;
	case HI_STR: type = IT_STR; break;
	case HI_DICT: type = IT_DICT; break;
	case HI_SET: type = IT_SET; break;
	case HI_RANGE: return range_iter((hi_range *)v.o, 0, v.local);
	default:
		if (v.kind < HI_KIND_COUNT && hi_slots_of(v.kind)->iter) {
			hi_val r = hi_slots_of(v.kind)->iter(v);
			return hi_iserr(r) ? r : hi_setlocal(r, v.local);
		}
		return hi_raise(hi_TypeError, "'%s' object is not iterable", hi_type_name(v));
	}
	hi_iterobj *it = it_new(type, v);
	if (!it)
		return hi_err();
	if (type == IT_DICT || type == IT_SET)
		it->left = (int64_t)hi_as_dict(v)->len;
	return it_val(it, v.local);
}

hi_val hi_enumerate_new(hi_val iterable, int64_t start)
{
	hi_val inner = hi_iter(iterable);
	if (hi_iserr(inner))
		return inner;
	hi_iterobj *it = it_new(IT_ENUMERATE, inner);
	hi_decref(inner);
	if (!it)
		return hi_err();
	it->cur = start;
	return it_val(it, iterable.local);
}

/* Shared by zip and map: n inner iterators. */
static hi_val multi_new(int type, hi_val fn, int n, const hi_val *iterables)
{
	hi_iterobj *it = it_new(type, hi_none());
	if (!it)
		return hi_err();
	it->fn = hi_incref(fn);
	hi_val v = it_val(it, fn.local);
	it->its = calloc(n ? (size_t)n : 1, sizeof(hi_val));
	if (!it->its) {
		hi_decref(v);
		return hi_raise(hi_MemoryError, "out of memory");
	}
	for (int i = 0; i < n; i++) {
		hi_val inner = hi_iter(iterables[i]);
		if (hi_iserr(inner)) {
			hi_decref(v);
			return inner;
		}
		it->its[it->n++] = inner;
		v.local |= iterables[i].local;
	}
	return v;
}

hi_val hi_zip_new(int n, const hi_val *iterables)
{
	return multi_new(IT_ZIP, hi_none(), n, iterables);
}

hi_val hi_map_new(hi_val fn, int n, const hi_val *iterables)
{
	return multi_new(IT_MAP, fn, n, iterables);
}

hi_val hi_filter_new(hi_val fn, hi_val iterable)
{
	hi_val inner = hi_iter(iterable);
	if (hi_iserr(inner))
		return inner;
	hi_iterobj *it = it_new(IT_FILTER, inner);
	hi_decref(inner);
	if (!it)
		return hi_err();
	it->fn = hi_incref(fn);
	return it_val(it, iterable.local | fn.local);
}

hi_val hi_reversed_new(hi_val seq)
{
	if (seq.kind == HI_RANGE)
		return range_iter((hi_range *)seq.o, 1, seq.local);
	int has_getitem = seq.kind < HI_KIND_COUNT && hi_slots_of(seq.kind)->getitem
	                  && hi_slots_of(seq.kind)->len;
	if (seq.kind != HI_LIST && seq.kind != HI_TUPLE && seq.kind != HI_STR &&
	    seq.kind != HI_DICT && !has_getitem)
		return hi_raise(hi_TypeError, "'%s' object is not reversible", hi_type_name(seq));
	hi_iterobj *it = it_new(IT_REVERSED, seq);
	if (!it)
		return hi_err();
	hi_val v = it_val(it, seq.local);
	if (seq.kind == HI_DICT) {
		it->pos = (int64_t)hi_as_dict(seq)->used - 1;
	} else if (seq.kind == HI_STR) {
		it->pos = (int64_t)hi_as_str(seq)->len;   /* byte offset just past the next char */
	} else {
		hi_val n = hi_len(seq);
		if (hi_iserr(n)) {
			hi_decref(v);
			return n;
		}
		it->pos = n.i - 1;
	}
	return v;
}

hi_val hi_iter_from_c(hi_iter_next_fn next, void (*free_state)(void *), void *state)
{
	hi_iterobj *it = it_new(IT_C, hi_none());
	if (!it) {
		if (free_state)
			free_state(state);
		return hi_err();
	}
	it->cnext = next;
	it->cfree = free_state;
	it->state = state;
	return it_val(it, 0);
}

/* ---- stepping ---- */

static int dict_next(hi_iterobj *it, hi_val *out)
{
	hi_dict *d = hi_as_dict(it->src);
	if ((int64_t)d->len != it->left) {
		it->done = 1;
		return hi_raisei(hi_RuntimeError, it->type == IT_SET ? "Set changed size during iteration"
		                 : "dictionary changed size during iteration");
	}
	while ((size_t)it->pos < d->used) {
		hi_dict_entry *e = &d->entries[it->pos++];
		if (e->key.kind != HI_ERROR) {
			*out = hi_incref(e->key);
			return 1;
		}
	}
	return 0;
}

static int reversed_next(hi_iterobj *it, hi_val *out)
{
	hi_val s = it->src;
	if (s.kind == HI_STR) {
		if (it->pos <= 0)
			return 0;
		int64_t b = it->pos - 1;
		while (b > 0 && ((unsigned char)hi_as_str(s)->s[b] & 0xC0) == 0x80)
			b--;
		*out = hi_str_new(hi_as_str(s)->s + b, (size_t)(it->pos - b));
		it->pos = b;
		return hi_iserr(*out) ? -1 : 1;
	}
	if (s.kind == HI_DICT) {
		hi_dict *d = hi_as_dict(s);
		while (it->pos >= 0 && (size_t)it->pos < d->used) {
			hi_dict_entry *e = &d->entries[it->pos--];
			if (e->key.kind != HI_ERROR) {
				*out = hi_incref(e->key);
				return 1;
			}
		}
		return 0;
	}
	if (it->pos < 0)
		return 0;
	if (s.kind == HI_LIST) {
		if ((size_t)it->pos >= hi_as_list(s)->len)
			return 0;
		*out = hi_incref(hi_as_list(s)->items[it->pos--]);
		return 1;
	}
	if (s.kind == HI_TUPLE) {
		*out = hi_incref(hi_as_tuple(s)->items[it->pos--]);
		return 1;
	}
	*out = hi_getitem(s, hi_int(it->pos--));
	return hi_iserr(*out) ? -1 : 1;
}

/* Fill args[0..n) from the inner iterators; 0 when any is exhausted. */
static int gather(hi_iterobj *it, hi_val *args)
{
	for (int i = 0; i < it->n; i++) {
		int r = hi_next(it->its[i], &args[i]);
		if (r <= 0) {
			for (int k = 0; k < i; k++)
				hi_decref(args[k]);
			return r;
		}
	}
	return it->n > 0;
}

static int multi_next(hi_iterobj *it, hi_val *out)
{
	hi_val stack[8], *args = it->n <= 8 ? stack : malloc((size_t)it->n * sizeof(hi_val));
	if (!args)
		return hi_raisei(hi_MemoryError, "out of memory");
	int r = gather(it, args);
	if (r == 1) {
		if (it->type == IT_MAP) {
			*out = hi_call(it->fn, it->n, args, 0, NULL, NULL);
			for (int i = 0; i < it->n; i++)
				hi_decref(args[i]);
			r = hi_iserr(*out) ? -1 : 1;
		} else {
			*out = hi_tuple_new((size_t)it->n);
			if (hi_iserr(*out)) {
				for (int i = 0; i < it->n; i++)
					hi_decref(args[i]);
				r = -1;
			} else {
				memcpy(hi_as_tuple(*out)->items, args, (size_t)it->n * sizeof(hi_val));
			}
		}
	}
	if (args != stack)
		free(args);
	return r;
}

static int filter_next(hi_iterobj *it, hi_val *out)
{
	hi_val item;
	int r;
	while ((r = hi_next(it->src, &item)) == 1) {
		int keep;
		if (it->fn.kind == HI_NONE) {
			keep = hi_truthy(item);
		} else {
			hi_val t = hi_call(it->fn, 1, &item, 0, NULL, NULL);
			keep = hi_iserr(t) ? -1 : hi_truthy(t);
			hi_decref(t);
		}
		if (keep < 0) {
			hi_decref(item);
			return -1;
		}
		if (keep) {
			*out = item;
			return 1;
		}
		hi_decref(item);
	}
	return r;
}

static int step(hi_iterobj *it, hi_val *out)
{
	switch (it->type) {
	case IT_LIST:
		if ((size_t)it->pos >= hi_as_list(it->src)->len)
			return 0;
		*out = hi_incref(hi_as_list(it->src)->items[it->pos++]);
		return 1;
	case IT_TUPLE:
		if ((size_t)it->pos >= hi_as_tuple(it->src)->len)
			return 0;
		*out = hi_incref(hi_as_tuple(it->src)->items[it->pos++]);
		return 1;
	case IT_STR: {
		hi_str *s = hi_as_str(it->src);
		if ((size_t)it->pos >= s->len)
			return 0;
		size_t b = (size_t)it->pos, e = b + 1;
		while (e < s->len && ((unsigned char)s->s[e] & 0xC0) == 0x80)
			e++;
		it->pos = (int64_t)e;
		*out = hi_str_new(s->s + b, e - b);
		return hi_iserr(*out) ? -1 : 1;
	}
	case IT_DICT:
	case IT_SET: return dict_next(it, out);
	case IT_RANGE:
		if (it->left <= 0)
			return 0;
		it->left--;
		*out = hi_int(it->cur);
		it->cur += it->left ? it->step : 0;
		return 1;
	case IT_GETITEM:
		if (it->pos >= it->left)
			return 0;
		*out = hi_getitem(it->src, hi_int(it->pos++));
		return hi_iserr(*out) ? -1 : 1;
	case IT_ENUMERATE: {
		hi_val item;
		int r = hi_next(it->src, &item);
		if (r <= 0)
			return r;
		*out = hi_tuple_new(2);
		if (hi_iserr(*out)) {
			hi_decref(item);
			return -1;
		}
		hi_as_tuple(*out)->items[0] = hi_int(it->cur++);
		hi_as_tuple(*out)->items[1] = item;
		return 1;
	}
	case IT_ZIP:
	case IT_MAP: return multi_next(it, out);
	case IT_FILTER: return filter_next(it, out);
	case IT_REVERSED: return reversed_next(it, out);
	default: return it->cnext(it->state, out);
	}
}

int hi_next(hi_val iter, hi_val *out)
{
	if (iter.kind != HI_ITER)
		return hi_raisei(hi_TypeError, "'%s' object is not an iterator", hi_type_name(iter));
	hi_iterobj *it = (hi_iterobj *)iter.o;
	if (it->done)
		return 0;
	int r = step(it, out);
	if (r == 1)
		out->local |= iter.local;
	else
		it->done = 1;   /* exhausted iterators stay exhausted, as in Python */
	return r;
}
