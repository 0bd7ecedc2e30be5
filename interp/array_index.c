/*
** array_index.c — x[key] and x[key] = value for DNDarrays.
**
** The key is translated into the runtime's item list (ha_index) and the
** work is done by ha_getitem / ha_setitem (runtime/index.c), which decide
** the result's split and move only what the selection needs (see
** include/ha_index.h): an integer along the split broadcasts one slab, a
** positive-step slice is local, a negative step is one Alltoallv, masks
** stay local when they share the split, and integer lists fetch their
** rows from the owners.  Nothing here gathers an array.
**
** Translation: ints (and 0-d integer arrays) are integers; slices keep
** their None parts; None is newaxis; `...` is Ellipsis; lists, tuples
** nested in a tuple key, and arrays of ndim >= 1 are advanced items (bool
** -> mask, integers -> index list).  A list as the whole key is an index
** list or mask, as in NumPy.
*/
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

typedef struct keybuf {
	ha_index it[HA_MAXDIM * 2 + 2];
	ha_array *hold[HA_MAXDIM * 2 + 2];   /* arrays made from lists, released after */
	int n, nhold;
} keybuf;

static void key_free(keybuf *k)
{
	for (int i = 0; i < k->nhold; i++)
		ha_release(k->hold[i]);
	k->nhold = 0;
}

static const char bad_index[] = "only integers, slices (`:`), ellipsis (`...`), None and integer "
                                "or boolean arrays are valid indices";

/* A slice part: None (absent) or an integer. */
static int slice_part(hi_val v, int64_t *out, unsigned char *has)
{
	*has = 0;
	if (v.kind == HI_NONE)
		return 0;
	if (v.kind == HI_INT || v.kind == HI_BOOL) {
		*out = v.i;
		*has = 1;
		return 0;
	}
	if (v.kind == HI_ARRAY && hi_arr(v)->ndim == 0 && ha_dtype_is_int(hi_arr(v)->dtype)) {
		ha_scalar s;
		if (hi_array_item(hi_arr(v), &s))
			return -1;
		*out = s.i;
		*has = 1;
		return 0;
	}
	return hi_raisei(hi_TypeError, "slice indices must be integers or None or have an __index__ method");
}

/* An advanced item from a list/tuple or an array value. */
static int add_array(keybuf *k, hi_val v, ha_comm *comm)
{
	ha_array *arr;
	if (v.kind == HI_ARRAY) {
		arr = hi_arr(v);
	} else {
		int empty = (v.kind == HI_LIST && hi_as_list(v)->len == 0)
		            || (v.kind == HI_TUPLE && hi_as_tuple(v)->len == 0);
		arr = hi_as_array(v, empty ? HA_INT64 : -1, comm);
		if (!arr)
			return -1;
		k->hold[k->nhold++] = arr;
	}
	if (!ha_dtype_is_int(arr->dtype) && arr->dtype != HA_BOOL)
		return hi_raisei(hi_IndexError, "arrays used as indices must be of integer (or boolean) type");
	k->it[k->n].kind = HA_IX_ARRAY;
	k->it[k->n].arr = arr;
	k->n++;
	return 0;
}

static int add_item(keybuf *k, hi_val v, ha_comm *comm)
{
	if (k->n >= (int)(sizeof k->it / sizeof k->it[0]))
		return hi_raisei(hi_IndexError, "too many indices for array");
	ha_index *it = &k->it[k->n];
	memset(it, 0, sizeof *it);
	switch (v.kind) {
	case HI_INT:
		it->kind = HA_IX_INT;
		it->i = v.i;
		k->n++;
		return 0;
	case HI_NONE:
		it->kind = HA_IX_NEWAXIS;
		k->n++;
		return 0;
	case HI_ELLIPSIS:
		it->kind = HA_IX_ELLIPSIS;
		k->n++;
		return 0;
	case HI_SLICE: {
		hi_slice *s = (hi_slice *)v.o;
		it->kind = HA_IX_SLICE;
		if (slice_part(s->start, &it->start, &it->has_start) || slice_part(s->stop, &it->stop, &it->has_stop)
		    || slice_part(s->step, &it->step, &it->has_step))
			return -1;
		if (it->has_step && it->step == 0)
			return hi_raisei(hi_ValueError, "slice step cannot be zero");
		k->n++;
		return 0;
	}
	case HI_LIST:
	case HI_TUPLE:
		return add_array(k, v, comm);
	case HI_ARRAY: {
		ha_array *a = hi_arr(v);
		if (a->ndim == 0 && ha_dtype_is_int(a->dtype)) {
			ha_scalar s;
			if (hi_array_item(a, &s))
				return -1;
			it->kind = HA_IX_INT;
			it->i = s.i;
			k->n++;
			return 0;
		}
		if (a->ndim == 0)
			return hi_raisei(hi_IndexError, "%s", bad_index);
		return add_array(k, v, comm);
	}
	default:
		return hi_raisei(hi_IndexError, "%s", bad_index);
	}
}

static int make_key(hi_val key, ha_comm *comm, keybuf *k)
{
	k->n = k->nhold = 0;
	if (key.kind == HI_TUPLE) {
		hi_tuple *t = hi_as_tuple(key);
		for (size_t i = 0; i < t->len; i++)
			if (add_item(k, t->items[i], comm)) {
				key_free(k);
				return -1;
			}
		return 0;
	}
	if (add_item(k, key, comm)) {
		key_free(k);
		return -1;
	}
	return 0;
}

hi_val hi_array_getitem(hi_val self, hi_val key)
{
	ha_array *a = hi_arr(self);
	keybuf k;
	if (make_key(key, a->comm, &k))
		return hi_err();
	ha_array *r = ha_getitem(a, k.n, k.it);
	key_free(&k);
	return hi_array_new(r);
}

int hi_array_setitem(hi_val self, hi_val key, hi_val value)
{
	ha_array *a = hi_arr(self);
	keybuf k;
	ha_scalar s;
	int rc;
	if (make_key(key, a->comm, &k))
		return -1;
	if (value.kind != HI_ARRAY && hi_val_scalar(value, &s)) {
		rc = ha_setitem_scalar(a, k.n, k.it, s);
	} else {
		ha_array *v = hi_as_array(value, value.kind == HI_ARRAY ? -1 : (int)a->dtype, a->comm);
		if (!v) {
			key_free(&k);
			return -1;
		}
		rc = ha_setitem(a, k.n, k.it, v);
		ha_release(v);
	}
	key_free(&k);
	return rc ? hi_raise_hai() : 0;
}

hi_val hi_to_out(hi_val r, hi_val out)
{
	if (hi_iserr(r) || hi_isabsent(out) || out.kind == HI_NONE)
		return r;
	if (out.kind != HI_ARRAY) {
		hi_decref(r);
		return hi_raise(hi_TypeError, "out must be a DNDarray, not '%s'", hi_type_name(out));
	}
	hi_val key = hi_tuple_new(0);
	int rc = hi_iserr(key) ? -1 : hi_array_setitem(out, key, r);
	hi_decref(key);
	hi_decref(r);
	return rc ? hi_err() : hi_incref(out);
}
