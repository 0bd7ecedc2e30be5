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
