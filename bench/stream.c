/*
** stream.c — the STREAM triad a[i] = b[i] + s * c[i] (McCalpin), the
** machine's own bandwidth limit, measured in the same run as the array
** benchmarks so that their GB/s can be given as a ratio of it.
**
** Usage: stream [N] [REPEATS]   (threads: OMP_NUM_THREADS)
** Arrays of N doubles (default 2e7, 160 MB each: far beyond any cache),
** first touched in parallel with the same static schedule as the kernel,
** so each thread's pages are local.  Bytes per iteration are STREAM's
** 24 (two reads, one write; write-allocate traffic not counted), the same
** convention the array benchmarks use.  Prints one line:
**   triad MEDIAN_GBPS BEST_GBPS threads T
*/
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000000L;
	int reps = argc > 2 ? atoi(argv[2]) : 10;
	if (n < 1 || reps < 1) {
		fprintf(stderr, "usage: stream [N] [REPEATS]\n");
		return 2;
	}
	double *a = malloc(sizeof(double) * (size_t)n);
	double *b = malloc(sizeof(double) * (size_t)n);
	double *c = malloc(sizeof(double) * (size_t)n);
	double *t = malloc(sizeof(double) * (size_t)reps);
	if (!a || !b || !c || !t) {
		fprintf(stderr, "stream: out of memory\n");
		return 1;
	}
	#pragma omp parallel for schedule(static)
	for (long i = 0; i < n; i++) {
		a[i] = 0.0;
		b[i] = 1.0;
		c[i] = 2.0;
	}
	const double s = 3.0;
	for (int r = 0; r < reps; r++) {
		double t0 = omp_get_wtime();
		#pragma omp parallel for schedule(static)
		for (long i = 0; i < n; i++)
			a[i] = b[i] + s * c[i];
		t[r] = omp_get_wtime() - t0;
	}
	/* keep the result alive (and check it) */
	if (a[n / 2] != 7.0) {
		fprintf(stderr, "stream: wrong result %g\n", a[n / 2]);
		return 1;
	}
	qsort(t, (size_t)reps, sizeof *t, cmp);
	double bytes = 24.0 * (double)n;
	printf("triad %.2f %.2f threads %d\n", bytes / t[reps / 2] / 1e9, bytes / t[0] / 1e9,
	       omp_get_max_threads());
	free(a);
	free(b);
	free(c);
	free(t);
	return 0;
}
