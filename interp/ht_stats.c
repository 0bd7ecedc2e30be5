/*
** ht_stats.c — counting statistics: bincount, histc, histogram (Heat's
** heat/core/statistics.py).  The runtime (runtime/stats.c) counts; every
** result is replicated after one Allreduce of the count vector.  The
** moment statistics (average, cov, skew, kurtosis) are written in ha
** (stdlib/stats.ha).
*/
#include "ht_internal.h"

static int opt_double(hi_val v, double dflt, double *out, const char *what)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*out = dflt;
		return 0;
	}
	return hi_as_double(v, out, what);
}

/* bincount(x, weights=None, minlength=0) */
static hi_val f_bincount(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t minlength;
	if (hi_as_int64(a[2], &minlength, "minlength"))
		return hi_err();
	ha_array *x = hi_as_array(a[0], -1, NULL), *w = NULL;
	if (!x)
		return hi_err();
	if (a[1].kind != HI_NONE && !(w = hi_as_array(a[1], -1, x->comm))) {
		ha_release(x);
		return hi_err();
	}
	ha_array *r = ha_bincount(x, w, minlength);
	ha_release(x);
	if (w)
		ha_release(w);
	return hi_array_new(r);
}

static hi_val histc(hi_val xv, hi_val bv, double lo, double hi)
{
	int64_t bins;
	if (hi_as_int64(bv, &bins, "bins"))
		return hi_err();
	ha_array *x = hi_as_array(xv, -1, NULL);
	if (!x)
		return hi_err();
	ha_array *r = ha_histc(x, bins, lo, hi);
	ha_release(x);
	return hi_array_new(r);
}

/* histc(input, bins=100, min=0, max=0, out=None) */
static hi_val f_histc(hi_val *a, void *ctx)
{
	(void)ctx;
	double lo, hi;
	if (opt_double(a[2], 0, &lo, "min") || opt_double(a[3], 0, &hi, "max"))
		return hi_err();
	return hi_to_out(histc(a[0], a[1], lo, hi), a[4]);
}

/* histogram(a, bins=10, range=(0.0, 0.0), normed=None, weights=None, density=None) */
static hi_val f_histogram(hi_val *a, void *ctx)
{
	(void)ctx;
	if (a[1].kind != HI_INT)
		return hi_raise(hi_NotImplementedError, "bins must be an integer");
	static const char *const unsupported[] = { NULL, NULL, NULL, "normed", "weights", "density" };
	for (int i = 3; i < 6; i++)
		if (a[i].kind != HI_NONE)
			return hi_raise(hi_NotImplementedError, "'%s' is not supported", unsupported[i]);
	double lo = 0, hi = 0;
	if (a[2].kind != HI_NONE) {
		if (a[2].kind != HI_TUPLE && a[2].kind != HI_LIST)
			return hi_raise(hi_TypeError, "range must be a (min, max) pair, not '%s'", hi_type_name(a[2]));
		size_t n = a[2].kind == HI_TUPLE ? hi_as_tuple(a[2])->len : hi_as_list(a[2])->len;
		hi_val *it = a[2].kind == HI_TUPLE ? hi_as_tuple(a[2])->items : hi_as_list(a[2])->items;
		if (n != 2)
			return hi_raise(hi_ValueError, "range must be a (min, max) pair");
		if (hi_as_double(it[0], &lo, "range") || hi_as_double(it[1], &hi, "range"))
			return hi_err();
	}
	return histc(a[0], a[1], lo, hi);
}

#define COUNT_DIST \
	"\n\nDistribution: every rank counts its own elements into a full-length\n" \
	"count vector; ONE Allreduce sums them. The result is replicated."

static const hi_builtin_def stats_defs[] = {
	{ "bincount(x, weights=None, minlength=0)", f_bincount,
	  "Count the occurrences of each value in a 1-D array of non-negative ints.\n"
	  "The result has max(x) + 1 entries (at least minlength): int64 counts, or\n"
	  "float64 sums of the weights of the elements with each value.\n\n"
	  "Parameters\n----------\n"
	  "x : DNDarray\n    1-D, non-negative integers.\n"
	  "weights : DNDarray, optional\n    The same shape as x (aligned to x's chunks if split differently).\n"
	  "minlength : int, optional\n    Minimum number of bins.\n\n"
	  "ValueError for negative values. Finding max(x) costs one Allreduce." COUNT_DIST "\n\n"
	  "Examples\n--------\n>>> ht.bincount(ht.array([0, 1, 1, 3], split=0))\n"
	  "DNDarray([1, 2, 0, 1], dtype=ht.int64, device=cpu:0, split=None)" },
	{ "histc(input, bins=100, min=0, max=0, out=None)", f_histc,
	  "Histogram of input with `bins` equal-width bins between min and max\n"
	  "(torch.histc). When min and max are equal (the default) the data's\n"
	  "minimum and maximum are used (one Allreduce each when split). Elements\n"
	  "outside [min, max] are ignored; max itself falls in the last bin. The\n"
	  "result has input's float dtype (integers: float32). ValueError when\n"
	  "bins <= 0 or min > max." COUNT_DIST },
	{ "histogram(a, bins=10, range=None, normed=None, weights=None, density=None)", f_histogram,
	  "Histogram of a, as Heat computes it: histc(a, bins, range[0], range[1])\n"
	  "(the counts only, no bin edges; range None means the data's min and max).\n"
	  "As in Heat, bins must be an int, and normed, weights and density raise\n"
	  "NotImplementedError." COUNT_DIST },
	{ 0 }
};

void hi_init_ht_stats(void)
{
	hi_ht_register(stats_defs, 0);
}
