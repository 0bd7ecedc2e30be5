/*
** rowmap.c — one engine for every manipulation that builds an array from
** whole rows (slabs) of other arrays along one axis: flip, roll, pad,
** repeat, tile, concatenate, split, diff's shifted views, topk's leading
** rows.  The operation is a function from an output row to an input row
** (or a fill value); the engine does the data movement.
**
** Along a non-split axis each rank has the whole axis in its block, so the
** map is applied locally.  Along the split axis the output is balanced and
** rows that change rank go in ONE Alltoallv.  Nothing about the exchange is
** sent: the chunk maps are replicated and the map is a pure function, so
** a sender walks the output rows in increasing order and packs, for each
** destination, the rows it owns; the receiver walks its own output rows in
** the same order and takes from each source's segment the next row.
*/
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"
#include "manip_internal.h"

int ha__norm_axis(int axis, int ndim, int *out)
{
	if (axis < -ndim || axis >= ndim)
		return ha_error_set(HA_EVALUE, "axis %d is out of bounds for array of dimension %d",
		                    axis, ndim);
	*out = axis < 0 ? axis + ndim : axis;
	return 0;
}

typedef struct geom {
	size_t es;
	int64_t pre, post;      /* elements before / after the axis in a block */
} geom;

static void copy_run(const geom *G, char *dst, int64_t dn, int64_t j0, const char *src, int64_t sn,
                     int64_t r0, int64_t len)
{
	size_t bytes = (size_t)(len * G->post) * G->es;
	for (int64_t p = 0; p < G->pre; p++)
		memcpy(dst + (size_t)((p * dn + j0) * G->post) * G->es,
		       src + (size_t)((p * sn + r0) * G->post) * G->es, bytes);
}

static void fill_run(const geom *G, char *dst, int64_t dn, int64_t j0, int64_t len, const char *val)
{
	for (int64_t p = 0; p < G->pre; p++) {
		char *d = dst + (size_t)((p * dn + j0) * G->post) * G->es;
		for (int64_t i = 0; i < len * G->post; i++)
			memcpy(d + (size_t)i * G->es, val, G->es);
	}
}

/* Row kinds seen by a receiver. */
enum { ROW_FILL, ROW_LOCAL, ROW_REMOTE };

typedef struct mapctx {
	int nin, k, axis, me, P;
	ha_array *const *in;
	int64_t **ioff;          /* per input: prefix offsets (split inputs) */
	ha__rowfn fn;
	const void *ctx;
} mapctx;

/* Classify output row g: FILL (*x = fill number), LOCAL (*q, *x = row in
** in[q]'s block) or REMOTE (*x = source rank). */
static int classify(const mapctx *m, int64_t g, int *q, int64_t *x)
{
	int64_t r;
	m->fn(m->ctx, g, q, &r);
	if (r < 0) {
		*x = -1 - r;
		return ROW_FILL;
	}
	const ha_array *a = m->in[*q];
	if (a->split < 0 || m->k != m->axis || m->P == 1) {
		*x = r;
		return ROW_LOCAL;
	}
	int s = ha__owner_of(m->ioff[*q], m->P, r);
	if (s == m->me) {
		*x = r - m->ioff[*q][s];
		return ROW_LOCAL;
	}
	*x = s;
	return ROW_REMOTE;
}

/* Rows along the axis of in[q]'s block. */
static int64_t block_rows(const mapctx *m, int q)
{
	return m->in[q]->lshape[m->axis];
}

/* Fill rows [0, nl) of out's block (global g0 + j) from local sources and
** fills; remote rows come from rbuf (segments rdispl[s], rows in order)
** when rbuf is not NULL. */
static void assemble(const mapctx *m, const geom *G, ha_array *out, int64_t g0, int64_t nl,
                     const char *fills, const char *rbuf, int64_t *rcur, int64_t rowbytes)
{
	char *dst = out->data;
	int64_t j = 0;
	while (j < nl) {
		int q, q2;
		int64_t x, x2, len = 1;
		int kind = classify(m, g0 + j, &q, &x);
		if (kind == ROW_REMOTE) {
			/* one row: pre pieces of post elements, packed contiguously */
			const char *src = rbuf + rcur[x];
			for (int64_t p = 0; p < G->pre; p++)
				memcpy(dst + (size_t)((p * nl + j) * G->post) * G->es,
				       src + (size_t)(p * G->post) * G->es, (size_t)G->post * G->es);
			rcur[x] += rowbytes;
			j++;
			continue;
		}
		while (j + len < nl) {
			int k2 = classify(m, g0 + j + len, &q2, &x2);
			if (k2 != kind || (kind == ROW_LOCAL && (q2 != q || x2 != x + len)) ||
			    (kind == ROW_FILL && x2 != x))
				break;
			len++;
		}
		if (kind == ROW_FILL)
			fill_run(G, dst, nl, j, len, fills + (size_t)x * G->es);
		else
			copy_run(G, dst, nl, j, m->in[q]->data, block_rows(m, q), x, len);
		j += len;
	}
}

/* Bring every input to one chunk map along k (k != axis case). */
static int align_inputs(int nin, ha_array *const *in, int k, ha_array **al)
{
	const ha_array *first = NULL;
	int same = 1;
	for (int i = 0; i < nin; i++) {
		if (in[i]->split != k)
			same = 0;
		else if (!first)
			first = in[i];
		else if (memcmp(first->lmap, in[i]->lmap, sizeof(int64_t) * (size_t)in[i]->comm->size))
			same = 0;
	}
	for (int i = 0; i < nin; i++) {
		al[i] = same ? ha_retain(in[i]) : ha_resplit(in[i], k);
		if (!al[i]) {
			while (i-- > 0)
				ha_release(al[i]);
			return -1;
		}
	}
	return 0;
}

ha_array *ha__rowmap(int nin, ha_array *const *in_, int axis, int64_t nout, ha__rowfn fn,
                     const void *ctx, const void *fills, const char *what)
{
	const ha_array *a0 = in_[0];
	ha_comm *c = a0->comm;
	int P = c->size, me = c->rank, nd = a0->ndim, k = -1;
	int64_t gsh[HA_MAXDIM];
	for (int i = 0; i < nin; i++)
		if (in_[i]->split >= 0) {
			if (k >= 0 && in_[i]->split != k) {
				ha_error_set(HA_ERUNTIME, "%s: inputs split along different axes", what);
				return NULL;
			}
			k = in_[i]->split;
		}
	memcpy(gsh, a0->gshape, sizeof(int64_t) * (size_t)nd);
	gsh[axis] = nout;

	ha_array **in = malloc(sizeof(ha_array *) * (size_t)nin);
	int64_t **ioff = calloc((size_t)nin, sizeof(int64_t *));
	ha_array *out = NULL;
	if (!in || !ioff) {
		free(in);
		free(ioff);
		ha_error_set(HA_EMEMORY, "out of memory in %s", what);
		return NULL;
	}
	if (k >= 0 && k != axis) {
		if (align_inputs(nin, in_, k, in)) {
			free(in);
			free(ioff);
			return NULL;
		}
	} else {
		for (int i = 0; i < nin; i++)
			in[i] = ha_retain(in_[i]);
	}
	if (k < 0)
		out = ha_array_alloc(a0->dtype, nd, gsh, -1, a0->device, c);
	else if (k != axis)
		out = ha_array_alloc_lmap(a0->dtype, nd, gsh, k, in[0]->lmap, a0->device, c);
	else
		out = ha_array_alloc(a0->dtype, nd, gsh, k, a0->device, c);
	if (!out)
		goto done;

	geom G = { ha_dtype_size(a0->dtype), 1, 1 };
	for (int d = 0; d < nd; d++) {
		if (d < axis)
			G.pre *= out->lshape[d];
		else if (d > axis)
			G.post *= out->lshape[d];
	}
	mapctx m = { nin, k, axis, me, P, in, ioff, fn, ctx };
	int64_t nl = out->lshape[axis], g0 = (k == axis) ? out->loffset : 0;
	if (k != axis || P == 1) {
		assemble(&m, &G, out, g0, nl, fills, NULL, NULL, 0);
		goto done;
	}

	/* the split axis: prefix offsets of every split input */
	int failed = 0;
	for (int i = 0; i < nin && !failed; i++) {
		if (in[i]->split < 0)
			continue;
		ioff[i] = malloc(sizeof(int64_t) * (size_t)(P + 1));
		if (!ioff[i]) {
			failed = 1;
			break;
		}
		ioff[i][0] = 0;
		for (int r = 0; r < P; r++)
			ioff[i][r + 1] = ioff[i][r] + in[i]->lmap[r];
	}
	int64_t *cnt = calloc((size_t)(4 * P), sizeof(int64_t));
	int64_t *ooff = malloc(sizeof(int64_t) * (size_t)(P + 1));
	if (ha__agree(failed || !cnt || !ooff, ha_gnbytes(out), c, what)) {
		free(cnt);
		free(ooff);
		ha_release(out);
		out = NULL;
		goto done;
	}
	int64_t *sc = cnt, *sd = cnt + P, *rc = cnt + 2 * P, *rd = cnt + 3 * P;
	int64_t rowbytes = G.pre * G.post * (int64_t)G.es;
	ooff[0] = 0;
	for (int r = 0; r < P; r++)
		ooff[r + 1] = ooff[r] + out->lmap[r];

	/* sender: rows of mine that another rank's output needs */
	for (int64_t g = 0; g < nout; g++) {
		int q;
		int64_t r;
		fn(ctx, g, &q, &r);
		if (r < 0 || in[q]->split < 0 || r < ioff[q][me] || r >= ioff[q][me + 1])
			continue;
		int d = ha__owner_of(ooff, P, g);
		if (d != me)
			sc[d] += rowbytes;
	}
	/* receiver: my rows that come from another rank */
	for (int64_t j = 0; j < nl; j++) {
		int q;
		int64_t x;
		if (classify(&m, g0 + j, &q, &x) == ROW_REMOTE)
			rc[x] += rowbytes;
	}
	int64_t st = 0, rt = 0;
	for (int r = 0; r < P; r++) {
		sd[r] = st;
		st += sc[r];
		rd[r] = rt;
		rt += rc[r];
	}
	char *sbuf = ha__malloc((size_t)st), *rbuf = ha__malloc((size_t)rt);
	if (ha__agree(!sbuf || !rbuf, ha_gnbytes(out), c, what)) {
		free(sbuf);
		free(rbuf);
		free(cnt);
		free(ooff);
		ha_release(out);
		out = NULL;
		goto done;
	}
	int64_t *cur = malloc(sizeof(int64_t) * (size_t)P);
	if (!cur) {
		failed = 1;
	} else {
		for (int r = 0; r < P; r++)
			cur[r] = sd[r];
		for (int64_t g = 0; g < nout; g++) {
			int q;
			int64_t r;
			fn(ctx, g, &q, &r);
			if (r < 0 || in[q]->split < 0 || r < ioff[q][me] || r >= ioff[q][me + 1])
				continue;
			int d = ha__owner_of(ooff, P, g);
			if (d == me)
				continue;
			int64_t rl = r - ioff[q][me], sn = in[q]->lshape[axis];
			for (int64_t p = 0; p < G.pre; p++) {
				memcpy(sbuf + cur[d], (const char *)in[q]->data +
				       (size_t)((p * sn + rl) * G.post) * G.es, (size_t)G.post * G.es);
				cur[d] += G.post * (int64_t)G.es;
			}
		}
	}
	if (ha__agree(failed, ha_gnbytes(out), c, what) ||
	    ha_alltoall_bytes(sbuf, sc, sd, rbuf, rc, rd, c, what)) {
		ha_release(out);
		out = NULL;
	} else {
		for (int r = 0; r < P; r++)
			cur[r] = rd[r];
		assemble(&m, &G, out, g0, nl, fills, rbuf, cur, rowbytes);
	}
	free(cur);
	free(sbuf);
	free(rbuf);
	free(cnt);
	free(ooff);
done:
	for (int i = 0; i < nin; i++) {
		free(ioff[i]);
		ha_release(in[i]);
	}
	free(in);
	free(ioff);
	return out;
}
