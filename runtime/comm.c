/*
** comm.c — the world communicator, chunk maps, and the counted MPI
** wrappers every MPI call of ha goes through.
**
** Counters are kept per (what, call) pair: `what` is the operation the
** caller charges (e.g. "sum", "print"), `call` the MPI routine.  They feed
** %comm, --trace-comm, --profile and the tests that pin communication
** volume, so every wrapper charges exactly one call per invocation, however
** many MPI calls it needs internally (big messages go in pieces).
**
** Bytes charged per call (the payload that moves, independent of the
** algorithm MPI picks):
**   Bcast       nbytes                Allreduce/Exscan  count * type size
**   Gatherv     root: bytes received from other ranks; others: nbytes
**   Allgatherv  bytes received from other ranks
**   Alltoallv   bytes sent to other ranks
**   Sendrecv    sbytes                Barrier           0
**
** Large counts: MPI counts are int.  Broadcasts and reductions are cut into
** pieces of at most 2^30 bytes/elements; Gatherv/Allgatherv fall back to
** point-to-point pieces / piecewise broadcasts when a count or displacement
** does not fit (decided from the counts, which are replicated); Alltoallv is
** carried by MPI_Alltoallw with, per peer, either MPI_BYTE or a derived type
** whose displacement is an MPI_Aint, so each rank decides on its own blocks
** and the type signatures still match.  ha_alltoallw takes the caller's
** derived types as they are (charged as an Alltoallv, the same exchange).
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"

/* Largest count passed to one MPI call, and the piece size beyond it.
** Tests lower the limit (ha_comm_set_max_count) to run the large-count
** paths with small buffers. */
static int64_t max_count = INT_MAX;
static int64_t piece_len = (int64_t)1 << 30;
#define PIECE piece_len
#define TAG_SENDRECV 0x4861    /* 'Ha': piece k of a Sendrecv uses TAG_SENDRECV + k */
#define TAG_GATHER   0x4700

/* ---- the world communicator ---- */

static ha_comm world;
static int world_ready;

void ha_comm_world_init(MPI_Comm base)
{
	if (world_ready)
		ha_comm_world_free();
	MPI_Comm_dup(base, &world.mpi);
	/* Errors come back as codes, which the wrappers turn into ha errors. */
	MPI_Comm_set_errhandler(world.mpi, MPI_ERRORS_RETURN);
	MPI_Comm_rank(world.mpi, &world.rank);
	MPI_Comm_size(world.mpi, &world.size);
	world_ready = 1;
}

void ha_comm_world_free(void)
{
	int fin = 0;
	if (!world_ready)
		return;
	MPI_Finalized(&fin);
	if (!fin)
		MPI_Comm_free(&world.mpi);
	world_ready = 0;
}

ha_comm *ha_comm_world(void)
{
	if (!world_ready)
		ha_comm_world_init(MPI_COMM_WORLD);
	return &world;
}

void ha_chunk(int64_t n, int size, int rank, int64_t *offset, int64_t *count)
{
	int64_t q = n / size, r = n % size;
	if (offset)
		*offset = rank * q + (rank < r ? rank : r);
	if (count)
		*count = q + (rank < r ? 1 : 0);
}

MPI_Datatype ha_mpi_type(int dtype)
{
	switch (dtype) {
	case HA_BOOL: return MPI_C_BOOL;
	case HA_UINT8: return MPI_UINT8_T;
	case HA_INT8: return MPI_INT8_T;
	case HA_INT16: return MPI_INT16_T;
	case HA_INT32: return MPI_INT32_T;
	case HA_INT64: return MPI_INT64_T;
	case HA_FLOAT32: return MPI_FLOAT;
	case HA_FLOAT64: return MPI_DOUBLE;
	case HA_COMPLEX64: return MPI_C_FLOAT_COMPLEX;
	case HA_COMPLEX128: return MPI_C_DOUBLE_COMPLEX;
	default: return MPI_DATATYPE_NULL;
	}
}

/* ---- counters ---- */

static ha_comm_stat *rows;
static int nrows, caprows;
static int *slots;             /* open addressing over rows, -1 empty */
static int nslots;
static ha_comm_trace_fn trace;
static ha_comm_guard_fn guard;

void ha_comm_set_guard(ha_comm_guard_fn fn) { guard = fn; }

/* A collective the caller's guard forbids right now fails cleanly instead
** of waiting for ranks that will never join it. */
#define GUARD(what, call) \
	do { \
		if (guard && guard(what, call)) \
			return -1; \
	} while (0)

static uint64_t key_hash(const char *what, const char *call)
{
	uint64_t h = 1469598103934665603u;
	for (const char *p = what; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	h ^= 0xff;
	for (const char *p = call; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	return h;
}

static void rehash(void)
{
	int n = nslots ? nslots * 2 : 64;
	int *s = malloc(sizeof *s * n);
	if (!s)
		return;
	for (int i = 0; i < n; i++)
		s[i] = -1;
	for (int i = 0; i < nrows; i++) {
		uint64_t h = key_hash(rows[i].what, rows[i].call) & (uint64_t)(n - 1);
		while (s[h] >= 0)
			h = (h + 1) & (uint64_t)(n - 1);
		s[h] = i;
	}
	free(slots);
	slots = s;
	nslots = n;
}

static ha_comm_stat *stat_row(const char *what, const char *call)
{
	uint64_t h;
	if (!what)
		what = "other";
	if (2 * (nrows + 1) > nslots)
		rehash();
	if (!slots)
		return NULL;
	h = key_hash(what, call) & (uint64_t)(nslots - 1);
	while (slots[h] >= 0) {
		ha_comm_stat *r = &rows[slots[h]];
		if (r->call == call || strcmp(r->call, call) == 0)
			if (strcmp(r->what, what) == 0)
				return r;
		h = (h + 1) & (uint64_t)(nslots - 1);
	}
	if (nrows == caprows) {
		int nc = caprows ? caprows * 2 : 32;
		ha_comm_stat *nr = realloc(rows, sizeof *nr * nc);
		if (!nr)
			return NULL;
		rows = nr;
		caprows = nc;
	}
	char *w = strdup(what);
	if (!w)
		return NULL;
	rows[nrows] = (ha_comm_stat){ .what = w, .call = call };
	slots[h] = nrows;
	return &rows[nrows++];
}

static void charge(const char *what, const char *call, int64_t bytes, double t0)
{
	double dt = MPI_Wtime() - t0;
	ha_comm_stat *r = stat_row(what, call);
	if (r) {
		r->calls++;
		r->bytes += bytes;
		r->seconds += dt;
	}
	if (trace)
		trace(what ? what : "other", call, bytes, dt);
}

int ha_comm_stats(const ha_comm_stat **out)
{
	if (out)
		*out = rows;
	return nrows;
}

void ha_comm_stats_reset(void)
{
	for (int i = 0; i < nrows; i++)
		free((char *)rows[i].what);
	free(rows);
	free(slots);
	rows = NULL;
	slots = NULL;
	nrows = caprows = nslots = 0;
}

void ha_comm_set_trace(ha_comm_trace_fn fn)
{
	trace = fn;
}

/* ---- error conversion ---- */

static int mpi_fail(int rc, const char *call, const char *what)
{
	char msg[MPI_MAX_ERROR_STRING];
	int len = 0;
	if (MPI_Error_string(rc, msg, &len) != MPI_SUCCESS)
		snprintf(msg, sizeof msg, "error code %d", rc);
	return ha_error_set(HA_ERUNTIME, "MPI_%s failed in %s: %s", call,
	                    what ? what : "communication", msg);
}

static int fits(int64_t n)
{
	return n >= 0 && n <= max_count;
}

void ha_comm_set_max_count(int64_t n)
{
	max_count = n > 0 && n < INT_MAX ? n : INT_MAX;
	piece_len = max_count < ((int64_t)1 << 30) ? max_count : (int64_t)1 << 30;
}

/* A datatype covering n bytes starting disp bytes from a buffer: MPI_BYTE
** with an int count and displacement when they fit, else a committed struct
** type (returns 1: the caller frees *t). */
static int byte_block(int64_t disp, int64_t n, MPI_Datatype *t, int *count, int *displ)
{
	if (fits(disp) && fits(n)) {
		*t = MPI_BYTE;
		*count = (int)n;
		*displ = (int)disp;
		return 0;
	}
	MPI_Datatype piece;
	int64_t nfull = n / PIECE, rem = n % PIECE;
	int blen[2] = { (int)nfull, (int)rem };
	MPI_Aint d[2] = { (MPI_Aint)disp, (MPI_Aint)(disp + nfull * PIECE) };
	MPI_Datatype types[2];
	MPI_Type_contiguous((int)PIECE, MPI_BYTE, &piece);
	types[0] = piece;
	types[1] = MPI_BYTE;
	MPI_Type_create_struct(2, blen, d, types, t);
	MPI_Type_commit(t);
	MPI_Type_free(&piece);
	*count = 1;
	*displ = 0;
	return 1;
}

/* ---- the wrappers ---- */

static int bcast_pieces(char *p, int64_t nbytes, int root, MPI_Comm comm)
{
	for (int64_t off = 0; off < nbytes; off += PIECE) {
		int64_t k = nbytes - off < PIECE ? nbytes - off : PIECE;
		int rc = MPI_Bcast(p + off, (int)k, MPI_BYTE, root, comm);
		if (rc != MPI_SUCCESS)
			return rc;
	}
	return MPI_SUCCESS;
}

int ha_bcast(void *buf, int64_t nbytes, int root, ha_comm *c, const char *what)
{
	GUARD(what, "Bcast");
	double t0 = MPI_Wtime();
	int rc = bcast_pieces(buf, nbytes, root, c->mpi);
	charge(what, "Bcast", nbytes, t0);
	return rc == MPI_SUCCESS ? 0 : mpi_fail(rc, "Bcast", what);
}

typedef int (*reduce_fn)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm);

static int reduce_pieces(reduce_fn fn, const void *sendbuf, void *recvbuf, int64_t count,
                         MPI_Datatype type, MPI_Op op, MPI_Comm comm)
{
	MPI_Aint lb, extent;
	MPI_Type_get_extent(type, &lb, &extent);
	if (count == 0)
		return fn(sendbuf, recvbuf, 0, type, op, comm);
	for (int64_t off = 0; off < count; off += PIECE) {
		int64_t k = count - off < PIECE ? count - off : PIECE;
		const void *s = sendbuf == MPI_IN_PLACE ? MPI_IN_PLACE
		              : (const char *)sendbuf + off * extent;
		int rc = fn(s, (char *)recvbuf + off * extent, (int)k, type, op, comm);
		if (rc != MPI_SUCCESS)
			return rc;
	}
	return MPI_SUCCESS;
}

static int64_t type_size(MPI_Datatype type)
{
	int s = 0;
	MPI_Type_size(type, &s);
	return s;
}

/* A guarded, counted reduction `call` done by fn in int-sized pieces. */
static int counted_reduce(reduce_fn fn, const char *call, const void *sendbuf, void *recvbuf,
                          int64_t count, MPI_Datatype type, MPI_Op op, ha_comm *c,
                          const char *what)
{
	GUARD(what, call);
	double t0 = MPI_Wtime();
	int rc = reduce_pieces(fn, sendbuf, recvbuf, count, type, op, c->mpi);
	charge(what, call, count * type_size(type), t0);
	return rc == MPI_SUCCESS ? 0 : mpi_fail(rc, call, what);
}

int ha_allreduce(const void *sendbuf, void *recvbuf, int64_t count,
                 MPI_Datatype type, MPI_Op op, ha_comm *c, const char *what)
{
	return counted_reduce(MPI_Allreduce, "Allreduce", sendbuf, recvbuf, count, type, op, c,
	                      what);
}

int ha_exscan(const void *sendbuf, void *recvbuf, int64_t count,
              MPI_Datatype type, MPI_Op op, ha_comm *c, const char *what)
{
	return counted_reduce(MPI_Exscan, "Exscan", sendbuf, recvbuf, count, type, op, c, what);
}

/* Do all counts and displacements fit in int? (replicated arrays) */
static int all_fit(const int64_t *counts, const int64_t *displs, int n)
{
	for (int i = 0; i < n; i++)
		if (!fits(counts[i]) || !fits(displs[i]) || !fits(counts[i] + displs[i]))
			return 0;
	return 1;
}

static int to_int_arrays(const int64_t *a, const int64_t *b, int n, int **ia, int **ib)
{
	*ia = malloc(sizeof(int) * (size_t)n);
	*ib = malloc(sizeof(int) * (size_t)n);
	if (!*ia || !*ib) {
		free(*ia);
		free(*ib);
		return ha_error_set(HA_EMEMORY, "out of memory for %d counts", n);
	}
	for (int i = 0; i < n; i++) {
		(*ia)[i] = (int)a[i];
		(*ib)[i] = (int)b[i];
	}
	return 0;
}

/* Point-to-point in pieces of at most 2^30 bytes; requests appended to reqs. */
static int post_pieces(int send, void *p, int64_t n, int peer, int tag0, MPI_Comm comm,
                       MPI_Request **reqs, int *nreq, int *capreq)
{
	int64_t npieces = n == 0 ? 1 : (n + PIECE - 1) / PIECE;
	for (int64_t k = 0; k < npieces; k++) {
		int64_t off = k * PIECE, len = n - off < PIECE ? n - off : PIECE;
		if (*nreq == *capreq) {
			int nc = *capreq ? *capreq * 2 : 16;
			MPI_Request *nr = realloc(*reqs, sizeof *nr * (size_t)nc);
			if (!nr)
				return MPI_ERR_NO_MEM;
			*reqs = nr;
			*capreq = nc;
		}
		int rc = send
		       ? MPI_Isend((char *)p + off, (int)len, MPI_BYTE, peer, tag0 + (int)k, comm, &(*reqs)[*nreq])
		       : MPI_Irecv((char *)p + off, (int)len, MPI_BYTE, peer, tag0 + (int)k, comm, &(*reqs)[*nreq]);
		if (rc != MPI_SUCCESS)
			return rc;
		(*nreq)++;
	}
	return MPI_SUCCESS;
}

static int wait_pieces(MPI_Request *reqs, int nreq, int rc)
{
	if (rc == MPI_SUCCESS && nreq > 0)
		rc = MPI_Waitall(nreq, reqs, MPI_STATUSES_IGNORE);
	free(reqs);
	return rc;
}

int ha_gather_bytes(const void *sendbuf, int64_t nbytes, void *recvbuf,
                    const int64_t *counts, const int64_t *displs, int root,
                    ha_comm *c, const char *what)
{
	GUARD(what, "Gatherv");
	double t0 = MPI_Wtime();
	int rc = MPI_SUCCESS, P = c->size, me = c->rank;
	int64_t moved = 0;
	if (me == root) {
		for (int i = 0; i < P; i++)
			if (i != root)
				moved += counts[i];
	} else {
		moved = nbytes;
	}
	/* Without counts here (MPI's convention for non-roots) the message
	** must fit in int; ha passes its replicated chunk maps everywhere. */
	int small = counts ? all_fit(counts, displs, P) : fits(nbytes);
	if (small) {
		int *ic = NULL, *id = NULL;
		if (me == root && to_int_arrays(counts, displs, P, &ic, &id) < 0)
			return -1;
		rc = MPI_Gatherv(sendbuf, (int)nbytes, MPI_BYTE, recvbuf, ic, id, MPI_BYTE, root, c->mpi);
		free(ic);
		free(id);
	} else {
		MPI_Request *reqs = NULL;
		int nreq = 0, capreq = 0;
		if (me == root) {
			memmove((char *)recvbuf + displs[me], sendbuf, (size_t)nbytes);
			for (int i = 0; i < P && rc == MPI_SUCCESS; i++)
				if (i != me)
					rc = post_pieces(0, (char *)recvbuf + displs[i], counts[i], i,
					                 TAG_GATHER, c->mpi, &reqs, &nreq, &capreq);
		} else {
			rc = post_pieces(1, (void *)sendbuf, nbytes, root, TAG_GATHER, c->mpi,
			                 &reqs, &nreq, &capreq);
		}
		rc = wait_pieces(reqs, nreq, rc);
	}
	charge(what, "Gatherv", moved, t0);
	return rc == MPI_SUCCESS ? 0 : mpi_fail(rc, "Gatherv", what);
}

int ha_allgather_bytes(const void *sendbuf, int64_t nbytes, void *recvbuf,
                       const int64_t *counts, const int64_t *displs,
                       ha_comm *c, const char *what)
{
	GUARD(what, "Allgatherv");
	double t0 = MPI_Wtime();
	int rc = MPI_SUCCESS, P = c->size, me = c->rank;
	int64_t moved = 0;
	for (int i = 0; i < P; i++)
		if (i != me)
			moved += counts[i];
	if (all_fit(counts, displs, P)) {
		int *ic, *id;
		if (to_int_arrays(counts, displs, P, &ic, &id) < 0)
			return -1;
		rc = MPI_Allgatherv(sendbuf, (int)nbytes, MPI_BYTE, recvbuf, ic, id, MPI_BYTE, c->mpi);
		free(ic);
		free(id);
	} else {
		memmove((char *)recvbuf + displs[me], sendbuf, (size_t)nbytes);
		for (int i = 0; i < P && rc == MPI_SUCCESS; i++)
			rc = bcast_pieces((char *)recvbuf + displs[i], counts[i], i, c->mpi);
	}
	charge(what, "Allgatherv", moved, t0);
	return rc == MPI_SUCCESS ? 0 : mpi_fail(rc, "Allgatherv", what);
}

int ha_alltoall_bytes(const void *sendbuf, const int64_t *scounts, const int64_t *sdispls,
                      void *recvbuf, const int64_t *rcounts, const int64_t *rdispls,
                      ha_comm *c, const char *what)
{
	GUARD(what, "Alltoallv");
	double t0 = MPI_Wtime();
	int P = c->size, me = c->rank, rc;
	int64_t moved = 0;
	int *sc = malloc(sizeof(int) * 4 * (size_t)P);
	MPI_Datatype *st = malloc(sizeof(MPI_Datatype) * 2 * (size_t)P);
	char *own = malloc((size_t)(2 * P));
	if (!sc || !st || !own) {
		free(sc);
		free(st);
		free(own);
		return ha_error_set(HA_EMEMORY, "out of memory for %d counts", P);
	}
	int *sd = sc + P, *rc_ = sc + 2 * P, *rd = sc + 3 * P;
	MPI_Datatype *rt = st + P;
	for (int i = 0; i < P; i++) {
		if (i != me)
			moved += scounts[i];
		own[i] = (char)byte_block(sdispls[i], scounts[i], &st[i], &sc[i], &sd[i]);
		own[P + i] = (char)byte_block(rdispls[i], rcounts[i], &rt[i], &rc_[i], &rd[i]);
	}
	rc = MPI_Alltoallw(sendbuf, sc, sd, st, recvbuf, rc_, rd, rt, c->mpi);
	for (int i = 0; i < 2 * P; i++)
		if (own[i])
			MPI_Type_free(&st[i]);
	free(sc);
	free(st);
	free(own);
	charge(what, "Alltoallv", moved, t0);
	return rc == MPI_SUCCESS ? 0 : mpi_fail(rc, "Alltoallv", what);
}

/* One all-to-all of blocks the caller describes with derived datatypes
** (int counts and displacements: the caller builds types so they fit).
** Charged as call "Alltoallv": the counters name the exchange, which is the
** same personalised all-to-all (ha_alltoall_bytes above runs on
** MPI_Alltoallw too), so %comm, the docs ("one Alltoallv") and the tests
** that pin it do not depend on how the blocks were described.  Bytes: the
** type size times the count of every block sent to another rank. */
int ha_alltoallw(const void *sendbuf, const int *scounts, const int *sdispls,
                 const MPI_Datatype *stypes, void *recvbuf, const int *rcounts,
                 const int *rdispls, const MPI_Datatype *rtypes, ha_comm *c, const char *what)
{
	GUARD(what, "Alltoallw");
	double t0 = MPI_Wtime();
	int64_t moved = 0;
	for (int i = 0; i < c->size; i++) {
		MPI_Count sz = 0;
		if (i == c->rank || scounts[i] == 0)
			continue;
		MPI_Type_size_x(stypes[i], &sz);
		moved += (int64_t)sz * scounts[i];
	}
	int rc = MPI_Alltoallw(sendbuf, scounts, sdispls, stypes, recvbuf, rcounts, rdispls, rtypes,
	                       c->mpi);
	charge(what, "Alltoallv", moved, t0);
	return rc == MPI_SUCCESS ? 0 : mpi_fail(rc, "Alltoallw", what);
}

int ha_sendrecv_bytes(const void *sendbuf, int64_t sbytes, int dest,
                      void *recvbuf, int64_t rbytes, int source,
                      ha_comm *c, const char *what)
{
	GUARD(what, "Sendrecv");
	double t0 = MPI_Wtime();
	int rc;
	if (fits(sbytes) && fits(rbytes)) {
		rc = MPI_Sendrecv(sendbuf, (int)sbytes, MPI_BYTE, dest, TAG_SENDRECV,
		                  recvbuf, (int)rbytes, MPI_BYTE, source, TAG_SENDRECV,
		                  c->mpi, MPI_STATUS_IGNORE);
	} else {
		/* Piece k travels with tag TAG_SENDRECV + k; a peer sending one
		** message (piece 0) matches either way. */
		MPI_Request *reqs = NULL;
		int nreq = 0, capreq = 0;
		rc = MPI_SUCCESS;
		if (source != MPI_PROC_NULL)
			rc = post_pieces(0, recvbuf, rbytes, source, TAG_SENDRECV, c->mpi, &reqs, &nreq, &capreq);
		if (rc == MPI_SUCCESS && dest != MPI_PROC_NULL)
			rc = post_pieces(1, (void *)sendbuf, sbytes, dest, TAG_SENDRECV, c->mpi, &reqs, &nreq, &capreq);
		rc = wait_pieces(reqs, nreq, rc);
	}
	charge(what, "Sendrecv", dest == MPI_PROC_NULL ? 0 : sbytes, t0);
	return rc == MPI_SUCCESS ? 0 : mpi_fail(rc, "Sendrecv", what);
}

int ha_barrier(ha_comm *c, const char *what)
{
	GUARD(what, "Barrier");
	double t0 = MPI_Wtime();
	int rc = MPI_Barrier(c->mpi);
	charge(what, "Barrier", 0, t0);
	return rc == MPI_SUCCESS ? 0 : mpi_fail(rc, "Barrier", what);
}

/* ---- non-blocking exchange ----
** Pieces of at most 2^30 bytes like the large Sendrecv path, with their own
** tag range so they never match a blocking Sendrecv's messages.  MPI keeps
** the order of messages between one pair with one tag, so successive
** exchanges of a ring match step by step. */
#define TAG_ISENDRECV 0x4900

int ha_isendrecv_bytes(const void *sendbuf, int64_t sbytes, int dest,
                       void *recvbuf, int64_t rbytes, int source,
                       ha_comm *c, const char *what, ha_request *req)
{
	memset(req, 0, sizeof *req);
	req->what = what;
	GUARD(what, "Isendrecv");
	double t0 = MPI_Wtime();
	int rc = MPI_SUCCESS;
	if (source != MPI_PROC_NULL)
		rc = post_pieces(0, recvbuf, rbytes, source, TAG_ISENDRECV, c->mpi,
		                 &req->reqs, &req->nreq, &req->capreq);
	if (rc == MPI_SUCCESS && dest != MPI_PROC_NULL)
		rc = post_pieces(1, (void *)sendbuf, sbytes, dest, TAG_ISENDRECV, c->mpi,
		                 &req->reqs, &req->nreq, &req->capreq);
	req->sbytes = dest == MPI_PROC_NULL ? 0 : sbytes;
	req->seconds = MPI_Wtime() - t0;
	req->rc = rc;
	if (rc != MPI_SUCCESS) {
		/* the posted part still has to complete before the buffers go */
		if (req->nreq > 0)
			MPI_Waitall(req->nreq, req->reqs, MPI_STATUSES_IGNORE);
		free(req->reqs);
		req->reqs = NULL;
		req->nreq = 0;
		return mpi_fail(rc, "Isendrecv", what);
	}
	return 0;
}

int ha_test(ha_request *req, int *done)
{
	int flag = 1;
	if (req->nreq > 0 && req->rc == MPI_SUCCESS) {
		double t0 = MPI_Wtime();
		req->rc = MPI_Testall(req->nreq, req->reqs, &flag, MPI_STATUSES_IGNORE);
		req->seconds += MPI_Wtime() - t0;
	}
	if (done)
		*done = flag;
	return req->rc == MPI_SUCCESS ? 0 : mpi_fail(req->rc, "Isendrecv", req->what);
}

int ha_wait(ha_request *req)
{
	double t0 = MPI_Wtime() - req->seconds;
	int rc = wait_pieces(req->reqs, req->nreq, req->rc);
	req->reqs = NULL;
	req->nreq = 0;
	charge(req->what, "Isendrecv", req->sbytes, t0);
	return rc == MPI_SUCCESS ? 0 : mpi_fail(rc, "Isendrecv", req->what);
}
