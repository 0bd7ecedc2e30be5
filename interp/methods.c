/*
** methods.c — the methods of list, tuple, dict and set, registered with
** the builtin registry by hi_init_values() (which also registers str's).
** Each C function receives the bound arguments, args[0] being self.
*/
#include <stdlib.h>
#include <string.h>

#include "valimpl.h"

static hi_val none(void) { return hi_none(); }

/* Optional index argument: the default when absent. */
static int opt_index(hi_val v, int64_t dflt, int64_t *out)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = dflt;
		return 0;
	}
	return hi_as_int64(v, out, NULL);
}

/* ---- list ---- */

static hi_val list_append(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_list_append(a[0], a[1]) < 0 ? hi_err() : none();
}

static hi_val list_extend(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val r = hi_inplace_binop(HG_OP_ADD, a[0], a[1]);
	if (hi_iserr(r))
		return r;
	hi_decref(r);
	return none();
}

static hi_val list_insert(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_list *l = hi_as_list(a[0]);
	int64_t i;
	if (hi_as_int64(a[1], &i, NULL) < 0)
		return hi_err();
	int64_t n = (int64_t)l->len;
	if (i < 0)
		i = i + n < 0 ? 0 : i + n;
	if (i > n)
		i = n;
	if (hi_list_reserve(l, l->len + 1) < 0)
		return hi_err();
	memmove(l->items + i + 1, l->items + i, (size_t)(n - i) * sizeof(hi_val));
	l->items[i] = hi_incref(a[2]);
	l->len++;
	return none();
}

static hi_val list_pop(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_list *l = hi_as_list(a[0]);
	int64_t i;
	if (opt_index(a[1], -1, &i) < 0)
		return hi_err();
	if (l->len == 0)
		return hi_raise(hi_IndexError, "pop from empty list");
	i = hi_norm_index(i, (int64_t)l->len);
	if (i < 0)
		return hi_raise(hi_IndexError, "pop index out of range");
	hi_val r = l->items[i];
	memmove(l->items + i, l->items + i + 1, (l->len - (size_t)i - 1) * sizeof(hi_val));
	l->len--;
	return r;
}

/* Position of x in items[start:stop], -1 if absent, -2 on error. */
static int64_t find_item(const hi_val *items, size_t len, hi_val x, hi_val vstart, hi_val vstop)
{
	int64_t start, stop, n = (int64_t)len;
	if (opt_index(vstart, 0, &start) < 0 || opt_index(vstop, n, &stop) < 0)
		return -2;
	if (start < 0 && (start += n) < 0)
		start = 0;
	if (stop < 0 && (stop += n) < 0)
		stop = 0;
	if (stop > n)
		stop = n;
	for (int64_t i = start; i < stop; i++) {
		int eq = hi_equal(items[i], x);
		if (eq < 0)
			return -2;
		if (eq)
			return i;
	}
	return -1;
}

static hi_val list_remove(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_list *l = hi_as_list(a[0]);
	int64_t i = find_item(l->items, l->len, a[1], hi_absent(), hi_absent());
	if (i == -2)
		return hi_err();
	if (i < 0)
		return hi_raise(hi_ValueError, "list.remove(x): x not in list");
	hi_val old = l->items[i];
	memmove(l->items + i, l->items + i + 1, (l->len - (size_t)i - 1) * sizeof(hi_val));
	l->len--;
	hi_decref(old);
	return none();
}

static hi_val not_in(hi_val x, const char *what)
{
	hi_val r = hi_repr(x);
	if (hi_iserr(r))
		return r;
	hi_raise(hi_ValueError, "%s is not in %s", hi_as_str(r)->s, what);
	hi_decref(r);
	return hi_err();
}

static hi_val list_index(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_list *l = hi_as_list(a[0]);
	int64_t i = find_item(l->items, l->len, a[1], a[2], a[3]);
	if (i == -2)
		return hi_err();
	return i < 0 ? not_in(a[1], "list") : hi_int(i);
}

static hi_val count_items(const hi_val *items, size_t n, hi_val x)
{
	int64_t c = 0;
	for (size_t i = 0; i < n; i++) {
		int eq = hi_equal(items[i], x);
		if (eq < 0)
			return hi_err();
		c += eq;
	}
	return hi_int(c);
}

static hi_val list_count(hi_val *a, void *ctx)
{
	(void)ctx;
	return count_items(hi_as_list(a[0])->items, hi_as_list(a[0])->len, a[1]);
}

static hi_val list_reverse(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_list *l = hi_as_list(a[0]);
	for (size_t i = 0, j = l->len; i + 1 < j; i++, j--) {
		hi_val t = l->items[i];
		l->items[i] = l->items[j - 1];
		l->items[j - 1] = t;
	}
	return none();
}

static hi_val list_sort(hi_val *a, void *ctx)
{
	(void)ctx;
	int rev = hi_truthy(a[2]);
	if (rev < 0 || hi_list_sort(a[0], a[1], rev) < 0)
		return hi_err();
	return none();
}

static hi_val list_clear(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_list *l = hi_as_list(a[0]);
	size_t n = l->len;
	hi_val *items = l->items;
	l->items = NULL;
	l->len = l->cap = 0;
	for (size_t i = 0; i < n; i++)
		hi_decref(items[i]);
	free(items);
	return none();
}

static hi_val list_copy(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_list_from(a[0]);
}

static const hi_builtin_def list_methods[] = {
	{ "append(self, object)", list_append, "Append object to the end of the list." },
	{ "extend(self, iterable)", list_extend, "Extend list by appending elements from the iterable." },
	{ "insert(self, index, object)", list_insert, "Insert object before index." },
	{ "pop(self, index=-1)", list_pop, "Remove and return item at index (default last).\n\nRaises IndexError if list is empty or index is out of range." },
	{ "remove(self, value)", list_remove, "Remove first occurrence of value.\n\nRaises ValueError if the value is not present." },
	{ "index(self, value, start=?, stop=?)", list_index, "Return first index of value.\n\nRaises ValueError if the value is not present." },
	{ "count(self, value)", list_count, "Return number of occurrences of value." },
	{ "reverse(self)", list_reverse, "Reverse *IN PLACE*." },
	{ "sort(self, *, key=None, reverse=False)", list_sort, "Sort the list in ascending order and return None.\n\nThe sort is stable. key, if given, is called once on each item and the items\nare ordered by the results; reverse=True sorts in descending order." },
	{ "clear(self)", list_clear, "Remove all items from list." },
	{ "copy(self)", list_copy, "Return a shallow copy of the list." },
	{ 0 }
};

/* ---- tuple ---- */

static hi_val tuple_index(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_tuple *t = hi_as_tuple(a[0]);
	int64_t i = find_item(t->items, t->len, a[1], a[2], a[3]);
	if (i == -2)
		return hi_err();
	return i < 0 ? hi_raise(hi_ValueError, "tuple.index(x): x not in tuple") : hi_int(i);
}

static hi_val tuple_count(hi_val *a, void *ctx)
{
	(void)ctx;
	return count_items(hi_as_tuple(a[0])->items, hi_as_tuple(a[0])->len, a[1]);
}

static const hi_builtin_def tuple_methods[] = {
	{ "index(self, value, start=?, stop=?)", tuple_index, "Return first index of value.\n\nRaises ValueError if the value is not present." },
	{ "count(self, value)", tuple_count, "Return number of occurrences of value." },
	{ 0 }
};

/* ---- dict ---- */

/* keys()/values()/items() return lists (ha has no view objects). */
static hi_val dict_list(hi_val d, int what)
{
	hi_dict *x = hi_as_dict(d);
	hi_val r = hi_list_new(x->len);
	if (hi_iserr(r))
		return r;
	for (size_t i = 0; i < x->used; i++) {
		hi_dict_entry *e = &x->entries[i];
		if (e->key.kind == HI_ERROR)
			continue;
		hi_val item = what == 0 ? hi_incref(e->key) : what == 1 ? hi_incref(e->value)
		            : hi_tuple_pack(2, e->key, e->value);
		if (hi_iserr(item)) {
			hi_decref(r);
			return item;
		}
		hi_as_list(r)->items[hi_as_list(r)->len++] = item;
	}
	return hi_setlocal(r, d.local);
}

static hi_val dict_view(hi_val d, int which)
{
	hi_val l = dict_list(d, which);
	if (!hi_iserr(l))
		hi_as_list(l)->view = which + 1;
	return l;
}
static hi_val dict_keys(hi_val *a, void *ctx) { (void)ctx; return dict_view(a[0], 0); }
static hi_val dict_values(hi_val *a, void *ctx) { (void)ctx; return dict_view(a[0], 1); }
static hi_val dict_items(hi_val *a, void *ctx) { (void)ctx; return dict_view(a[0], 2); }

static hi_val dict_get(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val out;
	int r = hi_dict_lookup(a[0], a[1], &out);
	if (r < 0)
		return hi_err();
	return r ? out : hi_incref(a[2]);
}

static hi_val dict_pop(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val out;
	int r = hi_dict_lookup(a[0], a[1], &out);
	if (r < 0)
		return hi_err();
	if (r == 0) {
		if (!hi_isabsent(a[2]))
			return hi_incref(a[2]);
		return hi_getitem(a[0], a[1]);   /* raises KeyError(key) */
	}
	hi_dict_del(a[0], a[1]);
	return out;
}

static hi_val dict_popitem(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_dict *d = hi_as_dict(a[0]);
	for (size_t i = d->used; i-- > 0;) {
		hi_dict_entry *e = &d->entries[i];
		if (e->key.kind == HI_ERROR)
			continue;
		hi_val r = hi_tuple_pack(2, e->key, e->value);
		if (!hi_iserr(r))
			hi_dict_del(a[0], r.kind == HI_TUPLE ? hi_as_tuple(r)->items[0] : e->key);
		return r;
	}
	return hi_raise(hi_KeyError, "popitem(): dictionary is empty");
}

static hi_val dict_setdefault(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val out;
	int r = hi_dict_lookup(a[0], a[1], &out);
	if (r < 0)
		return hi_err();
	if (r)
		return out;
	if (hi_dict_set(a[0], a[1], a[2]) < 0)
		return hi_err();
	return hi_incref(a[2]);
}

static hi_val dict_update(hi_val *a, void *ctx)
{
	(void)ctx;
	if (!hi_isabsent(a[1]) && hi_dict_update(a[0], a[1]) < 0)
		return hi_err();
	if (a[2].kind == HI_DICT && hi_dict_update(a[0], a[2]) < 0)
		return hi_err();
	return none();
}

static hi_val dict_clear(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_dict *d = hi_as_dict(a[0]);
	hi_dict old = *d;
	d->len = d->used = d->cap = d->nindex = 0;
	d->entries = NULL;
	d->index = NULL;
	d->version = old.version + 1;
	hi_dict_release(&old);
	return none();
}

static hi_val dict_copy(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_dict_copy(a[0]);
}

static const hi_builtin_def dict_methods[] = {
	{ "keys(self)", dict_keys, "Return a list of the dictionary's keys, in insertion order." },
	{ "values(self)", dict_values, "Return a list of the dictionary's values, in insertion order." },
	{ "items(self)", dict_items, "Return a list of the dictionary's (key, value) pairs, in insertion order." },
	{ "get(self, key, default=None)", dict_get, "Return the value for key if key is in the dictionary, else default." },
	{ "pop(self, key, default=?)", dict_pop, "D.pop(k[,d]) -> v, remove specified key and return the corresponding value.\n\nIf the key is not found, return the default if given; otherwise,\nraise a KeyError." },
	{ "popitem(self)", dict_popitem, "Remove and return a (key, value) pair as a 2-tuple (last inserted first).\n\nRaises KeyError if the dict is empty." },
	{ "setdefault(self, key, default=None)", dict_setdefault, "Insert key with a value of default if key is not in the dictionary.\n\nReturn the value for key if key is in the dictionary, else default." },
	{ "update(self, other=?, **kwargs)", dict_update, "Update the dictionary from a dict or an iterable of key/value pairs, then from the keyword arguments." },
	{ "clear(self)", dict_clear, "Remove all items from the dictionary." },
	{ "copy(self)", dict_copy, "Return a shallow copy of the dictionary." },
	{ 0 }
};

/* ---- set ---- */

static hi_val set_add(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_set_add(a[0], a[1]) < 0 ? hi_err() : none();
}

static hi_val set_discard(hi_val *a, void *ctx)
{
	(void)ctx;
	return hi_set_discard(a[0], a[1]) < 0 ? hi_err() : none();
}

static hi_val set_remove(hi_val *a, void *ctx)
{
	(void)ctx;
	int r = hi_set_discard(a[0], a[1]);
	if (r < 0)
		return hi_err();
	if (r == 0) {
		hi_val args = hi_tuple_pack(1, a[1]);
		if (hi_iserr(args))
			return args;
		hi_val e = hi_exc_new(hi_KeyError, args);
		hi_decref(args);
		return hi_iserr(e) ? e : hi_raise_exc(e);
	}
	return none();
}

static hi_val set_pop(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_dict *d = hi_as_dict(a[0]);
	for (size_t i = 0; i < d->used; i++) {
		if (d->entries[i].key.kind == HI_ERROR)
			continue;
		hi_val k = hi_incref(d->entries[i].key);
		hi_set_discard(a[0], k);
		return k;
	}
	return hi_raise(hi_KeyError, "pop from an empty set");
}

/* Fold every argument of *others into a copy of self with a set operator. */
static hi_val set_fold(hi_val self, hi_val others, int op)
{
	hi_val acc = hi_dict_copy(self);
	hi_tuple *t = hi_as_tuple(others);
	for (size_t i = 0; i < t->len && !hi_iserr(acc); i++) {
		hi_val s = hi_set_from(t->items[i]);
		if (hi_iserr(s)) {
			hi_decref(acc);
			return s;
		}
		hi_val r = hi_binop(op, acc, s);
		hi_decref(s);
		hi_decref(acc);
		acc = r;
	}
	return acc;
}

static hi_val set_union(hi_val *a, void *ctx) { (void)ctx; return set_fold(a[0], a[1], HG_OP_OR); }
static hi_val set_intersection(hi_val *a, void *ctx) { (void)ctx; return set_fold(a[0], a[1], HG_OP_AND); }
static hi_val set_difference(hi_val *a, void *ctx) { (void)ctx; return set_fold(a[0], a[1], HG_OP_SUB); }

static hi_val set_symdiff(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val s = hi_set_from(a[1]);
	if (hi_iserr(s))
		return s;
	hi_val r = hi_binop(HG_OP_XOR, a[0], s);
	hi_decref(s);
	return r;
}

static hi_val set_update(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_tuple *t = hi_as_tuple(a[1]);
	for (size_t i = 0; i < t->len; i++) {
		hi_val s = hi_set_from(t->items[i]);
		if (hi_iserr(s))
			return s;
		hi_dict *d = hi_as_dict(s);
		for (size_t k = 0; k < d->used; k++)
			if (d->entries[k].key.kind != HI_ERROR && hi_set_add(a[0], d->entries[k].key) < 0) {
				hi_decref(s);
				return hi_err();
			}
		hi_decref(s);
	}
	return none();
}

/* issubset / issuperset / isdisjoint */
static hi_val set_relation(hi_val self, hi_val other, int which)
{
	hi_val s = hi_set_from(other);
	if (hi_iserr(s))
		return s;
	hi_val r;
	if (which == 2) {
		hi_val inter = hi_binop(HG_OP_AND, self, s);
		r = hi_iserr(inter) ? inter : hi_bool(hi_as_dict(inter)->len == 0);
		hi_decref(inter);
	} else {
		r = hi_compare(which == 0 ? HG_OP_LE : HG_OP_GE, self, s);
	}
	hi_decref(s);
	return r;
}

static hi_val set_issubset(hi_val *a, void *ctx) { (void)ctx; return set_relation(a[0], a[1], 0); }
static hi_val set_issuperset(hi_val *a, void *ctx) { (void)ctx; return set_relation(a[0], a[1], 1); }
static hi_val set_isdisjoint(hi_val *a, void *ctx) { (void)ctx; return set_relation(a[0], a[1], 2); }

static const hi_builtin_def set_methods[] = {
	{ "add(self, elem)", set_add, "Add an element to a set.\n\nThis has no effect if the element is already present." },
	{ "discard(self, elem)", set_discard, "Remove an element from a set if it is a member.\n\nUnlike set.remove(), the discard() method does not raise\nan exception when an element is missing from the set." },
	{ "remove(self, elem)", set_remove, "Remove an element from a set; it must be a member.\n\nIf the element is not a member, raise a KeyError." },
	{ "pop(self)", set_pop, "Remove and return an arbitrary set element.\nRaises KeyError if the set is empty." },
	{ "union(self, *others)", set_union, "Return the union of sets as a new set." },
	{ "intersection(self, *others)", set_intersection, "Return the intersection of sets as a new set." },
	{ "difference(self, *others)", set_difference, "Return the difference of two or more sets as a new set." },
	{ "symmetric_difference(self, other)", set_symdiff, "Return the symmetric difference of two sets as a new set." },
	{ "update(self, *others)", set_update, "Update a set with the union of itself and others." },
	{ "issubset(self, other)", set_issubset, "Report whether another set contains this set." },
	{ "issuperset(self, other)", set_issuperset, "Report whether this set contains another set." },
	{ "isdisjoint(self, other)", set_isdisjoint, "Return True if two sets have a null intersection." },
	{ "clear(self)", dict_clear, "Remove all elements from this set." },
	{ "copy(self)", dict_copy, "Return a shallow copy of a set." },
	{ 0 }
};

void hi_init_container_methods(void)
{
	hi_register_methods(HI_LIST, list_methods);
	hi_register_methods(HI_TUPLE, tuple_methods);
	hi_register_methods(HI_DICT, dict_methods);
	hi_register_methods(HI_SET, set_methods);
}

/* complex: z.real, z.imag, z.conjugate() */
static hi_val complex_getattr(hi_val self, const char *name)
{
	hi_complex *c = (hi_complex *)self.o;
	if (strcmp(name, "real") == 0)
		return hi_float(c->re);
	if (strcmp(name, "imag") == 0)
		return hi_float(c->im);
	return hi_absent();
}

static hi_val complex_conjugate(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_complex *c = (hi_complex *)a[0].o;
	return hi_complex_new(c->re, -c->im);
}

/* numbers: x.real / x.imag / x.conjugate() as Python's int and float have */
static hi_val number_getattr(hi_val self, const char *name)
{
	if (strcmp(name, "real") == 0)
		return self.kind == HI_BOOL ? hi_int(self.i) : self;
	if (strcmp(name, "imag") == 0)
		return self.kind == HI_FLOAT ? hi_float(0.0) : hi_int(0);
	return hi_absent();
}

static hi_val number_conjugate(hi_val *a, void *ctx)
{
	(void)ctx;
	return a[0].kind == HI_BOOL ? hi_int(a[0].i) : a[0];
}

static const hi_builtin_def complex_methods[] = {
	{ "conjugate(self)", complex_conjugate, "Return the complex conjugate of the number." },
	{ 0 }
};
static const hi_builtin_def number_methods[] = {
	{ "conjugate(self)", number_conjugate, "Return the number itself (a real number is its own conjugate)." },
	{ 0 }
};
static const char *const number_attrs[] = { "real", "imag", NULL };

void hi_init_values(void)
{
	hi_init_container_methods();
	hi_init_str_methods();
	hi_register_getattr(HI_COMPLEX, complex_getattr);
	hi_register_methods(HI_COMPLEX, complex_methods);
	hi_register_attrnames(HI_COMPLEX, number_attrs);
	for (int k = HI_BOOL; k <= HI_FLOAT; k++) {
		hi_register_getattr(k, number_getattr);
		hi_register_methods(k, number_methods);
		hi_register_attrnames(k, number_attrs);
	}
}
