/*
** ht_random.c — ht.random: seed get_state set_state rand randn randint
** random (random_sample, ranf, sample) normal standard_normal uniform
** randperm permutation.
** The generator is counter based: values depend on (seed, call sequence,
** global element index), never on the number of ranks, and no generator
** communicates; seed() broadcasts rank 0's seed, and randperm/permutation
** sort (collective) to turn uniform numbers into a permutation.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ht_internal.h"

/* Shape from rand(2, 3) / rand((2, 3)) / rand(). */
static int dims_arg(hi_val tuple, int *nd, int64_t *shape)
{
	hi_tuple *t = hi_as_tuple(tuple);
	if (t->len == 1 && (t->items[0].kind == HI_TUPLE || t->items[0].kind == HI_LIST))
		return hi_get_shape(t->items[0], nd, shape, "shape");
	if (t->len > HA_MAXDIM)
		return hi_raisei(hi_ValueError, "at most %d dimensions are supported", HA_MAXDIM);
	for (size_t i = 0; i < t->len; i++) {
		if (t->items[i].kind != HI_INT)
			return hi_raisei(hi_TypeError, "dimensions must be ints, not '%s'", hi_type_name(t->items[i]));
		if (t->items[i].i < 0)
			return hi_raisei(hi_ValueError, "negative dimensions are not allowed");
		shape[i] = t->items[i].i;
	}
	*nd = (int)t->len;
	return 0;
}

/* An optional shape/size argument: None -> 0-d. */
static int size_arg(hi_val v, int *nd, int64_t *shape)
{
	if (hi_isabsent(v) || v.kind == HI_NONE) {
		*nd = 0;
		return 0;
	}
	return hi_get_shape(v, nd, shape, "size");
}

/* What every generator takes after its own parameters: the shape (a[0]),
** then dtype, split, device, comm (a[1..4]); fn names a float-only
** generator (NULL: any dtype, the caller checks). */
typedef struct {
	int nd, sp;
	int64_t shape[HA_MAXDIM];
	ha_dtype t;
	ha_device dev;
	ha_comm *cm;
} rng_req;

static int rng_args(const hi_val *a, int (*shape_of)(hi_val, int *, int64_t *), ha_dtype dflt,
                    const char *fn, rng_req *r)
{
	if (shape_of(a[0], &r->nd, r->shape) || hi_opt_dtype(a[1], dflt, &r->t)
	    || hi_get_split(a[2], r->nd, &r->sp) || hi_get_device(a[3], &r->dev) || hi_get_comm(a[4], &r->cm))
		return -1;
	if (fn && r->t != HA_FLOAT32 && r->t != HA_FLOAT64)
		return hi_raisei(hi_ValueError, "%s() supports only the dtypes ht.float32 and ht.float64, "
		                 "not ht.%s", fn, ha_dtype_name(r->t));
	return 0;
}

static hi_val f_seed(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t s;
	if (a[0].kind == HI_NONE) {
		s = (int64_t)time(NULL) ^ ((int64_t)clock() << 20);   /* rank 0's is broadcast */
	} else if (hi_as_int64(a[0], &s, "seed")) {
		return hi_err();
	}
	if (ha_random_seed(s))
		return hi_raise_ha();
	return hi_none();
}

static hi_val f_get_state(hi_val *a, void *ctx)
{
	(void)a;
	(void)ctx;
	int64_t seed, counter;
	ha_random_get_state(&seed, &counter);
	hi_val name = hi_str_cstr("Philox");
	hi_val t = hi_tuple_pack(5, name, hi_int(seed), hi_int(counter), hi_int(0), hi_float(0.0));
	hi_decref(name);
	return t;
}

static hi_val f_set_state(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_val s = a[0];
	if (s.kind != HI_TUPLE || hi_as_tuple(s)->len < 3 || hi_as_tuple(s)->items[0].kind != HI_STR)
		return hi_raise(hi_TypeError, "state must be a tuple (name, seed, counter, ...) as get_state() returns");
	hi_tuple *t = hi_as_tuple(s);
	const char *name = hi_as_str(t->items[0])->s;
	if (strcmp(name, "Philox") && strcmp(name, "Threefry"))
		return hi_raise(hi_ValueError, "algorithm must be 'Philox', not '%s'", name);
	int64_t seed, counter;
	if (hi_as_int64(t->items[1], &seed, "seed") || hi_as_int64(t->items[2], &counter, "counter"))
		return hi_err();
	ha_random_set_state(seed, counter);
	return hi_none();
}

static hi_val f_rand(hi_val *a, void *ctx)
{
	(void)ctx;
	rng_req r;
	if (rng_args(a, dims_arg, HA_FLOAT32, "rand", &r))
		return hi_err();
	return hi_array_new(ha_rand(r.t, r.nd, r.shape, r.sp, r.dev, r.cm));
}

static hi_val f_randn(hi_val *a, void *ctx)
{
	(void)ctx;
	rng_req r;
	if (rng_args(a, dims_arg, HA_FLOAT32, "randn", &r))
		return hi_err();
	return hi_array_new(ha_randn(r.t, r.nd, r.shape, r.sp, r.dev, r.cm));
}

static hi_val f_randint(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t low, high;
	if (hi_as_int64(a[0], &low, "low"))
		return hi_err();
	if (a[1].kind == HI_NONE) {
		high = low;
		low = 0;
	} else if (hi_as_int64(a[1], &high, "high")) {
		return hi_err();
	}
	rng_req r;
	if (rng_args(a + 2, size_arg, HA_INT32, NULL, &r))
		return hi_err();
	if (!ha_dtype_is_int(r.t))
		return hi_raise(hi_ValueError, "randint() needs an integer dtype, not ht.%s", ha_dtype_name(r.t));
	return hi_array_new(ha_randint(low, high, r.t, r.nd, r.shape, r.sp, r.dev, r.cm));
}

static hi_val f_random(hi_val *a, void *ctx)
{
	(void)ctx;
	rng_req r;
	if (rng_args(a, size_arg, HA_FLOAT32, "random", &r))
		return hi_err();
	return hi_array_new(ha_rand(r.t, r.nd, r.shape, r.sp, r.dev, r.cm));
}

static hi_val f_normal(hi_val *a, void *ctx)
{
	(void)ctx;
	double mean, std;
	if (hi_as_double(a[0], &mean, "mean") || hi_as_double(a[1], &std, "std"))
		return hi_err();
	if (std < 0)
		return hi_raise(hi_ValueError, "std must be non-negative");
	rng_req r;
	if (rng_args(a + 2, size_arg, HA_FLOAT32, "normal", &r))
		return hi_err();
	return hi_array_new(ha_random_normal(mean, std, r.t, r.nd, r.shape, r.sp, r.dev, r.cm));
}

static hi_val f_standard_normal(hi_val *a, void *ctx)
{
	(void)ctx;
	rng_req r;
	if (rng_args(a, size_arg, HA_FLOAT32, "standard_normal", &r))
		return hi_err();
	return hi_array_new(ha_randn(r.t, r.nd, r.shape, r.sp, r.dev, r.cm));
}

static hi_val f_uniform(hi_val *a, void *ctx)
{
	(void)ctx;
	double lo, hi;
	if (hi_as_double(a[0], &lo, "low") || hi_as_double(a[1], &hi, "high"))
		return hi_err();
	rng_req r;
	if (rng_args(a + 2, size_arg, HA_FLOAT32, "uniform", &r))
		return hi_err();
	return hi_array_new(ha_random_uniform(lo, hi, r.t, r.nd, r.shape, r.sp, r.dev, r.cm));
}

/* A random permutation of 0..n-1: the stable argsort of n uniform
** doubles, so it depends on the seed only, never on the rank count. */
static ha_array *randperm_array(int64_t n, ha_dtype t, int sp, ha_device dev, ha_comm *cm)
{
	int64_t shape[1] = { n };
	ha_array *u = ha_rand(HA_FLOAT64, 1, shape, sp, dev, cm);
	if (!u)
		return NULL;
	ha_array *idx = ha_argsort(u, 0, 0);
	ha_release(u);
	if (!idx || idx->dtype == t)
		return idx;
	ha_array *r = ha_astype(idx, t);
	ha_release(idx);
	return r;
}

static hi_val f_randperm(hi_val *a, void *ctx)
{
	(void)ctx;
	int64_t n;
	if (hi_as_int64(a[0], &n, "n"))
		return hi_err();
	if (n < 0)
		return hi_raise(hi_ValueError, "randperm(): n must be non-negative, got %lld", (long long)n);
	ha_dtype t;
	int sp;
	ha_device dev;
	ha_comm *cm;
	if (hi_opt_dtype(a[1], HA_INT64, &t) || hi_get_split(a[2], 1, &sp) || hi_get_device(a[3], &dev)
	    || hi_get_comm(a[4], &cm))
		return hi_err();
	if (!ha_dtype_is_int(t) && t != HA_FLOAT32 && t != HA_FLOAT64)
		return hi_raise(hi_TypeError, "randperm(): dtype must be an integer or floating type, not ht.%s",
		                ha_dtype_name(t));
	return hi_array_new(randperm_array(n, t, sp, dev, cm));
}

/* permutation(x): an int n gives randperm(n); an array is copied with its
** rows (first axis) in random order. */
static hi_val f_permutation(hi_val *a, void *ctx)
{
	(void)ctx;
	if (a[0].kind == HI_INT || a[0].kind == HI_BOOL) {
		if (a[0].i < 0)
			return hi_raise(hi_ValueError, "permutation(): n must be non-negative, got %lld",
			                (long long)a[0].i);
		ha_device dev;
		ha_comm *cm;
		if (hi_get_device(hi_none(), &dev) || hi_get_comm(hi_none(), &cm))
			return hi_err();
		return hi_array_new(randperm_array(a[0].i, HA_INT64, HA_SPLIT_NONE, dev, cm));
	}
	if (a[0].kind != HI_ARRAY)
		return hi_raise(hi_TypeError, "permutation(): x must be an int or a DNDarray, not '%s'",
		                hi_type_name(a[0]));
	ha_array *x = hi_arr(a[0]);
	if (x->ndim == 0)
		return hi_raise(hi_ValueError, "permutation(): x must be at least 1-dimensional");
	hi_val perm = hi_array_new(randperm_array(x->gshape[0], HA_INT64, HA_SPLIT_NONE, x->device, x->comm));
	if (hi_iserr(perm))
		return perm;
	hi_val r = hi_array_getitem(a[0], perm);
	hi_decref(perm);
	return r;
}

#define RNG_NOTE \
	"\n\nNo communication: each rank generates exactly its own elements; the\n" \
	"values depend on the seed, the call sequence and each element's global\n" \
	"index only, so they are the same for any number of ranks. split=k gives a\n" \
	"balanced array distributed along axis k."

static const hi_builtin_def random_defs[] = {
	{ "seed(seed=None)", f_seed,
	  "Seed the generator (None: from the clock) and reset its counter.\n"
	  "Collective: rank 0's seed is broadcast so all ranks agree." },
	{ "get_state()", f_get_state,
	  "The generator state as ('Philox', seed, counter, 0, 0.0). Not collective." },
	{ "set_state(state)", f_set_state,
	  "Restore a state returned by get_state(). Call it on every rank." },
	{ "rand(*d, dtype=None, split=None, device=None, comm=None)", f_rand,
	  "Uniform random numbers in [0, 1) of shape d (rand(2, 3) or rand((2, 3))),\n"
	  "dtype float32 by default." RNG_NOTE },
	{ "randn(*d, dtype=None, split=None, device=None, comm=None)", f_randn,
	  "Standard normal random numbers of shape d, dtype float32 by default.\n\n"
	  "Example: ht.random.randn(4000, 4000, split=0)" RNG_NOTE },
	{ "randint(low, high=None, size=None, dtype=None, split=None, device=None, comm=None)", f_randint,
	  "Random integers in [low, high) (or [0, low) when high is None) of shape\n"
	  "size, dtype int32 by default." RNG_NOTE },
	{ "random(shape=None, dtype=None, split=None, device=None, comm=None)", f_random,
	  "Uniform random numbers in [0, 1) of the given shape (float32)." RNG_NOTE },
	{ "random_sample(shape=None, dtype=None, split=None, device=None, comm=None)", f_random,
	  "The same as ht.random.random." },
	{ "ranf(shape=None, dtype=None, split=None, device=None, comm=None)", f_random,
	  "The same as ht.random.random." },
	{ "sample(shape=None, dtype=None, split=None, device=None, comm=None)", f_random,
	  "The same as ht.random.random." },
	{ "normal(mean=0.0, std=1.0, shape=None, dtype=None, split=None, device=None, comm=None)", f_normal,
	  "Normal random numbers with the given mean and standard deviation." RNG_NOTE },
	{ "standard_normal(shape=None, dtype=None, split=None, device=None, comm=None)", f_standard_normal,
	  "Standard normal random numbers of the given shape." RNG_NOTE },
	{ "randperm(n, dtype=None, split=None, device=None, comm=None)", f_randperm,
	  "A random permutation of the integers 0 .. n-1, dtype int64 by default.\n\n"
	  "Collective: the distributed stable argsort of n uniform numbers, so\n"
	  "the result is the same for any number of ranks. split=0 gives a\n"
	  "balanced distributed array." },
	{ "permutation(x)", f_permutation,
	  "An int x: randperm(x). An array x: a copy with its rows (first axis)\n"
	  "in random order; the split is kept. Collective (a distributed argsort\n"
	  "and, for an array, a fancy-index gather); the result is the same for\n"
	  "any number of ranks." },
	{ "uniform(low=0.0, high=1.0, size=None, dtype=None, split=None, device=None, comm=None)", f_uniform,
	  "Uniform random numbers in [low, high) of shape size." RNG_NOTE },
	{ 0 }
};

void hi_init_ht_random(hi_val random_module)
{
	hi_ht_register_into(random_module, random_defs);
}
