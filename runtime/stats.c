/*
** stats.c — ha_bincount and ha_histc: each rank counts its own elements
** into a full-length count vector, and ONE Allreduce sums the vectors, so
** the (small) result is replicated and no data moves.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ha.h"
#include "internal.h"

/* The 0-d result of a full reduction as a double. */
static int reduce_all(int op, const ha_array *x, double *out)
{
	ha_array *r = ha_reduce(op, x, -1, NULL, 0);
	if (!r)
		return -1;
	ha_scalar s = ha_scalar_load(r->dtype, r->data);
	*out = s.kind == HA_SCALAR_FLOAT ? s.re : (double)s.i;
	ha_release(r);
	return 0;
}

/* Sum the count vector over the ranks when x is distributed. */
static int combine(const ha_array *x, void *buf, int64_t n, MPI_Datatype t, const char *what)
{
	if (!ha_is_distributed(x))
		return 0;
	return ha_allreduce(MPI_IN_PLACE, buf, n, t, MPI_SUM, x->comm, what);
}

/* The weights' elements matching x's local elements, as doubles. */
static double *local_weights(const ha_array *x, const ha_array *w)
{
	ha_array *a = NULL;
	if (x->split == 0 && w->split == 0)
		a = ha_redistribute(w, x->lmap);
	else if (x->split < 0 && w->split == 0)
		a = ha_resplit(w, HA_SPLIT_NONE);
	else
		a = ha_retain((ha_array *)w);
	if (!a)
		return NULL;
	int64_t n = ha_lnumel(x), skip = x->split == 0 && a->split < 0 ? x->loffset : 0;
	double *v = ha__malloc((size_t)n * sizeof(double));
	if (v)
		ha_convert(HA_FLOAT64, v, a->dtype, (const char *)a->data + skip * ha_dtype_size(a->dtype), n);
	ha_release(a);
	if (!v)
		ha_error_set(HA_EMEMORY, "out of memory in bincount");
	return v;
}

ha_array *ha_bincount(const ha_array *x, const ha_array *weights, int64_t minlength)
{
	if (x->ndim != 1)
		return ha_error_set(HA_EVALUE, "bincount: x must be 1-D, got %d-D", x->ndim), NULL;
	if (!ha_dtype_is_int(x->dtype) && x->dtype != HA_BOOL)
		return ha_error_set(HA_ETYPE, "bincount: x must hold integers, not %s", ha_dtype_name(x->dtype)), NULL;
	if (minlength < 0)
		return ha_error_set(HA_EVALUE, "bincount: minlength must be non-negative, got %lld",
		                    (long long)minlength), NULL;
	if (weights && (weights->ndim != 1 || weights->gshape[0] != x->gshape[0]))
		return ha_error_set(HA_EVALUE, "bincount: the weights and x must have the same shape"), NULL;
	double lo = 0, hi = -1;
	if (x->gshape[0] > 0 && (reduce_all(HA_RMIN, x, &lo) || reduce_all(HA_RMAX, x, &hi)))
		return NULL;
	if (lo < 0)
		return ha_error_set(HA_EVALUE, "bincount: x must not contain negative values"), NULL;
	int64_t nb = (int64_t)hi + 1 > minlength ? (int64_t)hi + 1 : minlength;
	int64_t n = ha_lnumel(x);
	int64_t *ix = ha__malloc((size_t)n * sizeof(int64_t));
	double *w = weights ? local_weights(x, weights) : NULL;
	ha_array *r = NULL;
	if (ix && (!weights || w)) {
		int64_t shape[1] = { nb };
		r = ha_zeros(weights ? HA_FLOAT64 : HA_INT64, 1, shape, HA_SPLIT_NONE, x->device, x->comm);
	}
	if (ha__agree(!r, 0, x->comm, "bincount")) {
		free(ix);
		free(w);
		if (r)
			ha_release(r);
		return NULL;
	}
	ha_convert(HA_INT64, ix, x->dtype, x->data, n);
	if (weights) {
		double *c = r->data;
		for (int64_t i = 0; i < n; i++)
			c[ix[i]] += w[i];
	} else {
		int64_t *c = r->data;
		for (int64_t i = 0; i < n; i++)
			c[ix[i]]++;
	}
	free(ix);
	free(w);
	if (combine(x, r->data, nb, weights ? MPI_DOUBLE : MPI_INT64_T, "bincount")) {
		ha_release(r);
		return NULL;
	}
	return r;
}

ha_array *ha_histc(const ha_array *x, int64_t bins, double lo, double hi)
{
	if (bins <= 0)
		return ha_error_set(HA_EVALUE, "histc: bins must be > 0, got %lld", (long long)bins), NULL;
	if (ha_dtype_is_complex(x->dtype))
		return ha_error_set(HA_ETYPE, "histc is not supported for complex input"), NULL;
	if (lo > hi)
		return ha_error_set(HA_EVALUE, "histc: max must be larger than min, got min=%g max=%g", lo, hi), NULL;
	if (lo == hi && ha_gnumel(x) > 0) {
		if (reduce_all(HA_RMIN, x, &lo) || reduce_all(HA_RMAX, x, &hi))
			return NULL;
	}
	if (lo == hi) {        /* torch widens an empty range by one on each side */
		lo -= 1;
		hi += 1;
	}
	ha_dtype t = ha_promote_types(x->dtype == HA_BOOL ? HA_FLOAT32 : x->dtype, HA_FLOAT32);
	int64_t n = ha_lnumel(x), shape[1] = { bins };
	double *v = ha__malloc((size_t)n * sizeof(double));
	double *cnt = calloc((size_t)bins, sizeof(double));
	ha_array *r = NULL;
	if (ha__agree(!v || !cnt, 0, x->comm, "histc")) {
		free(v);
		free(cnt);
		return NULL;
	}
	ha_convert(HA_FLOAT64, v, x->dtype, x->data, n);
	for (int64_t i = 0; i < n; i++) {
		double e = v[i];
		if (!(e >= lo && e <= hi))
			continue;
		int64_t b = (int64_t)((e - lo) * (double)bins / (hi - lo));
		if (b >= bins)
			b = bins - 1;
		cnt[b] += 1;
	}
	free(v);
	if (combine(x, cnt, bins, MPI_DOUBLE, "histc") == 0) {
		r = ha_array_alloc(t, 1, shape, HA_SPLIT_NONE, x->device, x->comm);
		if (r)
			ha_convert(t, r->data, HA_FLOAT64, cnt, bins);
	}
	free(cnt);
	return r;
}
