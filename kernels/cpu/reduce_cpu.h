/*
** reduce_cpu.h — the CPU reduction, arg-reduction, moment and scan
** kernels (reduce_cpu.c) and the table entries that name them.
**
** The dtype list carries, per dtype: suffix, enum, C type, the sum/prod
** accumulator type, the min/max neutral values and whether the dtype is
** ordered (complex has no argmin/argmax/min/max) and real (moments).
*/
#ifndef HK_REDUCE_CPU_H
#define HK_REDUCE_CPU_H

#include <math.h>
#include <stdbool.h>
#include "hk.h"

/* X(SUF, ENUM, T, ACC) for every dtype */
#define HK_RED_DTYPES(X) \
	X(b, HK_BOOL, bool, int64_t) X(u8, HK_UINT8, uint8_t, int64_t) \
	X(i8, HK_INT8, int8_t, int64_t) X(i16, HK_INT16, int16_t, int64_t) \
	X(i32, HK_INT32, int32_t, int64_t) X(i64, HK_INT64, int64_t, int64_t) \
	X(f32, HK_FLOAT32, float, float) X(f64, HK_FLOAT64, double, double) \
	X(c64, HK_COMPLEX64, float _Complex, float _Complex) \
	X(c128, HK_COMPLEX128, double _Complex, double _Complex)

/* X(SUF, ENUM, T, LOWEST, HIGHEST) for the ordered (real) dtypes */
#define HK_RED_REAL(X) \
	X(b, HK_BOOL, bool, 0, 1) X(u8, HK_UINT8, uint8_t, 0, UINT8_MAX) \
	X(i8, HK_INT8, int8_t, INT8_MIN, INT8_MAX) X(i16, HK_INT16, int16_t, INT16_MIN, INT16_MAX) \
	X(i32, HK_INT32, int32_t, INT32_MIN, INT32_MAX) X(i64, HK_INT64, int64_t, INT64_MIN, INT64_MAX) \
	X(f32, HK_FLOAT32, float, -INFINITY, INFINITY) X(f64, HK_FLOAT64, double, -INFINITY, INFINITY)

#define HK_RED_DECL_ALL_(SUF, E, T, A) \
	void hk_red_sum_##SUF(const void *, int64_t, int64_t, int64_t, void *); \
	void hk_red_prod_##SUF(const void *, int64_t, int64_t, int64_t, void *); \
	void hk_red_all_##SUF(const void *, int64_t, int64_t, int64_t, void *); \
	void hk_red_any_##SUF(const void *, int64_t, int64_t, int64_t, void *); \
	void hk_red_count_##SUF(const void *, int64_t, int64_t, int64_t, void *); \
	void hk_cumsum_##SUF(const void *, int64_t, int64_t, int64_t, void *); \
	void hk_cumprod_##SUF(const void *, int64_t, int64_t, int64_t, void *);
#define HK_RED_DECL_REAL_(SUF, E, T, LO, HI) \
	void hk_red_min_##SUF(const void *, int64_t, int64_t, int64_t, void *); \
	void hk_red_max_##SUF(const void *, int64_t, int64_t, int64_t, void *); \
	void hk_argmin_##SUF(const void *, int64_t, int64_t, int64_t, void *, int64_t *); \
	void hk_argmax_##SUF(const void *, int64_t, int64_t, int64_t, void *, int64_t *); \
	void hk_moments_##SUF(const void *, int64_t, int64_t, int64_t, double *, double *);
#define HK_RED_DECL_SCAND_(SUF) \
	void hk_cumsumd_##SUF(const void *, int64_t, int64_t, int64_t, int, void *, const void *, void *); \
	void hk_cumprodd_##SUF(const void *, int64_t, int64_t, int64_t, int, void *, const void *, void *); \
	void hk_cumsumd_fold_##SUF(const void *, int64_t, int64_t, int64_t, const void *, void *); \
	void hk_cumprodd_fold_##SUF(const void *, int64_t, int64_t, int64_t, const void *, void *);
HK_RED_DTYPES(HK_RED_DECL_ALL_)
HK_RED_DECL_SCAND_(f32)
HK_RED_DECL_SCAND_(c64)
HK_RED_REAL(HK_RED_DECL_REAL_)

#define HK_RED_ENTRY_ALL_(SUF, E, T, A) \
	.reduce[HK_RSUM][E] = hk_red_sum_##SUF, .reduce[HK_RPROD][E] = hk_red_prod_##SUF, \
	.reduce[HK_RALL][E] = hk_red_all_##SUF, .reduce[HK_RANY][E] = hk_red_any_##SUF, \
	.reduce[HK_RCOUNT][E] = hk_red_count_##SUF, \
	.cumsum[E] = hk_cumsum_##SUF, .cumprod[E] = hk_cumprod_##SUF,
#define HK_RED_ENTRY_REAL_(SUF, E, T, LO, HI) \
	.reduce[HK_RMIN][E] = hk_red_min_##SUF, .reduce[HK_RMAX][E] = hk_red_max_##SUF, \
	.argmin[E] = hk_argmin_##SUF, .argmax[E] = hk_argmax_##SUF, \
	.moments[E] = hk_moments_##SUF,
/* the single-precision scans with a double running value */
#define HK_RED_ENTRY_SCAND_(SUF, E) \
	.cumsumd[E] = hk_cumsumd_##SUF, .cumprodd[E] = hk_cumprodd_##SUF, \
	.cumsumd_fold[E] = hk_cumsumd_fold_##SUF, .cumprodd_fold[E] = hk_cumprodd_fold_##SUF,
#define HK_REDUCE_ENTRIES HK_RED_DTYPES(HK_RED_ENTRY_ALL_) HK_RED_REAL(HK_RED_ENTRY_REAL_) \
	HK_RED_ENTRY_SCAND_(f32, HK_FLOAT32) HK_RED_ENTRY_SCAND_(c64, HK_COMPLEX64)

#endif
