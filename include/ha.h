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
/* Balanced chunk of n over the communicator: the first n % size ranks hold
** one extra element.  Not collective. */
void ha_chunk(int64_t n, int size, int rank, int64_t *offset, int64_t *count);

/* ---- counted MPI wrappers (runtime/comm.c) ----
** Every MPI call of ha goes through these: each is charged to `what` (a
** short operation name, e.g. "print", "sum", "resplit") with its call
** count, bytes moved and time, which feed %comm, --trace-comm, --profile
** and the tests that pin communication volume.  Counts and displacements
** are in BYTES (int64; the wrappers handle counts above 2^31-1).  Each
** returns 0, or -1 with the error record set. */
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
int ha_sendrecv_bytes(const void *sendbuf, int64_t sbytes, int dest,
                      void *recvbuf, int64_t rbytes, int source,
                      ha_comm *c, const char *what);
int ha_barrier(ha_comm *c, const char *what);
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

#endif
