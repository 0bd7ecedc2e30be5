/*
** manipulate.c — flip, roll, rot90, swapaxes, moveaxis, pad, repeat, tile,
** diff, diagonal, diag.  Each reordering or growing operation is a row map
** along one axis at a time (rowmap.c): local when the axis is not split,
** one Alltoallv of the rows that change rank when it is.
*/
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "manip_internal.h"

/* ---- row maps ---- */

static void rm_flip(const void *ctx, int64_t g, int *q, int64_t *r)
{
	*q = 0;
	*r = *(const int64_t *)ctx - 1 - g;
}

typedef struct roll_ctx { int64_t n, shift; } roll_ctx;

static void rm_roll(const void *ctx, int64_t g, int *q, int64_t *r)
{
	const roll_ctx *c = ctx;
	int64_t x = (g - c->shift) % c->n;
	*q = 0;
	*r = x < 0 ? x + c->n : x;
}

static void rm_tile(const void *ctx, int64_t g, int *q, int64_t *r)
{
	*q = 0;
	*r = g % *(const int64_t *)ctx;
}

static void rm_shift(const void *ctx, int64_t g, int *q, int64_t *r)
{
	*q = 0;
	*r = g + *(const int64_t *)ctx;
}

typedef struct pad_ctx { int64_t n, before; ha_padmode mode; } pad_ctx;

static int64_t pmod(int64_t x, int64_t m)
{
	int64_t r = x % m;
	return r < 0 ? r + m : r;
}

static void rm_pad(const void *ctx, int64_t g, int *q, int64_t *r)
{
	const pad_ctx *c = ctx;
	int64_t x = g - c->before, n = c->n;
	*q = 0;
	if (x >= 0 && x < n) {
		*r = x;
		return;
	}
	switch (c->mode) {
	case HA_PAD_CONSTANT:
		*r = x < 0 ? -1 : -2;          /* fill 0: before, fill 1: after */
		return;
	case HA_PAD_EDGE:
		*r = x < 0 ? 0 : n - 1;
		return;
	case HA_PAD_REFLECT:
		if (n == 1) {
			*r = 0;
			return;
		}
		x = pmod(x, 2 * (n - 1));
		*r = x < n ? x : 2 * (n - 1) - x;
		return;
	case HA_PAD_SYMMETRIC:
		x = pmod(x, 2 * n);
		*r = x < n ? x : 2 * n - 1 - x;
		return;
	case HA_PAD_WRAP:
		*r = pmod(x, n);
		return;
	}
}

typedef struct rep_ctx { int64_t scalar; const int64_t *cum; int64_t n; } rep_ctx;

static void rm_repeat(const void *ctx, int64_t g, int *q, int64_t *r)
{
	const rep_ctx *c = ctx;
	*q = 0;
	if (c->cum == NULL) {
		*r = g / c->scalar;
		return;
	}
	/* the first i with cum[i] > g */
	int64_t lo = 0, hi = c->n - 1;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		if (c->cum[mid] > g)
			hi = mid;
		else
			lo = mid + 1;
	}
	*r = lo;
}

static ha_array *map1(const ha_array *a, int axis, int64_t nout, ha__rowfn fn, const void *ctx,
                      const void *fills)
{
	ha_array *const in[1] = { (ha_array *)a };
	return ha__rowmap(1, in, axis, nout, fn, ctx, fills, "manip");
}

/* ---- flip, roll, rot90 ---- */

ha_array *ha_flip(const ha_array *a, int naxes, const int *axes)
{
	int mark[HA_MAXDIM] = { 0 };
	if (naxes < 0) {
		for (int d = 0; d < a->ndim; d++)
			mark[d] = 1;
	} else {
		for (int i = 0; i < naxes; i++) {
			int ax;
			if (ha__norm_axis(axes[i], a->ndim, &ax))
				return NULL;
			if (mark[ax]) {
				ha_error_set(HA_EVALUE, "repeated axis");
				return NULL;
			}
			mark[ax] = 1;
		}
	}
	ha_array *cur = ha_retain((ha_array *)a);
	/* the split axis first: later passes are then local on balanced data */
	int order[HA_MAXDIM], n = 0;
	if (a->split >= 0 && mark[a->split])
		order[n++] = a->split;
	for (int d = 0; d < a->ndim; d++)
		if (mark[d] && d != a->split)
			order[n++] = d;
	if (n == 0) {
		ha_release(cur);
		return ha_copy(a);
	}
	for (int i = 0; i < n && cur; i++) {
		int64_t len = cur->gshape[order[i]];
		ha_array *nx = map1(cur, order[i], len, rm_flip, &len, NULL);
		ha_release(cur);
		cur = nx;
	}
	return cur;
}

ha_array *ha_roll(const ha_array *a, int naxes, const int64_t *shifts, const int *axes)
{
	if (naxes == 0) {
		ha_array *f = ha_flatten(a);
		if (!f)
			return NULL;
		ha_array *r = f->gshape[0] ? NULL : ha_retain(f);
		if (!r) {
			roll_ctx c = { f->gshape[0], shifts[0] };
			r = map1(f, 0, c.n, rm_roll, &c, NULL);
		}
		ha_release(f);
		if (!r)
			return NULL;
		ha_array *b = ha_reshape(r, a->ndim, a->gshape, a->split);
		ha_release(r);
		return b;
	}
	ha_array *cur = ha_retain((ha_array *)a);
	for (int i = 0; i < naxes && cur; i++) {
		int ax;
		if (ha__norm_axis(axes[i], a->ndim, &ax)) {
			ha_release(cur);
			return NULL;
		}
		roll_ctx c = { cur->gshape[ax], shifts[i] };
		if (c.n == 0)
			continue;
		ha_array *nx = map1(cur, ax, c.n, rm_roll, &c, NULL);
		ha_release(cur);
		cur = nx;
	}
	if (cur == a) {
		ha_release(cur);
		return ha_copy(a);
	}
	return cur;
}

ha_array *ha_swapaxes(const ha_array *a, int ax1, int ax2)
{
	int perm[HA_MAXDIM];
	if (ha__norm_axis(ax1, a->ndim, &ax1) || ha__norm_axis(ax2, a->ndim, &ax2))
		return NULL;
	for (int d = 0; d < a->ndim; d++)
		perm[d] = d;
	perm[ax1] = ax2;
	perm[ax2] = ax1;
	return ha_transpose(a, perm);
}

ha_array *ha_moveaxis(const ha_array *a, int n, const int *src, const int *dst)
{
	int nd = a->ndim, s[HA_MAXDIM], d[HA_MAXDIM], used_s[HA_MAXDIM] = { 0 },
	    used_d[HA_MAXDIM] = { 0 }, order[HA_MAXDIM], placed[HA_MAXDIM];
	if (n > nd) {
		ha_error_set(HA_EVALUE, "`source` has more axes than the array has dimensions");
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		if (ha__norm_axis(src[i], nd, &s[i]) || ha__norm_axis(dst[i], nd, &d[i]))
			return NULL;
		if (used_s[s[i]]++) {
			ha_error_set(HA_EVALUE, "repeated axis in `source` argument");
			return NULL;
		}
		if (used_d[d[i]]++) {
			ha_error_set(HA_EVALUE, "repeated axis in `destination` argument");
			return NULL;
		}
	}
	/* destinations get their sources; the other axes fill the gaps in order */
	for (int i = 0; i < nd; i++)
		placed[i] = -1;
	for (int i = 0; i < n; i++)
		placed[d[i]] = s[i];
	int next = 0;
	for (int i = 0; i < nd; i++) {
		if (placed[i] >= 0) {
			order[i] = placed[i];
			continue;
		}
		while (used_s[next])
			next++;
		order[i] = next++;
	}
	return ha_transpose(a, order);
}

ha_array *ha_rot90(const ha_array *a, int k, int ax0, int ax1)
{
	int nd = a->ndim;
	if (nd < 2) {
		ha_error_set(HA_EVALUE, "Axes must be different.");
		return NULL;
	}
	if (ax0 < -nd || ax0 >= nd || ax1 < -nd || ax1 >= nd) {
		ha_error_set(HA_EVALUE, "Axes=(%d, %d) out of range for array of ndim=%d.", ax0, ax1, nd);
		return NULL;
	}
	if (ax0 < 0)
		ax0 += nd;
	if (ax1 < 0)
		ax1 += nd;
	if (ax0 == ax1) {
		ha_error_set(HA_EVALUE, "Axes must be different.");
		return NULL;
	}
	k = ((k % 4) + 4) % 4;
	if (k == 0)
		return ha_copy(a);
	if (k == 2) {
		int ax[2] = { ax0, ax1 };
		return ha_flip(a, 2, ax);
	}
	int perm[HA_MAXDIM];
	for (int d = 0; d < nd; d++)
		perm[d] = d;
	perm[ax0] = ax1;
	perm[ax1] = ax0;
	ha_array *t, *r;
	if (k == 1) {
		t = ha_flip(a, 1, &ax1);
		r = t ? ha_transpose(t, perm) : NULL;
	} else {
		t = ha_transpose(a, perm);
		r = t ? ha_flip(t, 1, &ax1) : NULL;
	}
	if (t)
		ha_release(t);
	return r;
}

/* ---- pad, repeat, tile ---- */

ha_array *ha_pad(const ha_array *a, const int64_t *widths, ha_padmode mode,
                 const ha_scalar *values)
{
	for (int d = 0; d < a->ndim; d++) {
		if (widths[2 * d] < 0 || widths[2 * d + 1] < 0) {
			ha_error_set(HA_EVALUE, "index can't contain negative values");
			return NULL;
		}
		if (mode != HA_PAD_CONSTANT && a->gshape[d] == 0 && (widths[2 * d] || widths[2 * d + 1])) {
			ha_error_set(HA_EVALUE, "can't extend empty axis %d using modes other than "
			             "'constant' or 'empty'", d);
			return NULL;
		}
	}
	ha_array *cur = ha_retain((ha_array *)a);
	int touched = 0;
	for (int d = 0; d < a->ndim && cur; d++) {
		if (!widths[2 * d] && !widths[2 * d + 1])
			continue;
		char fills[2 * 16] = { 0 };
		if (values) {
			ha_scalar_store(values[2 * d], a->dtype, fills);
			ha_scalar_store(values[2 * d + 1], a->dtype, fills + ha_dtype_size(a->dtype));
		}
		pad_ctx c = { cur->gshape[d], widths[2 * d], mode };
		ha_array *nx = map1(cur, d, c.n + widths[2 * d] + widths[2 * d + 1], rm_pad, &c, fills);
		ha_release(cur);
		cur = nx;
		touched = 1;
	}
	if (cur && !touched) {
		ha_release(cur);
		return ha_copy(a);
	}
	return cur;
}

ha_array *ha_repeat(const ha_array *a, int nrep, const int64_t *repeats, int axis)
{
	ha_array *src;
	if (axis == HA_AXIS_NONE) {
		src = a->ndim == 1 ? ha_retain((ha_array *)a) : ha_flatten(a);
		axis = 0;
	} else {
		if (ha__norm_axis(axis, a->ndim, &axis))
			return NULL;
		src = ha_retain((ha_array *)a);
	}
	if (!src)
		return NULL;
	int64_t n = src->gshape[axis], total = 0, *cum = NULL;
	for (int i = 0; i < nrep; i++)
		if (repeats[i] < 0) {
			ha_release(src);
			ha_error_set(HA_EVALUE, "repeats may not contain negative values");
			return NULL;
		}
	if (nrep != 1 && nrep != n) {
		ha_release(src);
		ha_error_set(HA_EVALUE, "operands could not be broadcast together with shape (%lld,) (%d,)",
		             (long long)n, nrep);
		return NULL;
	}
	rep_ctx c = { 1, NULL, n };
	if (nrep == 1 && repeats[0] > 0) {
		c.scalar = repeats[0];
		total = n * repeats[0];
	} else if (nrep != 1) {
		cum = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
		if (!cum) {
			ha_release(src);
			ha_error_set(HA_EMEMORY, "out of memory in repeat");
			return NULL;
		}
		for (int64_t i = 0; i < n; i++) {
			total += repeats[i];
			cum[i] = total;
		}
		c.cum = cum;
	}
	ha_array *r = map1(src, axis, total, rm_repeat, &c, NULL);
	free(cum);
	ha_release(src);
	return r;
}

ha_array *ha_tile(const ha_array *a, int nreps, const int64_t *reps_in)
{
	int64_t reps[HA_MAXDIM];
	int nd = a->ndim > nreps ? a->ndim : nreps;
	if (nd > HA_MAXDIM) {
		ha_error_set(HA_EVALUE, "at most %d dimensions are supported", HA_MAXDIM);
		return NULL;
	}
	for (int i = 0; i < nd; i++)
		reps[i] = 1;
	for (int i = 0; i < nreps; i++) {
		if (reps_in[i] < 0) {
			ha_error_set(HA_EVALUE, "negative dimensions are not allowed");
			return NULL;
		}
		reps[nd - nreps + i] = reps_in[i];
	}
	ha_array *cur = ha_retain((ha_array *)a);
	while (cur && cur->ndim < nd) {
		ha_array *nx = ha_expand_dims(cur, 0);
		ha_release(cur);
		cur = nx;
	}
	int touched = 0;
	for (int d = 0; d < nd && cur; d++) {
		if (reps[d] == 1)
			continue;
		int64_t n = cur->gshape[d];
		ha_array *nx = map1(cur, d, n * reps[d], rm_tile, &n, NULL);
		ha_release(cur);
		cur = nx;
		touched = 1;
	}
	if (cur && !touched) {
		ha_array *c = ha_copy(cur);
		ha_release(cur);
		return c;
	}
	return cur;
}

/* ---- diff ---- */

ha_array *ha_diff(const ha_array *a, int n, int axis)
{
	if (a->ndim == 0) {
		ha_error_set(HA_EVALUE, "diff requires input that is at least one dimensional");
		return NULL;
	}
	if (n < 0) {
		ha_error_set(HA_EVALUE, "order must be non-negative but got %d", n);
		return NULL;
	}
	if (ha__norm_axis(axis, a->ndim, &axis))
		return NULL;
	ha_array *cur = ha_copy(a);
	int op = a->dtype == HA_BOOL ? HA_NE : HA_SUB;
	for (int i = 0; i < n && cur; i++) {
		int64_t len = cur->gshape[axis], m = len > 0 ? len - 1 : 0, one = 1, zero = 0;
		ha_array *hi = map1(cur, axis, m, rm_shift, &one, NULL);
		ha_array *lo = hi ? map1(cur, axis, m, rm_shift, &zero, NULL) : NULL;
		ha_array *d = lo ? ha_binary(op, hi, lo) : NULL;
		if (hi)
			ha_release(hi);
		if (lo)
			ha_release(lo);
		ha_release(cur);
		cur = d;
	}
	return cur;
}

/* ---- diagonals ---- */

ha_array *ha_diagonal(const ha_array *a, int64_t k, int ax1, int ax2)
{
	int nd = a->ndim;
	if (nd < 2) {
		ha_error_set(HA_EVALUE, "diag requires an array of at least two dimensions");
		return NULL;
	}
	if (ha__norm_axis(ax1, nd, &ax1) || ha__norm_axis(ax2, nd, &ax2))
		return NULL;
	if (ax1 == ax2) {
		ha_error_set(HA_EVALUE, "axis1 and axis2 cannot be the same");
		return NULL;
	}
	int64_t o1 = k < 0 ? -k : 0, o2 = k > 0 ? k : 0, n1 = a->gshape[ax1], n2 = a->gshape[ax2];
	int64_t L = n1 - o1 < n2 - o2 ? n1 - o1 : n2 - o2;
	if (L < 0)
		L = 0;
	int64_t gsh[HA_MAXDIM];
	int others[HA_MAXDIM], no = 0, split = -1, P = a->comm->size;
	for (int d = 0; d < nd; d++)
		if (d != ax1 && d != ax2) {
			if (d == a->split)
				split = no;
			others[no] = d;
			gsh[no++] = a->gshape[d];
		}
	gsh[no] = L;
	int64_t *lmap = NULL, i0 = 0, i1 = L;
	int s = a->split;
	if (s == ax1 || s == ax2) {
		/* each rank keeps the diagonal entries of its own rows */
		int64_t os = s == ax1 ? o1 : o2, off = 0;
		lmap = malloc(sizeof(int64_t) * (size_t)P);
		if (!lmap) {
			ha_error_set(HA_EMEMORY, "out of memory in diagonal");
			return NULL;
		}
		for (int r = 0; r < P; r++) {
			int64_t lo = off - os, hi = off + a->lmap[r] - os;
			lo = lo < 0 ? 0 : lo > L ? L : lo;
			hi = hi < 0 ? 0 : hi > L ? L : hi;
			lmap[r] = hi > lo ? hi - lo : 0;
			if (r == a->comm->rank) {
				i0 = lo;
				i1 = hi > lo ? hi : lo;
			}
			off += a->lmap[r];
		}
		split = no;
	} else if (split >= 0) {
		lmap = malloc(sizeof(int64_t) * (size_t)P);
		if (!lmap) {
			ha_error_set(HA_EMEMORY, "out of memory in diagonal");
			return NULL;
		}
		memcpy(lmap, a->lmap, sizeof(int64_t) * (size_t)P);
	}
	ha_array *b = ha_array_alloc_lmap(a->dtype, no + 1, gsh, split, lmap, a->device, a->comm);
	free(lmap);
	if (!b)
		return NULL;
	/* strided copy: element (others..., i) <- (others..., i + o1, i + o2) */
	int64_t st[HA_MAXDIM], acc = 1;
	for (int d = nd - 1; d >= 0; d--) {
		st[d] = acc;
		acc *= a->lshape[d];
	}
	int64_t c1 = o1 - (s == ax1 ? a->loffset : 0), c2 = o2 - (s == ax2 ? a->loffset : 0);
	int64_t total = ha_lnumel(b), cnt = i1 - i0;
	size_t es = ha_dtype_size(a->dtype);
	for (int64_t e = 0; e < total; e++) {
		int64_t rem = e / (cnt ? cnt : 1), i = i0 + e % (cnt ? cnt : 1), so = 0;
		for (int d = no - 1; d >= 0; d--) {
			so += (rem % b->lshape[d]) * st[others[d]];
			rem /= b->lshape[d];
		}
		so += (i + c1) * st[ax1] + (i + c2) * st[ax2];
		memcpy((char *)b->data + (size_t)e * es, (const char *)a->data + (size_t)so * es, es);
	}
	return b;
}

ha_array *ha_diag(const ha_array *a, int64_t k)
{
	if (a->ndim == 2)
		return ha_diagonal(a, k, 0, 1);
	if (a->ndim != 1) {
		ha_error_set(HA_EVALUE, "Input must be 1- or 2-d.");
		return NULL;
	}
	int64_t w[2] = { k < 0 ? -k : 0, k > 0 ? k : 0 };
	ha_array *b = ha_pad(a, w, HA_PAD_CONSTANT, NULL);
	if (!b)
		return NULL;
	int64_t N = b->gshape[0], sh[2] = { N, N };
	ha_array *out = ha_array_alloc_lmap(a->dtype, 2, sh, b->split, b->lmap, a->device, a->comm);
	if (!out) {
		ha_release(b);
		return NULL;
	}
	size_t es = ha_dtype_size(a->dtype);
	memset(out->data, 0, (size_t)ha_lnbytes(out));
	int64_t off = b->split >= 0 ? b->loffset : 0;
	for (int64_t r = 0; r < b->lshape[0]; r++) {
		int64_t col = off + r + k;
		if (col >= 0 && col < N)
			memcpy((char *)out->data + (size_t)(r * N + col) * es, (char *)b->data + (size_t)r * es, es);
	}
	ha_release(b);
	return out;
}
