/*
** matmul.c — ha_matmul: products of distributed matrices, vectors and
** stacks of matrices.
**
** The 2-D algorithms are chosen by the split pair (see ha_linalg.h for the
** table).  Only Heat's split of the result is kept; the way there is
** different where Heat needs O(n^2) memory per rank:
**   - "b-ring" (result split 0): every rank owns rows of C and the rows of
**     A they need (A split 0, or a replicated A sliced for free); b's
**     chunks (row or column blocks) travel around the ring rank -> rank-1.
**   - "a-ring" (result split 1): every rank owns columns of C and the
**     matching columns of B; a's column chunks travel around the ring.
** Each of the P-1 steps posts the next chunk's exchange (ha_isendrecv)
** before multiplying the chunk in hand; the GEMM is cut into row panels
** with an ha_test between them so MPI moves large messages meanwhile.
** Memory per rank: own chunks, C's chunk and two chunk buffers.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "../internal.h"
#include "../../kernels/cpu/hk.h"
#include "../../kernels/cpu/hk_gemm.h"

#define WHAT "matmul"

static const char sig[] = "(n?,k),(k,m?)->(n?,m?)";

/* Result split of a 2-D product from the operands' splits (Heat's table). */
static int pair_split(int sa, int sb)
{
	if (sa == 0)
		return 0;
	if (sa == 1)
		return 1;
	return sb;      /* None/None -> None, None/0 -> 0, None/1 -> 1 */
}

static void offsets(const int64_t *lmap, int P, int64_t *off)
{
	off[0] = 0;
	for (int i = 0; i < P; i++)
		off[i + 1] = off[i] + lmap[i];
}

/* ---- the ring ---- */

/* One GEMM, cut into row panels when an exchange is in flight so that
** ha_test can progress it between panels. */
static int gemm_panels(int t, int64_t m, int64_t n, int64_t k, const char *A, int64_t lda,
                       const char *B, int64_t ldb, char *C, int64_t ldc, int acc,
                       ha_request *pending)
{
	size_t es = ha_dtype_size(t);
	int64_t panels = 1;
	if (pending && m >= 128 && n * k >= 65536)
		panels = m / 64 < 8 ? m / 64 : 8;
	for (int64_t p = 0; p < panels; p++) {
		int64_t r0 = m * p / panels, r1 = m * (p + 1) / panels;
		hk_cpu_gemm(t, r1 - r0, n, k, A + (size_t)(r0 * lda) * es, lda, B, ldb,
		            C + (size_t)(r0 * ldc) * es, ldc, acc);
		if (pending && p + 1 < panels && ha_test(pending, NULL))
			return -1;
	}
	return 0;
}

typedef struct ring_ctx {
	int t;                     /* dtype */
	int kind;                  /* 0: b rows, 1: b columns (b-ring); 2: a columns (a-ring) */
	const char *A, *B;         /* the local operand */
	int64_t lda, ldb;
	char *C;
	int64_t rows, cols, ldc;   /* C's local block */
	int64_t k, m;              /* global inner and column sizes */
	const int64_t *off;        /* chunk offsets of the travelling operand */
	const int64_t *len;        /* chunk lengths */
	int first;                 /* no chunk multiplied yet */
} ring_ctx;

static int ring_step(ring_ctx *r, int j, const char *chunk, ha_request *pending)
{
	size_t es = ha_dtype_size(r->t);
	int acc = !r->first;
	r->first = 0;
	switch (r->kind) {
	case 0:   /* C_rows += A_rows[:, off_j : off_j+len_j] @ b_chunk_j (len_j x m) */
		return gemm_panels(r->t, r->rows, r->cols, r->len[j], r->A + (size_t)r->off[j] * es, r->lda,
		                   chunk, r->cols, r->C, r->ldc, acc, pending);
	case 1:   /* C_rows[:, off_j : off_j+len_j] = A_rows @ b_chunk_j (k x len_j) */
		return gemm_panels(r->t, r->rows, r->len[j], r->k, r->A, r->lda, chunk, r->len[j],
		                   r->C + (size_t)r->off[j] * es, r->ldc, 0, pending);
	default:  /* C_cols += a_chunk_j (n x len_j) @ B_cols[off_j : off_j+len_j, :] */
		return gemm_panels(r->t, r->rows, r->cols, r->len[j], chunk, r->len[j],
		                   r->B + (size_t)(r->off[j] * r->ldb) * es, r->ldb, r->C, r->ldc, acc, pending);
	}
}

/* Pass every rank's chunk (bytes[j] long; `mine` is this rank's) around
** the ring; ring_step multiplies each one.  Collective. */
static int ring_run(ha_comm *c, const int64_t *bytes, const void *mine, ring_ctx *r)
{
	int P = c->size, me = c->rank;
	int64_t maxb = 0;
	for (int j = 0; j < P; j++)
		if (bytes[j] > maxb)
			maxb = bytes[j];
	char *buf[2] = { NULL, NULL };
	if (P > 1) {
		buf[0] = ha__malloc((size_t)maxb);
		buf[1] = ha__malloc((size_t)maxb);
	}
	if (ha__agree(P > 1 && (!buf[0] || !buf[1]), 2 * maxb * P, c, WHAT)) {
		free(buf[0]);
		free(buf[1]);
		return -1;
	}
	const char *cur = mine;
	int rc = 0, nb = 0;
	for (int s = 0; s < P && rc == 0; s++) {
		int j = (me + s) % P;
		ha_request req;
		int posted = 0;
		if (s + 1 < P) {
			int jn = (me + s + 1) % P;
			rc = ha_isendrecv_bytes(cur, bytes[j], (me + P - 1) % P, buf[nb], bytes[jn],
			                        (me + 1) % P, c, WHAT, &req);
			posted = rc == 0;
		}
		if (rc == 0)
			rc = ring_step(r, j, cur, posted ? &req : NULL);
		if (posted && ha_wait(&req))
			rc = -1;
		cur = buf[nb];
		nb ^= 1;
	}
	free(buf[0]);
	free(buf[1]);
	return rc;
}

/* ---- 2-D ---- */

/* a (n x k) @ b (k x m), both of dtype t, 2-D, same communicator. */
static ha_array *mm2d(const ha_array *a, const ha_array *b)
{
	ha_comm *c = a->comm;
	int P = c->size, t = a->dtype;
	size_t es = ha_dtype_size(t);
	int64_t n = a->gshape[0], k = a->gshape[1], m = b->gshape[1];
	int sa = a->split, sb = b->split, rs = pair_split(sa, sb);
	int64_t shape[2] = { n, m };

	if (sa == 1 && sb == 0) {
		/* Heat's way: b to split 1, then the column ring */
		ha_array *b1 = ha_resplit(b, 1);
		if (!b1)
			return NULL;
		ha_array *r = mm2d(a, b1);
		ha_release(b1);
		return r;
	}
	const int64_t *lmap = rs == 0 && sa == 0 ? a->lmap : rs == 1 && sb == 1 ? b->lmap : NULL;
	ha_array *C = ha_array_alloc_lmap(t, 2, shape, rs, lmap, a->device, c);
	if (!C)
		return NULL;
	int64_t crow0 = rs == 0 ? C->loffset : 0, ccol0 = rs == 1 ? C->loffset : 0;

	if ((sa < 0 && sb < 0) || (sa == 0 && sb < 0) || (sa < 0 && sb == 1)) {
		/* local: the operands hold exactly what C's chunk needs */
		hk_cpu_gemm(t, C->lshape[0], C->lshape[1], k, a->data, k, b->data, b->lshape[1],
		            C->data, C->lshape[1], 0);
		return C;
	}

	int64_t *off = malloc(sizeof(int64_t) * (size_t)(2 * P + 1));
	int64_t *bytes = off ? off + P + 1 : NULL;
	if (!off) {
		ha_release(C);
		ha_error_set(HA_EMEMORY, "out of memory");
		return NULL;
	}
	ring_ctx r = { .t = t, .C = C->data, .rows = C->lshape[0], .cols = C->lshape[1],
	               .ldc = C->lshape[1], .k = k, .m = m, .off = off, .first = 1 };
	const void *mine;
	if (rs == 0) {
		/* b-ring: my rows of A (a's chunk, or a slice of a replicated a) */
		r.A = (const char *)a->data + (sa == 0 ? 0 : (size_t)(crow0 * k) * es);
		r.lda = k;
		r.kind = sb == 0 ? 0 : 1;
		r.len = b->lmap;
		offsets(b->lmap, P, off);
		for (int j = 0; j < P; j++)
			bytes[j] = (sb == 0 ? b->lmap[j] * m : k * b->lmap[j]) * (int64_t)es;
		mine = b->data;
	} else {
		/* a-ring: my columns of B (b's chunk, or a slice of a replicated b) */
		r.kind = 2;
		r.B = (const char *)b->data + (sb == 1 ? 0 : (size_t)ccol0 * es);
		r.ldb = b->lshape[1];
		r.len = a->lmap;
		offsets(a->lmap, P, off);
		for (int j = 0; j < P; j++)
			bytes[j] = n * a->lmap[j] * (int64_t)es;
		mine = a->data;
	}
	int rc = ring_run(c, bytes, mine, &r);
	free(off);
	if (rc) {
		ha_release(C);
		return NULL;
	}
	return C;
}

/* ---- helpers for the public entry ---- */

static ha_array *as_type(const ha_array *x, ha_dtype t)
{
	return x->dtype == t ? ha_retain((ha_array *)x) : ha_astype(x, t);
}

static int core_mismatch(int64_t got, int64_t want)
{
	return ha_error_set(HA_EVALUE, "matmul: Input operand 1 has a mismatch in its core dimension 0, "
	                    "with gufunc signature %s (size %lld is different from %lld)", sig,
	                    (long long)got, (long long)want);
}

/* 1-D . 1-D: align b's chunk to a's (or a's to b's), local dot, Allreduce. */
static ha_array *vecvec(const ha_array *a, const ha_array *b)
{
	ha_comm *c = a->comm;
	int t = a->dtype;
	size_t es = ha_dtype_size(t);
	const ha_array *lead = a->split == 0 ? a : b->split == 0 ? b : NULL;
	const ha_array *other = lead == a ? b : a;
	ha_array *held = NULL;
	const char *pa, *pb;
	int64_t len;
	if (!lead) {
		pa = a->data;
		pb = b->data;
		len = a->gshape[0];
	} else {
		if (other->split == 0 && memcmp(other->lmap, lead->lmap, sizeof(int64_t) * (size_t)c->size)) {
			held = ha_redistribute(other, lead->lmap);
			if (!held)
				return NULL;
			other = held;
		}
		len = lead->lshape[0];
		pa = lead->data;
		pb = (const char *)other->data + (other->split == 0 ? 0 : (size_t)lead->loffset * es);
	}
	ha_array *r = ha_array_alloc(t, 0, NULL, HA_SPLIT_NONE, a->device, c);
	if (!r) {
		ha_release(held);
		return NULL;
	}
	hk_cpu_gemm(t, 1, 1, len, pa, len, pb, 1, r->data, 1, 0);
	ha_release(held);
	if (lead && c->size > 1) {
		char tmp[16];
		memcpy(tmp, r->data, es);
		if (ha_allreduce(tmp, r->data, 1, ha_mpi_type(t), t == HA_BOOL ? MPI_LOR : MPI_SUM, c, WHAT)) {
			ha_release(r);
			return NULL;
		}
	}
	return r;
}

/* Along the result's batch split axis, where does operand x (ndim nx, its
** axes aligned to the right of the result's nd axes) keep its data?  Make
** x's core axes local and its batch axis `ax` either broadcast (extent 1,
** whole), split like the result (lmap), or replicated (sliced by shift).
** Returns a new reference; *shift is the global offset of its local data
** along that axis. */
static ha_array *align_batch(const ha_array *x, int ax, const int64_t *lmap, ha_comm *c,
                             int64_t *shift)
{
	*shift = 0;
	int bcast = ax < 0 || x->gshape[ax] == 1;
	if (bcast || x->split < 0 || c->size == 1) {
		/* needs its whole extent: gather when split */
		if (x->split >= 0 && c->size > 1 && bcast)
			return ha_resplit(x, HA_SPLIT_NONE);
		if (x->split >= 0 && c->size > 1)
			goto split_it;
		if (!bcast && x->split < 0)
			*shift = -1;   /* replicated: slice by the result's offset */
		return ha_retain((ha_array *)x);
	}
split_it:
	if (x->split != ax) {
		ha_array *y = ha_resplit(x, ax);
		if (!y)
			return NULL;
		if (memcmp(y->lmap, lmap, sizeof(int64_t) * (size_t)c->size)) {
			ha_array *z = ha_redistribute(y, lmap);
			ha_release(y);
			return z;
		}
		return y;
	}
	if (memcmp(x->lmap, lmap, sizeof(int64_t) * (size_t)c->size))
		return ha_redistribute(x, lmap);
	return ha_retain((ha_array *)x);
}

/* Local data pointer of operand x's matrix for result batch index bi[]. */
static const char *batch_ptr(const ha_array *x, int nd, const int64_t *bi, int rsplit, int64_t shift)
{
	int nbx = x->ndim - 2, lead = (nd - 2) - nbx;
	int64_t flat = 0;
	for (int d = 0; d < nbx; d++) {
		int od = d + lead;
		int64_t ext = x->lshape[d];
		int64_t i = x->gshape[d] == 1 ? 0 : bi[od] + (od == rsplit ? shift : 0);
		flat = flat * ext + i;
	}
	return (const char *)x->data + (size_t)(flat * x->lshape[nbx] * x->lshape[nbx + 1]) * ha_dtype_size(x->dtype);
}

/* Stacks: split on a batch axis (or nowhere): every rank multiplies its
** own matrices. */
static ha_array *batched_local(const ha_array *a, const ha_array *b, int nd, const int64_t *oshape,
                               int rsplit)
{
	ha_comm *c = a->comm;
	int t = a->dtype;
	ha_array *C = NULL, *A = NULL, *B = NULL;
	const int64_t *lmap = NULL;
	if (rsplit >= 0) {
		int lead_a = nd - a->ndim;
		const ha_array *dom = (a->split >= 0 && a->split + lead_a == rsplit && a->gshape[a->split] != 1) ? a : b;
		lmap = dom->lmap;
	}
	C = ha_array_alloc_lmap(t, nd, oshape, rsplit, lmap, a->device, c);
	if (!C)
		return NULL;
	int64_t sha = 0, shb = 0;
	if (rsplit >= 0) {
		A = align_batch(a, rsplit - (nd - a->ndim), C->lmap, c, &sha);
		B = A ? align_batch(b, rsplit - (nd - b->ndim), C->lmap, c, &shb) : NULL;
	} else {
		A = a->split >= 0 ? ha_resplit(a, HA_SPLIT_NONE) : ha_retain((ha_array *)a);
		B = !A ? NULL : b->split >= 0 ? ha_resplit(b, HA_SPLIT_NONE) : ha_retain((ha_array *)b);
	}
	if (!A || !B) {
		ha_release(A);
		ha_release(C);
		return NULL;
	}
	/* a replicated operand is sliced by the result's local offset */
	if (sha < 0)
		sha = C->loffset;
	if (shb < 0)
		shb = C->loffset;
	/* an operand split like C indexes its local data from 0 */
	int64_t n = oshape[nd - 2], k = a->gshape[a->ndim - 1], m = oshape[nd - 1];
	int64_t nbatch = 1;
	for (int d = 0; d < nd - 2; d++)
		nbatch *= C->lshape[d];
	size_t es = ha_dtype_size(t);
	int64_t bi[HA_MAXDIM];
	for (int64_t f = 0; f < nbatch; f++) {
		int64_t rem = f;
		for (int d = nd - 3; d >= 0; d--) {
			bi[d] = rem % C->lshape[d];
			rem /= C->lshape[d];
		}
		hk_cpu_gemm(t, n, m, k, batch_ptr(A, nd, bi, rsplit, sha), k, batch_ptr(B, nd, bi, rsplit, shb), m,
		            (char *)C->data + (size_t)(f * n * m) * es, m, 0);
	}
	ha_release(A);
	ha_release(B);
	return C;
}

/* A 2-D array holding matrix `f` (flat batch index of x's own batch
** shape) of x, with x's core split and chunk map.  Local copy. */
static ha_array *matrix_of(const ha_array *x, int64_t f)
{
	int nb = x->ndim - 2;
	int64_t shape[2] = { x->gshape[nb], x->gshape[nb + 1] };
	int s = x->split >= nb ? x->split - nb : HA_SPLIT_NONE;
	ha_array *y = ha_array_alloc_lmap(x->dtype, 2, shape, s, s >= 0 ? x->lmap : NULL, x->device, x->comm);
	if (!y)
		return NULL;
	size_t nbytes = (size_t)ha_lnbytes(y);
	memcpy(y->data, (const char *)x->data + f * nbytes, nbytes);
	return y;
}

/* Stacks split on a core axis: the 2-D algorithm for each matrix. */
static ha_array *batched_rings(const ha_array *a, const ha_array *b, int nd, const int64_t *oshape)
{
	int nba = a->ndim - 2, nbb = b->ndim - 2;
	int sa = a->split >= nba ? a->split - nba : -1, sb = b->split >= nbb ? b->split - nbb : -1;
	int rs = pair_split(sa, sb);
	const int64_t *lmap = rs == 0 && sa == 0 ? a->lmap : rs == 1 && sb == 1 ? b->lmap : NULL;
	if (sa == 1 && sb == 0)
		lmap = NULL;    /* b is resplit to 1: balanced columns */
	ha_array *C = ha_array_alloc_lmap(a->dtype, nd, oshape, nd - 2 + rs, lmap, a->device, a->comm);
	if (!C)
		return NULL;
	int64_t nbatch = 1, bi[HA_MAXDIM];
	for (int d = 0; d < nd - 2; d++)
		nbatch *= oshape[d];
	for (int64_t f = 0; f < nbatch; f++) {
		int64_t rem = f, fa = 0, fb = 0;
		for (int d = nd - 3; d >= 0; d--) {
			bi[d] = rem % oshape[d];
			rem /= oshape[d];
		}
		for (int d = 0; d < nba; d++)
			fa = fa * a->gshape[d] + (a->gshape[d] == 1 ? 0 : bi[d + nd - 2 - nba]);
		for (int d = 0; d < nbb; d++)
			fb = fb * b->gshape[d] + (b->gshape[d] == 1 ? 0 : bi[d + nd - 2 - nbb]);
		ha_array *ma = matrix_of(a, fa), *mb = ma ? matrix_of(b, fb) : NULL;
		ha_array *mc = mb ? mm2d(ma, mb) : NULL;
		ha_release(ma);
		ha_release(mb);
		if (!mc) {
			ha_release(C);
			return NULL;
		}
		size_t nbytes = (size_t)ha_lnbytes(mc);
		memcpy((char *)C->data + f * nbytes, mc->data, nbytes);
		ha_release(mc);
	}
	return C;
}

static ha_array *matmul_nd(const ha_array *a, const ha_array *b)
{
	int na = a->ndim, nb = b->ndim;
	int64_t oshape[HA_MAXDIM];
	int nbs;
	if (ha_broadcast_shapes(na - 2, a->gshape, nb - 2, b->gshape, &nbs, oshape)) {
		ha_error_clear();
		char sa[256], sb[256];
		int pa = 0, pb = 0;
		for (int d = 0; d < na; d++)
			pa += snprintf(sa + pa, sizeof sa - (size_t)pa, "%s%lld", d ? "," : "", (long long)a->gshape[d]);
		for (int d = 0; d < nb; d++)
			pb += snprintf(sb + pb, sizeof sb - (size_t)pb, "%s%lld", d ? "," : "", (long long)b->gshape[d]);
		return ha_error_set(HA_EVALUE, "matmul: the stack dimensions of operands with shapes (%s) and "
		                    "(%s) could not be broadcast together", sa, sb), NULL;
	}
	int nd = nbs + 2;
	oshape[nbs] = a->gshape[na - 2];
	oshape[nbs + 1] = b->gshape[nb - 1];
	if (nd == 2)
		return mm2d(a, b);
	/* a split on a batch axis that is not broadcast decides */
	int rsplit = -2;
	if (a->comm->size > 1 || a->split >= 0 || b->split >= 0) {
		if (a->split >= 0 && a->split < na - 2 && a->gshape[a->split] != 1)
			rsplit = a->split + (nd - na);
		else if (b->split >= 0 && b->split < nb - 2 && b->gshape[b->split] != 1)
			rsplit = b->split + (nd - nb);
	}
	int core_split = (a->split >= na - 2) || (b->split >= nb - 2);
	if (rsplit >= 0)
		return batched_local(a, b, nd, oshape, rsplit);
	if (!core_split)
		return batched_local(a, b, nd, oshape, -1);
	/* split on a core axis: batch-axis splits of broadcast operands go first */
	ha_array *A = a->split >= 0 && a->split < na - 2 ? ha_resplit(a, HA_SPLIT_NONE) : ha_retain((ha_array *)a);
	ha_array *B = !A ? NULL : b->split >= 0 && b->split < nb - 2 ? ha_resplit(b, HA_SPLIT_NONE)
	                                                           : ha_retain((ha_array *)b);
	ha_array *r = B ? batched_rings(A, B, nd, oshape) : NULL;
	ha_release(A);
	ha_release(B);
	return r;
}

ha_array *ha_matmul(const ha_array *a, const ha_array *b)
{
	if (a->ndim == 0 || b->ndim == 0)
		return ha_error_set(HA_EVALUE, "matmul: Input operand %d does not have enough dimensions "
		                    "(has 0, gufunc core with signature %s requires 1)", a->ndim == 0 ? 0 : 1,
		                    sig), NULL;
	if (a->comm != b->comm && (a->comm->size > 1 || b->comm->size > 1))
		return ha_error_set(HA_EVALUE, "matmul: the operands live on different communicators"), NULL;
	if (a->device.kind != b->device.kind || a->device.id != b->device.id)
		return ha_error_set(HA_EVALUE, "matmul: the operands are on different devices"), NULL;
	int64_t ka = a->gshape[a->ndim - 1];
	int64_t kb = b->ndim == 1 ? b->gshape[0] : b->gshape[b->ndim - 2];
	if (ka != kb)
		return core_mismatch(kb, ka), NULL;
	ha_dtype t = ha_promote_types(a->dtype, b->dtype);
	ha_array *A = as_type(a, t);
	ha_array *B = A ? as_type(b, t) : NULL;
	ha_array *r = NULL;
	if (!B)
		goto done;
	if (A->ndim == 1 && B->ndim == 1) {
		r = vecvec(A, B);
	} else if (B->ndim == 1) {
		ha_array *B2 = ha_expand_dims(B, 1);
		ha_array *r2 = B2 ? matmul_nd(A, B2) : NULL;
		int ax = A->ndim - 1;
		r = r2 ? ha_squeeze(r2, 1, &ax) : NULL;
		ha_release(B2);
		ha_release(r2);
	} else if (A->ndim == 1) {
		ha_array *A2 = ha_expand_dims(A, 0);
		ha_array *r2 = A2 ? matmul_nd(A2, B) : NULL;
		int ax = B->ndim - 2;
		r = r2 ? ha_squeeze(r2, 1, &ax) : NULL;
		ha_release(A2);
		ha_release(r2);
	} else {
		r = matmul_nd(A, B);
	}
done:
	ha_release(A);
	ha_release(B);
	return r;
}
