/*
** ha.h — libha, the distributed-array runtime, as a plain C library.
**
** Usable without the language: include this header, link libha.a, call
** ha_init() after MPI_Init.  Every function is SPMD: all ranks of the
** array's communicator call it with the same arguments (replicated
** metadata) unless its comment says "Not collective".
**
** Conventions
**   - Prefix ha_ for the public API; kernels use hk_, never MPI.
**   - Arrays are refcounted: a function returning ha_array* returns a new
**     reference; arguments are borrowed.  ha_release() drops one.
**   - Failure: NULL or -1, with the calling rank's error record filled
**     (ha_error_kind()/ha_error_msg()).  Errors decided from replicated
**     metadata are raised identically on every rank; rank-local failures
**     (allocation, I/O) are agreed by one all-reduce before returning, so
**     every rank of the communicator returns the same failure.
**   - No exit(), no MPI_Abort, no printing: the caller reports errors.
*/
#ifndef HA_H
#define HA_H

#include <stddef.h>
#include <stdint.h>
#include <mpi.h>

#define HA_MAXDIM 16

/* ---- errors ---- */
typedef enum ha_errkind {
	HA_OK = 0,
	HA_EVALUE,      /* ValueError */
	HA_ETYPE,       /* TypeError */
	HA_EINDEX,      /* IndexError */
	HA_EMEMORY,     /* MemoryError */
	HA_EIO,         /* IOError */
	HA_ERUNTIME,    /* RuntimeError */
	HA_EZERODIV,    /* ZeroDivisionError */
	HA_ENOTIMPL,    /* NotImplementedError */
	HA_ELINALG      /* numerical failure (singular matrix ...): ValueError wording */
} ha_errkind;

ha_errkind ha_error_kind(void);
const char *ha_error_msg(void);
void ha_error_clear(void);
/* Set the error record (used inside the runtime; available to callers). */
int ha_error_set(ha_errkind kind, const char *fmt, ...);   /* returns -1 */

/* ---- dtypes ---- */
/* Declared before the comm wrappers use it. */
typedef enum ha_dtype {
	HA_BOOL, HA_UINT8, HA_INT8, HA_INT16, HA_INT32, HA_INT64,
	HA_FLOAT32, HA_FLOAT64, HA_COMPLEX64, HA_COMPLEX128,
	HA_NDTYPES
} ha_dtype;

size_t ha_dtype_size(ha_dtype t);
const char *ha_dtype_name(ha_dtype t);           /* "float32" */
int ha_dtype_from_name(const char *name, ha_dtype *out); /* "float32", "f4", "int", "float" ...; -1 unknown */
ha_dtype ha_promote_types(ha_dtype a, ha_dtype b);        /* Heat's table */
int ha_can_cast(ha_dtype from, ha_dtype to, const char *casting); /* "safe", "same_kind", "unsafe", "intuitive" */
int ha_dtype_is_int(ha_dtype t);       /* bool excluded */
int ha_dtype_is_float(ha_dtype t);
int ha_dtype_is_complex(ha_dtype t);

/* ---- devices ---- */
typedef enum ha_devkind { HA_CPU = 0, HA_GPU = 1 } ha_devkind;
typedef struct ha_device { ha_devkind kind; int id; } ha_device;
/* "cpu", "gpu", "cuda" -> device; ValueError "Unknown device, must be one of cpu" */
int ha_device_from_name(const char *name, ha_device *out);
const char *ha_device_str(ha_device d, char *buf, size_t n);  /* "cpu:0" */

/* ---- communicator ---- */
typedef struct ha_comm {
	MPI_Comm mpi;
	int rank, size;
} ha_comm;
ha_comm *ha_comm_world(void);
/* The world communicator is a Dup of `base` (errors returned, not fatal).
** ha_init() calls ha_comm_world_init(); ha_finalize() calls
** ha_comm_world_free() (before MPI_Finalize).  ha_comm_world() without a
** prior init dups MPI_COMM_WORLD. */
void ha_comm_world_init(MPI_Comm base);
void ha_comm_world_free(void);
/* Balanced chunk of n over the communicator: the first n % size ranks hold
** one extra element.  Not collective. */
void ha_chunk(int64_t n, int size, int rank, int64_t *offset, int64_t *count);

/* ---- counted MPI wrappers (runtime/comm.c) ----
** Every MPI call of ha goes through these: each is charged to `what` (a
** short operation name, e.g. "print", "sum", "resplit") with its call
** count, bytes moved and time, which feed %comm, --trace-comm, --profile
** and the tests that pin communication volume.  Counts and displacements
** are in BYTES (int64; the wrappers handle counts above 2^31-1).  Each
** returns 0, or -1 with the error record set.
** Gatherv/Allgatherv: pass counts/displs on EVERY rank (ha's chunk maps are
** replicated); the wrappers decide from them, identically on every rank,
** whether the message needs the large-count path.  A Gatherv non-root may
** pass NULL counts only when its own nbytes and every count fit in int.
** Bytes charged: Bcast nbytes; Allreduce/Exscan count*type size; Gatherv
** bytes received from other ranks (root) or nbytes (others); Allgatherv
** bytes received from other ranks; Alltoallv bytes sent to other ranks;
** Sendrecv sbytes; Barrier 0. */
int ha_bcast(void *buf, int64_t nbytes, int root, ha_comm *c, const char *what);
int ha_allreduce(const void *sendbuf, void *recvbuf, int64_t count,
                 MPI_Datatype type, MPI_Op op, ha_comm *c, const char *what);
int ha_exscan(const void *sendbuf, void *recvbuf, int64_t count,
              MPI_Datatype type, MPI_Op op, ha_comm *c, const char *what);
int ha_gather_bytes(const void *sendbuf, int64_t nbytes, void *recvbuf,
                    const int64_t *counts, const int64_t *displs, int root,
                    ha_comm *c, const char *what);        /* Gatherv */
int ha_allgather_bytes(const void *sendbuf, int64_t nbytes, void *recvbuf,
                       const int64_t *counts, const int64_t *displs,
                       ha_comm *c, const char *what);     /* Allgatherv */
int ha_alltoall_bytes(const void *sendbuf, const int64_t *scounts, const int64_t *sdispls,
                      void *recvbuf, const int64_t *rcounts, const int64_t *rdispls,
                      ha_comm *c, const char *what);      /* Alltoallv */
/* Alltoallw with the caller's committed datatypes (int counts and byte
** displacements; charged as call "Alltoallv", bytes sent to other ranks). */
int ha_alltoallw(const void *sendbuf, const int *scounts, const int *sdispls,
                 const MPI_Datatype *stypes, void *recvbuf, const int *rcounts,
                 const int *rdispls, const MPI_Datatype *rtypes, ha_comm *c, const char *what);
int ha_sendrecv_bytes(const void *sendbuf, int64_t sbytes, int dest,
                      void *recvbuf, int64_t rbytes, int source,
                      ha_comm *c, const char *what);
int ha_barrier(ha_comm *c, const char *what);
/* Non-blocking exchange (the same as ha_sendrecv_bytes, split in two):
** post the send and the receive, compute, then ha_wait.  ha_test lets MPI
** progress a posted exchange (call it between pieces of work so large
** messages move while the caller computes).  Charged ONCE, by ha_wait, as
** call "Isendrecv" with sbytes and the time spent inside the wrappers
** (posting, testing, waiting), not the overlapped time.  Not collective:
** a point-to-point pair like Sendrecv. */
typedef struct ha_request {
	MPI_Request *reqs;
	int nreq, capreq;
	const char *what;
	int64_t sbytes;
	double seconds;
	int rc;
} ha_request;
int ha_isendrecv_bytes(const void *sendbuf, int64_t sbytes, int dest,
                       void *recvbuf, int64_t rbytes, int source,
                       ha_comm *c, const char *what, ha_request *req);
int ha_test(ha_request *req, int *done);
int ha_wait(ha_request *req);
/* MPI datatype of a dtype (MPI_C_BOOL, MPI_FLOAT, MPI_C_DOUBLE_COMPLEX ...). */
MPI_Datatype ha_mpi_type(int dtype);

/* Communication counters, per operation name. */
typedef struct ha_comm_stat {
	const char *what;            /* operation name */
	const char *call;            /* MPI routine, e.g. "Allreduce" */
	int64_t calls, bytes;
	double seconds;
} ha_comm_stat;
int ha_comm_stats(const ha_comm_stat **rows);   /* returns the row count */
void ha_comm_stats_reset(void);
/* When set, every wrapper calls this after it completes (for --trace-comm / %comm on). */
typedef void (*ha_comm_trace_fn)(const char *what, const char *call, int64_t bytes, double seconds);
void ha_comm_set_trace(ha_comm_trace_fn fn);
/* When set, every collective wrapper asks it first; a non-zero answer
** (with the error record set by the guard) makes the wrapper fail with -1
** without communicating.  The interpreter uses it to refuse collectives
** inside rank-dependent control flow, where they would hang. */
typedef int (*ha_comm_guard_fn)(const char *what, const char *call);
void ha_comm_set_guard(ha_comm_guard_fn fn);
/* Testing: pretend MPI counts stop at n (default and n <= 0: INT_MAX), so
** the large-count paths run with small buffers.  Set on every rank. */
void ha_comm_set_max_count(int64_t n);

/* ---- the distributed array ---- */
typedef struct ha_array {
	int64_t refs;
	ha_dtype dtype;
	int ndim;
	int64_t gshape[HA_MAXDIM];   /* global shape (replicated) */
	int split;                   /* -1 for None, else the split axis */
	ha_device device;
	ha_comm *comm;
	int64_t *lmap;               /* size entries: length along split held by each rank (replicated; NULL when split < 0) */
	int64_t lshape[HA_MAXDIM];   /* this rank's chunk shape */
	int64_t loffset;             /* global index of this rank's first element along split */
	void *data;                  /* local chunk, C-contiguous, lshape */
	int balanced;                /* 1: lmap equals the balanced chunk map */
} ha_array;

int ha_init(MPI_Comm comm);      /* after MPI_Init; selects kernel tables */
void ha_finalize(void);

ha_array *ha_retain(ha_array *a);
void ha_release(ha_array *a);

int64_t ha_gnumel(const ha_array *a);
/* Allocate an uninitialised array with the balanced chunk map.  split -1
** means replicated.  Collective (agrees on allocation failure). */
ha_array *ha_array_alloc(ha_dtype dtype, int ndim, const int64_t *gshape,
                         int split, ha_device dev, ha_comm *comm);
int64_t ha_lnumel(const ha_array *a);

/* ======================================================================
** Core runtime API (runtime/error.c dtype.c device.c array.c init.c
** creation.c astype.c box.c resplit.c shape.c random.c print.c).
**
** Unless said otherwise: `comm` NULL means ha_comm_world(); `split` is an
** axis or HA_SPLIT_NONE (-1) for a replicated array; results are balanced
** (the first n % P ranks of the split axis hold one extra row).
** "Collective" means every rank of the communicator must call it with the
** same (replicated) arguments; "Not collective" may be called by one rank.
** ==================================================================== */

#define HA_SPLIT_NONE    (-1)
#define HA_SPLIT_DEFAULT (-2)   /* "keep the input's" / "the function's default" */
#define HA_DEVICE_CPU    ((ha_device){ HA_CPU, 0 })

/* ---- dtypes: more (runtime/dtype.c; nothing here is collective) ---- */
/* Kinds of operand for result_type, lower number = higher precedence
** (Heat: array with ndim > 0, type object, 0-d array, Python scalar). */
typedef enum ha_operand_kind {
	HA_OPERAND_ARRAY = 0, HA_OPERAND_TYPE = 1, HA_OPERAND_0D = 2, HA_OPERAND_SCALAR = 3
} ha_operand_kind;
/* Heat's result_type for two operands: equal types -> that type; equal
** precedence -> promote_types; same kind (bool/integer/floating/complex)
** -> the higher-precedence operand's type; else the higher kind's type.
** int8 array + 1000 (int32 scalar) -> int8; int32 array + 1.5 (float32
** scalar) -> float32; f32 array + 0-d f64 -> f32; int32 array + 0-d f64 -> f64. */
ha_dtype ha_result_type(ha_dtype a, int a_kind, ha_dtype b, int b_kind);
typedef enum ha_typekind { HA_KIND_BOOL, HA_KIND_INT, HA_KIND_FLOAT, HA_KIND_COMPLEX } ha_typekind;
ha_typekind ha_dtype_kind(ha_dtype t);
const char *ha_dtype_char(ha_dtype t);      /* NumPy-style code: "?", "u1", "i1", ..., "f4", "c16" */
ha_dtype ha_dtype_real(ha_dtype t);         /* complex64 -> float32, complex128 -> float64, else t */
int ha_dtype_bits(ha_dtype t);              /* 1 for bool, else 8 * size */
/* Machine limits (Heat's finfo/iinfo, taken from torch): finfo of a complex
** type describes its real part.  TypeError for the wrong kind. */
typedef struct ha_finfo { int bits; double eps, max, min, tiny; } ha_finfo;
typedef struct ha_iinfo { int bits; int64_t min, max; } ha_iinfo;
int ha_finfo_get(ha_dtype t, ha_finfo *out);
int ha_iinfo_get(ha_dtype t, ha_iinfo *out);

/* ---- scalars: one typed value (fill values, Python numbers) ---- */
typedef enum ha_scalar_kind {
	HA_SCALAR_BOOL, HA_SCALAR_INT, HA_SCALAR_FLOAT, HA_SCALAR_COMPLEX
} ha_scalar_kind;
typedef struct ha_scalar {
	ha_scalar_kind kind;
	int64_t i;        /* BOOL (0/1) and INT */
	double re, im;    /* FLOAT (re) and COMPLEX */
} ha_scalar;
ha_scalar ha_scalar_bool(int v);
ha_scalar ha_scalar_int(int64_t v);
ha_scalar ha_scalar_float(double v);
ha_scalar ha_scalar_complex(double re, double im);
/* Store s converted to dtype t at dst (astype's rules); load element src. */
void ha_scalar_store(ha_scalar s, ha_dtype t, void *dst);
ha_scalar ha_scalar_load(ha_dtype t, const void *src);

/* ---- devices: more (runtime/device.c) ---- */
/* Number of GPUs the loaded backend answers for (0 while none is loaded);
** the backend loader calls ha_device_set_gpu_count().  Not collective. */
int ha_device_gpu_count(void);
void ha_device_set_gpu_count(int n);
/* Why no GPU device is available (or what the backend reported), for
** diagnostics; set by ha_init (runtime/gpu_load.c). */
const char *ha_device_gpu_note(void);

/* ---- initialisation and threads (runtime/init.c) ---- */
/* ha_init(comm) (declared above): collective over comm.  Calls
** ha_comm_world_init(comm), seeds the random generator with
** HA_RANDOM_DEFAULT_SEED, and, unless OMP_NUM_THREADS is set, sets the
** OpenMP thread count to (cores of the node) / (ranks on the node), at
** least 1; it counts the ranks on the node with one MPI_Comm_split_type.
** ha_finalize() frees the world communicator (call before MPI_Finalize). */
int ha_num_threads(void);              /* Not collective */
void ha_set_num_threads(int n);        /* Not collective: OpenMP threads of this rank */

/* ---- arrays: more (runtime/array.c) ---- */
/* Balanced chunk map of n over `size` ranks into lmap[size].  Not collective. */
void ha_chunk_map(int64_t n, int size, int64_t *lmap);
/* Allocate with an arbitrary chunk map (lmap[size] rows along split, sum =
** gshape[split]; NULL = balanced).  Collective (agrees on allocation
** failure with one 4-byte Allreduce "alloc" only when the global size is at
** least 64 MiB; smaller arrays are allocated without communication). */
ha_array *ha_array_alloc_lmap(ha_dtype dtype, int ndim, const int64_t *gshape,
                              int split, const int64_t *lmap, ha_device dev, ha_comm *comm);
int64_t ha_lnbytes(const ha_array *a);  /* bytes of this rank's chunk */
int64_t ha_gnbytes(const ha_array *a);  /* bytes of the global array */
/* 1 when split is set and the communicator has more than one rank. */
int ha_is_distributed(const ha_array *a);
/* 1 when lmap equals the balanced map (decided from the replicated lmap,
** no communication; replicated arrays are balanced).  Not collective. */
int ha_is_balanced(const ha_array *a);
/* Deep copy (same split/lmap/dtype).  Local, no communication. */
ha_array *ha_copy(const ha_array *a);
/* Exchange the contents of two array structs (refcounts stay).  Used by the
** in-place forms (resplit_, balance_, astype_): b then holds the old a. */
void ha_array_swap(ha_array *a, ha_array *b);
/* Move a split array to the chunk map `target` (size entries, summing to
** gshape[split]); result split unchanged.  Collective: ONE Alltoallv
** ("redistribute") carrying only the rows that change owner. */
ha_array *ha_redistribute(const ha_array *a, const int64_t *target);
int ha_redistribute_(ha_array *a, const int64_t *target);
/* Redistribute to the balanced map, in place; a no-op (no communication)
** when already balanced or replicated.  Collective. */
int ha_balance_(ha_array *a);

/* ---- boxes: copying sub-blocks of C-contiguous buffers (runtime/box.c) ---- */
/* Copy the box of extent `box` starting at `soff` in src (shape sshape) to
** `doff` in dst (shape dshape); all ndim-long.  Contiguous runs go by
** memcpy.  Local, no communication. */
void ha_copy_box(size_t elsize, int ndim, const int64_t *box,
                 const void *src, const int64_t *sshape, const int64_t *soff,
                 void *dst, const int64_t *dshape, const int64_t *doff);

/* ---- creation (runtime/creation.c) ----
** All collective only in the sense of ha_array_alloc (no data moves) unless
** noted; the result is balanced with the given split; dtype defaults are
** the caller's (Heat: float32 for most, int32 for integer arange). */
ha_array *ha_empty(ha_dtype dtype, int ndim, const int64_t *shape, int split, ha_device dev, ha_comm *comm);
ha_array *ha_zeros(ha_dtype dtype, int ndim, const int64_t *shape, int split, ha_device dev, ha_comm *comm);
ha_array *ha_ones(ha_dtype dtype, int ndim, const int64_t *shape, int split, ha_device dev, ha_comm *comm);
ha_array *ha_full(ha_dtype dtype, int ndim, const int64_t *shape, ha_scalar fill,
                  int split, ha_device dev, ha_comm *comm);
/* *_like: shape, device and comm of a; dtype -1 keeps a's; split
** HA_SPLIT_DEFAULT keeps a's.  No communication. */
ha_array *ha_empty_like(const ha_array *a, int dtype, int split);
ha_array *ha_zeros_like(const ha_array *a, int dtype, int split);
ha_array *ha_ones_like(const ha_array *a, int dtype, int split);
ha_array *ha_full_like(const ha_array *a, ha_scalar fill, int dtype, int split);
/* 1-D, length max(0, ceil((stop - start) / step)); element i = start + i*step
** (exact int64 arithmetic when dtype is integer and the arguments are
** integral).  ValueError when step is 0.  No communication. */
ha_array *ha_arange(double start, double stop, double step, ha_dtype dtype,
                    int split, ha_device dev, ha_comm *comm);
/* num points from start to stop (stop included when endpoint); computed in
** double, rounded once to dtype.  ValueError when num < 0.  No communication. */
ha_array *ha_linspace(double start, double stop, int64_t num, int endpoint, ha_dtype dtype,
                      int split, ha_device dev, ha_comm *comm);
/* base ** linspace(start, stop, num, endpoint).  No communication. */
ha_array *ha_logspace(double start, double stop, int64_t num, int endpoint, double base,
                      ha_dtype dtype, int split, ha_device dev, ha_comm *comm);
/* n x m with ones on diagonal k (k > 0 above the main one).  No communication. */
ha_array *ha_eye(int64_t n, int64_t m, int64_t k, ha_dtype dtype, int split, ha_device dev, ha_comm *comm);
/* Every rank passes the same full C-contiguous data (shape `shape`); each
** keeps its chunk.  No communication. */
ha_array *ha_array_from_data(ha_dtype dtype, int ndim, const int64_t *shape, const void *data,
                             int split, ha_device dev, ha_comm *comm);
/* Heat's is_split: each rank passes its own chunk (lshape, data copied);
** the global shape is the sum of the lengths along split.  Collective: one
** Allgatherv ("array") of every rank's lshape; ValueError when the other
** dimensions differ between ranks.  balanced is computed. */
ha_array *ha_array_from_local(ha_dtype dtype, int ndim, const int64_t *lshape, const void *data,
                              int split, ha_device dev, ha_comm *comm);
/* meshgrid of n 1-D arrays (at most one split); indexing_xy swaps the first
** two output axes like NumPy's default "xy".  Output k has the split of the
** split input's output axis (or None).  Writes n new arrays to out.  No
** communication. */
int ha_meshgrid(int n, ha_array *const *arrays, int indexing_xy, ha_array **out);

/* ---- dtype conversion (runtime/astype.c) ---- */
/* Convert n elements (C casts; float -> int truncates toward zero, NaN and
** out-of-range values give the type's minimum like x86/torch for 32/64-bit
** and wrap for 8/16-bit; complex -> real takes the real part; -> bool is
** != 0).  OpenMP-parallel; local. */
void ha_convert(ha_dtype dt, void *dst, ha_dtype st, const void *src, int64_t n);
/* A new array of dtype t (always a copy).  Local, no communication. */
ha_array *ha_astype(const ha_array *a, ha_dtype t);
/* In place (Heat's copy=False): a's buffer is replaced.  Local. */
int ha_astype_(ha_array *a, ha_dtype t);

/* ---- resplit (runtime/resplit.c) ---- */
/* A new balanced array with split `axis` (HA_SPLIT_NONE = replicated).
** Collective.  None -> k: local slice, no communication; k -> None: one
** Allgatherv ("resplit"); k -> j: ONE Alltoallv ("resplit") of packed
** blocks; k -> k: a redistribute to the balanced map (nothing when
** balanced).  Never gathers the array on one rank. */
ha_array *ha_resplit(const ha_array *a, int axis);
int ha_resplit_(ha_array *a, int axis);    /* in place: swaps the contents */

/* ---- shape manipulation (runtime/shape.c); inputs are never modified ---- */
/* Permute the axes (axes NULL = reverse).  The split follows: new split =
** position of the old split in axes.  Local, no communication. */
ha_array *ha_transpose(const ha_array *a, const int *axes);
/* Reshape to (ndim, shape); one entry of shape may be -1.  new_split
** HA_SPLIT_DEFAULT = a's split when ndim is unchanged, else 0 (None stays
** None).  Collective: a distributed input or result moves data with ONE
** Alltoallv ("reshape") computed from global flat ranges per rank; a
** replicated input keeps its chunk of the new shape without communication.
** ValueError when the sizes differ. */
ha_array *ha_reshape(const ha_array *a, int ndim, const int64_t *shape, int new_split);
/* 1-D; split 0 when a is split (one Alltoallv), else replicated. */
ha_array *ha_flatten(const ha_array *a);
ha_array *ha_ravel(const ha_array *a);
/* Remove the listed size-1 axes (naxes 0 = all size-1 axes); the split
** shifts down by the removed axes before it.  Squeezing the split axis
** itself gives a replicated result (one Allgatherv "squeeze").
** ValueError for an axis whose size is not 1. */
ha_array *ha_squeeze(const ha_array *a, int naxes, const int *axes);
/* Insert a size-1 axis at `axis` (-ndim-1 <= axis <= ndim); the split
** shifts up when axis <= split.  Local. */
ha_array *ha_expand_dims(const ha_array *a, int axis);

/* ---- random (runtime/random.c) ----
** Counter-based Philox4x32-10 keyed by the seed; element g (global C-order
** flat index) of a call uses counter (state.counter + g), so values depend
** on (seed, call sequence, global index) only, never on the rank count.
** Each call advances the replicated counter by the element count.  Each
** rank generates exactly its own elements: no communication. */
#define HA_RANDOM_DEFAULT_SEED 0
/* Collective: rank 0's seed is broadcast ("random.seed"); counter reset to 0. */
int ha_random_seed(int64_t seed);
void ha_random_get_state(int64_t *seed, int64_t *counter);   /* Not collective */
void ha_random_set_state(int64_t seed, int64_t counter);     /* call on every rank */
/* Uniform [0, 1) (float32/float64; 24 / 53 random bits). */
ha_array *ha_rand(ha_dtype dtype, int ndim, const int64_t *shape, int split, ha_device dev, ha_comm *comm);
/* Standard normal (Box-Muller on one counter per element). */
ha_array *ha_randn(ha_dtype dtype, int ndim, const int64_t *shape, int split, ha_device dev, ha_comm *comm);
/* Integers uniform in [low, high); ValueError when low >= high. */
ha_array *ha_randint(int64_t low, int64_t high, ha_dtype dtype, int ndim, const int64_t *shape,
                     int split, ha_device dev, ha_comm *comm);
ha_array *ha_random_normal(double mean, double std, ha_dtype dtype, int ndim, const int64_t *shape,
                           int split, ha_device dev, ha_comm *comm);
ha_array *ha_random_uniform(double low, double high, ha_dtype dtype, int ndim, const int64_t *shape,
                            int split, ha_device dev, ha_comm *comm);

/* ---- printing (runtime/print.c) ----
** torch's formatter as Heat configures it: precision 4, threshold 1000
** elements, 3 edge items, linewidth 120, sci_mode auto (-1). */
typedef struct ha_printopts {
	int precision;
	int64_t threshold;
	int edgeitems;
	int linewidth;
	int sci_mode;      /* -1 auto, 0 never, 1 always */
} ha_printopts;
void ha_get_printoptions(ha_printopts *o);
int ha_set_printoptions(const ha_printopts *o);   /* ValueError on negative values */
/* The bracketed data text of a global array, continuation lines indented
** by `indent` (+1 per nesting level): "[[9., 9.],\n          [9., 9.]]".
** Collective: one Gatherv ("print") to rank 0 of only the shown elements
** (the edge slices when summarising); nothing for a replicated array.
** Returns a malloc'd string: the text on rank 0, "" on the other ranks;
** NULL on error (every rank). */
char *ha_array_format(const ha_array *a, int indent);
/* "DNDarray([...], dtype=ht.float32, device=cpu:0, split=None)"; same
** communication and rank-0 rule as ha_array_format. */
char *ha_array_str(const ha_array *a);
/* Format a local C-contiguous buffer in the same style (for x.larray and
** rank-local values).  Not collective; malloc'd, NULL on allocation failure. */
char *ha_local_format(ha_dtype dtype, int ndim, const int64_t *shape, const void *data, int indent);

/* Elementwise operations, reductions and the kernel tables live in their
** own header (owned by the ops layer). */
#include "ha_ops.h"
/* Distributed getitem / setitem (runtime/index.c). */
#include "ha_index.h"

/* Manipulation, sorting and order statistics (owned by the manip layer). */
#include "ha_manip.h"

/* Linear algebra (runtime/linalg/). */
#include "ha_linalg.h"

/* Factorizations and dense solvers (runtime/linalg/qr.c svd.c ...). */
#include "ha_factor.h"

/* Pairwise distances and k-means (runtime/spatial.c, runtime/cluster.c). */
#include "ha_spatial.h"

/* Counting statistics: bincount, histc (runtime/stats.c). */
#include "ha_stats.h"

/* File input and output: parallel HDF5, CSV (runtime/io/). */
#include "ha_io.h"

#endif
