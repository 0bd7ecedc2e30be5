/*
** test_comm.c — the counted MPI wrappers of runtime/comm.c and ha_chunk.
** Run under mpirun -n 1..4 with CK_FORK=no.
*/
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"

static ha_comm *W;

static const ha_comm_stat *find_stat(const char *what, const char *call)
{
	const ha_comm_stat *rows;
	int n = ha_comm_stats(&rows);
	for (int i = 0; i < n; i++)
		if (!strcmp(rows[i].what, what) && !strcmp(rows[i].call, call))
			return &rows[i];
	return NULL;
}

START_TEST(chunk_balanced)
{
	int64_t off, cnt, next = 0;
	/* 10 over 4: 3 3 2 2 */
	for (int r = 0; r < 4; r++) {
		ha_chunk(10, 4, r, &off, &cnt);
		ck_assert_int_eq(off, next);
		ck_assert_int_eq(cnt, r < 2 ? 3 : 2);
		next += cnt;
	}
	ha_chunk(2, 3, 2, &off, &cnt);
	ck_assert_int_eq(off, 2);
	ck_assert_int_eq(cnt, 0);
}
END_TEST

START_TEST(bcast_and_counters)
{
	char buf[16] = { 0 };
	ha_comm_stats_reset();
	if (W->rank == 0)
		strcpy(buf, "hello ranks");
	ck_assert_int_eq(ha_bcast(buf, sizeof buf, 0, W, "t-bcast"), 0);
	ck_assert_str_eq(buf, "hello ranks");
	ck_assert_int_eq(ha_bcast(buf, sizeof buf, 0, W, "t-bcast"), 0);
	const ha_comm_stat *s = find_stat("t-bcast", "Bcast");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->calls, 2);
	ck_assert_int_eq(s->bytes, 2 * (int64_t)sizeof buf);
	ck_assert(s->seconds >= 0);
	ha_comm_stats_reset();
	ck_assert_ptr_null(find_stat("t-bcast", "Bcast"));
}
END_TEST

START_TEST(allreduce_exscan)
{
	int64_t v = W->rank + 1, sum = 0, pre = -1;
	ck_assert_int_eq(ha_allreduce(&v, &sum, 1, MPI_INT64_T, MPI_SUM, W, "t-red"), 0);
	ck_assert_int_eq(sum, (int64_t)W->size * (W->size + 1) / 2);
	ck_assert_int_eq(ha_exscan(&v, &pre, 1, MPI_INT64_T, MPI_SUM, W, "t-red"), 0);
	if (W->rank > 0)
		ck_assert_int_eq(pre, (int64_t)W->rank * (W->rank + 1) / 2);
	double d[3] = { 1.5, W->rank, -W->rank };
	ck_assert_int_eq(ha_allreduce(MPI_IN_PLACE, d, 3, ha_mpi_type(HA_FLOAT64), MPI_MAX, W, "t-red"), 0);
	ck_assert(d[0] == 1.5 && d[1] == W->size - 1 && d[2] == 0);
	const ha_comm_stat *s = find_stat("t-red", "Allreduce");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_ge(s->calls, 2);
}
END_TEST

START_TEST(gather_allgather)
{
	int P = W->size, me = W->rank;
	int64_t *counts = malloc(sizeof(int64_t) * P), *displs = malloc(sizeof(int64_t) * P);
	int64_t total = 0;
	for (int i = 0; i < P; i++) {
		counts[i] = i + 1;     /* rank i sends i+1 bytes of value 'a'+i */
		displs[i] = total;
		total += counts[i];
	}
	char mine[8], *all = malloc((size_t)total + 1);
	memset(mine, 'a' + me, sizeof mine);
	memset(all, 0, (size_t)total + 1);
	ck_assert_int_eq(ha_gather_bytes(mine, me + 1, all, counts, displs, 0, W, "t-gather"), 0);
	if (me == 0)
		for (int i = 0; i < P; i++)
			for (int k = 0; k < counts[i]; k++)
				ck_assert_int_eq(all[displs[i] + k], 'a' + i);
	memset(all, 0, (size_t)total + 1);
	ck_assert_int_eq(ha_allgather_bytes(mine, me + 1, all, counts, displs, W, "t-gather"), 0);
	for (int i = 0; i < P; i++)
		for (int k = 0; k < counts[i]; k++)
			ck_assert_int_eq(all[displs[i] + k], 'a' + i);
	const ha_comm_stat *s = find_stat("t-gather", "Allgatherv");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->bytes, total - (me + 1));   /* received from others */
	free(counts);
	free(displs);
	free(all);
}
END_TEST

START_TEST(alltoall_sendrecv)
{
	int P = W->size, me = W->rank;
	/* rank r sends (r+1) ints of value 100*r + j to rank j */
	int64_t *sc = calloc(4 * (size_t)P, sizeof(int64_t)), *sd = sc + P, *rc = sc + 2 * P, *rd = sc + 3 * P;
	int64_t stot = 0, rtot = 0;
	for (int j = 0; j < P; j++) {
		sc[j] = (int64_t)sizeof(int) * (me + 1);
		sd[j] = stot;
		stot += sc[j];
		rc[j] = (int64_t)sizeof(int) * (j + 1);
		rd[j] = rtot;
		rtot += rc[j];
	}
	int *sb = calloc(1, (size_t)stot), *rb = calloc(1, (size_t)rtot);
	for (int j = 0; j < P; j++)
		for (int k = 0; k <= me; k++)
			sb[sd[j] / (int64_t)sizeof(int) + k] = 100 * me + j;
	ck_assert_int_eq(ha_alltoall_bytes(sb, sc, sd, rb, rc, rd, W, "t-a2a"), 0);
	for (int j = 0; j < P; j++)
		for (int k = 0; k <= j; k++)
			ck_assert_int_eq(rb[rd[j] / (int64_t)sizeof(int) + k], 100 * j + me);
	const ha_comm_stat *s = find_stat("t-a2a", "Alltoallv");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->bytes, stot - sc[me]);

	/* ring shift */
	int out = me, in = -1;
	int right = (me + 1) % P, left = (me + P - 1) % P;
	ck_assert_int_eq(ha_sendrecv_bytes(&out, sizeof out, right, &in, sizeof in, left, W, "t-ring"), 0);
	ck_assert_int_eq(in, left);
	ck_assert_int_eq(ha_barrier(W, "t-ring"), 0);
	free(sb);
	free(rb);
	free(sc);
}
END_TEST

static int64_t traced_bytes;
static int traced_calls;
static void tracer(const char *what, const char *call, int64_t bytes, double seconds)
{
	(void)call;
	(void)seconds;
	if (!strcmp(what, "t-trace")) {
		traced_calls++;
		traced_bytes += bytes;
	}
}

START_TEST(trace_hook)
{
	int x = 1, y = 0;
	ha_comm_set_trace(tracer);
	ha_allreduce(&x, &y, 1, MPI_INT, MPI_SUM, W, "t-trace");
	ha_comm_set_trace(NULL);
	ha_allreduce(&x, &y, 1, MPI_INT, MPI_SUM, W, "t-trace");
	ck_assert_int_eq(traced_calls, 1);
	ck_assert_int_eq(traced_bytes, (int64_t)sizeof(int));
	ck_assert_int_eq(y, W->size);
}
END_TEST

START_TEST(mpi_types)
{
	ck_assert(ha_mpi_type(HA_FLOAT32) == MPI_FLOAT);
	ck_assert(ha_mpi_type(HA_INT64) == MPI_INT64_T);
	ck_assert(ha_mpi_type(HA_COMPLEX128) == MPI_C_DOUBLE_COMPLEX);
	ck_assert(ha_mpi_type(HA_BOOL) == MPI_C_BOOL);
}
END_TEST

/* The same exchanges through the large-count paths: MPI counts limited to
** 3, so every message goes in pieces / derived types. */
START_TEST(large_count_paths)
{
	ha_comm_set_max_count(3);
	char buf[11] = { 0 };
	if (W->rank == 0)
		memcpy(buf, "0123456789", 10);
	ck_assert_int_eq(ha_bcast(buf, 10, 0, W, "t-big"), 0);
	ck_assert_str_eq(buf, "0123456789");
	int64_t v[7], r[7];
	for (int i = 0; i < 7; i++)
		v[i] = i * (W->rank + 1);
	ck_assert_int_eq(ha_allreduce(v, r, 7, MPI_INT64_T, MPI_SUM, W, "t-big"), 0);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(r[i], (int64_t)i * W->size * (W->size + 1) / 2);
	ha_comm_set_max_count(0);
}
END_TEST

static void small_counts(void) { ha_comm_set_max_count(3); }
static void default_counts(void) { ha_comm_set_max_count(0); }

int main(int argc, char **argv)
{
	MPI_Init(&argc, &argv);
	ha_init(MPI_COMM_WORLD);
	W = ha_comm_world();
	Suite *s = suite_create("comm");
	TCase *tc = tcase_create("wrappers");
	tcase_add_test(tc, chunk_balanced);
	tcase_add_test(tc, bcast_and_counters);
	tcase_add_test(tc, allreduce_exscan);
	tcase_add_test(tc, gather_allgather);
	tcase_add_test(tc, alltoall_sendrecv);
	tcase_add_test(tc, trace_hook);
	tcase_add_test(tc, mpi_types);
	tcase_add_test(tc, large_count_paths);
	/* gather, allgather, alltoall and sendrecv again, in pieces */
	TCase *big = tcase_create("large counts");
	tcase_add_checked_fixture(big, small_counts, default_counts);
	tcase_add_test(big, gather_allgather);
	tcase_add_test(big, alltoall_sendrecv);
	suite_add_tcase(s, big);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	/* Only rank 0 reports, so the log is readable. */
	srunner_run_all(sr, W->rank == 0 ? CK_NORMAL : CK_SILENT);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	/* Every rank must agree on the outcome for mpirun's status. */
	int any = 0;
	MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	ha_finalize();
	MPI_Finalize();
	return any ? EXIT_FAILURE : EXIT_SUCCESS;
}
