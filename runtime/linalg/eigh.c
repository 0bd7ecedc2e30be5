/*
** eigh.c — eigenvalues and eigenvectors of a symmetric (real) or Hermitian
** (complex) matrix.  The matrix is gathered on every rank (one Allgatherv
** of n^2 elements) and syevd/heevd (divide and conquer) runs there; the
** eigenvalues are real (float32 for complex64); the eigenvector matrix is
** sliced back to the input's split without communication.  Ascending
** eigenvalues, like NumPy (Heat's Zolotarev-based eigh returns them
** descending).
*/
#include <stdlib.h>
#include <string.h>

#include "factor_internal.h"

int ha_eigh(const ha_array *a0, ha_array **w, ha_array **v)
{
	*w = NULL;
	if (v)
		*v = NULL;
	if (a0->ndim > 2)
		return fl_batch_eigh(a0, w, v);
	ha_array *a = fl_input(a0, "eigh", FL_COMPLEX | FL_BATCH);
	if (!a)
		return -1;
	if (fl_require_square(a)) {
		ha_release(a);
		return -1;
	}
	ha_dtype t = a->dtype, rt = ha_dtype_real(t);
	size_t es = ha_dtype_size(t);
	int64_t n = a->gshape[0];
	ha_array *f = fl_replicated(a);
	void *buf = f ? malloc((size_t)(n * n + 1) * es) : NULL, *wb = malloc((size_t)(n + 1) * es);
	int info = !buf || !wb ? -1 : 0, rc = -1;
	if (!info) {
		memcpy(buf, f->data, (size_t)(n * n) * es);
		if (n > 0)
			info = FL_LAPACK_RC(t, syevd, heevd, LAPACK_ROW_MAJOR, v ? 'V' : 'N', 'L', (lapack_int)n, buf,
			                 (lapack_int)n, wb);
	}
	int bad = f ? fl_any(info != 0, a->comm, "eigh") : 1;
	if (bad > 0 && f)
		ha_error_set(info < 0 ? HA_EMEMORY : HA_ELINALG,
		             info < 0 ? "eigh: out of memory" : "Eigenvalues did not converge");
	if (!bad) {
		int64_t wshape[1] = { n };
		*w = fl_from_full(a, rt, 1, wshape, wb, HA_SPLIT_NONE);
		if (*w && v)
			*v = fl_from_full(a, t, 2, a->gshape, buf, a->split);
		rc = *w && (!v || *v) ? 0 : -1;
		if (rc && *w) {
			ha_release(*w);
			*w = NULL;
		}
	}
	free(buf);
	free(wb);
	if (f)
		ha_release(f);
	ha_release(a);
	return rc;
}
