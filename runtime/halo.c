/*
** halo.c — halo exchange along the split axis (Heat's get_halo).
**
** A stencil on a split array needs a few rows of its neighbours: each
** populated rank sends its first rows to the previous populated rank and
** its last rows to the next one.  Empty chunks (more ranks than rows, or a
** redistributed array) are skipped so the chain of populated ranks stays
** connected.  Both directions are posted together (two non-blocking
** exchanges, one wait), so the cost is one neighbour round trip.
*/
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "ha_dist.h"

/* Large halos agree on allocation failure before any message is posted
** (a rank that cannot post would leave its neighbours waiting). */
#define AGREE_BYTES ((int64_t)64 << 20)

/* The slab of `halo` rows starting at row `start` along axis d, packed
** C-contiguous into dst (a plain pointer into the chunk when the slab is
** contiguous there already: every axis before d has length 1). */
static const void *slab(const ha_array *a, int64_t start, int64_t halo, void *dst)
{
	int d = a->split;
	size_t es = ha_dtype_size(a->dtype);
	int64_t outer = 1;
	for (int k = 0; k < d; k++)
		outer *= a->lshape[k];
	if (outer == 1) {
		int64_t inner = 1;
		for (int k = d + 1; k < a->ndim; k++)
			inner *= a->lshape[k];
		return (const char *)a->data + (size_t)(start * inner) * es;
	}
	int64_t box[HA_MAXDIM], soff[HA_MAXDIM] = { 0 }, doff[HA_MAXDIM] = { 0 };
	memcpy(box, a->lshape, sizeof(int64_t) * (size_t)a->ndim);
	box[d] = halo;
	soff[d] = start;
	ha_copy_box(es, a->ndim, box, a->data, a->lshape, soff, dst, box, doff);
	return dst;
}

int ha_get_halo(const ha_array *a, int64_t halo, int want_prev, int want_next,
                ha_comm *local, ha_array **prev, ha_array **next)
{
	*prev = *next = NULL;
	if (halo < 0)
		return ha_error_set(HA_EVALUE, "halo_size needs to be a non-negative Python integer, %lld given",
		                    (long long)halo);
	if (!ha_is_distributed(a) || halo == 0)
		return 0;
	int P = a->comm->size, me = a->comm->rank, d = a->split;
	int64_t smallest = -1;
	for (int r = 0; r < P; r++)
		if (a->lmap[r] > 0 && (smallest < 0 || a->lmap[r] < smallest))
			smallest = a->lmap[r];
	if (smallest >= 0 && halo > smallest)
		return ha_error_set(HA_EVALUE, "halo_size %lld needs to be smaller than chunk-size %lld "
		                    "(the smallest populated chunk along the split axis)",
		                    (long long)halo, (long long)smallest);
	int pr = MPI_PROC_NULL, nr = MPI_PROC_NULL;
	for (int r = me - 1; r >= 0; r--)
		if (a->lmap[r] > 0) {
			pr = r;
			break;
		}
	for (int r = me + 1; r < P; r++)
		if (a->lmap[r] > 0) {
			nr = r;
			break;
		}
	int populated = a->lmap[me] > 0;
	int64_t hshape[HA_MAXDIM];
	memcpy(hshape, a->lshape, sizeof(int64_t) * (size_t)a->ndim);
	hshape[d] = halo;
	int64_t nbytes = (int64_t)ha_dtype_size(a->dtype);
	for (int k = 0; k < a->ndim; k++)
		nbytes *= hshape[k];
	/* what this rank sends: its last rows forward (for the next rank's
	** halo_prev), its first rows backward (for the previous one's
	** halo_next) */
	int send_fwd = populated && want_prev && nr != MPI_PROC_NULL;
	int send_bwd = populated && want_next && pr != MPI_PROC_NULL;
	int recv_prev = populated && want_prev && pr != MPI_PROC_NULL;
	int recv_next = populated && want_next && nr != MPI_PROC_NULL;
	void *fbuf = NULL, *bbuf = NULL;
	int bad = 0;
	if (send_fwd && !(fbuf = malloc((size_t)nbytes)))
		bad = 1;
	if (send_bwd && !(bbuf = malloc((size_t)nbytes)))
		bad = 1;
	if (recv_prev && !(*prev = ha_array_alloc(a->dtype, a->ndim, hshape, HA_SPLIT_NONE, a->device, local)))
		bad = 1;
	if (recv_next && !(*next = ha_array_alloc(a->dtype, a->ndim, hshape, HA_SPLIT_NONE, a->device, local)))
		bad = 1;
	if (nbytes >= AGREE_BYTES) {
		int any = bad;
		if (ha_allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, a->comm, "halo"))
			any = 1;
		bad = any;
	}
	int rc = 0;
	if (bad) {
		rc = ha_error_set(HA_EMEMORY, "out of memory in get_halo");
		goto out;
	}
	ha_request rq_prev, rq_next;
	int posted_prev = 0, posted_next = 0;
	if (send_fwd || recv_prev) {
		const void *s = send_fwd ? slab(a, a->lshape[d] - halo, halo, fbuf) : NULL;
		rc = ha_isendrecv_bytes(s, send_fwd ? nbytes : 0, send_fwd ? nr : MPI_PROC_NULL,
		                        recv_prev ? (*prev)->data : NULL, recv_prev ? nbytes : 0,
		                        recv_prev ? pr : MPI_PROC_NULL, a->comm, "halo", &rq_prev);
		posted_prev = rc == 0;
	}
	if (rc == 0 && (send_bwd || recv_next)) {
		const void *s = send_bwd ? slab(a, 0, halo, bbuf) : NULL;
		rc = ha_isendrecv_bytes(s, send_bwd ? nbytes : 0, send_bwd ? pr : MPI_PROC_NULL,
		                        recv_next ? (*next)->data : NULL, recv_next ? nbytes : 0,
		                        recv_next ? nr : MPI_PROC_NULL, a->comm, "halo", &rq_next);
		posted_next = rc == 0;
	}
	if (posted_prev && ha_wait(&rq_prev))
		rc = -1;
	if (posted_next && ha_wait(&rq_next))
		rc = -1;
out:
	free(fbuf);
	free(bbuf);
	if (rc) {
		ha_release(*prev);
		ha_release(*next);
		*prev = *next = NULL;
	}
	return rc;
}
