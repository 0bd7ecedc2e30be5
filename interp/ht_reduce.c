/*
** ht_reduce.c — reductions (sum prod min max mean var std argmin argmax all
** any count_nonzero) and scans (cumsum cumprod).  Each rank reduces its own
** chunk first; only when the split axis is reduced do the ranks combine
** their partial results (one collective), and then the result is
** replicated.  Reducing other axes moves no data and keeps the split.
*/
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

/* axis=None/int/tuple -> (naxes, axes); naxes -1 for None. */
static int axes_arg(hi_val v, int *naxes, int *axes)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*naxes = -1;
		return 0;
	}
	if (v.kind == HI_INT || v.kind == HI_BOOL) {
		*naxes = 1;
		axes[0] = (int)v.i;
		return 0;
	}
	if (v.kind == HI_TUPLE || v.kind == HI_LIST) {
		size_t n = v.kind == HI_TUPLE ? hi_as_tuple(v)->len : hi_as_list(v)->len;
		hi_val *it = v.kind == HI_TUPLE ? hi_as_tuple(v)->items : hi_as_list(v)->items;
		if (n > HA_MAXDIM)
			return hi_raisei(hi_ValueError, "too many axes");
		for (size_t i = 0; i < n; i++) {
			if (it[i].kind != HI_INT)
				return hi_raisei(hi_TypeError, "axis must be None, an int or a tuple of ints, not '%s'",
				                 hi_type_name(it[i]));
			axes[i] = (int)it[i].i;
		}
		*naxes = (int)n;
		return 0;
	}
	return hi_raisei(hi_TypeError, "axis must be None, an int or a tuple of ints, not '%s'",
	                 hi_type_name(v));
}

static int flag(hi_val v, int *out)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = 0;
		return 0;
	}
	*out = hi_truthy(v);
	return *out < 0 ? -1 : 0;
}

/* args: x, axis, out, keepdims */
static hi_val reduce(hi_val *a, int op)
{
	int naxes, axes[HA_MAXDIM], keep;
	if (axes_arg(a[1], &naxes, axes) || flag(a[3], &keep))
		return hi_err();
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	ha_array *r = ha_reduce(op, x, naxes, axes, keep);
	ha_release(x);
	return hi_to_out(hi_array_new(r), a[2]);
}

#define RED_FN(NAME, OP) \
	static hi_val f_##NAME(hi_val *a, void *ctx) { (void)ctx; return reduce(a, OP); }
RED_FN(sum, HA_RSUM)
RED_FN(prod, HA_RPROD)
RED_FN(min, HA_RMIN)
RED_FN(max, HA_RMAX)
RED_FN(all, HA_RALL)
RED_FN(any, HA_RANY)

/* mean(x, axis=None, keepdims=False) */
static hi_val f_mean(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val args[4] = { a[0], a[1], hi_none(), a[2] };
	return reduce(args, HA_RMEAN);
}

static hi_val f_count_nonzero(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val args[4] = { a[0], a[1], hi_none(), a[2] };
	return reduce(args, HA_RCOUNT_NONZERO);
}

/* var/std(x, axis=None, ddof=0, keepdims=False) */
static hi_val moment(hi_val *a, int std)
{
	int naxes, axes[HA_MAXDIM], keep;
	double ddof;
	if (axes_arg(a[1], &naxes, axes) || hi_as_double(a[2], &ddof, "ddof") || flag(a[3], &keep))
		return hi_err();
	if (ddof < 0)
		return hi_raise(hi_ValueError, "ddof must be non-negative, got %g", ddof);
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	ha_array *r = std ? ha_std(x, naxes, axes, ddof, keep) : ha_var(x, naxes, axes, ddof, keep);
	ha_release(x);
	return hi_array_new(r);
}

static hi_val f_var(hi_val *a, void *ctx) { (void)ctx; return moment(a, 0); }
static hi_val f_std(hi_val *a, void *ctx) { (void)ctx; return moment(a, 1); }

/* argmin/argmax(x, axis=None, out=None, keepdims=False) */
static hi_val argred(hi_val *a, int op)
{
	int keep, axis = HA_AXIS_NONE;
	if (flag(a[3], &keep))
		return hi_err();
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	if (a[1].kind != HI_NONE && hi_get_axis(a[1], x->ndim, &axis)) {
		ha_release(x);
		return hi_err();
	}
	ha_array *r = ha_argreduce(op, x, axis, keep);
	ha_release(x);
	return hi_to_out(hi_array_new(r), a[2]);
}

static hi_val f_argmin(hi_val *a, void *ctx) { (void)ctx; return argred(a, HA_RARGMIN); }
static hi_val f_argmax(hi_val *a, void *ctx) { (void)ctx; return argred(a, HA_RARGMAX); }

/* cumsum/cumprod(a, axis=None, dtype=None, out=None) */
static hi_val scan(hi_val *a, int prod)
{
	ha_array *x = hi_as_array(a[0], -1, NULL);
	if (!x)
		return hi_err();
	int axis = HA_AXIS_NONE, dt = -1;
	ha_dtype t;
	if ((a[1].kind != HI_NONE && hi_get_axis(a[1], x->ndim, &axis))
	    || (a[2].kind != HI_NONE && hi_get_dtype(a[2], &t))) {
		ha_release(x);
		return hi_err();
	}
	if (a[2].kind != HI_NONE)
		dt = (int)t;
	ha_array *r = prod ? ha_cumprod(x, axis, dt) : ha_cumsum(x, axis, dt);
	ha_release(x);
	return hi_to_out(hi_array_new(r), a[3]);
}

static hi_val f_cumsum(hi_val *a, void *ctx) { (void)ctx; return scan(a, 0); }
static hi_val f_cumprod(hi_val *a, void *ctx) { (void)ctx; return scan(a, 1); }

#define DIST \
	"\n\nDistribution: each rank reduces its own chunk first. If axis is None or\n" \
	"includes the split axis, the partial results are combined with ONE\n" \
	"collective (an Allreduce) and the result is replicated (split=None).\n" \
	"Otherwise nothing is communicated and the result stays split (the split\n" \
	"index drops by the number of reduced axes before it; unchanged with\n" \
	"keepdims)."

#define AXIS_DOC \
	"axis : None or int or Tuple[int,...], optional\n" \
	"    Axis or axes along which to reduce. The default, ``axis=None``, reduces\n" \
	"    all of the elements of the input array. If ``axis`` is negative it counts\n" \
	"    from the last to the first axis.\n"

static const hi_builtin_def reduce_defs[] = {
	{ "sum(a, axis=None, out=None, keepdims=False)", f_sum,
	  "Sum of array elements over a given axis. An array with the same shape as\n"
	  "``a`` except for the specified axis which becomes one (keepdims) or is\n"
	  "removed, e.g. ``ht.ones((1, 2, 3)).sum(axis=1).shape == (1, 3)``.\n\n"
	  "Parameters\n----------\n"
	  "a : DNDarray\n    Input array.\n"
	  "axis : None or int or Tuple[int,...], optional\n"
	  "    Axis along which a sum is performed. The default, ``axis=None``, will sum\n"
	  "    all of the elements of the input array. If ``axis`` is negative it counts\n"
	  "    from the last to the first axis. If ``axis`` is a tuple of ints, a sum is\n"
	  "    performed on all of the axes specified in the tuple instead of a single\n"
	  "    axis or all the axes as before.\n"
	  "out : DNDarray, optional\n"
	  "    Alternative output array in which to place the result. It must have the\n"
	  "    same shape as the expected output.\n"
	  "keepdims : bool, optional\n"
	  "    If True, the reduced axes are left in the result with size one.\n\n"
	  "Bool and integer inputs are summed in int64." DIST "\n\n"
	  "Examples\n--------\n"
	  ">>> ht.sum(ht.ones(2))\nDNDarray(2., dtype=ht.float32, device=cpu:0, split=None)\n"
	  ">>> ht.ones((3, 4), split=0).sum(axis=1)   # local: stays split=0\n"
	  ">>> ht.ones((3, 4), split=0).sum(axis=0)   # across the split: one Allreduce" },
	{ "prod(a, axis=None, out=None, keepdims=False)", f_prod,
	  "Product of array elements over a given axis.\n\nParameters\n----------\n"
	  "a : DNDarray\n    Input array.\n" AXIS_DOC
	  "out : DNDarray, optional\n    Array to place the result in.\n"
	  "keepdims : bool, optional\n    Keep the reduced axes with size one.\n\n"
	  "Bool and integer inputs multiply in int64." DIST },
	{ "min(x, axis=None, out=None, keepdims=False)", f_min,
	  "Minimum of an array or minimum along an axis (NaN propagates).\n\n"
	  "Parameters\n----------\nx : DNDarray\n    Input array.\n" AXIS_DOC
	  "out : DNDarray, optional\nkeepdims : bool, optional" DIST },
	{ "max(x, axis=None, out=None, keepdims=False)", f_max,
	  "Maximum of an array or maximum along an axis (NaN propagates).\n\n"
	  "Parameters\n----------\nx : DNDarray\n    Input array.\n" AXIS_DOC
	  "out : DNDarray, optional\nkeepdims : bool, optional" DIST },
	{ "mean(x, axis=None, keepdims=False)", f_mean,
	  "Arithmetic mean along the given axes. Integer inputs give float32 (int64:\n"
	  "float64).\n\nParameters\n----------\nx : DNDarray\n" AXIS_DOC DIST
	  " Ranks combine (count, mean) pairs, so the result does not depend on the\n"
	  "number of ranks beyond rounding." },
	{ "var(x, axis=None, ddof=0, keepdims=False)", f_var,
	  "Variance: the mean of squared deviations, divided by N - ddof.\n\n"
	  "Parameters\n----------\nx : DNDarray\n" AXIS_DOC
	  "ddof : int, optional\n    Delta degrees of freedom (0: population variance, 1: sample).\n\n"
	  "Across the split axis each rank contributes (n, mean, M2) per output\n"
	  "element, gathered once (Allgatherv) and merged with the parallel-moment\n"
	  "formulas (Chan et al.); other axes are local." },
	{ "std(x, axis=None, ddof=0, keepdims=False)", f_std,
	  "Standard deviation: the square root of var(x, axis, ddof). See ht.var for\n"
	  "how ranks combine." },
	{ "argmin(x, axis=None, out=None, keepdims=False)", f_argmin,
	  "Indices of the minimum values (int64); axis=None indexes the flattened\n"
	  "array. Ties give the smaller index. Along the split axis every rank\n"
	  "contributes (value, global index) pairs, gathered once (Allgatherv);\n"
	  "the result is replicated. Other axes: local, split kept." },
	{ "argmax(x, axis=None, out=None, keepdims=False)", f_argmax,
	  "Indices of the maximum values (int64); see ht.argmin for the rules." },
	{ "all(x, axis=None, out=None, keepdims=False)", f_all,
	  "True when all elements (along axis) are nonzero (bool result)." DIST },
	{ "any(x, axis=None, out=None, keepdims=False)", f_any,
	  "True when any element (along axis) is nonzero (bool result)." DIST },
	{ "count_nonzero(x, axis=None, keepdims=False)", f_count_nonzero,
	  "Number of nonzero elements (int64) along axis." DIST },
	{ "cumsum(a, axis=None, dtype=None, out=None)", f_cumsum,
	  "Cumulative sum along axis (None: of the flattened array). Bool and integer\n"
	  "inputs accumulate in int64 unless dtype says otherwise. The result keeps\n"
	  "the input's split. Along the split axis: a local scan plus ONE Exscan of\n"
	  "each rank's last slice; other axes are local." },
	{ "cumprod(a, axis=None, dtype=None, out=None)", f_cumprod,
	  "Cumulative product along axis; distribution as ht.cumsum." },
	{ 0 }
};

void hi_init_ht_reduce(void)
{
	hi_ht_register(reduce_defs, 1);
}
