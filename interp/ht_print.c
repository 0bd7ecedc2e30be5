/*
** ht_print.c — print0, local_printing/global_printing and the print
** options.  print(x) of a global array is collective (the runtime gathers
** the shown elements to rank 0, which writes); in local printing mode each
** rank's chunk is shown, prefixed by its rank.
*/
#include <stdint.h>
#include <string.h>

#include "ht_internal.h"
#include "spmd.h"
#include "valimpl.h"

static int write0(const char *s)
{
	return hi_out_write(s, strlen(s), 0);
}

static hi_val f_print0(hi_val *a, void *ctx)
{
	(void)ctx;
	hi_buf b = { 0 };
	int local = 0;
	if (hi_print_text(&b, a[0], a[1], a[2], &local))
		return hi_err();
	/* only rank 0's text is written, whatever it holds */
	int rc = hi_out_write(b.p ? b.p : "", b.len, 0);
	hi_buf_free(&b);
	return rc < 0 ? hi_err() : hi_none();
}

static hi_val f_local_printing(hi_val *a, void *ctx)
{
	(void)a;
	(void)ctx;
	hi_local_printing = 1;
	if (write0("Printing options set to LOCAL. DNDarrays will print the local arrays\n") < 0)
		return hi_err();
	return hi_none();
}

static hi_val f_global_printing(hi_val *a, void *ctx)
{
	(void)a;
	(void)ctx;
	if (!hi_local_printing)
		return hi_none();
	hi_local_printing = 0;
	if (write0("Printing options set to GLOBAL. DNDarrays will be collected on process 0 before printing\n") < 0)
		return hi_err();
	return hi_none();
}

static int opt_int(hi_val v, int64_t *out, const char *what)
{
	if (v.kind == HI_NONE)
		return 0;
	if (v.kind == HI_FLOAT && v.f > 9.2e18) {
		*out = INT64_MAX;    /* threshold=float('inf') */
		return 0;
	}
	if (hi_as_int64(v, out, what))
		return -1;
	if (*out < 0)
		return hi_raisei(hi_ValueError, "%s must be non-negative", what);
	return 0;
}

static hi_val f_set_printoptions(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_printopts o;
	ha_get_printoptions(&o);
	if (a[4].kind != HI_NONE) {
		if (a[4].kind != HI_STR)
			return hi_raise(hi_TypeError, "profile must be 'default', 'short' or 'full'");
		const char *p = hi_as_str(a[4])->s;
		if (!strcmp(p, "default"))
			o = (ha_printopts){ 4, 1000, 3, 120, -1 };
		else if (!strcmp(p, "short"))
			o = (ha_printopts){ 2, 1000, 2, 120, -1 };
		else if (!strcmp(p, "full"))
			o = (ha_printopts){ 4, INT64_MAX, 3, 120, -1 };
		else
			return hi_raise(hi_ValueError, "profile must be 'default', 'short' or 'full', not '%s'", p);
	}
	int64_t v;
	v = o.precision;
	if (opt_int(a[0], &v, "precision"))
		return hi_err();
	o.precision = (int)v;
	if (opt_int(a[1], &o.threshold, "threshold"))
		return hi_err();
	v = o.edgeitems;
	if (opt_int(a[2], &v, "edgeitems"))
		return hi_err();
	o.edgeitems = (int)v;
	v = o.linewidth;
	if (opt_int(a[3], &v, "linewidth"))
		return hi_err();
	o.linewidth = (int)v;
	if (a[5].kind != HI_NONE) {
		int t = hi_truthy(a[5]);
		if (t < 0)
			return hi_err();
		o.sci_mode = t;
	} else {
		o.sci_mode = -1;
	}
	if (ha_set_printoptions(&o))
		return hi_raise_ha();
	return hi_none();
}

static hi_val f_get_printoptions(hi_val *a, void *ctx)
{
	(void)a;
	(void)ctx;
	ha_printopts o;
	ha_get_printoptions(&o);
	hi_val d = hi_dict_new();
	if (hi_iserr(d))
		return d;
	hi_dict_set_str(d, "precision", hi_int(o.precision));
	hi_dict_set_str(d, "threshold", o.threshold == INT64_MAX ? hi_float(1.0 / 0.0) : hi_int(o.threshold));
	hi_dict_set_str(d, "edgeitems", hi_int(o.edgeitems));
	hi_dict_set_str(d, "linewidth", hi_int(o.linewidth));
	hi_dict_set_str(d, "sci_mode", o.sci_mode < 0 ? hi_none() : hi_bool(o.sci_mode));
	return d;
}

static const hi_builtin_def print_defs[] = {
	{ "print0(*args, sep=' ', end='\\n')", f_print0,
	  "Print on rank 0 only. Arrays are formatted as print() does (collective);\n"
	  "with local_printing() only rank 0's chunk is shown." },
	{ "local_printing()", f_local_printing,
	  "From now on print() shows each rank's local chunk of an array, followed\n"
	  "by ', device: cpu:0, split: 0', one block per rank with [r] prefixes.\n"
	  "Printing then needs no communication of array data." },
	{ "global_printing()", f_global_printing,
	  "From now on print() gathers an array's (shown) elements to rank 0 and\n"
	  "prints the global array once (the default). Collective per print." },
	{ "set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None)",
	  f_set_printoptions,
	  "Configure array printing (torch's options, as Heat uses them).\n\n"
	  "precision : digits after the point (default 4)\n"
	  "threshold : more elements than this are summarised with ... (default 1000)\n"
	  "edgeitems : items shown at each end of a summarised axis (default 3)\n"
	  "linewidth : characters per line (default 120)\n"
	  "profile : 'default', 'short' or 'full' presets\n"
	  "sci_mode : True/False forces scientific notation on/off; None chooses" },
	{ "get_printoptions()", f_get_printoptions,
	  "The current print options as a dict." },
	{ 0 }
};

void hi_init_ht_print(void)
{
	hi_ht_register(print_defs, 0);
}
