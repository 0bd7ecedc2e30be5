/*
** resplit.c — change the split axis of an array.
**
**   None -> k : each rank keeps its slice of the replicated data; no
**               communication.
**   k -> None : one Allgatherv; rows go straight into place when the split
**               rows are contiguous in the result (split 0), otherwise each
**               rank's block is gathered whole and unpacked.
**   k -> j    : ONE Alltoallv.  Rank r cuts its block (its rows along k,
**               everything along j) along j into the target chunks, packs
**               the piece for each destination contiguously, and unpacks
**               what it receives into its new block (all rows along k, its
**               target rows along j).  Nobody ever holds more than its
**               old and new chunk.
**   k -> k    : redistribute to the balanced map (nothing if balanced).
*/
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

static ha_array *swap_axes(const ha_array *a, int j)
{
	int P = a->comm->size, me = a->comm->rank, k = a->split, rc = -1;
	size_t es = ha_dtype_size(a->dtype);
	ha_array *b = ha_array_alloc(a->dtype, a->ndim, a->gshape, j, a->device, a->comm);
	int64_t *cnt, *sc, *sd, *rc_, *rd, *soff, *toff, stot = 0, rtot = 0;
	char *sbuf, *rbuf;
	if (!b)
		return NULL;
	if (P == 1) {
		memcpy(b->data, a->data, (size_t)ha_lnbytes(a));
		return b;
	}
	int64_t plane = (int64_t)es;   /* bytes per (row along k, row along j) pair */
	for (int d = 0; d < a->ndim; d++)
		if (d != k && d != j)
			plane *= a->gshape[d];
	cnt = ha__malloc(sizeof(int64_t) * 6 * (size_t)P);
	if (!cnt) {
		ha_release(b);
		ha_error_set(HA_EMEMORY, "out of memory in resplit");
		return NULL;
	}
	sc = cnt;
	sd = cnt + P;
	rc_ = cnt + 2 * P;
	rd = cnt + 3 * P;
	soff = cnt + 4 * P;
	toff = cnt + 5 * P;
	soff[0] = toff[0] = 0;
	for (int r = 1; r < P; r++) {
		soff[r] = soff[r - 1] + a->lmap[r - 1];
		toff[r] = toff[r - 1] + b->lmap[r - 1];
	}
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
	free(cnt);
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
