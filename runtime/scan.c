/*
** scan.c — cumsum and cumprod of distributed arrays.
**
** Along a non-split axis the scan is local.  Along the split axis each
** rank scans its chunk, then ONE Exscan of every rank's last slice gives
** the carry from the ranks before it, which is folded into the local
** result with the table's add/multiply loop (broadcast along the axis).
** Ranks holding no rows contribute the neutral element.  axis=None scans
** the flattened array (split 0 when a is split).
*/
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "ops_internal.h"

static ha_array *scan_core(int prod, const ha_array *a, int axis, int dtype)
{
	const char *name = prod ? "cumprod" : "cumsum";
	if (dtype >= 0 && dtype != (int)a->dtype) {
		ha_array *x = ha_astype(a, (ha_dtype)dtype);
		if (!x)
			return NULL;
		ha_array *r = scan_core(prod, x, axis, -1);
		ha_release(x);
		if (r && r->dtype != (ha_dtype)dtype) {
			ha_array *c = ha_astype(r, (ha_dtype)dtype);
			ha_release(r);
			r = c;
		}
		return r;
	}
	if (axis == HA_AXIS_NONE) {
		ha_array *f = ha_flatten(a);
		if (!f)
			return NULL;
		ha_array *r = scan_core(prod, f, 0, -1);
		ha_release(f);
		return r;
	}
	if (axis < -a->ndim || axis >= a->ndim || a->ndim == 0) {
		ha_error_set(HA_EVALUE, "axis %d is out of bounds for array of dimension %d", axis, a->ndim);
		return NULL;
	}
	if (axis < 0)
		axis += a->ndim;
	const hk_table *t = ha__table(a->device);
	if (!t)
		return NULL;
	ha_dtype acc = hk_reduce_acc(HK_RSUM, a->dtype);
	ha_array *out = ha_array_alloc_lmap(acc, a->ndim, a->gshape, a->split, a->lmap,
	                                    a->device, a->comm);
	if (!out)
		return NULL;
	int64_t outer = 1, n = a->lshape[axis], inner = 1;
	for (int d = 0; d < a->ndim; d++)
		if (d != axis)
			*(d < axis ? &outer : &inner) *= a->lshape[d];
	(prod ? t->cumprod : t->cumsum)[a->dtype](a->data, outer, n, inner, out->data);
	if (a->split != axis || a->comm->size == 1)
		return out;

	/* carry from the ranks before: Exscan of the last slices */
	size_t es = ha_dtype_size(acc);
	int64_t slots = outer * inner;
	char *last = malloc(es * (size_t)(slots ? slots : 1));
	char *carry = malloc(es * (size_t)(slots ? slots : 1));
	int rc = 0;
	if (!last || !carry) {
		rc = ha_error_set(HA_EMEMORY, "out of memory in %s", name);
		goto done;
	}
	_Alignas(16) unsigned char neutral[16];
	ha_scalar_store(ha_scalar_int(prod ? 1 : 0), acc, neutral);
	for (int64_t o = 0; o < outer; o++)
		for (int64_t j = 0; j < inner; j++) {
			char *dst = last + (o * inner + j) * (int64_t)es;
			if (n > 0)
				memcpy(dst, (char *)out->data + ((o * n + n - 1) * inner + j) * (int64_t)es, es);
			else
				memcpy(dst, neutral, es);
		}
	rc = ha_exscan(last, carry, slots, ha_mpi_type(acc), prod ? MPI_PROD : MPI_SUM, a->comm, name);
	if (rc == 0 && a->comm->rank > 0 && n > 0) {
		/* out[o][i][j] = out[o][i][j] OP carry[o][j] */
		int64_t shape[3] = { outer, n, inner };
		hk_operand ops[3];
		int ldt[3] = { acc, acc, acc };
		ops[0].ptr = out->data;
		ops[0].dtype = acc;
		ha__cstrides(3, shape, ops[0].stride);
		ops[1] = ops[0];
		ops[2].ptr = carry;
		ops[2].dtype = acc;
		ops[2].stride[0] = inner;
		ops[2].stride[1] = 0;
		ops[2].stride[2] = 1;
		t->run(t, t->binary[prod ? HK_MUL : HK_ADD][acc], ldt, NULL, 3, 3, shape, ops);
	}
done:
	free(last);
	free(carry);
	if (rc) {
		ha_release(out);
		return NULL;
	}
	return out;
}

ha_array *ha_cumsum(const ha_array *a, int axis, int dtype)
{
	return scan_core(0, a, axis, dtype);
}

ha_array *ha_cumprod(const ha_array *a, int axis, int dtype)
{
	return scan_core(1, a, axis, dtype);
}
