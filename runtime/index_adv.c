/*
** index_adv.c — keys with several advanced items (NumPy's full rules):
** a[[0, 2], [1, 3]], a[i2d, :, j], a[mask, [0, 1]], a[1:3, [0, 2], [1, 1]].
** Keys with at most one 1-D index list or mask stay in index.c.
**
** Plan (replicated metadata only): every advanced item becomes index
** arrays over single source axes (a mask of k dims gives its k nonzero()
** arrays; an integer is a 0-d array), which are broadcast together into
** the block shape.  The block replaces the advanced items when they are
** adjacent in the key, else it goes first.  The other ("kept") source axes
** keep their slice selections, in order.  For block position t (C order)
** each advanced axis has its index, and the result holds, for every t, the
** "row" of a at those indices over the kept selections.  The index arrays
** are made replicated (a distributed one or a mask is gathered once); the
** data array never is.
**
** Distribution:
**   split axis advanced  the result is split along the block's first axis,
**                        balanced; each rank asks the owners for the rows of
**                        its block positions: ONE request/response exchange
**                        (Alltoall of counts, Alltoallv of positions,
**                        Alltoallv of rows);
**   split axis kept      the result keeps that axis split (at its place in
**                        the result, unbalanced like a slice); local, plus
**                        the global reversal for a negative step;
**   replicated array     replicated result, local; split along the block's
**                        first axis (balanced) when an index array or mask
**                        was distributed.
** A set writes rows where they live: along a kept split every rank writes
** its part of every row (no data moves for a scalar or a value with the
** same distribution); along an advanced split axis a scalar is written by
** the owners without communication, and an array value goes from the rank
** holding that block position to the owner (Alltoall of counts plus one
** Alltoallv of (position, row)).  Rows are applied in block order (C order
** of the broadcast indices), so with duplicate indices the last one wins,
** as in NumPy, whatever the number of ranks.
** Every check (indices, bounds, broadcast, value shape) is decided before
** the first write, identically on every rank.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "index_internal.h"

#define WHAT "getitem"
#define WHAT_SET "setitem"

/* One advanced index over one source axis. */
typedef struct advix {
	int src;                      /* source axis */
	const int64_t *v;             /* normalised values, C order of shape */
	int nd;
	int64_t shape[HA_MAXDIM];
	int64_t bstride[HA_MAXDIM];   /* per block axis, 0 where broadcast */
	int item;                     /* key item it came from */
	int listed;                   /* shown in the broadcast error (not an int) */
} advix;

typedef struct mplan {
	int nd, split;
	int isadv[HA_MAXDIM];
	axsel ax[HA_MAXDIM];          /* kept axes: global selection; out = result axis */
	int nadv, js;                 /* js: the entry over the split axis, or -1 */
	advix adv[HA_MAXDIM];
	int64_t ival[HA_MAXDIM];      /* values of integer items */
	int64_t *bufs[HA_MAXDIM];     /* owned index buffers */
	int nbufs;
	int bnd;                      /* the broadcast block */
	int64_t bshape[HA_MAXDIM], T;
	int rnd, p;                   /* result ndim, block position */
	int64_t rshape[HA_MAXDIM];
	int key_split;                /* an index array or mask was distributed */
} mplan;

static int oom(void)
{
	return ha_error_set(HA_EMEMORY, "out of memory in indexing");
}

static int64_t prod(const int64_t *s, int from, int to)
{
	int64_t p = 1;
	for (int d = from; d < to; d++)
		p *= s[d];
	return p;
}

int ha__ix_multi(int n, const ha_index *key)
{
	int narr = 0;
	for (int i = 0; i < n; i++) {
		if (key[i].kind != HA_IX_ARRAY)
			continue;
		const ha_array *m = key[i].arr;
		narr++;
		if (m->dtype != HA_BOOL && m->ndim != 1)
			return 1;
	}
	return narr > 1;
}

static void mplan_free(mplan *p)
{
	for (int i = 0; i < p->nbufs; i++)
		free(p->bufs[i]);
	p->nbufs = 0;
}

/* ---- parsing: replicated metadata and integers only, no communication ---- */

static int mparse(const ha_array *a, int n, const ha_index *key, mplan *p)
{
	int narr = 0;
	memset(p, 0, sizeof *p);
	p->js = -1;
	int consumed = ha__ix_consumed(a, n, key, &narr);
	if (consumed < 0)
		return -1;
	p->nd = a->ndim;
	p->split = a->split;
	int d = 0, rn = 0, seen = 0, sep = 0, gap = 0, first = 0;
	for (int i = 0; i < n; i++) {
		const ha_index *k = &key[i];
		int adv_item = k->kind == HA_IX_ARRAY || k->kind == HA_IX_INT;
		if (adv_item) {
			if (seen && sep)
				gap = 1;
			if (!seen)
				first = rn;
			seen = 1;
		} else if (seen) {
			sep = 1;
		}
		if (k->kind == HA_IX_ELLIPSIS) {
			for (int j = 0; j < a->ndim - consumed; j++, d++) {
				p->ax[d] = (axsel){ 0, 1, a->gshape[d], 0, rn };
				p->rshape[rn++] = a->gshape[d];
			}
			continue;
		}
		if (k->kind == HA_IX_NEWAXIS) {
			if (rn == HA_MAXDIM)
				return ha_error_set(HA_EINDEX, "too many dimensions in the result (at most %d)", HA_MAXDIM);
			p->rshape[rn++] = 1;
			continue;
		}
		if (k->kind == HA_IX_SLICE) {
			int64_t st = 0, sp = 1, cnt = 0;
			if (ha__ix_slice(k, a->gshape[d], &st, &sp, &cnt))
				return -1;
			p->ax[d] = (axsel){ st, sp, cnt, 0, rn };
			p->rshape[rn++] = cnt;
			d++;
			continue;
		}
		const ha_array *m = k->kind == HA_IX_ARRAY ? k->arr : NULL;
		if (k->kind == HA_IX_INT || (m->dtype != HA_BOOL && m->ndim == 0)) {
			/* an integer (or a 0-d integer array): a 0-d advanced index */
			int64_t v = k->i;
			if (m) {
				if (!ha_dtype_is_int(m->dtype))
					return ha_error_set(HA_EINDEX, "arrays used as indices must be of integer (or boolean) type");
				ha_array *t = ha_astype(m, HA_INT64);
				if (!t)
					return -1;
				v = *(int64_t *)t->data;
				ha_release(t);
			}
			int64_t j = v < 0 ? v + a->gshape[d] : v;
			if (j < 0 || j >= a->gshape[d])
				return ha_error_set(HA_EINDEX, "index %lld is out of bounds for axis %d with size %lld",
				                    (long long)v, d, (long long)a->gshape[d]);
			p->ival[p->nadv] = j;
			p->adv[p->nadv] = (advix){ .src = d, .v = &p->ival[p->nadv], .nd = 0, .item = i };
			p->nadv++;
			p->isadv[d++] = 1;
			continue;
		}
		if (m->dtype == HA_BOOL) {
			if (m->ndim == 0)
				return ha_error_set(HA_EINDEX, "a 0-dimensional boolean index is not supported");
			for (int j = 0; j < m->ndim; j++)
				if (m->gshape[j] != a->gshape[d + j])
					return ha_error_set(HA_EINDEX, "boolean index did not match indexed array along "
					                    "dimension %d; dimension is %lld but corresponding boolean "
					                    "dimension is %lld", d + j, (long long)a->gshape[d + j],
					                    (long long)m->gshape[j]);
			for (int j = 0; j < m->ndim; j++) {
				p->adv[p->nadv++] = (advix){ .src = d, .nd = 1, .item = i, .listed = 1 };
				p->isadv[d++] = 1;
			}
			continue;
		}
		if (!ha_dtype_is_int(m->dtype))
			return ha_error_set(HA_EINDEX, "arrays used as indices must be of integer (or boolean) type");
		p->adv[p->nadv] = (advix){ .src = d, .nd = m->ndim, .item = i, .listed = 1 };
		memcpy(p->adv[p->nadv].shape, m->gshape, sizeof(int64_t) * (size_t)m->ndim);
		p->nadv++;
		p->isadv[d++] = 1;
	}
	for (; d < a->ndim; d++) {
		if (rn == HA_MAXDIM)
			return ha_error_set(HA_EINDEX, "too many dimensions in the result (at most %d)", HA_MAXDIM);
		p->ax[d] = (axsel){ 0, 1, a->gshape[d], 0, rn };
		p->rshape[rn++] = a->gshape[d];
	}
	p->p = gap ? 0 : first;
	p->rnd = rn;
	for (int j = 0; j < p->nadv; j++)
		if (p->adv[j].src == a->split)
			p->js = j;
	return 0;
}

/* ---- the index arrays: replicated, normalised, broadcast (collective) ---- */

static int64_t *own_buf(mplan *p, int64_t n)
{
	int64_t *b = ha__malloc(sizeof(int64_t) * (size_t)(n + 1));
	if (b)
		p->bufs[p->nbufs++] = b;
	else
		oom();
	return b;
}

/* Mask item: its nonzero() arrays into the entries j .. j + ndim. */
static int load_mask(mplan *p, int j, const ha_array *m)
{
	ha_array *w = m->split >= 0 ? ha_resplit(m, HA_SPLIT_NONE) : ha_retain((ha_array *)m);
	if (!w)
		return -1;
	const unsigned char *mm = w->data;
	int64_t n = ha_gnumel(w), nnz = 0, idx[HA_MAXDIM] = { 0 };
	for (int64_t e = 0; e < n; e++)
		nnz += mm[e] != 0;
	int64_t *cols[HA_MAXDIM];
	for (int q = 0; q < w->ndim; q++) {
		cols[q] = own_buf(p, nnz);
		if (!cols[q]) {
			ha_release(w);
			return -1;
		}
		p->adv[j + q].v = cols[q];
		p->adv[j + q].shape[0] = nnz;
	}
	int64_t c = 0;
	for (int64_t e = 0; e < n; e++) {
		if (mm[e]) {
			for (int q = 0; q < w->ndim; q++)
				cols[q][c] = idx[q];
			c++;
		}
		for (int q = w->ndim - 1; q >= 0; q--) {
			if (++idx[q] < w->gshape[q])
				break;
			idx[q] = 0;
		}
	}
	ha_release(w);
	return 0;
}

static int load_int(mplan *p, int j, const ha_array *k)
{
	ha_array *w = k->dtype == HA_INT64 ? ha_retain((ha_array *)k) : ha_astype(k, HA_INT64);
	if (w && w->split >= 0) {
		ha_array *g = ha_resplit(w, HA_SPLIT_NONE);
		ha_release(w);
		w = g;
	}
	if (!w)
		return -1;
	int64_t n = ha_gnumel(w), *b = own_buf(p, n);
	if (b)
		memcpy(b, w->data, sizeof(int64_t) * (size_t)n);
	ha_release(w);
	if (!b)
		return -1;
	p->adv[j].v = b;
	return 0;
}

/* "(2,) (1,3)": NumPy's form of the shapes in its broadcast error. */
static void shapes_str(const mplan *p, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = 0;
	for (int j = 0; j < p->nadv && k < n; j++) {
		const advix *e = &p->adv[j];
		if (!e->listed)
			continue;
		k += (size_t)snprintf(buf + k, n - k, k ? " (" : "(");
		for (int d = 0; d < e->nd && k < n; d++)
			k += (size_t)snprintf(buf + k, n - k, d ? ",%lld" : "%lld", (long long)e->shape[d]);
		if (k < n)
			k += (size_t)snprintf(buf + k, n - k, e->nd == 1 ? ",)" : ")");
	}
}

static int mload(const ha_array *a, const ha_index *key, mplan *p)
{
	for (int j = 0; j < p->nadv; j++) {
		advix *e = &p->adv[j];
		if (!e->listed || (j > 0 && p->adv[j - 1].item == e->item))
			continue;
		const ha_array *m = key[e->item].arr;
		if (m->split >= 0)
			p->key_split = 1;
		if (m->dtype == HA_BOOL ? load_mask(p, j, m) : load_int(p, j, m))
			return -1;
	}
	/* broadcast */
	int bnd = 0;
	for (int j = 0; j < p->nadv; j++)
		if (p->adv[j].nd > bnd)
			bnd = p->adv[j].nd;
	for (int b = 0; b < bnd; b++) {
		int64_t s = 1;
		int bad = 0;
		for (int j = 0; j < p->nadv; j++) {
			const advix *e = &p->adv[j];
			int q = b - (bnd - e->nd);
			if (q < 0 || e->shape[q] == 1)
				continue;
			if (s != 1 && s != e->shape[q])
				bad = 1;
			s = e->shape[q];
		}
		if (bad) {
			char buf[600];
			shapes_str(p, buf, sizeof buf);
			return ha_error_set(HA_EINDEX, "shape mismatch: indexing arrays could not be broadcast "
			                    "together with shapes %s", buf);
		}
		p->bshape[b] = s;
	}
	p->bnd = bnd;
	p->T = prod(p->bshape, 0, bnd);
	if (p->rnd + bnd > HA_MAXDIM)
		return ha_error_set(HA_EINDEX, "too many dimensions in the result (at most %d)", HA_MAXDIM);
	for (int j = 0; j < p->nadv; j++) {
		advix *e = &p->adv[j];
		int64_t st = 1;
		for (int b = bnd - 1; b >= 0; b--) {
			int q = b - (bnd - e->nd);
			e->bstride[b] = q < 0 || e->shape[q] == 1 ? 0 : st;
			if (q >= 0)
				st *= e->shape[q];
		}
	}
	/* bounds, in key order (only indices that are used: none when empty) */
	if (p->T > 0)
		for (int j = 0; j < p->nadv; j++) {
			advix *e = &p->adv[j];
			if (!e->listed || key[e->item].arr->dtype == HA_BOOL)
				continue;
			int64_t n = prod(e->shape, 0, e->nd), len = a->gshape[e->src];
			int64_t *v = (int64_t *)e->v;
			for (int64_t i = 0; i < n; i++) {
				int64_t x = v[i] < 0 ? v[i] + len : v[i];
				if (x < 0 || x >= len)
					return ha_error_set(HA_EINDEX, "index %lld is out of bounds for axis %d with size %lld",
					                    (long long)v[i], e->src, (long long)len);
				v[i] = x;
			}
		}
	/* the block goes in at p */
	memmove(p->rshape + p->p + bnd, p->rshape + p->p, sizeof(int64_t) * (size_t)(p->rnd - p->p));
	memcpy(p->rshape + p->p, p->bshape, sizeof(int64_t) * (size_t)bnd);
	p->rnd += bnd;
	for (int d = 0; d < p->nd; d++)
		if (!p->isadv[d] && p->ax[d].out >= p->p)
			p->ax[d].out += bnd;
	return 0;
}

static int prepare(const ha_array *a, int n, const ha_index *key, mplan *p)
{
	if (mparse(a, n, key, p))
		return -1;
	if (mload(a, key, p)) {
		mplan_free(p);
		return -1;
	}
	return 0;
}

/* ---- block positions ---- */

typedef struct titer {
	const mplan *p;
	int64_t bidx[HA_MAXDIM];
	int64_t off[HA_MAXDIM];       /* per entry: offset into its values */
} titer;

static void titer_init(titer *it, const mplan *p, int64_t t)
{
	it->p = p;
	for (int b = p->bnd - 1; b >= 0; b--) {
		it->bidx[b] = p->bshape[b] ? t % p->bshape[b] : 0;
		t = p->bshape[b] ? t / p->bshape[b] : 0;
	}
	for (int j = 0; j < p->nadv; j++) {
		it->off[j] = 0;
		for (int b = 0; b < p->bnd; b++)
			it->off[j] += it->bidx[b] * p->adv[j].bstride[b];
	}
}

static void titer_next(titer *it)
{
	const mplan *p = it->p;
	for (int b = p->bnd - 1; b >= 0; b--) {
		if (++it->bidx[b] < p->bshape[b]) {
			for (int j = 0; j < p->nadv; j++)
				it->off[j] += p->adv[j].bstride[b];
			return;
		}
		for (int j = 0; j < p->nadv; j++)
			it->off[j] -= (p->bshape[b] - 1) * p->adv[j].bstride[b];
		it->bidx[b] = 0;
	}
}

static int64_t titer_ix(const titer *it, int j)
{
	return it->p->adv[j].v[it->off[j]];
}

/* ---- rows: the kept selections of a's local block ---- */

typedef struct rowgeo {
	int nk;
	int kax[HA_MAXDIM];                          /* kept source axes, in order */
	int64_t kstart[HA_MAXDIM], kstep[HA_MAXDIM], kcount[HA_MAXDIM];   /* local */
	int64_t kstride[HA_MAXDIM];                  /* element stride in a's block */
	int64_t astride[HA_MAXDIM];
	int64_t rowel, base;                         /* elements per row, offset of the kept starts */
	int64_t soff;                                /* a's loffset (split axis) */
	size_t es;
} rowgeo;

/* Local selection on kept axes: the global one, except along a kept split
** axis, where it is this rank's ascending part (*k0: its first position). */
static void rowgeo_init(rowgeo *g, const ha_array *a, const mplan *p, int64_t *k0)
{
	int64_t st = 1;
	memset(g, 0, sizeof *g);
	for (int d = a->ndim - 1; d >= 0; d--) {
		g->astride[d] = st;
		st *= a->lshape[d];
	}
	g->es = ha_dtype_size(a->dtype);
	g->soff = a->split >= 0 ? a->loffset : 0;
	g->rowel = 1;
	*k0 = 0;
	for (int d = 0; d < a->ndim; d++) {
		if (p->isadv[d])
			continue;
		int q = g->nk++;
		axsel s = p->ax[d];
		g->kax[q] = d;
		if (d == a->split) {
			axsel up = ha__ix_ascending(s);
			int64_t kk, cc;
			ha__ix_local_part(&up, a->loffset, a->lshape[d], &kk, &cc);
			g->kstart[q] = up.start + kk * up.step - a->loffset;
			g->kstep[q] = up.step;
			g->kcount[q] = cc;
			*k0 = kk;
		} else {
			g->kstart[q] = s.start;
			g->kstep[q] = s.step;
			g->kcount[q] = s.count;
		}
		g->kstride[q] = g->astride[d];
		g->base += g->kstart[q] * g->astride[d];
		g->rowel *= g->kcount[q];
	}
}

/* Offset in a's block of the row at block position it (a holds it). */
static int64_t row_base(const rowgeo *g, const mplan *p, const titer *it)
{
	int64_t o = g->base;
	for (int j = 0; j < p->nadv; j++) {
		int d = p->adv[j].src;
		o += (titer_ix(it, j) - (d == p->split ? g->soff : 0)) * g->astride[d];
	}
	return o;
}

static void copy_row(const rowgeo *g, const char *src, int64_t base, char *dst)
{
	int64_t idx[HA_MAXDIM] = { 0 }, off = base;
	if (g->rowel == 0)
		return;
	for (int64_t e = 0; e < g->rowel; e++) {
		memcpy(dst + (size_t)e * g->es, src + (size_t)off * g->es, g->es);
		for (int q = g->nk - 1; q >= 0; q--) {
			if (++idx[q] < g->kcount[q]) {
				off += g->kstep[q] * g->kstride[q];
				break;
			}
			off -= (g->kcount[q] - 1) * g->kstep[q] * g->kstride[q];
			idx[q] = 0;
		}
	}
}

/* Write one row: the scalar sval, or the value at the row's result
** positions (vw, with the block part of the offset in vblock; rpos0/rsign
** map a kept axis's local position j to its result position). */
typedef struct rowval {
	const char *sval;
	const vview *vw;
	int64_t vblock;
	int rax[HA_MAXDIM];                  /* result axis of each kept axis */
	int64_t rpos0[HA_MAXDIM], rsign[HA_MAXDIM];
} rowval;

static void write_row(const rowgeo *g, char *dst, int64_t base, const rowval *rv, const char *row)
{
	int64_t idx[HA_MAXDIM] = { 0 }, off = base, voff = rv->vblock;
	if (g->rowel == 0)
		return;
	if (rv->vw)
		for (int q = 0; q < g->nk; q++)
			voff += (rv->rpos0[q] - rv->vw->off[rv->rax[q]]) * rv->vw->stride[rv->rax[q]];
	for (int64_t e = 0; e < g->rowel; e++) {
		const char *src = row ? row + (size_t)e * g->es : rv->vw ? rv->vw->data + voff : rv->sval;
		memcpy(dst + (size_t)off * g->es, src, g->es);
		for (int q = g->nk - 1; q >= 0; q--) {
			int64_t vs = rv->vw ? rv->rsign[q] * rv->vw->stride[rv->rax[q]] : 0;
			if (++idx[q] < g->kcount[q]) {
				off += g->kstep[q] * g->kstride[q];
				voff += vs;
				break;
			}
			off -= (g->kcount[q] - 1) * g->kstep[q] * g->kstride[q];
			voff -= (g->kcount[q] - 1) * vs;
			idx[q] = 0;
		}
	}
}

/* The value offset of block position it (block axes at p .. p + bnd). */
static int64_t block_voff(const mplan *p, const vview *vw, const titer *it)
{
	int64_t o = 0;
	for (int b = 0; b < p->bnd; b++)
		o += (it->bidx[b] - vw->off[p->p + b]) * vw->stride[p->p + b];
	return o;
}

/* Row of block position tl (0-based in this rank's part of the block)
** into the result's local block: result = (pre, block, post). */
static void place_row(char *r, size_t es, int64_t npre, int64_t nt, int64_t npost, int64_t tl,
                      const char *row)
{
	for (int64_t i = 0; i < npre; i++)
		memcpy(r + (size_t)((i * nt + tl) * npost) * es, row + (size_t)(i * npost) * es,
		       (size_t)npost * es);
}

/* ---- exchanges ---- */

typedef void (*apply_fn)(const char *ent, void *ctx);

/* Send entry k of ents (entbytes each) to rank own[k]; every rank applies
** what it receives in (source rank, send) order.  An Alltoall of counts
** and one Alltoallv.  Collective. */
static int push_rows(ha_comm *c, int64_t n, const int *own, const char *ents, int64_t entbytes,
                     apply_fn apply, void *ctx, int64_t gbytes)
{
	int P = c->size, rc = -1;
	int64_t ntot = 0, *bk = ha__ix_route(c, n, own, &ntot, gbytes, WHAT_SET);
	char *sbuf = NULL, *rbuf = NULL;
	if (!bk)
		goto done;
	int64_t *sc = bk, *rcn = bk + P, *sd = bk + 2 * P, *rd = bk + 3 * P, *cur = bk + 4 * P;
	sbuf = ha__malloc((size_t)(n * entbytes));
	rbuf = ha__malloc((size_t)(ntot * entbytes));
	if (ha__agree(!sbuf || !rbuf, gbytes, c, WHAT_SET))
		goto done;
	int64_t o = 0, o2 = 0;
	for (int r = 0; r < P; r++) {
		cur[r] = o;
		sd[r] = o * entbytes;
		rd[r] = o2 * entbytes;
		o += sc[r];
		o2 += rcn[r];
		sc[r] *= entbytes;
		rcn[r] *= entbytes;
	}
	for (int64_t k = 0; k < n; k++)
		memcpy(sbuf + (cur[own[k]]++) * entbytes, ents + k * entbytes, (size_t)entbytes);
	if (ha_alltoall_bytes(sbuf, sc, sd, rbuf, rcn, rd, c, WHAT_SET))
		goto done;
	for (int64_t k = 0; k < ntot; k++)
		apply(rbuf + k * entbytes, ctx);
	rc = 0;
done:
	free(bk);
	free(sbuf);
	free(rbuf);
	return rc;
}

/* ---- get ---- */

typedef struct pack_ctx {
	const mplan *p;
	const rowgeo *g;
	const char *src;
} pack_ctx;

static void pack_row(int64_t t, char *dst, void *c)
{
	pack_ctx *x = c;
	titer it;
	titer_init(&it, x->p, t);
	copy_row(x->g, x->src, row_base(x->g, x->p, &it), dst);
}

/* The owner of each block position in [t0, t0 + nt) (the split axis is
** advanced). */
static int *owners(const ha_array *a, const mplan *p, int64_t t0, int64_t nt)
{
	int P = a->comm->size;
	int *own = ha__malloc(sizeof(int) * (size_t)(nt + 1));
	int64_t *off = ha__malloc(sizeof(int64_t) * (size_t)P);
	if (!own || !off) {
		free(own);
		free(off);
		oom();
		return NULL;
	}
	int64_t o = 0;
	for (int r = 0; r < P; r++) {
		off[r] = o;
		o += a->lmap[r];
	}
	titer it;
	titer_init(&it, p, t0);
	for (int64_t k = 0; k < nt; k++, titer_next(&it))
		own[k] = ha__owner_of(off, P, titer_ix(&it, p->js));
	free(off);
	return own;
}

ha_array *ha__getitem_adv(const ha_array *a, int n, const ha_index *key)
{
	mplan p;
	if (prepare(a, n, key, &p))
		return NULL;
	int P = a->comm->size, s = a->split;
	size_t es = ha_dtype_size(a->dtype);
	int64_t k0, inner_b = p.bnd ? prod(p.bshape, 1, p.bnd) : 1;
	rowgeo g;
	rowgeo_init(&g, a, &p, &k0);
	ha_array *r = NULL;
	char *row = NULL;
	int *own = NULL;
	int64_t *tags = NULL;
	int kept_split = s >= 0 && !p.isadv[s];
	int block_split = (s >= 0 && p.isadv[s]) || (s < 0 && p.key_split);
	if (kept_split) {
		/* each rank keeps its part of the split axis (ascending; reversed after) */
		axsel up = ha__ix_ascending(p.ax[s]);
		int64_t *lmap = ha__malloc(sizeof(int64_t) * (size_t)P), off = 0, kk;
		if (!lmap) {
			oom();
			goto done;
		}
		for (int q = 0; q < P; q++) {
			ha__ix_local_part(&up, off, a->lmap[q], &kk, &lmap[q]);
			off += a->lmap[q];
		}
		r = ha_array_alloc_lmap(a->dtype, p.rnd, p.rshape, p.ax[s].out, lmap, a->device, a->comm);
		free(lmap);
	} else {
		r = ha_array_alloc(a->dtype, p.rnd, p.rshape, block_split && p.bnd ? p.p : HA_SPLIT_NONE,
		                   a->device, a->comm);
	}
	if (!r)
		goto done;
	int64_t t0 = 0, nt = p.T;
	if (r->split == p.p && !kept_split) {
		t0 = r->loffset * inner_b;
		nt = r->lshape[p.p] * inner_b;
	}
	int64_t npre = prod(r->lshape, 0, p.p), npost = prod(r->lshape, p.p + p.bnd, p.rnd);
	int64_t rowbytes = g.rowel * (int64_t)es;
	if (s >= 0 && p.isadv[s]) {
		/* rows from their owners */
		row = ha__malloc((size_t)(nt * rowbytes));
		own = owners(a, &p, t0, nt);
		tags = ha__malloc(sizeof(int64_t) * (size_t)(nt + 1));
		if (ha__agree(!row || !own || !tags, ha_gnbytes(r), a->comm, WHAT)) {
			ha_release(r);
			r = NULL;
			goto done;
		}
		for (int64_t k = 0; k < nt; k++)
			tags[k] = t0 + k;
		pack_ctx pc = { &p, &g, a->data };
		if (ha__ix_pull_rows(a->comm, nt, own, tags, rowbytes, pack_row, NULL, &pc, row, ha_gnbytes(r), WHAT)) {
			ha_release(r);
			r = NULL;
			goto done;
		}
		for (int64_t k = 0; k < nt; k++)
			place_row(r->data, es, npre, nt, npost, k, row + k * rowbytes);
		goto done;
	}
	/* local rows */
	row = ha__malloc((size_t)rowbytes);
	if (!row) {
		oom();
		ha_release(r);
		r = NULL;
		goto done;
	}
	titer it;
	titer_init(&it, &p, t0);
	for (int64_t k = 0; k < nt; k++, titer_next(&it)) {
		copy_row(&g, a->data, row_base(&g, &p, &it), row);
		place_row(r->data, es, npre, nt, npost, k, row);
	}
	if (kept_split && p.ax[s].step < 0 && p.ax[s].count > 1)
		r = ha__ix_reverse(r, p.ax[s].out, WHAT);
done:
	free(row);
	free(own);
	free(tags);
	mplan_free(&p);
	return r;
}

/* ---- set ---- */

typedef struct apply_ctx {
	const mplan *p;
	const rowgeo *g;
	char *dst;
	const rowval *rv;
} apply_ctx;

static void apply_row(const char *ent, void *c)
{
	apply_ctx *x = c;
	int64_t t;
	titer it;
	memcpy(&t, ent, sizeof t);
	titer_init(&it, x->p, t);
	write_row(x->g, x->dst, row_base(x->g, x->p, &it), x->rv, ent + sizeof(int64_t));
}

int ha__setitem_adv(ha_array *a, int n, const ha_index *key, const ha_array *v, const ha_scalar *sv)
{
	mplan p;
	if (prepare(a, n, key, &p))
		return -1;
	int P = a->comm->size, me = a->comm->rank, s = a->split, rc = -1;
	size_t es = ha_dtype_size(a->dtype);
	char sval[16];
	ha_array *vv = NULL;
	int64_t *lo = ha__malloc(sizeof(int64_t) * 2 * (size_t)P), *cnt = lo ? lo + P : NULL;
	int *own = NULL;
	char *ents = NULL;
	vview vw;
	rowval rv;
	rowgeo g;
	int64_t k0;
	memset(&vw, 0, sizeof vw);
	memset(&rv, 0, sizeof rv);
	if (!lo) {
		oom();
		goto done;
	}
	if (v) {
		vv = ha__ix_prep_value(v, a->dtype, p.rnd, p.rshape);
		if (!vv)
			goto done;
	} else {
		ha_scalar_store(*sv, a->dtype, sval);
		rv.sval = sval;
	}
	rowgeo_init(&g, a, &p, &k0);
	for (int q = 0; q < g.nk; q++) {
		int d = g.kax[q];
		rv.rax[q] = p.ax[d].out;
		rv.rpos0[q] = 0;
		rv.rsign[q] = 1;
		if (d == s) {
			/* local ascending position j is result position k0 + j, or
			** count - 1 - (k0 + j) for a negative step */
			rv.rpos0[q] = p.ax[d].step > 0 ? k0 : p.ax[d].count - 1 - k0;
			rv.rsign[q] = p.ax[d].step > 0 ? 1 : -1;
		}
	}
	if (s >= 0 && p.isadv[s]) {
		if (!vv) {
			/* a scalar: every owner writes its rows, no communication */
			int64_t *off = lo;
			int64_t o = 0;
			for (int q = 0; q < P; q++) {
				off[q] = o;
				o += a->lmap[q];
			}
			titer it;
			titer_init(&it, &p, 0);
			for (int64_t t = 0; t < p.T; t++, titer_next(&it))
				if (ha__owner_of(off, P, titer_ix(&it, p.js)) == me)
					write_row(&g, a->data, row_base(&g, &p, &it), &rv, NULL);
			rc = 0;
			goto done;
		}
		/* this rank sends the rows of its part of the block to their owners */
		int64_t inner_b = p.bnd ? prod(p.bshape, 1, p.bnd) : 1;
		if (p.bnd) {
			ha_chunk_map(p.bshape[0], P, cnt);
		} else {
			for (int q = 0; q < P; q++)
				cnt[q] = q == 0;
		}
		int64_t o = 0;
		for (int q = 0; q < P; q++) {
			lo[q] = o;
			o += cnt[q];
		}
		if (ha__ix_align_value(vv, p.rnd, p.bnd ? p.p : -1, lo, cnt, &vw))
			goto done;
		rv.vw = &vw;
		int64_t t0 = lo[me] * inner_b, nt = cnt[me] * inner_b;
		int64_t ent = (int64_t)sizeof(int64_t) + g.rowel * (int64_t)es;
		own = owners(a, &p, t0, nt);
		ents = ha__malloc((size_t)(nt * ent));
		if (ha__agree(!own || !ents, ha_gnbytes(vv), a->comm, WHAT_SET))
			goto done;
		rowgeo lin = g;          /* a row in result order: contiguous */
		lin.base = 0;
		int64_t st = 1;
		for (int q = lin.nk - 1; q >= 0; q--) {
			lin.kstride[q] = st;
			lin.kstep[q] = 1;
			st *= lin.kcount[q];
		}
		titer it;
		titer_init(&it, &p, t0);
		for (int64_t k = 0; k < nt; k++, titer_next(&it)) {
			char *e = ents + k * ent;
			int64_t t = t0 + k;
			memcpy(e, &t, sizeof t);
			rv.vblock = block_voff(&p, &vw, &it);
			write_row(&lin, e + sizeof(int64_t), 0, &rv, NULL);
		}
		rowval raw = { 0 };
		apply_ctx ac = { &p, &g, a->data, &raw };
		rc = push_rows(a->comm, nt, own, ents, ent, apply_row, &ac, ha_gnbytes(vv));
		goto done;
	}
	/* the split axis is kept (or a is replicated): every rank writes its
	** part of every row */
	if (vv) {
		int o = -1;
		if (s >= 0) {
			o = p.ax[s].out;
			ha__ix_ranges(a, &p.ax[s], lo, cnt);
		}
		if (ha__ix_align_value(vv, p.rnd, o, lo, cnt, &vw))
			goto done;
		rv.vw = &vw;
	}
	titer it;
	titer_init(&it, &p, 0);
	for (int64_t t = 0; t < p.T; t++, titer_next(&it)) {
		if (vv)
			rv.vblock = block_voff(&p, &vw, &it);
		write_row(&g, a->data, row_base(&g, &p, &it), &rv, NULL);
	}
	rc = 0;
done:
	ha__ix_vview_free(&vw);
	free(lo);
	free(own);
	free(ents);
	if (vv)
		ha_release(vv);
	mplan_free(&p);
	return rc;
}
