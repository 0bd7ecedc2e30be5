/*
** timemod.c — the `time` module: wall-clock time, a monotonic
** high-resolution counter for measuring intervals, and sleep.
**
** Every rank reads its own clock; the values are not marked rank-local,
** so print(time.time() - t0) shows rank 0's measurement once.
*/
#include <errno.h>
#include <math.h>
#include <time.h>

#include "interp.h"

static double clock_sec(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static hi_val t_time(hi_val *a, void *ctx)
{
	(void)a;
	(void)ctx;
	return hi_float(clock_sec(CLOCK_REALTIME));
}

static hi_val t_perf_counter(hi_val *a, void *ctx)
{
	(void)a;
	(void)ctx;
	return hi_float(clock_sec(CLOCK_MONOTONIC));
}

static hi_val t_process_time(hi_val *a, void *ctx)
{
	(void)a;
	(void)ctx;
	return hi_float(clock_sec(CLOCK_PROCESS_CPUTIME_ID));
}

static hi_val t_sleep(hi_val *a, void *ctx)
{
	(void)ctx;
	double s;
	if (hi_as_double(a[0], &s, NULL) < 0)
		return hi_err();
	if (isnan(s))
		return hi_raise(hi_ValueError, "Invalid value NaN (not a number)");
	if (s < 0)
		return hi_raise(hi_ValueError, "sleep length must be non-negative");
	struct timespec ts;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return hi_none();
}

static const hi_builtin_def defs[] = {
	{ "time()", t_time,
	  "Return the current time in seconds since the Epoch (1970-01-01 UTC) as a\n"
	  "float.  Each rank reads its own clock." },
	{ "perf_counter()", t_perf_counter,
	  "Return the value in seconds of a monotonic high-resolution clock, for\n"
	  "measuring short intervals: t0 = perf_counter(); ...; perf_counter() - t0." },
	{ "monotonic()", t_perf_counter,
	  "Return the value in seconds of a clock that never goes backwards." },
	{ "process_time()", t_process_time,
	  "Return the CPU time (user + system) of this rank's process in seconds." },
	{ "sleep(secs)", t_sleep,
	  "Suspend execution for the given number of seconds (a float is allowed)." },
	{ NULL, NULL, NULL }
};

void hi_init_time(void)
{
	hi_val m = hi_module_new("time",
	                         "Time access: wall-clock time, interval timers and sleep.");
	if (hi_iserr(m))
		return;
	hi_register(hi_module_dict(m), defs, "time");
	hi_module_install(m);
	hi_decref(m);
}
