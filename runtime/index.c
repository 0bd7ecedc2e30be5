/*
** index.c — distributed getitem and setitem (the rules are in ha_index.h).
**
** Keys with several advanced items (or one integer array that is not 1-D)
** go to index_adv.c (ha__ix_multi decides); the rules are in ha_index.h:
** the result is split along the first broadcast axis when the split axis
** is indexed by an advanced item, keeps a kept split axis, and is
** replicated for a replicated array unless an index array is distributed.
** Here a key is first parsed into a plan from replicated metadata only: per
** source axis a (start, step, count) selection or an integer, the newaxis
** positions, and at most one advanced item (mask or index list).  A get
** runs in two steps: the basic part (every advanced axis taken whole) gives
** an intermediate B, then the advanced item selects along B's axes.  Only
** these steps communicate, each with the fewest collectives its case
** needs:
**   integer at split   one Bcast from the owner
**   negative step      one Alltoallv (every rank knows every request)
**   index list         one Alltoallv of data when the key is replicated;
**                      counts + requests + data when it is distributed
**   mask               nothing when the mask shares the split; otherwise
**                      the MASK is aligned (resplit / redistribute), and a
**                      distributed mask's per-rank counts are allgathered
** A set aligns the value to the part of the selection each rank owns
** (ha__ix_fetch_rows with every request known) and then writes locally; index
** lists along the split send (index, row) pairs to the owners.
** Every check runs before the first write, so an error leaves a unchanged.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "index_internal.h"

#define WHAT "getitem"
#define WHAT_SET "setitem"

enum { ADV_NONE, ADV_INT, ADV_MASK };

typedef struct plan {
	int nd;
	axsel ax[HA_MAXDIM];
	int bnd;                 /* B: the basic part's result */
	int64_t bshape[HA_MAXDIM];
	int has_newaxis, all_full;   /* all_full: every basic item is a whole axis */
	int adv;                 /* ADV_NONE / ADV_INT / ADV_MASK */
	int adv_src, adv_nd;     /* source axes covered by the advanced item */
	int adv_b;               /* first B axis it covers */
	const ha_array *key;
	int front;               /* the advanced result axis moves to 0 */
} plan;

static int oom(void)
{
	return ha_error_set(HA_EMEMORY, "out of memory in indexing");
}

size_t ha__ix_shape_str(char *buf, size_t n, int nd, const int64_t *s)
{
	size_t k = (size_t)snprintf(buf, n, "(");
	for (int d = 0; d < nd && k < n; d++)
		k += (size_t)snprintf(buf + k, n - k, d ? ", %lld" : "%lld", (long long)s[d]);
	if (k < n)
		k += (size_t)snprintf(buf + k, n - k, nd == 1 ? ",)" : ")");
	return k;
}

static int64_t prod(const int64_t *s, int from, int to)
{
	int64_t p = 1;
	for (int d = from; d < to; d++)
		p *= s[d];
	return p;
}

/* Exclusive prefix sums of a chunk map. */
static void offsets(const int64_t *lmap, int P, int64_t *off)
{
	int64_t o = 0;
	for (int r = 0; r < P; r++) {
		off[r] = o;
		o += lmap[r];
	}
}

/* ---- parsing ---- */

int ha__ix_slice(const ha_index *k, int64_t n, int64_t *start, int64_t *step, int64_t *count)
{
	int64_t st = k->has_step ? k->step : 1;
	if (st == 0)
		return ha_error_set(HA_EVALUE, "slice step cannot be zero");
	int64_t lo, hi;
	if (st > 0) {
		lo = k->has_start ? k->start : 0;
		hi = k->has_stop ? k->stop : n;
		if (lo < 0) lo += n;
		if (lo < 0) lo = 0;
		if (lo > n) lo = n;
		if (hi < 0) hi += n;
		if (hi < 0) hi = 0;
		if (hi > n) hi = n;
		*count = hi > lo ? (hi - lo + st - 1) / st : 0;
	} else {
		lo = k->has_start ? k->start : n - 1;
		hi = k->has_stop ? k->stop : -1;
		if (k->has_start) {
			if (lo < 0) lo += n;
			if (lo < -1) lo = -1;
			if (lo > n - 1) lo = n - 1;
		}
		if (k->has_stop) {
			if (hi < 0) hi += n;
			if (hi < -1) hi = -1;
			if (hi > n - 1) hi = n - 1;
		}
		*count = lo > hi ? (lo - hi + (-st) - 1) / (-st) : 0;
	}
	*start = *count ? lo : 0;
	*step = st;
	return 0;
}

int ha__ix_consumed(const ha_array *a, int n, const ha_index *key, int *narr)
{
	int consumed = 0, ellipsis = 0;
	*narr = 0;
	for (int i = 0; i < n; i++) {
		switch (key[i].kind) {
		case HA_IX_ELLIPSIS:
			if (ellipsis++)
				return ha_error_set(HA_EINDEX, "an index can only have a single ellipsis ('...')");
			break;
		case HA_IX_NEWAXIS:
			break;
		case HA_IX_ARRAY:
			(*narr)++;
			consumed += key[i].arr->dtype == HA_BOOL ? key[i].arr->ndim : 1;
			break;
		default:
			consumed++;
		}
	}
	if (consumed > a->ndim)
		return ha_error_set(HA_EINDEX, "too many indices for array: array is %d-dimensional, "
		                    "but %d were indexed", a->ndim, consumed);
	return consumed;
}

static int parse(const ha_array *a, int n, const ha_index *key, plan *p)
{
	int narr = 0;
	memset(p, 0, sizeof *p);
	int consumed = ha__ix_consumed(a, n, key, &narr);
	if (consumed < 0)
		return -1;
	p->nd = a->ndim;
	p->all_full = 1;
	int d = 0, seen_adv = 0, sep = 0, gap = 0;
	for (int i = 0; i < n; i++) {
		const ha_index *k = &key[i];
		int adv_item = k->kind == HA_IX_ARRAY || (narr && k->kind == HA_IX_INT);
		if (adv_item) {
			if (seen_adv && sep)
				gap = 1;
			seen_adv = 1;
		} else if (seen_adv) {
			/* a slice, newaxis or Ellipsis (even one covering no axis, as
			** in NumPy) after an advanced item separates it from a later one */
			sep = 1;
		}
		if (k->kind == HA_IX_ELLIPSIS) {
			for (int j = 0; j < a->ndim - consumed; j++, d++) {
				p->ax[d] = (axsel){ 0, 1, a->gshape[d], 0, p->bnd };
				p->bshape[p->bnd++] = a->gshape[d];
			}
			continue;
		}
		if (k->kind == HA_IX_NEWAXIS) {
			if (p->bnd == HA_MAXDIM)
				return ha_error_set(HA_EINDEX, "too many dimensions in the result (at most %d)", HA_MAXDIM);
			p->bshape[p->bnd++] = 1;
			p->has_newaxis = 1;
			p->all_full = 0;
			continue;
		}
		if (k->kind == HA_IX_SLICE) {
			int64_t st = 0, sp = 1, cnt = 0;
			if (ha__ix_slice(k, a->gshape[d], &st, &sp, &cnt))
				return -1;
			if (!(sp == 1 && st == 0 && cnt == a->gshape[d]))
				p->all_full = 0;
			p->ax[d] = (axsel){ st, sp, cnt, 0, p->bnd };
			p->bshape[p->bnd++] = cnt;
			d++;
			continue;
		}
		if (k->kind == HA_IX_INT) {
			int64_t j = k->i < 0 ? k->i + a->gshape[d] : k->i;
			if (j < 0 || j >= a->gshape[d])
				return ha_error_set(HA_EINDEX, "index %lld is out of bounds for axis %d with size %lld",
				                    (long long)k->i, d, (long long)a->gshape[d]);
			p->ax[d] = (axsel){ j, 1, 1, 1, -1 };
			p->all_full = 0;
			d++;
			continue;
		}
		/* the advanced item: its axes are taken whole by the basic part */
		const ha_array *m = k->arr;
		int cover = m->dtype == HA_BOOL ? m->ndim : 1;
		if (m->dtype == HA_BOOL) {
			for (int j = 0; j < m->ndim; j++)
				if (m->gshape[j] != a->gshape[d + j])
					return ha_error_set(HA_EINDEX, "boolean index did not match indexed array along "
					                    "dimension %d; dimension is %lld but corresponding boolean "
					                    "dimension is %lld", d + j, (long long)a->gshape[d + j],
					                    (long long)m->gshape[j]);
			p->adv = ADV_MASK;
		} else if (ha_dtype_is_int(m->dtype)) {
			p->adv = ADV_INT;      /* 1-D: other index arrays go to index_adv.c */
		} else {
			return ha_error_set(HA_EINDEX, "arrays used as indices must be of integer (or boolean) type");
		}
		p->key = m;
		p->adv_src = d;
		p->adv_nd = cover;
		p->adv_b = p->bnd;
		for (int j = 0; j < cover; j++, d++) {
			p->ax[d] = (axsel){ 0, 1, a->gshape[d], 0, p->bnd };
			p->bshape[p->bnd++] = a->gshape[d];
		}
	}
	for (; d < a->ndim; d++) {
		if (p->bnd == HA_MAXDIM)
			return ha_error_set(HA_EINDEX, "too many dimensions in the result (at most %d)", HA_MAXDIM);
		p->ax[d] = (axsel){ 0, 1, a->gshape[d], 0, p->bnd };
		p->bshape[p->bnd++] = a->gshape[d];
	}
	p->front = gap && p->adv;
	return 0;
}

/* ---- local selection: visit the selected elements of a block ---- */

typedef void (*visit_fn)(int64_t src, const int64_t *idx, void *ctx);

/* Every selected element of a C-contiguous block of shape sshape (per axis
** start/step/count, step of either sign), in C order of the selection. */
static void visit(int nd, const int64_t *sshape, const int64_t *start, const int64_t *step,
                  const int64_t *count, visit_fn fn, void *ctx)
{
	int64_t stride[HA_MAXDIM], idx[HA_MAXDIM];
	int64_t s = 1, total = 1;
	for (int d = nd - 1; d >= 0; d--) {
		stride[d] = s;
		s *= sshape[d];
		total *= count[d];
		idx[d] = 0;
	}
	if (total == 0)
		return;
	int64_t off = 0;
	for (int d = 0; d < nd; d++)
		off += start[d] * stride[d];
	for (int64_t pos = 0; pos < total; pos++) {
		fn(off, idx, ctx);
		for (int d = nd - 1; d >= 0; d--) {
			if (++idx[d] < count[d]) {
				off += step[d] * stride[d];
				break;
			}
			off -= (count[d] - 1) * step[d] * stride[d];
			idx[d] = 0;
		}
	}
}

typedef struct copy_ctx {
	size_t es;
	const char *src;
	char *dst;
} copy_ctx;

static void copy_one(int64_t src, const int64_t *idx, void *c)
{
	(void)idx;
	copy_ctx *x = c;
	memcpy(x->dst, x->src + (size_t)src * x->es, x->es);
	x->dst += x->es;
}

/* The part [k0, k0 + cnt) of an ascending selection (start, step > 0,
** count) that falls in the global range [off, off + len). */
void ha__ix_local_part(const axsel *s, int64_t off, int64_t len, int64_t *k0, int64_t *cnt)
{
	int64_t lo = off - s->start, hi = off + len - s->start;
	int64_t a = lo <= 0 ? 0 : (lo + s->step - 1) / s->step;
	int64_t b = hi <= 0 ? 0 : (hi + s->step - 1) / s->step;
	if (b > s->count)
		b = s->count;
	if (a > b)
		a = b;
	*k0 = a;
	*cnt = b - a;
}

/* The same elements as s, in ascending order (a negative step reversed). */
axsel ha__ix_ascending(axsel s)
{
	if (s.step < 0) {
		s.start = s.count ? s.start + (s.count - 1) * s.step : 0;
		s.step = -s.step;
	}
	return s;
}

/* ---- request/response exchange ---- */

/* Bookkeeping of 5 * P int64 for one exchange. */
int64_t *ha__ix_xbook(int P)
{
	int64_t *b = ha__malloc(sizeof(int64_t) * 5 * (size_t)P);
	if (!b)
		oom();
	return b;
}

/* Exchange per-peer counts (one Alltoall of int64). */
int ha__ix_xcounts(const int64_t *sc, int64_t *rc, ha_comm *c, const char *what)
{
	int P = c->size;
	int64_t *one = ha__malloc(sizeof(int64_t) * 2 * (size_t)P);
	if (!one)
		return oom();
	for (int r = 0; r < P; r++) {
		one[r] = sizeof(int64_t);
		one[P + r] = (int64_t)sizeof(int64_t) * r;
	}
	int rc2 = ha_alltoall_bytes(sc, one, one + P, rc, one, one + P, c, what);
	free(one);
	return rc2;
}

int64_t *ha__ix_route(ha_comm *c, int64_t n, const int *own, int64_t *ntot, int64_t gbytes, const char *what)
{
	int P = c->size;
	int64_t *bk = ha__ix_xbook(P);
	if (ha__agree(!bk, gbytes, c, what))
		goto fail;
	int64_t *sc = bk, *rc = bk + P;
	for (int r = 0; r < P; r++)
		sc[r] = 0;
	for (int64_t k = 0; k < n; k++)
		sc[own[k]]++;
	if (ha__ix_xcounts(sc, rc, c, what))
		goto fail;
	*ntot = 0;
	for (int r = 0; r < P; r++)
		*ntot += rc[r];
	return bk;
fail:
	free(bk);
	return NULL;
}

int ha__ix_pull_rows(ha_comm *c, int64_t nw, const int *own, const int64_t *tag, int64_t rowbytes,
                     ha__ix_pack_fn pack, ha__ix_place_fn place, void *ctx, char *out, int64_t gbytes,
                     const char *what)
{
	int P = c->size, rc = -1;
	int64_t ntot = 0, *bk = ha__ix_route(c, nw, own, &ntot, gbytes, what), *stag = NULL, *pos = NULL,
	        *rtag = NULL;
	char *sbuf = NULL, *rbuf = NULL;
	if (!bk)
		goto done;
	int64_t *sc = bk, *rcn = bk + P, *sd = bk + 2 * P, *rd = bk + 3 * P, *cur = bk + 4 * P;
	stag = ha__malloc(sizeof(int64_t) * (size_t)(nw + 1));
	pos = ha__malloc(sizeof(int64_t) * (size_t)(nw + 1));
	rtag = ha__malloc(sizeof(int64_t) * (size_t)(ntot + 1));
	sbuf = ha__malloc((size_t)(ntot * rowbytes));
	rbuf = ha__malloc((size_t)(nw * rowbytes));
	if (ha__agree(!stag || !pos || !rtag || !sbuf || !rbuf, gbytes, c, what))
		goto done;
	int64_t o = 0, o2 = 0;
	for (int r = 0; r < P; r++) {
		cur[r] = o;
		o += sc[r];
	}
	for (int64_t k = 0; k < nw; k++) {
		pos[k] = cur[own[k]]++;
		stag[pos[k]] = tag[k];
	}
	o = 0;
	for (int r = 0; r < P; r++) {
		sd[r] = o * (int64_t)sizeof(int64_t);
		rd[r] = o2 * (int64_t)sizeof(int64_t);
		o += sc[r];
		o2 += rcn[r];
		sc[r] *= (int64_t)sizeof(int64_t);
		rcn[r] *= (int64_t)sizeof(int64_t);
	}
	if (ha_alltoall_bytes(stag, sc, sd, rtag, rcn, rd, c, what))
		goto done;
	for (int64_t k = 0; k < ntot; k++)
		pack(rtag[k], sbuf + k * rowbytes, ctx);
	/* the rows go back: what I received tags for, I send */
	for (int r = 0; r < P; r++) {
		int64_t s = rcn[r] / (int64_t)sizeof(int64_t), w = sc[r] / (int64_t)sizeof(int64_t);
		int64_t sdr = rd[r] / (int64_t)sizeof(int64_t), rdr = sd[r] / (int64_t)sizeof(int64_t);
		rcn[r] = s * rowbytes;       /* now: bytes I send to r */
		rd[r] = sdr * rowbytes;
		sc[r] = w * rowbytes;        /* now: bytes I receive from r */
		sd[r] = rdr * rowbytes;
	}
	if (ha_alltoall_bytes(sbuf, rcn, rd, rbuf, sc, sd, c, what))
		goto done;
	for (int64_t k = 0; k < nw; k++) {
		if (place)
			place(k, rbuf + pos[k] * rowbytes, ctx);
		else
			memcpy(out + k * rowbytes, rbuf + pos[k] * rowbytes, (size_t)rowbytes);
	}
	rc = 0;
done:
	free(bk);
	free(stag);
	free(pos);
	free(rtag);
	free(sbuf);
	free(rbuf);
	return rc;
}

/* ---- fetching rows along the split axis from their owners ---- */

/* x is split along ax.  This rank wants the rows want[0 .. nw) (global
** indices along ax, any order, repeats allowed); out receives them in that
** order: a C-contiguous block of x's local shape with nw rows along ax.
** all_want/all_cnt, when given, hold every rank's want list (concatenated
** in rank order): then no requests are exchanged and the data moves in ONE
** Alltoallv (fetch_known).  Otherwise the requests go first, through the
** shared request/response exchange ha__ix_pull_rows.  Collective. */
static int fetch_known(const ha_array *x, int ax, int64_t nw, const int64_t *want,
                       const int64_t *all_want, const int64_t *all_cnt, void *out, const char *what)
{
	int P = x->comm->size, me = x->comm->rank, rc = -1;
	size_t es = ha_dtype_size(x->dtype);
	int64_t outer = prod(x->lshape, 0, ax), len = x->lshape[ax];
	int64_t inner = prod(x->lshape, ax + 1, x->ndim) * (int64_t)es, row = outer * inner;
	int64_t *cnt = ha__malloc(sizeof(int64_t) * 7 * (size_t)P);
	int64_t *mine = NULL, *send_list = NULL, nsend = 0;
	char *sbuf = NULL, *rbuf = NULL;
	int bad = 0;
	if (!cnt)
		return oom();
	int64_t *off = cnt, *rq = cnt + P, *rqd = cnt + 2 * P, *sq = cnt + 3 * P, *sqd = cnt + 4 * P;
	int64_t *bs = cnt + 5 * P, *bd = cnt + 6 * P;
	offsets(x->lmap, P, off);
	/* how many rows I want from each owner (rq), and their owners */
	mine = ha__malloc(sizeof(int64_t) * (size_t)(nw + 1));
	if (!mine) {
		bad = 1;
		goto agree;
	}
	for (int r = 0; r < P; r++)
		rq[r] = 0;
	for (int64_t k = 0; k < nw; k++) {
		mine[k] = ha__owner_of(off, P, want[k]);
		rq[mine[k]]++;
	}
	{
		/* what each peer wants from me, in its order */
		int64_t base = 0, lo = off[me], hi = off[me] + x->lmap[me];
		for (int r = 0; r < P; r++) {
			sq[r] = 0;
			for (int64_t k = 0; k < all_cnt[r]; k++)
				if (all_want[base + k] >= lo && all_want[base + k] < hi)
					sq[r]++;
			base += all_cnt[r];
		}
		int64_t tot = 0;
		for (int r = 0; r < P; r++)
			tot += sq[r];
		send_list = ha__malloc(sizeof(int64_t) * (size_t)(tot + 1));
		if (!send_list) {
			bad = 1;
			goto agree;
		}
		base = 0;
		for (int r = 0; r < P; r++) {
			for (int64_t k = 0; k < all_cnt[r]; k++)
				if (all_want[base + k] >= lo && all_want[base + k] < hi)
					send_list[nsend++] = all_want[base + k] - lo;
			base += all_cnt[r];
		}
	}
agree:
	if (ha__agree(bad, ha_gnbytes(x), x->comm, what))
		goto done;
	/* data: rows I send (sq per peer) and receive (rq per peer) */
	sbuf = ha__malloc((size_t)(nsend * row));
	rbuf = ha__malloc((size_t)(nw * row));
	if (ha__agree(!sbuf || !rbuf, ha_gnbytes(x), x->comm, what))
		goto done;
	for (int64_t k = 0; k < nsend; k++)
		for (int64_t o = 0; o < outer; o++)
			memcpy(sbuf + k * row + o * inner, (char *)x->data + (o * len + send_list[k]) * inner,
			       (size_t)inner);
	{
		int64_t s0 = 0, r0 = 0;
		for (int r = 0; r < P; r++) {
			bs[r] = sq[r] * row;
			bd[r] = s0;
			s0 += bs[r];
			rqd[r] = rq[r] * row;
			sqd[r] = r0;
			r0 += rqd[r];
		}
	}
	if (ha_alltoall_bytes(sbuf, bs, bd, rbuf, rqd, sqd, x->comm, what))
		goto done;
	{
		int64_t *cur = bs;
		for (int r = 0; r < P; r++)
			cur[r] = sqd[r];
		for (int64_t k = 0; k < nw; k++) {
			const char *src = rbuf + cur[mine[k]];
			cur[mine[k]] += row;
			for (int64_t o = 0; o < outer; o++)
				memcpy((char *)out + (o * nw + k) * inner, src + o * inner, (size_t)inner);
		}
	}
	rc = 0;
done:
	free(cnt);
	free(mine);
	free(send_list);
	free(sbuf);
	free(rbuf);
	return rc;
}

/* Request mode: one slab (outer x inner) per requested global row. */
typedef struct slab_ctx {
	const char *src;
	char *out;
	int64_t outer, len, inner, nw, lo;
} slab_ctx;

static void pack_slab(int64_t g, char *dst, void *c)
{
	slab_ctx *x = c;
	for (int64_t o = 0; o < x->outer; o++)
		memcpy(dst + o * x->inner, x->src + (o * x->len + g - x->lo) * x->inner, (size_t)x->inner);
}

static void place_slab(int64_t k, const char *row, void *c)
{
	slab_ctx *x = c;
	for (int64_t o = 0; o < x->outer; o++)
		memcpy(x->out + (o * x->nw + k) * x->inner, row + o * x->inner, (size_t)x->inner);
}

int ha__ix_fetch_rows(const ha_array *x, int ax, int64_t nw, const int64_t *want,
                      const int64_t *all_want, const int64_t *all_cnt, void *out, const char *what)
{
	if (all_want)
		return fetch_known(x, ax, nw, want, all_want, all_cnt, out, what);
	int P = x->comm->size;
	size_t es = ha_dtype_size(x->dtype);
	slab_ctx sc = { x->data, out, prod(x->lshape, 0, ax), x->lshape[ax],
	                prod(x->lshape, ax + 1, x->ndim) * (int64_t)es, nw, x->loffset };
	int *own = ha__malloc(sizeof(int) * (size_t)(nw + 1));
	int64_t *off = ha__malloc(sizeof(int64_t) * (size_t)P);
	int rc = -1;
	if (!ha__agree(!own || !off, ha_gnbytes(x), x->comm, what)) {
		offsets(x->lmap, P, off);
		for (int64_t k = 0; k < nw; k++)
			own[k] = ha__owner_of(off, P, want[k]);
		rc = ha__ix_pull_rows(x->comm, nw, own, want, sc.outer * sc.inner, pack_slab, place_slab, &sc,
		                      NULL, ha_gnbytes(x), what);
	}
	free(own);
	free(off);
	return rc;
}

/* ---- the basic part ---- */

/* Extract this rank's part of the selection (given per source axis as
** local start/step/count) into r's buffer. */
static void extract(const ha_array *a, const int64_t *start, const int64_t *step,
                    const int64_t *count, void *dst)
{
	copy_ctx c = { ha_dtype_size(a->dtype), a->data, dst };
	visit(a->ndim, a->lshape, start, step, count, copy_one, &c);
}

static ha_array *basic_get(const ha_array *a, const plan *p)
{
	int s = a->split, P = a->comm->size;
	int64_t start[HA_MAXDIM], step[HA_MAXDIM], count[HA_MAXDIM];
	for (int d = 0; d < a->ndim; d++) {
		start[d] = p->ax[d].start;
		step[d] = p->ax[d].step;
		count[d] = p->ax[d].count;
	}
	if (s < 0) {
		ha_array *r = ha_array_alloc(a->dtype, p->bnd, p->bshape, HA_SPLIT_NONE, a->device, a->comm);
		if (r)
			extract(a, start, step, count, r->data);
		return r;
	}
	const axsel *sx = &p->ax[s];
	if (sx->is_int) {
		/* the owner cuts its slab and broadcasts it */
		int64_t *off = ha__malloc(sizeof(int64_t) * (size_t)P);
		if (!off) {
			oom();
			return NULL;
		}
		offsets(a->lmap, P, off);
		int owner = ha__owner_of(off, P, sx->start);
		free(off);
		ha_array *r = ha_array_alloc(a->dtype, p->bnd, p->bshape, HA_SPLIT_NONE, a->device, a->comm);
		if (!r)
			return NULL;
		if (a->comm->rank == owner) {
			start[s] -= a->loffset;
			extract(a, start, step, count, r->data);
		}
		if (P > 1 && ha_bcast(r->data, ha_lnbytes(r), owner, a->comm, WHAT)) {
			ha_release(r);
			return NULL;
		}
		return r;
	}
	/* the ascending part along the split axis is local */
	axsel up = ha__ix_ascending(*sx);
	int64_t *lmap = ha__malloc(sizeof(int64_t) * (size_t)P);
	if (!lmap) {
		oom();
		return NULL;
	}
	int64_t off = 0, k0 = 0, kk, cnt;
	for (int r = 0; r < P; r++) {
		ha__ix_local_part(&up, off, a->lmap[r], &kk, &lmap[r]);
		if (r == a->comm->rank)
			k0 = kk;
		off += a->lmap[r];
	}
	cnt = lmap[a->comm->rank];
	start[s] = up.start + k0 * up.step - a->loffset;
	step[s] = up.step;
	count[s] = cnt;
	ha_array *c = ha_array_alloc_lmap(a->dtype, p->bnd, p->bshape, sx->out, lmap, a->device, a->comm);
	free(lmap);
	if (c)
		extract(a, start, step, count, c->data);
	if (!c || sx->step > 0 || sx->count < 2)
		return c;
	/* a negative step: the global reversal of c */
	return ha__ix_reverse(c, sx->out, WHAT);
}

ha_array *ha__ix_reverse(ha_array *c, int o, const char *what)
{
	int64_t n = c->gshape[o], *all = ha__malloc(sizeof(int64_t) * (size_t)(n + 1));
	ha_array *r = all ? ha_array_alloc(c->dtype, c->ndim, c->gshape, o, c->device, c->comm) : NULL;
	if (!r) {
		if (!all)
			oom();
		free(all);
		ha_release(c);
		return NULL;
	}
	/* every rank knows every request: ONE Alltoallv */
	for (int64_t k = 0; k < n; k++)
		all[k] = n - 1 - k;
	int rc = ha__ix_fetch_rows(c, o, r->lshape[o], all + r->loffset, all, r->lmap, r->data, what);
	free(all);
	ha_release(c);
	if (rc) {
		ha_release(r);
		return NULL;
	}
	return r;
}

/* ---- keys ---- */

/* The index list as normalised int64 values of this rank's chunk (or the
** whole list when replicated / gathered).  Out-of-range values raise the
** same IndexError on every rank (one Allreduce "getitem" when the key is
** split).  *lmap_out: the key's chunk map (NULL when replicated). */
static int64_t *int_key(const ha_array *k, int64_t len, int axis, int gather, int64_t *n,
                        ha_comm *comm)
{
	ha_array *k64 = k->dtype == HA_INT64 ? ha_retain((ha_array *)k) : ha_astype(k, HA_INT64);
	if (!k64)
		return NULL;
	if (gather && k64->split >= 0) {
		ha_array *g = ha_resplit(k64, HA_SPLIT_NONE);
		ha_release(k64);
		if (!g)
			return NULL;
		k64 = g;
	}
	int64_t m = k64->lshape[0], *v = ha__malloc(sizeof(int64_t) * (size_t)(m + 1));
	if (!v) {
		ha_release(k64);
		oom();
		return NULL;
	}
	const int64_t *src = k64->data;
	int64_t badpos = INT64_MAX, badval = 0;
	for (int64_t i = 0; i < m; i++) {
		int64_t j = src[i] < 0 ? src[i] + len : src[i];
		if ((j < 0 || j >= len) && badpos == INT64_MAX) {
			badpos = (k64->split >= 0 ? k64->loffset : 0) + i;
			badval = src[i];
		}
		v[i] = j;
	}
	if (k64->split >= 0 && comm->size > 1) {
		int64_t g;
		if (ha_allreduce(&badpos, &g, 1, MPI_INT64_T, MPI_MIN, comm, WHAT)) {
			free(v);
			ha_release(k64);
			return NULL;
		}
		if (g != INT64_MAX) {
			int64_t val = badpos == g ? badval : INT64_MIN, gv;
			if (ha_allreduce(&val, &gv, 1, MPI_INT64_T, MPI_MAX, comm, WHAT)) {
				free(v);
				ha_release(k64);
				return NULL;
			}
			badpos = g;
			badval = gv;
		}
	}
	ha_release(k64);
	if (badpos != INT64_MAX) {
		free(v);
		ha_error_set(HA_EINDEX, "index %lld is out of bounds for axis %d with size %lld",
		             (long long)badval, axis, (long long)len);
		return NULL;
	}
	*n = m;
	return v;
}

/* The mask aligned to rows along its axis 0: split 0 with chunk map `lmap`
** (or replicated when lmap is NULL).  Moves only the mask. */
static ha_array *align_mask(const ha_array *m, const int64_t *lmap)
{
	ha_array *r;
	if (!lmap)
		return m->split < 0 ? ha_retain((ha_array *)m) : ha_resplit(m, HA_SPLIT_NONE);
	if (m->split < 0) {
		/* each rank keeps its rows: no communication */
		r = ha_array_alloc_lmap(HA_BOOL, m->ndim, m->gshape, 0, lmap, m->device, m->comm);
		if (r) {
			int64_t inner = prod(m->gshape, 1, m->ndim);
			memcpy(r->data, (char *)m->data + r->loffset * inner, (size_t)(r->lshape[0] * inner));
		}
		return r;
	}
	r = m->split == 0 ? ha_retain((ha_array *)m) : ha_resplit(m, 0);
	if (r && memcmp(r->lmap, lmap, sizeof(int64_t) * (size_t)m->comm->size)) {
		ha_array *t = ha_redistribute(r, lmap);
		ha_release(r);
		r = t;
	}
	return r;
}

static int64_t count_true(const unsigned char *m, int64_t n)
{
	int64_t c = 0;
	for (int64_t i = 0; i < n; i++)
		c += m[i] != 0;
	return c;
}

/* Per-rank selected counts of a mask split 0 (one Allgatherv of 8 bytes
** per rank) or, when `whole` (the replicated mask) is given, computed
** locally from its row ranges. */
static int mask_counts(const ha_array *mk, const ha_array *whole, const int64_t *lmap,
                       int64_t *counts)
{
	int P = mk->comm->size;
	if (whole) {
		int64_t inner = prod(whole->gshape, 1, whole->ndim), o = 0;
		for (int r = 0; r < P; r++) {
			counts[r] = count_true((unsigned char *)whole->data + o * inner, lmap[r] * inner);
			o += lmap[r];
		}
		return 0;
	}
	int64_t mine = count_true(mk->data, ha_lnumel(mk));
	int64_t *c = ha__malloc(sizeof(int64_t) * 2 * (size_t)P);
	if (!c)
		return oom();
	for (int r = 0; r < P; r++) {
		c[r] = sizeof(int64_t);
		c[P + r] = (int64_t)sizeof(int64_t) * r;
	}
	int rc = ha_allgather_bytes(&mine, sizeof mine, counts, c, c + P, mk->comm, WHAT);
	free(c);
	return rc;
}

/* out[o, c, i] = src[o, e, i] for the selected e of the local mask. */
static void mask_take(const char *src, int64_t outer, int64_t M, int64_t inner,
                      const unsigned char *mask, int64_t cnt, char *dst)
{
	for (int64_t o = 0; o < outer; o++) {
		int64_t c = 0;
		for (int64_t e = 0; e < M; e++)
			if (mask[e]) {
				memcpy(dst + (o * cnt + c) * inner, src + (o * M + e) * inner, (size_t)inner);
				c++;
			}
	}
}

static void take(const char *src, int64_t outer, int64_t len, int64_t inner, const int64_t *idx,
                 int64_t n, char *dst)
{
	for (int64_t o = 0; o < outer; o++)
		for (int64_t k = 0; k < n; k++)
			memcpy(dst + (o * n + k) * inner, src + (o * len + idx[k]) * inner, (size_t)inner);
}

/* ---- the advanced part of a get, on B ---- */

static ha_array *int_get(ha_array *b, int ax, const ha_array *key, int src_axis)
{
	int P = b->comm->size, bs = b->split;
	size_t es = ha_dtype_size(b->dtype);
	int64_t len = b->gshape[ax], n = 0;
	int64_t shape[HA_MAXDIM];
	memcpy(shape, b->gshape, sizeof shape);
	shape[ax] = key->gshape[0];
	if (bs == ax) {
		/* the rows come from their owners, in the key's order */
		int keysplit = key->split >= 0;
		int64_t *idx = int_key(key, len, src_axis, 0, &n, b->comm);
		if (!idx)
			return NULL;
		ha_array *r = ha_array_alloc_lmap(b->dtype, b->ndim, shape, ax, keysplit ? key->lmap : NULL,
		                                  b->device, b->comm);
		if (!r) {
			free(idx);
			return NULL;
		}
		int rc;
		if (keysplit) {
			rc = ha__ix_fetch_rows(b, ax, n, idx, NULL, NULL, r->data, WHAT);
		} else {
			(void)P;
			rc = ha__ix_fetch_rows(b, ax, r->lshape[ax], idx + r->loffset, idx, r->lmap, r->data, WHAT);
		}
		free(idx);
		if (rc) {
			ha_release(r);
			return NULL;
		}
		return r;
	}
	/* local: along a replicated axis of b */
	int keep_key_split = bs < 0 && key->split >= 0;
	int64_t *idx = int_key(key, len, src_axis, !keep_key_split, &n, b->comm);
	if (!idx)
		return NULL;
	ha_array *r = keep_key_split
	    ? ha_array_alloc_lmap(b->dtype, b->ndim, shape, ax, key->lmap, b->device, b->comm)
	    : ha_array_alloc_lmap(b->dtype, b->ndim, shape, bs, bs >= 0 ? b->lmap : NULL, b->device, b->comm);
	if (r)
		take(b->data, prod(b->lshape, 0, ax), b->lshape[ax],
		     prod(b->lshape, ax + 1, b->ndim) * (int64_t)es, idx, n, r->data);
	free(idx);
	return r;
}

static ha_array *mask_get(ha_array *b, int ax, const ha_array *m)
{
	int P = b->comm->size, k = m->ndim;
	size_t es = ha_dtype_size(b->dtype);
	ha_array *bb = NULL, *mk = NULL, *whole = NULL, *r = NULL;
	int64_t *counts = ha__malloc(sizeof(int64_t) * (size_t)P);
	int64_t shape[HA_MAXDIM];
	int rnd = b->ndim - k + 1, rsplit;
	if (!counts) {
		oom();
		return NULL;
	}
	if (b->split >= 0 && b->split > ax && b->split < ax + k) {
		/* split inside the masked axes (not the first): move B so the
		** selected elements of each rank are contiguous */
		bb = ha_resplit(b, ax);
		if (!bb)
			goto done;
	} else {
		bb = ha_retain(b);
	}
	int bs = bb->split;
	for (int d = 0; d < ax; d++)
		shape[d] = bb->gshape[d];
	for (int d = ax + k; d < bb->ndim; d++)
		shape[d - k + 1] = bb->gshape[d];
	int64_t outer = prod(bb->lshape, 0, ax), inner = prod(bb->lshape, ax + k, bb->ndim) * (int64_t)es;
	if (bs == ax || (bs < 0 && m->split >= 0)) {
		/* the result axis is split: each rank keeps its own selected elements */
		const int64_t *lmap = bs == ax ? bb->lmap : NULL;
		int64_t *mmap = NULL;
		if (!lmap) {
			ha_array *m0 = m->split == 0 ? ha_retain((ha_array *)m) : ha_resplit(m, 0);
			if (!m0)
				goto done;
			mmap = ha__malloc(sizeof(int64_t) * (size_t)P);
			if (mmap)
				memcpy(mmap, m0->lmap, sizeof(int64_t) * (size_t)P);
			ha_release(m0);
			if (!mmap) {
				oom();
				goto done;
			}
			lmap = mmap;
		}
		if (m->split < 0)
			whole = ha_retain((ha_array *)m);
		mk = align_mask(m, lmap);
		free(mmap);
		if (!mk || mask_counts(mk, whole, mk->lmap, counts))
			goto done;
		int64_t tot = 0;
		for (int r2 = 0; r2 < P; r2++)
			tot += counts[r2];
		shape[ax] = tot;
		r = ha_array_alloc_lmap(bb->dtype, rnd, shape, ax, counts, bb->device, bb->comm);
		if (!r)
			goto done;
		int64_t M = ha_lnumel(mk);
		const char *src = bb->data;
		if (bs < 0) {
			/* b is whole here: start at this rank's first mask row */
			int64_t rowsz = prod(bb->gshape, ax + 1, ax + k) * inner;
			int64_t full = prod(bb->gshape, ax, ax + k) * inner;
			for (int64_t o = 0; o < outer; o++) {
				int64_t c = 0;
				const unsigned char *mm = mk->data;
				const char *base = src + o * full + mk->loffset * rowsz;
				for (int64_t e = 0; e < M; e++)
					if (mm[e]) {
						memcpy((char *)r->data + (o * counts[bb->comm->rank] + c) * inner,
						       base + e * inner, (size_t)inner);
						c++;
					}
			}
		} else {
			mask_take(src, outer, M, inner, mk->data, counts[bb->comm->rank], r->data);
		}
		goto done;
	}
	/* the mask does not cover the split: replicated mask, local selection */
	mk = align_mask(m, NULL);
	if (!mk)
		goto done;
	int64_t tot = count_true(mk->data, ha_gnumel(mk));
	shape[ax] = tot;
	rsplit = bs < 0 ? HA_SPLIT_NONE : bs < ax ? bs : bs - k + 1;
	r = ha_array_alloc_lmap(bb->dtype, rnd, shape, rsplit, bs >= 0 ? bb->lmap : NULL, bb->device, bb->comm);
	if (r)
		mask_take(bb->data, outer, ha_gnumel(mk), inner, mk->data, tot, r->data);
done:
	free(counts);
	if (bb)
		ha_release(bb);
	if (mk)
		ha_release(mk);
	if (whole)
		ha_release(whole);
	return r;
}

/* Move axis ax to the front (local; the split follows). */
static ha_array *to_front(ha_array *r, int ax)
{
	if (ax == 0)
		return r;
	int perm[HA_MAXDIM], j = 1;
	perm[0] = ax;
	for (int d = 0; d < r->ndim; d++)
		if (d != ax)
			perm[j++] = d;
	ha_array *t = ha_transpose(r, perm);
	ha_release(r);
	return t;
}

ha_array *ha_getitem(const ha_array *a, int n, const ha_index *key)
{
	plan p;
	if (ha__ix_multi(n, key))
		return ha__getitem_adv(a, n, key);
	if (parse(a, n, key, &p))
		return NULL;
	ha_array *b = basic_get(a, &p);
	if (!b || !p.adv)
		return b;
	ha_array *r = p.adv == ADV_INT ? int_get(b, p.adv_b, p.key, p.adv_src) : mask_get(b, p.adv_b, p.key);
	ha_release(b);
	if (r && p.front)
		r = to_front(r, p.adv_b);
	return r;
}

/* ======================================================================
** setitem
** ==================================================================== */

/* The value, converted to dtype t, with leading size-1 axes beyond nd
** dropped, checked against the selection's shape (ValueError otherwise). */
ha_array *ha__ix_prep_value(const ha_array *v, ha_dtype t, int nd, const int64_t *shape)
{
	int vnd = v->ndim, lead = 0;
	while (vnd - lead > nd && v->gshape[lead] == 1)
		lead++;
	int ok = vnd - lead <= nd;
	for (int d = lead; ok && d < vnd; d++) {
		int64_t want = shape[nd - (vnd - d)];
		if (v->gshape[d] != 1 && v->gshape[d] != want)
			ok = 0;
	}
	if (!ok) {
		char vs[400], ts[400];
		ha__ix_shape_str(vs, sizeof vs, v->ndim, v->gshape);
		ha__ix_shape_str(ts, sizeof ts, nd, shape);
		ha_error_set(HA_EVALUE, "could not broadcast input array from shape %s into shape %s", vs, ts);
		return NULL;
	}
	ha_array *w = v->dtype == t ? ha_retain((ha_array *)v) : ha_astype(v, t);
	if (w && lead) {
		ha_array *sq = ha_reshape(w, vnd - lead, w->gshape + lead,
		                          w->split < 0 ? HA_SPLIT_NONE : w->split < lead ? 0 : w->split - lead);
		ha_release(w);
		w = sq;
	}
	return w;
}

/* Make the value's local part cover R positions [lo[me], lo[me] + cnt[me])
** along R axis o (o < 0: the whole value).  lo/cnt are every rank's ranges
** (replicated), so fetching needs no requests. */
int ha__ix_align_value(const ha_array *v, int nd, int o, const int64_t *lo, const int64_t *cnt,
                       vview *vw)
{
	int lead = nd - v->ndim, P = v->comm->size, me = v->comm->rank;
	ha_array *h = NULL;
	memset(vw, 0, sizeof *vw);
	int vo = o - lead;
	int direct = v->split < 0 || (o >= 0 && vo >= 0 && v->split == vo && v->gshape[vo] != 1);
	int via = o >= 0 && vo >= 0 && v->gshape[vo] != 1 && v->split >= 0 && v->split != vo;
	if (v->split < 0) {
		h = ha_retain((ha_array *)v);
	} else if (direct || via) {
		ha_array *src = via ? ha_resplit(v, vo) : ha_retain((ha_array *)v);
		if (!src)
			return -1;
		int64_t shape[HA_MAXDIM], tot = 0;
		for (int r = 0; r < P; r++)
			tot += cnt[r];
		memcpy(shape, v->gshape, sizeof shape);
		shape[vo] = tot;
		int64_t *want = ha__malloc(sizeof(int64_t) * (size_t)(tot + 1));
		h = want ? ha_array_alloc_lmap(v->dtype, v->ndim, shape, vo, cnt, v->device, v->comm) : NULL;
		if (!h) {
			if (!want)
				oom();
			free(want);
			ha_release(src);
			return -1;
		}
		int64_t k = 0;
		for (int r = 0; r < P; r++)
			for (int64_t j = 0; j < cnt[r]; j++)
				want[k++] = lo[r] + j;
		int64_t mine = 0;
		for (int r = 0; r < me; r++)
			mine += cnt[r];
		int rc = ha__ix_fetch_rows(src, vo, cnt[me], want + mine, want, cnt, h->data, WHAT_SET);
		free(want);
		ha_release(src);
		if (rc) {
			ha_release(h);
			return -1;
		}
		vw->off[o] = lo[me];
	} else {
		h = ha_resplit(v, HA_SPLIT_NONE);
		if (!h)
			return -1;
	}
	int64_t st = (int64_t)ha_dtype_size(v->dtype);
	for (int d = v->ndim - 1; d >= 0; d--) {
		vw->stride[d + lead] = h->gshape[d] == 1 && v->gshape[d] == 1 ? 0 : st;
		st *= h->lshape[d];
	}
	vw->hold = h;
	vw->data = h->data;
	return 0;
}

void ha__ix_vview_free(vview *vw)
{
	if (vw->hold)
		ha_release(vw->hold);
}

typedef struct set_ctx {
	size_t es;
	char *dst;
	const char *val;            /* NULL: the scalar in sval */
	char sval[16];
	int nd;
	int64_t c0;                 /* value offset of idx = 0 */
	int64_t cstep[HA_MAXDIM];   /* value offset per step of each source axis */
} set_ctx;

static void set_one(int64_t dst, const int64_t *idx, void *c)
{
	set_ctx *x = c;
	if (!x->val) {
		memcpy(x->dst + (size_t)dst * x->es, x->sval, x->es);
		return;
	}
	int64_t v = x->c0;
	for (int d = 0; d < x->nd; d++)
		v += idx[d] * x->cstep[d];
	memcpy(x->dst + (size_t)dst * x->es, x->val + v, x->es);
}

/* Ranges of R positions along the split's output axis owned by each rank
** (for a basic selection with a non-integer at the split axis). */
int ha__ix_ranges(const ha_array *a, const axsel *sx, int64_t *lo, int64_t *cnt)
{
	axsel up = ha__ix_ascending(*sx);
	int64_t off = 0, k0;
	for (int r = 0; r < a->comm->size; r++) {
		ha__ix_local_part(&up, off, a->lmap[r], &k0, &cnt[r]);
		lo[r] = sx->step > 0 ? k0 : sx->count - k0 - cnt[r];
		off += a->lmap[r];
	}
	return 0;
}

static int basic_set(ha_array *a, const plan *p, const ha_array *v, const ha_scalar *sv)
{
	int s = a->split, P = a->comm->size, rc = -1;
	set_ctx c;
	vview vw;
	memset(&c, 0, sizeof c);
	memset(&vw, 0, sizeof vw);
	c.es = ha_dtype_size(a->dtype);
	c.dst = a->data;
	c.nd = a->ndim;
	int64_t start[HA_MAXDIM], step[HA_MAXDIM], count[HA_MAXDIM], k0[HA_MAXDIM] = { 0 };
	for (int d = 0; d < a->ndim; d++) {
		start[d] = p->ax[d].start;
		step[d] = p->ax[d].step;
		count[d] = p->ax[d].count;
	}
	int owner_only = 0;
	int64_t *lo = ha__malloc(sizeof(int64_t) * 2 * (size_t)P), *cnt = lo ? lo + P : NULL;
	if (!lo)
		return oom();
	int o = -1;
	if (s >= 0 && p->ax[s].is_int) {
		owner_only = 1;
		if (p->ax[s].start < a->loffset || p->ax[s].start >= a->loffset + a->lshape[s])
			count[s] = 0;
		else
			start[s] -= a->loffset;
	} else if (s >= 0) {
		axsel sx = p->ax[s], up = ha__ix_ascending(sx);
		int64_t kk, cc;
		ha__ix_local_part(&up, a->loffset, a->lshape[s], &kk, &cc);
		start[s] = up.start + kk * up.step - a->loffset;
		step[s] = up.step;
		count[s] = cc;
		o = sx.out;
		ha__ix_ranges(a, &sx, lo, cnt);
		k0[s] = kk;
	}
	if (sv) {
		ha_scalar_store(*sv, a->dtype, c.sval);
	} else {
		if (ha__ix_align_value(v, p->bnd, owner_only ? -1 : o, lo, cnt, &vw))
			goto done;
		c.val = vw.data;
		c.c0 = 0;
		for (int d = 0; d < a->ndim; d++) {
			int od = p->ax[d].out;
			if (od < 0) {
				c.cstep[d] = 0;
				continue;
			}
			int64_t st = vw.stride[od];
			if (d == s && p->ax[d].step < 0) {
				/* walking ascending in memory = descending positions */
				int64_t first = p->ax[d].count - 1 - k0[d];
				c.c0 += (first - vw.off[od]) * st;
				c.cstep[d] = -st;
			} else {
				int64_t first = d == s ? k0[d] : 0;
				c.c0 += (first - vw.off[od]) * st;
				c.cstep[d] = st;
			}
		}
	}
	visit(a->ndim, a->lshape, start, step, count, set_one, &c);
	rc = 0;
done:
	ha__ix_vview_free(&vw);
	free(lo);
	return rc;
}

/* a[..., idx, ...] = v along axis ax of a, every other item whole. */
static int int_set(ha_array *a, int ax, const ha_array *key, const ha_array *v, const ha_scalar *sv)
{
	int P = a->comm->size, me = a->comm->rank, s = a->split, rc = -1;
	size_t es = ha_dtype_size(a->dtype);
	int64_t len = a->gshape[ax], n = 0, m = key->gshape[0];
	int64_t rshape[HA_MAXDIM];
	memcpy(rshape, a->gshape, sizeof rshape);
	rshape[ax] = m;
	ha_array *vv = NULL;
	if (v) {
		vv = ha__ix_prep_value(v, a->dtype, a->ndim, rshape);
		if (!vv)
			return -1;
	}
	char sval[16];
	if (sv)
		ha_scalar_store(*sv, a->dtype, sval);
	int64_t outer = prod(a->lshape, 0, ax), alen = a->lshape[ax];
	int64_t inner_el = prod(a->lshape, ax + 1, a->ndim), inner = inner_el * (int64_t)es;
	int64_t *lo = ha__malloc(sizeof(int64_t) * 2 * (size_t)P), *cnt = lo ? lo + P : NULL;
	int64_t *idx = NULL;
	vview vw;
	memset(&vw, 0, sizeof vw);
	if (!lo) {
		if (vv)
			ha_release(vv);
		return oom();
	}
	if (s != ax) {
		/* each rank writes the listed rows of its own chunk */
		idx = int_key(key, len, ax, 1, &n, a->comm);
		if (!idx)
			goto done;
		if (vv) {
			int o = s;
			if (s >= 0)
				for (int64_t r = 0, off = 0; r < P; r++) {
					lo[r] = off;
					cnt[r] = a->lmap[r];
					off += a->lmap[r];
				}
			if (ha__ix_align_value(vv, a->ndim, o, lo, cnt, &vw))
				goto done;
		}
		int64_t lshape[HA_MAXDIM];
		memcpy(lshape, a->lshape, sizeof lshape);
		for (int64_t k = 0; k < n; k++) {
			/* every element of row idx[k]: (outer o, inner i) */
			int64_t q[HA_MAXDIM] = { 0 };
			for (int64_t o = 0; o < outer; o++) {
				char *dst = (char *)a->data + (o * alen + idx[k]) * inner;
				if (!vv) {
					for (int64_t i = 0; i < inner_el; i++)
						memcpy(dst + i * (int64_t)es, sval, es);
					continue;
				}
				/* R position of (o, k, i): decompose o and i */
				int64_t rem = o;
				for (int d = ax - 1; d >= 0; d--) {
					q[d] = rem % lshape[d] + (d == s ? a->loffset : 0);
					rem /= lshape[d];
				}
				q[ax] = k;
				for (int64_t i = 0; i < inner_el; i++) {
					int64_t r2 = i;
					for (int d = a->ndim - 1; d > ax; d--) {
						q[d] = r2 % lshape[d] + (d == s ? a->loffset : 0);
						r2 /= lshape[d];
					}
					int64_t voff = 0;
					for (int d = 0; d < a->ndim; d++)
						voff += (q[d] - vw.off[d]) * vw.stride[d];
					memcpy(dst + i * (int64_t)es, vw.data + voff, es);
				}
			}
		}
		rc = 0;
		goto done;
	}
	/* along the split: this rank is responsible for the key positions
	** [lo, lo + cnt) (its key chunk, or a balanced share of a replicated
	** key) and sends (index, row) to the owners; owners apply in key order */
	{
		int keysplit = key->split >= 0;
		idx = int_key(key, len, ax, 0, &n, a->comm);
		if (!idx)
			goto done;
		int64_t o2 = 0;
		for (int r = 0; r < P; r++) {
			if (keysplit) {
				cnt[r] = key->lmap[r];
			} else {
				ha_chunk(m, P, r, NULL, &cnt[r]);
			}
			lo[r] = o2;
			o2 += cnt[r];
		}
		int64_t first = keysplit ? 0 : lo[me], mine = cnt[me];
		if (!keysplit && !vv) {
			/* a scalar and a replicated key: every rank knows its rows */
			for (int64_t k = 0; k < n; k++)
				if (idx[k] >= a->loffset && idx[k] < a->loffset + alen)
					for (int64_t o = 0; o < outer; o++) {
						char *dst = (char *)a->data + (o * alen + idx[k] - a->loffset) * inner;
						for (int64_t i = 0; i < inner_el; i++)
							memcpy(dst + i * (int64_t)es, sval, es);
					}
			rc = 0;
			goto done;
		}
		if (vv && ha__ix_align_value(vv, a->ndim, ax, lo, cnt, &vw))
			goto done;
		/* rows to send, packed: [index][row bytes] per entry */
		int64_t row = outer * inner, ent = (int64_t)sizeof(int64_t) + (vv ? row : 0);
		int64_t *aoff = ha__malloc(sizeof(int64_t) * 6 * (size_t)P);
		char *sbuf = NULL, *rbuf = NULL;
		int64_t *own = NULL;
		if (!aoff) {
			oom();
			goto done;
		}
		int64_t *sc = aoff + P, *sd = aoff + 2 * P, *rcnt = aoff + 3 * P, *rd = aoff + 4 * P, *cur = aoff + 5 * P;
		offsets(a->lmap, P, aoff);
		own = ha__malloc(sizeof(int64_t) * (size_t)(mine + 1));
		sbuf = ha__malloc((size_t)(mine * ent));
		int bad = !own || !sbuf;
		if (ha__agree(bad, ha_gnbytes(a), a->comm, WHAT_SET)) {
			free(aoff);
			free(own);
			free(sbuf);
			goto done;
		}
		for (int r = 0; r < P; r++)
			sc[r] = 0;
		for (int64_t k = 0; k < mine; k++) {
			own[k] = ha__owner_of(aoff, P, idx[first + k]);
			sc[own[k]]++;
		}
		int64_t t = 0;
		for (int r = 0; r < P; r++) {
			cur[r] = t;
			t += sc[r] * ent;
		}
		for (int64_t k = 0; k < mine; k++) {
			char *e = sbuf + cur[own[k]];
			cur[own[k]] += ent;
			memcpy(e, &idx[first + k], sizeof(int64_t));
			if (!vv)
				continue;
			/* the value's row for key position first + k (R coordinates) */
			char *dst = e + sizeof(int64_t);
			int64_t q[HA_MAXDIM] = { 0 };
			for (int64_t o = 0; o < outer; o++) {
				int64_t rem = o;
				for (int d = ax - 1; d >= 0; d--) {
					q[d] = rem % a->lshape[d];
					rem /= a->lshape[d];
				}
				q[ax] = lo[me] + k;
				for (int64_t i = 0; i < inner_el; i++) {
					int64_t r2 = i;
					for (int d = a->ndim - 1; d > ax; d--) {
						q[d] = r2 % a->lshape[d];
						r2 /= a->lshape[d];
					}
					int64_t voff = 0;
					for (int d = 0; d < a->ndim; d++)
						voff += (q[d] - vw.off[d]) * vw.stride[d];
					memcpy(dst + (o * inner_el + i) * (int64_t)es, vw.data + voff, es);
				}
			}
		}
		/* counts: known from the replicated key, else exchanged */
		if (!keysplit) {
			for (int r = 0; r < P; r++) {
				rcnt[r] = 0;
				for (int64_t k = lo[r]; k < lo[r] + cnt[r]; k++)
					if (idx[k] >= aoff[me] && idx[k] < aoff[me] + alen)
						rcnt[r]++;
			}
		} else {
			int64_t *one = ha__malloc(sizeof(int64_t) * 4 * (size_t)P);
			if (!one) {
				free(aoff);
				free(own);
				free(sbuf);
				oom();
				goto done;
			}
			for (int r = 0; r < P; r++) {
				one[r] = sizeof(int64_t);
				one[P + r] = (int64_t)sizeof(int64_t) * r;
				one[2 * P + r] = sc[r];
			}
			int e2 = ha_alltoall_bytes(one + 2 * P, one, one + P, one + 3 * P, one, one + P, a->comm, WHAT_SET);
			for (int r = 0; r < P; r++)
				rcnt[r] = one[3 * P + r];
			free(one);
			if (e2) {
				free(aoff);
				free(own);
				free(sbuf);
				goto done;
			}
		}
		int64_t rt = 0, st2 = 0;
		for (int r = 0; r < P; r++) {
			sd[r] = st2;
			sc[r] *= ent;
			st2 += sc[r];
			rd[r] = rt;
			rcnt[r] *= ent;
			rt += rcnt[r];
		}
		rbuf = ha__malloc((size_t)rt);
		if (ha__agree(!rbuf, ha_gnbytes(a), a->comm, WHAT_SET) == 0 &&
		    ha_alltoall_bytes(sbuf, sc, sd, rbuf, rcnt, rd, a->comm, WHAT_SET) == 0) {
			for (int64_t e = 0; e < rt; e += ent) {
				int64_t g;
				memcpy(&g, rbuf + e, sizeof g);
				for (int64_t o = 0; o < outer; o++) {
					char *dst = (char *)a->data + (o * alen + g - a->loffset) * inner;
					if (vv)
						memcpy(dst, rbuf + e + sizeof(int64_t) + o * inner, (size_t)inner);
					else
						for (int64_t i = 0; i < inner_el; i++)
							memcpy(dst + i * (int64_t)es, sval, es);
				}
			}
			rc = 0;
		}
		free(aoff);
		free(own);
		free(sbuf);
		free(rbuf);
	}
done:
	ha__ix_vview_free(&vw);
	free(idx);
	free(lo);
	if (vv)
		ha_release(vv);
	return rc;
}

/* a[..., mask, ...] = v with the mask covering axes ax .. ax+k-1 of a,
** every other item whole. */
static int mask_set(ha_array *a, int ax, const ha_array *m, const ha_array *v, const ha_scalar *sv)
{
	int P = a->comm->size, me = a->comm->rank, k = m->ndim, s = a->split, rc = -1;
	size_t es = ha_dtype_size(a->dtype);
	char sval[16];
	ha_array *mk = NULL, *whole = NULL, *vv = NULL;
	int64_t *counts = ha__malloc(sizeof(int64_t) * 2 * (size_t)P), *lo = counts ? counts + P : NULL;
	vview vw;
	memset(&vw, 0, sizeof vw);
	if (!counts)
		return oom();
	if (sv)
		ha_scalar_store(*sv, a->dtype, sval);
	int inside = s >= 0 && s >= ax && s < ax + k;
	if (inside && s != ax && !sv) {
		/* array value with the split inside the mask (not first): move a
		** so its selected elements are contiguous per rank, and back */
		int64_t *keep = ha__malloc(sizeof(int64_t) * (size_t)P);
		if (!keep) {
			free(counts);
			return oom();
		}
		memcpy(keep, a->lmap, sizeof(int64_t) * (size_t)P);
		/* decide the value's shape before moving anything */
		int64_t tot;
		ha_array *mw = m->split < 0 ? ha_retain((ha_array *)m) : NULL;
		int64_t c1 = count_true(m->data, ha_lnumel(m));
		if (m->split >= 0) {
			if (ha_allreduce(&c1, &tot, 1, MPI_INT64_T, MPI_SUM, a->comm, WHAT_SET)) {
				free(keep);
				free(counts);
				return -1;
			}
		} else {
			tot = c1;
		}
		if (mw)
			ha_release(mw);
		int64_t rshape[HA_MAXDIM];
		int rnd = a->ndim - k + 1;
		for (int d = 0; d < ax; d++)
			rshape[d] = a->gshape[d];
		rshape[ax] = tot;
		for (int d = ax + k; d < a->ndim; d++)
			rshape[d - k + 1] = a->gshape[d];
		ha_array *chk = ha__ix_prep_value(v, a->dtype, rnd, rshape);
		if (!chk) {
			free(keep);
			free(counts);
			return -1;
		}
		ha_release(chk);
		rc = ha_resplit_(a, ax);
		if (rc == 0)
			rc = mask_set(a, ax, m, v, sv);
		if (ha_resplit_(a, s) == 0 && memcmp(a->lmap, keep, sizeof(int64_t) * (size_t)P)) {
			if (ha_redistribute_(a, keep))
				rc = -1;
		}
		free(keep);
		free(counts);
		return rc;
	}
	const int64_t *lmap = inside ? a->lmap : NULL;
	int64_t *mmap = NULL;
	if (inside && s != ax) {
		/* scalar with the split inside the mask: align the mask to a's split */
		ha_array *t = m->split == s - ax ? ha_retain((ha_array *)m) : ha_resplit(m, s - ax);
		if (t && memcmp(t->lmap, a->lmap, sizeof(int64_t) * (size_t)P)) {
			ha_array *u = ha_redistribute(t, a->lmap);
			ha_release(t);
			t = u;
		}
		mk = t;
	} else {
		if (!inside && a->split < 0 && m->split >= 0 && sv) {
			/* a replicated, mask split: replicate the mask (a is whole anyway) */
			lmap = NULL;
		}
		mk = align_mask(m, lmap);
	}
	if (!mk)
		goto done;
	(void)mmap;
	int64_t outer = prod(a->lshape, 0, ax), inner_el = prod(a->lshape, ax + k, a->ndim);
	int64_t inner = inner_el * (int64_t)es, M = ha_lnumel(mk);
	if (sv) {
		if (inside && s != ax) {
			/* write where the local mask is set (mask laid out like a's axes ax..ax+k) */
			int64_t mshape[HA_MAXDIM];
			memcpy(mshape, mk->lshape, sizeof(int64_t) * (size_t)k);
			for (int64_t o = 0; o < outer; o++)
				for (int64_t e = 0; e < M; e++)
					if (((unsigned char *)mk->data)[e]) {
						char *dst = (char *)a->data + ((o * M + e) * inner);
						for (int64_t i = 0; i < inner_el; i++)
							memcpy(dst + i * (int64_t)es, sval, es);
					}
			rc = 0;
			goto done;
		}
	}
	/* mk covers this rank's rows of the masked axes (all of them when a's
	** split is elsewhere) */
	int64_t mrow0 = (mk->split >= 0 ? mk->loffset : 0);
	int64_t arow0 = inside ? 0 : (s < 0 ? 0 : 0);
	(void)arow0;
	if (!sv) {
		if (m->split < 0 && inside)
			whole = ha_retain((ha_array *)m);
		int64_t tot = 0;
		if (inside) {
			if (mask_counts(mk, whole, mk->lmap, counts))
				goto done;
			for (int r = 0; r < P; r++) {
				lo[r] = tot;
				tot += counts[r];
			}
		} else {
			tot = count_true(mk->data, ha_gnumel(mk));
		}
		int64_t rshape[HA_MAXDIM];
		int rnd = a->ndim - k + 1;
		for (int d = 0; d < ax; d++)
			rshape[d] = a->gshape[d];
		rshape[ax] = tot;
		for (int d = ax + k; d < a->ndim; d++)
			rshape[d - k + 1] = a->gshape[d];
		vv = ha__ix_prep_value(v, a->dtype, rnd, rshape);
		if (!vv)
			goto done;
		int o = -1;
		if (inside) {
			o = ax;
		} else if (s >= 0) {
			o = s < ax ? s : s - k + 1;
			int64_t off = 0;
			for (int r = 0; r < P; r++) {
				lo[r] = off;
				counts[r] = a->lmap[r];
				off += a->lmap[r];
			}
		}
		if (ha__ix_align_value(vv, rnd, o, lo, counts, &vw))
			goto done;
	}
	/* the write: over (outer o, mask element e, inner i) of the local block */
	{
		int rnd = a->ndim - k + 1;
		int64_t q[HA_MAXDIM] = { 0 };
		int64_t mfull = inside ? M : prod(a->lshape, ax, ax + k);
		for (int64_t o = 0; o < outer; o++) {
			int64_t rem = o;
			for (int d = ax - 1; d >= 0; d--) {
				q[d] = rem % a->lshape[d] + (d == s ? a->loffset : 0);
				rem /= a->lshape[d];
			}
			int64_t c = inside ? lo[me] : 0;
			const unsigned char *mm = mk->data;
			for (int64_t e = 0; e < mfull; e++) {
				if (!mm[e])
					continue;
				char *dst = (char *)a->data + (o * mfull + e) * inner;
				if (sv) {
					for (int64_t i = 0; i < inner_el; i++)
						memcpy(dst + i * (int64_t)es, sval, es);
					c++;
					continue;
				}
				q[ax] = c++;
				for (int64_t i = 0; i < inner_el; i++) {
					int64_t r2 = i;
					for (int d = a->ndim - 1; d >= ax + k; d--) {
						q[d - k + 1] = r2 % a->lshape[d] + (d == s ? a->loffset : 0);
						r2 /= a->lshape[d];
					}
					int64_t voff = 0;
					for (int d = 0; d < rnd; d++)
						voff += (q[d] - vw.off[d]) * vw.stride[d];
					memcpy(dst + i * (int64_t)es, vw.data + voff, es);
				}
			}
		}
		(void)mrow0;
	}
	rc = 0;
done:
	ha__ix_vview_free(&vw);
	free(counts);
	if (mk)
		ha_release(mk);
	if (whole)
		ha_release(whole);
	if (vv)
		ha_release(vv);
	return rc;
}

static int setitem(ha_array *a, int n, const ha_index *key, const ha_array *v, const ha_scalar *sv)
{
	plan p;
	if (ha__ix_multi(n, key))
		return ha__setitem_adv(a, n, key, v, sv);
	if (parse(a, n, key, &p))
		return -1;
	if (!p.adv) {
		ha_array *vv = NULL;
		if (v) {
			vv = ha__ix_prep_value(v, a->dtype, p.bnd, p.bshape);
			if (!vv)
				return -1;
		}
		int rc = basic_set(a, &p, vv, sv);
		if (vv)
			ha_release(vv);
		return rc;
	}
	if (p.adv == ADV_INT) {
		/* index errors come before value errors (NumPy), and before any write */
		int64_t cnt;
		int64_t *chk = int_key(p.key, p.bshape[p.adv_b], p.adv_src, 0, &cnt, a->comm);
		if (!chk)
			return -1;
		free(chk);
	}
	if (p.all_full) {
		return p.adv == ADV_INT ? int_set(a, p.adv_src, p.key, v, sv)
		                        : mask_set(a, p.adv_src, p.key, v, sv);
	}
	/* mixed: B = a[basic]; B[advanced] = v; a[basic] = B.  Checks first. */
	ha_array *vv = NULL;
	if (v) {
		ha_array *probe = NULL;
		/* the advanced result's shape decides the value's validity */
		int rnd;
		int64_t rshape[HA_MAXDIM];
		memcpy(rshape, p.bshape, sizeof rshape);
		if (p.adv == ADV_INT) {
			rnd = p.bnd;
			rshape[p.adv_b] = p.key->gshape[0];
		} else {
			int64_t c1 = count_true(p.key->data, ha_lnumel(p.key)), tot = c1;
			if (p.key->split >= 0 && ha_allreduce(&c1, &tot, 1, MPI_INT64_T, MPI_SUM, a->comm, WHAT_SET))
				return -1;
			rnd = p.bnd - p.adv_nd + 1;
			for (int d = p.adv_b + p.adv_nd; d < p.bnd; d++)
				rshape[d - p.adv_nd + 1] = p.bshape[d];
			rshape[p.adv_b] = tot;
		}
		if (p.front && p.adv_b) {
			int64_t t = rshape[p.adv_b];
			memmove(rshape + 1, rshape, sizeof(int64_t) * (size_t)p.adv_b);
			rshape[0] = t;
		}
		probe = ha__ix_prep_value(v, a->dtype, rnd, rshape);
		if (!probe)
			return -1;
		vv = probe;
		if (p.front && p.adv_b) {
			/* back to B's layout: full rank, then the advanced axis to adv_b */
			while (vv->ndim < rnd) {
				ha_array *e = ha_expand_dims(vv, 0);
				ha_release(vv);
				if (!e)
					return -1;
				vv = e;
			}
			int perm[HA_MAXDIM], j = 0;
			for (int d = 1; d <= p.adv_b; d++)
				perm[j++] = d;
			perm[j++] = 0;
			for (int d = p.adv_b + 1; d < rnd; d++)
				perm[j++] = d;
			ha_array *t = ha_transpose(vv, perm);
			ha_release(vv);
			if (!t)
				return -1;
			vv = t;
		}
	}
	ha_array *b = basic_get(a, &p);
	if (!b) {
		if (vv)
			ha_release(vv);
		return -1;
	}
	int rc = p.adv == ADV_INT ? int_set(b, p.adv_b, p.key, vv, sv) : mask_set(b, p.adv_b, p.key, vv, sv);
	if (vv)
		ha_release(vv);
	if (rc == 0) {
		plan q = p;
		q.adv = ADV_NONE;
		rc = basic_set(a, &q, b, NULL);
	}
	ha_release(b);
	return rc;
}

int ha_setitem(ha_array *a, int n, const ha_index *key, const ha_array *value)
{
	return setitem(a, n, key, value, NULL);
}

int ha_setitem_scalar(ha_array *a, int n, const ha_index *key, ha_scalar value)
{
	return setitem(a, n, key, NULL, &value);
}
