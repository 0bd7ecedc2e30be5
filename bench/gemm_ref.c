/*
** gemm_ref.c — the machine's own GEMM rate: one process, BLIS cblas_sgemm
** and cblas_dgemm on n x n matrices (n = argv[1], default 4096), best of
** three.  Prints "float32 GFLOPS" and "float64 GFLOPS" lines.  Threads:
** BLIS_NUM_THREADS, else OMP_NUM_THREADS, else all cores.
*/
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <omp.h>
#include <blis.h>
#include <cblas.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 4096;
	if (!getenv("BLIS_NUM_THREADS"))
		bli_thread_set_num_threads(omp_get_max_threads());
	double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n),
	       *c = malloc(sizeof(double) * n * n);
	float *fa = malloc(sizeof(float) * n * n), *fb = malloc(sizeof(float) * n * n),
	      *fc = malloc(sizeof(float) * n * n);
	if (!a || !b || !c || !fa || !fb || !fc)
		return 1;
	for (long i = 0; i < n * n; i++) {
		a[i] = fa[i] = (float)((i * 7) % 13) / 13.0f;
		b[i] = fb[i] = (float)((i * 5) % 11) / 11.0f;
	}
	double best32 = 1e30, best64 = 1e30;
	for (int r = 0; r < 3; r++) {
		double t0 = now();
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, fa, n, fb, n, 0.0f, fc, n);
		double t1 = now();
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
		double t2 = now();
		if (t1 - t0 < best32) best32 = t1 - t0;
		if (t2 - t1 < best64) best64 = t2 - t1;
	}
	printf("float32 %.2f\nfloat64 %.2f\n", 2.0 * n * n * n / best32 / 1e9, 2.0 * n * n * n / best64 / 1e9);
	free(a); free(b); free(c); free(fa); free(fb); free(fc);
	return 0;
}
