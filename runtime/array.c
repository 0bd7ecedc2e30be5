/*
** array.c — the distributed array: allocation with a chunk map,
** reference counting, sizes, balance, and redistribution to another
** chunk map (one Alltoallv).
**
** Layout: every rank holds a C-contiguous block `data` of shape lshape.
** For a split array lmap[r] is the length along the split axis held by
** rank r (replicated), loffset the global index of this rank's first row.
** Buffers are 64-byte aligned and never NULL (zero-size chunks get a
** small allocation), so kernels need no special case.
**
** Large buffers are recycled.  glibc serves every allocation above 32 MiB
** with a fresh mmap, whose pages fault in on first write: `c = a + b` on
** 2e7 float32 then runs at half the machine's bandwidth, the faults
** costing as much as the arithmetic.  So a released buffer of at least
** BUF_MIN bytes goes to a small cache (at most BUF_SLOTS buffers and
** BUF_TOTAL bytes; the oldest is freed first) and the next allocation of
** about that size (at most 1/8 larger) takes it with its pages mapped.
** The cache knows each buffer's true capacity from a table of the large
** buffers handed out, so nothing is reused beyond its size.
**
** A fresh buffer of HUGE_MIN bytes or more is 2 MiB aligned and marked for
** transparent huge pages (Debian's default THP mode is "madvise"): its
** first touch then faults 512 times less often.  Measured on a 128 MiB
** resplit target, first writes took 0.08-0.11 s with 4 KiB pages and
** 0.035 s with huge pages, while the Alltoall itself takes ~0.03 s.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "ha.h"
#include "internal.h"

#define ALIGN 64

void ha_chunk_map(int64_t n, int size, int64_t *lmap)
{
	for (int r = 0; r < size; r++)
		ha_chunk(n, size, r, NULL, &lmap[r]);
}

int64_t ha_gnumel(const ha_array *a)
{
	int64_t n = 1;
	for (int d = 0; d < a->ndim; d++)
		n *= a->gshape[d];
	return n;
}

int64_t ha_lnumel(const ha_array *a)
{
	int64_t n = 1;
	for (int d = 0; d < a->ndim; d++)
		n *= a->lshape[d];
	return n;
}

int64_t ha_lnbytes(const ha_array *a)
{
	return ha_lnumel(a) * (int64_t)ha_dtype_size(a->dtype);
}

int64_t ha_gnbytes(const ha_array *a)
{
	return ha_gnumel(a) * (int64_t)ha_dtype_size(a->dtype);
}

int ha_is_distributed(const ha_array *a)
{
	return a->split >= 0 && a->comm->size > 1;
}

int ha_is_balanced(const ha_array *a)
{
	if (a->split < 0)
		return 1;
	for (int r = 0; r < a->comm->size; r++) {
		int64_t c;
		ha_chunk(a->gshape[a->split], a->comm->size, r, NULL, &c);
		if (c != a->lmap[r])
			return 0;
	}
	return 1;
}

ha_array *ha_retain(ha_array *a)
{
	if (a)
		a->refs++;
	return a;
}

/* ---- the large-buffer cache (single-threaded: the interpreter's thread) ---- */
#define BUF_MIN   ((size_t)1 << 20)
#define HUGE_MIN  ((size_t)8 << 20)
#define HUGE_PAGE ((size_t)2 << 20)
#define BUF_SLOTS 8
#define BUF_TOTAL ((size_t)1 << 30)

typedef struct buf { void *p; size_t cap; } buf;
static buf *live;                  /* large buffers handed out */
static size_t nlive, maxlive;
static buf cached[BUF_SLOTS];      /* released, oldest first */
static int ncached;
static size_t cached_bytes;
static int cache_atexit;

static void buf_cache_free(void)
{
	for (int i = 0; i < ncached; i++)
		free(cached[i].p);
	ncached = 0;
	cached_bytes = 0;
	free(live);
	live = NULL;
	nlive = maxlive = 0;
}

/* Remember a large buffer handed out; 0, or -1 when the table cannot grow
** (the buffer then simply bypasses the cache). */
static int buf_track(void *p, size_t cap)
{
	if (nlive == maxlive) {
		size_t m = maxlive ? 2 * maxlive : 64;
		buf *t = realloc(live, m * sizeof *t);
		if (!t)
			return -1;
		live = t;
		maxlive = m;
	}
	live[nlive++] = (buf){ p, cap };
	if (!cache_atexit) {
		cache_atexit = 1;
		atexit(buf_cache_free);
	}
	return 0;
}

/* A 64-byte aligned buffer of nb bytes (a multiple of ALIGN), or NULL. */
static void *buf_alloc(size_t nb)
{
	void *p;
	if (nb >= BUF_MIN) {
		int best = -1;
		for (int i = 0; i < ncached; i++)
			if (cached[i].cap >= nb && cached[i].cap - nb <= nb / 8 &&
			    (best < 0 || cached[i].cap < cached[best].cap))
				best = i;
		if (best >= 0) {
			buf b = cached[best];
			memmove(cached + best, cached + best + 1, sizeof *cached * (size_t)(ncached - best - 1));
			ncached--;
			cached_bytes -= b.cap;
			if (buf_track(b.p, b.cap) == 0)
				return b.p;
			free(b.p);
		}
	}
	if (posix_memalign(&p, nb >= HUGE_MIN ? HUGE_PAGE : ALIGN, nb ? nb : ALIGN) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	if (nb >= HUGE_MIN)
		(void)madvise(p, nb, MADV_HUGEPAGE);   /* a hint: failure changes nothing */
#endif
	if (nb >= BUF_MIN)
		(void)buf_track(p, nb);   /* untracked: freed, not cached, on release */
	return p;
}

static void buf_release(void *p)
{
	size_t i, cap;
	if (!p)
		return;
	for (i = nlive; i-- > 0;)
		if (live[i].p == p)
			break;
	if (i == (size_t)-1) {
		free(p);
		return;
	}
	cap = live[i].cap;
	live[i] = live[--nlive];
	if (cap > BUF_TOTAL) {
		free(p);
		return;
	}
	while (ncached > 0 && (ncached == BUF_SLOTS || cached_bytes + cap > BUF_TOTAL)) {
		free(cached[0].p);
		cached_bytes -= cached[0].cap;
		memmove(cached, cached + 1, sizeof *cached * (size_t)(--ncached));
	}
	cached[ncached++] = (buf){ p, cap };
	cached_bytes += cap;
}

void ha_release(ha_array *a)
{
	if (!a || --a->refs > 0)
		return;
	buf_release(a->data);
	free(a->lmap);
	free(a);
}

void *ha__malloc(size_t n)
{
	return malloc(n ? n : 1);
}

int ha__xplan_init(ha__xplan *x, int P, const int64_t *smap, const int64_t *tmap,
                   const char *what)
{
	int64_t *cnt = ha__malloc(sizeof(int64_t) * 6 * (size_t)P);
	if (!cnt)
		return ha_error_set(HA_EMEMORY, "out of memory in %s", what);
	x->sc = cnt;
	x->sd = cnt + P;
	x->rc = cnt + 2 * P;
	x->rd = cnt + 3 * P;
	x->soff = cnt + 4 * P;
	x->toff = cnt + 5 * P;
	x->soff[0] = x->toff[0] = 0;
	for (int r = 1; r < P; r++) {
		x->soff[r] = x->soff[r - 1] + smap[r - 1];
		x->toff[r] = x->toff[r - 1] + tmap[r - 1];
	}
	return 0;
}

void ha__xplan_free(ha__xplan *x)
{
	free(x->sc);
	x->sc = NULL;
}

int ha__owner_of(const int64_t *off, int P, int64_t g)
{
	int lo = 0, hi = P - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (off[mid] <= g)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

int ha__agree(int failed, int64_t gbytes, ha_comm *c, const char *what)
{
	int any = failed;
	if (c->size > 1 && gbytes >= HA_AGREE_BYTES)
		if (ha_allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, c, what) != 0)
			return -1;
	if (!any)
		return 0;
	if (failed)
		return ha_error_set(HA_EMEMORY, "out of memory in %s (%lld bytes)", what,
		                    (long long)gbytes);
	return ha_error_set(HA_EMEMORY, "out of memory in %s on another rank", what);
}

ha_array *ha_array_alloc_lmap(ha_dtype dtype, int ndim, const int64_t *gshape,
                              int split, const int64_t *lmap, ha_device dev, ha_comm *comm)
{
	ha_array *a;
	int failed = 0;
	int64_t sum = 0, gnum = 1;
	if (!comm)
		comm = ha_comm_world();
	if ((unsigned)dtype >= HA_NDTYPES) {
		ha_error_set(HA_ETYPE, "data type %d is not understood", (int)dtype);
		return NULL;
	}
	if (ndim < 0 || ndim > HA_MAXDIM) {
		ha_error_set(HA_EVALUE, "number of dimensions %d is out of range (at most %d)", ndim,
		             HA_MAXDIM);
		return NULL;
	}
	for (int d = 0; d < ndim; d++) {
		if (gshape[d] < 0) {
			ha_error_set(HA_EVALUE, "negative dimensions are not allowed");
			return NULL;
		}
		gnum *= gshape[d];
	}
	if (split < -1 || split >= ndim) {
		ha_error_set(HA_EVALUE, "split axis %d is out of bounds for an array of dimension %d",
		             split, ndim);
		return NULL;
	}
	if (split >= 0 && lmap) {
		for (int r = 0; r < comm->size; r++) {
			if (lmap[r] < 0) {
				ha_error_set(HA_EVALUE, "chunk map entry %lld is negative", (long long)lmap[r]);
				return NULL;
			}
			sum += lmap[r];
		}
		if (sum != gshape[split]) {
			ha_error_set(HA_EVALUE, "chunk map sums to %lld, but the split axis has length %lld",
			             (long long)sum, (long long)gshape[split]);
			return NULL;
		}
	}
	a = calloc(1, sizeof *a);
	if (!a)
		failed = 1;
	else {
		a->refs = 1;
		a->dtype = dtype;
		a->ndim = ndim;
		a->split = split;
		a->device = dev;
		a->comm = comm;
		for (int d = 0; d < ndim; d++)
			a->gshape[d] = a->lshape[d] = gshape[d];
		if (split >= 0) {
			a->lmap = malloc(sizeof(int64_t) * (size_t)comm->size);
			if (!a->lmap)
				failed = 1;
			else {
				if (lmap)
					memcpy(a->lmap, lmap, sizeof(int64_t) * (size_t)comm->size);
				else
					ha_chunk_map(gshape[split], comm->size, a->lmap);
				a->loffset = 0;
				for (int r = 0; r < comm->rank; r++)
					a->loffset += a->lmap[r];
				a->lshape[split] = a->lmap[comm->rank];
			}
		}
		if (!failed) {
			size_t nb = (size_t)ha_lnbytes(a);
			nb = (nb + ALIGN - 1) / ALIGN * ALIGN;
			if (!(a->data = buf_alloc(nb)))
				failed = 1;
			a->balanced = split < 0 || !lmap || ha_is_balanced(a);
		}
	}
	if (ha__agree(failed, gnum * (int64_t)ha_dtype_size(dtype), comm, "alloc") != 0) {
		if (a) {
			a->refs = 1;
			ha_release(a);
		}
		return NULL;
	}
	return a;
}

ha_array *ha_array_alloc(ha_dtype dtype, int ndim, const int64_t *gshape,
                         int split, ha_device dev, ha_comm *comm)
{
	return ha_array_alloc_lmap(dtype, ndim, gshape, split, NULL, dev, comm);
}

ha_array *ha_copy(const ha_array *a)
{
	ha_array *b = ha_array_alloc_lmap(a->dtype, a->ndim, a->gshape, a->split, a->lmap,
	                                  a->device, a->comm);
	if (!b)
		return NULL;
	size_t nb = (size_t)ha_lnbytes(a);
	const char *s = a->data;
	char *t = b->data;
	/* memory-bound: split the copy across threads for large chunks */
#pragma omp parallel for schedule(static) if (nb > (1 << 22))
	for (int64_t blk = 0; blk < (int64_t)((nb + 65535) / 65536); blk++) {
		size_t o = (size_t)blk * 65536, n = nb - o < 65536 ? nb - o : 65536;
		memcpy(t + o, s + o, n);
	}
	return b;
}

void ha_array_swap(ha_array *a, ha_array *b)
{
	ha_array tmp = *a;
	int64_t ra = a->refs, rb = b->refs;
	*a = *b;
	*b = tmp;
	a->refs = ra;
	b->refs = rb;
}

/* Shape of the box of rows [lo, hi) along the split axis of a. */
static void rows_box(const ha_array *a, int64_t lo, int64_t hi, int64_t *box)
{
	for (int d = 0; d < a->ndim; d++)
		box[d] = a->lshape[d];
	box[a->split] = hi - lo;
}

ha_array *ha_redistribute(const ha_array *a, const int64_t *target)
{
	int P = a->comm->size, me = a->comm->rank, k = a->split;
	ha_array *b;
	ha__xplan x;
	int64_t *sc, *sd, *rc, *rd, *toff, *soff;
	int64_t row = (int64_t)ha_dtype_size(a->dtype);
	char *sbuf = NULL, *rbuf = NULL;
	int rcode = 0;
	if (k < 0) {
		ha_error_set(HA_EVALUE, "redistribute needs a split array");
		return NULL;
	}
	for (int d = 0; d < a->ndim; d++)
		if (d != k)
			row *= a->gshape[d];   /* bytes per row along split */
	b = ha_array_alloc_lmap(a->dtype, a->ndim, a->gshape, k, target, a->device, a->comm);
	if (!b)
		return NULL;
	if (P == 1) {
		memcpy(b->data, a->data, (size_t)ha_lnbytes(a));
		return b;
	}
	if (ha__xplan_init(&x, P, a->lmap, target, "redistribute") != 0) {
		ha_release(b);
		return NULL;
	}
	sc = x.sc, sd = x.sd, rc = x.rc, rd = x.rd, soff = x.soff, toff = x.toff;
	/* rows I send to r: my rows intersected with r's target rows; rows I
	** receive from r: r's rows intersected with my target rows. */
	int64_t stot = 0, rtot = 0;
	for (int r = 0; r < P; r++) {
		int64_t lo = a->loffset > toff[r] ? a->loffset : toff[r];
		int64_t hi = a->loffset + a->lmap[me] < toff[r] + target[r] ?
		             a->loffset + a->lmap[me] : toff[r] + target[r];
		sc[r] = hi > lo ? (hi - lo) * row : 0;
		sd[r] = stot;
		stot += sc[r];
		lo = soff[r] > toff[me] ? soff[r] : toff[me];
		hi = soff[r] + a->lmap[r] < toff[me] + target[me] ?
		     soff[r] + a->lmap[r] : toff[me] + target[me];
		rc[r] = hi > lo ? (hi - lo) * row : 0;
		rd[r] = rtot;
		rtot += rc[r];
	}
	/* When split is axis 0 (or every axis before it has length 1) the rows
	** are contiguous in both buffers: send and receive in place. */
	int contiguous = 1;
	for (int d = 0; d < k; d++)
		if (a->gshape[d] != 1)
			contiguous = 0;
	if (contiguous) {
		for (int r = 0; r < P; r++) {
			int64_t lo = a->loffset > toff[r] ? a->loffset : toff[r];
			sd[r] = sc[r] ? (lo - a->loffset) * row : 0;
			lo = soff[r] > toff[me] ? soff[r] : toff[me];
			rd[r] = rc[r] ? (lo - toff[me]) * row : 0;
		}
		rcode = ha_alltoall_bytes(a->data, sc, sd, b->data, rc, rd, a->comm, "redistribute");
	} else {
		sbuf = ha__malloc((size_t)stot);
		rbuf = ha__malloc((size_t)rtot);
		if (ha__agree(!sbuf || !rbuf, ha_gnbytes(a), a->comm, "redistribute") != 0) {
			rcode = -1;
		} else {
			int64_t box[HA_MAXDIM], zero[HA_MAXDIM] = { 0 }, off[HA_MAXDIM] = { 0 };
			for (int r = 0; r < P; r++) {
				if (!sc[r])
					continue;
				int64_t lo = a->loffset > toff[r] ? a->loffset : toff[r];
				rows_box(a, 0, sc[r] / row, box);
				off[k] = lo - a->loffset;
				ha_copy_box(ha_dtype_size(a->dtype), a->ndim, box, a->data, a->lshape, off,
				            sbuf + sd[r], box, zero);
			}
			rcode = ha_alltoall_bytes(sbuf, sc, sd, rbuf, rc, rd, a->comm, "redistribute");
			for (int r = 0; rcode == 0 && r < P; r++) {
				if (!rc[r])
					continue;
				int64_t lo = soff[r] > toff[me] ? soff[r] : toff[me];
				rows_box(b, 0, rc[r] / row, box);
				off[k] = lo - toff[me];
				ha_copy_box(ha_dtype_size(a->dtype), a->ndim, box, rbuf + rd[r], box, zero,
				            b->data, b->lshape, off);
			}
		}
	}
	free(sbuf);
	free(rbuf);
	ha__xplan_free(&x);
	if (rcode != 0) {
		ha_release(b);
		return NULL;
	}
	return b;
}

int ha_redistribute_(ha_array *a, const int64_t *target)
{
	ha_array *b = ha_redistribute(a, target);
	if (!b)
		return -1;
	ha_array_swap(a, b);
	ha_release(b);
	return 0;
}

int ha_balance_(ha_array *a)
{
	int64_t *map;
	int rc;
	if (a->split < 0 || ha_is_balanced(a)) {
		a->balanced = 1;
		return 0;
	}
	map = malloc(sizeof(int64_t) * (size_t)a->comm->size);
	if (!map)
		return ha_error_set(HA_EMEMORY, "out of memory in balance_");
	ha_chunk_map(a->gshape[a->split], a->comm->size, map);
	rc = ha_redistribute_(a, map);
	free(map);
	return rc;
}
