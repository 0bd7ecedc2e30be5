/*
** ops_internal.h — helpers shared by the ops layer (elementwise.c,
** reduce.c, scan.c); not public API.
*/
#ifndef HA_OPS_INTERNAL_H
#define HA_OPS_INTERNAL_H

#include "ha.h"
#include "../kernels/cpu/hk.h"

/* The table of a's device; sets RuntimeError and returns NULL when the
** device has none. */
const hk_table *ha__table(ha_device dev);

/* C-contiguous element strides of shape[ndim] into st. */
static inline void ha__cstrides(int ndim, const int64_t *shape, int64_t *st)
{
	int64_t s = 1;
	for (int d = ndim - 1; d >= 0; d--) {
		st[d] = s;
		s *= shape[d];
	}
}

/* A whole local chunk as a contiguous hk_operand. */
static inline void ha__operand(hk_operand *op, const ha_array *a)
{
	op->ptr = (char *)a->data;
	op->dtype = (int)a->dtype;
	ha__cstrides(a->ndim, a->lshape, op->stride);
}

/* Copy/convert src (local chunk, any strides given by op) into a
** contiguous buffer dst of dtype dt with shape[ndim]. */
void ha__gather_local(const hk_table *t, int dt, void *dst, int ndim, const int64_t *shape,
                      const hk_operand *src);

/* Normalise an axis list: naxes < 0 -> all; marks red[d]; ValueError on
** out-of-range or repeated axes.  Returns the number of reduced axes. */
int ha__axes(int ndim, int naxes, const int *axes, int *red);

/* "(3, 4)" into buf */
const char *ha__shape_str(int ndim, const int64_t *shape, char *buf, size_t n);

#endif
