/*
** fill_diag.c — x.fill_diagonal(v): the main diagonal of a 2-D array,
** written by each rank inside its own chunk (no communication).
*/
#include <string.h>
#include "ha.h"
#include "ha_dist.h"

int ha_fill_diagonal(ha_array *a, ha_scalar v)
{
	if (a->ndim != 2)
		return ha_error_set(HA_EVALUE, "Only 2D tensors supported at the moment");
	size_t es = ha_dtype_size(a->dtype);
	unsigned char val[16];
	ha_scalar_store(v, a->dtype, val);
	int64_t k = a->gshape[0] < a->gshape[1] ? a->gshape[0] : a->gshape[1];
	/* global (row, col) of the chunk's first element */
	int64_t r0 = a->split == 0 ? a->loffset : 0, c0 = a->split == 1 ? a->loffset : 0;
	int64_t lo = r0 > c0 ? r0 : c0;
	int64_t hi = r0 + a->lshape[0] < c0 + a->lshape[1] ? r0 + a->lshape[0] : c0 + a->lshape[1];
	if (hi > k)
		hi = k;
	char *p = a->data;
	for (int64_t i = lo; i < hi; i++)
		memcpy(p + (size_t)((i - r0) * a->lshape[1] + (i - c0)) * es, val, es);
	return 0;
}
