/*
** init.c — start-up and shut-down of the runtime, and threads per rank.
**
** Threads: unless the user set OMP_NUM_THREADS, each rank uses
** (cores of the node) / (ranks on the node) OpenMP threads, at least one,
** so that -n 1 and -n 2 both use the whole machine and comparisons between
** rank counts are fair.  "Cores of the node" is the online processor count
** (not the affinity mask: mpirun pins small jobs to one core each, and the
** user is told to pass --bind-to none for threaded runs).
*/
#include <omp.h>
#include <stdlib.h>
#include <unistd.h>
#include "ha.h"
#include "internal.h"

static int nthreads = 1;

int ha_num_threads(void)
{
	return nthreads;
}

void ha_set_num_threads(int n)
{
	nthreads = n > 0 ? n : 1;
	omp_set_num_threads(nthreads);
}

/* Ranks sharing this node.  This is the one MPI call of the runtime made
** outside comm.c: it happens once at start-up, creates and frees a
** communicator (no payload), and there is no counted wrapper for
** communicator management. */
static int ranks_on_node(MPI_Comm comm)
{
	MPI_Comm node;
	int n = 1;
	if (MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) != MPI_SUCCESS)
		return 1;
	MPI_Comm_size(node, &n);
	MPI_Comm_free(&node);
	return n > 0 ? n : 1;
}

int ha_init(MPI_Comm comm)
{
	const char *env = getenv("OMP_NUM_THREADS");
	ha_error_clear();
	ha_comm_world_init(comm);
	ha__gpu_load();
	if (env && *env) {
		nthreads = omp_get_max_threads();
	} else {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		int local = ranks_on_node(comm);
		ha_set_num_threads(cores > local ? (int)(cores / local) : 1);
	}
	return ha_random_seed(HA_RANDOM_DEFAULT_SEED);
}

void ha_finalize(void)
{
	ha__gpu_unload();
	ha_comm_world_free();
}
