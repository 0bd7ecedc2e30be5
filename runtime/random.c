/*
** random.c — process-count-invariant random numbers.
**
** Generator: Philox4x32-10 (Salmon et al., SC'11), a counter-based
** generator: output = bijection_key(counter).  Element g of a call (its
** global C-order flat index) uses the 128-bit counter (state.counter + g, 0)
** and the key (seed low 32 bits, seed high 32 bits).  So a value depends
** only on (seed, how many elements earlier calls drew, g): each rank
** computes exactly its own elements and the array is the same at every
** rank count.  After a call the replicated counter advances by the global
** element count, so successive calls differ.
**
** From the four 32-bit words of one counter: float32 uniforms use 24 bits
** of word 0, float64 uniforms 53 bits of words 0-1, normals Box-Muller on
** two 53-bit uniforms (words 0-1 and 2-3, one normal per element), integers
** a 64-bit word scaled to the range by a 128-bit multiply.
** The default seed at ha_init is HA_RANDOM_DEFAULT_SEED (0), broadcast
** from rank 0 like every seed.
*/
#include <math.h>
#include <stdint.h>
#include "ha.h"
#include "internal.h"

#define BLOCK 1024

static int64_t st_seed = HA_RANDOM_DEFAULT_SEED, st_counter;

static inline void philox(uint64_t ctr, uint64_t seed, uint32_t out[4])
{
	uint32_t c0 = (uint32_t)ctr, c1 = (uint32_t)(ctr >> 32), c2 = 0, c3 = 0;
	uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
	for (int r = 0; r < 10; r++) {
		uint64_t p0 = (uint64_t)0xD2511F53u * c0, p1 = (uint64_t)0xCD9E8D57u * c2;
		uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n1 = (uint32_t)p1;
		uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1, n3 = (uint32_t)p0;
		c0 = n0;
		c1 = n1;
		c2 = n2;
		c3 = n3;
		k0 += 0x9E3779B9u;
		k1 += 0xBB67AE85u;
	}
	out[0] = c0;
	out[1] = c1;
	out[2] = c2;
	out[3] = c3;
}

int ha_random_seed(int64_t seed)
{
	ha_comm *w = ha_comm_world();
	int64_t s = seed;
	if (w->size > 1 && ha_bcast(&s, sizeof s, 0, w, "random.seed") != 0)
		return -1;
	st_seed = s;
	st_counter = 0;
	return 0;
}

void ha_random_get_state(int64_t *seed, int64_t *counter)
{
	if (seed)
		*seed = st_seed;
	if (counter)
		*counter = st_counter;
}

void ha_random_set_state(int64_t seed, int64_t counter)
{
	st_seed = seed;
	st_counter = counter;
}

typedef enum { GEN_UNIFORM, GEN_NORMAL, GEN_INT } gen_kind;

static inline double u53(uint32_t hi, uint32_t lo)
{
	return (double)((((uint64_t)hi << 32) | lo) >> 11) * 0x1.0p-53;
}

static ha_array *generate(gen_kind kind, double p0, double p1, int64_t ilo, uint64_t irange,
                          ha_dtype dtype, int ndim, const int64_t *shape, int split,
                          ha_device dev, ha_comm *comm)
{
	ha_array *a = ha_array_alloc(dtype, ndim, shape, split, dev, comm ? comm : ha_comm_world());
	if (!a)
		return NULL;
	int64_t n = ha_lnumel(a), runlen = n, len_k = 1, T = 1, off = 0;
	uint64_t base = (uint64_t)st_counter, seed = (uint64_t)st_seed;
	size_t es = ha_dtype_size(dtype);
	if (a->split >= 0) {
		for (int d = a->split + 1; d < ndim; d++)
			T *= a->gshape[d];
		len_k = a->gshape[a->split];
		off = a->loffset;
		runlen = a->lshape[a->split] * T;
	}
#pragma omp parallel for schedule(static) if (n > 4 * BLOCK)
	for (int64_t b = 0; b < (n + BLOCK - 1) / BLOCK; b++) {
		double dv[BLOCK];
		int64_t iv[BLOCK];
		int64_t lo = b * BLOCK, m = n - lo < BLOCK ? n - lo : BLOCK;
		for (int64_t i = 0; i < m; i++) {
			int64_t l = lo + i, g = l;
			uint32_t w[4];
			if (a->split >= 0)   /* local index -> global flat index */
				g = ((l / runlen) * len_k + off) * T + l % runlen;
			philox(base + (uint64_t)g, seed, w);
			switch (kind) {
			case GEN_UNIFORM:
				dv[i] = dtype == HA_FLOAT32 ? (double)(w[0] >> 8) * 0x1.0p-24 :
				        u53(w[0], w[1]);
				dv[i] = p0 + (p1 - p0) * dv[i];
				break;
			case GEN_NORMAL: {
				double u1 = 1.0 - u53(w[0], w[1]);   /* (0, 1] */
				double u2 = u53(w[2], w[3]);
				dv[i] = p0 + p1 * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
				break;
			}
			default: {
				uint64_t r = ((uint64_t)w[0] << 32) | w[1];
				iv[i] = ilo + (int64_t)(uint64_t)(((unsigned __int128)r * irange) >> 64);
				break;
			}
			}
		}
		if (kind == GEN_INT)
			ha_convert(dtype, (char *)a->data + (size_t)lo * es, HA_INT64, iv, m);
		else
			ha_convert(dtype, (char *)a->data + (size_t)lo * es, HA_FLOAT64, dv, m);
	}
	st_counter += ha_gnumel(a);
	return a;
}

static int need_float(ha_dtype dtype, const char *fn)
{
	if (dtype != HA_FLOAT32 && dtype != HA_FLOAT64)
		return ha_error_set(HA_EVALUE, "%s: dtype must be float32 or float64, got %s", fn,
		                    ha_dtype_name(dtype));
	return 0;
}

ha_array *ha_rand(ha_dtype dtype, int ndim, const int64_t *shape, int split, ha_device dev,
                  ha_comm *comm)
{
	if (need_float(dtype, "rand"))
		return NULL;
	return generate(GEN_UNIFORM, 0.0, 1.0, 0, 0, dtype, ndim, shape, split, dev, comm);
}

ha_array *ha_randn(ha_dtype dtype, int ndim, const int64_t *shape, int split, ha_device dev,
                   ha_comm *comm)
{
	if (need_float(dtype, "randn"))
		return NULL;
	return generate(GEN_NORMAL, 0.0, 1.0, 0, 0, dtype, ndim, shape, split, dev, comm);
}

ha_array *ha_random_uniform(double low, double high, ha_dtype dtype, int ndim,
                            const int64_t *shape, int split, ha_device dev, ha_comm *comm)
{
	if (need_float(dtype, "uniform"))
		return NULL;
	return generate(GEN_UNIFORM, low, high, 0, 0, dtype, ndim, shape, split, dev, comm);
}

ha_array *ha_random_normal(double mean, double std, ha_dtype dtype, int ndim,
                           const int64_t *shape, int split, ha_device dev, ha_comm *comm)
{
	if (need_float(dtype, "normal"))
		return NULL;
	if (std < 0) {
		ha_error_set(HA_EVALUE, "normal: std must be non-negative, got %g", std);
		return NULL;
	}
	return generate(GEN_NORMAL, mean, std, 0, 0, dtype, ndim, shape, split, dev, comm);
}

ha_array *ha_randint(int64_t low, int64_t high, ha_dtype dtype, int ndim, const int64_t *shape,
                     int split, ha_device dev, ha_comm *comm)
{
	if (ha_dtype_kind(dtype) != HA_KIND_INT) {
		ha_error_set(HA_EVALUE, "randint: dtype must be an integer type, got %s",
		             ha_dtype_name(dtype));
		return NULL;
	}
	if (low >= high) {
		ha_error_set(HA_EVALUE, "low >= high");
		return NULL;
	}
	return generate(GEN_INT, 0, 0, low, (uint64_t)high - (uint64_t)low, dtype, ndim, shape,
	                split, dev, comm);
}
