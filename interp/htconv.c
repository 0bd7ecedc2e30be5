/*
** htconv.c — between ha values and runtime arrays: argument conversion
** (dtype, split, axis, shape, comm), Python numbers <-> typed scalars,
** nested lists -> arrays (ht.array) and back (tolist, item), and the
** mapping of libha's error record onto Python exceptions.
*/
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

ha_comm hi_self_comm;

/* ---- runtime errors ---- */

hi_val hi_raise_ha(void)
{
	hi_type *t;
	switch (ha_error_kind()) {
	case HA_ETYPE: t = hi_TypeError; break;
	case HA_EINDEX: t = hi_IndexError; break;
	case HA_EMEMORY: t = hi_MemoryError; break;
	case HA_EIO: t = hi_IOError; break;
	case HA_ERUNTIME: t = hi_RuntimeError; break;
	case HA_EZERODIV: t = hi_ZeroDivisionError; break;
	case HA_ENOTIMPL: t = hi_NotImplementedError; break;
	case HA_OK:
		ha_error_clear();
		return hi_raise(hi_RuntimeError, "array runtime failed without an error message");
	default: t = hi_ValueError; break;   /* HA_EVALUE, HA_ELINALG */
	}
	hi_val r = hi_raise(t, "%s", ha_error_msg());
	ha_error_clear();
	return r;
}

int hi_raise_hai(void)
{
	hi_raise_ha();
	return -1;
}

int hi_get_comm(hi_val v, ha_comm **out)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = ha_comm_world();
		return 0;
	}
	if (v.kind == HI_COMM) {
		*out = hi_comm_of(v);
		return 0;
	}
	return hi_raisei(hi_TypeError, "comm must be None or a communicator, not '%s'", hi_type_name(v));
}

/* ---- axes and shapes ---- */

int hi_get_axis(hi_val v, int ndim, int *out)
{
	int64_t ax;
	if (v.kind != HI_INT && v.kind != HI_BOOL)
		return hi_raisei(hi_TypeError, "axis must be None or an int, not '%s'", hi_type_name(v));
	ax = v.i;
	if (ax < -ndim || ax >= ndim)
		return hi_raisei(hi_ValueError, "axis %lld is out of bounds for array of dimension %d",
		                 (long long)ax, ndim);
	if (ax < 0)
		ax += ndim;
	*out = (int)ax;
	return 0;
}

int hi_get_split(hi_val v, int ndim, int *out)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = HA_SPLIT_NONE;
		return 0;
	}
	if (v.kind != HI_INT && v.kind != HI_BOOL)
		return hi_raisei(hi_TypeError, "split must be None or an int, not '%s'", hi_type_name(v));
	if (v.i < -ndim || v.i >= ndim)
		return hi_raisei(hi_ValueError, "split axis %lld is out of bounds for array of dimension %d",
		                 (long long)v.i, ndim);
	*out = (int)(v.i < 0 ? v.i + ndim : v.i);
	return 0;
}

int hi_get_axes(hi_val v, int ndim, int *mask)
{
	int n = 0;
	for (int d = 0; d < ndim; d++)
		mask[d] = 0;
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		for (int d = 0; d < ndim; d++)
			mask[d] = 1;
		return ndim;
	}
	if (v.kind == HI_TUPLE || v.kind == HI_LIST) {
		size_t len = v.kind == HI_TUPLE ? hi_as_tuple(v)->len : hi_as_list(v)->len;
		hi_val *it = v.kind == HI_TUPLE ? hi_as_tuple(v)->items : hi_as_list(v)->items;
		for (size_t i = 0; i < len; i++) {
			int ax;
			if (hi_get_axis(it[i], ndim, &ax))
				return -1;
			if (mask[ax])
				return hi_raisei(hi_ValueError, "duplicate value in 'axis'");
			mask[ax] = 1;
			n++;
		}
		return n;
	}
	int ax;
	if (hi_get_axis(v, ndim, &ax))
		return -1;
	mask[ax] = 1;
	return 1;
}

int hi_get_shape(hi_val v, int *ndim, int64_t *shape, const char *what)
{
	if (v.kind == HI_INT || v.kind == HI_BOOL) {
		if (v.i < 0)
			return hi_raisei(hi_ValueError, "negative dimensions are not allowed");
		*ndim = 1;
		shape[0] = v.i;
		return 0;
	}
	if (v.kind != HI_TUPLE && v.kind != HI_LIST)
		return hi_raisei(hi_TypeError, "%s must be an int or a tuple of ints, not '%s'",
		                 what, hi_type_name(v));
	size_t len = v.kind == HI_TUPLE ? hi_as_tuple(v)->len : hi_as_list(v)->len;
	hi_val *it = v.kind == HI_TUPLE ? hi_as_tuple(v)->items : hi_as_list(v)->items;
	if (len > HA_MAXDIM)
		return hi_raisei(hi_ValueError, "%s has %zu dimensions; at most %d are supported",
		                 what, len, HA_MAXDIM);
	for (size_t i = 0; i < len; i++) {
		if (it[i].kind != HI_INT && it[i].kind != HI_BOOL)
			return hi_raisei(hi_TypeError, "%s must contain ints, not '%s'", what,
			                 hi_type_name(it[i]));
		if (it[i].i < 0)
			return hi_raisei(hi_ValueError, "negative dimensions are not allowed");
		shape[i] = it[i].i;
	}
	*ndim = (int)len;
	return 0;
}

hi_val hi_shape_tuple(int ndim, const int64_t *shape)
{
	hi_val t = hi_tuple_new((size_t)ndim);
	if (hi_iserr(t))
		return t;
	for (int i = 0; i < ndim; i++)
		hi_tuple_set(t, (size_t)i, hi_int(shape[i]));
	return t;
}

/* ---- scalars ---- */

int hi_val_scalar(hi_val v, ha_scalar *s)
{
	switch (v.kind) {
	case HI_BOOL: *s = ha_scalar_bool((int)v.i); return 1;
	case HI_INT: *s = ha_scalar_int(v.i); return 1;
	case HI_FLOAT: *s = ha_scalar_float(v.f); return 1;
	case HI_COMPLEX: {
		hi_complex *c = (hi_complex *)v.o;
		*s = ha_scalar_complex(c->re, c->im);
		return 1;
	}
	default: return 0;
	}
}

hi_val hi_scalar_to_val(ha_scalar s)
{
	switch (s.kind) {
	case HA_SCALAR_BOOL: return hi_bool((int)s.i);
	case HA_SCALAR_INT: return hi_int(s.i);
	case HA_SCALAR_FLOAT: return hi_float(s.re);
	default: return hi_complex_new(s.re, s.im);
	}
}

hi_val hi_element_value(ha_dtype t, const void *p)
{
	return hi_scalar_to_val(ha_scalar_load(t, p));
}

/* ---- nested sequences -> arrays ---- */

typedef struct walk {
	int ndim;
	int64_t shape[HA_MAXDIM];
	ha_scalar *items;
	int64_t n, cap;
	int kind;            /* highest ha_scalar_kind seen, -1 none */
} walk;

static int seq_items(hi_val v, hi_val **items, size_t *len)
{
	if (v.kind == HI_LIST) {
		*items = hi_as_list(v)->items;
		*len = hi_as_list(v)->len;
		return 1;
	}
	if (v.kind == HI_TUPLE) {
		*items = hi_as_tuple(v)->items;
		*len = hi_as_tuple(v)->len;
		return 1;
	}
	return 0;
}

/* The shape follows the first element at each level. */
static int probe_shape(hi_val v, walk *w)
{
	hi_val *it;
	size_t len;
	w->ndim = 0;
	while (seq_items(v, &it, &len)) {
		if (w->ndim == HA_MAXDIM)
			return hi_raisei(hi_ValueError, "data has more than %d dimensions", HA_MAXDIM);
		w->shape[w->ndim++] = (int64_t)len;
		if (!len)
			break;
		v = it[0];
	}
	return 0;
}

static int push_item(walk *w, ha_scalar s)
{
	if (w->n == w->cap) {
		int64_t cap = w->cap ? 2 * w->cap : 64;
		ha_scalar *p = realloc(w->items, (size_t)cap * sizeof *p);
		if (!p)
			return hi_raisei(hi_MemoryError, "out of memory");
		w->items = p;
		w->cap = cap;
	}
	w->items[w->n++] = s;
	if ((int)s.kind > w->kind)
		w->kind = (int)s.kind;
	return 0;
}

static int fill(hi_val v, walk *w, int depth)
{
	hi_val *it;
	size_t len;
	if (seq_items(v, &it, &len)) {
		if (depth >= w->ndim || (int64_t)len != w->shape[depth])
			return hi_raisei(hi_ValueError, "setting an array element with a sequence. The requested "
			                 "array has an inhomogeneous shape after %d dimensions.", depth);
		for (size_t i = 0; i < len; i++)
			if (fill(it[i], w, depth + 1))
				return -1;
		return 0;
	}
	if (depth != w->ndim)
		return hi_raisei(hi_ValueError, "setting an array element with a sequence. The requested "
		                 "array has an inhomogeneous shape after %d dimensions.", depth);
	ha_scalar s;
	if (hi_val_scalar(v, &s))
		return push_item(w, s);
	if (v.kind == HI_ARRAY) {
		ha_array *a = hi_arr(v);
		if (a->ndim != 0)
			return hi_raisei(hi_ValueError, "setting an array element with a sequence. The requested "
			                 "array has an inhomogeneous shape after %d dimensions.", depth);
		if (hi_array_item(a, &s))
			return -1;
		return push_item(w, s);
	}
	return hi_raisei(hi_TypeError, "cannot make an array element of a '%s' (expected numbers, "
	                 "bools or nested lists/tuples of them)", hi_type_name(v));
}

/* Arrays of ndim > 0 inside the data are expanded to nested lists first
** (collective, every rank expands the same replicated structure). */
static hi_val expand_arrays(hi_val v, int *changed)
{
	hi_val *it;
	size_t len;
	if (v.kind == HI_ARRAY && hi_arr(v)->ndim > 0) {
		*changed = 1;
		return hi_array_tolist(hi_arr(v));
	}
	if (v.kind == HI_RANGE) {
		/* ht.array(range(n)) and lists of ranges, as NumPy and torch take them */
		const hi_range *r = (const hi_range *)v.o;
		hi_val out = hi_list_new(0);
		if (hi_iserr(out))
			return out;
		for (int64_t x = r->start; r->step > 0 ? x < r->stop : x > r->stop; x += r->step)
			if (hi_list_append(out, hi_int(x)) < 0) {
				hi_decref(out);
				return hi_err();
			}
		*changed = 1;
		return out;
	}
	if (!seq_items(v, &it, &len))
		return hi_incref(v);
	hi_val out = hi_list_new(len);
	if (hi_iserr(out))
		return out;
	for (size_t i = 0; i < len; i++) {
		hi_val e = expand_arrays(it[i], changed);
		if (hi_iserr(e) || hi_list_append(out, e) < 0) {
			hi_decref(out);
			return hi_err();
		}
		hi_decref(e);
	}
	return out;
}

static int has_nested_array(hi_val v)
{
	hi_val *it;
	size_t len;
	if (v.kind == HI_ARRAY)
		return hi_arr(v)->ndim > 0;
	if (v.kind == HI_RANGE)
		return 1;
	if (!seq_items(v, &it, &len))
		return 0;
	for (size_t i = 0; i < len; i++)
		if (has_nested_array(it[i]))
			return 1;
	return 0;
}

ha_array *hi_array_from_value(hi_val v, int dtype, int split, int is_split, ha_device dev,
                              ha_comm *comm, int ndmin)
{
	hi_val data = hi_incref(v);
	if (has_nested_array(v)) {
		int changed = 0;
		hi_decref(data);
		data = expand_arrays(v, &changed);
		if (hi_iserr(data))
			return NULL;
	}
	walk w;
	memset(&w, 0, sizeof w);
	w.kind = -1;
	if (probe_shape(data, &w) || fill(data, &w, 0)) {
		hi_decref(data);
		free(w.items);
		return NULL;
	}
	hi_decref(data);
	ha_dtype t;
	if (dtype >= 0)
		t = (ha_dtype)dtype;
	else if (w.kind == HA_SCALAR_BOOL)
		t = HA_BOOL;
	else if (w.kind == HA_SCALAR_INT)
		t = HA_INT64;
	else if (w.kind == HA_SCALAR_COMPLEX)
		t = HA_COMPLEX64;
	else
		t = HA_FLOAT32;   /* floats, and empty data as torch does */
	while (w.ndim < ndmin && w.ndim < HA_MAXDIM) {
		memmove(w.shape + 1, w.shape, sizeof(int64_t) * (size_t)w.ndim);
		w.shape[0] = 1;
		w.ndim++;
	}
	if (split != HA_SPLIT_NONE && (split < 0 || split >= w.ndim)) {
		free(w.items);
		hi_raise(hi_ValueError, "split axis %d is out of bounds for array of dimension %d",
		         split, w.ndim);
		return NULL;
	}
	size_t es = ha_dtype_size(t);
	char *buf = malloc((size_t)(w.n ? w.n : 1) * es);
	if (!buf) {
		free(w.items);
		hi_raise(hi_MemoryError, "out of memory");
		return NULL;
	}
	for (int64_t i = 0; i < w.n; i++)
		ha_scalar_store(w.items[i], t, buf + (size_t)i * es);
	free(w.items);
	ha_array *a;
	if (is_split)
		a = ha_array_from_local(t, w.ndim, w.shape, buf, split, dev, comm);
	else
		a = ha_array_from_data(t, w.ndim, w.shape, buf, split, dev, comm);
	free(buf);
	if (!a)
		hi_raise_ha();
	return a;
}

ha_array *hi_as_array(hi_val v, int dtype, ha_comm *comm)
{
	if (v.kind == HI_ARRAY)
		return ha_retain(hi_arr(v));
	if (v.local)
		comm = &hi_self_comm;
	return hi_array_from_value(v, dtype, HA_SPLIT_NONE, 0, HA_DEVICE_CPU, comm, 0);
}

hi_val hi_array_apply(hi_val v, ha_array *(*fn)(const ha_array *))
{
	ha_array *x = hi_as_array(v, -1, NULL);
	if (!x)
		return hi_err();
	ha_array *r = fn(x);
	ha_release(x);
	return hi_array_new(r);
}

int hi_operand_type(hi_val v, ha_dtype *t, int *kind)
{
	ha_scalar s;
	if (v.kind == HI_ARRAY) {
		*t = hi_arr(v)->dtype;
		*kind = hi_arr(v)->ndim > 0 ? HA_OPERAND_ARRAY : HA_OPERAND_0D;
		return 1;
	}
	if (hi_val_scalar(v, &s)) {
		*kind = HA_OPERAND_SCALAR;
		*t = s.kind == HA_SCALAR_BOOL ? HA_BOOL : s.kind == HA_SCALAR_INT ? HA_INT32
		   : s.kind == HA_SCALAR_FLOAT ? HA_FLOAT32 : HA_COMPLEX64;
		return 1;
	}
	return 0;
}

/* ---- arrays -> values ---- */

static hi_val build_list(const ha_array *a, const char *p, int d, size_t es, int64_t *stride)
{
	if (d == a->ndim)
		return hi_element_value(a->dtype, p);
	hi_val l = hi_list_new((size_t)a->gshape[d]);
	if (hi_iserr(l))
		return l;
	for (int64_t i = 0; i < a->gshape[d]; i++) {
		hi_val e = build_list(a, p + (size_t)(i * stride[d]) * es, d + 1, es, stride);
		if (hi_iserr(e) || hi_list_append(l, e) < 0) {
			hi_decref(l);
			return hi_err();
		}
		hi_decref(e);
	}
	return l;
}

hi_val hi_array_tolist(ha_array *a)
{
	ha_array *g = ha_is_distributed(a) ? ha_resplit(a, HA_SPLIT_NONE) : ha_retain(a);
	if (!g)
		return hi_raise_ha();
	int64_t stride[HA_MAXDIM];
	int64_t s = 1;
	for (int d = g->ndim - 1; d >= 0; d--) {
		stride[d] = s;
		s *= g->gshape[d];
	}
	hi_val r = build_list(g, g->data, 0, ha_dtype_size(g->dtype), stride);
	ha_release(g);
	return r;
}

int hi_array_item(ha_array *a, ha_scalar *out)
{
	if (ha_gnumel(a) != 1)
		return hi_raisei(hi_ValueError, "only one-element DNDarrays can be converted to Python scalars");
	if (!ha_is_distributed(a)) {
		*out = ha_scalar_load(a->dtype, a->data);
		return 0;
	}
	int owner = 0;
	for (int r = 0; r < a->comm->size; r++)
		if (a->lmap[r] > 0)
			owner = r;
	unsigned char buf[16] = { 0 };
	if (a->comm->rank == owner)
		memcpy(buf, a->data, ha_dtype_size(a->dtype));
	if (ha_bcast(buf, (int64_t)ha_dtype_size(a->dtype), owner, a->comm, "item"))
		return hi_raise_hai();
	*out = ha_scalar_load(a->dtype, buf);
	return 0;
}
