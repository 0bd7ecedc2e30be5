/*
** magic.c — IPython-style magic lines: %timeit, %time, %who, %comm, %help,
** and ipyparallel's %px / %%px, accepted as no-ops so notebook cells paste
** unchanged (every ha statement already runs on every rank).
**
** Timings are parallel timings: each run's time is the maximum over the
** ranks (the slowest rank decides when a collective program can go on),
** taken with one all-reduce per run, and printed once by rank 0.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ha.h>
#include "eval_internal.h"
#include "spmd.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* IPython's _format_time: three significant digits and a unit. */
static void format_time(double t, char *buf, size_t n)
{
	static const char *units[] = { "s", "ms", "\xc2\xb5s", "ns" };
	static const double scale[] = { 1, 1e3, 1e6, 1e9 };
	if (t >= 60.0) {
		snprintf(buf, n, "%.0f min %.0f s", floor(t / 60), fmod(t, 60));
		return;
	}
	int order = 3;
	if (t > 0.0) {
		order = -(int)floor(floor(log10(t)) / 3);
		if (order > 3)
			order = 3;
		if (order < 0)
			order = 0;
	}
	snprintf(buf, n, "%.*g %s", 3, t * scale[order], units[order]);
}

static int out(const char *s)
{
	return hi_out_write(s, strlen(s), 0);
}

/* Parse the statement text of a magic line as its own unit and run it
** `loops` times in the current frame's globals; returns the slowest
** rank's total seconds, or -1 on error. */
static double run_timed(hg_unit *u, hi_frame *fr, long loops)
{
	hi_frame sub = *fr;
	sub.unit = u;
	double t0 = now();
	for (long i = 0; i < loops; i++) {
		hi_exit ex = hi_exec_block(u->root, &sub);
		if (ex == EX_ERROR) {
			if (sub.err_line && !fr->err_line)
				fr->err_line = sub.err_line;
			return -1;
		}
	}
	double t = now() - t0, tmax = t;
	if (hi_S.size > 1 && ha_allreduce(&t, &tmax, 1, MPI_DOUBLE, MPI_MAX, ha_comm_world(), "timeit")) {
		hi_raise(hi_RuntimeError, "%s", ha_error_msg());
		return -1;
	}
	return tmax;
}

static hg_unit *parse_stmt(const char *text, hi_frame *fr)
{
	hg_syntax_error err;
	memset(&err, 0, sizeof err);
	hg_unit *u = hg_parse(text, strlen(text), fr->unit ? fr->unit->filename : "<magic>", &err);
	if (!u) {
		hi_raise(hi_MemoryError, "out of memory");
		return NULL;
	}
	if (!u->root) {
		hi_raise_syntax(&err, u, u->filename);
		hg_unit_release(u);
		return NULL;
	}
	if (hi_resolve_unit(u)) {
		hg_unit_release(u);
		return NULL;
	}
	return u;
}

static const char *parse_int_opt(const char *p, const char *flag, long *val)
{
	size_t n = strlen(flag);
	while (*p == ' ')
		p++;
	if (strncmp(p, flag, n) == 0 && (p[n] == ' ' || (p[n] >= '0' && p[n] <= '9'))) {
		char *end;
		*val = strtol(p + n, &end, 10);
		return end;
	}
	return NULL;
}

static hi_val magic_timeit(const char *args, hi_frame *fr)
{
	long loops = 0, repeat = 7;
	const char *p = args, *q;
	for (;;) {
		if ((q = parse_int_opt(p, "-n", &loops)))
			p = q;
		else if ((q = parse_int_opt(p, "-r", &repeat)))
			p = q;
		else
			break;
	}
	while (*p == ' ')
		p++;
	if (!*p)
		return hi_raise(hi_ValueError, "%%timeit: no statement to time");
	if (loops < 0 || repeat < 1)
		return hi_raise(hi_ValueError, "%%timeit: -n and -r must be positive");
	hg_unit *u = parse_stmt(p, fr);
	if (!u)
		return hi_err();
	hi_frame top = *fr;
	top.code = NULL;
	top.globals = fr->globals;
	if (loops == 0) {
		/* as IPython: grow 1, 2, 5, 10, 20 ... until a run takes 0.2 s */
		for (long base = 1;; base *= 10) {
			long cands[3] = { base, 2 * base, 5 * base };
			int done = 0;
			for (int i = 0; i < 3 && !done; i++) {
				double t = run_timed(u, &top, cands[i]);
				if (t < 0) {
					hg_unit_release(u);
					return hi_err();
				}
				loops = cands[i];
				done = t >= 0.2;
			}
			if (done)
				break;
		}
	}
	double *per = malloc(sizeof(double) * (size_t)repeat);
	if (!per) {
		hg_unit_release(u);
		return hi_raise(hi_MemoryError, "out of memory");
	}
	for (long r = 0; r < repeat; r++) {
		double t = run_timed(u, &top, loops);
		if (t < 0) {
			free(per);
			hg_unit_release(u);
			return hi_err();
		}
		per[r] = t / (double)loops;
	}
	hg_unit_release(u);
	double mean = 0, var = 0, best = per[0], worst = per[0];
	for (long r = 0; r < repeat; r++) {
		mean += per[r];
		if (per[r] < best) best = per[r];
		if (per[r] > worst) worst = per[r];
	}
	mean /= (double)repeat;
	for (long r = 0; r < repeat; r++)
		var += (per[r] - mean) * (per[r] - mean);
	double sd = sqrt(var / (double)repeat);
	free(per);
	char line[512], m[64], s[64];
	format_time(mean, m, sizeof m);
	format_time(sd, s, sizeof s);
	if (best > 0 && worst / best > 4 && worst > 1e-6) {
		snprintf(line, sizeof line, "The slowest run took %.2f times longer than the fastest. "
		         "This could mean that an intermediate result is being cached.\n", worst / best);
		if (out(line))
			return hi_err();
	}
	snprintf(line, sizeof line, "%s \xc2\xb1 %s per loop (mean \xc2\xb1 std. dev. of %ld run%s, "
	         "%ld loop%s each)\n", m, s, repeat, repeat == 1 ? "" : "s", loops, loops == 1 ? "" : "s");
	if (out(line))
		return hi_err();
	return hi_none();
}

static hi_val magic_time(const char *args, hi_frame *fr)
{
	hg_unit *u = parse_stmt(args, fr);
	if (!u)
		return hi_err();
	hi_frame top = *fr;
	top.unit = u;
	double t0 = now();
	/* run once; an expression's value is the magic's value, as IPython */
	hi_val result = hi_none();
	hg_node *root = u->root;
	for (int i = 0; i < root->nkids; i++) {
		hg_node *s = root->kids[i];
		if (i == root->nkids - 1 && s->kind == HG_EXPR_STMT) {
			result = hi_eval(s->kids[0], &top);
			if (hi_iserr(result))
				break;
		} else if (hi_exec(s, &top) == EX_ERROR) {
			result = hi_err();
			break;
		}
	}
	double t = now() - t0, tmax = t;
	hg_unit_release(u);
	if (hi_iserr(result))
		return result;
	if (hi_S.size > 1 && ha_allreduce(&t, &tmax, 1, MPI_DOUBLE, MPI_MAX, ha_comm_world(), "time")) {
		hi_decref(result);
		return hi_raise(hi_RuntimeError, "%s", ha_error_msg());
	}
	char buf[64], line[128];
	format_time(tmax, buf, sizeof buf);
	snprintf(line, sizeof line, "Wall time: %s\n", buf);
	if (out(line)) {
		hi_decref(result);
		return hi_err();
	}
	return result;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static hi_val magic_who(hi_frame *fr)
{
	hi_dict *d = hi_as_dict(fr->globals);
	const char **names = malloc(sizeof(char *) * (d->len + 1));
	size_t n = 0;
	for (size_t i = 0; i < d->used; i++) {
		hi_dict_entry *e = &d->entries[i];
		if (e->key.kind != HI_STR)
			continue;
		const char *s = hi_as_str(e->key)->s;
		if (s[0] == '_')
			continue;
		names[n++] = s;
	}
	if (n == 0) {
		free(names);
		return out("Interactive namespace is empty.\n") ? hi_err() : hi_none();
	}
	qsort(names, n, sizeof(char *), cmp_str);
	hi_buf b = {0};
	for (size_t i = 0; i < n; i++) {
		hi_buf_adds(&b, names[i]);
		hi_buf_adds(&b, i + 1 < n ? "\t " : "\n");
	}
	free(names);
	int rc = hi_out_write(b.p, b.len, 0);
	hi_buf_free(&b);
	return rc ? hi_err() : hi_none();
}

static void comm_trace(const char *what, const char *call, int64_t bytes, double seconds)
{
	if (hi_S.rank != 0 || strcmp(what, "print") == 0 || strcmp(what, "agree") == 0)
		return;
	fprintf(hi_out_stream, "[comm] %-12s %-10s %12lld bytes %10.1f us\n", what, call,
	        (long long)bytes, seconds * 1e6);
}

static hi_val magic_comm(const char *args)
{
	while (*args == ' ')
		args++;
	if (strcmp(args, "on") == 0)
		ha_comm_set_trace(comm_trace);
	else if (strcmp(args, "off") == 0)
		ha_comm_set_trace(NULL);
	else
		return hi_raise(hi_ValueError, "%%comm takes 'on' or 'off', not '%s'", args);
	return hi_none();
}

static hi_val magic_help(const char *args, hi_frame *fr)
{
	hg_unit *u = parse_stmt(*args ? args : "None", fr);
	if (!u)
		return hi_err();
	hi_val v = hi_none();
	if (u->root->nkids == 1 && u->root->kids[0]->kind == HG_EXPR_STMT) {
		hi_frame top = *fr;
		top.unit = u;
		v = hi_eval(u->root->kids[0]->kids[0], &top);
	}
	hg_unit_release(u);
	if (hi_iserr(v))
		return v;
	hi_val help;
	if (hi_dict_get_str(hi_S.builtins, "help", &help) <= 0) {
		hi_decref(v);
		return hi_raise(hi_NameError, "name 'help' is not defined");
	}
	hi_val r = hi_call_simple(help, 1, &v);
	hi_decref(help);
	hi_decref(v);
	return r;
}

hi_val hi_exec_magic(hg_node *n, hi_frame *fr)
{
	const char *cmd = n->v.s, *args = n->name2 ? n->name2 : "";
	hi_val r;
	if (strcmp(cmd, "timeit") == 0)
		r = magic_timeit(args, fr);
	else if (strcmp(cmd, "time") == 0)
		r = magic_time(args, fr);
	else if (strcmp(cmd, "who") == 0)
		r = magic_who(fr);
	else if (strcmp(cmd, "comm") == 0)
		r = magic_comm(args);
	else if (strcmp(cmd, "help") == 0)
		r = magic_help(args, fr);
	else if (strcmp(cmd, "px") == 0 || strcmp(cmd, "%px") == 0 || strcmp(cmd, "autopx") == 0)
		r = hi_none();   /* ipyparallel's "run on every engine": ha always does */
	else
		r = hi_raise(hi_NameError, "unknown magic %%%s (known: %%timeit %%time %%who %%comm %%help)", cmd);
	if (hi_iserr(r))
		return hi_err_at(fr, n);
	return r;
}
