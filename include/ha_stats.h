/*
** ha_stats.h — counting statistics (runtime/stats.c): bincount and
** histc.  Included by ha.h; do not include directly.
**
** Each rank counts its own elements; ONE Allreduce ("bincount"/"histc")
** of the count vector combines them; the result is replicated.
*/
#ifndef HA_STATS_H
#define HA_STATS_H

/* Occurrences of each value 0 .. max(x) (at least minlength bins) in the
** 1-D non-negative integer array x: int64, or float64 sums of the
** matching weights (same shape as x) when weights is not NULL.
** ValueError for negative values, other dimensions or minlength < 0;
** TypeError for non-integer x.  Finding max(x) costs one Allreduce. */
ha_array *ha_bincount(const ha_array *x, const ha_array *weights, int64_t minlength);
/* torch.histc: `bins` equal-width bins between lo and hi (both 0 / equal:
** the data's min and max, one Allreduce each when split); elements outside
** [lo, hi] are ignored and hi falls in the last bin.  Result dtype: x's
** float type (integers: float32).  ValueError when bins <= 0 or lo > hi. */
ha_array *ha_histc(const ha_array *x, int64_t bins, double lo, double hi);

#endif
