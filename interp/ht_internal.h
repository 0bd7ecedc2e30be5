/*
** ht_internal.h — what the array layer's files share (array.c,
** array_index.c, dtypeval.c, htfuncs.c, ht_*.c): the DNDarray value, the
** dtype and device values, argument conversion, and the bridge from
** libha's error record to exceptions.  Not a public interface: the rest of
** the interpreter sees arrays only through the value slots.
**
** Rank-local arrays (x.larray and everything computed from it) are
** ordinary ha_arrays whose communicator is hi_self_comm (MPI_COMM_SELF):
** every operation on them is then local by construction, printing formats
** each rank's own data, and their values carry local = 1.
*/
#ifndef HI_HT_INTERNAL_H
#define HI_HT_INTERNAL_H

#include <ha.h>
#include "interp.h"

/* ---- the DNDarray value (kind HI_ARRAY) ---- */
struct hi_halos;
typedef struct hi_array {
	hi_obj h;
	ha_array *a;
	struct hi_halos *halos;    /* x.get_halo()'s results (array_dist.c), or NULL */
} hi_array;

static inline ha_array *hi_arr(hi_val v) { return ((hi_array *)v.o)->a; }

extern ha_comm hi_self_comm;

/* Wrap a runtime array (steals the reference).  a == NULL means the
** runtime failed: the runtime error becomes the pending exception. */
hi_val hi_array_new(ha_array *a);
/* The pending runtime error as an exception (ValueError, TypeError ...). */
hi_val hi_raise_ha(void);
int hi_raise_hai(void);

/* Printing mode: 0 global (rank 0 prints the gathered array), 1 local. */
extern int hi_local_printing;

/* ---- dtype and device values (dtypeval.c) ---- */
hi_val hi_dtype_value(ha_dtype t);            /* new reference */
static inline int hi_is_dtype(hi_val v) { return v.kind == HI_DTYPE; }
ha_dtype hi_dtype_code(hi_val v);             /* v must be HI_DTYPE */
/* dtype= argument: an ht dtype, a Python type (int float bool complex) or
** a name ("float32", "f4", "int").  TypeError for anything else. */
int hi_get_dtype(hi_val v, ha_dtype *out);
/* dtype= with a default for None / absent. */
int hi_opt_dtype(hi_val v, ha_dtype dflt, ha_dtype *out);
hi_val hi_device_value(ha_device d);          /* new reference */
/* device= argument: None (cpu), a device value or a name ("cpu", "gpu"). */
int hi_get_device(hi_val v, ha_device *out);
void hi_init_dtypes(hi_val htdict);

/* ---- communicators (commval.c) ---- */
hi_val hi_comm_value(ha_comm *c);
ha_comm *hi_comm_of(hi_val v);
/* comm= argument: None (the world) or a communicator value. */
int hi_get_comm(hi_val v, ha_comm **out);

/* ---- argument conversion (htconv.c) ---- */
/* split=/axis= against ndim: None -> HA_SPLIT_NONE (split only); negative
** axes count from the end; ValueError when out of range. */
int hi_get_split(hi_val v, int ndim, int *out);
int hi_get_axis(hi_val v, int ndim, int *out);
/* axis=None/int/tuple of ints -> mask[ndim] (1 = reduce this axis);
** None marks every axis.  Returns the number of marked axes or -1. */
int hi_get_axes(hi_val v, int ndim, int *mask);
/* A shape: an int or a sequence of ints (ValueError for negatives). */
int hi_get_shape(hi_val v, int *ndim, int64_t *shape, const char *what);
/* A shape tuple value. */
hi_val hi_shape_tuple(int ndim, const int64_t *shape);

/* Python numbers: 1 with *s filled, 0 when v is not a number. */
int hi_val_scalar(hi_val v, ha_scalar *s);
/* The Python value of one element. */
hi_val hi_scalar_to_val(ha_scalar s);
hi_val hi_element_value(ha_dtype t, const void *p);
/* Anything array-like as a runtime array (new reference, NULL with an
** exception pending): DNDarrays are returned as they are (retained);
** Python numbers and nested lists/tuples become replicated arrays of
** dtype `dtype` (-1: inferred as Heat does: bool, int64, float32,
** complex64). */
ha_array *hi_as_array(hi_val v, int dtype, ha_comm *comm);
/* fn(v as an array) as a DNDarray value: the shape of ht.inv, ht.flatten ... */
hi_val hi_array_apply(hi_val v, ha_array *(*fn)(const ha_array *));
/* The dtype and result_type precedence (HA_OPERAND_ARRAY, _0D, _SCALAR) of
** a DNDarray or a Python number (weakly typed, as in Heat): 1, or 0 when
** v is neither (nothing raised). */
int hi_operand_type(hi_val v, ha_dtype *t, int *kind);
/* Nested lists/tuples/scalars -> a new array; split as given; is_split:
** v is this rank's chunk along split. */
ha_array *hi_array_from_value(hi_val v, int dtype, int split, int is_split, ha_device dev,
                              ha_comm *comm, int ndmin);
/* The nested-list form of an array (collective for split arrays). */
hi_val hi_array_tolist(ha_array *a);
/* The single element of a one-element array (collective: the owner
** broadcasts it).  ValueError/TypeError text chosen by the caller. */
int hi_array_item(ha_array *a, ha_scalar *out);

/* ---- registration (htfuncs.c) ---- */
/* Register defs into the heat module and the builtins; with as_methods
** also as DNDarray methods (the first parameter becomes self). */
void hi_ht_register(const hi_builtin_def *defs, int as_methods);
void hi_ht_register_into(hi_val module, const hi_builtin_def *defs);
/* Register as DNDarray methods only the defs named in `names` (NULL-ended),
** for topic files whose functions are only partly methods in Heat. */
void hi_ht_mirror(const hi_builtin_def *defs, const char *const *names);

/* Topic files' registration hooks. */
void hi_init_array_value(void);      /* array.c */
void hi_init_array_dist(void);       /* array_dist.c: halos, redistribute_, lloc ... */
void hi_halos_free(struct hi_halos *h);   /* array_dist.c; NULL is fine */
void hi_init_index(void);            /* array_index.c */
void hi_init_ht_creation(void);
void hi_init_ht_shape(void);
void hi_init_ht_types(void);
void hi_init_ht_print(void);
void hi_init_ht_random(hi_val random_module);
void hi_init_ht_math(void);
void hi_init_ht_inplace(void);       /* ht_inplace.c: x.add_(y) ... */
void hi_init_ht_reduce(void);
void hi_init_ht_manip(void);        /* ht_manip.c */
void hi_init_ht_linalg(hi_val linalg_module);   /* ht_linalg.c */
void hi_init_ht_factor(void);        /* ht_factor.c: qr svd inv ... */
void hi_init_ht_spatial(hi_val spatial_module);   /* ht_spatial.c: cdist manhattan rbf */
void hi_init_ht_cluster(hi_val cluster_module);   /* ht_cluster.c: KMeans */
void hi_init_ht_stats(void);         /* ht_stats.c: average bincount histc histogram cov skew kurtosis */
void hi_init_ht_io(void);            /* ht_io.c: load save load_hdf5 ... */

/* indexing (array_index.c) */
hi_val hi_array_getitem(hi_val self, hi_val key);
int hi_array_setitem(hi_val self, hi_val key, hi_val value);
/* The out= argument: r written into out (out[()] = r) and out returned;
** r itself when out is absent or None.  Steals r. */
hi_val hi_to_out(hi_val r, hi_val out);

/* Results: wrap a runtime array that may be NULL (error). */
static inline hi_val hi_ret(ha_array *r) { return hi_array_new(r); }

/* ht_math.c: nan_to_num's nan, posinf, neginf (a[1..3]); 0, or -1 with the
** error raised.  *have_p / *have_n: posinf / neginf were given. */
int hi_nan_to_num_args(const hi_val *a, double *nan, double *pinf, double *ninf, int *have_p,
                       int *have_n);

#endif
