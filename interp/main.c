/*
** main.c — the ha command.
**
**   ha [options] [FILE.ha | -c CODE | -] [ARGS...]
**
** Every rank parses the same command line, so every rank takes the same
** path and exits with the same status; only rank 0 reads input and writes
** messages.  Never MPI_Abort: errors end the program through the normal
** path, so mpirun sees every rank finish.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ha.h"
#include "interp.h"
#include "eval.h"
#include "spmd.h"
#include "repl.h"

#define HA_VERSION "0.1.0"

static const char usage_text[] =
	"usage: ha [options] [FILE.ha | -c CODE | -] [ARGS...]\n"
	"Run an ha program on every MPI rank (mpirun -n P ha ...), or start the REPL.\n"
	"\n"
	"Options:\n"
	"  -c CODE        run CODE (a string) as the program\n"
	"  -              read the program from standard input\n"
	"  -i             enter the REPL after running the program\n"
	"  -q             do not print the REPL banner\n"
	"  --profile      at exit, print per-operation communication counts, bytes\n"
	"                 and times (maximum over ranks) to standard error\n"
	"  --trace-comm   print every collective with the bytes it moved (stderr)\n"
	"  --version      print the version and exit\n"
	"  -h, --help     print this help and exit\n"
	"\n"
	"With no FILE the REPL starts; when standard input is not a terminal the\n"
	"whole input is run as one program.  Exit status: 0 success, 1 uncaught\n"
	"error, 2 usage error.  See ha(1) and ha-lang(7).\n";

typedef struct options {
	int interactive_after;   /* -i */
	int quiet;               /* -q */
	int profile;             /* --profile */
	int trace;               /* --trace-comm */
	int version, help;
	const char *file;        /* script path, "-" for stdin, NULL */
	const char *code;        /* -c CODE */
	int rest;                /* index of the first program argument */
	char bad[64];            /* usage error message, "" if none */
} options;

static void parse_options(int argc, char **argv, options *o)
{
	int i;
	memset(o, 0, sizeof *o);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || strcmp(a, "-") == 0)
			break;
		if (strcmp(a, "--version") == 0)
			o->version = 1;
		else if (strcmp(a, "--help") == 0)
			o->help = 1;
		else if (strcmp(a, "--profile") == 0)
			o->profile = 1;
		else if (strcmp(a, "--trace-comm") == 0)
			o->trace = 1;
		else if (a[1] == '-') {
			snprintf(o->bad, sizeof o->bad, "unknown option '%.40s'", a);
			return;
		} else {
			/* Short flags may be combined (-iq); -c takes the next word
			** (or the rest of this one) and ends the options. */
			for (const char *p = a + 1; *p; p++) {
				if (*p == 'i')
					o->interactive_after = 1;
				else if (*p == 'q')
					o->quiet = 1;
				else if (*p == 'h')
					o->help = 1;
				else if (*p == 'c') {
					if (p[1])
						o->code = p + 1;
					else if (i + 1 < argc)
						o->code = argv[++i];
					else {
						snprintf(o->bad, sizeof o->bad, "option -c requires an argument");
						return;
					}
					o->rest = i + 1;
					return;
				} else {
					snprintf(o->bad, sizeof o->bad, "unknown option '-%c'", *p);
					return;
				}
			}
		}
	}
	if (i < argc) {
		o->file = argv[i];
		o->rest = i + 1;
	} else {
		o->rest = argc;
	}
}

/* ---- reading the program on rank 0 ---- */

/* Read all of f into a malloc'd, NUL-terminated buffer; -1 with errno. */
static int slurp(FILE *f, char **out, size_t *n)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -1;
	for (;;) {
		if (len + 1 >= cap) {
			char *p = realloc(buf, cap *= 2);
			if (!p) {
				free(buf);
				return -1;
			}
			buf = p;
		}
		size_t k = fread(buf + len, 1, cap - len - 1, f);
		len += k;
		if (k == 0) {
			if (ferror(f)) {
				int e = errno ? errno : EIO;
				free(buf);
				errno = e;
				return -1;
			}
			break;
		}
	}
	buf[len] = 0;
	*out = buf;
	*n = len;
	return 0;
}

/* Rank 0 reads the program; every rank gets the text (NULL when it could
** not be read: rank 0 has printed why). */
static char *load_program(const char *path, size_t *n)
{
	char *text = NULL;
	*n = 0;
	if (ha_comm_world()->rank == 0) {
		errno = 0;
		FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
		if (!f || slurp(f, &text, n) < 0) {
			int e = errno ? errno : EIO;
			fprintf(stderr, "ha: can't open file '%s': [Errno %d] %s\n", path, e, strerror(e));
			text = NULL;
		}
		if (f && f != stdin)
			fclose(f);
	}
	hi_spmd_bcast_text(&text, n);
	return text;
}

/* ---- --trace-comm and --profile ---- */

static void trace_comm(const char *what, const char *call, int64_t bytes, double seconds)
{
	fprintf(stderr, "[comm] %-14s %-10s %12lld bytes %10.6f s\n", what, call,
	        (long long)bytes, seconds);
}

typedef struct prow { char what[48], call[16]; int64_t calls, bytes; double seconds; } prow;

static int prow_cmp(const void *a, const void *b)
{
	const prow *x = a, *y = b;
	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? 1 : -1;
	int c = strcmp(x->what, y->what);
	return c ? c : strcmp(x->call, y->call);
}

/* Every rank sends its counter rows to rank 0, which merges them by
** (operation, call) keeping the maximum over ranks, like PETSc's -log_view. */
static void print_profile(double wall)
{
	ha_comm *w = ha_comm_world();
	const ha_comm_stat *st;
	int nr = ha_comm_stats(&st);
	prow *mine = calloc((size_t)nr + 1, sizeof *mine);
	int64_t *counts = calloc((size_t)w->size * 2, sizeof *counts);
	if (!mine || !counts) {
		free(mine);
		free(counts);
		return;
	}
	for (int i = 0; i < nr; i++) {
		snprintf(mine[i].what, sizeof mine[i].what, "%s", st[i].what);
		snprintf(mine[i].call, sizeof mine[i].call, "%s", st[i].call);
		mine[i].calls = st[i].calls;
		mine[i].bytes = st[i].bytes;
		mine[i].seconds = st[i].seconds;
	}
	/* The exchange below is charged to "profile" after this snapshot. */
	int64_t nbytes = (int64_t)nr * (int64_t)sizeof(prow), *c8 = counts, *d8 = counts + w->size;
	int64_t one[1] = { nbytes };
	int64_t *cc = calloc((size_t)w->size * 2, sizeof *cc);
	if (!cc) {
		free(mine);
		free(counts);
		return;
	}
	for (int i = 0; i < w->size; i++) {
		cc[i] = sizeof(int64_t);
		cc[w->size + i] = (int64_t)sizeof(int64_t) * i;
	}
	ha_allgather_bytes(one, sizeof one, c8, cc, cc + w->size, w, "profile");
	int64_t total = 0;
	for (int i = 0; i < w->size; i++) {
		d8[i] = total;
		total += c8[i];
	}
	prow *all = w->rank == 0 ? malloc((size_t)total + sizeof(prow)) : NULL;
	ha_gather_bytes(mine, nbytes, all, c8, d8, 0, w, "profile");
	if (w->rank == 0 && all) {
		int n = (int)(total / (int64_t)sizeof(prow)), m = 0;
		for (int i = 0; i < n; i++) {
			int j;
			for (j = 0; j < m; j++)
				if (!strcmp(all[j].what, all[i].what) && !strcmp(all[j].call, all[i].call))
					break;
			if (j == m)
				all[m++] = all[i];
			else {
				if (all[i].calls > all[j].calls) all[j].calls = all[i].calls;
				if (all[i].bytes > all[j].bytes) all[j].bytes = all[i].bytes;
				if (all[i].seconds > all[j].seconds) all[j].seconds = all[i].seconds;
			}
		}
		qsort(all, (size_t)m, sizeof *all, prow_cmp);
		fprintf(stderr, "\nha --profile: communication on %d rank%s, wall time %.6f s "
		        "(max over ranks)\n", w->size, w->size == 1 ? "" : "s", wall);
		fprintf(stderr, "%-20s %-11s %10s %15s %12s\n", "operation", "MPI call", "calls",
		        "bytes", "seconds");
		int64_t tc = 0, tb = 0;
		double ts = 0;
		for (int i = 0; i < m; i++) {
			fprintf(stderr, "%-20s %-11s %10lld %15lld %12.6f\n", all[i].what, all[i].call,
			        (long long)all[i].calls, (long long)all[i].bytes, all[i].seconds);
			tc += all[i].calls;
			tb += all[i].bytes;
			ts += all[i].seconds;
		}
		fprintf(stderr, "%-20s %-11s %10lld %15lld %12.6f\n", "total", "", (long long)tc,
		        (long long)tb, ts);
		fflush(stderr);
	}
	free(all);
	free(cc);
	free(mine);
	free(counts);
}

/* ---- main ---- */

/* `ha prog.ha` without mpirun is an MPI singleton.  Open MPI then starts a
** helper daemon and the UCX messaging layer, which took 0.35 s here before
** the first statement; a singleton talks to nobody, so when no launcher
** started us (no rank variables in the environment) ask for the isolated
** singleton and the ob1 layer instead: start-up drops to ~0.03 s.  A
** setting the user made in the environment is left alone. */
static void singleton_defaults(void)
{
	static const char *const launched[] = { "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK",
	                                        "PMI_SIZE" };
	for (size_t i = 0; i < sizeof launched / sizeof *launched; i++)
		if (getenv(launched[i]))
			return;
	setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
	setenv("OMPI_MCA_pml", "ob1", 0);
}

int main(int argc, char **argv)
{
	int provided = 0, status = 0;
	options o;

	singleton_defaults();
	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	if (ha_init(MPI_COMM_WORLD) < 0) {
		/* ha_init agrees on failure, so every rank takes this path. */
		fprintf(stderr, "ha: cannot start the runtime: %s\n", ha_error_msg());
		MPI_Finalize();
		return 1;
	}
	ha_comm *w = ha_comm_world();
	int rank = w->rank;
	double t0 = MPI_Wtime();

	parse_options(argc, argv, &o);
	if (o.bad[0] || o.help || o.version) {
		if (rank == 0) {
			if (o.bad[0])
				fprintf(stderr, "ha: %s\n%s", o.bad, usage_text);
			else if (o.help)
				fputs(usage_text, stdout);
			else
				puts("ha " HA_VERSION);
		}
		ha_finalize();
		MPI_Finalize();
		return o.bad[0] ? 2 : 0;
	}

	/* sys-style argv: [program name or "-c" or "", args...] */
	int pargc = 1 + (argc - o.rest);
	char **pargv = calloc((size_t)pargc + 1, sizeof *pargv);
	if (!pargv) {
		ha_finalize();
		MPI_Finalize();
		return 1;
	}
	pargv[0] = o.code ? "-c" : o.file ? (char *)o.file : "";
	for (int i = o.rest; i < argc; i++)
		pargv[1 + i - o.rest] = argv[i];

	if (hi_start(pargc, pargv) < 0) {
		hi_report_exception();
		free(pargv);
		ha_finalize();
		MPI_Finalize();
		return 1;
	}
	if (o.trace && rank == 0)
		ha_comm_set_trace(trace_comm);

	int terminal = 0, run_repl = 0;
	if (o.code) {
		status = hi_run_source(o.code, strlen(o.code), "<string>", 0);
		run_repl = o.interactive_after;
	} else if (o.file) {
		size_t n;
		char *text = load_program(o.file, &n);
		if (!text) {
			status = 2;
		} else {
			status = hi_run_source(text, n, strcmp(o.file, "-") ? o.file : "<stdin>", 0);
			free(text);
			run_repl = o.interactive_after;
		}
	} else {
		terminal = hi_repl_terminal();
		if (terminal || o.interactive_after) {
			run_repl = 1;
		} else {
			/* Piped input and no terminal: the whole input is the program. */
			size_t n;
			char *text = load_program("-", &n);
			status = text ? hi_run_source(text, n, "<stdin>", 0) : 2;
			free(text);
		}
	}
	if (hi_quit_requested()) {
		status = hi_exit_status();
	} else if (run_repl) {
		if (o.file || o.code)
			terminal = hi_repl_terminal();
		status = hi_repl(terminal, !o.quiet && !o.file && !o.code);
	}
	hi_out_flush();
	fflush(stdout);

	if (o.profile)
		print_profile(MPI_Wtime() - t0);
	ha_comm_set_trace(NULL);
	ha_comm_stats_reset();
	hi_stop();
	free(pargv);
	ha_finalize();
	MPI_Finalize();
	return status;
}
