/*
** sort_dist.c — sort of a 1-D array along its split axis on P > 1 ranks:
** a sample sort that partitions first and sorts once.
**
**   1. every rank draws up to SAMPLES (key, global index) pairs at regular
**      places of its unsorted chunk; one Allgatherv, the same sort of all
**      samples everywhere, P-1 splitters at regular places of it;
**   2. one read of the chunk counts the elements of each destination
**      (branch-free search among the splitters), the P x P counts go round
**      in one Allgatherv;
**   3. a second read writes each element's key (and global index) to its
**      destination: this rank's own part straight into its receive buffer,
**      the others' into the send buffer of ONE Alltoallv (one more for the
**      indices of argsort);
**   4. one radix sort (sort_radix.c) of what arrived writes the values
**      (and indices) straight into the balanced result where they belong
**      there, and the few elements that belong to a neighbour (the sample
**      splitters are only nearly balanced) into a side buffer;
**   5. one Alltoallv moves those to their owners (skipped when the
**      splitters happened to balance exactly).
**
** Order: (key, global index), a total order, so splitters cut even a run
** of equal values, and the elements of one destination arrive by rank in
** global index order; the stable radix sort then keeps ties in index
** order.  Values, indices and the balanced chunk map are therefore those
** of a stable sort of the whole array, whatever the number of ranks.
** Compared with sorting locally, exchanging and merging, every element is
** converted, moved and sorted once.
*/
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "ha.h"
#include "internal.h"
#include "manip_internal.h"
#include "sort_internal.h"

/* Samples per rank: the splitters then cut within about N / sqrt(P *
** SAMPLES) of the balanced places, so step 5 moves ~1% of the elements. */
#define SAMPLES 4096

/* Up to this many ranks the counting reads the chunk once per splitter. */
#define FEW 4

typedef struct sample { uint64_t key; int64_t tie; } sample;

static int sample_cmp(const void *x, const void *y)
{
	const sample *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->tie > b->tie) - (a->tie < b->tie);
}

/* ---- large scratch ----
** Touching fresh memory page by page costs a fault per 4 KiB page, about
** as much as the sort's own work on that page; mapping a large buffer's
** pages in one call costs half that. */

#define BIG (1 << 20)

static void *big_alloc(size_t n)
{
#ifdef MAP_POPULATE
	if (n >= BIG) {
		void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		               -1, 0);
		return p == MAP_FAILED ? NULL : p;
	}
#endif
	return malloc(n ? n : 1);
}

static void big_free(void *p, size_t n)
{
	if (!p)
		return;
#ifdef MAP_POPULATE
	if (n >= BIG) {
		munmap(p, n);
		return;
	}
#endif
	free(p);
}

/* Map the pages of an array's fresh data in one call (where the kernel
** can; otherwise they fault in as they are written). */
static void prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE), a = ((uintptr_t)p + pg - 1) & ~(pg - 1),
	          e = ((uintptr_t)p + n) & ~(pg - 1);
	if (n >= BIG && e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

/* Steps 2 and 3 of one thread. */
typedef struct part_job {
	const char *a;
	int64_t n, base;
	uint64_t flip;
	const uint64_t *sk; /* splitters 1..m-1 (m a power of 2, padded with the largest pair) */
	const int64_t *st;
	int m, P, nt;
	int64_t *tc;        /* per-thread counts [nt][P] */
	char **kd;          /* scatter: where each destination's keys go */
	int64_t **id;       /* and its global indices (NULL: not wanted) */
} part_job;

/* Destination of (k, g): the number of splitters at or below it. */
SK_INLINE int dest_of(const part_job *j, uint64_t k, int64_t g)
{
	int b = 0;
	for (int step = j->m / 2; step > 0; step /= 2) {
		int c = b + step;
		int ge = (k > j->sk[c]) | ((k == j->sk[c]) & (g >= j->st[c]));
		b += step & -ge;
	}
	return b;
}

SK_INLINE void part_thread(int t, part_job *j, int scatter)
{
	const int w = sk_width(t), es = sk_size(t);
	int T = j->nt, me = T > 1 ? omp_get_thread_num() : 0;
	int64_t b0 = j->n * me / T, b1 = j->n * (me + 1) / T;
	int64_t *c = j->tc + (size_t)me * j->P;
	if (!scatter && j->P <= FEW) {
		/* few splitters: for each, how many elements are at or above it
		** (a comparison sum the compiler vectorizes) */
		int64_t above[FEW + 1];
		above[0] = b1 - b0;
		above[j->P] = 0;
		for (int r = 1; r < j->P; r++) {
			uint64_t sk = j->sk[r];
			int64_t st = j->st[r] - j->base, s = 0;
			#pragma omp simd reduction(+:s)
			for (int64_t i = b0; i < b1; i++) {
				uint64_t k = sk_key(t, j->a + i * es) ^ j->flip;
				s += (k > sk) | ((k == sk) & (i >= st));
			}
			above[r] = s;
		}
		for (int r = 0; r < j->P; r++)
			c[r] += above[r] - above[r + 1];
		return;
	}
	if (!scatter) {
		for (int64_t i = b0; i < b1; i++)
			c[dest_of(j, sk_key(t, j->a + i * es) ^ j->flip, j->base + i)]++;
		return;
	}
	/* this thread's place in each destination: after the lower threads' */
	char *kd[j->P];
	int64_t *id[j->P];
	for (int b = 0; b < j->P; b++) {
		int64_t o = 0;
		for (int u = 0; u < me; u++)
			o += j->tc[(size_t)u * j->P + b];
		kd[b] = j->kd[b] + o * w;
		id[b] = j->id ? j->id[b] + o : NULL;
	}
	int64_t o[j->P];
	memset(o, 0, sizeof o);
	for (int64_t i = b0; i < b1; i++) {
		uint64_t k = sk_key(t, j->a + i * es) ^ j->flip;
		int64_t g = j->base + i;
		int b = dest_of(j, k, g);
		sk_put(kd[b], w, o[b], k);
		if (j->id)
			id[b][o[b]] = g;
		o[b]++;
	}
}

#define PART(NAME, T)                                   \
	static void NAME(part_job *j, int scatter)          \
	{                                                   \
		part_thread(T, j, scatter);                     \
	}
PART(p_bool, HA_BOOL)
PART(p_u8, HA_UINT8)
PART(p_i8, HA_INT8)
PART(p_i16, HA_INT16)
PART(p_i32, HA_INT32)
PART(p_i64, HA_INT64)
PART(p_f32, HA_FLOAT32)
PART(p_f64, HA_FLOAT64)

static void part_dispatch(ha_dtype t, part_job *j, int scatter)
{
	switch (t) {
	case HA_BOOL: p_bool(j, scatter); break;
	case HA_UINT8: p_u8(j, scatter); break;
	case HA_INT8: p_i8(j, scatter); break;
	case HA_INT16: p_i16(j, scatter); break;
	case HA_INT32: p_i32(j, scatter); break;
	case HA_INT64: p_i64(j, scatter); break;
	case HA_FLOAT32: p_f32(j, scatter); break;
	case HA_FLOAT64: p_f64(j, scatter); break;
	default: break;
	}
}

static void part_run(ha_dtype t, part_job *j, int scatter)
{
	if (j->nt > 1) {
		#pragma omp parallel num_threads(j->nt)
		part_dispatch(t, j, scatter);
	} else {
		part_dispatch(t, j, scatter);
	}
}

/* Length of [a0, a1) and [b0, b1) in common; *at its start. */
static int64_t overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1, int64_t *at)
{
	int64_t s = a0 > b0 ? a0 : b0, e = a1 < b1 ? a1 : b1;
	*at = s;
	return e > s ? e - s : 0;
}

/* Step 5: move the side buffer's elements (sorted positions G + q) of
** element size es to the ranks whose balanced chunks hold them. */
static int rebalance(const char *side, int es, const int64_t *R, const int64_t *bal, int64_t G,
                     int64_t T0, char *out, int64_t *cnt, ha_comm *c)
{
	int P = c->size, me = c->rank;
	int64_t *sc = cnt, *sd = sc + P, *rc = sd + P, *rd = rc + P, Ts = 0, Gs = 0, at;
	for (int r = 0; r < P; r++) {
		sc[r] = sd[r] = rc[r] = rd[r] = 0;
		if (r != me) {
			sc[r] = overlap(G, G + R[me], Ts, Ts + bal[r], &at) * es;
			sd[r] = (at - G) * es;
			rc[r] = overlap(T0, T0 + bal[me], Gs, Gs + R[r], &at) * es;
			rd[r] = (at - T0) * es;
			if (!sc[r])
				sd[r] = 0;
			if (!rc[r])
				rd[r] = 0;
		}
		Ts += bal[r];
		Gs += R[r];
	}
	return ha_alltoall_bytes(side, sc, sd, out, rc, rd, c, "sort");
}

int ha__sort_dist(const ha_array *a, int desc, ha_array **v, ha_array **ix)
{
	ha_comm *c = a->comm;
	int P = c->size, me = c->rank;
	ha_dtype t = a->dtype;
	int64_t n = a->lshape[0], base = a->loffset;
	int kw = sk_width(t), es = sk_size(t), want_ix = ix != NULL, rc = -1, m = 1;
	uint64_t flip = desc ? sk_flip(t) : 0;
	while (m < P)
		m *= 2;
	int nt = n >= SORT_PAR_MIN ? omp_get_max_threads() : 1;
	if (nt < 1)
		nt = 1;
	int64_t S = 0, *ns = malloc(sizeof(int64_t) * (size_t)(2 * P + P * P + 8 * P + (int64_t)nt * P));
	if (!ns)
		return ha__agree(1, 0, c, "sort");
	int64_t *sdis = ns + P, *M = sdis + P, *cnt = M + P * P, *R = cnt + 4 * P, *rd = R + P,
	        *sd = rd + P, *bal = sd + P, *tc = bal + P;
	for (int r = 0; r < P; r++) {
		int64_t s = a->lmap[r] < SAMPLES ? a->lmap[r] : SAMPLES;
		ns[r] = s * (int64_t)sizeof(sample);
		sdis[r] = S * (int64_t)sizeof(sample);
		S += s;
	}
	sample *smp = malloc(sizeof(sample) * (size_t)(S + 1));
	uint64_t *sk = malloc(sizeof(uint64_t) * (size_t)m);
	int64_t *st = malloc(sizeof(int64_t) * (size_t)m);
	/* received keys, send buffer then scratch; the same for indices */
	char *kr = NULL, *kx = NULL, *vside = NULL;
	int64_t *ir = NULL, *ixb = NULL, *iside = NULL;
	size_t kr_n = 0, kx_n = 0, ir_n = 0, ix_n = 0;
	ha_array *vv = NULL, *ii = NULL;
	if (ha__agree(!smp || !sk || !st, (int64_t)sizeof(sample) * S, c, "sort"))
		goto out;

	/* 1. samples and splitters */
	sample *mine = smp + sdis[me] / (int64_t)sizeof(sample);
	int64_t s_me = ns[me] / (int64_t)sizeof(sample);
	for (int64_t q = 0; q < s_me; q++) {
		int64_t i = (2 * q + 1) * n / (2 * s_me);
		mine[q].key = sk_key(t, (const char *)a->data + i * es) ^ flip;
		mine[q].tie = base + i;
	}
	if (ha_allgather_bytes(mine, ns[me], smp, ns, sdis, c, "sort"))
		goto out;
	qsort(smp, (size_t)S, sizeof(sample), sample_cmp);
	for (int r = 1; r < m; r++) {
		sk[r] = r < P && S ? smp[(int64_t)r * S / P].key : UINT64_MAX;
		st[r] = r < P && S ? smp[(int64_t)r * S / P].tie : INT64_MAX;
	}

	/* 2. destination counts, replicated */
	part_job pj = { (const char *)a->data, n, base, flip, sk, st, m, P, nt, tc, NULL, NULL };
	memset(tc, 0, sizeof(int64_t) * (size_t)nt * P);
	part_run(t, &pj, 0);
	int64_t *row = cnt;
	for (int b = 0; b < P; b++) {
		row[b] = 0;
		for (int u = 0; u < nt; u++)
			row[b] += tc[(size_t)u * P + b];
		ns[b] = P * (int64_t)sizeof(int64_t);
		sdis[b] = b * ns[b];
	}
	if (ha_allgather_bytes(row, ns[me], M, ns, sdis, c, "sort"))
		goto out;
	int64_t G = 0, ro = 0, so = 0;
	for (int r = 0; r < P; r++) {
		R[r] = 0;
		for (int s = 0; s < P; s++)
			R[r] += M[s * P + r];
		if (r < me)
			G += R[r];
		rd[r] = ro;
		ro += M[r * P + me];
		sd[r] = so;
		so += r == me ? 0 : M[me * P + r];
	}

	/* 3. keys (and global indices) to their destinations; the send buffer
	** is the radix sort's scratch afterwards */
	int64_t Rm = R[me], X = Rm > so ? Rm : so;
	kr_n = (size_t)Rm * kw;
	kx_n = (size_t)X * kw;
	kr = big_alloc(kr_n);
	kx = big_alloc(kx_n);
	if (want_ix) {
		ir_n = (size_t)Rm * 8;
		ix_n = (size_t)X * 8;
		ir = big_alloc(ir_n);
		ixb = big_alloc(ix_n);
	}
	if (ha__agree(!kr || !kx || (want_ix && (!ir || !ixb)),
	              ha_gnbytes(a) / es * (kw + (want_ix ? 8 : 0)) * 2, c, "sort"))
		goto out;
	{
		char *kd[P];
		int64_t *id[P];
		for (int b = 0; b < P; b++) {
			kd[b] = b == me ? kr + rd[me] * kw : kx + sd[b] * kw;
			id[b] = !want_ix ? NULL : b == me ? ir + rd[me] : ixb + sd[b];
		}
		pj.kd = kd;
		pj.id = want_ix ? id : NULL;
		part_run(t, &pj, 1);
	}
	for (int wide = 0; wide < 1 + want_ix; wide++) {
		int64_t sz = wide ? 8 : kw, *sc = cnt, *sdb = sc + P, *rcn = sdb + P, *rdb = rcn + P;
		for (int r = 0; r < P; r++) {
			sc[r] = r == me ? 0 : M[me * P + r] * sz;
			sdb[r] = sd[r] * sz;
			rcn[r] = r == me ? 0 : M[r * P + me] * sz;
			rdb[r] = rd[r] * sz;
		}
		if (ha_alltoall_bytes(wide ? (void *)ixb : kx, sc, sdb, wide ? (void *)ir : kr, rcn, rdb, c,
		                      "sort"))
			goto out;
	}

	/* 4. one sort of what arrived, into the balanced result */
	if (v && !(vv = ha_array_alloc(t, 1, a->gshape, 0, a->device, c)))
		goto out;
	if (want_ix && !(ii = ha_array_alloc(HA_INT64, 1, a->gshape, 0, a->device, c)))
		goto out;
	if (vv)
		prefault(vv->data, (size_t)ha_lnbytes(vv));
	if (ii)
		prefault(ii->data, (size_t)ha_lnbytes(ii));
	const ha_array *res = vv ? vv : ii;
	int64_t T0 = res->loffset, exact = 1;
	memcpy(bal, res->lmap, sizeof(int64_t) * (size_t)P);
	for (int r = 0; r < P; r++)
		exact &= bal[r] == R[r];
	int need_side = G < T0 || G + Rm > T0 + bal[me];
	if (need_side) {
		/* touched only where the elements of neighbours go */
		vside = vv ? ha__malloc((size_t)Rm * es) : NULL;
		iside = ii ? ha__malloc((size_t)Rm * 8) : NULL;
	}
	if (ha__agree(need_side && ((vv && !vside) || (ii && !iside)), ha_gnbytes(a), c, "sort"))
		goto out;
	sk_job j = { .n = Rm, .flip = flip, .kin = kr, .iin = ir, .want_idx = want_ix, .ka = kx,
	             .kb = kr, .ia = ixb, .ib = ir, .vout = vv ? vv->data : NULL, .vos = 1,
	             .iout = ii ? ii->data : NULL, .ios = 1, .lo = T0 - G, .hi = T0 - G + bal[me],
	             .vside = vside, .iside = iside };
	ha__radix(t, &j);

	/* 5. the neighbours' elements to them */
	if (!exact) {
		if (vv && rebalance(vside, es, R, bal, G, T0, vv->data, cnt, c))
			goto out;
		if (ii && rebalance((char *)iside, 8, R, bal, G, T0, ii->data, cnt, c))
			goto out;
	}
	if (v)
		*v = vv;
	if (ix)
		*ix = ii;
	vv = ii = NULL;
	rc = 0;
out:
	if (vv)
		ha_release(vv);
	if (ii)
		ha_release(ii);
	free(ns);
	free(smp);
	free(sk);
	free(st);
	big_free(kr, kr_n);
	big_free(kx, kx_n);
	big_free(ir, ir_n);
	big_free(ixb, ix_n);
	free(vside);
	free(iside);
	return rc;
}
