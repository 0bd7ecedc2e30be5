/*
** concat.c — concatenate, stack, hstack, vstack, column_stack, and the
** split family.  Joining is one row map whose rows come from several
** inputs (rowmap.c): local when the axis is not split, one Alltoallv when
** it is.  Splitting is one row map per piece.
*/
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "manip_internal.h"

typedef struct cat_ctx { int n; const int64_t *off; } cat_ctx;   /* off[n + 1] */

static void rm_cat(const void *ctx, int64_t g, int *q, int64_t *r)
{
	const cat_ctx *c = ctx;
	int lo = 0, hi = c->n - 1;
	while (lo < hi) {              /* the last input starting at or before g */
		int mid = (lo + hi + 1) / 2;
		if (c->off[mid] <= g)
			lo = mid;
		else
			hi = mid - 1;
	}
	while (lo < c->n - 1 && c->off[lo + 1] <= g)
		lo++;
	*q = lo;
	*r = g - c->off[lo];
}

static void rm_slice(const void *ctx, int64_t g, int *q, int64_t *r)
{
	*q = 0;
	*r = g + *(const int64_t *)ctx;
}

ha_array *ha_concatenate(int n, ha_array *const *arrays, int axis)
{
	if (n < 1) {
		ha_error_set(HA_EVALUE, "need at least one array to concatenate");
		return NULL;
	}
	const ha_array *a0 = arrays[0];
	int nd = a0->ndim, k = -1;
	if (nd == 0) {
		ha_error_set(HA_EVALUE, "zero-dimensional arrays cannot be concatenated");
		return NULL;
	}
	for (int i = 1; i < n; i++)
		if (arrays[i]->ndim != nd) {
			ha_error_set(HA_EVALUE, "all the input arrays must have same number of dimensions, "
			             "but the array at index 0 has %d dimension(s) and the array at index "
			             "%d has %d dimension(s)", nd, i, arrays[i]->ndim);
			return NULL;
		}
	if (ha__norm_axis(axis, nd, &axis))
		return NULL;
	ha_dtype dt = a0->dtype;
	for (int i = 0; i < n; i++) {
		for (int d = 0; d < nd; d++)
			if (d != axis && arrays[i]->gshape[d] != a0->gshape[d]) {
				ha_error_set(HA_EVALUE, "all the input array dimensions except for the "
				             "concatenation axis must match exactly, but along dimension %d, "
				             "the array at index 0 has size %lld and the array at index %d has "
				             "size %lld", d, (long long)a0->gshape[d], i,
				             (long long)arrays[i]->gshape[d]);
				return NULL;
			}
		if (arrays[i]->comm->size != a0->comm->size) {
			ha_error_set(HA_EVALUE, "the arrays do not share a communicator");
			return NULL;
		}
		if (i > 0)
			dt = ha_promote_types(dt, arrays[i]->dtype);
		if (k < 0 && arrays[i]->split >= 0)
			k = arrays[i]->split;
	}
	ha_array **in = calloc((size_t)n, sizeof(ha_array *));
	int64_t *off = malloc(sizeof(int64_t) * (size_t)(n + 1));
	ha_array *r = NULL;
	if (!in || !off) {
		free(in);
		free(off);
		ha_error_set(HA_EMEMORY, "out of memory in concatenate");
		return NULL;
	}
	off[0] = 0;
	int i;
	for (i = 0; i < n; i++) {
		ha_array *x = arrays[i];
		ha_array *c = x->dtype == dt ? ha_retain(x) : ha_astype(x, dt);
		/* a different split is moved to the common one (Heat raises here) */
		if (c && c->split >= 0 && c->split != k) {
			ha_array *t = ha_resplit(c, k);
			ha_release(c);
			c = t;
		}
		if (!c)
			break;
		in[i] = c;
		off[i + 1] = off[i] + c->gshape[axis];
	}
	if (i == n) {
		cat_ctx ctx = { n, off };
		r = ha__rowmap(n, in, axis, off[n], rm_cat, &ctx, NULL, "concatenate");
	}
	for (int j = 0; j < n; j++)
		if (in[j])
			ha_release(in[j]);
	free(in);
	free(off);
	return r;
}

/* Apply fn (expand_dims / reshape helper) to every array, then concatenate. */
static ha_array *join_mapped(int n, ha_array *const *arrays, int axis,
                             ha_array *(*fn)(const ha_array *, int), int fnarg)
{
	if (n < 1) {
		ha_error_set(HA_EVALUE, "need at least one array to concatenate");
		return NULL;
	}
	ha_array **m = calloc((size_t)n, sizeof(ha_array *));
	ha_array *r = NULL;
	if (!m) {
		ha_error_set(HA_EMEMORY, "out of memory in stack");
		return NULL;
	}
	int i;
	for (i = 0; i < n; i++) {
		m[i] = fn ? fn(arrays[i], fnarg) : ha_retain(arrays[i]);
		if (!m[i])
			break;
	}
	if (i == n)
		r = ha_concatenate(n, m, axis);
	for (int j = 0; j < n; j++)
		if (m[j])
			ha_release(m[j]);
	free(m);
	return r;
}

ha_array *ha_stack(int n, ha_array *const *arrays, int axis)
{
	if (n < 1) {
		ha_error_set(HA_EVALUE, "need at least one array to stack");
		return NULL;
	}
	for (int i = 1; i < n; i++) {
		int same = arrays[i]->ndim == arrays[0]->ndim;
		for (int d = 0; same && d < arrays[0]->ndim; d++)
			same = arrays[i]->gshape[d] == arrays[0]->gshape[d];
		if (!same) {
			ha_error_set(HA_EVALUE, "all input arrays must have the same shape");
			return NULL;
		}
	}
	int nd = arrays[0]->ndim + 1;
	if (ha__norm_axis(axis, nd, &axis))
		return NULL;
	return join_mapped(n, arrays, axis, ha_expand_dims, axis);
}

/* atleast_Nd helpers: 0-d -> (1,), 1-d (n,) -> (1, n) or (n, 1). */
static ha_array *at_least_1d(const ha_array *a, int unused)
{
	(void)unused;
	if (a->ndim >= 1)
		return ha_retain((ha_array *)a);
	return ha_expand_dims(a, 0);
}

/* At least 2-d: arrays of 2 or more dims as they are, else at_least_1d
** then a new length-1 axis at `axis` (0: a row (1, n), 1: a column (n, 1)). */
static ha_array *at_least_2d(const ha_array *a, int axis)
{
	if (a->ndim >= 2)
		return ha_retain((ha_array *)a);
	ha_array *t = at_least_1d(a, 0);
	if (!t)
		return NULL;
	ha_array *r = ha_expand_dims(t, axis);
	ha_release(t);
	return r;
}

ha_array *ha_hstack(int n, ha_array *const *arrays)
{
	int axis = n > 0 && arrays[0]->ndim <= 1 ? 0 : 1;
	return join_mapped(n, arrays, axis, at_least_1d, 0);
}

ha_array *ha_vstack(int n, ha_array *const *arrays)
{
	return join_mapped(n, arrays, 0, at_least_2d, 0);
}

ha_array *ha_column_stack(int n, ha_array *const *arrays)
{
	return join_mapped(n, arrays, 1, at_least_2d, 1);
}

/* ---- splitting ---- */

static int64_t clip_index(int64_t i, int64_t n)
{
	if (i < 0)
		i += n;
	return i < 0 ? 0 : i > n ? n : i;
}

int ha_split_at(const ha_array *a, int nidx, const int64_t *idx, int axis, ha_array **out)
{
	if (a->ndim == 0) {
		ha_error_set(HA_EVALUE, "array split does not work on 0-d arrays");
		return -1;
	}
	if (ha__norm_axis(axis, a->ndim, &axis))
		return -1;
	int64_t n = a->gshape[axis];
	ha_array *const in[1] = { (ha_array *)a };
	for (int i = 0; i <= nidx; i++) {
		int64_t st = i == 0 ? 0 : clip_index(idx[i - 1], n);
		int64_t en = i == nidx ? n : clip_index(idx[i], n);
		int64_t len = en > st ? en - st : 0;
		out[i] = ha__rowmap(1, in, axis, len, rm_slice, &st, NULL, "split");
		if (!out[i]) {
			while (i-- > 0)
				ha_release(out[i]);
			return -1;
		}
	}
	return 0;
}

int ha_split_sections(const ha_array *a, int64_t sections, int axis, int strict, ha_array **out)
{
	if (sections <= 0) {
		ha_error_set(HA_EVALUE, "number sections must be larger than 0.");
		return -1;
	}
	if (a->ndim == 0) {
		ha_error_set(HA_EVALUE, "array split does not work on 0-d arrays");
		return -1;
	}
	if (ha__norm_axis(axis, a->ndim, &axis))
		return -1;
	int64_t n = a->gshape[axis], each = n / sections, extra = n % sections;
	if (strict && extra) {
		ha_error_set(HA_EVALUE, "array split does not result in an equal division");
		return -1;
	}
	int64_t *idx = malloc(sizeof(int64_t) * (size_t)(sections > 1 ? sections - 1 : 1));
	if (!idx) {
		ha_error_set(HA_EMEMORY, "out of memory in split");
		return -1;
	}
	int64_t pos = 0;
	for (int64_t i = 0; i + 1 < sections; i++) {
		pos += each + (i < extra ? 1 : 0);
		idx[i] = pos;
	}
	int rc = ha_split_at(a, (int)(sections - 1), idx, axis, out);
	free(idx);
	return rc;
}
