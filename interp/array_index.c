/*
** array_index.c — x[key] and x[key] = value for DNDarrays.
**
** Basic keys (ints, slices, None, ..., and tuples of them) are done here
** from the replicated chunk map, with no more communication than needed:
**   - a slice along the split axis (positive step) is cut locally on every
**     rank; the result keeps the split with each rank's part of the
**     selection as its chunk (not rebalanced, as in Heat);
**   - an integer along the split axis makes the result replicated: the
**     rank that owns that index broadcasts the slab (one Bcast "getitem");
**   - a negative step along the split axis gathers the array first
**     (Allgatherv) and cuts the result back to the split axis locally.
** Advanced keys (a boolean mask, an integer list or array) gather the
** array to every rank, select, and give a result split like the input.
** Setting: each rank writes the part of the selection inside its chunk;
** a scalar is converted once, an array value is broadcast to the
** selection's shape (gathered first when it is distributed).
*/
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

/* One axis of the source: which indices are selected. */
typedef struct axsel {
	int64_t start, step, count;
	int is_int;
	int out_axis;        /* output axis of this source axis, -1 for an int */
} axsel;

typedef struct selection {
	int nd;                      /* source ndim */
	axsel ax[HA_MAXDIM];
	int out_nd;
	int64_t out_shape[HA_MAXDIM];
} selection;

static int key_items(hi_val key, hi_val **items, size_t *n, hi_val *one)
{
	if (key.kind == HI_TUPLE) {
		*items = hi_as_tuple(key)->items;
		*n = hi_as_tuple(key)->len;
	} else {
		*one = key;
		*items = one;
		*n = 1;
	}
	return 0;
}

/* An integer key: int, bool is not one here (masks), or a 0-d integer array. */
static int as_index(hi_val v, int64_t *out)
{
	if (v.kind == HI_INT) {
		*out = v.i;
		return 1;
	}
	if (v.kind == HI_ARRAY && hi_arr(v)->ndim == 0 && ha_dtype_is_int(hi_arr(v)->dtype)) {
		ha_scalar s;
		if (hi_array_item(hi_arr(v), &s))
			return -1;
		*out = s.i;
		return 1;
	}
	return 0;
}

static int is_basic_item(hi_val v)
{
	return v.kind == HI_INT || v.kind == HI_SLICE || v.kind == HI_NONE || v.kind == HI_ELLIPSIS
	       || (v.kind == HI_ARRAY && hi_arr(v)->ndim == 0 && ha_dtype_is_int(hi_arr(v)->dtype));
}

/* Parse a basic key against the array's shape.  Returns 0 or -1. */
static int parse_basic(hi_val key, const ha_array *a, selection *sel)
{
	hi_val *items, one;
	size_t n;
	key_items(key, &items, &n, &one);
	int consumed = 0, ellipsis = 0;
	for (size_t i = 0; i < n; i++) {
		if (items[i].kind == HI_ELLIPSIS) {
			if (ellipsis++)
				return hi_raisei(hi_IndexError, "an index can only have a single ellipsis ('...')");
		} else if (items[i].kind != HI_NONE) {
			consumed++;
		}
	}
	if (consumed > a->ndim)
		return hi_raisei(hi_IndexError, "too many indices for array: array is %d-dimensional, but %d "
		                 "were indexed", a->ndim, consumed);
	sel->nd = a->ndim;
	sel->out_nd = 0;
	int d = 0;
	for (size_t i = 0; i < n; i++) {
		hi_val it = items[i];
		if (it.kind == HI_ELLIPSIS) {
			for (int k = 0; k < a->ndim - consumed; k++, d++) {
				sel->ax[d] = (axsel){ 0, 1, a->gshape[d], 0, sel->out_nd };
				sel->out_shape[sel->out_nd++] = a->gshape[d];
			}
			continue;
		}
		if (it.kind == HI_NONE) {
			if (sel->out_nd == HA_MAXDIM)
				return hi_raisei(hi_IndexError, "too many dimensions in the result (at most %d)", HA_MAXDIM);
			sel->out_shape[sel->out_nd++] = 1;
			continue;
		}
		if (it.kind == HI_SLICE) {
			int64_t st, sp, stepv;
			int64_t cnt = hi_slice_indices(it, a->gshape[d], &st, &sp, &stepv);
			if (cnt < 0)
				return -1;
			sel->ax[d] = (axsel){ st, stepv, cnt, 0, sel->out_nd };
			sel->out_shape[sel->out_nd++] = cnt;
			d++;
			continue;
		}
		int64_t idx = 0;
		int k = as_index(it, &idx);
		if (k < 0)
			return -1;
		int64_t j = hi_norm_index(idx, a->gshape[d]);
		if (j < 0)
			return hi_raisei(hi_IndexError, "index %lld is out of bounds for axis %d with size %lld",
			                 (long long)idx, d, (long long)a->gshape[d]);
		sel->ax[d] = (axsel){ j, 1, 1, 1, -1 };
		d++;
	}
	for (; d < a->ndim; d++) {
		if (sel->out_nd == HA_MAXDIM)
			return hi_raisei(hi_IndexError, "too many dimensions in the result (at most %d)", HA_MAXDIM);
		sel->ax[d] = (axsel){ 0, 1, a->gshape[d], 0, sel->out_nd };
		sel->out_shape[sel->out_nd++] = a->gshape[d];
	}
	return 0;
}

/* The part of a positive-step selection along the split axis inside
** [off, off + len): first selected position k0 and how many. */
static void local_part(const axsel *s, int64_t off, int64_t len, int64_t *k0, int64_t *cnt)
{
	int64_t lo = off - s->start, hi = off + len - s->start;
	int64_t a = lo <= 0 ? 0 : (lo + s->step - 1) / s->step;
	int64_t b = hi <= 0 ? 0 : (hi + s->step - 1) / s->step;
	if (b > s->count)
		b = s->count;
	if (a > b)
		a = b;
	*k0 = a;
	*cnt = b - a;
}

/* Visit every selected element of a C-contiguous source block (shape
** sshape, nd axes; per axis start/step/count, step may be negative), in
** C order of the selection.  fn gets the source element's offset and the
** running output position. */
typedef void (*visit_fn)(int64_t src, int64_t pos, const int64_t *idx, void *ctx);

static void visit(int nd, const int64_t *sshape, const int64_t *start, const int64_t *step,
                  const int64_t *count, visit_fn fn, void *ctx)
{
	int64_t stride[HA_MAXDIM], idx[HA_MAXDIM];
	int64_t s = 1, total = 1;
	for (int d = nd - 1; d >= 0; d--) {
		stride[d] = s;
		s *= sshape[d];
		total *= count[d];
		idx[d] = 0;
	}
	if (total == 0)
		return;
	int64_t base = 0;
	for (int d = 0; d < nd; d++)
		base += start[d] * stride[d];
	int64_t off = base;
	for (int64_t pos = 0; pos < total; pos++) {
		fn(off, pos, idx, ctx);
		for (int d = nd - 1; d >= 0; d--) {
			if (++idx[d] < count[d]) {
				off += step[d] * stride[d];
				break;
			}
			off -= (count[d] - 1) * step[d] * stride[d];
			idx[d] = 0;
		}
	}
}

typedef struct copy_ctx {
	size_t es;
	const char *src;
	char *dst;
} copy_ctx;

static void copy_one(int64_t src, int64_t pos, const int64_t *idx, void *c)
{
	(void)idx;
	copy_ctx *x = c;
	memcpy(x->dst + (size_t)pos * x->es, x->src + (size_t)src * x->es, x->es);
}

/* Extract this rank's part of sel from a (a's local chunk) into a new
** array.  Only for selections that need no communication (sel along the
** split axis with positive step, or an int there handled by the caller). */
static ha_array *extract_local(const ha_array *a, const selection *sel, int out_split,
                               const int64_t *out_lmap, ha_comm *comm)
{
	int64_t start[HA_MAXDIM], step[HA_MAXDIM], count[HA_MAXDIM];
	for (int d = 0; d < a->ndim; d++) {
		start[d] = sel->ax[d].start;
		step[d] = sel->ax[d].step;
		count[d] = sel->ax[d].count;
	}
	if (a->split >= 0 && a->comm->size > 1) {
		const axsel *s = &sel->ax[a->split];
		int64_t k0, cnt;
		local_part(s, a->loffset, a->lshape[a->split], &k0, &cnt);
		start[a->split] = s->start + k0 * s->step - a->loffset;
		count[a->split] = cnt;
	}
	ha_array *r = ha_array_alloc_lmap(a->dtype, sel->out_nd, sel->out_shape, out_split,
	                                  out_split >= 0 ? out_lmap : NULL, a->device, comm);
	if (!r)
		return NULL;
	copy_ctx c = { ha_dtype_size(a->dtype), a->data, r->data };
	visit(a->ndim, a->lshape, start, step, count, copy_one, &c);
	return r;
}

static ha_array *gathered(const ha_array *a)
{
	return ha_is_distributed(a) ? ha_resplit(a, HA_SPLIT_NONE) : ha_retain((ha_array *)a);
}

static ha_array *basic_getitem(ha_array *a, const selection *sel)
{
	int s = a->split;
	if (s < 0 || a->comm->size == 1) {
		int out_split = HA_SPLIT_NONE;
		if (s >= 0 && !sel->ax[s].is_int)
			out_split = sel->ax[s].out_axis;
		return extract_local(a, sel, out_split, NULL, a->comm);
	}
	const axsel *sx = &sel->ax[s];
	if (sx->is_int) {
		/* the owner cuts its slab, then broadcasts it */
		int owner = 0;
		int64_t off = 0;
		for (int r = 0; r < a->comm->size; r++) {
			if (sx->start >= off && sx->start < off + a->lmap[r])
				owner = r;
			off += a->lmap[r];
		}
		ha_array *r = ha_array_alloc(a->dtype, sel->out_nd, sel->out_shape, HA_SPLIT_NONE,
		                             a->device, a->comm);
		if (!r)
			return NULL;
		if (a->comm->rank == owner) {
			int64_t start[HA_MAXDIM], step[HA_MAXDIM], count[HA_MAXDIM];
			for (int d = 0; d < a->ndim; d++) {
				start[d] = sel->ax[d].start;
				step[d] = sel->ax[d].step;
				count[d] = sel->ax[d].count;
			}
			start[s] -= a->loffset;
			copy_ctx c = { ha_dtype_size(a->dtype), a->data, r->data };
			visit(a->ndim, a->lshape, start, step, count, copy_one, &c);
		}
		if (ha_bcast(r->data, ha_lnbytes(r), owner, a->comm, "getitem")) {
			ha_release(r);
			return NULL;
		}
		return r;
	}
	if (sx->step < 0) {
		/* a reversal along the split axis: gather, cut, split again */
		ha_array *g = ha_resplit(a, HA_SPLIT_NONE);
		if (!g)
			return NULL;
		ha_array *r = extract_local(g, sel, HA_SPLIT_NONE, NULL, a->comm);
		ha_release(g);
		if (r && ha_resplit_(r, sx->out_axis)) {
			ha_release(r);
			return NULL;
		}
		return r;
	}
	int64_t *lmap = malloc(sizeof(int64_t) * (size_t)a->comm->size);
	if (!lmap) {
		ha_error_set(HA_EMEMORY, "out of memory");
		return NULL;
	}
	int64_t off = 0;
	for (int r = 0; r < a->comm->size; r++) {
		int64_t k0;
		local_part(sx, off, a->lmap[r], &k0, &lmap[r]);
		off += a->lmap[r];
	}
	ha_array *r = extract_local(a, sel, sx->out_axis, lmap, a->comm);
	free(lmap);
	return r;
}

/* ---- advanced keys: masks and integer lists ---- */

/* Integer positions along axis 0 from a list/tuple/array key; NULL when
** the key is not an integer index list. */
static int int_list(hi_val key, int64_t len, int64_t **out, int64_t *n, ha_comm *comm)
{
	ha_array *k = hi_as_array(key, -1, comm);
	if (!k)
		return -1;
	if (!ha_dtype_is_int(k->dtype) || k->ndim != 1) {
		ha_release(k);
		return 0;
	}
	ha_array *g = ha_astype(k, HA_INT64);
	ha_release(k);
	if (!g)
		return hi_raise_hai();
	ha_array *full = gathered(g);
	ha_release(g);
	if (!full)
		return hi_raise_hai();
	*n = full->gshape[0];
	*out = malloc(sizeof(int64_t) * (size_t)(*n ? *n : 1));
	if (!*out) {
		ha_release(full);
		return hi_raisei(hi_MemoryError, "out of memory");
	}
	const int64_t *p = full->data;
	for (int64_t i = 0; i < *n; i++) {
		int64_t j = hi_norm_index(p[i], len);
		if (j < 0) {
			free(*out);
			hi_raisei(hi_IndexError, "index %lld is out of bounds for axis 0 with size %lld",
			          (long long)p[i], (long long)len);
			ha_release(full);
			return -1;
		}
		(*out)[i] = j;
	}
	ha_release(full);
	return 1;
}

static int is_advanced(hi_val key)
{
	if (key.kind == HI_LIST)
		return 1;
	if (key.kind == HI_ARRAY)
		return hi_arr(key)->ndim > 0 || hi_arr(key)->dtype == HA_BOOL;
	return key.kind == HI_BOOL;
}

static ha_array *mask_array(hi_val key, const ha_array *a)
{
	ha_array *m = hi_as_array(key, -1, a->comm);
	if (!m)
		return NULL;
	if (m->dtype != HA_BOOL) {
		ha_release(m);
		return NULL;
	}
	return m;
}

static hi_val advanced_getitem(hi_val self, hi_val key)
{
	ha_array *a = hi_arr(self);
	ha_array *m = mask_array(key, a);
	ha_array *full = NULL, *r = NULL;
	size_t es = ha_dtype_size(a->dtype);
	if (m) {
		if (m->ndim > a->ndim || memcmp(m->gshape, a->gshape, sizeof(int64_t) * (size_t)m->ndim)) {
			ha_release(m);
			return hi_raise(hi_IndexError, "boolean index did not match indexed array: the mask's "
			                "shape must equal the leading dimensions of the array");
		}
		ha_array *mg = gathered(m);
		ha_release(m);
		full = mg ? gathered(a) : NULL;
		if (!mg || !full) {
			if (mg)
				ha_release(mg);
			return hi_raise_ha();
		}
		int64_t nm = ha_gnumel(mg), inner = 1, nsel = 0;
		for (int d = mg->ndim; d < a->ndim; d++)
			inner *= a->gshape[d];
		const unsigned char *mk = mg->data;
		for (int64_t i = 0; i < nm; i++)
			nsel += mk[i] != 0;
		int64_t shape[HA_MAXDIM];
		int nd = 1 + a->ndim - mg->ndim;
		shape[0] = nsel;
		for (int d = mg->ndim; d < a->ndim; d++)
			shape[1 + d - mg->ndim] = a->gshape[d];
		r = ha_array_alloc(a->dtype, nd, shape, HA_SPLIT_NONE, a->device, a->comm);
		if (r) {
			char *dst = r->data;
			for (int64_t i = 0; i < nm; i++)
				if (mk[i]) {
					memcpy(dst, (char *)full->data + (size_t)(i * inner) * es, (size_t)inner * es);
					dst += (size_t)inner * es;
				}
			int split = a->split < 0 ? HA_SPLIT_NONE : a->split < mg->ndim ? 0 : a->split - mg->ndim + 1;
			if (split >= 0 && ha_resplit_(r, split)) {
				ha_release(r);
				r = NULL;
			}
		}
		ha_release(mg);
	} else {
		if (hi_exc_pending().kind != HI_NONE)
			return hi_err();
		if (a->ndim == 0)
			return hi_raise(hi_IndexError, "too many indices for array: array is 0-dimensional, but 1 were indexed");
		int64_t *idx, n;
		int k = int_list(key, a->gshape[0], &idx, &n, a->comm);
		if (k < 0)
			return hi_err();
		if (k == 0)
			return hi_raise(hi_IndexError, "only integers, slices (`:`), ellipsis (`...`), None, "
			                "and integer or boolean arrays are valid indices");
		full = gathered(a);
		if (!full) {
			free(idx);
			return hi_raise_ha();
		}
		int64_t shape[HA_MAXDIM], inner = 1;
		memcpy(shape, a->gshape, sizeof(int64_t) * (size_t)a->ndim);
		shape[0] = n;
		for (int d = 1; d < a->ndim; d++)
			inner *= a->gshape[d];
		r = ha_array_alloc(a->dtype, a->ndim, shape, HA_SPLIT_NONE, a->device, a->comm);
		if (r) {
			for (int64_t i = 0; i < n; i++)
				memcpy((char *)r->data + (size_t)(i * inner) * es,
				       (char *)full->data + (size_t)(idx[i] * inner) * es, (size_t)inner * es);
			if (a->split >= 0 && ha_resplit_(r, a->split)) {
				ha_release(r);
				r = NULL;
			}
		}
		free(idx);
	}
	ha_release(full);
	return hi_array_new(r);
}

hi_val hi_array_getitem(hi_val self, hi_val key)
{
	ha_array *a = hi_arr(self);
	hi_val *items, one;
	size_t n;
	key_items(key, &items, &n, &one);
	int basic = 1;
	for (size_t i = 0; i < n; i++)
		if (!is_basic_item(items[i]))
			basic = 0;
	if (!basic) {
		if (key.kind != HI_TUPLE && is_advanced(key))
			return advanced_getitem(self, key);
		for (size_t i = 0; i < n; i++)
			if (!is_basic_item(items[i]) && !is_advanced(items[i]))
				return hi_raise(hi_IndexError, "only integers, slices (`:`), ellipsis (`...`), None, "
				                "and integer or boolean arrays are valid indices, not '%s'",
				                hi_type_name(items[i]));
		return hi_raise(hi_IndexError, "an integer list or mask can only be the whole index "
		                "(x[[1, 2]], x[mask]); combine it with other indices in two steps");
	}
	selection sel;
	if (parse_basic(key, a, &sel))
		return hi_err();
	return hi_array_new(basic_getitem(a, &sel));
}

/* ---- setting ---- */

typedef struct set_ctx {
	size_t es;
	char *dst;
	const char *val;         /* NULL: the scalar in sval */
	char sval[16];
	int nd;
	int64_t vstride[HA_MAXDIM];   /* per source axis, elements of the value */
	int64_t k0[HA_MAXDIM];        /* offset of this rank's part in the selection */
} set_ctx;

static void set_one(int64_t dst, int64_t pos, const int64_t *idx, void *c)
{
	(void)pos;
	set_ctx *x = c;
	if (!x->val) {
		memcpy(x->dst + (size_t)dst * x->es, x->sval, x->es);
		return;
	}
	int64_t v = 0;
	for (int d = 0; d < x->nd; d++)
		v += (idx[d] + x->k0[d]) * x->vstride[d];
	memcpy(x->dst + (size_t)dst * x->es, x->val + (size_t)v * x->es, x->es);
}

static int basic_setitem(ha_array *a, const selection *sel, hi_val value)
{
	set_ctx c;
	memset(&c, 0, sizeof c);
	c.es = ha_dtype_size(a->dtype);
	c.dst = a->data;
	c.nd = a->ndim;
	ha_scalar s;
	ha_array *v = NULL;
	if (hi_val_scalar(value, &s)) {
		ha_scalar_store(s, a->dtype, c.sval);
	} else {
		ha_array *v0 = hi_as_array(value, a->dtype, a->comm);
		if (!v0)
			return -1;
		ha_array *v1 = v0->dtype == a->dtype ? ha_retain(v0) : ha_astype(v0, a->dtype);
		ha_release(v0);
		v = v1 ? gathered(v1) : NULL;
		if (v1)
			ha_release(v1);
		if (!v)
			return hi_raise_hai();
		/* broadcast the value's shape (right-aligned) to the selection's */
		if (v->ndim > sel->out_nd)
			goto bad_shape;
		int64_t vst[HA_MAXDIM], st = 1;
		for (int d = v->ndim - 1; d >= 0; d--) {
			vst[d] = st;
			st *= v->gshape[d];
		}
		int lead = sel->out_nd - v->ndim;
		for (int o = 0; o < sel->out_nd; o++) {
			if (o < lead)
				continue;
			int64_t vs = v->gshape[o - lead];
			if (vs != 1 && vs != sel->out_shape[o])
				goto bad_shape;
		}
		for (int d = 0; d < a->ndim; d++) {
			int o = sel->ax[d].out_axis;
			c.vstride[d] = (o < 0 || o < lead || v->gshape[o - lead] == 1) ? 0 : vst[o - lead];
		}
		if (ha_gnumel(v) == 1 && v->ndim == 0)
			memcpy(c.sval, v->data, c.es);
		else
			c.val = v->data;
	}
	int64_t start[HA_MAXDIM], step[HA_MAXDIM], count[HA_MAXDIM];
	for (int d = 0; d < a->ndim; d++) {
		start[d] = sel->ax[d].start;
		step[d] = sel->ax[d].step;
		count[d] = sel->ax[d].count;
	}
	if (a->split >= 0 && a->comm->size > 1) {
		int sp = a->split;
		axsel sx = sel->ax[sp];
		if (sx.step < 0) {
			/* the same elements in increasing order; the value is read
			** backwards along that axis */
			int64_t last = sx.start + (sx.count - 1) * sx.step;
			sx.start = sx.count ? last : 0;
			sx.step = -sx.step;
			c.vstride[sp] = -c.vstride[sp];
			c.k0[sp] = -(sx.count - 1);
		}
		int64_t k0, cnt;
		local_part(&sx, a->loffset, a->lshape[sp], &k0, &cnt);
		start[sp] = sx.start + k0 * sx.step - a->loffset;
		step[sp] = sx.step;
		count[sp] = cnt;
		c.k0[sp] += k0;
	}
	visit(a->ndim, a->lshape, start, step, count, set_one, &c);
	if (v)
		ha_release(v);
	return 0;
bad_shape: {
		hi_val vs = hi_shape_tuple(v->ndim, v->gshape), os = hi_shape_tuple(sel->out_nd, sel->out_shape);
		hi_val vr = hi_repr(vs), orr = hi_repr(os);
		hi_raise(hi_ValueError, "could not broadcast input array from shape %s into shape %s",
		         hi_iserr(vr) ? "?" : hi_as_str(vr)->s, hi_iserr(orr) ? "?" : hi_as_str(orr)->s);
		hi_decref(vs);
		hi_decref(os);
		hi_decref(vr);
		hi_decref(orr);
		ha_release(v);
		return -1;
	}
}

static int mask_setitem(ha_array *a, ha_array *m, hi_val value)
{
	if (m->ndim != a->ndim || memcmp(m->gshape, a->gshape, sizeof(int64_t) * (size_t)a->ndim))
		return hi_raisei(hi_IndexError, "boolean index did not match indexed array: setting with "
		                 "a mask needs a mask of the array's shape");
	ha_array *v = hi_as_array(value, a->dtype, a->comm);
	if (!v)
		return -1;
	if (v->ndim > 0 && ha_gnumel(v) != 1) {
		ha_release(v);
		return hi_raisei(hi_ValueError, "setting with a mask takes a scalar value");
	}
	ha_array *vv = v->dtype == a->dtype ? ha_retain(v) : ha_astype(v, a->dtype);
	ha_release(v);
	if (!vv)
		return hi_raise_hai();
	ha_array *w = ha_where(m, vv, a);
	ha_release(vv);
	if (!w)
		return hi_raise_hai();
	if (w->dtype != a->dtype && ha_astype_(w, a->dtype)) {
		ha_release(w);
		return hi_raise_hai();
	}
	if (w->split != a->split && ha_resplit_(w, a->split)) {
		ha_release(w);
		return hi_raise_hai();
	}
	ha_array_swap(a, w);
	ha_release(w);
	return 0;
}

int hi_array_setitem(hi_val self, hi_val key, hi_val value)
{
	ha_array *a = hi_arr(self);
	hi_val *items, one;
	size_t n;
	key_items(key, &items, &n, &one);
	int basic = 1;
	for (size_t i = 0; i < n; i++)
		if (!is_basic_item(items[i]))
			basic = 0;
	if (basic) {
		selection sel;
		if (parse_basic(key, a, &sel))
			return -1;
		return basic_setitem(a, &sel, value);
	}
	if (key.kind == HI_TUPLE || !is_advanced(key))
		return hi_raisei(hi_IndexError, "only integers, slices (`:`), ellipsis (`...`), None, and "
		                 "integer or boolean arrays are valid indices");
	ha_array *m = mask_array(key, a);
	if (m) {
		int rc = mask_setitem(a, m, value);
		ha_release(m);
		return rc;
	}
	if (hi_exc_pending().kind != HI_NONE)
		return -1;
	if (a->ndim == 0)
		return hi_raisei(hi_IndexError, "too many indices for array: array is 0-dimensional, but 1 were indexed");
	int64_t *idx, cnt;
	int k = int_list(key, a->gshape[0], &idx, &cnt, a->comm);
	if (k <= 0) {
		if (k == 0)
			hi_raise(hi_IndexError, "only integers, slices (`:`), ellipsis (`...`), None, and "
			         "integer or boolean arrays are valid indices");
		return -1;
	}
	/* one row at a time; an array value supplies row i for index i */
	int scalar_value = value.kind != HI_ARRAY && value.kind != HI_LIST && value.kind != HI_TUPLE;
	ha_array *va = NULL;
	if (!scalar_value) {
		va = hi_as_array(value, a->dtype, a->comm);
		if (!va) {
			free(idx);
			return -1;
		}
		if (va->ndim == 0 || (va->gshape[0] == 1 && cnt != 1))
			scalar_value = 2;    /* broadcast the same value to every row */
	}
	hi_val vv = va ? hi_array_new(ha_retain(va)) : hi_none();
	int rc = 0;
	for (int64_t i = 0; i < cnt && !rc; i++) {
		selection sel;
		hi_val ik = hi_int(idx[i]);
		if (parse_basic(ik, a, &sel)) {
			rc = -1;
			break;
		}
		if (scalar_value) {
			hi_val row = scalar_value == 2 && va->ndim > 0 ? hi_array_getitem(vv, hi_int(0)) : hi_incref(va ? vv : value);
			if (hi_iserr(row)) {
				rc = -1;
				break;
			}
			rc = basic_setitem(a, &sel, row);
			hi_decref(row);
		} else {
			if (va->gshape[0] != cnt) {
				rc = hi_raisei(hi_ValueError, "shape mismatch: value array of length %lld could not be "
				               "broadcast to %lld indexed rows", (long long)va->gshape[0], (long long)cnt);
				break;
			}
			hi_val row = hi_array_getitem(vv, hi_int(i));
			if (hi_iserr(row)) {
				rc = -1;
				break;
			}
			rc = basic_setitem(a, &sel, row);
			hi_decref(row);
		}
	}
	hi_decref(vv);
	if (va)
		ha_release(va);
	free(idx);
	return rc;
}
