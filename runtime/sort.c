/*
** sort.c — sort, argsort, topk, searchsorted.
**
** Values are sorted as order-preserving unsigned keys (sort_internal.h) by
** a stable LSD radix sort (sort_radix.c), carrying int64 positions along
** when indices are wanted.  Descending order complements the keys.  Ties
** keep the original order everywhere, which also makes the distributed
** result, indices included, independent of the number of ranks and
** threads.  A line held whole by the rank is sorted here; a 1-D array
** along its split axis by the sample sort of sort_dist.c; an n-D array
** along its split axis is resplit along another axis first.
*/
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "manip_internal.h"
#include "sort_internal.h"

/* ---- local sort along an axis held whole in the block ---- */

int ha__sort_local(const ha_array *a, int axis, int desc, ha_array **v, ha_array **ix)
{
	ha_array *vv = NULL, *ii = NULL;
	if (v) {
		vv = ha_array_alloc_lmap(a->dtype, a->ndim, a->gshape, a->split, a->lmap, a->device, a->comm);
		if (!vv)
			return -1;
	}
	if (ix) {
		ii = ha_array_alloc_lmap(HA_INT64, a->ndim, a->gshape, a->split, a->lmap, a->device, a->comm);
		if (!ii) {
			if (vv)
				ha_release(vv);
			return -1;
		}
	}
	int64_t pre = 1, post = 1, L = a->ndim ? a->lshape[axis] : 1;
	for (int d = 0; d < a->ndim; d++) {
		if (d < axis)
			pre *= a->lshape[d];
		else if (d > axis)
			post *= a->lshape[d];
	}
	int64_t lines = L ? pre * post : 0;
	ha_dtype t = a->dtype;
	size_t es = ha_dtype_size(t), kw = (size_t)sk_width(t);
	uint64_t flip = desc ? sk_flip(t) : 0;
	int failed = 0;
	#pragma omp parallel if (lines > 1 && lines * L > 65536) reduction(|:failed)
	{
		/* two key buffers and, for indices, two position buffers of a line */
		void *k = malloc(kw * 2 * (size_t)(L ? L : 1));
		int64_t *x = ix ? malloc(sizeof(int64_t) * 2 * (size_t)(L ? L : 1)) : NULL;
		if (!k || (ix && !x)) {
			failed = 1;
		} else {
			#pragma omp for schedule(static)
			for (int64_t l = 0; l < lines; l++) {
				int64_t p = l / post, s = l % post, base = p * L * post + s;
				sk_job j = { .n = L, .flip = flip, .vin = (const char *)a->data + base * es,
				             .vs = post, .want_idx = ix != NULL, .ka = k,
				             .kb = (char *)k + kw * (size_t)L, .ia = x, .ib = x ? x + L : NULL,
				             .vout = vv ? (char *)vv->data + base * es : NULL, .vos = post,
				             .iout = ii ? (int64_t *)ii->data + base : NULL, .ios = post,
				             .lo = 0, .hi = L };
				ha__radix(t, &j);
			}
		}
		free(k);
		free(x);
	}
	if (failed) {
		if (vv)
			ha_release(vv);
		if (ii)
			ha_release(ii);
		return ha_error_set(HA_EMEMORY, "out of memory in sort");
	}
	if (v)
		*v = vv;
	if (ix)
		*ix = ii;
	return 0;
}

/* ---- sort / argsort ---- */

static int sort_any(const ha_array *a, int axis, int desc, ha_array **v, ha_array **ix)
{
	if (ha_dtype_is_complex(a->dtype))
		return ha_error_set(HA_ETYPE, "sort is not supported for complex arrays");
	if (ha__norm_axis(axis, a->ndim, &axis))
		return -1;
	int P = a->comm->size, k = a->split;
	if (k != axis || P == 1)
		return ha__sort_local(a, axis, desc, v, ix);
	if (a->ndim == 1)
		return ha__sort_dist(a, desc, v, ix);
	/* n-D along the split axis */
	int64_t others = 1;
	int j = -1;
	for (int d = 0; d < a->ndim; d++)
		if (d != axis) {
			others *= a->gshape[d];
			if (j < 0 || a->gshape[d] > a->gshape[j])
				j = d;
		}
	ha_array *vv = NULL, *ii = NULL;
	if (others == 1) {
		/* (1, n, 1)-like: sort the 1-D array */
		int64_t n = a->gshape[axis];
		ha_array *f = ha_reshape(a, 1, &n, 0);
		if (!f)
			return -1;
		int rc = ha__sort_dist(f, desc, v ? &vv : NULL, ix ? &ii : NULL);
		ha_release(f);
		if (rc)
			return -1;
	} else {
		ha_array *b = ha_resplit(a, j);
		if (!b)
			return -1;
		int rc = ha__sort_local(b, axis, desc, v ? &vv : NULL, ix ? &ii : NULL);
		ha_release(b);
		if (rc)
			return -1;
	}
	/* back to a's shape and split */
	ha_array *outs[2] = { vv, ii };
	for (int t = 0; t < 2; t++) {
		if (!outs[t])
			continue;
		ha_array *r = others == 1 ? ha_reshape(outs[t], a->ndim, a->gshape, axis)
		                          : ha_resplit(outs[t], axis);
		ha_release(outs[t]);
		outs[t] = r;
	}
	if ((v && !outs[0]) || (ix && !outs[1])) {
		if (outs[0])
			ha_release(outs[0]);
		if (outs[1])
			ha_release(outs[1]);
		return -1;
	}
	if (v)
		*v = outs[0];
	if (ix)
		*ix = outs[1];
	return 0;
}

ha_array *ha_sort(const ha_array *a, int axis, int descending, ha_array **indices)
{
	ha_array *v = NULL;
	if (sort_any(a, axis, descending, &v, indices))
		return NULL;
	return v;
}

ha_array *ha_argsort(const ha_array *a, int axis, int descending)
{
	ha_array *ix = NULL;
	if (sort_any(a, axis, descending, NULL, &ix))
		return NULL;
	return ix;
}

/* ---- topk ---- */

static void rm_head(const void *ctx, int64_t g, int *q, int64_t *r)
{
	(void)ctx;
	*q = 0;
	*r = g;
}

int ha_topk(const ha_array *a, int64_t k, int axis, int largest, ha_array **values,
            ha_array **indices)
{
	if (ha__norm_axis(axis, a->ndim, &axis))
		return -1;
	if (k < 0 || k > a->gshape[axis])
		return ha_error_set(HA_EVALUE, "selected index k out of range");
	ha_array *v = NULL, *ix = NULL;
	if (sort_any(a, axis, largest, values ? &v : NULL, indices ? &ix : NULL))
		return -1;
	ha_array *src[2] = { v, ix }, *res[2] = { NULL, NULL };
	int rc = 0;
	for (int t = 0; t < 2; t++) {
		if (!src[t])
			continue;
		ha_array *const in[1] = { src[t] };
		res[t] = ha__rowmap(1, in, axis, k, rm_head, NULL, NULL, "topk");
		ha_release(src[t]);
		if (!res[t])
			rc = -1;
	}
	if (rc) {
		for (int t = 0; t < 2; t++)
			if (res[t])
				ha_release(res[t]);
		return -1;
	}
	if (values)
		*values = res[0];
	if (indices)
		*indices = res[1];
	return 0;
}

/* ---- searchsorted ---- */

static int64_t bound(const uint64_t *keys, int64_t n, uint64_t k, int right)
{
	int64_t lo = 0, hi = n;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		if (right ? keys[mid] <= k : keys[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

ha_array *ha_searchsorted(const ha_array *sorted, const ha_array *v, int right)
{
	if (sorted->ndim != 1) {
		ha_error_set(HA_EVALUE, "searchsorted: the sorted array must be 1-D, not %d-D", sorted->ndim);
		return NULL;
	}
	if (ha_dtype_is_complex(sorted->dtype) || ha_dtype_is_complex(v->dtype)) {
		ha_error_set(HA_ETYPE, "searchsorted is not supported for complex arrays");
		return NULL;
	}
	ha_dtype t = ha_promote_types(sorted->dtype, v->dtype);
	ha_array *s = sorted->dtype == t ? ha_retain((ha_array *)sorted) : ha_astype(sorted, t);
	ha_array *w = NULL, *r = NULL;
	uint64_t *sk = NULL, *vk = NULL;
	if (!s)
		return NULL;
	/* a split `sorted`: every rank counts within its chunk for every value */
	int dist = s->split >= 0 && s->comm->size > 1;
	if (dist && v->split >= 0)
		w = ha_resplit(v, HA_SPLIT_NONE);
	else
		w = ha_retain((ha_array *)v);
	if (w && w->dtype != t) {
		ha_array *x = ha_astype(w, t);
		ha_release(w);
		w = x;
	}
	if (!w)
		goto out;
	int64_t ns = s->lshape[0], nv = ha_lnumel(w);
	sk = malloc(sizeof(uint64_t) * (size_t)(ns ? ns : 1));
	vk = malloc(sizeof(uint64_t) * (size_t)(nv ? nv : 1));
	r = ha_array_alloc_lmap(HA_INT64, w->ndim, w->gshape, w->split, w->lmap, w->device, w->comm);
	if (ha__agree(!sk || !vk || !r, ha_gnbytes(w) * 2, w->comm, "searchsorted")) {
		if (r)
			ha_release(r);
		r = NULL;
		goto out;
	}
	ha__to_keys(t, s->data, ns, 1, sk);
	ha__to_keys(t, w->data, nv, 1, vk);
	int64_t *o = r->data;
	#pragma omp parallel for schedule(static) if (nv > 4096)
	for (int64_t i = 0; i < nv; i++)
		o[i] = bound(sk, ns, vk[i], right);
	if (dist) {
		if (ha_allreduce(MPI_IN_PLACE, o, nv, MPI_INT64_T, MPI_SUM, s->comm, "searchsorted")) {
			ha_release(r);
			r = NULL;
			goto out;
		}
		if (v->split >= 0) {
			/* back to v's chunk map: keep this rank's rows */
			ha_array *x = ha_array_alloc_lmap(HA_INT64, v->ndim, v->gshape, v->split, v->lmap,
			                                  v->device, v->comm);
			if (x) {
				int64_t box[HA_MAXDIM], soff[HA_MAXDIM] = { 0 }, doff[HA_MAXDIM] = { 0 };
				memcpy(box, x->lshape, sizeof(int64_t) * (size_t)v->ndim);
				soff[v->split] = x->loffset;
				ha_copy_box(8, v->ndim, box, r->data, r->gshape, soff, x->data, x->lshape, doff);
			}
			ha_release(r);
			r = x;
		}
	}
out:
	free(sk);
	free(vk);
	ha_release(s);
	if (w)
		ha_release(w);
	return r;
}
