/*
** ht_shape.c — shape manipulation: transpose reshape flatten ravel squeeze
** expand_dims resplit (functions and DNDarray methods).  Inputs are never
** modified (resplit_ on the array is the in-place form).
*/
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

static ha_array *arg_array(hi_val v)
{
	return hi_as_array(v, -1, NULL);
}

static hi_val f_transpose(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = arg_array(a[0]);
	if (!x)
		return hi_err();
	int axes[HA_MAXDIM], *ap = NULL;
	if (a[1].kind != HI_NONE) {
		int nd;
		int64_t sh[HA_MAXDIM];
		int used[HA_MAXDIM] = { 0 };
		hi_val spec = a[1];
		if (hi_get_shape(spec, &nd, sh, "axes")) {
			/* negative axes are allowed here: re-read them one by one */
			hi_exc_clear();
			if (spec.kind != HI_TUPLE && spec.kind != HI_LIST) {
				ha_release(x);
				return hi_raise(hi_TypeError, "axes must be None or a tuple of ints");
			}
			nd = (int)(spec.kind == HI_TUPLE ? hi_as_tuple(spec)->len : hi_as_list(spec)->len);
			hi_val *it = spec.kind == HI_TUPLE ? hi_as_tuple(spec)->items : hi_as_list(spec)->items;
			for (int i = 0; i < nd && i < HA_MAXDIM; i++) {
				if (it[i].kind != HI_INT) {
					ha_release(x);
					return hi_raise(hi_TypeError, "axes must contain ints");
				}
				sh[i] = it[i].i;
			}
		}
		if (nd != x->ndim) {
			ha_release(x);
			return hi_raise(hi_ValueError, "axes don't match array");
		}
		for (int i = 0; i < nd; i++) {
			int64_t ax = sh[i] < 0 ? sh[i] + nd : sh[i];
			if (ax < 0 || ax >= nd || used[ax]++) {
				ha_release(x);
				return hi_raise(hi_ValueError, "axes don't match array");
			}
			axes[i] = (int)ax;
		}
		ap = axes;
	}
	ha_array *r = ha_transpose(x, ap);
	ha_release(x);
	return hi_array_new(r);
}

/* reshape(a, 5, 4, 3) and reshape(a, (5, 4, 3)); one entry may be -1. */
static int reshape_shape(hi_val args, int *nd, int64_t *shape)
{
	hi_tuple *t = hi_as_tuple(args);
	hi_val *it = t->items;
	size_t n = t->len;
	if (n == 1 && (it[0].kind == HI_TUPLE || it[0].kind == HI_LIST)) {
		hi_val s = it[0];
		it = s.kind == HI_TUPLE ? hi_as_tuple(s)->items : hi_as_list(s)->items;
		n = s.kind == HI_TUPLE ? hi_as_tuple(s)->len : hi_as_list(s)->len;
	}
	if (n == 0)
		return hi_raisei(hi_TypeError, "reshape() missing the new shape");
	if (n > HA_MAXDIM)
		return hi_raisei(hi_ValueError, "at most %d dimensions are supported", HA_MAXDIM);
	int unknown = 0;
	for (size_t i = 0; i < n; i++) {
		if (it[i].kind != HI_INT)
			return hi_raisei(hi_TypeError, "shape must contain ints, not '%s'", hi_type_name(it[i]));
		if (it[i].i < -1)
			return hi_raisei(hi_ValueError, "negative dimensions not allowed");
		if (it[i].i == -1 && unknown++)
			return hi_raisei(hi_ValueError, "can only specify one unknown dimension");
		shape[i] = it[i].i;
	}
	*nd = (int)n;
	return 0;
}

static hi_val f_reshape(hi_val *a, void *ctx)
{
	(void)ctx;
	int nd = 0;
	int64_t shape[HA_MAXDIM];
	if (reshape_shape(a[1], &nd, shape))
		return hi_err();
	int ns = HA_SPLIT_DEFAULT;
	if (a[2].kind != HI_NONE && hi_get_split(a[2], nd, &ns))
		return hi_err();
	ha_array *x = arg_array(a[0]);
	if (!x)
		return hi_err();
	ha_array *r = ha_reshape(x, nd, shape, ns);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_flatten(hi_val *a, void *ctx) { (void)ctx; return hi_array_apply(a[0], ha_flatten); }
static hi_val f_ravel(hi_val *a, void *ctx) { (void)ctx; return hi_array_apply(a[0], ha_ravel); }

static hi_val f_squeeze(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = arg_array(a[0]);
	if (!x)
		return hi_err();
	int mask[HA_MAXDIM], axes[HA_MAXDIM], n = 0;
	if (a[1].kind != HI_NONE) {
		if (hi_get_axes(a[1], x->ndim, mask) < 0) {
			ha_release(x);
			return hi_err();
		}
		for (int d = 0; d < x->ndim; d++)
			if (mask[d])
				axes[n++] = d;
		if (n == 0) {
			/* an empty tuple squeezes nothing */
			return hi_array_new(x);
		}
	}
	ha_array *r = ha_squeeze(x, n, axes);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_expand_dims(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = arg_array(a[0]);
	if (!x)
		return hi_err();
	int64_t ax;
	if (hi_as_int64(a[1], &ax, "axis")) {
		ha_release(x);
		return hi_err();
	}
	if (ax < -(x->ndim + 1) || ax > x->ndim) {
		ha_release(x);
		return hi_raise(hi_ValueError, "axis %lld is out of bounds for array of dimension %d",
		                (long long)ax, x->ndim + 1);
	}
	ha_array *r = ha_expand_dims(x, (int)ax);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_resplit(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = arg_array(a[0]);
	if (!x)
		return hi_err();
	int ax;
	if (hi_get_split(a[1], x->ndim, &ax)) {
		ha_release(x);
		return hi_err();
	}
	ha_array *r = ha_resplit(x, ax);
	ha_release(x);
	return hi_array_new(r);
}

static const hi_builtin_def shape_defs[] = {
	{ "transpose(a, axes=None)", f_transpose,
	  "Permute the dimensions of an array (reverse them when axes is None).\n\n"
	  "Local: each rank transposes its own chunk, nothing is communicated. The\n"
	  "split axis follows its dimension: the new split is the position of the\n"
	  "old split axis in `axes` (a (5, 4, 3) array with split 0 gives a (3, 4, 5)\n"
	  "array with split 2). a.T is transpose(a)." },
	{ "reshape(a, *shape, new_split=None)", f_reshape,
	  "Give the array a new shape with the same number of elements; one\n"
	  "dimension may be -1 (inferred).\n\n"
	  "new_split: the split axis of the result (default: the input's split when\n"
	  "the number of dimensions is unchanged, else 0; None stays None).\n"
	  "Collective: a distributed input or result moves data with ONE Alltoallv\n"
	  "computed from each rank's global flat range; a replicated input keeps its\n"
	  "chunk of the new shape without communication. The input is not modified.\n\n"
	  "Example: ht.arange(60, split=0).reshape(5, 4, 3)" },
	{ "flatten(a)", f_flatten,
	  "A 1-D copy of the array. A split input gives split 0 (one Alltoallv);\n"
	  "a replicated one stays replicated without communication." },
	{ "ravel(a)", f_ravel,
	  "A 1-D version of the array (see flatten). Split 0 when the input is split." },
	{ "squeeze(a, axis=None)", f_squeeze,
	  "Remove axes of length one (all of them, or those in axis).\n\n"
	  "The split axis shifts down by the removed axes before it; squeezing the\n"
	  "split axis itself gives a replicated result (one Allgatherv)." },
	{ "expand_dims(a, axis)", f_expand_dims,
	  "Insert an axis of length one at position axis. Local, no communication;\n"
	  "the split shifts up when the new axis is inserted before it." },
	{ "resplit(arr, axis=None)", f_resplit,
	  "A copy of the array distributed along axis (None: a full copy on every\n"
	  "rank). Collective: None -> k slices locally (no communication); k -> None\n"
	  "is one Allgatherv; k -> j is one Alltoallv. Use sparingly on big data:\n"
	  "it moves (almost) the whole array over the network. The result is balanced." },
	{ 0 }
};

void hi_init_ht_shape(void)
{
	hi_ht_register(shape_defs, 1);
}
