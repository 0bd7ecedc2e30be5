/*
** unique.c — unique (sorted distinct values, optional inverse) and
** nonzero (index arrays of the non-zero elements).
**
** unique: each rank sorts its block's keys and drops repeats; ONE
** Allgatherv ("unique") gives every rank every rank's distinct values,
** merged the same way, so the result is replicated before it is re-split
** like the input (a local slice).  Only distinct values travel.
*/
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "manip_internal.h"

/* Sort keys[n] and drop repeats in place; returns the distinct count. */
static int64_t distinct(uint64_t *keys, int64_t n, uint64_t *scratch)
{
	ha__sort_keys(n, keys, NULL, scratch, NULL);
	int64_t m = 0;
	for (int64_t i = 0; i < n; i++)
		if (m == 0 || keys[i] != keys[m - 1])
			keys[m++] = keys[i];
	return m;
}

ha_array *ha_unique(const ha_array *a, ha_array **inverse)
{
	if (ha_dtype_is_complex(a->dtype)) {
		ha_error_set(HA_ETYPE, "unique is not supported for complex arrays");
		return NULL;
	}
	ha_comm *c = a->comm;
	int P = c->size, dist = a->split >= 0 && P > 1;
	int64_t n = ha_lnumel(a), m, total = 0;
	uint64_t *keys = malloc(sizeof(uint64_t) * 2 * (size_t)(n ? n : 1)), *all = NULL;
	int64_t *cnt = calloc((size_t)(3 * P), sizeof(int64_t));
	ha_array *u = NULL;
	if (ha__agree(!keys || !cnt, ha_gnbytes(a), c, "unique")) {
		free(keys);
		free(cnt);
		return NULL;
	}
	ha__to_keys(a->dtype, a->data, n, 1, keys);
	m = distinct(keys, n, keys + n);
	if (dist) {
		int64_t *counts = cnt, *bc = cnt + P, *bd = cnt + 2 * P;
		for (int r = 0; r < P; r++) {
			bc[r] = 8;
			bd[r] = 8 * r;
		}
		if (ha_allgather_bytes(&m, 8, counts, bc, bd, c, "unique"))
			goto out;
		for (int r = 0; r < P; r++) {
			bc[r] = counts[r] * 8;
			bd[r] = total * 8;
			total += counts[r];
		}
		all = malloc(sizeof(uint64_t) * 2 * (size_t)(total ? total : 1));
		if (ha__agree(!all, total * 8 * P, c, "unique"))
			goto out;
		if (ha_allgather_bytes(keys, m * 8, all, bc, bd, c, "unique"))
			goto out;
		total = distinct(all, total, all + total);
	} else {
		all = keys;
		keys = NULL;
		total = m;
	}
	u = ha_array_alloc(a->dtype, 1, &total, HA_SPLIT_NONE, a->device, c);
	if (!u)
		goto out;
	ha__from_keys(a->dtype, all, total, u->data, 1);
	if (inverse) {
		ha_array *inv = ha_array_alloc_lmap(HA_INT64, a->ndim, a->gshape, a->split, a->lmap,
		                                    a->device, c);
		uint64_t *k = inv ? malloc(sizeof(uint64_t) * (size_t)(n ? n : 1)) : NULL;
		if (ha__agree(!inv || !k, ha_gnbytes(a), c, "unique")) {
			if (inv)
				ha_release(inv);
			free(k);
			ha_release(u);
			u = NULL;
			goto out;
		}
		ha__to_keys(a->dtype, a->data, n, 1, k);
		int64_t *o = inv->data;
		#pragma omp parallel for schedule(static) if (n > 4096)
		for (int64_t i = 0; i < n; i++) {
			int64_t lo = 0, hi = total - 1;
			while (lo < hi) {
				int64_t mid = lo + (hi - lo) / 2;
				if (all[mid] < k[i])
					lo = mid + 1;
				else
					hi = mid;
			}
			o[i] = lo;
		}
		free(k);
		*inverse = inv;
	}
	if (a->split >= 0) {
		/* re-split like the input: a local slice of the replicated values */
		ha_array *s = ha_resplit(u, 0);
		ha_release(u);
		u = s;
		if (!u && inverse) {
			ha_release(*inverse);
			*inverse = NULL;
		}
	}
out:
	free(keys);
	free(all);
	free(cnt);
	return u;
}

/* ---- nonzero ---- */

static int is_nonzero(ha_dtype t, const char *p)
{
	switch (t) {
	case HA_BOOL:
	case HA_UINT8: return *(const uint8_t *)p != 0;
	case HA_INT8: return *(const int8_t *)p != 0;
	case HA_INT16: return *(const int16_t *)p != 0;
	case HA_INT32: return *(const int32_t *)p != 0;
	case HA_INT64: return *(const int64_t *)p != 0;
	case HA_FLOAT32: return *(const float *)p != 0;
	case HA_FLOAT64: return *(const double *)p != 0;
	case HA_COMPLEX64: return ((const float *)p)[0] != 0 || ((const float *)p)[1] != 0;
	case HA_COMPLEX128: return ((const double *)p)[0] != 0 || ((const double *)p)[1] != 0;
	default: return 0;
	}
}

int ha_nonzero(const ha_array *a, ha_array **out)
{
	ha_comm *c = a->comm;
	int P = c->size, nd = a->ndim ? a->ndim : 1;
	ha_array *b;
	if (a->split > 0 && P > 1)
		b = ha_resplit(a, 0);   /* split 0 keeps the hits in C order across ranks */
	else
		b = ha_retain((ha_array *)a);
	if (!b)
		return -1;
	int64_t n = ha_lnumel(b), hits = 0, total = 0;
	size_t es = ha_dtype_size(b->dtype);
	const char *d = b->data;
	for (int64_t i = 0; i < n; i++)
		hits += is_nonzero(b->dtype, d + (size_t)i * es);
	int dist = b->split >= 0 && P > 1, rc = -1, made = 0;
	int64_t *lmap = calloc((size_t)(3 * P), sizeof(int64_t));
	if (!lmap) {
		ha_release(b);
		return ha_error_set(HA_EMEMORY, "out of memory in nonzero");
	}
	if (dist) {
		int64_t *bc = lmap + P, *bd = lmap + 2 * P;
		for (int r = 0; r < P; r++) {
			bc[r] = 8;
			bd[r] = 8 * r;
		}
		if (ha_allgather_bytes(&hits, 8, lmap, bc, bd, c, "nonzero"))
			goto out;
		for (int r = 0; r < P; r++)
			total += lmap[r];
	} else {
		total = hits;
		lmap[0] = hits;     /* one rank */
	}
	int split = b->split >= 0 ? 0 : HA_SPLIT_NONE;
	for (made = 0; made < nd; made++) {
		out[made] = ha_array_alloc_lmap(HA_INT64, 1, &total, split, split == 0 ? lmap : NULL,
		                                b->device, c);
		if (!out[made])
			goto out;
	}
	int64_t st[HA_MAXDIM], acc = 1, j = 0, off = b->split == 0 ? b->loffset : 0;
	for (int k = b->ndim - 1; k >= 0; k--) {
		st[k] = acc;
		acc *= b->lshape[k];
	}
	for (int64_t i = 0; i < n; i++) {
		if (!is_nonzero(b->dtype, d + (size_t)i * es))
			continue;
		if (b->ndim == 0) {
			((int64_t *)out[0]->data)[j++] = 0;
			continue;
		}
		int64_t rem = i;
		for (int k = 0; k < b->ndim; k++) {
			int64_t x = rem / st[k];
			rem %= st[k];
			((int64_t *)out[k]->data)[j] = x + (k == 0 ? off : 0);
		}
		j++;
	}
	rc = 0;
out:
	if (rc)
		while (made-- > 0)
			ha_release(out[made]);
	free(lmap);
	ha_release(b);
	return rc;
}

/* ---- unique along an axis ---- */

/* qsort has no context argument in C11; the row comparison reads this.
** Set and used only inside ha_unique_axis (the runtime is not called
** from several threads at once). */
static const uint64_t *ua_keys;
static int64_t ua_m;

static int row_cmp(const void *x, const void *y)
{
	int64_t i = *(const int64_t *)x, j = *(const int64_t *)y;
	const uint64_t *p = ua_keys + i * ua_m, *q = ua_keys + j * ua_m;
	for (int64_t k = 0; k < ua_m; k++)
		if (p[k] != q[k])
			return p[k] < q[k] ? -1 : 1;
	return (i > j) - (i < j);
}

ha_array *ha_unique_axis(const ha_array *a, int axis, ha_array **inverse)
{
	if (ha_dtype_is_complex(a->dtype)) {
		ha_error_set(HA_ETYPE, "unique is not supported for complex arrays");
		return NULL;
	}
	if (ha__norm_axis(axis, a->ndim, &axis))
		return NULL;
	int nd = a->ndim, perm[HA_MAXDIM], back[HA_MAXDIM];
	perm[0] = axis;
	for (int d = 0, k = 1; d < nd; d++)
		if (d != axis)
			perm[k++] = d;
	for (int d = 0; d < nd; d++)
		back[perm[d]] = d;
	/* every rank works on the whole array, axis first */
	ha_array *g = ha_resplit(a, HA_SPLIT_NONE);
	ha_array *t = g ? ha_transpose(g, perm) : NULL;
	if (g)
		ha_release(g);
	if (!t)
		return NULL;
	int64_t n = t->gshape[0], m = n ? ha_gnumel(t) / n : 0;
	uint64_t *keys = malloc(sizeof(uint64_t) * (size_t)(n * m > 0 ? n * m : 1));
	int64_t *idx = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
	int64_t *first = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
	ha_array *u = NULL, *inv = NULL, *r = NULL;
	if (ha__agree(!keys || !idx || !first, ha_gnbytes(t) * 2, a->comm, "unique"))
		goto out;
	ha__to_keys(t->dtype, t->data, n * m, 1, keys);
	for (int64_t i = 0; i < n; i++)
		idx[i] = i;
	ua_keys = keys;
	ua_m = m;
	qsort(idx, (size_t)n, sizeof *idx, row_cmp);
	/* first[g]: the first slice (in sorted order) of the g-th distinct run */
	int64_t k = 0;
	for (int64_t i = 0; i < n; i++)
		if (i == 0 || memcmp(keys + idx[i] * m, keys + idx[i - 1] * m, (size_t)m * 8))
			first[k++] = idx[i];
	int64_t ushape[HA_MAXDIM];
	memcpy(ushape, t->gshape, sizeof(int64_t) * (size_t)nd);
	ushape[0] = k;
	u = ha_array_alloc(t->dtype, nd, ushape, HA_SPLIT_NONE, a->device, a->comm);
	if (!u)
		goto out;
	size_t es = ha_dtype_size(t->dtype);
	for (int64_t g = 0; g < k; g++)
		memcpy((char *)u->data + (size_t)(g * m) * es, (const char *)t->data + (size_t)(first[g] * m) * es,
		       (size_t)m * es);
	if (inverse) {
		inv = ha_array_alloc(HA_INT64, 1, &n, HA_SPLIT_NONE, a->device, a->comm);
		if (!inv)
			goto out;
		int64_t *o = inv->data;
		for (int64_t i = 0, g = -1; i < n; i++) {
			if (i == 0 || memcmp(keys + idx[i] * m, keys + idx[i - 1] * m, (size_t)m * 8))
				g++;
			o[idx[i]] = g;
		}
	}
	r = ha_transpose(u, back);
	if (r && a->split >= 0) {
		ha_array *s = ha_resplit(r, a->split);
		ha_release(r);
		r = s;
	}
out:
	free(keys);
	free(idx);
	free(first);
	ha_release(t);
	if (u)
		ha_release(u);
	if (!r && inv) {
		ha_release(inv);
		inv = NULL;
	}
	if (inverse)
		*inverse = inv;
	return r;
}
