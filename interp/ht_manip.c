/*
** ht_manip.c — the manipulation functions of the heat module: joining
** (concatenate stack hstack vstack row_stack column_stack), splitting
** (split array_split hsplit vsplit dsplit), reordering (swapaxes moveaxis
** flip fliplr flipud rot90 roll), growing (pad repeat tile), diff,
** diagonals (diagonal diag), nonzero and one-argument where, and the sort
** family (sort argsort topk searchsorted unique percentile median).
** The runtime does the work (include/ha_manip.h); this file converts
** arguments and results.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

static ha_array *arr(hi_val v)
{
	return hi_as_array(v, -1, NULL);
}

/* Items of a tuple or list; TypeError for anything else. */
static int seq_items(hi_val v, size_t *n, hi_val **items, const char *what)
{
	if (v.kind == HI_TUPLE) {
		*n = hi_as_tuple(v)->len;
		*items = hi_as_tuple(v)->items;
		return 0;
	}
	if (v.kind == HI_LIST) {
		*n = hi_as_list(v)->len;
		*items = hi_as_list(v)->items;
		return 0;
	}
	return hi_raisei(hi_TypeError, "%s must be a tuple or list, not '%s'", what, hi_type_name(v));
}

static void release_all(ha_array **a, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i])
			ha_release(a[i]);
	free(a);
}

/* A sequence of array-likes as runtime arrays (new references). */
static ha_array **arrays_of(hi_val v, int *n, const char *what)
{
	size_t len = 0;
	hi_val *it = NULL;
	if (v.kind == HI_ARRAY)
		return (void)hi_raise(hi_TypeError, "%s must be a sequence of arrays, not one DNDarray",
		                      what), NULL;
	if (seq_items(v, &len, &it, what))
		return NULL;
	ha_array **a = calloc(len ? len : 1, sizeof(ha_array *));
	if (!a)
		return (void)hi_raise(hi_MemoryError, "out of memory"), NULL;
	for (size_t i = 0; i < len; i++) {
		a[i] = arr(it[i]);
		if (!a[i]) {
			release_all(a, (int)len);
			return NULL;
		}
	}
	*n = (int)len;
	return a;
}

/* An int, a sequence of ints, or an integer DNDarray, as int64s (malloc'd). */
static int64_t *ints_of(hi_val v, int64_t *n, const char *what)
{
	int64_t *out;
	if (v.kind == HI_INT || v.kind == HI_BOOL) {
		out = malloc(sizeof(int64_t));
		if (!out)
			return (void)hi_raise(hi_MemoryError, "out of memory"), NULL;
		out[0] = v.i;
		*n = 1;
		return out;
	}
	if (v.kind == HI_ARRAY) {
		ha_array *a = hi_arr(v);
		if (!ha_dtype_is_int(a->dtype) && a->dtype != HA_BOOL)
			return (void)hi_raise(hi_TypeError, "%s must contain integers, not %s", what,
			                      ha_dtype_name(a->dtype)), NULL;
		ha_array *r = ha_resplit(a, HA_SPLIT_NONE);
		ha_array *c = r ? ha_astype(r, HA_INT64) : NULL;
		if (r)
			ha_release(r);
		if (!c)
			return (void)hi_raise_ha(), NULL;
		*n = ha_gnumel(c);
		out = malloc(sizeof(int64_t) * (size_t)(*n ? *n : 1));
		if (out)
			memcpy(out, c->data, sizeof(int64_t) * (size_t)*n);
		ha_release(c);
		if (!out)
			return (void)hi_raise(hi_MemoryError, "out of memory"), NULL;
		return out;
	}
	size_t len = 0;
	hi_val *it = NULL;
	if (seq_items(v, &len, &it, what))
		return NULL;
	out = malloc(sizeof(int64_t) * (len ? len : 1));
	if (!out)
		return (void)hi_raise(hi_MemoryError, "out of memory"), NULL;
	for (size_t i = 0; i < len; i++)
		if (hi_as_int64(it[i], &out[i], what)) {
			free(out);
			return NULL;
		}
	*n = (int64_t)len;
	return out;
}

static int axis_of(hi_val v, int *out)
{
	int64_t x;
	if (hi_as_int64(v, &x, "axis"))
		return -1;
	*out = (int)x;
	return 0;
}

/* Wrap n arrays as a tuple / list (steals them). */
static hi_val pack(ha_array **a, int n, int as_list)
{
	hi_val r = as_list ? hi_list_new((size_t)n) : hi_tuple_new((size_t)n);
	for (int i = 0; i < n; i++) {
		hi_val x = hi_array_new(a[i]);
		a[i] = NULL;
		if (hi_iserr(r) || hi_iserr(x)) {
			if (!hi_iserr(x))
				hi_decref(x);
			for (int j = i + 1; j < n; j++)
				ha_release(a[j]);
			if (!hi_iserr(r))
				hi_decref(r);
			return hi_err();
		}
		if (as_list) {
			hi_list_append(r, x);
			hi_decref(x);
		} else {
			hi_tuple_set(r, (size_t)i, x);
		}
	}
	return r;
}

/* ---- joining ---- */

typedef ha_array *(*joinfn)(int, ha_array *const *);

static hi_val join(hi_val seq, joinfn fn, const char *what)
{
	int n = 0;
	ha_array **a = arrays_of(seq, &n, what);
	if (!a)
		return hi_err();
	ha_array *r = fn(n, a);
	release_all(a, n);
	return hi_array_new(r);
}

typedef ha_array *(*joinaxisfn)(int, ha_array *const *, int);

static hi_val join_axis(hi_val seq, hi_val axv, joinaxisfn fn)
{
	int axis, n = 0;
	if (axis_of(axv, &axis))
		return hi_err();
	ha_array **x = arrays_of(seq, &n, "arrays");
	if (!x)
		return hi_err();
	ha_array *r = fn(n, x, axis);
	release_all(x, n);
	return hi_array_new(r);
}

static hi_val f_concatenate(hi_val *a, void *ctx) { (void)ctx; return join_axis(a[0], a[1], ha_concatenate); }
static hi_val f_stack(hi_val *a, void *ctx) { (void)ctx; return join_axis(a[0], a[1], ha_stack); }

static hi_val f_hstack(hi_val *a, void *ctx) { (void)ctx; return join(a[0], ha_hstack, "arrays"); }
static hi_val f_vstack(hi_val *a, void *ctx) { (void)ctx; return join(a[0], ha_vstack, "arrays"); }
static hi_val f_column_stack(hi_val *a, void *ctx)
{
	(void)ctx;
	return join(a[0], ha_column_stack, "arrays");
}

/* ---- splitting ---- */

/* mode: 0 split (equal), 1 array_split, 2 hsplit, 3 vsplit, 4 dsplit */
static hi_val do_split(hi_val xv, hi_val spec, hi_val axv, int mode)
{
	ha_array *x = arr(xv);
	if (!x)
		return hi_err();
	int axis = 0;
	if (mode <= 1) {
		if (axis_of(axv, &axis)) {
			ha_release(x);
			return hi_err();
		}
	} else {
		static const char *const nm[] = { "", "", "hsplit", "vsplit", "dsplit" };
		int need = mode == 2 ? 1 : mode == 3 ? 2 : 3;
		if (x->ndim < need) {
			ha_release(x);
			return hi_raise(hi_ValueError, "%s only works on arrays of %d or more dimensions",
			                nm[mode], need);
		}
		axis = mode == 2 ? (x->ndim > 1 ? 1 : 0) : mode == 3 ? 0 : 2;
	}
	ha_array **out = NULL;
	int n = 0, rc;
	if (spec.kind == HI_INT || spec.kind == HI_BOOL) {
		if (spec.i <= 0) {
			ha_release(x);
			return hi_raise(hi_ValueError, "number sections must be larger than 0.");
		}
		n = (int)spec.i;
		out = calloc((size_t)n, sizeof(ha_array *));
		rc = out ? ha_split_sections(x, spec.i, axis, mode != 1, out) : -1;
	} else {
		int64_t ni = 0, *idx = ints_of(spec, &ni, "indices_or_sections");
		if (!idx) {
			ha_release(x);
			return hi_err();
		}
		n = (int)ni + 1;
		out = calloc((size_t)n, sizeof(ha_array *));
		rc = out ? ha_split_at(x, (int)ni, idx, axis, out) : -1;
		free(idx);
	}
	ha_release(x);
	if (!out)
		return hi_raise(hi_MemoryError, "out of memory");
	if (rc) {
		free(out);
		return hi_raise_ha();
	}
	hi_val r = pack(out, n, 1);
	free(out);
	return r;
}

static hi_val f_split(hi_val *a, void *ctx) { (void)ctx; return do_split(a[0], a[1], a[2], 0); }
static hi_val f_array_split(hi_val *a, void *ctx) { (void)ctx; return do_split(a[0], a[1], a[2], 1); }
static hi_val f_hsplit(hi_val *a, void *ctx) { (void)ctx; return do_split(a[0], a[1], a[1], 2); }
static hi_val f_vsplit(hi_val *a, void *ctx) { (void)ctx; return do_split(a[0], a[1], a[1], 3); }
static hi_val f_dsplit(hi_val *a, void *ctx) { (void)ctx; return do_split(a[0], a[1], a[1], 4); }

/* ---- reordering ---- */

static hi_val f_swapaxes(hi_val *a, void *ctx)
{
	(void)ctx;
	int a1, a2;
	if (axis_of(a[1], &a1) || axis_of(a[2], &a2))
		return hi_err();
	ha_array *x = arr(a[0]);
	if (!x)
		return hi_err();
	ha_array *r = ha_swapaxes(x, a1, a2);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_moveaxis(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t ns = 0, nd = 0, *s = ints_of(a[1], &ns, "source"), *d = s ? ints_of(a[2], &nd, "destination") : NULL;
	if (!s || !d) {
		free(s);
		return hi_err();
	}
	if (ns != nd || ns > HA_MAXDIM) {
		free(s);
		free(d);
		return hi_raise(hi_ValueError, "`source` and `destination` arguments must have the same "
		                "number of elements");
	}
	int si[HA_MAXDIM], di[HA_MAXDIM];
	for (int i = 0; i < ns; i++) {
		si[i] = (int)s[i];
		di[i] = (int)d[i];
	}
	free(s);
	free(d);
	ha_array *x = arr(a[0]);
	if (!x)
		return hi_err();
	ha_array *r = ha_moveaxis(x, (int)ns, si, di);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val flip_axes(hi_val xv, hi_val axv, int fixed)
{
	ha_array *x = arr(xv);
	if (!x)
		return hi_err();
	int axes[HA_MAXDIM], n = -1;
	if (fixed >= 0) {
		if (x->ndim < fixed + 1) {
			ha_release(x);
			return hi_raise(hi_ValueError, "Input must be >= %d-d.", fixed + 1);
		}
		axes[0] = fixed;
		n = 1;
	} else if (axv.kind != HI_NONE) {
		int64_t m = 0, *v = ints_of(axv, &m, "axis");
		if (!v) {
			ha_release(x);
			return hi_err();
		}
		n = (int)(m < HA_MAXDIM ? m : HA_MAXDIM);
		for (int i = 0; i < n; i++)
			axes[i] = (int)v[i];
		free(v);
	}
	ha_array *r = ha_flip(x, n, axes);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_flip(hi_val *a, void *ctx) { (void)ctx; return flip_axes(a[0], a[1], -1); }
static hi_val f_flipud(hi_val *a, void *ctx) { (void)ctx; return flip_axes(a[0], a[0], 0); }
static hi_val f_fliplr(hi_val *a, void *ctx) { (void)ctx; return flip_axes(a[0], a[0], 1); }

static hi_val f_rot90(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t k, na = 0, *ax;
	if (hi_as_int64(a[1], &k, "k"))
		return hi_err();
	if (!(ax = ints_of(a[2], &na, "axes")))
		return hi_err();
	if (na != 2) {
		free(ax);
		return hi_raise(hi_ValueError, "len(axes) must be 2.");
	}
	ha_array *x = arr(a[0]);
	ha_array *r = x ? ha_rot90(x, (int)(k % 4), (int)ax[0], (int)ax[1]) : NULL;
	free(ax);
	if (!x)
		return hi_err();
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_roll(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t ns = 0, na = 0, *sh = ints_of(a[1], &ns, "shift"), *ax = NULL;
	if (!sh)
		return hi_err();
	int axes[HA_MAXDIM];
	int64_t shifts[HA_MAXDIM];
	int n = 0;
	if (a[2].kind != HI_NONE) {
		if (!(ax = ints_of(a[2], &na, "axis"))) {
			free(sh);
			return hi_err();
		}
		/* NumPy broadcasts shift against axis */
		n = (int)(na > ns ? na : ns);
		if ((ns != 1 && na != 1 && ns != na) || n > HA_MAXDIM) {
			free(sh);
			free(ax);
			return hi_raise(hi_ValueError, "'shift' and 'axis' should be scalars or 1D sequences "
			                "of the same length");
		}
		for (int i = 0; i < n; i++) {
			shifts[i] = sh[ns == 1 ? 0 : i];
			axes[i] = (int)ax[na == 1 ? 0 : i];
		}
	} else {
		if (ns != 1) {
			free(sh);
			return hi_raise(hi_ValueError, "shift must be an int when axis is None");
		}
		shifts[0] = sh[0];
	}
	free(sh);
	free(ax);
	ha_array *x = arr(a[0]);
	if (!x)
		return hi_err();
	ha_array *r = ha_roll(x, n, shifts, axes);
	ha_release(x);
	return hi_array_new(r);
}

/* ---- growing ---- */

/* pad_width / constant_values: v, (before, after), or ((b0, a0), ...) ->
** 2 * nd entries.  ints: 1 for integer widths, 0 for scalar values. */
static int per_axis_pairs(hi_val v, int nd, int ints, int64_t *iw, ha_scalar *sv, const char *what)
{
	hi_val flat[2 * HA_MAXDIM];
	size_t n;
	hi_val *it = NULL;
	if (v.kind != HI_TUPLE && v.kind != HI_LIST) {
		for (int i = 0; i < 2 * nd; i++)
			flat[i] = v;
	} else {
		if (seq_items(v, &n, &it, what))
			return -1;
		int nested = n > 0 && (it[0].kind == HI_TUPLE || it[0].kind == HI_LIST);
		if (!nested) {
			if (n != 1 && n != 2)
				return hi_raisei(hi_ValueError, "%s: expected a value, (before, after) or one "
				                 "pair per axis", what);
			for (int d = 0; d < nd; d++) {
				flat[2 * d] = it[0];
				flat[2 * d + 1] = it[n - 1];
			}
		} else {
			if (n != 1 && n != (size_t)nd)
				return hi_raisei(hi_ValueError, "%s: expected one (before, after) pair per "
				                 "axis (%d), got %zu", what, nd, n);
			for (int d = 0; d < nd; d++) {
				size_t m = 0;
				hi_val *p = NULL;
				if (seq_items(it[n == 1 ? 0 : d], &m, &p, what))
					return -1;
				if (m != 1 && m != 2)
					return hi_raisei(hi_ValueError, "%s: each axis needs (before, after)", what);
				flat[2 * d] = p[0];
				flat[2 * d + 1] = p[m - 1];
			}
		}
	}
	for (int i = 0; i < 2 * nd; i++) {
		if (ints) {
			if (flat[i].kind != HI_INT && flat[i].kind != HI_BOOL)
				return hi_raisei(hi_TypeError, "`pad_width` must be of integral type.");
			iw[i] = flat[i].i;
		} else if (!hi_val_scalar(flat[i], &sv[i])) {
			return hi_raisei(hi_TypeError, "%s must be numbers, not '%s'", what,
			                 hi_type_name(flat[i]));
		}
	}
	return 0;
}

static hi_val f_pad(hi_val *a, void *ctx)
{
	(void)ctx;
	static const char *const modes[] = { "constant", "edge", "reflect", "symmetric", "wrap", NULL };
	if (a[2].kind != HI_STR)
		return hi_raise(hi_TypeError, "mode must be a string");
	int mode = -1;
	for (int i = 0; modes[i]; i++)
		if (!strcmp(hi_as_str(a[2])->s, modes[i]))
			mode = i;
	if (mode < 0)
		return hi_raise(hi_ValueError, "mode '%s' is not supported (constant, edge, reflect, "
		                "symmetric, wrap)", hi_as_str(a[2])->s);
	ha_array *x = arr(a[0]);
	if (!x)
		return hi_err();
	int nd = x->ndim;
	int64_t w[2 * HA_MAXDIM];
	ha_scalar cv[2 * HA_MAXDIM];
	if (per_axis_pairs(a[1], nd, 1, w, NULL, "pad_width") ||
	    (mode == 0 && per_axis_pairs(a[3], nd, 0, NULL, cv, "constant_values"))) {
		ha_release(x);
		return hi_err();
	}
	ha_array *r = ha_pad(x, w, (ha_padmode)mode, mode == 0 ? cv : NULL);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_repeat(hi_val *a, void *ctx)
{
	(void)ctx;
	int axis = HA_AXIS_NONE;
	if (a[2].kind != HI_NONE && axis_of(a[2], &axis))
		return hi_err();
	int64_t n = 0, *rep = ints_of(a[1], &n, "repeats");
	if (!rep)
		return hi_err();
	ha_array *x = arr(a[0]);
	ha_array *r = x ? ha_repeat(x, (int)n, rep, axis) : NULL;
	free(rep);
	if (!x)
		return hi_err();
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_tile(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t n = 0, *reps = ints_of(a[1], &n, "reps");
	if (!reps)
		return hi_err();
	ha_array *x = arr(a[0]);
	ha_array *r = x ? ha_tile(x, (int)n, reps) : NULL;
	free(reps);
	if (!x)
		return hi_err();
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_diff(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t n;
	int axis;
	if (hi_as_int64(a[1], &n, "n") || axis_of(a[2], &axis))
		return hi_err();
	ha_array *x = arr(a[0]);
	if (!x)
		return hi_err();
	/* prepend / append: broadcast scalars to one slab, then concatenate */
	if (a[3].kind != HI_NONE || a[4].kind != HI_NONE) {
		int ax;
		if (x->ndim == 0 || axis < -x->ndim || axis >= x->ndim) {
			ha_release(x);
			return hi_raise(hi_ValueError, "axis %d is out of bounds for array of dimension %d",
			                axis, x->ndim);
		}
		ax = axis < 0 ? axis + x->ndim : axis;
		ha_array *parts[3];
		int np = 0;
		for (int s = 3; s <= 4; s++) {
			if (s == 4)
				parts[np++] = ha_retain(x);
			if (a[s].kind == HI_NONE)
				continue;
			ha_array *p = hi_as_array(a[s], x->dtype, x->comm);
			if (p && p->ndim == 0) {
				int64_t sh[HA_MAXDIM];
				memcpy(sh, x->gshape, sizeof(int64_t) * (size_t)x->ndim);
				sh[ax] = 1;
				ha_scalar v = ha_scalar_load(p->dtype, p->data);
				ha_release(p);
				p = ha_full(x->dtype, x->ndim, sh, v, HA_SPLIT_NONE, x->device, x->comm);
				if (!p)
					hi_raise_ha();
			}
			if (!p) {
				for (int i = 0; i < np; i++)
					ha_release(parts[i]);
				ha_release(x);
				return hi_err();
			}
			parts[np++] = p;
		}
		ha_array *c = ha_concatenate(np, parts, ax);
		for (int i = 0; i < np; i++)
			ha_release(parts[i]);
		ha_release(x);
		if (!c)
			return hi_raise_ha();
		x = c;
	}
	ha_array *r = ha_diff(x, (int)n, axis);
	ha_release(x);
	return hi_array_new(r);
}

/* ---- diagonals ---- */

static hi_val f_diagonal(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t k;
	int d1, d2;
	if (hi_as_int64(a[1], &k, "offset") || axis_of(a[2], &d1) || axis_of(a[3], &d2))
		return hi_err();
	ha_array *x = arr(a[0]);
	if (!x)
		return hi_err();
	ha_array *r = ha_diagonal(x, k, d1, d2);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_diag(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t k;
	if (hi_as_int64(a[1], &k, "offset"))
		return hi_err();
	ha_array *x = arr(a[0]);
	if (!x)
		return hi_err();
	ha_array *r = ha_diag(x, k);
	ha_release(x);
	return hi_array_new(r);
}

/* ---- nonzero, where(cond) ---- */

static hi_val nonzero_of(hi_val v)
{
	ha_array *x = arr(v);
	if (!x)
		return hi_err();
	int n = x->ndim ? x->ndim : 1;
	ha_array *out[HA_MAXDIM];
	int rc = ha_nonzero(x, out);
	ha_release(x);
	if (rc)
		return hi_raise_ha();
	return pack(out, n, 0);
}

static hi_val f_nonzero(hi_val *a, void *ctx)
{
	(void)ctx;
	return nonzero_of(a[0]);
}

static hi_val where3;     /* ht.where(cond, x, y) as ht_math registered it */

static hi_val f_where(hi_val *a, void *ctx)
{
	(void)ctx;
	int nx = !hi_isabsent(a[1]), ny = !hi_isabsent(a[2]);
	if (!nx && !ny)
		return nonzero_of(a[0]);
	if (nx != ny)
		return hi_raise(hi_ValueError, "either both or neither of x and y should be given");
	return hi_call(where3, 3, a, 0, NULL, NULL);
}

/* ---- sorting ---- */

/* The array to sort and its axis; axis=None sorts the flattened array. */
static ha_array *sort_operand(hi_val xv, hi_val axv, int *axis)
{
	ha_array *x = arr(xv);
	if (!x)
		return NULL;
	*axis = -1;
	if (axv.kind == HI_NONE) {
		ha_array *f = ha_flatten(x);
		ha_release(x);
		if (!f)
			hi_raise_ha();
		return f;
	}
	if (axis_of(axv, axis)) {
		ha_release(x);
		return NULL;
	}
	return x;
}

static hi_val f_sort(hi_val *a, void *ctx)
{
	(void)ctx;
	int desc = hi_truthy(a[2]), want = hi_truthy(a[4]) || hi_truthy(a[5]);
	if (desc < 0 || want < 0)
		return hi_err();
	if (a[3].kind != HI_NONE)
		return hi_raise(hi_TypeError, "sort(): out= is not supported; assign the result instead");
	int axis;
	ha_array *x = sort_operand(a[0], a[1], &axis);
	if (!x)
		return hi_err();
	ha_array *ix = NULL, *v = ha_sort(x, axis, desc, want ? &ix : NULL);
	ha_release(x);
	if (!v)
		return hi_raise_ha();
	if (!want)
		return hi_array_new(v);
	ha_array *pair[2] = { v, ix };
	return pack(pair, 2, 0);
}

static hi_val f_argsort(hi_val *a, void *ctx)
{
	(void)ctx;
	int desc = hi_truthy(a[2]);
	if (desc < 0)
		return hi_err();
	int axis;
	ha_array *x = sort_operand(a[0], a[1], &axis);
	if (!x)
		return hi_err();
	ha_array *r = ha_argsort(x, axis, desc);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_topk(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t k;
	int axis, largest = hi_truthy(a[3]);
	if (hi_as_int64(a[1], &k, "k") || axis_of(a[2], &axis) || largest < 0)
		return hi_err();
	ha_array *x = arr(a[0]);
	if (!x)
		return hi_err();
	ha_array *out[2];
	int rc = ha_topk(x, k, axis, largest, &out[0], &out[1]);
	ha_release(x);
	if (rc)
		return hi_raise_ha();
	return pack(out, 2, 0);
}

static hi_val f_searchsorted(hi_val *a, void *ctx)
{
	(void)ctx;
	if (a[2].kind != HI_STR || (strcmp(hi_as_str(a[2])->s, "left") && strcmp(hi_as_str(a[2])->s, "right")))
		return hi_raise(hi_ValueError, "side must be 'left' or 'right'");
	int right = !strcmp(hi_as_str(a[2])->s, "right");
	ha_array *s = arr(a[0]);
	if (!s)
		return hi_err();
	int scalar = a[1].kind != HI_ARRAY && a[1].kind != HI_LIST && a[1].kind != HI_TUPLE;
	ha_array *v = hi_as_array(a[1], -1, s->comm);
	if (!v) {
		ha_release(s);
		return hi_err();
	}
	ha_array *r = ha_searchsorted(s, v, right);
	ha_release(s);
	ha_release(v);
	if (!r)
		return hi_raise_ha();
	if (scalar) {
		int64_t i = *(int64_t *)r->data;
		ha_release(r);
		return hi_int(i);
	}
	return hi_array_new(r);
}

static hi_val f_unique(hi_val *a, void *ctx)
{
	(void)ctx;
	int inv = hi_truthy(a[2]);
	if (inv < 0)
		return hi_err();
	int axis = HA_AXIS_NONE;
	if (a[3].kind != HI_NONE && axis_of(a[3], &axis))
		return hi_err();
	ha_array *x = arr(a[0]);
	if (!x)
		return hi_err();
	ha_array *iv = NULL;
	ha_array *u = axis == HA_AXIS_NONE ? ha_unique(x, inv ? &iv : NULL)
	                                   : ha_unique_axis(x, axis, inv ? &iv : NULL);
	ha_release(x);
	if (!u)
		return hi_raise_ha();
	if (!inv)
		return hi_array_new(u);
	ha_array *pair[2] = { u, iv };
	return pack(pair, 2, 0);
}

static int interp_of(hi_val v, ha_interp *out)
{
	static const char *const names[] = { "linear", "lower", "higher", "midpoint", "nearest", NULL };
	if (v.kind == HI_STR)
		for (int i = 0; names[i]; i++)
			if (!strcmp(hi_as_str(v)->s, names[i])) {
				*out = (ha_interp)i;
				return 0;
			}
	return hi_raisei(hi_ValueError, "interpolation must be one of 'linear', 'lower', 'higher', "
	                 "'midpoint', 'nearest'");
}

static hi_val f_percentile(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_interp ip = HA_INTERP_LINEAR;
	int axis = HA_AXIS_NONE, keep = hi_truthy(a[5]);
	if (interp_of(a[4], &ip) || keep < 0)
		return hi_err();
	if (a[3].kind != HI_NONE)
		return hi_raise(hi_TypeError, "percentile(): out= is not supported; assign the result instead");
	if (a[2].kind != HI_NONE && axis_of(a[2], &axis))
		return hi_err();
	/* q: a number, a sequence, or a 1-D array */
	int scalar = a[1].kind != HI_ARRAY && a[1].kind != HI_LIST && a[1].kind != HI_TUPLE;
	ha_array *qa = hi_as_array(a[1], HA_FLOAT64, NULL), *qr = NULL;
	if (!qa)
		return hi_err();
	if (qa->ndim > 1) {
		ha_release(qa);
		return hi_raise(hi_ValueError, "q must be a scalar or 1-D");
	}
	qr = ha_resplit(qa, HA_SPLIT_NONE);
	ha_release(qa);
	ha_array *qd = qr ? ha_astype(qr, HA_FLOAT64) : NULL;
	if (qr)
		ha_release(qr);
	if (!qd)
		return hi_raise_ha();
	ha_array *x = arr(a[0]);
	ha_array *r = x ? ha_percentile(x, (int)ha_gnumel(qd), qd->data, scalar || qd->ndim == 0,
	                                axis, ip, keep) : NULL;
	ha_release(qd);
	if (!x)
		return hi_err();
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_median(hi_val *a, void *ctx)
{
	(void)ctx;
	int axis = HA_AXIS_NONE, keep = hi_truthy(a[2]);
	if (keep < 0 || (a[1].kind != HI_NONE && axis_of(a[1], &axis)))
		return hi_err();
	ha_array *x = arr(a[0]);
	if (!x)
		return hi_err();
	ha_array *r = ha_median(x, axis, keep);
	ha_release(x);
	return hi_array_new(r);
}

/* ---- registration ---- */

#define COLL "Collective: "

static const hi_builtin_def manip_funcs[] = {
	{ "concatenate(arrays, axis=0)", f_concatenate,
	  "Join a sequence of arrays along an existing axis.\n\n"
	  "dtype: the promoted type of the inputs. Result split: the common split;\n"
	  "split + None -> split; when two inputs are split along different axes the\n"
	  "others are resplit to the first one's split (one Alltoallv each).\n"
	  COLL "along a non-split axis every rank joins its own blocks (no\n"
	  "communication); along the split axis the result is balanced and only the\n"
	  "rows that change rank move, in one Alltoallv.\n\n"
	  "Example: ht.concatenate((a, b), axis=0)" },
	{ "stack(arrays, axis=0)", f_stack,
	  "Join equally shaped arrays along a NEW axis. The split shifts up when the\n"
	  "new axis is inserted at or before it (stacking split-0 vectors on axis 0\n"
	  "gives split 1). Communication as concatenate." },
	{ "hstack(arrays)", f_hstack,
	  "Stack arrays column-wise: along axis 0 for 1-D inputs, else axis 1\n"
	  "(see concatenate for splits and communication)." },
	{ "vstack(arrays)", f_vstack,
	  "Stack arrays row-wise (axis 0); 1-D inputs of length n become (1, n)\n"
	  "rows (a split-0 vector then has split 1). See concatenate." },
	{ "row_stack(arrays)", f_vstack, "The same as vstack." },
	{ "column_stack(arrays)", f_column_stack,
	  "Stack 1-D arrays as columns of a 2-D array (2-D inputs are taken as\n"
	  "they are) along axis 1. See concatenate." },
	{ "split(x, indices_or_sections, axis=0)", f_split,
	  "Split x into a list of sub-arrays along axis: N equal parts (ValueError\n"
	  "when the length does not divide), or cut before each listed index.\n"
	  "Each piece keeps x's split; pieces cut along the split axis are balanced\n"
	  "(one Alltoallv per piece, of the rows that change rank)." },
	{ "array_split(x, indices_or_sections, axis=0)", f_array_split,
	  "Like split, but N parts need not be equal: the first len % N parts get\n"
	  "one element more." },
	{ "hsplit(x, indices_or_sections)", f_hsplit,
	  "split along axis 1 (axis 0 for 1-D arrays)." },
	{ "vsplit(x, indices_or_sections)", f_vsplit,
	  "split along axis 0; x must have at least 2 dimensions." },
	{ "dsplit(x, indices_or_sections)", f_dsplit,
	  "split along axis 2; x must have at least 3 dimensions." },
	{ "moveaxis(x, source, destination)", f_moveaxis,
	  "Move axes to new positions; the others keep their order. Local (a\n"
	  "transpose): no communication, the split follows its axis." },
	{ "fliplr(a)", f_fliplr,
	  "Reverse the order along axis 1. Local unless axis 1 is split (then one\n"
	  "Alltoallv; the result is balanced)." },
	{ "flipud(a)", f_flipud,
	  "Reverse the order along axis 0. Local unless axis 0 is split (then one\n"
	  "Alltoallv; the result is balanced)." },
	{ "rot90(m, k=1, axes=(0, 1))", f_rot90,
	  "Rotate by 90 degrees k times in the plane of axes, from the first axis\n"
	  "toward the second (flip + transpose; communication as flip)." },
	{ "roll(x, shift, axis=None)", f_roll,
	  "Shift elements cyclically by shift along axis (ints or matching tuples);\n"
	  "axis None rolls the flattened array and restores the shape. Local along\n"
	  "a non-split axis, else one Alltoallv; the split is kept." },
	{ "pad(array, pad_width, mode=\"constant\", constant_values=0)", f_pad,
	  "Pad an array. pad_width: n, (before, after) or one (before, after) pair\n"
	  "per axis. mode: 'constant' (constant_values: a value, (before, after) or\n"
	  "pairs per axis), 'edge', 'reflect', 'symmetric', 'wrap'.\n"
	  "Split kept; padding the split axis moves rows with one Alltoallv and\n"
	  "balances the result, other axes are padded locally." },
	{ "tile(x, reps)", f_tile,
	  "Repeat the whole array reps times per axis (NumPy's rules for reps of\n"
	  "another length). Split kept (shifted when leading axes are added);\n"
	  "tiling the split axis is one Alltoallv." },
	{ "diag(a, offset=0)", f_diag,
	  "1-D input: a square matrix with a on diagonal `offset` (split 0 when a\n"
	  "is split). 2-D input: its diagonal (see diagonal)." },
	{ 0 }
};

static const hi_builtin_def manip_methods[] = {
	{ "swapaxes(x, axis1, axis2)", f_swapaxes,
	  "Interchange two axes. Local (a transpose): no communication; the split\n"
	  "follows its axis." },
	{ "flip(a, axis=None)", f_flip,
	  "Reverse the order of elements along axis (an int, a tuple, or None for\n"
	  "all axes). Local along non-split axes; reversing the split axis moves\n"
	  "rows with one Alltoallv and gives a balanced result. Split kept." },
	{ "repeat(a, repeats, axis=None)", f_repeat,
	  "Repeat each element `repeats` times (an int, or one count per element\n"
	  "along axis). axis None repeats the flattened array (split 0 when a is\n"
	  "split). Along the split axis: one Alltoallv, balanced result." },
	{ "diff(a, n=1, axis=-1, prepend=None, append=None)", f_diff,
	  "The n-th discrete difference along axis (bool: not_equal); prepend /\n"
	  "append values are joined first. Split kept; along the split axis each\n"
	  "order costs two row shifts (Alltoallv of boundary rows)." },
	{ "diagonal(a, offset=0, dim1=0, dim2=1)", f_diagonal,
	  "The diagonal of the (dim1, dim2) planes as a new last axis. If dim1 or\n"
	  "dim2 is the split axis, the result is split along its last axis, each\n"
	  "rank keeping the entries of its own rows (no communication; possibly\n"
	  "unbalanced). Otherwise local, and the split shifts down." },
	{ "nonzero(x)", f_nonzero,
	  "A tuple with one int64 array per dimension holding the indices of the\n"
	  "non-zero elements in C order (x[nonzero(x)] picks them). A split input\n"
	  "gives split-0 results with each rank's own hits (unbalanced, like Heat);\n"
	  "communication: one Allgatherv of the per-rank counts (and a resplit to\n"
	  "axis 0 first when x is split along another axis)." },
	{ "sort(a, axis=-1, descending=False, out=None, return_sort_indices=False, return_indices=False)",
	  f_sort,
	  "Sort along axis (None: the flattened array). Returns the values, or\n"
	  "(values, int64 indices) with return_sort_indices=True (or\n"
	  "return_indices=True). Stable: equal values keep their order, so the\n"
	  "result does not depend on the number of ranks; NaN sorts last.\n"
	  COLL "along the split axis a distributed PSRS sort (local radix sort,\n"
	  "regular samples, pivots, ONE Alltoallv of values (+ indices), a\n"
	  "rebalance); never gathers the array. Along other axes: local. The result\n"
	  "keeps the split and is balanced." },
	{ "argsort(a, axis=-1, descending=False)", f_argsort,
	  "The int64 indices that sort a along axis (stable). Communication as sort." },
	{ "topk(a, k, dim=-1, largest=True, sorted=True)", f_topk,
	  "The k largest (smallest when largest=False) elements along dim, sorted,\n"
	  "as a tuple (values, int64 indices). Split kept; along the split axis it\n"
	  "runs the distributed sort, then keeps the first k rows (balanced)." },
	{ "unique(a, sorted=False, return_inverse=False, axis=None)", f_unique,
	  "The sorted distinct values of the flattened array (always sorted here).\n"
	  "With return_inverse, also int64 indices with a's shape and split such\n"
	  "that a == result[inverse]. Each rank finds its distinct values; one\n"
	  "Allgatherv shares them; the result is re-split like the input (split 0\n"
	  "when a is split, else replicated).\n"
	  "With axis, the distinct slices along that axis (unique rows for\n"
	  "axis=0), sorted lexicographically as torch.unique(dim=axis) sorts them;\n"
	  "inverse is then 1-D (replicated) with one entry per index along axis.\n"
	  "This gathers a on every rank (one Allgatherv) and re-splits the result\n"
	  "like a." },
	{ 0 }
};

static const hi_builtin_def stat_funcs[] = {
	{ "searchsorted(a, v, side=\"left\")", f_searchsorted,
	  "Indices where the values v would be inserted into the sorted 1-D array\n"
	  "a to keep it sorted (side='right': after equal values). int64 with v's\n"
	  "shape and split; a number v gives an int. A split `a`: every rank counts\n"
	  "in its chunk and one Allreduce sums the counts (v is gathered first when\n"
	  "it is split too)." },
	{ "percentile(x, q, axis=None, out=None, interpolation=\"linear\", keepdims=False)",
	  f_percentile,
	  "The q-th percentiles (0..100; a number or a sequence) along axis (None:\n"
	  "of all elements), interpolated as NumPy does ('linear', 'lower',\n"
	  "'higher', 'midpoint', 'nearest'). dtype float32 (float64 for float64 and\n"
	  "int64 input). A sequence q adds a leading axis. Collective: a\n"
	  "distributed sort along the axis, then only the needed rows are shared\n"
	  "(one Allgatherv); the result is replicated when the split axis is\n"
	  "reduced, else split like x." },
	{ "median(x, axis=None, keepdims=False)", f_median,
	  "The median along axis (None: of all elements): percentile(x, 50).\n"
	  "Communication as percentile." },
	{ 0 }
};

static const hi_builtin_def where_def[] = {
	{ "where(cond, x=?, y=?)", f_where,
	  "where(cond, x, y): elements of x where cond is true, else of y (dtype\n"
	  "from both, broadcasting like a binary operation; the result takes the\n"
	  "split of the first split operand among cond, x, y).\n"
	  "where(cond): the same as nonzero(cond), a tuple of index arrays." },
	{ 0 }
};

/* Of manip_funcs and stat_funcs, the DNDarray methods of Heat's
** manipulations.py and statistics.py (x.rot90(), x.median() ...). */
static const char *const manip_mirrored[] = { "rot90", NULL };
static const char *const stat_mirrored[] = { "median", "percentile", NULL };

void hi_init_ht_manip(void)
{
	hi_ht_register(manip_funcs, 0);
	hi_ht_register(manip_methods, 1);
	hi_ht_register(stat_funcs, 0);
	hi_ht_mirror(manip_funcs, manip_mirrored);
	hi_ht_mirror(stat_funcs, stat_mirrored);
	/* one-argument where: wrap the three-argument ht.where */
	hi_val w;
	if (hi_dict_get_str(hi_module_dict(hi_S.ht), "where", &w) == 1) {
		where3 = w;      /* kept for the life of the process */
		hi_ht_register(where_def, 0);
	}
}
