/*
** ht_io.c — file input and output builtins: load save load_hdf5
** save_hdf5 load_csv save_csv supports_hdf5 (the runtime part is
** runtime/io/).  Every one is collective: all ranks call it on the same
** file; HDF5 moves each rank's hyperslab with parallel MPI-IO, CSV reads
** byte ranges and writes rank-ordered rows.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ht_internal.h"

/* The runtime's I/O failure as Python's exception: FileNotFoundError and
** KeyError where Python raises them, else by the error kind. */
static hi_val io_raise(void)
{
	switch (ha_io_error_code()) {
	case HA_IO_NOTFOUND: {
		hi_val r = hi_raise(hi_FileNotFoundError, "%s", ha_error_msg());
		ha_error_clear();
		return r;
	}
	case HA_IO_NOKEY: {
		hi_val r = hi_raise(hi_KeyError, "%s", ha_error_msg());
		ha_error_clear();
		return r;
	}
	default:
		return hi_raise_ha();
	}
}

static int get_str(hi_val v, const char *what, const char **out)
{
	if (v.kind != HI_STR)
		return hi_raisei(hi_TypeError, "%s must be str, not '%s'", what, hi_type_name(v));
	*out = hi_as_str(v)->s;
	return 0;
}

static int get_data(hi_val v, ha_array **out)
{
	if (v.kind != HI_ARRAY)
		return hi_raisei(hi_TypeError, "data must be a DNDarray, not '%s'", hi_type_name(v));
	ha_array *a = hi_arr(v);
	if (a->comm == &hi_self_comm)
		return hi_raisei(hi_ValueError, "cannot save a rank-local array (x.larray or a value computed "
		                 "from it): every rank would write the same file; save the global array");
	*out = a;
	return 0;
}

/* dtype=: None keeps the file's type (HDF5) */
static int get_load_dtype(hi_val v, int *out)
{
	ha_dtype t;
	if (v.kind == HI_NONE) {
		*out = -1;
		return 0;
	}
	if (hi_get_dtype(v, &t))
		return -1;
	*out = (int)t;
	return 0;
}

/* The lower-case extension of path (".h5"), "" when there is none. */
static void extension(const char *path, char *ext, size_t n)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	ext[0] = '\0';
	if (!dot || (slash && dot < slash) || dot == path || (slash && dot == slash + 1))
		return;
	size_t i = 0;
	for (; dot[i] && i + 1 < n; i++)
		ext[i] = (char)tolower((unsigned char)dot[i]);
	ext[i] = '\0';
	/* strip trailing blanks as Heat's .strip() does */
	while (i > 0 && isspace((unsigned char)ext[i - 1]))
		ext[--i] = '\0';
}

/* Call ht.<name>(lead..., *args, **kwargs). */
static hi_val forward(const char *name, int nlead, const hi_val *lead, hi_val args, hi_val kwargs)
{
	hi_val fn;
	if (hi_dict_get_str(hi_module_dict(hi_S.ht), name, &fn) <= 0)
		return hi_raise(hi_RuntimeError, "ht.%s is missing", name);
	hi_tuple *t = hi_as_tuple(args);
	hi_dict *d = hi_as_dict(kwargs);
	int argc = nlead + (int)t->len;
	hi_val argv[32];
	const char *kwn[32];
	hi_val kwv[32];
	if (argc > 32 || d->len > 32) {
		hi_decref(fn);
		return hi_raise(hi_TypeError, "%s() got too many arguments", name);
	}
	for (int i = 0; i < nlead; i++)
		argv[i] = lead[i];
	for (size_t i = 0; i < t->len; i++)
		argv[nlead + (int)i] = t->items[i];
	int nkw = 0;
	for (size_t i = 0; i < d->used; i++) {
		hi_dict_entry *e = &d->entries[i];
		if (e->key.kind == HI_STR) {
			kwn[nkw] = hi_as_str(e->key)->s;
			kwv[nkw++] = e->value;
		}
	}
	hi_val r = hi_call(fn, argc, argv, nkw, kwn, kwv);
	hi_decref(fn);
	return r;
}

static int is_hdf5(const char *ext) { return !strcmp(ext, ".h5") || !strcmp(ext, ".hdf5"); }

/* ---- load / save ---- */

static hi_val f_load(hi_val *a, void *ctx)
{
	(void)ctx;
	const char *path;
	if (a[0].kind != HI_STR)
		return hi_raise(hi_TypeError, "Expected path to be str, but was '%s'", hi_type_name(a[0]));
	path = hi_as_str(a[0])->s;
	char ext[32];
	extension(path, ext, sizeof ext);
	if (!strcmp(ext, ".csv"))
		return forward("load_csv", 1, a, a[1], a[2]);
	if (is_hdf5(ext))
		return forward("load_hdf5", 1, a, a[1], a[2]);
	return hi_raise(hi_ValueError, "Unsupported file extension %s", ext);
}

static hi_val f_save(hi_val *a, void *ctx)
{
	(void)ctx;
	if (a[1].kind != HI_STR)
		return hi_raise(hi_TypeError, "Expected path to be str, but was '%s'", hi_type_name(a[1]));
	char ext[32];
	extension(hi_as_str(a[1])->s, ext, sizeof ext);
	if (!strcmp(ext, ".csv"))
		return forward("save_csv", 2, a, a[2], a[3]);
	if (is_hdf5(ext))
		return forward("save_hdf5", 2, a, a[2], a[3]);
	return hi_raise(hi_ValueError, "Unsupported file extension %s", ext);
}

/* ---- HDF5 ---- */

static hi_val f_load_hdf5(hi_val *a, void *ctx)
{
	(void)ctx;
	const char *path = "", *dataset = "";
	int dtype, split, *sp = NULL;
	ha_device dev;
	ha_comm *comm;
	if (get_str(a[0], "path", &path) || get_str(a[1], "dataset", &dataset) || get_load_dtype(a[2], &dtype)
	    || hi_get_device(a[4], &dev) || hi_get_comm(a[5], &comm))
		return hi_err();
	if (a[3].kind != HI_NONE) {
		if (a[3].kind != HI_INT)
			return hi_raise(hi_TypeError, "split must be None or an int, not '%s'", hi_type_name(a[3]));
		split = (int)a[3].i;
		sp = &split;
	}
	ha_array *r = ha_load_hdf5(path, dataset, dtype, sp, dev, comm);
	return r ? hi_array_new(r) : io_raise();
}

static hi_val f_save_hdf5(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = NULL;
	const char *path = "", *dataset = "", *mode = "";
	if (get_data(a[0], &x) || get_str(a[1], "path", &path) || get_str(a[2], "dataset", &dataset)
	    || get_str(a[3], "mode", &mode))
		return hi_err();
	return ha_save_hdf5(x, path, dataset, mode) ? io_raise() : hi_none();
}

static hi_val f_supports_hdf5(hi_val *a, void *ctx)
{
	(void)a;
	(void)ctx;
	return hi_bool(ha_hdf5_supported());
}

/* ---- CSV ---- */

static int check_encoding(hi_val v)
{
	const char *e = "";
	if (get_str(v, "encoding", &e))
		return -1;
	char low[16];
	size_t i = 0;
	for (; e[i] && i + 1 < sizeof low; i++)
		low[i] = (char)tolower((unsigned char)(e[i] == '_' ? '-' : e[i]));
	low[i] = '\0';
	if (!strcmp(low, "utf-8") || !strcmp(low, "utf8") || !strcmp(low, "ascii"))
		return 0;
	return hi_raisei(hi_ValueError, "encoding '%s' is not supported (files are read and written as UTF-8)", e);
}

static hi_val f_load_csv(hi_val *a, void *ctx)
{
	(void)ctx;
	const char *path = "", *sep = "";
	int64_t header;
	ha_dtype t;
	ha_device dev;
	ha_comm *comm;
	if (get_str(a[0], "path", &path))
		return hi_err();
	if (a[1].kind != HI_INT && a[1].kind != HI_BOOL)
		return hi_raise(hi_TypeError, "header_lines must be int, not '%s'", hi_type_name(a[1]));
	header = a[1].i;
	if (get_str(a[2], "separator", &sep) || hi_opt_dtype(a[3], HA_FLOAT32, &t) || check_encoding(a[4])
	    || hi_get_device(a[6], &dev) || hi_get_comm(a[7], &comm))
		return hi_err();
	int split = HA_SPLIT_NONE;
	if (a[5].kind != HI_NONE) {
		if (a[5].kind != HI_INT)
			return hi_raise(hi_TypeError, "split must be None or an int, not '%s'", hi_type_name(a[5]));
		if (a[5].i != 0 && a[5].i != 1)
			return hi_raise(hi_ValueError, "split must be in [None, 0, 1], but is %lld", (long long)a[5].i);
		split = (int)a[5].i;
	}
	ha_array *r = ha_load_csv(path, header, sep, t, split, dev, comm);
	return r ? hi_array_new(r) : io_raise();
}

static hi_val f_save_csv(hi_val *a, void *ctx)
{
	(void)ctx;
	ha_array *x = NULL;
	const char *path = "", *sep = "";
	int64_t decimals;
	if (get_data(a[0], &x) || get_str(a[1], "path", &path) || get_str(a[3], "separator", &sep)
	    || hi_as_int64(a[4], &decimals, "decimals") || check_encoding(a[5]))
		return hi_err();
	/* header_lines: None, one str, or a list/tuple of str */
	const char *one[2] = { NULL, NULL }, **lines = NULL;
	hi_val h = a[2];
	if (h.kind == HI_STR) {
		one[0] = hi_as_str(h)->s;
		lines = one;
	} else if (h.kind == HI_LIST || h.kind == HI_TUPLE) {
		size_t n = h.kind == HI_LIST ? hi_as_list(h)->len : hi_as_tuple(h)->len;
		hi_val *it = h.kind == HI_LIST ? hi_as_list(h)->items : hi_as_tuple(h)->items;
		lines = malloc((n + 1) * sizeof *lines);
		if (!lines)
			return hi_raise(hi_MemoryError, "out of memory");
		for (size_t i = 0; i < n; i++) {
			if (it[i].kind != HI_STR) {
				free(lines);
				return hi_raise(hi_TypeError, "header_lines must be strings, not '%s'", hi_type_name(it[i]));
			}
			lines[i] = hi_as_str(it[i])->s;
		}
		lines[n] = NULL;
	} else if (h.kind != HI_NONE) {
		return hi_raise(hi_TypeError, "header_lines must be None, a str or a list of str, not '%s'",
		                hi_type_name(h));
	}
	if (decimals < -1 || decimals > 100) {
		if (lines != one)
			free(lines);
		return hi_raise(hi_ValueError, "decimals must be -1 (the default width) or 0..100, not %lld",
		                (long long)decimals);
	}
	int rc = ha_save_csv(x, path, lines, sep, (int)decimals);
	if (lines != one)
		free(lines);
	return rc ? io_raise() : hi_none();
}

#define IO_NOTE \
	"\n\nCollective: every rank must call it with the same arguments. Errors\n" \
	"(missing file or dataset, bad values) are raised on every rank alike."

#define SAVE_NOTE \
	"\n\nThe file is written under a temporary name in the same directory and\n" \
	"renamed over `path` only when every rank has succeeded, so a failed\n" \
	"save never leaves a truncated file in place of a good one."

static const hi_builtin_def io_load_defs[] = {
	{ "load(path, *args, **kwargs)", f_load,
	  "Load a file, choosing the reader by the extension of path: .csv ->\n"
	  "load_csv(path, *args, **kwargs); .h5 and .hdf5 -> load_hdf5(path, *args,\n"
	  "**kwargs). ValueError 'Unsupported file extension .x' otherwise.\n\n"
	  "Example: ht.load('data.h5', dataset='DATA', split=0)" IO_NOTE },
	{ "load_hdf5(path, dataset, dtype='float32', split=None, device=None, comm=None)", f_load_hdf5,
	  "Load dataset `dataset` (e.g. 'DATA' or 'group/DATA') of an HDF5 file.\n\n"
	  "Parameters\n----------\n"
	  "path : str\n    The HDF5 file.\n"
	  "dataset : str\n    The dataset to read.\n"
	  "dtype : dtype or None\n    The result's type, float32 by default as in Heat; None keeps the\n"
	  "    file's type (bool, uint8, int8, int16, int32, int64, float32, float64,\n"
	  "    complex64, complex128).\n"
	  "split : int or None\n    None: every rank reads the whole dataset. k: each rank reads only its\n"
	  "    balanced chunk of axis k (the first n % P ranks hold one row more).\n"
	  "device, comm : optional\n    Device ('cpu') and communicator (default: the world).\n\n"
	  "Every rank opens the file with the MPI-IO driver and reads its own\n"
	  "hyperslab in one collective transfer: no array data moves between ranks.\n"
	  "Errors: FileNotFoundError for a missing file, KeyError for a missing\n"
	  "dataset, OSError for a file that is not HDF5, TypeError for a data type\n"
	  "ha does not have (Heat's `slices` parameter is not offered).\n\n"
	  "Example: x = ht.load_hdf5('data.h5', 'DATA', split=0)" IO_NOTE },
	{ "load_csv(path, header_lines=0, sep=',', dtype='float32', encoding='utf-8', split=None, device=None, comm=None)",
	  f_load_csv,
	  "Load a CSV file of numbers as a 2-D (rows, columns) array.\n\n"
	  "Parameters\n----------\n"
	  "path : str\n    The file.\n"
	  "header_lines : int\n    Lines at the start of the file that are not data.\n"
	  "sep : str\n    What separates the values of a row (any string).\n"
	  "dtype : dtype\n    The result's type (float32 by default; values are parsed as float).\n"
	  "encoding : str\n    'utf-8' (the only encoding; 'ascii' is a subset).\n"
	  "split : None, 0 or 1\n    None: every rank parses the whole file. 0: each rank reads and\n"
	  "    parses only the lines that start in its share of the file's bytes\n"
	  "    (one Allgatherv of the line counts), then the rows are balanced\n"
	  "    (one Alltoallv when they were not). 1: every rank parses the file and\n"
	  "    keeps its columns.\n"
	  "device, comm : optional\n    Device ('cpu') and communicator (default: the world).\n\n"
	  "Blank lines are skipped; '\\r\\n' line ends are accepted. A row with a\n"
	  "different number of values than the first, or a value that is not a\n"
	  "number, is a ValueError naming the line (counted from 1, header\n"
	  "included). FileNotFoundError when the file is missing.\n\n"
	  "Example: x = ht.load_csv('iris.csv', sep=';', split=0)" IO_NOTE },
	{ "supports_hdf5()", f_supports_hdf5,
	  "True: ha is built with parallel HDF5 (load_hdf5, save_hdf5)." },
	{ 0 }
};

static const hi_builtin_def io_save_defs[] = {
	{ "save(data, path, *args, **kwargs)", f_save,
	  "Save an array, choosing the writer by the extension of path: .csv ->\n"
	  "save_csv(data, path, *args, **kwargs); .h5 and .hdf5 ->\n"
	  "save_hdf5(data, path, *args, **kwargs). ValueError 'Unsupported file\n"
	  "extension .x' otherwise. Also a method: x.save(path, ...).\n\n"
	  "Example: ht.save(x, 'data.h5', 'DATA', mode='a')" IO_NOTE },
	{ "save_hdf5(data, path, dataset, mode='w')", f_save_hdf5,
	  "Write an array to dataset `dataset` of an HDF5 file, in the array's\n"
	  "own dtype (bool and complex as h5py stores them). Also a method:\n"
	  "x.save_hdf5(path, dataset).\n\n"
	  "mode : 'w' creates or replaces the file; 'a' adds the dataset to an\n"
	  "existing file (creating the file when missing); 'r+' adds to a file\n"
	  "that must exist. Groups in 'group/DATA' are created. ValueError when\n"
	  "the dataset already exists or the mode is none of these.\n\n"
	  "Each rank writes its own hyperslab in one collective parallel MPI-IO\n"
	  "transfer; a replicated array is written in balanced pieces of its first\n"
	  "axis, one per rank. No array data moves between ranks." SAVE_NOTE IO_NOTE },
	{ "save_csv(data, path, header_lines=None, sep=',', decimals=-1, encoding='utf-8')", f_save_csv,
	  "Write a 1-D or 2-D array as CSV, one row per line, in Heat's format:\n"
	  "every value is as wide as the widest one; integers and bools as\n"
	  "integers; floats with `decimals` digits after the point (-1: 7 for\n"
	  "float32, 15 for float64). header_lines (a str or a list of str) are\n"
	  "written first, each ending in a newline. Also a method.\n\n"
	  "Each rank formats its own rows and writes them with MPI-IO at the\n"
	  "offset of the bytes before them (one Exscan; the global minimum and\n"
	  "maximum for the width are one Allreduce); a split-1 array is first\n"
	  "resplit to rows (one Alltoallv). TypeError for complex data." SAVE_NOTE IO_NOTE },
	{ 0 }
};

void hi_init_ht_io(void)
{
	hi_ht_register(io_load_defs, 0);
	hi_ht_register(io_save_defs, 1);
}
