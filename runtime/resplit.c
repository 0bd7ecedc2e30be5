/*
** resplit.c — change the split axis of an array.
**
**   None -> k : each rank keeps its slice of the replicated data; no
**               communication.
**   k -> None : one Allgatherv; rows go straight into place when the split
**               rows are contiguous in the result (split 0), otherwise each
**               rank's block is gathered whole and unpacked.
**   k -> j    : ONE all-to-all.  Rank r cuts its block (its rows along
**               k, everything along j) along j into the target chunks and
**               places what it receives in its new block (all rows along
**               k, its target rows along j).  Usually one Alltoallw with a
**               vector datatype per peer, straight from the old chunk into
**               the new; large arrays whose strided side has short runs
**               stage that side instead (see use_typed).  Nobody ever holds
**               more than its old and new chunk (plus a bounded stage).
**   k -> k    : redistribute to the balanced map (nothing if balanced).
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"

static ha_array *to_replicated(const ha_array *a)
{
	int P = a->comm->size, k = a->split, contiguous = 1;
	int64_t row = (int64_t)ha_dtype_size(a->dtype), *counts, *displs, off = 0;
	ha_array *b = ha_array_alloc(a->dtype, a->ndim, a->gshape, HA_SPLIT_NONE, a->device,
	                             a->comm);
	char *tmp;
	int rc;
	if (!b)
		return NULL;
	for (int d = 0; d < a->ndim; d++)
		if (d != k)
			row *= a->gshape[d];
	for (int d = 0; d < k; d++)
		if (a->gshape[d] != 1)
			contiguous = 0;
	counts = ha__malloc(sizeof(int64_t) * 2 * (size_t)P);
	tmp = contiguous ? b->data : ha__malloc((size_t)ha_gnbytes(a));
	if (ha__agree(!counts || !tmp, ha_gnbytes(a), a->comm, "resplit") != 0) {
		free(counts);
		if (!contiguous)
			free(tmp);
		ha_release(b);
		return NULL;
	}
	displs = counts + P;
	for (int r = 0; r < P; r++) {
		counts[r] = a->lmap[r] * row;
		displs[r] = off;
		off += counts[r];
	}
	rc = ha_allgather_bytes(a->data, counts[a->comm->rank], tmp, counts, displs, a->comm,
	                        "resplit");
	if (rc == 0 && !contiguous) {
		int64_t box[HA_MAXDIM], zero[HA_MAXDIM] = { 0 }, doff[HA_MAXDIM] = { 0 };
		int64_t rows = 0;
		memcpy(box, a->gshape, sizeof(int64_t) * (size_t)a->ndim);
		for (int r = 0; r < P; r++) {
			box[k] = a->lmap[r];
			doff[k] = rows;
			ha_copy_box(ha_dtype_size(a->dtype), a->ndim, box, tmp + displs[r], box, zero,
			            b->data, b->gshape, doff);
			rows += a->lmap[r];
		}
	}
	free(counts);
	if (!contiguous)
		free(tmp);
	if (rc != 0) {
		ha_release(b);
		return NULL;
	}
	return b;
}

static ha_array *from_replicated(const ha_array *a, int axis)
{
	int64_t off[HA_MAXDIM] = { 0 }, zero[HA_MAXDIM] = { 0 };
	ha_array *b = ha_array_alloc(a->dtype, a->ndim, a->gshape, axis, a->device, a->comm);
	if (!b)
		return NULL;
	off[axis] = b->loffset;
	ha_copy_box(ha_dtype_size(a->dtype), a->ndim, b->lshape, a->data, a->lshape, off, b->data,
	            b->lshape, zero);
	return b;
}

/* Rounds for a large k -> j exchange when one side is contiguous: the
** other side's staging buffer then holds 1/rounds of the chunk.  Decided
** from replicated sizes (identical on every rank); small arrays take one
** round, i.e. one Alltoallv. */
#define STAGE_BYTES ((int64_t)8 << 20)
#define MAX_ROUNDS 8

static int rounds_for(const ha_array *a)
{
	int64_t g = ha_gnbytes(a) / ((int64_t)a->comm->size * STAGE_BYTES);
	return g < 1 ? 1 : g > MAX_ROUNDS ? MAX_ROUNDS : (int)g;
}

/* Rows [lo, hi) of group g when n rows are cut into G groups. */
static void group(int64_t n, int g, int G, int64_t *lo, int64_t *hi)
{
	*lo = n * g / G;
	*hi = n * (g + 1) / G;
}

/* k -> j when k == 0 or j == 0: the side whose blocks are contiguous rows
** along axis 0 (the receiving side when k == 0, the sending side when
** j == 0) talks to the array's own memory; only the other side is staged,
** in `rounds` Alltoallvs of 1/rounds of the chunk each.  Memory: old
** chunk + new chunk + 1/rounds of a chunk, and no page of a full-size
** staging buffer to fault in. */
static int swap_axes_rows(const ha_array *a, ha_array *b, int j, int G)
{
	int P = a->comm->size, me = a->comm->rank, k = a->split, rc = 0;
	size_t es = ha_dtype_size(a->dtype);
	ha__xplan x;
	char *buf = NULL;
	if (ha__xplan_init(&x, P, a->lmap, b->lmap, "resplit") != 0)
		return -1;
	int64_t *sc = x.sc, *sd = x.sd, *rcn = x.rc, *rd = x.rd, *soff = x.soff, *toff = x.toff;
	/* bytes of one row along axis 0 of a's and b's local blocks */
	int64_t arow = (int64_t)es, brow = (int64_t)es;
	for (int d = 1; d < a->ndim; d++) {
		arow *= a->lshape[d];
		brow *= b->lshape[d];
	}
	/* the stage holds the largest group of the staged side: my rows of a
	** (packed to send) when k == 0, my rows of b (received) when j == 0 */
	int64_t staged = k == 0 ? a->lmap[me] : b->lmap[me], most = 0;
	for (int g = 0; g < G; g++) {
		int64_t lo, hi;
		group(staged, g, G, &lo, &hi);
		if (hi - lo > most)
			most = hi - lo;
	}
	buf = ha__malloc((size_t)(most * (k == 0 ? arow : brow)));
	if (ha__agree(!buf, ha_gnbytes(a), a->comm, "resplit") != 0) {
		free(buf);
		ha__xplan_free(&x);
		return -1;
	}
	int64_t box[HA_MAXDIM], off[HA_MAXDIM], zero[HA_MAXDIM] = { 0 };
	for (int g = 0; rc == 0 && g < G; g++) {
		int64_t lo, hi, tot = 0;
		if (k == 0) {
			/* pack my rows of group g, cut along j for each peer; receive
			** every peer's rows straight into b's rows */
			group(a->lmap[me], g, G, &lo, &hi);
			memcpy(box, a->lshape, sizeof(int64_t) * (size_t)a->ndim);
			memset(off, 0, sizeof off);
			box[0] = hi - lo;
			off[0] = lo;
			for (int r = 0; r < P; r++) {
				box[j] = b->lmap[r];
				off[j] = toff[r];
				sd[r] = tot;
				if (r == me) {
					/* my own piece goes straight into b: one copy, not two */
					int64_t doff[HA_MAXDIM] = { 0 };
					doff[0] = soff[me] + lo;
					ha_copy_box(es, a->ndim, box, a->data, a->lshape, off, b->data, b->lshape, doff);
					sc[r] = 0;
					continue;
				}
				sc[r] = (hi - lo) * b->lmap[r] * (arow / a->lshape[j]);
				ha_copy_box(es, a->ndim, box, a->data, a->lshape, off, buf + tot, box, zero);
				tot += sc[r];
			}
			for (int r = 0; r < P; r++) {
				int64_t rl, rh;
				group(a->lmap[r], g, G, &rl, &rh);
				rcn[r] = r == me ? 0 : (rh - rl) * brow;
				rd[r] = (soff[r] + rl) * brow;
			}
			rc = ha_alltoall_bytes(buf, sc, sd, b->data, rcn, rd, a->comm, "resplit");
		} else {
			/* send my rows along axis 0 of each peer's group g straight
			** from a; receive into the stage and unpack along k */
			for (int r = 0; r < P; r++) {
				int64_t rl, rh;
				group(b->lmap[r], g, G, &rl, &rh);
				sc[r] = r == me ? 0 : (rh - rl) * arow;
				sd[r] = (toff[r] + rl) * arow;
			}
			group(b->lmap[me], g, G, &lo, &hi);
			for (int r = 0; r < P; r++) {
				rcn[r] = r == me ? 0 : (hi - lo) * (brow / b->lshape[k]) * a->lmap[r];
				rd[r] = tot;
				tot += rcn[r];
			}
			{
				/* my own piece: rows lo..hi of my target rows, straight into b */
				int64_t sbox[HA_MAXDIM], so[HA_MAXDIM] = { 0 }, dof[HA_MAXDIM] = { 0 };
				memcpy(sbox, a->lshape, sizeof(int64_t) * (size_t)a->ndim);
				sbox[0] = hi - lo;
				so[0] = toff[me] + lo;
				dof[0] = lo;
				dof[k] = soff[me];
				ha_copy_box(es, a->ndim, sbox, a->data, a->lshape, so, b->data, b->lshape, dof);
			}
			rc = ha_alltoall_bytes(a->data, sc, sd, buf, rcn, rd, a->comm, "resplit");
			memcpy(box, b->lshape, sizeof(int64_t) * (size_t)a->ndim);
			memset(off, 0, sizeof off);
			box[0] = hi - lo;
			off[0] = lo;
			for (int r = 0; rc == 0 && r < P; r++) {
				if (r == me)
					continue;
				box[k] = a->lmap[r];
				off[k] = soff[r];
				ha_copy_box(es, a->ndim, box, buf + rd[r], box, zero, b->data, b->lshape, off);
			}
		}
	}
	free(buf);
	ha__xplan_free(&x);
	return rc;
}

/* The block of a local chunk of shape `shape` that is full along every axis
** but `axis`, where it covers [start, start + n): O runs of n*I bytes, A*I
** bytes apart, starting start*I bytes in (O: product of the axes before
** `axis`, A: its length, I: bytes per index along it).  A committed vector
** of MPI_BYTE; an empty block is a zero count of MPI_BYTE. */
static void block_type(size_t es, int ndim, const int64_t *shape, int axis, int64_t start,
                       int64_t n, MPI_Datatype *t, int *count, int *disp)
{
	int64_t O = 1, I = (int64_t)es;
	for (int d = 0; d < axis; d++)
		O *= shape[d];
	for (int d = axis + 1; d < ndim; d++)
		I *= shape[d];
	*t = MPI_BYTE;
	*count = 0;
	*disp = 0;
	if (O == 0 || I == 0 || n == 0)
		return;
	MPI_Type_vector((int)O, (int)(n * I), (int)(shape[axis] * I), MPI_BYTE, t);
	MPI_Type_commit(t);
	*count = 1;
	*disp = (int)(start * I);
}

/* Whether every block_type of a chunk of this array, cut along `axis`,
** has int counts, strides and displacements.  From the global shape (a
** bound on every local one), so every rank decides the same. */
static int blocks_fit(const ha_array *a, int axis)
{
	int64_t O = 1, AI = (int64_t)ha_dtype_size(a->dtype);
	for (int d = 0; d < a->ndim; d++) {
		if (d < axis)
			O *= a->gshape[d];
		else
			AI *= a->gshape[d];
	}
	return O <= INT_MAX && AI <= INT_MAX;
}

/* k -> j without staging: ONE Alltoallw straight from a's chunk into b's,
** each peer's block described by a vector type (my rows along k cut along
** j on the way out, r's rows along k placed among b's on the way in); my
** own block is one box copy.  Memory: old chunk + new chunk. */
static int swap_axes_typed(const ha_array *a, ha_array *b, int j)
{
	int P = a->comm->size, me = a->comm->rank, k = a->split, rc;
	size_t es = ha_dtype_size(a->dtype);
	ha__xplan x;
	if (ha__xplan_init(&x, P, a->lmap, b->lmap, "resplit") != 0)
		return -1;
	int *ic = ha__malloc(sizeof(int) * 4 * (size_t)P);
	MPI_Datatype *ty = ha__malloc(sizeof(MPI_Datatype) * 2 * (size_t)P);
	if (ha__agree(!ic || !ty, ha_gnbytes(a), a->comm, "resplit") != 0) {
		free(ic);
		free(ty);
		ha__xplan_free(&x);
		return -1;
	}
	int *sc = ic, *sd = ic + P, *rcn = ic + 2 * P, *rd = ic + 3 * P;
	MPI_Datatype *st = ty, *rt = ty + P;
	for (int r = 0; r < P; r++) {
		if (r == me) {
			sc[r] = rcn[r] = sd[r] = rd[r] = 0;
			st[r] = rt[r] = MPI_BYTE;
			continue;
		}
		block_type(es, a->ndim, a->lshape, j, x.toff[r], b->lmap[r], &st[r], &sc[r], &sd[r]);
		block_type(es, b->ndim, b->lshape, k, x.soff[r], a->lmap[r], &rt[r], &rcn[r], &rd[r]);
	}
	rc = ha_alltoallw(a->data, sc, sd, st, b->data, rcn, rd, rt, a->comm, "resplit");
	if (rc == 0) {
		int64_t box[HA_MAXDIM], so[HA_MAXDIM] = { 0 }, dof[HA_MAXDIM] = { 0 };
		memcpy(box, a->lshape, sizeof(int64_t) * (size_t)a->ndim);
		box[j] = b->lmap[me];
		so[j] = x.toff[me];
		dof[k] = x.soff[me];
		ha_copy_box(es, a->ndim, box, a->data, a->lshape, so, b->data, b->lshape, dof);
	}
	for (int r = 0; r < 2 * P; r++)
		if (ty[r] != MPI_BYTE)
			MPI_Type_free(&ty[r]);
	free(ic);
	free(ty);
	ha__xplan_free(&x);
	return rc;
}

/* Which k -> j exchange to run: the typed Alltoallw (no staging) or the
** staged Alltoallv.  Measured with Open MPI 4.1 (ob1/vader, 2 ranks,
** float32, 2-D and 3-D, both directions): the datatype engine packs and
** unpacks each contiguous run of a derived type itself, at a cost per run,
** while staging pays a second pass over memory.
**   - k and j both > 0: every block is strided on both sides and the staged
**     path packs AND unpacks everything through full-size buffers; typed
**     was 2-4x faster (and holds no staging memory).  Typed.
**   - one round (arrays under 2 P STAGE_BYTES): the staged path allocates
**     and faults in full send and receive buffers; typed was 1.1-1.8x
**     faster down to 100 x 100.  Typed.
**   - k == 0 or j == 0 on large arrays: one side talks to its own memory
**     in the staged path too.  Typed won when the strided side's runs are
**     at least TYPED_RUN bytes (8192^2: 16 KiB runs, 1.2-1.8x; 4 KiB runs
**     and below were even or up to 1.3x slower, mostly when receiving
**     into the strided side), so the staged rows path keeps short runs.
** Datatypes need int counts/strides; arrays too large for them stage. */
#define TYPED_RUN ((int64_t)8 << 10)

static int use_typed(const ha_array *a, int j)
{
	int k = a->split, P = a->comm->size;
	if (!blocks_fit(a, j) || !blocks_fit(a, k))
		return 0;
	if ((k != 0 && j != 0) || rounds_for(a) == 1)
		return 1;
	/* the strided side cuts along j (sending, k == 0) or k (receiving,
	** j == 0) into runs of (its smallest chunk) x (the axes after it) */
	int cut = k == 0 ? j : k;
	int64_t run = (int64_t)ha_dtype_size(a->dtype) * (a->gshape[cut] / P);
	for (int d = cut + 1; d < a->ndim; d++)
		run *= a->gshape[d];
	return run >= TYPED_RUN;
}

static ha_array *swap_axes(const ha_array *a, int j)
{
	int P = a->comm->size, me = a->comm->rank, k = a->split, rc = -1;
	size_t es = ha_dtype_size(a->dtype);
	ha_array *b = ha_array_alloc(a->dtype, a->ndim, a->gshape, j, a->device, a->comm);
	ha__xplan x;
	int64_t *sc, *sd, *rc_, *rd, *soff, *toff, stot = 0, rtot = 0;
	char *sbuf, *rbuf;
	if (!b)
		return NULL;
	if (P == 1) {
		memcpy(b->data, a->data, (size_t)ha_lnbytes(a));
		return b;
	}
	if (use_typed(a, j)) {
		if (swap_axes_typed(a, b, j)) {
			ha_release(b);
			return NULL;
		}
		return b;
	}
	if ((k == 0 || j == 0) && rounds_for(a) > 1) {
		if (swap_axes_rows(a, b, j, rounds_for(a))) {
			ha_release(b);
			return NULL;
		}
		return b;
	}
	int64_t plane = (int64_t)es;   /* bytes per (row along k, row along j) pair */
	for (int d = 0; d < a->ndim; d++)
		if (d != k && d != j)
			plane *= a->gshape[d];
	if (ha__xplan_init(&x, P, a->lmap, b->lmap, "resplit") != 0) {
		ha_release(b);
		return NULL;
	}
	sc = x.sc, sd = x.sd, rc_ = x.rc, rd = x.rd, soff = x.soff, toff = x.toff;
	for (int r = 0; r < P; r++) {
		sc[r] = a->lmap[me] * b->lmap[r] * plane;
		sd[r] = stot;
		stot += sc[r];
		rc_[r] = a->lmap[r] * b->lmap[me] * plane;
		rd[r] = rtot;
		rtot += rc_[r];
	}
	sbuf = ha__malloc((size_t)stot);
	rbuf = ha__malloc((size_t)rtot);
	if (ha__agree(!sbuf || !rbuf, ha_gnbytes(a), a->comm, "resplit") == 0) {
		int64_t box[HA_MAXDIM], off[HA_MAXDIM] = { 0 }, zero[HA_MAXDIM] = { 0 };
		memcpy(box, a->lshape, sizeof(int64_t) * (size_t)a->ndim);
		for (int r = 0; r < P; r++) {   /* pack: my rows along k, r's target rows along j */
			box[j] = b->lmap[r];
			off[j] = toff[r];
			ha_copy_box(es, a->ndim, box, a->data, a->lshape, off, sbuf + sd[r], box, zero);
		}
		rc = ha_alltoall_bytes(sbuf, sc, sd, rbuf, rc_, rd, a->comm, "resplit");
		memcpy(box, b->lshape, sizeof(int64_t) * (size_t)a->ndim);
		off[j] = 0;
		for (int r = 0; rc == 0 && r < P; r++) {   /* unpack r's rows along k */
			box[k] = a->lmap[r];
			off[k] = soff[r];
			ha_copy_box(es, a->ndim, box, rbuf + rd[r], box, zero, b->data, b->lshape, off);
		}
	}
	free(sbuf);
	free(rbuf);
	ha__xplan_free(&x);
	if (rc != 0) {
		ha_release(b);
		return NULL;
	}
	return b;
}

ha_array *ha_resplit(const ha_array *a, int axis)
{
	if (axis < -1 || axis >= a->ndim) {
		ha_error_set(HA_EVALUE, "axis %d is out of bounds for an array of dimension %d", axis,
		             a->ndim);
		return NULL;
	}
	if (axis == a->split) {
		if (axis < 0 || ha_is_balanced(a))
			return ha_copy(a);
		int64_t *map = ha__malloc(sizeof(int64_t) * (size_t)a->comm->size);
		ha_array *b;
		if (!map) {
			ha_error_set(HA_EMEMORY, "out of memory in resplit");
			return NULL;
		}
		ha_chunk_map(a->gshape[axis], a->comm->size, map);
		b = ha_redistribute(a, map);
		free(map);
		return b;
	}
	if (a->split < 0)
		return from_replicated(a, axis);
	if (axis < 0)
		return to_replicated(a);
	return swap_axes(a, axis);
}

int ha_resplit_(ha_array *a, int axis)
{
	ha_array *b;
	if (axis == a->split && (axis < 0 || ha_is_balanced(a)))
		return 0;
	b = ha_resplit(a, axis);
	if (!b)
		return -1;
	ha_array_swap(a, b);
	ha_release(b);
	return 0;
}
