/*
** ht_creation.c — array factories: array asarray zeros ones empty full
** (and their _like forms) arange linspace logspace eye identity meshgrid.
** None of them communicates except array(..., is_split=k), which
** gathers every rank's chunk length once.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

/* The common trailing arguments: dtype, split (against ndim), device, comm. */
typedef struct cargs {
	ha_dtype dtype;
	int split;
	ha_device dev;
	ha_comm *comm;
} cargs;

static int common(hi_val dtype, ha_dtype dflt, hi_val split, int ndim, hi_val device, hi_val comm,
                  cargs *c)
{
	if (hi_opt_dtype(dtype, dflt, &c->dtype) || hi_get_device(device, &c->dev)
	    || hi_get_comm(comm, &c->comm) || hi_get_split(split, ndim, &c->split))
		return -1;
	return 0;
}

/* ---- array / asarray ---- */

static hi_val make_array(hi_val obj, hi_val dtype, hi_val copy, int64_t ndmin, hi_val split,
                         hi_val is_split, hi_val device, hi_val comm)
{
	ha_device dev;
	ha_comm *cm;
	if (hi_get_device(device, &dev) || hi_get_comm(comm, &cm))
		return hi_err();
	int have_dtype = !(hi_isabsent(dtype) || dtype.kind == HI_NONE);
	ha_dtype t = HA_FLOAT32;
	if (have_dtype && hi_get_dtype(dtype, &t))
		return hi_err();
	int given_split = !(hi_isabsent(split) || split.kind == HI_NONE);
	int given_is_split = !(hi_isabsent(is_split) || is_split.kind == HI_NONE);
	if (given_split && given_is_split)
		return hi_raise(hi_ValueError, "split and is_split are mutually exclusive parameters");
	if (ndmin < 0 || ndmin > HA_MAXDIM)
		return hi_raise(hi_ValueError, "ndmin must be between 0 and %d", HA_MAXDIM);
	if (obj.kind == HI_ARRAY) {
		ha_array *a = hi_arr(obj);
		int want_copy = hi_isabsent(copy) || copy.kind == HI_NONE ? 0 : hi_truthy(copy);
		if (want_copy < 0)
			return hi_err();
		if (given_is_split) {
			int ax;
			if (hi_get_split(is_split, a->ndim, &ax))
				return hi_err();
			ha_dtype tt = have_dtype ? t : a->dtype;
			ha_array *src = tt == a->dtype ? ha_retain(a) : ha_astype(a, tt);
			if (!src)
				return hi_raise_ha();
			ha_array *r = ha_array_from_local(tt, src->ndim, src->lshape, src->data, ax, dev, cm);
			ha_release(src);
			return hi_array_new(r);
		}
		ha_array *r = have_dtype && t != a->dtype ? ha_astype(a, t)
		              : want_copy ? ha_copy(a) : ha_retain(a);
		if (!r)
			return hi_raise_ha();
		if (r == a && ndmin <= a->ndim && (!given_split || hi_isabsent(split))) {
			/* nothing to change: the same array (asarray(x) is x) */
			ha_release(r);
			return hi_incref(obj);
		}
		while (r->ndim < ndmin) {
			ha_array *e = ha_expand_dims(r, 0);
			ha_release(r);
			if (!e)
				return hi_raise_ha();
			r = e;
		}
		if (given_split) {
			int ax;
			if (hi_get_split(split, r->ndim, &ax)) {
				ha_release(r);
				return hi_err();
			}
			if (ax != r->split) {
				ha_array *s = ha_resplit(r, ax);
				ha_release(r);
				return hi_array_new(s);
			}
		}
		return hi_array_new(r);
	}
	if (obj.kind == HI_STR || obj.kind == HI_DICT || obj.kind == HI_NONE)
		return hi_raise(hi_TypeError, "cannot make an array of a '%s' (expected a number, a nested "
		                "list/tuple of numbers, or a DNDarray)", hi_type_name(obj));
	int sp = HA_SPLIT_NONE;
	if (given_split || given_is_split) {
		hi_val s = given_split ? split : is_split;
		if (s.kind != HI_INT)
			return hi_raise(hi_TypeError, "split must be None or an int, not '%s'", hi_type_name(s));
		sp = (int)s.i;
	}
	if (obj.local && !given_is_split)
		cm = &hi_self_comm;    /* rank-local data stays a rank-local array */
	ha_array *r = hi_array_from_value(obj, have_dtype ? (int)t : -1, HA_SPLIT_NONE, 0, dev, cm,
	                                  (int)ndmin);
	if (!r)
		return hi_err();
	if (sp < 0 && (given_split || given_is_split))
		sp += r->ndim;
	if (sp != HA_SPLIT_NONE && (sp < 0 || sp >= r->ndim)) {
		ha_release(r);
		return hi_raise(hi_ValueError, "split axis %lld is out of bounds for array of dimension %d",
		                (long long)(given_split ? split.i : is_split.i), r->ndim);
	}
	if (given_is_split) {
		ha_array *g = ha_array_from_local(r->dtype, r->ndim, r->lshape, r->data, sp, dev, cm);
		ha_release(r);
		return hi_array_new(g);
	}
	if (sp != HA_SPLIT_NONE && cm != &hi_self_comm) {
		/* replicated -> split is a local slice */
		if (ha_resplit_(r, sp)) {
			ha_release(r);
			return hi_raise_ha();
		}
	}
	return hi_array_new(r);
}

/* array/asarray are registered with local_result = -1 and decide
** locality here: with is_split the rank-local pieces form ONE global
** array; without it, rank-local data makes a rank-local array. */
static hi_val locality(hi_val r, hi_val data, hi_val is_split)
{
	if (!hi_iserr(r) && is_split.kind == HI_NONE)
		r = hi_setlocal(r, data.local);
	return r;
}

static hi_val f_array(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t ndmin = 0;
	if (hi_as_int64(a[3], &ndmin, "ndmin"))
		return hi_err();
	return locality(make_array(a[0], a[1], a[2], ndmin, a[5], a[6], a[7], a[8]), a[0], a[6]);
}

static hi_val f_asarray(hi_val *a, void *ctx)
{
	(void)ctx;
	return locality(make_array(a[0], a[1], a[2], 0, hi_none(), a[4], a[5], a[6]), a[0], a[4]);
}

/* ---- shape-based factories ---- */

enum { K_EMPTY, K_ZEROS, K_ONES };

static hi_val shaped(hi_val *a, int kind)
{
	int nd;
	int64_t shape[HA_MAXDIM];
	cargs c;
	if (hi_get_shape(a[0], &nd, shape, "shape"))
		return hi_err();
	if (common(a[1], HA_FLOAT32, a[2], nd, a[3], a[4], &c))
		return hi_err();
	ha_array *r = kind == K_EMPTY ? ha_empty(c.dtype, nd, shape, c.split, c.dev, c.comm)
	            : kind == K_ZEROS ? ha_zeros(c.dtype, nd, shape, c.split, c.dev, c.comm)
	                              : ha_ones(c.dtype, nd, shape, c.split, c.dev, c.comm);
	return hi_array_new(r);
}

static hi_val f_zeros(hi_val *a, void *ctx) { (void)ctx; return shaped(a, K_ZEROS); }
static hi_val f_ones(hi_val *a, void *ctx) { (void)ctx; return shaped(a, K_ONES); }
static hi_val f_empty(hi_val *a, void *ctx) { (void)ctx; return shaped(a, K_EMPTY); }

static int fill_scalar(hi_val v, ha_scalar *s)
{
	if (hi_val_scalar(v, s))
		return 0;
	if (v.kind == HI_ARRAY && ha_gnumel(hi_arr(v)) == 1)
		return hi_array_item(hi_arr(v), s);
	return hi_raisei(hi_TypeError, "fill_value must be a number, not '%s'", hi_type_name(v));
}

static hi_val f_full(hi_val *a, void *ctx)
{
	(void)ctx;
	int nd;
	int64_t shape[HA_MAXDIM];
	cargs c;
	ha_scalar s;
	if (hi_get_shape(a[0], &nd, shape, "shape") || fill_scalar(a[1], &s))
		return hi_err();
	if (common(a[2], HA_FLOAT32, a[3], nd, a[4], a[5], &c))
		return hi_err();
	return hi_array_new(ha_full(c.dtype, nd, shape, s, c.split, c.dev, c.comm));
}

/* *_like: dtype -1 and split HA_SPLIT_DEFAULT keep the input's. */
static int like_args(hi_val arr, hi_val dtype, hi_val split, ha_array **a, int *dt, int *sp)
{
	*a = hi_as_array(arr, -1, NULL);
	if (!*a)
		return -1;
	*dt = -1;
	*sp = HA_SPLIT_DEFAULT;
	ha_dtype t;
	if (!(hi_isabsent(dtype) || dtype.kind == HI_NONE)) {
		if (hi_get_dtype(dtype, &t))
			goto fail;
		*dt = (int)t;
	}
	if (!(hi_isabsent(split) || split.kind == HI_NONE)) {
		if (hi_get_split(split, (*a)->ndim, sp))
			goto fail;
	}
	return 0;
fail:
	ha_release(*a);
	return -1;
}

static hi_val liked(hi_val *a, int kind)
{
	ha_array *x;
	int dt, sp;
	ha_device dev;
	if (hi_get_device(a[3], &dev) || like_args(a[0], a[1], a[2], &x, &dt, &sp))
		return hi_err();
	ha_array *r = kind == K_EMPTY ? ha_empty_like(x, dt, sp)
	            : kind == K_ZEROS ? ha_zeros_like(x, dt, sp) : ha_ones_like(x, dt, sp);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_zeros_like(hi_val *a, void *ctx) { (void)ctx; return liked(a, K_ZEROS); }
static hi_val f_ones_like(hi_val *a, void *ctx) { (void)ctx; return liked(a, K_ONES); }
static hi_val f_empty_like(hi_val *a, void *ctx) { (void)ctx; return liked(a, K_EMPTY); }

static hi_val f_full_like(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x;
	int dt, sp;
	ha_scalar s;
	ha_device dev;
	if (fill_scalar(a[1], &s) || hi_get_device(a[4], &dev) || like_args(a[0], a[2], a[3], &x, &dt, &sp))
		return hi_err();
	ha_array *r = ha_full_like(x, s, dt, sp);
	ha_release(x);
	return hi_array_new(r);
}

/* ---- ranges ---- */

static int real_arg(hi_val v, double *d, int *is_int, const char *what)
{
	if (v.kind == HI_INT || v.kind == HI_BOOL) {
		*d = (double)v.i;
		return 0;
	}
	*is_int = 0;
	if (v.kind == HI_ARRAY && ha_gnumel(hi_arr(v)) == 1) {
		ha_scalar s;
		if (hi_array_item(hi_arr(v), &s))
			return -1;
		if (s.kind == HA_SCALAR_FLOAT)
			*d = s.re;
		else if (s.kind == HA_SCALAR_COMPLEX)
			return hi_raisei(hi_TypeError, "%s must be a real number", what);
		else {
			*d = (double)s.i;
			*is_int = 1;
		}
		return 0;
	}
	return hi_as_double(v, d, what);
}

static hi_val f_arange(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_tuple *t = hi_as_tuple(a[0]);
	if (t->len < 1 || t->len > 3)
		return hi_raise(hi_TypeError, "arange() takes 1 to 3 positional arguments (start, stop, step) "
		                "but %zu were given", t->len);
	double v[3];
	int all_int = 1;
	for (size_t i = 0; i < t->len; i++) {
		int is_int = 1;
		if (real_arg(t->items[i], &v[i], &is_int, "arange() argument"))
			return hi_err();
		all_int &= is_int && (t->items[i].kind == HI_INT || t->items[i].kind == HI_BOOL
		                      || t->items[i].kind == HI_ARRAY);
	}
	double start = 0, stop, step = 1;
	if (t->len == 1) {
		stop = v[0];
	} else {
		start = v[0];
		stop = v[1];
		if (t->len == 3)
			step = v[2];
	}
	cargs c;
	if (common(a[1], all_int ? HA_INT32 : HA_FLOAT32, a[2], 1, a[3], a[4], &c))
		return hi_err();
	return hi_array_new(ha_arange(start, stop, step, c.dtype, c.split, c.dev, c.comm));
}

static hi_val f_linspace(hi_val *a, void *ctx)
{
	(void)ctx;
	double start, stop;
	int64_t num;
	int is_int = 1;
	if (real_arg(a[0], &start, &is_int, "start") || real_arg(a[1], &stop, &is_int, "stop")
	    || hi_as_int64(a[2], &num, "num"))
		return hi_err();
	int endpoint = hi_truthy(a[3]), retstep = hi_truthy(a[4]);
	if (endpoint < 0 || retstep < 0)
		return hi_err();
	cargs c;
	if (common(a[5], HA_FLOAT32, a[6], 1, a[7], a[8], &c))
		return hi_err();
	hi_val r = hi_array_new(ha_linspace(start, stop, num, endpoint, c.dtype, c.split, c.dev, c.comm));
	if (hi_iserr(r) || !retstep)
		return r;
	int64_t div = endpoint ? num - 1 : num;
	hi_val st = hi_float(div > 0 ? (stop - start) / (double)div : NAN);
	hi_val tup = hi_tuple_pack(2, r, st);
	hi_decref(r);
	return tup;
}

static hi_val f_logspace(hi_val *a, void *ctx)
{
	(void)ctx;
	double start, stop, base;
	int64_t num;
	int is_int = 1;
	if (real_arg(a[0], &start, &is_int, "start") || real_arg(a[1], &stop, &is_int, "stop")
	    || hi_as_int64(a[2], &num, "num") || hi_as_double(a[4], &base, "base"))
		return hi_err();
	int endpoint = hi_truthy(a[3]);
	if (endpoint < 0)
		return hi_err();
	cargs c;
	if (common(a[5], HA_FLOAT32, a[6], 1, a[7], a[8], &c))
		return hi_err();
	return hi_array_new(ha_logspace(start, stop, num, endpoint, base, c.dtype, c.split, c.dev, c.comm));
}

static hi_val f_eye(hi_val *a, void *ctx)
{
	(void)ctx;
	int nd;
	int64_t shape[HA_MAXDIM];
	if (hi_get_shape(a[0], &nd, shape, "shape"))
		return hi_err();
	if (nd < 1 || nd > 2)
		return hi_raise(hi_ValueError, "eye() takes an int or a tuple of two ints as shape");
	int64_t n = shape[0], m = nd == 2 ? shape[1] : shape[0], k;
	if (hi_as_int64(a[6], &k, "k"))
		return hi_err();
	cargs c;
	if (common(a[1], HA_FLOAT32, a[2], 2, a[3], a[4], &c))
		return hi_err();
	return hi_array_new(ha_eye(n, m, k, c.dtype, c.split, c.dev, c.comm));
}

static hi_val f_identity(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t n;
	if (hi_as_int64(a[0], &n, "n"))
		return hi_err();
	if (n < 0)
		return hi_raise(hi_ValueError, "negative dimensions are not allowed");
	cargs c;
	if (common(a[1], HA_FLOAT32, a[2], 2, a[3], a[4], &c))
		return hi_err();
	return hi_array_new(ha_eye(n, n, 0, c.dtype, c.split, c.dev, c.comm));
}

static hi_val f_meshgrid(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_tuple *t = hi_as_tuple(a[0]);
	if (a[1].kind != HI_STR || (strcmp(hi_as_str(a[1])->s, "xy") && strcmp(hi_as_str(a[1])->s, "ij")))
		return hi_raise(hi_ValueError, "Valid values for `indexing` are 'xy' and 'ij'.");
	int n = (int)t->len;
	if (n == 1 && (t->items[0].kind == HI_LIST || t->items[0].kind == HI_TUPLE)) {
		hi_val inner = t->items[0];
		hi_val *its = inner.kind == HI_LIST ? hi_as_list(inner)->items : hi_as_tuple(inner)->items;
		size_t len = inner.kind == HI_LIST ? hi_as_list(inner)->len : hi_as_tuple(inner)->len;
		int all_arrays = len > 0;
		for (size_t i = 0; i < len; i++)
			if (its[i].kind != HI_ARRAY)
				all_arrays = 0;
		if (all_arrays) {
			hi_val tup = hi_tuple_from(inner);
			if (hi_iserr(tup))
				return tup;
			hi_val args[2] = { tup, a[1] };
			hi_val r = f_meshgrid(args, ctx);
			hi_decref(tup);
			return r;
		}
	}
	if (n > HA_MAXDIM)
		return hi_raise(hi_ValueError, "meshgrid() takes at most %d arrays", HA_MAXDIM);
	ha_array *in[HA_MAXDIM] = { 0 }, *out[HA_MAXDIM] = { 0 };
	for (int i = 0; i < n; i++) {
		in[i] = hi_as_array(t->items[i], -1, NULL);
		if (!in[i]) {
			while (i--)
				ha_release(in[i]);
			return hi_err();
		}
	}
	int rc = ha_meshgrid(n, in, !strcmp(hi_as_str(a[1])->s, "xy"), out);
	for (int i = 0; i < n; i++)
		ha_release(in[i]);
	if (rc)
		return hi_raise_ha();
	hi_val l = hi_list_new((size_t)n);
	for (int i = 0; i < n; i++) {
		hi_val v = hi_array_new(out[i]);
		if (!hi_iserr(v) && !hi_iserr(l))
			hi_list_append(l, v);
		hi_decref(v);
	}
	return l;
}

#define FACTORY_NOTE \
	"\n\nNo communication: every rank allocates and fills only its own chunk.\n" \
	"With split=k the result is balanced along axis k (the first n % P ranks\n" \
	"hold one row more); split=None (default) gives a full copy on every rank.\n" \
	"device='gpu' raises ValueError 'Unknown device, must be one of cpu' when no\n" \
	"GPU backend is loaded."

static const hi_builtin_def creation_defs[] = {
	{ "array(obj, dtype=None, copy=None, ndmin=0, order='C', split=None, is_split=None, device=None, comm=None)",
	  f_array,
	  "Create a DNDarray from a number, a nested list/tuple or another DNDarray.\n\n"
	  "Parameters\n----------\n"
	  "obj : array_like\n    The data. Every rank passes the same data (unless is_split is given).\n"
	  "dtype : dtype, optional\n    Default: inferred as Heat does: bool, int64 for integers, float32 for\n"
	  "    floats, complex64 for complex numbers.\n"
	  "copy : bool, optional\n    Copy a DNDarray argument (the default shares it when nothing changes).\n"
	  "ndmin : int\n    Prepend size-1 axes until the result has at least ndmin dimensions.\n"
	  "split : int or None\n    Distribute the result along this axis; each rank keeps its chunk of\n"
	  "    the data (a local slice, no communication).\n"
	  "is_split : int or None\n    The data on each rank is that rank's chunk along this axis; the\n"
	  "    global shape is the sum of the chunk lengths. Collective: one Allgatherv\n"
	  "    of the chunk shapes. The result need not be balanced.\n"
	  "device, comm : optional\n    Device ('cpu') and communicator (default: the world).\n\n"
	  "Examples\n--------\n"
	  ">>> ht.array([1, 2, 3])\nDNDarray([1, 2, 3], dtype=ht.int64, device=cpu:0, split=None)\n"
	  ">>> ht.array([[1., 2.], [3., 4.]], split=0)   # rows over the ranks" },
	{ "asarray(obj, dtype=None, copy=None, order='C', is_split=None, device=None, comm=None)", f_asarray,
	  "Convert the input to a DNDarray; a DNDarray is returned as it is when\n"
	  "dtype does not change it. See ht.array for the parameters. No\n"
	  "communication unless is_split is given." },
	{ "zeros(shape, dtype=None, split=None, device=None, comm=None, order='C')", f_zeros,
	  "A new array of the given shape filled with zeros (dtype float32 by default).\n\n"
	  "Example: ht.zeros((3, 4), split=0)" FACTORY_NOTE },
	{ "ones(shape, dtype=None, split=None, device=None, comm=None, order='C')", f_ones,
	  "A new array of the given shape filled with ones (dtype float32 by default).\n\n"
	  "Example: ht.ones((4, 5))" FACTORY_NOTE },
	{ "empty(shape, dtype=None, split=None, device=None, comm=None, order='C')", f_empty,
	  "A new array of the given shape whose values are not initialised (dtype\n"
	  "float32 by default)." FACTORY_NOTE },
	{ "full(shape, fill_value, dtype=None, split=None, device=None, comm=None, order='C')", f_full,
	  "A new array of the given shape filled with fill_value. The dtype is\n"
	  "float32 by default even for an integer fill value, as in Heat.\n\n"
	  "Example: ht.full((3, 2), fill_value=9)" FACTORY_NOTE },
	{ "zeros_like(a, dtype=None, split=None, device=None, comm=None, order='C')", f_zeros_like,
	  "Zeros with the shape of a; dtype and split default to a's. No communication." },
	{ "ones_like(a, dtype=None, split=None, device=None, comm=None, order='C')", f_ones_like,
	  "Ones with the shape of a; dtype and split default to a's. No communication." },
	{ "empty_like(a, dtype=None, split=None, device=None, comm=None, order='C')", f_empty_like,
	  "Uninitialised values with the shape of a; dtype and split default to a's.\n"
	  "No communication." },
	{ "full_like(a, fill_value, dtype=None, split=None, device=None, comm=None, order='C')", f_full_like,
	  "fill_value with the shape of a; dtype and split default to a's. No communication." },
	{ "arange(*args, dtype=None, split=None, device=None, comm=None)", f_arange,
	  "Evenly spaced values in [start, stop) with step: arange(stop),\n"
	  "arange(start, stop), arange(start, stop, step).\n\n"
	  "The dtype is int32 when all arguments are integers, float32 otherwise.\n"
	  "Example: ht.arange(10), ht.arange(60, split=0).reshape(5, 4, 3)" FACTORY_NOTE },
	{ "linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, split=None, device=None, comm=None)",
	  f_linspace,
	  "num evenly spaced samples from start to stop (stop included when\n"
	  "endpoint). With retstep=True returns (samples, step). dtype float32 by\n"
	  "default." FACTORY_NOTE },
	{ "logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, split=None, device=None, comm=None)",
	  f_logspace,
	  "base ** linspace(start, stop, num, endpoint): numbers evenly spaced on a\n"
	  "log scale. dtype float32 by default." FACTORY_NOTE },
	{ "eye(shape, dtype=None, split=None, device=None, comm=None, order='C', k=0)", f_eye,
	  "A 2-D array with ones on the diagonal (diagonal k: k > 0 above the main\n"
	  "one) and zeros elsewhere. shape is n or (n, m). dtype float32 by default."
	  FACTORY_NOTE },
	{ "identity(n, dtype=None, split=None, device=None, comm=None)", f_identity,
	  "The n x n identity matrix (ht.eye(n)). dtype float32 by default." FACTORY_NOTE },
	{ "meshgrid(*arrays, indexing='xy')", f_meshgrid,
	  "Coordinate matrices from coordinate vectors (a list of arrays).\n\n"
	  "indexing='xy' (default) swaps the first two output axes like NumPy;\n"
	  "'ij' keeps matrix indexing. At most one input may be split; each output\n"
	  "is split along that input's axis. No communication." },
	{ 0 }
};

void hi_init_ht_creation(void)
{
	hi_ht_register(creation_defs, 0);
}
