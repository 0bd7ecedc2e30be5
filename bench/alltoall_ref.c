/*
** alltoall_ref.c — the reference for bench/resplit.ha: a raw MPI_Alltoall
** moving the same bytes as a resplit of an N x N float32 array over P ranks
** (each rank sends N*N*4/P/P bytes to every rank, itself included), plus
** the copies a resplit cannot avoid: none.  Prints "TIME s" (best of REPS,
** each bracketed by barriers).  Usage: alltoall_ref [N] [REPS].
*/
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	MPI_Init(&argc, &argv);
	long n = argc > 1 ? atol(argv[1]) : 8192;
	int reps = argc > 2 ? atoi(argv[2]) : 5, p, rank;
	MPI_Comm_size(MPI_COMM_WORLD, &p);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	size_t per = (size_t)(n * n * 4 / p / p);
	char *s = malloc(per * (size_t)p), *r = malloc(per * (size_t)p);
	if (!s || !r || per > 0x7fffffff) {
		fprintf(stderr, "alltoall_ref: cannot allocate or count too large\n");
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	memset(s, 1, per * (size_t)p);
	memset(r, 0, per * (size_t)p);
	double best = 1e30;
	for (int i = 0; i < reps; i++) {
		MPI_Barrier(MPI_COMM_WORLD);
		double t0 = MPI_Wtime();
		MPI_Alltoall(s, (int)per, MPI_BYTE, r, (int)per, MPI_BYTE, MPI_COMM_WORLD);
		MPI_Barrier(MPI_COMM_WORLD);
		double t = MPI_Wtime() - t0;
		if (t < best)
			best = t;
	}
	if (rank == 0)
		printf("TIME %.6f\n", best);
	free(s);
	free(r);
	MPI_Finalize();
	return 0;
}
