/*
** shape.c — transpose, reshape, flatten/ravel, squeeze, expand_dims.
** None of them modifies its input (Heat's reshape resplits its input in
** place; ha's does not).
**
** Distributed reshape moves data with ONE Alltoallv computed from global
** flat (C-order) index ranges.  A rank's chunk of a split-k array is, for
** every combination of the axes before k, one contiguous range of global
** flat indices ("a run"); the target chunk of a split-j array is the same
** kind of set.  Each sender cuts its runs where the owner of the target
** changes and packs each piece for its owner, in increasing flat index;
** each receiver replays the senders' cutting (all chunk maps are
** replicated) to know where every received piece goes.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"

#define PAR_N 32768

/* ---- transpose ---- */

#define PERMUTE_LOOP(T)                                                           \
	do {                                                                      \
		const T *s_ = a->data;                                            \
		T *d_ = b->data;                                                  \
		_Pragma("omp parallel for schedule(static) if (total > PAR_N)")   \
		for (int64_t o = 0; o < outer; o++) {                             \
			int64_t rem = o, so = 0;                                  \
			for (int d = nd - 2; d >= 0; d--) {                       \
				so += (rem % bsh[d]) * sstr[axes[d]];             \
				rem /= bsh[d];                                    \
			}                                                         \
			T *dd = d_ + o * inner;                                   \
			for (int64_t i = 0; i < inner; i++)                       \
				dd[i] = s_[so + i * istr];                        \
		}                                                                 \
	} while (0)

typedef struct { uint64_t lo, hi; } u128;

/* Matrix transpose (the common a.T) in cache tiles: both the reads and the
** writes then stay within a few cache lines per row of the tile. */
#define TILE 32
#define TILED_LOOP(T)                                                                 \
	do {                                                                          \
		const T *s_ = src;                                                    \
		T *d_ = dst;                                                          \
		_Pragma("omp parallel for collapse(2) schedule(static) if (r * c > PAR_N)") \
		for (int64_t i0 = 0; i0 < r; i0 += TILE)                              \
			for (int64_t j0 = 0; j0 < c; j0 += TILE) {                    \
				int64_t i1 = i0 + TILE < r ? i0 + TILE : r;           \
				int64_t j1 = j0 + TILE < c ? j0 + TILE : c;           \
				for (int64_t j = j0; j < j1; j++)                     \
					for (int64_t i = i0; i < i1; i++)             \
						d_[j * r + i] = s_[i * c + j];        \
			}                                                             \
	} while (0)

/* dst (c x r) = transpose of src (r x c) */
static void transpose2d(size_t es, const void *src, void *dst, int64_t r, int64_t c)
{
	switch (es) {
	case 1: TILED_LOOP(uint8_t); break;
	case 2: TILED_LOOP(uint16_t); break;
	case 4: TILED_LOOP(uint32_t); break;
	case 8: TILED_LOOP(uint64_t); break;
	default: TILED_LOOP(u128); break;
	}
}

ha_array *ha_transpose(const ha_array *a, const int *axes_in)
{
	int nd = a->ndim, axes[HA_MAXDIM], seen[HA_MAXDIM] = { 0 }, split = -1;
	int64_t gsh[HA_MAXDIM], bsh[HA_MAXDIM], sstr[HA_MAXDIM];
	ha_array *b;
	for (int d = 0; d < nd; d++) {
		int x = axes_in ? axes_in[d] : nd - 1 - d;
		if (x < 0)
			x += nd;
		if (x < 0 || x >= nd || seen[x]) {
			ha_error_set(HA_EVALUE, "axes don't match array");
			return NULL;
		}
		seen[x] = 1;
		axes[d] = x;
		gsh[d] = a->gshape[x];
		if (x == a->split)
			split = d;
	}
	b = ha_array_alloc_lmap(a->dtype, nd, gsh, split, a->lmap, a->device, a->comm);
	if (!b)
		return NULL;
	int64_t total = ha_lnumel(a);
	if (total == 0)
		return b;
	if (nd == 0) {
		memcpy(b->data, a->data, ha_dtype_size(a->dtype));
		return b;
	}
	if (nd == 2 && axes[0] == 1) {
		transpose2d(ha_dtype_size(a->dtype), a->data, b->data, a->lshape[0], a->lshape[1]);
		return b;
	}
	for (int d = 0; d < nd; d++)
		bsh[d] = b->lshape[d];
	sstr[nd - 1] = 1;
	for (int d = nd - 2; d >= 0; d--)
		sstr[d] = sstr[d + 1] * a->lshape[d + 1];
	int64_t inner = bsh[nd - 1], outer = total / inner, istr = sstr[axes[nd - 1]];
	switch (ha_dtype_size(a->dtype)) {
	case 1: PERMUTE_LOOP(uint8_t); break;
	case 2: PERMUTE_LOOP(uint16_t); break;
	case 4: PERMUTE_LOOP(uint32_t); break;
	case 8: PERMUTE_LOOP(uint64_t); break;
	default: PERMUTE_LOOP(u128); break;
	}
	return b;
}

/* ---- reshape ---- */

typedef struct dgeom {
	int64_t n, T;             /* length of the target split axis, trailing product */
	const int64_t *off, *cnt; /* target chunk map (offsets, counts) */
	int P;
} dgeom;

/* Owner of global flat index g, and the end of the piece it owns there. */
static int owner(const dgeom *t, int64_t g, int64_t *end)
{
	int64_t blk = g / t->T, i = blk % t->n, p = blk / t->n;
	int lo = ha__owner_of(t->off, t->P, i);
	*end = (p * t->n + t->off[lo] + t->cnt[lo]) * t->T;
	return lo;
}

/* Position of global flat index g inside owner s's chunk. */
static int64_t dpos(const dgeom *t, int s, int64_t g)
{
	int64_t blk = g / t->T, i = blk % t->n, p = blk / t->n;
	return (p * t->cnt[s] + (i - t->off[s])) * t->T + g % t->T;
}

typedef struct sgeom {
	int64_t A, n, T;          /* runs per rank, split length, trailing product */
	const int64_t *off, *cnt; /* source chunk map */
} sgeom;

/* Walk rank r's runs cut at owner changes: calls visit(ctx, owner, g,
** length, local position in r's chunk) in increasing g. */
typedef void (*visit_fn)(void *ctx, int s, int64_t g, int64_t len, int64_t lpos);

static void walk(const sgeom *sg, const dgeom *dg, int r, visit_fn visit, void *ctx)
{
	int64_t len = sg->cnt[r] * sg->T;
	if (len == 0)
		return;
	for (int64_t p = 0; p < sg->A; p++) {
		int64_t g = (p * sg->n + sg->off[r]) * sg->T, gend = g + len, lpos = p * len;
		while (g < gend) {
			int64_t e;
			int s = owner(dg, g, &e);
			if (e > gend)
				e = gend;
			visit(ctx, s, g, e - g, lpos);
			lpos += e - g;
			g = e;
		}
	}
}

typedef struct xfer {
	const dgeom *dg;
	int me;
	size_t es;
	int64_t *bytes;           /* per peer */
	const int64_t *displ;     /* per peer (pack / unpack) */
	int64_t *cursor;
	const char *src;
	char *dst;
	int64_t mine;             /* bytes of one sender meant for me */
} xfer;

static void count_send(void *c, int s, int64_t g, int64_t len, int64_t lpos)
{
	xfer *x = c;
	(void)g;
	(void)lpos;
	x->bytes[s] += len * (int64_t)x->es;
}

static void pack(void *c, int s, int64_t g, int64_t len, int64_t lpos)
{
	xfer *x = c;
	(void)g;
	memcpy(x->dst + x->displ[s] + x->cursor[s], x->src + lpos * (int64_t)x->es,
	       (size_t)len * x->es);
	x->cursor[s] += len * (int64_t)x->es;
}

static void count_recv(void *c, int s, int64_t g, int64_t len, int64_t lpos)
{
	xfer *x = c;
	(void)g;
	(void)lpos;
	if (s == x->me)
		x->mine += len * (int64_t)x->es;
}

static void unpack(void *c, int s, int64_t g, int64_t len, int64_t lpos)
{
	xfer *x = c;
	(void)lpos;
	if (s != x->me)
		return;
	memcpy(x->dst + dpos(x->dg, s, g) * (int64_t)x->es, x->src + x->mine,
	       (size_t)len * x->es);
	x->mine += len * (int64_t)x->es;
}

static void axis_geom(int ndim, const int64_t *shape, int k, int64_t *A, int64_t *T)
{
	*A = *T = 1;
	for (int d = 0; d < k; d++)
		*A *= shape[d];
	for (int d = k + 1; d < ndim; d++)
		*T *= shape[d];
}

/* a split (any chunk map) -> b split j (balanced), one Alltoallv. */
static int move_flat(const ha_array *a, ha_array *b)
{
	int P = a->comm->size, me = a->comm->rank, rc = -1;
	size_t es = ha_dtype_size(a->dtype);
	int64_t *buf = ha__malloc(sizeof(int64_t) * 9 * (size_t)P);
	sgeom sg;
	dgeom dg;
	xfer x;
	char *sbuf = NULL, *rbuf = NULL;
	if (!buf)
		return ha_error_set(HA_EMEMORY, "out of memory in reshape");
	int64_t *soff = buf, *toff = buf + P, *sc = buf + 2 * P, *sd = buf + 3 * P,
	        *rcnt = buf + 4 * P, *rd = buf + 5 * P, *cur = buf + 6 * P;
	soff[0] = toff[0] = 0;
	for (int r = 1; r < P; r++) {
		soff[r] = soff[r - 1] + a->lmap[r - 1];
		toff[r] = toff[r - 1] + b->lmap[r - 1];
	}
	axis_geom(a->ndim, a->gshape, a->split, &sg.A, &sg.T);
	sg.n = a->gshape[a->split];
	sg.off = soff;
	sg.cnt = a->lmap;
	int64_t dA;
	axis_geom(b->ndim, b->gshape, b->split, &dA, &dg.T);
	dg.n = b->gshape[b->split];
	dg.off = toff;
	dg.cnt = b->lmap;
	dg.P = P;
	memset(sc, 0, sizeof(int64_t) * (size_t)P);
	memset(cur, 0, sizeof(int64_t) * (size_t)P);
	x = (xfer){ &dg, me, es, sc, sd, cur, a->data, NULL, 0 };
	walk(&sg, &dg, me, count_send, &x);
	int64_t stot = 0, rtot = 0;
	for (int r = 0; r < P; r++) {
		sd[r] = stot;
		stot += sc[r];
		x.mine = 0;
		walk(&sg, &dg, r, count_recv, &x);
		rcnt[r] = x.mine;
		rd[r] = rtot;
		rtot += rcnt[r];
	}
	sbuf = ha__malloc((size_t)stot);
	rbuf = ha__malloc((size_t)rtot);
	if (ha__agree(!sbuf || !rbuf, ha_gnbytes(a), a->comm, "reshape") == 0) {
		x.dst = sbuf;
		walk(&sg, &dg, me, pack, &x);
		rc = ha_alltoall_bytes(sbuf, sc, sd, rbuf, rcnt, rd, a->comm, "reshape");
		x.dst = b->data;
		for (int r = 0; rc == 0 && r < P; r++) {
			x.src = rbuf + rd[r];
			x.mine = 0;
			walk(&sg, &dg, r, unpack, &x);
		}
	}
	free(sbuf);
	free(rbuf);
	free(buf);
	return rc;
}

static int resolve_shape(const ha_array *a, int ndim, const int64_t *shape, int64_t *out)
{
	int64_t n = 1, total = ha_gnumel(a);
	int neg = -1;
	char text[256];
	size_t len = 0;
	for (int d = 0; d < ndim; d++) {
		if (shape[d] == -1 && neg < 0) {
			neg = d;
			continue;
		}
		if (shape[d] < 0)
			return ha_error_set(HA_EVALUE, shape[d] == -1 ? "can only specify one unknown "
			                    "dimension" : "negative dimensions not allowed");
		n *= shape[d];
	}
	for (int d = 0; d < ndim; d++)
		out[d] = shape[d];
	if (neg >= 0 && n != 0 && total % n == 0) {
		out[neg] = total / n;
		return 0;
	}
	if (neg < 0 && n == total)
		return 0;
	len += (size_t)snprintf(text + len, sizeof text - len, "(");
	for (int d = 0; d < ndim && len < sizeof text; d++)
		len += (size_t)snprintf(text + len, sizeof text - len, d ? ", %lld" : "%lld",
		                        (long long)shape[d]);
	if (len < sizeof text)
		snprintf(text + len, sizeof text - len, ndim == 1 ? ",)" : ")");
	return ha_error_set(HA_EVALUE, "cannot reshape array of size %lld into shape %s",
	                    (long long)total, text);
}

ha_array *ha_reshape(const ha_array *a, int ndim, const int64_t *shape_in, int new_split)
{
	int64_t shape[HA_MAXDIM];
	ha_array *b, *full;
	if (ndim < 0 || ndim > HA_MAXDIM) {
		ha_error_set(HA_EVALUE, "number of dimensions %d is out of range", ndim);
		return NULL;
	}
	if (resolve_shape(a, ndim, shape_in, shape) != 0)
		return NULL;
	if (new_split == HA_SPLIT_DEFAULT)
		new_split = a->split < 0 ? HA_SPLIT_NONE : ndim == a->ndim ? a->split : 0;
	if (ndim == 0)
		new_split = HA_SPLIT_NONE;
	if (new_split < -1 || new_split >= ndim) {
		ha_error_set(HA_EVALUE, "split axis %d is out of bounds for an array of dimension %d",
		             new_split, ndim);
		return NULL;
	}
	if (a->split >= 0 && new_split < 0) {
		/* the flat order is the global C order: gather, then relabel */
		full = ha_resplit(a, HA_SPLIT_NONE);
		if (!full)
			return NULL;
		b = ha_array_alloc(a->dtype, ndim, shape, HA_SPLIT_NONE, a->device, a->comm);
		if (b)
			memcpy(b->data, full->data, (size_t)ha_lnbytes(b));
		ha_release(full);
		return b;
	}
	b = ha_array_alloc(a->dtype, ndim, shape, new_split, a->device, a->comm);
	if (!b)
		return NULL;
	if (a->split < 0) {
		/* replicated input: keep my chunk of the new shape, no communication */
		int64_t off[HA_MAXDIM] = { 0 }, zero[HA_MAXDIM] = { 0 };
		if (new_split >= 0)
			off[new_split] = b->loffset;
		ha_copy_box(ha_dtype_size(a->dtype), ndim, b->lshape, a->data, shape, off, b->data,
		            b->lshape, zero);
		return b;
	}
	if (a->comm->size == 1 || ha_gnumel(a) == 0) {
		memcpy(b->data, a->data, (size_t)ha_lnbytes(b));
		return b;
	}
	if (move_flat(a, b) != 0) {
		ha_release(b);
		return NULL;
	}
	return b;
}

ha_array *ha_flatten(const ha_array *a)
{
	int64_t n = ha_gnumel(a);
	return ha_reshape(a, 1, &n, a->split >= 0 ? 0 : HA_SPLIT_NONE);
}

ha_array *ha_ravel(const ha_array *a)
{
	return ha_flatten(a);
}

/* A new array with the same local bytes and a different shape/split. */
static ha_array *relabel(const ha_array *a, int ndim, const int64_t *shape, int split)
{
	ha_array *b = ha_array_alloc_lmap(a->dtype, ndim, shape, split, split >= 0 ? a->lmap : NULL,
	                                  a->device, a->comm);
	if (b)
		memcpy(b->data, a->data, (size_t)ha_lnbytes(a));
	return b;
}

ha_array *ha_squeeze(const ha_array *a, int naxes, const int *axes)
{
	int drop[HA_MAXDIM] = { 0 }, nd = 0, split = a->split;
	int64_t shape[HA_MAXDIM];
	for (int i = 0; i < naxes; i++) {
		int x = axes[i] < 0 ? axes[i] + a->ndim : axes[i];
		if (x < 0 || x >= a->ndim) {
			ha_error_set(HA_EVALUE, "axis %d is out of bounds for array of dimension %d",
			             axes[i], a->ndim);
			return NULL;
		}
		if (a->gshape[x] != 1) {
			ha_error_set(HA_EVALUE, "cannot select an axis to squeeze out which has size "
			             "not equal to one");
			return NULL;
		}
		drop[x] = 1;
	}
	if (naxes == 0)
		for (int d = 0; d < a->ndim; d++)
			drop[d] = a->gshape[d] == 1;
	for (int d = 0; d < a->ndim; d++)
		if (!drop[d])
			shape[nd++] = a->gshape[d];
	if (a->split >= 0 && drop[a->split]) {
		/* the split axis goes away: the one row becomes replicated */
		ha_array *full = ha_resplit(a, HA_SPLIT_NONE), *b;
		if (!full)
			return NULL;
		b = relabel(full, nd, shape, HA_SPLIT_NONE);
		ha_release(full);
		return b;
	}
	if (split >= 0)
		for (int d = 0; d < a->split; d++)
			split -= drop[d];
	return relabel(a, nd, shape, split);
}

ha_array *ha_expand_dims(const ha_array *a, int axis)
{
	int64_t shape[HA_MAXDIM];
	int split = a->split;
	if (axis < 0)
		axis += a->ndim + 1;
	if (axis < 0 || axis > a->ndim || a->ndim >= HA_MAXDIM) {
		ha_error_set(HA_EVALUE, "axis %d is out of bounds for array of dimension %d", axis,
		             a->ndim + 1);
		return NULL;
	}
	for (int d = 0, s = 0; d <= a->ndim; d++)
		shape[d] = d == axis ? 1 : a->gshape[s++];
	if (split >= axis)
		split++;
	return relabel(a, a->ndim + 1, shape, split);
}
