/*
** containers.c — indexing (x[i], x[a:b:c], assignment and deletion) for
** list/tuple/str/dict/range, `in`, conversions from iterables, and the
** stable sort.  The methods of list/tuple/dict/set are in methods.c.
*/
#include <stdlib.h>
#include <string.h>

#include "valimpl.h"

/* ---- slices ---- */

static int slice_part(hi_val v, int64_t *out)
{
	if (v.kind == HI_INT || v.kind == HI_BOOL) {
		*out = v.i;
		return 1;
	}
	if (v.kind == HI_NONE)
		return 0;
	hi_raisei(hi_TypeError, "slice indices must be integers or None or have an __index__ method");
	return -1;
}

static void clamp(int64_t *i, int64_t len, int64_t step)
{
	if (*i < 0) {
		*i += len;
		if (*i < 0)
			*i = step < 0 ? -1 : 0;
	} else if (*i >= len) {
		*i = step < 0 ? len - 1 : len;
	}
}

int64_t hi_slice_indices(hi_val slice, int64_t len, int64_t *start, int64_t *stop, int64_t *step)
{
	hi_slice *s = (hi_slice *)slice.o;
	int rs = slice_part(s->step, step);
	if (rs < 0)
		return -1;
	if (!rs)
		*step = 1;
	if (*step == 0) {
		hi_raisei(hi_ValueError, "slice step cannot be zero");
		return -1;
	}
	int r1 = slice_part(s->start, start);
	int r2 = r1 < 0 ? -1 : slice_part(s->stop, stop);
	if (r1 < 0 || r2 < 0)
		return -1;
	if (!r1)
		*start = *step < 0 ? len - 1 : 0;
	else
		clamp(start, len, *step);
	if (!r2)
		*stop = *step < 0 ? -1 : len;
	else
		clamp(stop, len, *step);
	if (*step < 0)
		return *stop < *start ? (*start - *stop - 1) / (-*step) + 1 : 0;
	return *start < *stop ? (*stop - *start - 1) / *step + 1 : 0;
}

/* ---- get ---- */

static hi_val bad_index(hi_val obj, hi_val key)
{
	return hi_raise(hi_TypeError, "%s indices must be integers or slices, not %s",
	                hi_type_name(obj), hi_type_name(key));
}

static hi_val seq_slice(hi_val obj, const hi_val *items, size_t len, hi_val key)
{
	int64_t start, stop, step;
	int64_t n = hi_slice_indices(key, (int64_t)len, &start, &stop, &step);
	if (n < 0)
		return hi_err();
	hi_val r = obj.kind == HI_LIST ? hi_list_new((size_t)n) : hi_tuple_new((size_t)n);
	if (hi_iserr(r))
		return r;
	hi_val *out = obj.kind == HI_LIST ? hi_as_list(r)->items : hi_as_tuple(r)->items;
	for (int64_t k = 0, i = start; k < n; k++, i += step)
		out[k] = hi_incref(items[i]);
	if (obj.kind == HI_LIST)
		hi_as_list(r)->len = (size_t)n;
	return r;
}

static hi_val seq_getitem(hi_val obj, const hi_val *items, size_t len, hi_val key)
{
	if (key.kind == HI_INT || key.kind == HI_BOOL) {
		int64_t i = hi_norm_index(key.i, (int64_t)len);
		if (i < 0)
			return hi_raise(hi_IndexError, "%s index out of range", hi_type_name(obj));
		return hi_incref(items[i]);
	}
	if (key.kind == HI_SLICE)
		return seq_slice(obj, items, len, key);
	return bad_index(obj, key);
}

static hi_val range_getitem(hi_val obj, hi_val key)
{
	hi_range *r = (hi_range *)obj.o;
	int64_t len = hi_range_len(r);
	if (key.kind == HI_INT || key.kind == HI_BOOL) {
		int64_t i = hi_norm_index(key.i, len);
		if (i < 0)
			return hi_raise(hi_IndexError, "range object index out of range");
		return hi_int(r->start + i * r->step);
	}
	if (key.kind == HI_SLICE) {
		int64_t start, stop, step;
		if (hi_slice_indices(key, len, &start, &stop, &step) < 0)
			return hi_err();
		return hi_range_new(r->start + start * r->step, r->start + stop * r->step, r->step * step);
	}
	return hi_raise(hi_TypeError, "range indices must be integers or slices, not %s",
	                hi_type_name(key));
}

/* KeyError carries the key itself, so str(e) and the traceback show repr(key). */
static hi_val key_error(hi_val key)
{
	hi_val args = hi_tuple_pack(1, key);
	if (hi_iserr(args))
		return args;
	hi_val e = hi_exc_new(hi_KeyError, args);
	hi_decref(args);
	if (hi_iserr(e))
		return e;
	return hi_raise_exc(e);
}

static hi_val dict_getitem(hi_val obj, hi_val key)
{
	hi_val out;
	int r = hi_dict_lookup(obj, key, &out);
	if (r < 0)
		return hi_err();
	if (r == 0)
		return key_error(key);
	return out;
}

hi_val hi_getitem(hi_val obj, hi_val key)
{
	hi_val r;
	switch (obj.kind) {
	case HI_LIST: r = seq_getitem(obj, hi_as_list(obj)->items, hi_as_list(obj)->len, key); break;
	case HI_TUPLE: r = seq_getitem(obj, hi_as_tuple(obj)->items, hi_as_tuple(obj)->len, key); break;
	case HI_STR: r = hi_str_getitem(obj, key); break;
	case HI_DICT: r = dict_getitem(obj, key); break;
	case HI_RANGE: r = range_getitem(obj, key); break;
	default:
		if (obj.kind < HI_KIND_COUNT && hi_slots_of(obj.kind)->getitem) {
			r = hi_slots_of(obj.kind)->getitem(obj, key);
			break;
		}
		if (obj.kind == HI_SET)
			return hi_raise(hi_TypeError, "'set' object is not subscriptable");
		return hi_raise(hi_TypeError, "'%s' object is not subscriptable", hi_type_name(obj));
	}
	if (!hi_iserr(r))
		r.local |= obj.local | key.local;
	return r;
}

/* ---- set ---- */

/* a[start:stop:step] = items (the items already materialised as a list). */
static int list_assign_slice(hi_list *l, hi_val key, hi_val value)
{
	int64_t start, stop, step;
	int64_t n = hi_slice_indices(key, (int64_t)l->len, &start, &stop, &step);
	if (n < 0)
		return -1;
	hi_val src = hi_list_from(value);
	if (hi_iserr(src)) {
		if (hi_exc_matches(hi_exc_pending(), hi_objval(hi_TypeError, HI_TYPE))) {
			hi_exc_clear();
			return hi_raisei(hi_TypeError, step == 1 ? "can only assign an iterable"
			                 : "must assign iterable to extended slice");
		}
		return -1;
	}
	hi_list *s = hi_as_list(src);
	if (step != 1) {
		if ((int64_t)s->len != n) {
			hi_decref(src);
			return hi_raisei(hi_ValueError, "attempt to assign sequence of size %zu to extended slice of size %lld",
			                 s->len, (long long)n);
		}
		for (int64_t k = 0, i = start; k < n; k++, i += step) {
			hi_val old = l->items[i];
			l->items[i] = hi_incref(s->items[k]);
			hi_decref(old);
		}
		hi_decref(src);
		return 0;
	}
	if (stop < start)
		stop = start;
	size_t old_n = (size_t)(stop - start), new_n = s->len;
	if (new_n > old_n && hi_list_reserve(l, l->len + new_n - old_n) < 0) {
		hi_decref(src);
		return -1;
	}
	hi_val *dead = malloc((old_n ? old_n : 1) * sizeof(hi_val));
	if (!dead) {
		hi_decref(src);
		return hi_raisei(hi_MemoryError, "out of memory");
	}
	memcpy(dead, l->items + start, old_n * sizeof(hi_val));
	memmove(l->items + start + new_n, l->items + stop, (l->len - (size_t)stop) * sizeof(hi_val));
	for (size_t k = 0; k < new_n; k++)
		l->items[start + (int64_t)k] = hi_incref(s->items[k]);
	l->len = l->len - old_n + new_n;
	for (size_t k = 0; k < old_n; k++)
		hi_decref(dead[k]);
	free(dead);
	hi_decref(src);
	return 0;
}

static int list_setitem(hi_val obj, hi_val key, hi_val value)
{
	hi_list *l = hi_as_list(obj);
	if (key.kind == HI_INT || key.kind == HI_BOOL) {
		int64_t i = hi_norm_index(key.i, (int64_t)l->len);
		if (i < 0)
			return hi_raisei(hi_IndexError, "list assignment index out of range");
		hi_val old = l->items[i];
		l->items[i] = hi_incref(value);
		hi_decref(old);
		return 0;
	}
	if (key.kind == HI_SLICE)
		return list_assign_slice(l, key, value);
	bad_index(obj, key);
	return -1;
}

int hi_setitem(hi_val obj, hi_val key, hi_val value)
{
	switch (obj.kind) {
	case HI_LIST: return list_setitem(obj, key, value);
	case HI_DICT: return hi_dict_set(obj, key, value);
	default:
		if (obj.kind < HI_KIND_COUNT && hi_slots_of(obj.kind)->setitem)
			return hi_slots_of(obj.kind)->setitem(obj, key, value);
		return hi_raisei(hi_TypeError, "'%s' object does not support item assignment",
		                 hi_type_name(obj));
	}
}

/* ---- delete ---- */

static int list_delitem(hi_val obj, hi_val key)
{
	hi_list *l = hi_as_list(obj);
	if (key.kind == HI_INT || key.kind == HI_BOOL) {
		int64_t i = hi_norm_index(key.i, (int64_t)l->len);
		if (i < 0)
			return hi_raisei(hi_IndexError, "list assignment index out of range");
		hi_val old = l->items[i];
		memmove(l->items + i, l->items + i + 1, (l->len - (size_t)i - 1) * sizeof(hi_val));
		l->len--;
		hi_decref(old);
		return 0;
	}
	if (key.kind != HI_SLICE) {
		bad_index(obj, key);
		return -1;
	}
	int64_t start, stop, step;
	int64_t n = hi_slice_indices(key, (int64_t)l->len, &start, &stop, &step);
	if (n < 0)
		return -1;
	if (step < 0) {   /* same set of positions, walked upwards */
		start = start + (n - 1) * step;
		step = -step;
	}
	hi_val *dead = malloc((n ? (size_t)n : 1) * sizeof(hi_val));
	if (!dead)
		return hi_raisei(hi_MemoryError, "out of memory");
	size_t w = 0, k = 0;
	for (size_t i = 0; i < l->len; i++) {
		if (k < (size_t)n && (int64_t)i == start + (int64_t)k * step) {
			dead[k++] = l->items[i];
			continue;
		}
		l->items[w++] = l->items[i];
	}
	l->len = w;
	for (size_t i = 0; i < k; i++)
		hi_decref(dead[i]);
	free(dead);
	return 0;
}

int hi_delitem(hi_val obj, hi_val key)
{
	switch (obj.kind) {
	case HI_LIST: return list_delitem(obj, key);
	case HI_DICT: {
		int r = hi_dict_del(obj, key);
		if (r == 0) {
			key_error(key);
			return -1;
		}
		return r < 0 ? -1 : 0;
	}
	default:
		if (obj.kind < HI_KIND_COUNT && hi_slots_of(obj.kind)->delitem)
			return hi_slots_of(obj.kind)->delitem(obj, key);
		return hi_raisei(hi_TypeError, "'%s' object doesn't support item deletion",
		                 hi_type_name(obj));
	}
}

/* ---- membership ---- */

static int scan(const hi_val *items, size_t n, hi_val x)
{
	for (size_t i = 0; i < n; i++) {
		if (hi_isobj(x) && items[i].kind == x.kind && items[i].o == x.o)
			return 1;
		int eq = hi_equal(items[i], x);
		if (eq)
			return eq;
	}
	return 0;
}

static int range_contains(hi_range *r, hi_val x)
{
	int64_t v;
	if (x.kind == HI_INT || x.kind == HI_BOOL)
		v = x.i;
	else if (x.kind == HI_FLOAT && x.f == (double)(int64_t)x.f)
		v = (int64_t)x.f;
	else
		return 0;
	if (r->step > 0 ? (v < r->start || v >= r->stop) : (v > r->start || v <= r->stop))
		return 0;
	return (v - r->start) % r->step == 0;
}

static int iter_contains(hi_val container, hi_val x)
{
	hi_val it = hi_iter(container);
	if (hi_iserr(it))
		return -1;
	hi_val item;
	int r, found = 0;
	while (!found && (r = hi_next(it, &item)) == 1) {
		found = hi_equal(item, x);
		hi_decref(item);
		if (found < 0)
			break;
	}
	hi_decref(it);
	if (!found && r < 0)
		return -1;
	return found;
}

int hi_contains(hi_val c, hi_val x)
{
	switch (c.kind) {
	case HI_STR: return hi_str_contains(c, x);
	case HI_LIST: return scan(hi_as_list(c)->items, hi_as_list(c)->len, x);
	case HI_TUPLE: return scan(hi_as_tuple(c)->items, hi_as_tuple(c)->len, x);
	case HI_DICT:
	case HI_SET: return hi_dict_lookup(c, x, NULL);
	case HI_RANGE: return range_contains((hi_range *)c.o, x);
	case HI_ITER: return iter_contains(c, x);
	default:
		if (c.kind < HI_KIND_COUNT && hi_slots_of(c.kind)->contains)
			return hi_slots_of(c.kind)->contains(c, x);
		if (c.kind < HI_KIND_COUNT && hi_slots_of(c.kind)->iter)
			return iter_contains(c, x);
		return hi_raisei(hi_TypeError, "argument of type '%s' is not iterable", hi_type_name(c));
	}
}

/* ---- conversions ---- */

/* Add every item of the iterator it to the new container c (both
** stolen); c, marked local when the source was, or an error. */
static hi_val drain_into(hi_val it, hi_val c, int (*add)(hi_val, hi_val), int local)
{
	hi_val item;
	int rc;
	if (hi_iserr(c)) {
		hi_decref(it);
		return c;
	}
	while ((rc = hi_next(it, &item)) == 1) {
		rc = add(c, item);
		hi_decref(item);
		if (rc < 0)
			break;
	}
	hi_decref(it);
	if (rc < 0) {
		hi_decref(c);
		return hi_err();
	}
	return hi_setlocal(c, local);
}

hi_val hi_list_from(hi_val src)
{
	if (src.kind == HI_LIST || src.kind == HI_TUPLE) {
		const hi_val *items = src.kind == HI_LIST ? hi_as_list(src)->items : hi_as_tuple(src)->items;
		size_t n = src.kind == HI_LIST ? hi_as_list(src)->len : hi_as_tuple(src)->len;
		hi_val r = hi_list_new(n);
		if (hi_iserr(r))
			return r;
		for (size_t i = 0; i < n; i++)
			hi_as_list(r)->items[i] = hi_incref(items[i]);
		hi_as_list(r)->len = n;
		return hi_setlocal(r, src.local);
	}
	hi_val it = hi_iter(src);
	if (hi_iserr(it))
		return it;
	return drain_into(it, hi_list_new(0), hi_list_append, src.local);
}

hi_val hi_tuple_from(hi_val src)
{
	if (src.kind == HI_TUPLE)
		return hi_incref(src);
	hi_val l = hi_list_from(src);
	if (hi_iserr(l))
		return l;
	size_t n = hi_as_list(l)->len;
	hi_val t = hi_tuple_new(n);
	if (!hi_iserr(t)) {
		memcpy(hi_as_tuple(t)->items, hi_as_list(l)->items, n * sizeof(hi_val));
		hi_as_list(l)->len = 0;   /* references moved to the tuple */
		t.local = src.local;
	}
	hi_decref(l);
	return t;
}

hi_val hi_set_from(hi_val src)
{
	if (src.kind == HI_SET || src.kind == HI_DICT) {
		if (src.kind == HI_SET)
			return hi_dict_copy(src);
	}
	hi_val it = hi_iter(src);
	if (hi_iserr(it))
		return it;
	return drain_into(it, hi_set_new(), hi_set_add, src.local);
}

static int add_pair(hi_val dict, hi_val item, int64_t index)
{
	hi_val pair = hi_list_from(item);
	if (hi_iserr(pair)) {
		hi_exc_clear();
		return hi_raisei(hi_TypeError, "cannot convert dictionary update sequence element #%lld to a sequence",
		                 (long long)index);
	}
	int rc;
	if (hi_as_list(pair)->len != 2)
		rc = hi_raisei(hi_ValueError, "dictionary update sequence element #%lld has length %zu; 2 is required",
		               (long long)index, hi_as_list(pair)->len);
	else
		rc = hi_dict_set(dict, hi_as_list(pair)->items[0], hi_as_list(pair)->items[1]);
	hi_decref(pair);
	return rc;
}

int hi_dict_update(hi_val dict, hi_val other)
{
	if (other.kind == HI_DICT) {
		hi_dict *o = hi_as_dict(other);
		for (size_t i = 0; i < o->used; i++) {
			hi_dict_entry *e = &o->entries[i];
			if (e->key.kind != HI_ERROR && hi_dict_set(dict, e->key, e->value) < 0)
				return -1;
		}
		return 0;
	}
	hi_val it = hi_iter(other);
	if (hi_iserr(it))
		return -1;
	hi_val item;
	int rc;
	int64_t index = 0;
	while ((rc = hi_next(it, &item)) == 1) {
		rc = add_pair(dict, item, index++);
		hi_decref(item);
		if (rc < 0)
			break;
	}
	hi_decref(it);
	return rc < 0 ? -1 : 0;
}

hi_val hi_dict_from(hi_val src)
{
	hi_val d = hi_dict_new();
	if (hi_iserr(d))
		return d;
	if (hi_dict_update(d, src) < 0) {
		hi_decref(d);
		return hi_err();
	}
	return hi_setlocal(d, src.local);
}

/* ---- sort: a stable merge sort over (key, item) pairs ---- */

typedef struct { hi_val key, item; } sort_pair;

/* "a goes before b" for the requested direction; -1 on error. */
static int before(const sort_pair *a, const sort_pair *b, int reverse)
{
	return reverse ? hi_less(b->key, a->key) : hi_less(a->key, b->key);
}

static int merge_sort(sort_pair *v, sort_pair *tmp, size_t n, int reverse)
{
	if (n < 2)
		return 0;
	if (n <= 8) {   /* insertion sort for short runs */
		for (size_t i = 1; i < n; i++) {
			sort_pair x = v[i];
			size_t j = i;
			while (j > 0) {
				int lt = before(&x, &v[j - 1], reverse);
				if (lt < 0)
					return -1;
				if (!lt)
					break;
				v[j] = v[j - 1];
				j--;
			}
			v[j] = x;
		}
		return 0;
	}
	size_t h = n / 2;
	if (merge_sort(v, tmp, h, reverse) < 0 || merge_sort(v + h, tmp, n - h, reverse) < 0)
		return -1;
	memcpy(tmp, v, h * sizeof *v);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n) {
		int lt = before(&v[j], &tmp[i], reverse);
		if (lt < 0) {
			while (i < h)
				v[k++] = tmp[i++];   /* keep every item in v */
			return -1;
		}
		v[k++] = lt ? v[j++] : tmp[i++];
	}
	while (i < h)
		v[k++] = tmp[i++];
	return 0;
}

int hi_list_sort(hi_val list, hi_val key, int reverse)
{
	hi_list *l = hi_as_list(list);
	size_t n = l->len;
	sort_pair *v = malloc((n ? n : 1) * sizeof *v), *tmp = malloc((n ? n : 1) * sizeof *v);
	if (!v || !tmp) {
		free(v);
		free(tmp);
		return hi_raisei(hi_MemoryError, "out of memory");
	}
	int use_key = key.kind != HI_NONE && !hi_isabsent(key);
	size_t nk = 0;
	int rc = 0;
	for (; nk < n; nk++) {
		v[nk].item = l->items[nk];
		v[nk].key = use_key ? hi_call(key, 1, &l->items[nk], 0, NULL, NULL) : l->items[nk];
		if (hi_iserr(v[nk].key)) {
			rc = -1;
			break;
		}
	}
	if (rc == 0)
		rc = merge_sort(v, tmp, n, reverse);
	if (rc == 0)
		for (size_t i = 0; i < n; i++)
			l->items[i] = v[i].item;
	if (use_key)
		for (size_t i = 0; i < nk; i++)
			hi_decref(v[i].key);
	free(v);
	free(tmp);
	return rc;
}
