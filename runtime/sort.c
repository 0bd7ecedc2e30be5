/*
** sort.c — sort, argsort, topk, searchsorted.
**
** Values are sorted as order-preserving unsigned keys (integers with the
** sign bit flipped, IEEE floats with the usual sign trick, NaN largest) by
** a stable LSD radix sort, carrying int64 positions along when indices are
** wanted.  Descending order complements the keys.  Ties keep the original
** order everywhere, which also makes the distributed result, indices
** included, independent of the number of ranks.
**
** Along the split axis of a 1-D array: PSRS (Shi & Schaeffer 1992, as
** Heat does it): sort locally; every rank contributes P regular samples
** (key, tie-break) to one Allgatherv; P-1 pivots split every local run;
** the P x P send counts go round in one Allgatherv; ONE Alltoallv moves the
** values (and one the global indices); the received runs, which arrive in
** rank order, are merged by the same stable radix sort; a redistribute
** returns the balanced chunk map.  The tie-break of an element is its
** global index (argsort) or its global position after the local sort
** (values only): a total order, so pivots split even a run of equal values.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "manip_internal.h"

/* ---- keys ---- */

#define F32_TOP UINT32_C(0x80000000)
#define F64_TOP UINT64_C(0x8000000000000000)

void ha__to_keys(ha_dtype t, const void *src_, int64_t n, int64_t stride, uint64_t *keys)
{
	const char *src = src_;
	switch (t) {
	case HA_BOOL:
	case HA_UINT8:
		for (int64_t i = 0; i < n; i++) {
			uint8_t b = ((const uint8_t *)src)[i * stride];
			keys[i] = t == HA_BOOL ? (b != 0) : b;
		}
		break;
	case HA_INT8:
		for (int64_t i = 0; i < n; i++)
			keys[i] = (uint8_t)((const int8_t *)src)[i * stride] ^ 0x80u;
		break;
	case HA_INT16:
		for (int64_t i = 0; i < n; i++)
			keys[i] = (uint16_t)((const int16_t *)src)[i * stride] ^ 0x8000u;
		break;
	case HA_INT32:
		for (int64_t i = 0; i < n; i++)
			keys[i] = (uint32_t)((const int32_t *)src)[i * stride] ^ F32_TOP;
		break;
	case HA_INT64:
		for (int64_t i = 0; i < n; i++)
			keys[i] = (uint64_t)((const int64_t *)src)[i * stride] ^ F64_TOP;
		break;
	case HA_FLOAT32:
		for (int64_t i = 0; i < n; i++) {
			float f = ((const float *)src)[i * stride];
			uint32_t u;
			memcpy(&u, &f, 4);
			keys[i] = isnan(f) ? UINT32_MAX : (u & F32_TOP) ? ~u : (u | F32_TOP);
		}
		break;
	case HA_FLOAT64:
		for (int64_t i = 0; i < n; i++) {
			double f = ((const double *)src)[i * stride];
			uint64_t u;
			memcpy(&u, &f, 8);
			keys[i] = isnan(f) ? UINT64_MAX : (u & F64_TOP) ? ~u : (u | F64_TOP);
		}
		break;
	default:
		break;
	}
}

void ha__from_keys(ha_dtype t, const uint64_t *keys, int64_t n, void *dst_, int64_t stride)
{
	char *dst = dst_;
	switch (t) {
	case HA_BOOL:
	case HA_UINT8:
		for (int64_t i = 0; i < n; i++)
			((uint8_t *)dst)[i * stride] = (uint8_t)keys[i];
		break;
	case HA_INT8:
		for (int64_t i = 0; i < n; i++)
			((int8_t *)dst)[i * stride] = (int8_t)(uint8_t)(keys[i] ^ 0x80u);
		break;
	case HA_INT16:
		for (int64_t i = 0; i < n; i++)
			((int16_t *)dst)[i * stride] = (int16_t)(uint16_t)(keys[i] ^ 0x8000u);
		break;
	case HA_INT32:
		for (int64_t i = 0; i < n; i++)
			((int32_t *)dst)[i * stride] = (int32_t)(uint32_t)(keys[i] ^ F32_TOP);
		break;
	case HA_INT64:
		for (int64_t i = 0; i < n; i++)
			((int64_t *)dst)[i * stride] = (int64_t)(keys[i] ^ F64_TOP);
		break;
	case HA_FLOAT32:
		for (int64_t i = 0; i < n; i++) {
			uint32_t k = (uint32_t)keys[i], u = (k & F32_TOP) ? (k ^ F32_TOP) : ~k;
			memcpy((float *)dst + i * stride, &u, 4);
		}
		break;
	case HA_FLOAT64:
		for (int64_t i = 0; i < n; i++) {
			uint64_t k = keys[i], u = (k & F64_TOP) ? (k ^ F64_TOP) : ~k;
			memcpy((double *)dst + i * stride, &u, 8);
		}
		break;
	default:
		break;
	}
}

/* Key width in bits: descending keys are complemented within it. */
static uint64_t key_mask(ha_dtype t)
{
	int bits = t == HA_BOOL ? 8 : 8 * (int)ha_dtype_size(t);
	return bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/* ---- stable radix sort ---- */

void ha__sort_keys(int64_t n, uint64_t *keys, int64_t *idx, uint64_t *tk, int64_t *ti)
{
	if (n < 48) {
		for (int64_t i = 1; i < n; i++) {
			uint64_t k = keys[i];
			int64_t x = idx ? idx[i] : 0, j = i;
			while (j > 0 && keys[j - 1] > k) {
				keys[j] = keys[j - 1];
				if (idx)
					idx[j] = idx[j - 1];
				j--;
			}
			keys[j] = k;
			if (idx)
				idx[j] = x;
		}
		return;
	}
	/* only the bits that differ between keys need passes: 11-bit digits
	** over that range (3 passes for float32 data in [0, 1)) */
	uint64_t or_ = 0, and_ = UINT64_MAX;
	for (int64_t i = 0; i < n; i++) {
		or_ |= keys[i];
		and_ &= keys[i];
	}
	uint64_t vary = or_ ^ and_;
	if (!vary)
		return;
	int lo = __builtin_ctzll(vary), hi = 63 - __builtin_clzll(vary);
	int npass = (hi - lo) / 11 + 1;
	int64_t (*h)[2048] = calloc((size_t)npass, sizeof *h);
	if (!h) {
		/* no scratch for histograms: a shell sort keeps the result ordered
		** (equal keys may then lose their original order) */
		for (int64_t gap = n / 2; gap > 0; gap /= 2)
			for (int64_t i = gap; i < n; i++)
				for (int64_t j = i; j >= gap && keys[j - gap] > keys[j]; j -= gap) {
					uint64_t t = keys[j];
					keys[j] = keys[j - gap];
					keys[j - gap] = t;
					if (idx) {
						int64_t u = idx[j];
						idx[j] = idx[j - gap];
						idx[j - gap] = u;
					}
				}
		return;
	}
	for (int64_t i = 0; i < n; i++) {
		uint64_t k = keys[i] >> lo;
		for (int b = 0; b < npass; b++)
			h[b][(k >> (11 * b)) & 2047]++;
	}
	uint64_t *src = keys, *dst = tk;
	int64_t *si = idx, *di = ti;
	for (int b = 0; b < npass; b++) {
		int sh = lo + 11 * b;
		int64_t pos[2048], acc = 0;
		for (int d = 0; d < 2048; d++) {
			pos[d] = acc;
			acc += h[b][d];
		}
		if (si) {
			for (int64_t i = 0; i < n; i++) {
				int64_t p = pos[(src[i] >> sh) & 2047]++;
				dst[p] = src[i];
				di[p] = si[i];
			}
			int64_t *t = si;
			si = di;
			di = t;
		} else {
			for (int64_t i = 0; i < n; i++)
				dst[pos[(src[i] >> sh) & 2047]++] = src[i];
		}
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != keys) {
		memcpy(keys, src, sizeof(uint64_t) * (size_t)n);
		if (idx)
			memcpy(idx, si, sizeof(int64_t) * (size_t)n);
	}
	free(h);
}

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
	size_t es = ha_dtype_size(a->dtype);
	uint64_t mask = key_mask(a->dtype);
	int failed = 0;
	#pragma omp parallel if (lines > 1 && lines * L > 65536) reduction(|:failed)
	{
		uint64_t *k = malloc(sizeof(uint64_t) * 2 * (size_t)(L ? L : 1));
		int64_t *x = ix ? malloc(sizeof(int64_t) * 2 * (size_t)(L ? L : 1)) : NULL;
		if (!k || (ix && !x)) {
			failed = 1;
		} else {
			#pragma omp for schedule(static)
			for (int64_t l = 0; l < lines; l++) {
				int64_t p = l / post, s = l % post, base = p * L * post + s;
				ha__to_keys(a->dtype, (const char *)a->data + (size_t)base * es, L, post, k);
				if (desc)
					for (int64_t i = 0; i < L; i++)
						k[i] = ~k[i] & mask;
				if (x)
					for (int64_t i = 0; i < L; i++)
						x[i] = i;
				ha__sort_keys(L, k, x, k + L, x ? x + L : NULL);
				if (vv) {
					if (desc)
						for (int64_t i = 0; i < L; i++)
							k[i] = ~k[i] & mask;
					ha__from_keys(a->dtype, k, L, (char *)vv->data + (size_t)base * es, post);
				}
				if (x) {
					int64_t *o = (int64_t *)ii->data + base;
					for (int64_t i = 0; i < L; i++)
						o[i * post] = x[i];
				}
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

/* ---- PSRS ---- */

typedef struct sample { uint64_t key; int64_t tie; } sample;

static int sample_cmp(const void *x, const void *y)
{
	const sample *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->tie > b->tie) - (a->tie < b->tie);
}

/* First i with (keys[i], tie(i)) >= pivot; tie(i) = idx[i] or base + i. */
static int64_t lower_bound(const uint64_t *keys, const int64_t *idx, int64_t base, int64_t n,
                           sample piv)
{
	int64_t lo = 0, hi = n;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		sample s = { keys[mid], idx ? idx[mid] : base + mid };
		if (sample_cmp(&s, &piv) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Wrap a rank-local buffer (this rank's part of chunk map lmap) as an
** array, then move it to the balanced map. */
static ha_array *balanced_from(ha_dtype t, const ha_array *like, const int64_t *lmap,
                               const void *data)
{
	ha_array *tmp = ha_array_alloc_lmap(t, 1, like->gshape, 0, lmap, like->device, like->comm);
	if (!tmp)
		return NULL;
	memcpy(tmp->data, data, (size_t)ha_lnbytes(tmp));
	if (ha_is_balanced(tmp))
		return tmp;
	int64_t *bal = malloc(sizeof(int64_t) * (size_t)like->comm->size);
	ha_array *r = NULL;
	if (!bal) {
		ha_error_set(HA_EMEMORY, "out of memory in sort");
	} else {
		ha_chunk_map(like->gshape[0], like->comm->size, bal);
		r = ha_redistribute(tmp, bal);
	}
	free(bal);
	ha_release(tmp);
	return r;
}

static int psrs(const ha_array *a, int desc, ha_array **v, ha_array **ix)
{
	ha_comm *c = a->comm;
	int P = c->size, me = c->rank;
	int64_t n = a->lshape[0], base = a->loffset;
	size_t es = ha_dtype_size(a->dtype);
	uint64_t mask = key_mask(a->dtype);
	int want_ix = ix != NULL, rc = -1;
	uint64_t *keys = malloc(sizeof(uint64_t) * 2 * (size_t)(n ? n : 1));
	int64_t *idx = want_ix ? malloc(sizeof(int64_t) * 2 * (size_t)(n ? n : 1)) : NULL;
	int64_t *cnt = calloc((size_t)(P * P + 11 * P + 2), sizeof(int64_t));
	sample *smp = malloc(sizeof(sample) * (size_t)(P * P + P + 1));
	char *sbuf = NULL, *rbuf = NULL;
	uint64_t *rkeys = NULL;
	int64_t *ridx = NULL;
	if (ha__agree(!keys || (want_ix && !idx) || !cnt || !smp, ha_gnbytes(a), c, "sort")) {
		free(keys);
		free(idx);
		free(cnt);
		free(smp);
		return -1;
	}
	int64_t *M = cnt, *sc = cnt + P * P, *sd = sc + P, *rcn = sd + P, *rd = rcn + P,
	        *scnt = rd + P, *sdis = scnt + P, *lmap = sdis + P, *bnd = lmap + P,
	        *row = bnd + P + 1, *mc = row + P, *md = mc + P;
	sample *mine = smp + P * P;

	/* 1. local sort */
	ha__to_keys(a->dtype, a->data, n, 1, keys);
	if (desc)
		for (int64_t i = 0; i < n; i++)
			keys[i] = ~keys[i] & mask;
	if (want_ix)
		for (int64_t i = 0; i < n; i++)
			idx[i] = base + i;
	ha__sort_keys(n, keys, idx, keys + n, idx ? idx + n : NULL);

	/* 2. regular samples of every non-empty rank, pivots */
	int64_t off = 0, S = 0;
	for (int r = 0; r < P; r++) {
		scnt[r] = a->lmap[r] > 0 ? P * (int64_t)sizeof(sample) : 0;
		sdis[r] = off;
		off += scnt[r];
		S += a->lmap[r] > 0 ? P : 0;
	}
	for (int j = 0; j < P && n > 0; j++) {
		int64_t p = (int64_t)j * n / P;
		mine[j].key = keys[p];
		mine[j].tie = idx ? idx[p] : base + p;
	}
	if (ha_allgather_bytes(mine, scnt[me], smp, scnt, sdis, c, "sort"))
		goto out;
	qsort(smp, (size_t)S, sizeof(sample), sample_cmp);
	bnd[0] = 0;
	for (int r = 1; r < P; r++)
		bnd[r] = S ? lower_bound(keys, idx, base, n, smp[(int64_t)r * S / P]) : n;
	bnd[P] = n;
	for (int r = 1; r <= P; r++)
		if (bnd[r] < bnd[r - 1])
			bnd[r] = bnd[r - 1];

	/* 3. the P x P element counts, replicated */
	for (int r = 0; r < P; r++) {
		row[r] = bnd[r + 1] - bnd[r];
		mc[r] = P * (int64_t)sizeof(int64_t);
		md[r] = (int64_t)r * mc[r];
	}
	if (ha_allgather_bytes(row, mc[me], M, mc, md, c, "sort"))
		goto out;
	int64_t R = 0;
	for (int r = 0; r < P; r++) {
		lmap[r] = 0;
		for (int s = 0; s < P; s++)
			lmap[r] += M[s * P + r];
	}
	R = lmap[me];

	/* 4. values (as the dtype, smaller than keys) and indices */
	sbuf = ha__malloc((size_t)n * es);
	rbuf = ha__malloc((size_t)R * es);
	rkeys = malloc(sizeof(uint64_t) * 2 * (size_t)(R ? R : 1));
	ridx = want_ix ? malloc(sizeof(int64_t) * 2 * (size_t)(R ? R : 1)) : NULL;
	if (ha__agree(!sbuf || !rbuf || !rkeys || (want_ix && !ridx), ha_gnbytes(a), c, "sort"))
		goto out;
	if (desc)
		for (int64_t i = 0; i < n; i++)
			keys[i] = ~keys[i] & mask;
	ha__from_keys(a->dtype, keys, n, sbuf, 1);
	int64_t so = 0, ro = 0;
	for (int r = 0; r < P; r++) {
		sc[r] = M[me * P + r] * (int64_t)es;
		sd[r] = so;
		so += sc[r];
		rcn[r] = M[r * P + me] * (int64_t)es;
		rd[r] = ro;
		ro += rcn[r];
	}
	if (ha_alltoall_bytes(sbuf, sc, sd, rbuf, rcn, rd, c, "sort"))
		goto out;
	if (want_ix) {
		for (int r = 0; r < P; r++) {
			sc[r] = sc[r] / (int64_t)es * 8;
			sd[r] = sd[r] / (int64_t)es * 8;
			rcn[r] = rcn[r] / (int64_t)es * 8;
			rd[r] = rd[r] / (int64_t)es * 8;
		}
		if (ha_alltoall_bytes(idx, sc, sd, ridx, rcn, rd, c, "sort"))
			goto out;
	}

	/* 5. merge the runs (they arrive in rank order: stable keeps ties) */
	ha__to_keys(a->dtype, rbuf, R, 1, rkeys);
	if (desc)
		for (int64_t i = 0; i < R; i++)
			rkeys[i] = ~rkeys[i] & mask;
	ha__sort_keys(R, rkeys, ridx, rkeys + R, ridx ? ridx + R : NULL);
	if (desc)
		for (int64_t i = 0; i < R; i++)
			rkeys[i] = ~rkeys[i] & mask;
	ha__from_keys(a->dtype, rkeys, R, rbuf, 1);

	/* 6. back to the balanced chunk map */
	ha_array *vv = NULL, *ii = NULL;
	if (v && !(vv = balanced_from(a->dtype, a, lmap, rbuf)))
		goto out;
	if (want_ix && !(ii = balanced_from(HA_INT64, a, lmap, ridx))) {
		if (vv)
			ha_release(vv);
		goto out;
	}
	if (v)
		*v = vv;
	if (ix)
		*ix = ii;
	rc = 0;
out:
	free(keys);
	free(idx);
	free(cnt);
	free(smp);
	free(sbuf);
	free(rbuf);
	free(rkeys);
	free(ridx);
	return rc;
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
		return psrs(a, desc, v, ix);
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
		/* (1, n, 1)-like: sort the 1-D array with PSRS */
		int64_t n = a->gshape[axis];
		ha_array *f = ha_reshape(a, 1, &n, 0);
		if (!f)
			return -1;
		int rc = psrs(f, desc, v ? &vv : NULL, ix ? &ii : NULL);
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
