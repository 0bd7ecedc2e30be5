/*
** hk.h — the kernel table: everything one device computes, without MPI.
**
** One `hk_table` instance per backend.  The CPU table (hk_cpu_table) always
** exists; a GPU backend (kernels/gpu, CUDA or HIP) fills the same struct
** from the same X-macro lists (ops_list.h) and is selected per array by
** the runtime, which never branches on the device kind itself.
**
** Conventions shared by every entry:
**   - dtypes are indexed by hk_dtype, whose order equals ha_dtype (the
**     runtime checks this at compile time);
**   - strides are in ELEMENTS of the operand's own dtype, may be 0
**     (broadcast) and are never negative in ha's use;
**   - a loop (hk_loop) is a serial, vectorisable range function in the
**     style of a NumPy inner loop: p[0] is the output, p[1], p[2] the
**     inputs, s[k] their strides, prm optional parameters (NULL or three
**     doubles).  `run` drives loops over an n-d strided iteration space,
**     converting operands block by block when their dtype differs from the
**     loop's, and is OpenMP-parallel for large spaces.  Fusion of
**     elementwise chains can call loops directly on cache-sized ranges.
** This header is plain declarations, valid C and C++, so a .cu file can
** include it.
*/
#ifndef HK_H
#define HK_H

#include <stddef.h>
#include <stdint.h>
#include "ops_list.h"

#define HK_MAXDIM 16
#define HK_MAXOPS 4          /* output + up to three inputs (where) */

typedef enum hk_dtype {
	HK_BOOL, HK_UINT8, HK_INT8, HK_INT16, HK_INT32, HK_INT64,
	HK_FLOAT32, HK_FLOAT64, HK_COMPLEX64, HK_COMPLEX128,
	HK_NDTYPES
} hk_dtype;

/* Operation ids, one enum per kind, generated from ops_list.h. */
#define HK_ENUM_(ID, name, rule) HK_##ID,
typedef enum hk_binop { HK_BINARY_OPS(HK_ENUM_) HK_NBINARY } hk_binop;
typedef enum hk_unop { HK_UNARY_OPS(HK_ENUM_) HK_NUNARY } hk_unop;
#undef HK_ENUM_

typedef void (*hk_loop)(int64_t n, char *const *p, const int64_t *s, const double *prm);

/* One operand of an n-d run.  `ptr` is the element at index (0, ..., 0);
** stride[d] per dimension in elements of `dtype`.  When dtype differs from
** the loop's dtype for that slot, `run` converts blocks through the table's
** cast loops (inputs before, the output after the loop). */
typedef struct hk_operand {
	char *ptr;
	int dtype;
	int64_t stride[HK_MAXDIM];
} hk_operand;

/* Reductions over the middle axis of an [outer][n][inner] C-contiguous
** block, writing [outer][inner] results of the accumulator dtype (see
** hk_reduce_acc).  n == 0 writes the neutral element. */
typedef enum hk_redop {
	HK_RSUM, HK_RPROD, HK_RMIN, HK_RMAX, HK_RALL, HK_RANY, HK_RCOUNT,
	HK_NREDUCE
} hk_redop;
typedef void (*hk_reduce_fn)(const void *in, int64_t outer, int64_t n, int64_t inner, void *out);
/* arg-reduction: value (input dtype) and the index along n of the first
** extreme (NaN counts as the extreme, like NumPy). */
typedef void (*hk_argreduce_fn)(const void *in, int64_t outer, int64_t n, int64_t inner,
                                void *val, int64_t *idx);
/* mean and sum of squared deviations (M2) per output slot, in double
** (real dtypes; the runtime handles complex as (re, im) pairs). */
typedef void (*hk_moments_fn)(const void *in, int64_t outer, int64_t n, int64_t inner,
                              double *mean, double *m2);
/* inclusive scan along n (cumsum / cumprod), output in the acc dtype */
typedef void (*hk_scan_fn)(const void *in, int64_t outer, int64_t n, int64_t inner, void *out);
/* float32/complex64 scan with the running value in double (complex128),
** each output rounded once (reduce_cpu.c): mode HK_SCAN_OUT writes out in
** the input dtype, round(run OP add[o][j]) (add NULL: round(run)),
** HK_SCAN_WIDE writes the double run, HK_SCAN_NONE nothing; last (NULL or
** outer x inner doubles) gets the run of the last row.  The fold rounds a
** WIDE result once a carry is known: out = round(tmp OP add[o][j]). */
enum { HK_SCAN_OUT, HK_SCAN_WIDE, HK_SCAN_NONE };
typedef void (*hk_scand_fn)(const void *in, int64_t outer, int64_t n, int64_t inner, int mode,
                            void *out, const void *add, void *last);
typedef void (*hk_scanfold_fn)(const void *tmp, int64_t outer, int64_t n, int64_t inner,
                               const void *add, void *out);

typedef struct hk_table {
	const char *name;                                  /* "cpu" */
	hk_loop binary[HK_NBINARY][HK_NDTYPES];            /* by compute dtype; NULL = unsupported */
	hk_loop unary[HK_NUNARY][HK_NDTYPES];
	hk_loop cast[HK_NDTYPES][HK_NDTYPES];              /* [from][to] */
	hk_loop where[HK_NDTYPES];                         /* p: out, cond(bool), x, y */
	/* run `fn` (whose slot dtypes are loop_dt[0..nops-1]) over shape */
	void (*run)(const struct hk_table *t, hk_loop fn, const int *loop_dt, const double *prm,
	            int nops, int ndim, const int64_t *shape, const hk_operand *ops);
	hk_reduce_fn reduce[HK_NREDUCE][HK_NDTYPES];
	hk_argreduce_fn argmin[HK_NDTYPES], argmax[HK_NDTYPES];
	hk_moments_fn moments[HK_NDTYPES];
	hk_scan_fn cumsum[HK_NDTYPES], cumprod[HK_NDTYPES];
	hk_scand_fn cumsumd[HK_NDTYPES], cumprodd[HK_NDTYPES];          /* NULL: not provided */
	hk_scanfold_fn cumsumd_fold[HK_NDTYPES], cumprodd_fold[HK_NDTYPES];
	void *(*alloc)(size_t nbytes);
	void (*free)(void *p);
	void (*copy)(void *dst, const void *src, size_t nbytes);
} hk_table;

/* Accumulator dtype of a reduction or scan on input dtype t. */
int hk_reduce_acc(int op, int t);
size_t hk_dtype_size(int t);

extern const hk_table hk_cpu_table;

#endif
