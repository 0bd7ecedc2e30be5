/*
** index_internal.h — helpers shared by runtime/index.c (keys with at most
** one advanced item) and runtime/index_adv.c (several advanced items).
** Not public API.
*/
#ifndef HA_INDEX_INTERNAL_H
#define HA_INDEX_INTERNAL_H

#include "ha.h"

/* One source axis of a key: (start, step, count) of a slice (or the whole
** axis), or an integer (is_int, start = the index). */
typedef struct axsel {
	int64_t start, step, count;
	int is_int;
	int out;                 /* axis of the basic result, -1 for an integer */
} axsel;

/* A value aligned to an R-shaped selection (nd axes, v right-aligned):
** element at R position q is data[sum_d (q[d] - off[d]) * stride[d]],
** stride 0 on broadcast axes. */
typedef struct vview {
	ha_array *hold;
	const char *data;
	int64_t off[HA_MAXDIM], stride[HA_MAXDIM];
} vview;

/* The number of source axes key consumes (a boolean mask one per
** dimension) and, in *narr, how many index arrays it holds; -1 with
** IndexError for a second Ellipsis or more indices than axes. */
int ha__ix_consumed(const ha_array *a, int n, const ha_index *key, int *narr);
/* start/step/count of slice k over an axis of length n (ValueError for a
** zero step). */
int ha__ix_slice(const ha_index *k, int64_t n, int64_t *start, int64_t *step, int64_t *count);
/* The part [k0, k0 + cnt) of an ascending selection that falls in the
** global range [off, off + len). */
void ha__ix_local_part(const axsel *s, int64_t off, int64_t len, int64_t *k0, int64_t *cnt);
/* The same elements as s, in ascending order. */
axsel ha__ix_ascending(axsel s);
/* Every rank's range [lo, lo + cnt) of selection positions along split
** axis selection sx (either step sign). */
int ha__ix_ranges(const ha_array *a, const axsel *sx, int64_t *lo, int64_t *cnt);
/* "(3, 4)" into buf. */
size_t ha__ix_shape_str(char *buf, size_t n, int nd, const int64_t *s);
/* Rows want[0 .. nw) (global, along split axis ax of x) into out (x's
** local shape with nw rows along ax); see index.c.  Collective. */
int ha__ix_fetch_rows(const ha_array *x, int ax, int64_t nw, const int64_t *want,
                      const int64_t *all_want, const int64_t *all_cnt, void *out, const char *what);
/* The shared request/response exchange.  This rank wants nw rows: row k,
** named tag[k], is held by rank own[k].  The holders pack each requested
** row (rowbytes) with pack(); each arrives through place(k, row) or, when
** place is NULL, at out + k * rowbytes.  An Alltoall of counts, an
** Alltoallv of tags and an Alltoallv of rows.  Collective. */
typedef void (*ha__ix_pack_fn)(int64_t tag, char *dst, void *ctx);
typedef void (*ha__ix_place_fn)(int64_t k, const char *row, void *ctx);
int ha__ix_pull_rows(ha_comm *c, int64_t nw, const int *own, const int64_t *tag, int64_t rowbytes,
                     ha__ix_pack_fn pack, ha__ix_place_fn place, void *ctx, char *out, int64_t gbytes,
                     const char *what);
/* 5 * P int64 of exchange bookkeeping (MemoryError set when NULL). */
int64_t *ha__ix_xbook(int P);
/* Per-peer int64 counts sent (sc) and received (rc): one Alltoall. */
int ha__ix_xcounts(const int64_t *sc, int64_t *rc, ha_comm *c, const char *what);
/* The start of an exchange that sends entry k of n to rank own[k]: its
** bookkeeping (ha__ix_xbook: sc, rc, sd, rd, cur) with the per-rank counts
** sent in sc and received in rc (ha__ix_xcounts), *ntot = the entries this
** rank receives.  NULL (agreed across ranks) on failure.  Collective. */
int64_t *ha__ix_route(ha_comm *c, int64_t n, const int *own, int64_t *ntot, int64_t gbytes, const char *what);
/* c (split along o, any chunk map) reversed along o, balanced: ONE
** Alltoallv.  Releases c.  Collective. */
ha_array *ha__ix_reverse(ha_array *c, int o, const char *what);
/* The value converted to dtype t and checked against an nd-axis selection
** of shape `shape` (ValueError "could not broadcast ..."). */
ha_array *ha__ix_prep_value(const ha_array *v, ha_dtype t, int nd, const int64_t *shape);
/* The value's local part made to cover R positions [lo[me], lo[me] +
** cnt[me]) along R axis o (o < 0: the whole value).  Collective. */
int ha__ix_align_value(const ha_array *v, int nd, int o, const int64_t *lo, const int64_t *cnt,
                       vview *vw);
void ha__ix_vview_free(vview *vw);

/* Keys with several advanced items (index_adv.c).  ha__ix_multi tells
** whether the key needs them: two or more index arrays / masks, an integer
** index array that is not 1-D, or a 0-d one. */
int ha__ix_multi(int n, const ha_index *key);
ha_array *ha__getitem_adv(const ha_array *a, int n, const ha_index *key);
int ha__setitem_adv(ha_array *a, int n, const ha_index *key, const ha_array *v, const ha_scalar *sv);

#endif
