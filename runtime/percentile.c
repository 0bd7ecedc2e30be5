/*
** percentile.c — percentile and median on top of the distributed sort.
**
** The array is sorted along the axis (PSRS when the axis is split); only
** the (at most 2 per q) rows that the interpolation needs are then read:
** locally when the axis is not split, else each rank contributes the rows
** it owns to one Allgatherv ("percentile").  The interpolation is NumPy's.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "manip_internal.h"

/* NumPy's _lerp: a + (b - a) t, computed from b's side when t >= 0.5 */
static double lerp(double a, double b, double t)
{
	double d = b - a;
	return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

ha_array *ha_percentile(const ha_array *a, int nq, const double *q, int q_scalar, int axis,
                        ha_interp interp, int keepdims)
{
	if (ha_dtype_is_complex(a->dtype)) {
		ha_error_set(HA_ETYPE, "percentile is not supported for complex arrays");
		return NULL;
	}
	for (int i = 0; i < nq; i++)
		if (!(q[i] >= 0 && q[i] <= 100)) {
			ha_error_set(HA_EVALUE, "Percentiles must be in the range [0, 100]");
			return NULL;
		}
	int all = axis == HA_AXIS_NONE;
	ha_array *x;
	if (all) {
		x = ha_flatten(a);
		axis = 0;
	} else {
		if (ha__norm_axis(axis, a->ndim, &axis))
			return NULL;
		x = ha_retain((ha_array *)a);
	}
	if (!x)
		return NULL;
	int64_t n = x->gshape[axis];
	if (n == 0) {
		ha_release(x);
		ha_error_set(HA_EVALUE, "cannot compute the percentile of an empty axis");
		return NULL;
	}
	ha_array *s = ha_sort(x, axis, 0, NULL);
	ha_release(x);
	if (!s)
		return NULL;
	ha_dtype ot = ha_promote_types(a->dtype, HA_FLOAT32);
	ha_comm *c = s->comm;
	int P = c->size, dist = s->split == axis && P > 1;

	/* rows needed, ascending and distinct */
	int64_t *rows = malloc(sizeof(int64_t) * (size_t)(2 * nq + 1)), nr = 0;
	double *buf = NULL;
	ha_array *r = NULL;
	int64_t *cnt = calloc((size_t)(2 * P), sizeof(int64_t));
	if (!rows || !cnt) {
		ha_error_set(HA_EMEMORY, "out of memory in percentile");
		goto out;
	}
	for (int i = 0; i < nq; i++) {
		double pos = q[i] / 100.0 * (double)(n - 1);
		int64_t cand[2] = { (int64_t)floor(pos), (int64_t)ceil(pos) };
		for (int t = 0; t < 2; t++) {
			int64_t v = cand[t] < 0 ? 0 : cand[t] > n - 1 ? n - 1 : cand[t];
			int64_t j = 0;
			while (j < nr && rows[j] < v)
				j++;
			if (j < nr && rows[j] == v)
				continue;
			memmove(rows + j + 1, rows + j, sizeof(int64_t) * (size_t)(nr - j));
			rows[j] = v;
			nr++;
		}
	}
	int64_t pre = 1, post = 1;
	for (int d = 0; d < s->ndim; d++) {
		if (d < axis)
			pre *= s->lshape[d];
		else if (d > axis)
			post *= s->lshape[d];
	}
	int64_t slab = pre * post;     /* elements per row */
	buf = malloc(sizeof(double) * (size_t)(nr * slab > 0 ? nr * slab : 1));
	double *mine = malloc(sizeof(double) * (size_t)(nr * slab > 0 ? nr * slab : 1));
	if (ha__agree(!buf || !mine, nr * slab * 8 * P, c, "percentile")) {
		free(mine);
		goto out;
	}
	int64_t lo = dist ? s->loffset : 0, hi = lo + s->lshape[axis], L = s->lshape[axis], got = 0;
	size_t es = ha_dtype_size(s->dtype);
	for (int64_t j = 0; j < nr; j++) {
		if (rows[j] < lo || rows[j] >= hi)
			continue;
		int64_t rl = rows[j] - lo;
		for (int64_t p = 0; p < pre; p++)
			for (int64_t t = 0; t < post; t++) {
				ha_scalar v = ha_scalar_load(s->dtype, (const char *)s->data +
				                             (size_t)((p * L + rl) * post + t) * es);
				mine[got * slab + p * post + t] = v.kind == HA_SCALAR_FLOAT ? v.re : (double)v.i;
			}
		got++;
	}
	if (dist) {
		int64_t *bc = cnt, *bd = cnt + P, off = 0, o = 0;
		for (int rk = 0; rk < P; rk++) {
			int64_t k = 0;
			for (int64_t j = 0; j < nr; j++)
				if (rows[j] >= off && rows[j] < off + s->lmap[rk])
					k++;
			off += s->lmap[rk];
			bc[rk] = k * slab * 8;
			bd[rk] = o;
			o += bc[rk];
		}
		if (ha_allgather_bytes(mine, got * slab * 8, buf, bc, bd, c, "percentile")) {
			free(mine);
			goto out;
		}
	} else {
		memcpy(buf, mine, sizeof(double) * (size_t)(nr * slab));
	}
	free(mine);

	/* result: [nq] + shape without axis (or with 1 there) */
	int64_t gsh[HA_MAXDIM];
	int nd = 0, split = -1;
	if (!q_scalar)
		gsh[nd++] = nq;
	int src_nd = all ? a->ndim : s->ndim;
	for (int d = 0; d < src_nd; d++) {
		if (all) {
			if (keepdims)
				gsh[nd++] = 1;
			continue;
		}
		if (d == axis) {
			if (keepdims)
				gsh[nd++] = 1;
			continue;
		}
		if (d == s->split && !dist)
			split = nd;
		gsh[nd++] = s->gshape[d];
	}
	r = ha_array_alloc_lmap(ot, nd, gsh, split, split >= 0 ? s->lmap : NULL, s->device, c);
	if (!r)
		goto out;
	size_t oes = ha_dtype_size(ot);
	for (int i = 0; i < nq; i++) {
		double pos = q[i] / 100.0 * (double)(n - 1), fl = floor(pos), t = pos - fl;
		int64_t i0 = (int64_t)fl, i1 = (int64_t)ceil(pos);
		if (i1 > n - 1)
			i1 = n - 1;
		if (interp == HA_INTERP_NEAREST) {
			double rd = nearbyint(pos);        /* half to even, as NumPy's around */
			i0 = i1 = (int64_t)rd;
		} else if (interp == HA_INTERP_LOWER) {
			i1 = i0;
		} else if (interp == HA_INTERP_HIGHER) {
			i0 = i1;
		}
		int64_t j0 = 0, j1 = 0;
		while (rows[j0] != i0)
			j0++;
		while (rows[j1] != i1)
			j1++;
		for (int64_t e = 0; e < slab; e++) {
			double v0 = buf[j0 * slab + e], v1 = buf[j1 * slab + e], v;
			if (interp == HA_INTERP_MIDPOINT)
				v = i0 == i1 ? v0 : (v0 + v1) / 2;
			else if (interp == HA_INTERP_LINEAR)
				v = i0 == i1 ? v0 : lerp(v0, v1, t);
			else
				v = v0;
			ha_scalar_store(ha_scalar_float(v), ot, (char *)r->data + (size_t)(i * slab + e) * oes);
		}
	}
out:
	free(rows);
	free(cnt);
	free(buf);
	ha_release(s);
	return r;
}

ha_array *ha_median(const ha_array *a, int axis, int keepdims)
{
	double q = 50;
	return ha_percentile(a, 1, &q, 1, axis, HA_INTERP_LINEAR, keepdims);
}
