/*
** array_dist.c — the DNDarray attributes and methods about distribution
** that work on each rank's own chunk: halos (get_halo, halo_prev,
** halo_next, array_with_halos), redistribute_/redistribute, collect_,
** create_lshape_map, lloc (local get/set), stride, mT, __partitioned__,
** fill_diagonal and __array__.
**
** Everything a rank sees only of its own chunk is a rank-local value
** (LANGUAGE.md §5): printing it shows one `[r] ` line per rank.  Every
** check that can raise is decided from replicated data (the chunk map, a
** target map checked to be equal on every rank), so all ranks raise
** together.
*/
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"
#include <ha_dist.h>

/* The halos an array received from its neighbours, with the distribution
** they were cut for (replicated), so a later resplit is noticed. */
struct hi_halos {
	ha_array *prev, *next;     /* rank-local; NULL when none arrived */
	int split, ndim;
	int64_t gshape[HA_MAXDIM];
};

void hi_halos_free(struct hi_halos *h)
{
	if (!h)
		return;
	ha_release(h->prev);
	ha_release(h->next);
	free(h);
}

static ha_array *self_arr(hi_val *args) { return hi_arr(args[0]); }

/* This rank's chunk as a rank-local array (a copy). */
static ha_array *chunk_copy(const ha_array *a)
{
	return ha_array_from_data(a->dtype, a->ndim, a->lshape, a->data, HA_SPLIT_NONE, a->device,
	                          &hi_self_comm);
}

static hi_val local_array(ha_array *l)
{
	return hi_setlocal(hi_array_new(l), 1);
}

/* "<class 'float'>", as Python's format of type(x) */
static hi_val class_text(hi_val v)
{
	return hi_str_fmt("<class '%s'>", hi_type_name(v));
}

static int is_pyint(hi_val v)
{
	return v.kind == HI_INT || v.kind == HI_BOOL;
}

/* ---- halos ---- */

static hi_val m_get_halo(hi_val *args, void *ctx)
{
	(void)ctx;
	hi_array *o = (hi_array *)args[0].o;
	ha_array *a = o->a;
	if (!is_pyint(args[1])) {
		hi_val c = class_text(args[1]);
		if (hi_iserr(c))
			return c;
		hi_raise(hi_TypeError, "halo_size needs to be of Python type integer, %s given", hi_as_str(c)->s);
		hi_decref(c);
		return hi_err();
	}
	int want_prev = hi_truthy(args[2]), want_next = hi_truthy(args[3]);
	if (want_prev < 0 || want_next < 0)
		return hi_err();
	int64_t halo = args[1].i;
	ha_array *prev, *next;
	if (ha_get_halo(a, halo, want_prev, want_next, &hi_self_comm, &prev, &next))
		return hi_raise_ha();
	/* Heat leaves the stored halos alone when nothing is exchanged */
	if (!ha_is_distributed(a) || halo == 0)
		return hi_none();
	struct hi_halos *h = o->halos;
	if (!h && !(h = o->halos = calloc(1, sizeof *h))) {
		ha_release(prev);
		ha_release(next);
		return hi_raise(hi_MemoryError, "out of memory");
	}
	ha_release(h->prev);
	ha_release(h->next);
	h->prev = prev;
	h->next = next;
	h->split = a->split;
	h->ndim = a->ndim;
	memcpy(h->gshape, a->gshape, sizeof(int64_t) * (size_t)a->ndim);
	return hi_none();
}

static hi_val halo_value(ha_array *h)
{
	if (!h)
		return hi_setlocal(hi_none(), 1);
	return local_array(ha_retain(h));
}

/* prev + chunk + next along the split axis, rank-local. */
static hi_val with_halos(hi_array *o)
{
	ha_array *a = o->a;
	struct hi_halos *h = o->halos;
	if (!ha_is_distributed(a) || !h || (!h->prev && !h->next && h->split == a->split))
		return local_array(chunk_copy(a));
	if (h->split != a->split || h->ndim != a->ndim ||
	    memcmp(h->gshape, a->gshape, sizeof(int64_t) * (size_t)a->ndim))
		return hi_raise(hi_ValueError, "the stored halos were taken before the array's shape or split "
		                "changed; call get_halo again");
	int d = a->split;
	int64_t shape[HA_MAXDIM], off[HA_MAXDIM] = { 0 }, zero[HA_MAXDIM] = { 0 };
	memcpy(shape, a->lshape, sizeof(int64_t) * (size_t)a->ndim);
	if (h->prev)
		shape[d] += h->prev->lshape[d];
	if (h->next)
		shape[d] += h->next->lshape[d];
	ha_array *r = ha_array_alloc(a->dtype, a->ndim, shape, HA_SPLIT_NONE, a->device, &hi_self_comm);
	if (!r)
		return hi_raise_ha();
	size_t es = ha_dtype_size(a->dtype);
	const ha_array *parts[3] = { h->prev, a, h->next };
	for (int i = 0; i < 3; i++) {
		if (!parts[i])
			continue;
		ha_copy_box(es, a->ndim, parts[i]->lshape, parts[i]->data, parts[i]->lshape, zero,
		            r->data, shape, off);
		off[d] += parts[i]->lshape[d];
	}
	return local_array(r);
}

/* ---- redistribution ---- */

/* A chunk-length map argument (lshape_map= / target_map=): a (P, ndim)
** table like create_lshape_map() returns, or a length-P vector of the
** lengths along the split axis; a DNDarray, list or tuple of integers.
** Writes the split column to out[P].  The values must be the same on
** every rank; a list can hold rank-local numbers without carrying the
** rank-local flag, so the map is always checked, with one small Allreduce. */
static int read_map(hi_val v, const char *name, ha_array *a, int64_t *out)
{
	int P = a->comm->size, nd = a->ndim, k = a->split;
	ha_array *m = hi_as_array(v, -1, a->comm), *t;
	if (!m)
		return -1;
	if (ha_is_distributed(m)) {
		t = ha_resplit(m, HA_SPLIT_NONE);
		ha_release(m);
		if (!(m = t))
			return hi_raise_hai();
	}
	int rc = -1;
	if (!ha_dtype_is_int(m->dtype)) {
		hi_raise(hi_TypeError, "%s must hold integers, not %s", name, ha_dtype_name(m->dtype));
		goto out;
	}
	if (!((m->ndim == 2 && m->gshape[0] == P && m->gshape[1] == nd) || (m->ndim == 1 && m->gshape[0] == P))) {
		hi_val s = hi_shape_tuple(m->ndim, m->gshape), r = hi_iserr(s) ? s : hi_repr(s);
		hi_decref(s);
		if (hi_iserr(r))
			goto out;
		hi_raise(hi_ValueError, "%s must have the shape (%d, %d), currently %s", name, P, nd,
		         hi_as_str(r)->s);
		hi_decref(r);
		goto out;
	}
	t = ha_astype(m, HA_INT64);
	if (!t) {
		hi_raise_ha();
		goto out;
	}
	const int64_t *p = t->data;
	for (int r = 0; r < P; r++)
		out[r] = m->ndim == 2 ? p[r * nd + k] : p[r];
	ha_release(t);
	if (P > 1) {
		/* max(v) and max(-v) over the ranks: equal everywhere iff max == min */
		int64_t *mm = malloc(sizeof(int64_t) * 4 * (size_t)P);
		if (!mm) {
			hi_raise(hi_MemoryError, "out of memory");
			goto out;
		}
		for (int r = 0; r < P; r++) {
			mm[r] = out[r];
			mm[P + r] = -out[r];
		}
		if (ha_allreduce(mm, mm + 2 * P, 2 * P, MPI_INT64_T, MPI_MAX, a->comm, "redistribute")) {
			free(mm);
			hi_raise_ha();
			goto out;
		}
		int same = 1;
		for (int r = 0; r < P; r++)
			same &= mm[2 * P + r] == -mm[3 * P + r];
		free(mm);
		if (!same) {
			hi_raise(hi_ValueError, "%s must be the same on every rank", name);
			goto out;
		}
	}
	rc = 0;
out:
	ha_release(m);
	return rc;
}

static hi_val map_text(const int64_t *m, int P)
{
	hi_buf b = { 0 };
	hi_buf_adds(&b, "[");
	for (int r = 0; r < P; r++)
		hi_buf_addf(&b, "%s%lld", r ? ", " : "", (long long)m[r]);
	hi_buf_adds(&b, "]");
	return hi_buf_finish(&b);
}

/* Heat's redistribute_ on a (the array is changed in place). */
static int redistribute(ha_array *a, hi_val lshape_map, hi_val target_map)
{
	if (a->split < 0)
		return 0;   /* replicated: nothing to move (Heat) */
	int P = a->comm->size, k = a->split;
	int64_t *m = malloc(sizeof(int64_t) * (size_t)P);
	if (!m)
		return hi_raisei(hi_MemoryError, "out of memory");
	int rc = -1;
	if (lshape_map.kind != HI_NONE) {
		if (read_map(lshape_map, "lshape_map", a, m))
			goto out;
		if (memcmp(m, a->lmap, sizeof(int64_t) * (size_t)P)) {
			hi_val s = map_text(a->lmap, P);
			if (!hi_iserr(s)) {
				hi_raise(hi_ValueError, "lshape_map does not match the array's chunks along the split "
				         "axis, %s", hi_as_str(s)->s);
				hi_decref(s);
			}
			goto out;
		}
	}
	if (target_map.kind == HI_NONE) {
		if (ha_balance_(a)) {
			hi_raise_ha();
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (read_map(target_map, "target_map", a, m))
		goto out;
	int64_t sum = 0;
	int neg = 0;
	for (int r = 0; r < P; r++) {
		sum += m[r];
		neg |= m[r] < 0;
	}
	if (neg || sum != a->gshape[k]) {
		hi_val s = map_text(m, P);
		if (!hi_iserr(s)) {
			if (neg)
				hi_raise(hi_ValueError, "target_map must not hold negative lengths, currently %s",
				         hi_as_str(s)->s);
			else
				hi_raise(hi_ValueError, "Sum along the split axis of the target map must be equal to "
				         "the shape in that dimension, currently %s", hi_as_str(s)->s);
			hi_decref(s);
		}
		goto out;
	}
	if (P > 1 && memcmp(m, a->lmap, sizeof(int64_t) * (size_t)P) && ha_redistribute_(a, m)) {
		hi_raise_ha();
		goto out;
	}
	rc = 0;
out:
	free(m);
	return rc;
}

static hi_val m_redistribute_(hi_val *args, void *ctx)
{
	(void)ctx;
	if (redistribute(self_arr(args), args[1], args[2]))
		return hi_err();
	return hi_incref(args[0]);
}

static hi_val m_redistribute(hi_val *args, void *ctx)
{
	(void)ctx;
	hi_val c = hi_array_new(ha_copy(self_arr(args)));
	if (hi_iserr(c))
		return c;
	if (redistribute(hi_arr(c), args[1], args[2])) {
		hi_decref(c);
		return hi_err();
	}
	return hi_setlocal(c, args[0].local);
}

static hi_val m_create_lshape_map(hi_val *args, void *ctx)
{
	(void)ctx;
	if (hi_truthy(args[1]) < 0)
		return hi_err();
	return hi_getattr(args[0], "lshape_map");
}

static hi_val m_collect_(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_array *a = self_arr(args);
	if (!is_pyint(args[1])) {
		hi_val c = class_text(args[1]);
		if (hi_iserr(c))
			return c;
		hi_raise(hi_TypeError, "target rank must be of type int , but was %s", hi_as_str(c)->s);
		hi_decref(c);
		return hi_err();
	}
	int64_t t = args[1].i;
	int P = a->comm->size;
	if (t < 0 || t >= P)
		return hi_raise(hi_ValueError, "target rank is out of bounds");
	if (!ha_is_distributed(a))
		return hi_incref(args[0]);
	int64_t *m = calloc((size_t)P, sizeof *m);
	if (!m)
		return hi_raise(hi_MemoryError, "out of memory");
	m[t] = a->gshape[a->split];
	int rc = memcmp(m, a->lmap, sizeof(int64_t) * (size_t)P) ? ha_redistribute_(a, m) : 0;
	free(m);
	if (rc)
		return hi_raise_ha();
	return hi_incref(args[0]);
}

/* ---- lloc: x.lloc[key] and x.lloc[key] = v on this rank's chunk ---- */

static hi_type *lloc_type;
static hi_val lloc_methods;

static hi_val lloc_target(hi_val self)
{
	hi_val v;
	if (hi_dict_get_str(((hi_instance *)self.o)->attrs, "obj", &v) != 1 || v.kind != HI_ARRAY) {
		hi_decref(v);
		return hi_raise(hi_TypeError, "LocalIndex lost its array");
	}
	return v;
}

static hi_val m_lloc_getitem(hi_val *args, void *ctx)
{
	(void)ctx;
	hi_val x = lloc_target(args[0]);
	if (hi_iserr(x))
		return x;
	hi_val l = local_array(chunk_copy(hi_arr(x)));
	hi_decref(x);
	if (hi_iserr(l))
		return l;
	hi_val r = hi_getitem(l, args[1]);
	hi_decref(l);
	return hi_iserr(r) ? r : hi_setlocal(r, 1);
}

static hi_val m_lloc_setitem(hi_val *args, void *ctx)
{
	(void)ctx;
	hi_val x = lloc_target(args[0]), v = args[2], conv = hi_none();
	if (hi_iserr(x))
		return x;
	ha_array *a = hi_arr(x);
	if (v.kind == HI_ARRAY && hi_arr(v)->comm != &hi_self_comm) {
		ha_array *w = hi_arr(v);
		if (ha_is_distributed(w)) {
			hi_decref(x);
			return hi_raise(hi_TypeError, "x.lloc[...] = value needs a number, a list, a replicated or a "
			                "rank-local array (x.larray ...), not a distributed DNDarray");
		}
		/* a replicated array: every rank holds all of it, use it as local data */
		conv = local_array(ha_array_from_data(w->dtype, w->ndim, w->gshape, w->data, HA_SPLIT_NONE,
		                                      w->device, &hi_self_comm));
		if (hi_iserr(conv)) {
			hi_decref(x);
			return conv;
		}
		v = conv;
	}
	hi_val l = local_array(chunk_copy(a));
	int rc = hi_iserr(l) ? -1 : hi_setitem(l, args[1], v);
	if (rc == 0)
		memcpy(a->data, hi_arr(l)->data, (size_t)ha_lnbytes(a));
	hi_decref(l);
	hi_decref(conv);
	hi_decref(x);
	return rc ? hi_err() : hi_none();
}

static hi_val lloc_value(hi_val self)
{
	hi_instance *o = hi_obj_alloc(sizeof *o, HI_OBJECT);
	if (!o)
		return hi_raise(hi_MemoryError, "out of memory");
	o->cls = "LocalIndex";
	o->type = lloc_type;
	o->methods = lloc_methods;
	o->attrs = hi_dict_new();
	hi_val r = hi_objval(o, HI_OBJECT);
	if (hi_iserr(o->attrs) || hi_dict_set_str(o->attrs, "obj", self)) {
		if (hi_iserr(o->attrs))
			o->attrs = hi_none();
		hi_decref(r);
		return hi_err();
	}
	return hi_setlocal(r, 1);
}

/* Subscripts of C-class instances go to their __getitem__/__setitem__
** methods (the LocalIndex here; other classes may define them too). */
static hi_val object_getitem(hi_val self, hi_val key)
{
	hi_instance *o = (hi_instance *)self.o;
	hi_val m;
	if (o->methods.kind != HI_DICT || hi_dict_get_str(o->methods, "__getitem__", &m) != 1)
		return hi_raise(hi_TypeError, "'%s' object is not subscriptable", o->cls);
	hi_val argv[2] = { self, key };
	hi_val r = hi_call(m, 2, argv, 0, NULL, NULL);
	hi_decref(m);
	return r;
}

static int object_setitem(hi_val self, hi_val key, hi_val value)
{
	hi_instance *o = (hi_instance *)self.o;
	hi_val m;
	if (o->methods.kind != HI_DICT || hi_dict_get_str(o->methods, "__setitem__", &m) != 1)
		return hi_raisei(hi_TypeError, "'%s' object does not support item assignment", o->cls);
	hi_val argv[3] = { self, key, value };
	hi_val r = hi_call(m, 3, argv, 0, NULL, NULL);
	hi_decref(m);
	if (hi_iserr(r))
		return -1;
	hi_decref(r);
	return 0;
}

/* ---- small views of the layout ---- */

/* torch's stride() of a contiguous tensor: elements to step per axis,
** with empty axes counted as length 1. */
static hi_val m_stride(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_array *a = self_arr(args);
	int64_t st[HA_MAXDIM], s = 1;
	for (int d = a->ndim - 1; d >= 0; d--) {
		st[d] = s;
		s *= a->lshape[d] > 1 ? a->lshape[d] : 1;
	}
	if (args[1].kind == HI_NONE)
		return hi_setlocal(hi_shape_tuple(a->ndim, st), 1);
	if (!is_pyint(args[1]))
		return hi_raise(hi_TypeError, "stride(): argument 'dim' must be int, not %s", hi_type_name(args[1]));
	int64_t d = args[1].i;
	if (d < -a->ndim || d >= a->ndim || a->ndim == 0)
		return hi_raise(hi_IndexError, "Dimension out of range (expected to be in range of [%d, %d], "
		                "but got %lld)", -a->ndim, a->ndim - 1, (long long)d);
	return hi_setlocal(hi_int(st[d < 0 ? d + a->ndim : d]), 1);
}

static hi_val matrix_transpose(ha_array *a)
{
	if (a->ndim < 2)
		return hi_raise(hi_ValueError, "x.mT needs at least 2 dimensions, got %d", a->ndim);
	int axes[HA_MAXDIM];
	for (int d = 0; d < a->ndim; d++)
		axes[d] = d;
	axes[a->ndim - 2] = a->ndim - 1;
	axes[a->ndim - 1] = a->ndim - 2;
	return hi_array_new(ha_transpose(a, axes));
}

/* ---- __partitioned__ (the DPPY partition interface, as Heat builds it) ---- */

static hi_val partitioned_get;   /* the identity function stored under 'get' */

static hi_val f_identity(hi_val *args, void *ctx)
{
	(void)ctx;
	return hi_incref(args[0]);
}

static int dset(hi_val d, const char *key, hi_val v)
{
	if (hi_iserr(v))
		return -1;
	int rc = hi_dict_set_str(d, key, v);
	hi_decref(v);
	return rc;
}

static hi_val partition(const ha_array *a, int r, const int64_t *start, const int64_t *shape, int mine)
{
	hi_val p = hi_dict_new();
	if (hi_iserr(p))
		return p;
	int P = a->comm->size;
	hi_val loc = hi_list_new(1);
	if (hi_iserr(loc)) {
		hi_decref(p);
		return loc;
	}
	/* a replicated array's one partition lives on every rank */
	for (int q = a->split < 0 ? 0 : r; q < (a->split < 0 ? P : r + 1); q++)
		hi_list_append(loc, hi_int(q));
	if (dset(p, "start", hi_shape_tuple(a->ndim, start)) || dset(p, "shape", hi_shape_tuple(a->ndim, shape)) ||
	    dset(p, "data", mine ? local_array(chunk_copy(a)) : hi_none()) || dset(p, "location", loc) ||
	    dset(p, "dtype", hi_dtype_value(a->dtype)) || dset(p, "device", hi_str_cstr("cpu"))) {
		hi_decref(p);
		return hi_err();
	}
	return p;
}

static hi_val partitioned(const ha_array *a)
{
	int P = a->comm->size, nd = a->ndim, k = a->split, me = a->comm->rank;
	int nparts = k < 0 ? 1 : P;
	int64_t tiling[HA_MAXDIM], key[HA_MAXDIM], start[HA_MAXDIM], shape[HA_MAXDIM];
	for (int d = 0; d < nd; d++) {
		tiling[d] = d == k ? P : 1;
		key[d] = start[d] = 0;
	}
	hi_val r = hi_dict_new(), parts = hi_dict_new(), locals = hi_list_new(1);
	if (hi_iserr(r) || hi_iserr(parts) || hi_iserr(locals))
		goto fail;
	int64_t off = 0;
	for (int q = 0; q < nparts; q++) {
		memcpy(shape, a->gshape, sizeof(int64_t) * (size_t)nd);
		if (k >= 0) {
			key[k] = q;
			start[k] = off;
			shape[k] = a->lmap[q];
			off += a->lmap[q];
		}
		hi_val kt = hi_shape_tuple(nd, key), pv = partition(a, q, start, shape, k < 0 || q == me);
		int bad = hi_iserr(kt) || hi_iserr(pv) || hi_dict_set(parts, kt, pv);
		hi_decref(kt);
		hi_decref(pv);
		if (bad)
			goto fail;
	}
	if (k >= 0)
		key[k] = me;
	hi_val lt = hi_shape_tuple(nd, key);
	if (hi_iserr(lt) || hi_list_append(locals, lt)) {
		hi_decref(lt);
		goto fail;
	}
	hi_decref(lt);
	if (dset(r, "shape", hi_shape_tuple(nd, a->gshape)) || dset(r, "partition_tiling", hi_shape_tuple(nd, tiling)) ||
	    dset(r, "partitions", parts) || dset(r, "locals", locals) ||
	    dset(r, "get", hi_incref(partitioned_get))) {
		parts = locals = hi_none();
		goto fail;
	}
	return hi_setlocal(r, 1);
fail:
	hi_decref(r);
	hi_decref(parts);
	hi_decref(locals);
	return hi_err();
}

/* ---- fill_diagonal, __array__ ---- */

static hi_val m_fill_diagonal(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_scalar s;
	if (!hi_val_scalar(args[1], &s)) {
		if (args[1].kind != HI_ARRAY || ha_gnumel(hi_arr(args[1])) != 1)
			return hi_raise(hi_TypeError, "fill_diagonal: value must be a number or a one-element "
			                "array, not %s", hi_type_name(args[1]));
		if (hi_array_item(hi_arr(args[1]), &s))
			return hi_err();
	}
	if (ha_fill_diagonal(self_arr(args), s))
		return hi_raise_ha();
	return hi_incref(args[0]);
}

static hi_val m_array(hi_val *args, void *ctx)
{
	(void)ctx;
	ha_array *a = self_arr(args);
	if (args[1].kind == HI_NONE)
		return local_array(chunk_copy(a));
	ha_dtype t;
	if (hi_get_dtype(args[1], &t))
		return hi_err();
	ha_array *l = chunk_copy(a);
	if (!l)
		return hi_raise_ha();
	ha_array *c = ha_astype(l, t);
	ha_release(l);
	return local_array(c);
}

/* ---- attributes ---- */

static hi_val dist_getattr(hi_val self, const char *name)
{
	hi_array *o = (hi_array *)self.o;
	ha_array *a = o->a;
	switch (name[0]) {
	case '_':
		if (!strcmp(name, "__partitioned__"))
			return partitioned(a);
		break;
	case 'a':
		if (!strcmp(name, "array_with_halos"))
			return with_halos(o);
		break;
	case 'h':
		if (!strcmp(name, "halo_prev"))
			return halo_value(o->halos ? o->halos->prev : NULL);
		if (!strcmp(name, "halo_next"))
			return halo_value(o->halos ? o->halos->next : NULL);
		break;
	case 'l':
		if (!strcmp(name, "lloc"))
			return lloc_value(self);
		break;
	case 'm':
		if (!strcmp(name, "mT"))
			return matrix_transpose(a);
		break;
	}
	return hi_absent();
}

static const char *const dist_attrs[] = {
	"__partitioned__", "array_with_halos", "halo_next", "halo_prev", "lloc", "mT", NULL
};

#define HALO_DOC \
	"Halos are rank-local arrays with halo_size rows along the split axis\n" \
	"and the chunk's other dimensions; a rank that holds no rows (more\n" \
	"ranks than rows, or after redistribute_) takes no part and its\n" \
	"neighbours exchange with the next rank that holds rows."

static const hi_builtin_def dist_methods[] = {
	{ "get_halo(self, halo_size, prev=True, next=True)", m_get_halo,
	  "Fetch halo_size rows along the split axis from the neighbouring ranks\n"
	  "and keep them in x.halo_prev (the last rows of the previous rank that\n"
	  "holds rows; with prev=True) and x.halo_next (the first rows of the next\n"
	  "one; with next=True). Returns None. x.array_with_halos is then this\n"
	  "rank's chunk with the halos attached.\n\n"
	  HALO_DOC "\n\n"
	  "A replicated array, a single rank or halo_size=0 exchange nothing and\n"
	  "keep the halos stored before. TypeError when halo_size is not an int;\n"
	  "ValueError when it is negative or larger than a populated chunk (every\n"
	  "rank raises).\n\n"
	  "Communication: point to point between neighbouring populated ranks,\n"
	  "both directions posted at once (Isendrecv \"halo\"); no collective.\n\n"
	  "Example: x = ht.arange(8, split=0); x.get_halo(1); print(x.array_with_halos)" },
	{ "redistribute_(self, lshape_map=None, target_map=None)", m_redistribute_,
	  "Move rows along the split axis so that rank r holds target_map's row r\n"
	  "(in place; returns the array). target_map is a (P, ndim) table like\n"
	  "create_lshape_map() returns (only its split column matters) or a\n"
	  "length-P vector of lengths; a DNDarray, list or tuple of integers. No\n"
	  "target_map balances the array (the first n % P ranks hold one row\n"
	  "more). lshape_map, when given, must describe the current chunks.\n\n"
	  "ValueError when the lengths do not sum to the length of the split axis,\n"
	  "are negative, the table has the wrong shape, or the map differs between\n"
	  "ranks. A replicated array is left as it is.\n\n"
	  "Collective: one Allreduce of 2P integers checks that every rank passed\n"
	  "the same map, then ONE Alltoallv (\"redistribute\") carries only the\n"
	  "rows that change owner (nothing when the chunks already match).\n\n"
	  "Example: x.redistribute_(target_map=[[7, 3], [0, 3]]) on 2 ranks" },
	{ "redistribute(self, lshape_map=None, target_map=None)", m_redistribute,
	  "A copy of the array moved to target_map's chunks (see redistribute_).\n"
	  "Collective: one Alltoallv." },
	{ "create_lshape_map(self, force_check=False)", m_create_lshape_map,
	  "The (P, ndim) int64 table of every rank's chunk shape (row r = rank\n"
	  "r's lshape), replicated: the same as x.lshape_map. ha keeps the chunk\n"
	  "map exact and replicated at all times, so force_check changes nothing\n"
	  "and nothing is communicated." },
	{ "collect_(self, target_rank=0)", m_collect_,
	  "Move the whole array onto one rank (in place; returns the array): rank\n"
	  "target_rank holds every row along the split axis, the other ranks hold\n"
	  "empty chunks. TypeError when target_rank is not an int, ValueError\n"
	  "'target rank is out of bounds' when it is not a rank. Nothing happens\n"
	  "to a replicated array or on one rank.\n\n"
	  "Collective: one Alltoallv (\"redistribute\"). balance_() spreads the\n"
	  "rows out again." },
	{ "stride(self, dim=None)", m_stride,
	  "torch's Tensor.stride(): the number of elements to step along each axis\n"
	  "of this rank's (C-contiguous) chunk, as a tuple; with dim, that axis's\n"
	  "stride as an int. Rank-local (chunk lengths differ between ranks).\n"
	  "x.strides gives the same in bytes (NumPy's)." },
	{ "fill_diagonal(self, value)", m_fill_diagonal,
	  "Set the main diagonal x[i, i] (i < min(n, m)) of a 2-D array to value,\n"
	  "in place, and return the array. value is a number or a one-element\n"
	  "array, converted to x's dtype. Any split: each rank writes the diagonal\n"
	  "elements inside its chunk, no communication. ValueError 'Only 2D\n"
	  "tensors supported at the moment' for other dimensions." },
	{ "__array__(self, dtype=None)", m_array,
	  "This rank's chunk as a rank-local array (Heat returns it as a NumPy\n"
	  "array), optionally converted to dtype. The same data as x.larray." },
	{ 0 }
};

static const hi_builtin_def lloc_method_defs[] = {
	{ "__getitem__(self, key)", m_lloc_getitem,
	  "x.lloc[key]: index this rank's chunk (local indices, NumPy rules);\n"
	  "the result is rank-local. No communication." },
	{ "__setitem__(self, key, value)", m_lloc_setitem,
	  "x.lloc[key] = value: write into this rank's chunk only (local\n"
	  "indices). value is a number, a list, a rank-local array or a\n"
	  "replicated array; a distributed array is a TypeError. No communication." },
	{ 0 }
};

static const hi_builtin_def helper_defs[] = {
	{ "get(x)", f_identity,
	  "__partitioned__['get']: returns the partition data it is given (the\n"
	  "data of a partition already lives in this process)." },
	{ 0 }
};

void hi_init_array_dist(void)
{
	hi_val t = hi_type_new("LocalIndex", NULL, 0, -1,
	                       "x.lloc: local indexing of this rank's chunk (x.lloc[key], x.lloc[key] = v).");
	lloc_type = hi_iserr(t) ? NULL : (hi_type *)t.o;   /* kept for the process's life */
	lloc_methods = hi_dict_new();
	hi_register(lloc_methods, lloc_method_defs, "heat.LocalIndex");
	hi_val helpers = hi_dict_new();
	hi_register(helpers, helper_defs, "heat.DNDarray.__partitioned__");
	if (hi_dict_get_str(helpers, "get", &partitioned_get) != 1)
		partitioned_get = hi_none();
	hi_decref(helpers);
	hi_slots *s = hi_slots_of(HI_OBJECT);
	if (!s->getitem)
		s->getitem = object_getitem;
	if (!s->setitem)
		s->setitem = object_setitem;
	hi_register_getattr(HI_ARRAY, dist_getattr);
	hi_register_attrnames(HI_ARRAY, dist_attrs);
	hi_register_methods(HI_ARRAY, dist_methods);
}
