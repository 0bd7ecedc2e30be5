/*
** qr.c — reduced QR of a distributed 2-D array.  Split 0 is TSQR
** (factor_common.c: local factor, ONE Allgatherv of the small R factors,
** a redundant factorization of the stacked Rs, one local GEMM for Q);
** this works for every shape because each rank contributes
** min(m_i, n) rows.  Split 1 (m < 2 P n) is block Gram-Schmidt over the
** ranks' column blocks with BCGS2 reorthogonalisation (qr_split1.c):
** no n x n stack, memory O(m n / P).  A tall-skinny split-1 matrix
** (m >= 2 P n) is resplit to 0 and back (two Alltoallv) around TSQR,
** which measured faster there (20000 x 2000 float32, 2 ranks: 7.1 s
** against 8.4 s), as TSQR also did for square split 0 (4000 x 4000:
** 4.9 s against 5.4 s for block Gram-Schmidt before any resplit).
*/
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"

/* qr_split1.c: block Gram-Schmidt (BCGS2) of a split-1 float matrix. */
int fl_qr_split1(const ha_array *a, int want_q, ha_array **q, ha_array **r, const char *what);

/* Wrap this rank's rows of Q (m_i x k, lmap of w) as an array. */
static ha_array *q_array(const ha_array *w, const void *qb, int64_t k, int split)
{
	int64_t shape[2] = { w->gshape[0], k };
	if (!ha_is_distributed(w))
		return fl_from_full(w, w->dtype, 2, shape, qb, split);
	ha_array *q = ha_array_alloc_lmap(w->dtype, 2, shape, 0, w->lmap, w->device, w->comm);
	if (q)
		memcpy(q->data, qb, (size_t)ha_lnbytes(q));
	return q;
}

int ha_qr(const ha_array *a0, int want_q, ha_array **q, ha_array **r)
{
	*r = NULL;
	if (q)
		*q = NULL;
	want_q = want_q && q;
	if (a0->ndim > 2)
		return fl_batch_qr(a0, want_q, q, r);
	ha_array *a = fl_input(a0, "qr", FL_COMPLEX | FL_BATCH);
	if (!a)
		return -1;
	int dist = ha_is_distributed(a), split = a->split;
	/* real split 1 unless tall-skinny: block Gram-Schmidt (qr_split1.c) */
	if (dist && split == 1 && (a->dtype == HA_FLOAT32 || a->dtype == HA_FLOAT64) &&
	    a->gshape[1] > 0 && a->gshape[0] > 0 &&
	    a->gshape[0] < 2 * (int64_t)a->comm->size * a->gshape[1]) {
		int rc = fl_qr_split1(a, want_q, q, r, "qr");
		ha_release(a);
		return rc;
	}
	ha_array *w = dist && split == 1 ? ha_resplit(a, 0) : ha_retain(a);
	void *qb = NULL, *rb = NULL;
	int64_t k = 0, n = a->gshape[1];
	int rc = w ? fl_tsqr(w, want_q, &qb, &rb, &k, "qr") : -1;
	if (rc == 0) {
		int64_t rshape[2] = { k, n };
		*r = fl_from_full(a, a->dtype, 2, rshape, rb, split == 1 ? 1 : HA_SPLIT_NONE);
		rc = *r ? 0 : -1;
	}
	if (rc == 0 && want_q) {
		ha_array *qq = q_array(w, qb, k, dist ? 0 : split);
		if (qq && dist && split == 1) {
			ha_array *q1 = ha_resplit(qq, 1);
			ha_release(qq);
			qq = q1;
		}
		*q = qq;
		rc = qq ? 0 : -1;
	}
	free(qb);
	free(rb);
	if (w)
		ha_release(w);
	ha_release(a);
	if (rc) {
		if (*r)
			ha_release(*r);
		*r = NULL;
	}
	return rc;
}
