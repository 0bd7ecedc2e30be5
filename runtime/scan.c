/*
** scan.c — cumsum and cumprod of distributed arrays.
**
** Along a non-split axis the scan is local.  Along the split axis each
** rank scans its chunk, then ONE Exscan of every rank's last slice gives
** the carry from the ranks before it, which is folded into the local
** result with the table's add/multiply loop (broadcast along the axis).
** Ranks holding no rows contribute the neutral element.  A long narrow
** local scan (a 1-D chunk) is threaded by segments (see segments_for).
** axis=None scans
** the flattened array (split 0 when a is split).
*/
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "ha.h"
#include "ops_internal.h"

/* Segments for the local scan.  The kernel's work items are (outer slot,
** block of columns), so a long scan with one slot and few columns (a 1-D
** chunk) runs on one thread, latency-bound on the chain of adds.  Such a
** scan is cut along the axis into one segment per thread: each segment
** is scanned on its own, then the totals of the segments before it are
** added to it, in the same pass that adds the carry from lower ranks.
** SEG_MIN: elements per segment below which one thread is faster;
** SEG_WIDE: columns from which the kernel has enough items by itself. */
#define SEG_MIN ((int64_t)1 << 16)
#define SEG_WIDE 256

static int segments_for(int64_t outer, int64_t n, int64_t inner)
{
	int64_t s = omp_get_max_threads();
	if (outer != 1 || inner >= SEG_WIDE || omp_in_parallel())
		return 1;
	if (s > n * inner / SEG_MIN)
		s = n * inner / SEG_MIN;
	return s < 2 ? 1 : (int)s;
}

/* out[o][i][j] = out[o][i][j] OP v[o][j] over an (outer, n, inner) block */
static void fold(const hk_table *t, int prod, ha_dtype acc, void *out, int64_t outer, int64_t n,
                 int64_t inner, const void *v)
{
	int64_t shape[3] = { outer, n, inner };
	hk_operand ops[3];
	int ldt[3] = { acc, acc, acc };
	ops[0].ptr = out;
	ops[0].dtype = acc;
	ha__cstrides(3, shape, ops[0].stride);
	ops[1] = ops[0];
	ops[2].ptr = (void *)v;
	ops[2].dtype = acc;
	ops[2].stride[0] = inner;
	ops[2].stride[1] = 0;
	ops[2].stride[2] = 1;
	t->run(t, t->binary[prod ? HK_MUL : HK_ADD][acc], ldt, NULL, 3, 3, shape, ops);
}

/* dst[j] = x[j] OP y[j] for j < inner (dst may be x) */
static void combine(const hk_table *t, int prod, ha_dtype acc, void *dst, const void *x,
                    const void *y, int64_t inner)
{
	int64_t shape[1] = { inner };
	hk_operand ops[3];
	int ldt[3] = { acc, acc, acc };
	ops[0].ptr = dst;
	ops[1].ptr = (void *)x;
	ops[2].ptr = (void *)y;
	for (int i = 0; i < 3; i++) {
		ops[i].dtype = acc;
		ops[i].stride[0] = 1;
	}
	t->run(t, t->binary[prod ? HK_MUL : HK_ADD][acc], ldt, NULL, 3, 1, shape, ops);
}

/* S + 1 slots of `slots` values of dtype acc (at least one value each),
** the first and the last set to the neutral element: segment 0 adds
** nothing, and an empty chunk's total is neutral. */
static char *seg_alloc(int prod, ha_dtype acc, int S, int64_t slots)
{
	size_t es = ha_dtype_size(acc);
	int64_t m = slots ? slots : 1, nb = (int64_t)es * m;
	char *seg = malloc((size_t)nb * (size_t)(S + 1));
	_Alignas(16) unsigned char neutral[16];
	if (!seg)
		return NULL;
	ha_scalar_store(ha_scalar_int(prod ? 1 : 0), acc, neutral);
	for (int64_t i = 0; i < m; i++) {
		memcpy(seg + i * (int64_t)es, neutral, es);
		memcpy(seg + S * nb + i * (int64_t)es, neutral, es);
	}
	return seg;
}

/* A scratch buffer of nb bytes; a large one is 2 MiB aligned and marked
** for transparent huge pages (as array data are, see array.c): its first
** touch, which the scan pays, then faults 512 times less often. */
#define HUGE_PAGE ((size_t)2 << 20)
static void *scratch(size_t nb)
{
	void *p;
	if (nb < HUGE_PAGE)
		return malloc(nb ? nb : 1);
	if (posix_memalign(&p, HUGE_PAGE, nb) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, nb, MADV_HUGEPAGE);   /* a hint: failure changes nothing */
#endif
	return p;
}

/* A scan of fewer than CHAIN_W columns and CHAIN_ROWS outer slots is
** bound by the latency of its chain of adds (every add waits for the one
** before) rather than by memory; see scan_single.  The kernel overlaps
** the chains of 4 single-column slots, so from 4 slots on it streams. */
#define CHAIN_W 16
#define CHAIN_ROWS 4

/* float32 / complex64 (the CPU table's kernels): each output is
** round(local run OP carry), the local run and every carry in double
** (complex128), as the double path computes them before its results are
** rounded, so the digits equal those of scanning a double copy: the same
** segments, the same totals, the same Exscan, the same adds, but no
** conversion passes and no double result.  Where the carry is known
** before the scan (rank 0, segment 0) the scan writes the result
** directly.  Otherwise either the chunk is scanned twice (totals first,
** then the result with its carry: cheap for a wide memory-bound scan) or,
** for a chain-bound one, the local runs go to a double temporary, scanned
** in parallel with the other segments and ranks, and are rounded with
** their carry in one fold pass. */
static ha_array *scan_single(const hk_table *t, int prod, const ha_array *a, int64_t outer,
                             int64_t n, int64_t inner, int S, int dist)
{
	const char *name = prod ? "cumprod" : "cumsum";
	hk_scand_fn scan = (prod ? t->cumprodd : t->cumsumd)[a->dtype];
	hk_scanfold_fn foldd = (prod ? t->cumprodd_fold : t->cumsumd_fold)[a->dtype];
	ha_dtype wide = a->dtype == HA_FLOAT32 ? HA_FLOAT64 : HA_COMPLEX128;
	ha_array *out = ha_array_alloc_lmap(a->dtype, a->ndim, a->gshape, a->split, a->lmap,
	                                    a->device, a->comm);
	if (!out)
		return NULL;
	if (S == 1 && !dist) {
		scan(a->data, outer, n, inner, HK_SCAN_OUT, out->data, NULL, NULL);
		return out;
	}
	/* seg: slot s < S is the total of the segments before s, then what
	** is added to segment s; slot S the chunk's total.  tot: each
	** segment's own total.  carried: this rank's result needs the Exscan
	** carry; tmp: the local runs from element `first` on (WIDE). */
	int carried = dist && a->comm->rank > 0, lastrank = a->comm->rank == a->comm->size - 1;
	int chain = inner < CHAIN_W && outer < CHAIN_ROWS;
	size_t es = ha_dtype_size(wide), ies = ha_dtype_size(a->dtype);
	int64_t slots = outer * inner, nb = (int64_t)es * (slots ? slots : 1);
	int64_t first = S > 1 ? (carried ? 0 : n / S) : 0;
	int use_tmp = n > 0 && (S > 1 || (carried && chain));
	char *seg = seg_alloc(prod, wide, S, slots), *carry = malloc((size_t)nb);
	char *tot = malloc((size_t)nb * (size_t)S);
	char *tmp = use_tmp ? scratch((size_t)(n - first) * (size_t)inner * es * (size_t)outer) : NULL;
	char *in = a->data, *res = out->data;
	int rc = 0;
	if (!seg || !carry || !tot || (use_tmp && !tmp)) {
		rc = ha_error_set(HA_EMEMORY, "out of memory in %s", name);
		goto done;
	}
	if (S > 1) {
		/* one segment of the axis per thread (outer == 1 here) */
		#pragma omp parallel for num_threads(S) schedule(static, 1)
		for (int s = 0; s < S; s++) {
			int64_t lo = n * s / S, hi = n * (s + 1) / S;
			if (lo < first)
				scan(in + lo * inner * (int64_t)ies, 1, hi - lo, inner, HK_SCAN_OUT,
				     res + lo * inner * (int64_t)ies, NULL, tot + s * nb);
			else
				scan(in + lo * inner * (int64_t)ies, 1, hi - lo, inner, HK_SCAN_WIDE,
				     tmp + (lo - first) * inner * (int64_t)es, NULL, tot + s * nb);
		}
		for (int s = 1; s <= S; s++)
			combine(t, prod, wide, seg + s * nb, seg + (s - 1) * nb, tot + (s - 1) * nb, inner);
	} else if (n > 0) {
		if (!carried)
			scan(in, outer, n, inner, HK_SCAN_OUT, res, NULL, seg + nb);
		else if (use_tmp)
			scan(in, outer, n, inner, HK_SCAN_WIDE, tmp, NULL, seg + nb);
		else if (!lastrank)   /* the last rank's total is no one's carry */
			scan(in, outer, n, inner, HK_SCAN_NONE, NULL, NULL, seg + nb);
	}
	if (dist)
		rc = ha_exscan(seg + (int64_t)S * nb, carry, slots, ha_mpi_type(wide),
		               prod ? MPI_PROD : MPI_SUM, a->comm, name);
	if (rc == 0 && n > 0) {
		if (S == 1) {
			if (use_tmp)
				foldd(tmp, outer, n, inner, carry, res);
			else if (carried)
				scan(in, outer, n, inner, HK_SCAN_OUT, res, carry, NULL);
		} else {
			for (int s = 0; s < S; s++) {
				int64_t lo = n * s / S, hi = n * (s + 1) / S;
				char *add = seg + s * nb;
				if (lo < first)
					continue;
				if (carried)
					combine(t, prod, wide, add, add, carry, inner);
				foldd(tmp + (lo - first) * inner * (int64_t)es, 1, hi - lo, inner, add,
				      res + lo * inner * (int64_t)ies);
			}
		}
	}
done:
	free(seg);
	free(carry);
	free(tot);
	free(tmp);
	if (rc) {
		ha_release(out);
		return NULL;
	}
	return out;
}

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
	int single = a->dtype == HA_FLOAT32 || a->dtype == HA_COMPLEX64;
	if (single && !(prod ? t->cumprodd : t->cumsumd)[a->dtype]) {
		/* a table without the double-running-value kernels: scan a
		** double copy and round it (the same values, with temporaries) */
		ha_array *x = ha_astype(a, a->dtype == HA_FLOAT32 ? HA_FLOAT64 : HA_COMPLEX128);
		if (!x)
			return NULL;
		ha_array *r = scan_core(prod, x, axis, -1);
		ha_release(x);
		if (!r)
			return NULL;
		ha_array *c = ha_astype(r, a->dtype);
		ha_release(r);
		return c;
	}
	int64_t outer = 1, n = a->lshape[axis], inner = 1;
	for (int d = 0; d < a->ndim; d++)
		if (d != axis)
			*(d < axis ? &outer : &inner) *= a->lshape[d];
	int dist = a->split == axis && a->comm->size > 1;
	int S = segments_for(outer, n, inner);
	if (single)
		return scan_single(t, prod, a, outer, n, inner, S, dist);
	ha_dtype acc = hk_reduce_acc(HK_RSUM, a->dtype);
	ha_array *out = ha_array_alloc_lmap(acc, a->ndim, a->gshape, a->split, a->lmap,
	                                    a->device, a->comm);
	if (!out)
		return NULL;
	if (S == 1) {
		(prod ? t->cumprod : t->cumsum)[a->dtype](a->data, outer, n, inner, out->data);
		if (!dist)
			return out;
	}

	/* seg: S + 1 slots of outer x inner values; slot s is the total of
	** the segments before s (slot S: of the whole chunk), then what is
	** added to segment s.  carry: the total of the ranks before. */
	size_t es = ha_dtype_size(acc), ies = ha_dtype_size(a->dtype);
	int64_t slots = outer * inner, nb = (int64_t)es * (slots ? slots : 1);
	char *seg = seg_alloc(prod, acc, S, slots), *carry = malloc((size_t)nb);
	int rc = 0;
	if (!seg || !carry) {
		rc = ha_error_set(HA_EMEMORY, "out of memory in %s", name);
		goto done;
	}
	if (S > 1) {
		/* one segment of the axis per thread (outer == 1 here) */
		#pragma omp parallel for num_threads(S) schedule(static, 1)
		for (int s = 0; s < S; s++) {
			int64_t lo = n * s / S, hi = n * (s + 1) / S;
			(prod ? t->cumprod : t->cumsum)[a->dtype]((const char *)a->data + lo * inner * (int64_t)ies,
			                                          1, hi - lo, inner,
			                                          (char *)out->data + lo * inner * (int64_t)es);
		}
		for (int s = 1; s <= S; s++) {
			int64_t end = n * s / S;
			combine(t, prod, acc, seg + s * nb, seg + (s - 1) * nb,
			        (char *)out->data + (end - 1) * inner * (int64_t)es, inner);
		}
	} else if (n > 0) {
		/* the chunk's total: its last slice along the axis */
		for (int64_t o = 0; o < outer; o++)
			memcpy(seg + nb + o * inner * (int64_t)es,
			       (char *)out->data + (o * n + n - 1) * inner * (int64_t)es,
			       (size_t)inner * es);
	}
	if (dist) {
		rc = ha_exscan(seg + (int64_t)S * nb, carry, slots, ha_mpi_type(acc),
		               prod ? MPI_PROD : MPI_SUM, a->comm, name);
		dist = rc == 0 && a->comm->rank > 0;
	}
	if (rc == 0 && n > 0) {
		if (S == 1) {
			if (dist)
				fold(t, prod, acc, out->data, outer, n, inner, carry);
		} else {
			for (int s = 0; s < S; s++) {
				int64_t lo = n * s / S, hi = n * (s + 1) / S;
				char *add = seg + s * nb;
				if (dist) {
					combine(t, prod, acc, add, add, carry, inner);
				} else if (s == 0) {
					continue;
				}
				fold(t, prod, acc, (char *)out->data + lo * inner * (int64_t)es, 1, hi - lo,
				     inner, add);
			}
		}
	}
done:
	free(seg);
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
