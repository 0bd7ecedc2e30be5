/*
** rt_common.h — shared main() for the runtime's Check suites: MPI_Init,
** ha_init, run the suite without forking (forked children must not touch
** MPI), ha_finalize, MPI_Finalize.  Rank 0 prints the summary; another
** rank prints its report only when something failed there.
*/
#ifndef RT_COMMON_H
#define RT_COMMON_H

#include <check.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"

static inline int rt_rank(void)
{
	return ha_comm_world()->rank;
}

static inline int rt_size(void)
{
	return ha_comm_world()->size;
}

/* 1 on every rank when ok is true on every rank.  Assertions use it so
** that all ranks fail together and stay in step for later collectives. */
static inline int rt_all(int ok)
{
	int all = 0;
	MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	return all;
}

/* Compare a string produced on rank 0 (others must produce ""). */
static inline int rt_str_ok(const char *got, const char *want)
{
	int ok;
	if (!got)
		ok = 0;
	else if (ha_comm_world()->rank == 0)
		ok = strcmp(got, want) == 0;
	else
		ok = strcmp(got, "") == 0;
	if (!ok)
		fprintf(stderr, "[rank %d] got:\n%s\nwant:\n%s\n", ha_comm_world()->rank,
		        got ? got : "(NULL)", want);
	return rt_all(ok);
}

/* Global flat index of local element l of a; idx receives its global
** multi-index (the split axis shifted by the rank's offset). */
static inline int64_t rt_global_idx(const ha_array *a, int64_t l, int64_t *idx)
{
	int64_t g = 0, rem = l;
	for (int d = a->ndim - 1; d >= 0; d--) {
		idx[d] = rem % a->lshape[d];
		rem /= a->lshape[d];
	}
	if (a->split >= 0)
		idx[a->split] += a->loffset;
	for (int d = 0; d < a->ndim; d++)
		g = g * a->gshape[d] + idx[d];
	return g;
}

/* Global flat index of local element l of a. */
static inline int64_t rt_global_flat(const ha_array *a, int64_t l)
{
	int64_t idx[HA_MAXDIM];
	return rt_global_idx(a, l, idx);
}

/* The chunk map of a is the balanced one along its split (or none). */
static inline int rt_balanced(const ha_array *a)
{
	if (a->split < 0)
		return 1;
	int64_t off, cnt;
	ha_chunk(a->gshape[a->split], a->comm->size, a->comm->rank, &off, &cnt);
	return off == a->loffset && cnt == a->lshape[a->split];
}

/* Counted MPI calls named `call` so far on this rank; all of them when
** call is NULL. */
static inline int64_t rt_calls(const char *call)
{
	const ha_comm_stat *rows;
	int64_t c = 0;
	int n = ha_comm_stats(&rows);
	for (int i = 0; i < n; i++)
		if (!call || strcmp(rows[i].call, call) == 0)
			c += rows[i].calls;
	return c;
}

#define RT_MAIN(suite_fn)                                                       \
	int main(int argc, char **argv)                                         \
	{                                                                       \
		int nf, rank;                                                   \
		MPI_Init(&argc, &argv);                                         \
		ha_init(MPI_COMM_WORLD);                                        \
		rank = ha_comm_world()->rank;                                   \
		SRunner *sr = srunner_create(suite_fn());                       \
		srunner_set_fork_status(sr, CK_NOFORK);                         \
		srunner_run_all(sr, rank == 0 ? CK_NORMAL : CK_SILENT);         \
		nf = srunner_ntests_failed(sr);                                 \
		if (rank != 0 && nf)                                            \
			srunner_print(sr, CK_NORMAL);                           \
		srunner_free(sr);                                               \
		ha_finalize();                                                  \
		MPI_Finalize();                                                 \
		return nf ? EXIT_FAILURE : EXIT_SUCCESS;                        \
	}

#endif
