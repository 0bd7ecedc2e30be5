/*
** csv.c — CSV load and save (Heat's load_csv / save_csv).
**
** Loading with split=0 follows Heat: the bytes after the header are cut
** into balanced byte ranges, each rank parses the lines that START in its
** range (reading past the end of the range to finish its last line), the
** per-rank line and row counts are exchanged once, and the result is
** balanced.  Lines are counted globally so an error names the file line
** (1-based, header included) on every rank.  Without split every rank
** parses the whole file itself; split=1 keeps each rank's columns of that.
**
** Saving uses Heat's fixed-width format (every value as wide as the widest
** one, from the global minimum and maximum), and every rank writes its own
** rows with MPI-IO at the offset of the bytes before them (one Exscan).
*/
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io_internal.h"

/* ---- reading ---- */

/* Read n bytes at offset off into buf (short only at end of file).
** Returns the count read, or -1 with errno set. */
static int64_t pread_all(int fd, char *buf, int64_t n, int64_t off)
{
	int64_t done = 0;
	while (done < n) {
		ssize_t r = pread(fd, buf + done, (size_t)(n - done), (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		done += r;
	}
	return done;
}

/* The byte offset after the first `lines` lines (rank 0 reads, all get it). */
static int skip_header(const char *path, int64_t lines, int64_t fsize, int64_t *start, ha_comm *c)
{
	int64_t pos = 0;
	int failed = 0;
	if (c->rank == 0 && lines > 0) {
		int fd = open(path, O_RDONLY);
		char buf[1 << 16];
		int64_t seen = 0;
		if (fd < 0)
			failed = ha__io_fail(HA_IO_OTHER, HA_EIO, "[Errno %d] %s: '%s'", errno, strerror(errno), path) != 0;
		while (!failed && seen < lines && pos < fsize) {
			int64_t n = pread_all(fd, buf, (int64_t)sizeof buf, pos);
			if (n < 0) {
				failed = ha__io_fail(HA_IO_OTHER, HA_EIO, "[Errno %d] %s: '%s'", errno, strerror(errno), path) != 0;
				break;
			}
			if (n == 0)
				break;
			int64_t i = 0;
			for (; i < n && seen < lines; i++)
				if (buf[i] == '\n')
					seen++;
			pos += i;
		}
		if (fd >= 0)
			close(fd);
		if (seen < lines)
			pos = fsize;   /* fewer lines than the header: no data */
	}
	if (ha__io_agree(failed, c))
		return -1;
	if (lines > 0 && ha_bcast(&pos, (int64_t)sizeof pos, 0, c, "load_csv"))
		return -1;
	*start = pos;
	return 0;
}

/* Global bytes [lo, hi) of the file plus, when the last byte is not a line
** end, the rest of that line.  *text is malloc'd (NUL-terminated). */
static int read_range(const char *path, int64_t lo, int64_t hi, int64_t fsize, char **text, int64_t *len)
{
	*text = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return ha__io_fail(HA_IO_OTHER, HA_EIO, "[Errno %d] %s: '%s'", errno, strerror(errno), path);
	int64_t cap = hi - lo + 1, n = 0;
	char *b = malloc((size_t)cap);
	int rc = 0;
	if (!b)
		rc = ha__io_fail(HA_IO_OTHER, HA_EMEMORY, "out of memory reading '%s'", path);
	if (!rc && (n = pread_all(fd, b, hi - lo, lo)) < 0)
		rc = ha__io_fail(HA_IO_OTHER, HA_EIO, "[Errno %d] %s: '%s'", errno, strerror(errno), path);
	/* finish the last line */
	while (!rc && n > 0 && b[n - 1] != '\n' && lo + n < fsize) {
		int64_t more = 1 << 16;
		char *nb = realloc(b, (size_t)(cap + more));
		if (!nb) {
			rc = ha__io_fail(HA_IO_OTHER, HA_EMEMORY, "out of memory reading '%s'", path);
			break;
		}
		b = nb;
		cap += more;
		int64_t got = pread_all(fd, b + n, more, lo + n);
		if (got < 0) {
			rc = ha__io_fail(HA_IO_OTHER, HA_EIO, "[Errno %d] %s: '%s'", errno, strerror(errno), path);
			break;
		}
		if (got == 0)
			break;
		char *nl = memchr(b + n, '\n', (size_t)got);
		n = nl ? (int64_t)(nl - b) + 1 : n + got;
	}
	close(fd);
	if (rc) {
		free(b);
		return -1;
	}
	b[n] = '\0';
	*text = b;
	*len = n;
	return 0;
}

/* What each rank found in its lines; exchanged so that every rank decides
** shape and errors from the same data. */
typedef struct csv_info {
	int64_t nlines;      /* lines owned (blank ones included) */
	int64_t nrows;       /* data rows */
	int64_t ncols;       /* values in the first row (-1: no rows) */
	int64_t first_line;  /* local index of the first row */
	int64_t err_line;    /* local index of the first bad line, -1 none */
	int64_t err_found;   /* ragged: values found on it */
	int32_t err_parse;   /* 1: a value is not a number (token in err_tok) */
	char err_tok[60];
} csv_info;

typedef struct dbuf {
	double *v;
	int64_t n, cap;
} dbuf;

static int dbuf_push(dbuf *d, double x)
{
	if (d->n == d->cap) {
		int64_t nc = d->cap ? 2 * d->cap : 1024;
		double *nv = realloc(d->v, (size_t)nc * sizeof *nv);
		if (!nv)
			return -1;
		d->v = nv;
		d->cap = nc;
	}
	d->v[d->n++] = x;
	return 0;
}

static int is_blank(const char *s, const char *e)
{
	for (; s < e; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return 0;
	return 1;
}

/* Parse lines of text[0, len) into values; fill info.  -1 only for memory. */
static int parse_lines(const char *text, int64_t len, const char *sep, dbuf *vals, csv_info *info)
{
	size_t seplen = strlen(sep);
	memset(info, 0, sizeof *info);
	info->ncols = -1;
	info->first_line = -1;
	info->err_line = -1;
	const char *p = text, *end = text + len;
	char tok[64];
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		int64_t line = info->nlines++;
		if (is_blank(p, le) || info->err_line >= 0) {
			p = nl ? nl + 1 : end;
			continue;
		}
		if (le > p && le[-1] == '\r')
			le--;
		int64_t count = 0;
		const char *f = p;
		for (;;) {
			const char *fe = seplen ? NULL : le;
			for (const char *q = f; !fe && q + seplen <= le; q++)
				if (!memcmp(q, sep, seplen))
					fe = q;
			if (!fe)
				fe = le;
			/* strtod on a bounded copy; the whole token must be a number */
			size_t tl = (size_t)(fe - f);
			char small[128], *t = tl < sizeof small ? small : malloc(tl + 1);
			if (!t)
				return -1;
			memcpy(t, f, tl);
			t[tl] = '\0';
			char *stop;
			errno = 0;
			double x = strtod(t, &stop);
			while (*stop == ' ' || *stop == '\t')
				stop++;
			int ok = stop != t && *stop == '\0';
			if (!ok && info->err_line < 0) {
				info->err_line = line;
				info->err_parse = 1;
				snprintf(tok, sizeof tok, "%.*s", (int)(tl < 50 ? tl : 50), t);
				memcpy(info->err_tok, tok, sizeof info->err_tok - 1);
			}
			if (t != small)
				free(t);
			if (!ok)
				break;
			if (dbuf_push(vals, x))
				return -1;
			count++;
			if (fe == le)
				break;
			f = fe + seplen;
		}
		if (info->err_line < 0) {
			if (info->ncols < 0) {
				info->ncols = count;
				info->first_line = line;
			} else if (count != info->ncols) {
				info->err_line = line;
				info->err_found = count;
			}
			if (info->err_line < 0)
				info->nrows++;
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

ha_array *ha_load_csv(const char *path, int64_t header_lines, const char *sep, ha_dtype dtype,
                      int split, ha_device dev, ha_comm *comm)
{
	ha__io_reset();
	if (!comm)
		comm = ha_comm_world();
	if (split != HA_SPLIT_NONE && split != 0 && split != 1)
		return ha__io_fail(HA_IO_OTHER, HA_EVALUE, "split must be in [None, 0, 1], but is %d", split), NULL;
	if (header_lines < 0)
		return ha__io_fail(HA_IO_OTHER, HA_EVALUE, "header_lines must be non-negative, not %lld",
		                   (long long)header_lines), NULL;
	if (!*sep)
		return ha__io_fail(HA_IO_OTHER, HA_EVALUE, "sep must not be empty"), NULL;
	if (ha_dtype_is_complex(dtype))
		return ha__io_fail(HA_IO_OTHER, HA_ETYPE, "load_csv reads real numbers, not %s",
		                   ha_dtype_name(dtype)), NULL;
	int64_t fsize, dstart;
	if (ha__io_check_readable(path, &fsize, comm) || skip_header(path, header_lines, fsize, &dstart, comm))
		return NULL;

	/* this rank's lines: those starting in [b0, b1) */
	int P = split == 0 ? comm->size : 1, me = split == 0 ? comm->rank : 0;
	int64_t off, cnt;
	ha_chunk(fsize - dstart, P, me, &off, &cnt);
	int64_t b0 = dstart + off, b1 = b0 + cnt, lo = b0 > dstart ? b0 - 1 : b0;
	char *text = NULL;
	int64_t tlen = 0, tstart = 0;
	int failed = 0;
	if (cnt > 0 && read_range(path, lo, b1, fsize, &text, &tlen))
		failed = 1;
	if (!failed && text && lo < b0) {
		/* skip to the first line start at or after b0 (before b1) */
		char *nl = memchr(text, '\n', (size_t)(b1 - 1 - lo));
		tstart = nl ? (int64_t)(nl - text) + 1 : tlen;
	}
	dbuf vals = { 0 };
	csv_info mine;
	if (!failed && parse_lines(text ? text + tstart : "", text ? tlen - tstart : 0, sep, &vals, &mine))
		failed = ha__io_fail(HA_IO_OTHER, HA_EMEMORY, "out of memory parsing '%s'", path) != 0;
	free(text);
	ha_array *a = NULL;
	csv_info *all = NULL;
	if (ha__io_agree(failed, comm))
		goto done;

	/* every rank's counts (split 0), then the same decisions everywhere */
	int Pc = comm->size;
	all = malloc((size_t)Pc * sizeof *all);
	int64_t *counts = malloc(2 * (size_t)Pc * sizeof *counts);
	failed = !all || !counts;
	if (failed)
		ha__io_fail(HA_IO_OTHER, HA_EMEMORY, "out of memory in load_csv");
	if (ha__io_agree(failed, comm)) {
		free(counts);
		goto done;
	}
	if (split == 0) {
		for (int r = 0; r < Pc; r++) {
			counts[r] = (int64_t)sizeof(csv_info);
			counts[Pc + r] = r * (int64_t)sizeof(csv_info);
		}
		int rc = ha_allgather_bytes(&mine, (int64_t)sizeof mine, all, counts, counts + Pc, comm, "load_csv");
		free(counts);
		if (rc)
			goto done;
	} else {
		free(counts);
		Pc = 1;
		all[0] = mine;
	}
	int64_t ncols = -1, before = 0, nrows = 0;
	for (int r = 0; r < Pc; r++) {
		csv_info *in = &all[r];
		int64_t bad = -1, found = 0;
		if (in->ncols >= 0 && ncols >= 0 && in->ncols != ncols) {
			bad = in->first_line;
			found = in->ncols;
		} else if (in->err_line >= 0) {
			bad = in->err_line;
			found = in->err_found;
		}
		if (in->ncols >= 0 && ncols < 0)
			ncols = in->ncols;
		if (bad >= 0) {
			long long lineno = (long long)(header_lines + before + bad + 1);
			if (in->err_parse && bad == in->err_line)
				ha__io_fail(HA_IO_OTHER, HA_EVALUE, "could not convert string to float: '%s' (line %lld of '%s')",
				            in->err_tok, lineno, path);
			else
				ha__io_fail(HA_IO_OTHER, HA_EVALUE, "line %lld of '%s' has %lld values, expected %lld",
				            lineno, path, (long long)found, (long long)ncols);
			goto done;
		}
		before += in->nlines;
		nrows += in->nrows;
	}
	if (ncols < 0)
		ncols = 0;

	int64_t gshape[2] = { nrows, ncols };
	if (split == 0) {
		int64_t *lmap = malloc((size_t)comm->size * sizeof *lmap);
		if (!lmap) {
			ha__io_fail(HA_IO_OTHER, HA_EMEMORY, "out of memory in load_csv");
			goto done;
		}
		for (int r = 0; r < comm->size; r++)
			lmap[r] = all[r].nrows;
		a = ha_array_alloc_lmap(dtype, 2, gshape, 0, lmap, dev, comm);
		free(lmap);
		if (!a)
			goto done;
		ha_convert(dtype, a->data, HA_FLOAT64, vals.v, mine.nrows * ncols);
		if (ha_balance_(a)) {
			ha_release(a);
			a = NULL;
		}
	} else {
		a = ha_array_alloc(dtype, 2, gshape, HA_SPLIT_NONE, dev, comm);
		if (!a)
			goto done;
		ha_convert(dtype, a->data, HA_FLOAT64, vals.v, nrows * ncols);
		if (split == 1 && ha_resplit_(a, 1)) {
			ha_release(a);
			a = NULL;
		}
	}
done:
	free(all);
	free(vals.v);
	return a;
}

/* ---- writing ---- */

typedef struct cbuf {
	char *p;
	int64_t n, cap;
	int oom;
} cbuf;

static void cbuf_add(cbuf *b, const char *s, int64_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		int64_t nc = b->cap ? 2 * b->cap : 4096;
		while (nc < b->n + n + 1)
			nc *= 2;
		char *np = realloc(b->p, (size_t)nc);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, (size_t)n);
	b->n += n;
}

static double as_double(ha_dtype t, const void *p)
{
	ha_scalar s = ha_scalar_load(t, p);
	return s.kind == HA_SCALAR_FLOAT ? s.re : (double)s.i;
}

int ha_save_csv(const ha_array *a, const char *path, const char *const *header_lines,
                const char *sep, int decimals)
{
	ha__io_reset();
	if (a->ndim > 2)
		return ha__io_fail(HA_IO_OTHER, HA_EVALUE, "save_csv writes 1-D and 2-D arrays, not %d-D", a->ndim);
	if (ha_dtype_is_complex(a->dtype))
		return ha__io_fail(HA_IO_OTHER, HA_ETYPE, "save_csv writes real numbers, not %s", ha_dtype_name(a->dtype));
	if (decimals < -1)
		return ha__io_fail(HA_IO_OTHER, HA_EVALUE, "decimals must be -1 or non-negative, not %d", decimals);
	ha_comm *c = a->comm;
	ha_array *d = a->split == 1 ? ha_resplit(a, 0) : ha_retain((ha_array *)a);
	if (!d)
		return -1;

	/* Heat's widths from the global minimum and maximum */
	int64_t ln = ha_lnumel(d);
	double mm[2] = { INFINITY, -INFINITY }, g[2];
	size_t es = ha_dtype_size(d->dtype);
	for (int64_t i = 0; i < ln; i++) {
		double x = as_double(d->dtype, (char *)d->data + i * es);
		if (x < mm[0])
			mm[0] = x;
		if (x > mm[1])
			mm[1] = x;
	}
	mm[0] = -mm[0];
	if (d->split >= 0) {
		if (ha_allreduce(mm, g, 2, MPI_DOUBLE, MPI_MAX, c, "save_csv")) {
			ha_release(d);
			return -1;
		}
	} else {
		g[0] = mm[0];
		g[1] = mm[1];
	}
	double dmin = -g[0], dmax = g[1];
	if (ha_gnumel(d) == 0)
		dmin = dmax = 0;
	int sign = dmin < 0, pre = 1;
	double big = fmax(fabs(dmin), fabs(dmax));
	if (big > 0 && isfinite(big))
		pre = (int)log10(big) + 1;
	int is_float = ha_dtype_is_float(d->dtype);
	char fmt[32];
	if (!is_float) {
		snprintf(fmt, sizeof fmt, sign ? "%%-%dlld" : "%%%dlld", sign ? pre + 1 : pre);
	} else {
		if (decimals == -1)
			decimals = d->dtype == HA_FLOAT32 ? 7 : 15;
		snprintf(fmt, sizeof fmt, sign ? "%%-%d.%df" : "%%%d.%df",
		         sign ? pre + decimals + 2 : pre + decimals + 1, decimals);
	}

	/* this rank's text: its rows (split 0) or, replicated, rank 0 writes all */
	cbuf out = { 0 };
	int64_t hlen = 0;
	for (const char *const *h = header_lines; h && *h; h++) {
		size_t n = strlen(*h);
		hlen += (int64_t)n + (n == 0 || (*h)[n - 1] != '\n');
	}
	if (c->rank == 0)
		for (const char *const *h = header_lines; h && *h; h++) {
			size_t n = strlen(*h);
			cbuf_add(&out, *h, (int64_t)n);
			if (n == 0 || (*h)[n - 1] != '\n')
				cbuf_add(&out, "\n", 1);
		}
	int mine = d->split >= 0 || c->rank == 0;
	int64_t rows = d->ndim == 0 ? 1 : d->lshape[0], cols = d->ndim == 2 ? d->lshape[1] : 1;
	size_t seplen = strlen(sep);
	char cell[512];
	for (int64_t i = 0; mine && i < rows && !(d->ndim == 2 && cols == 0); i++) {
		for (int64_t j = 0; j < cols; j++) {
			const char *p = (char *)d->data + (i * cols + j) * es;
			int n;
			if (is_float)
				n = snprintf(cell, sizeof cell, fmt, as_double(d->dtype, p));
			else
				n = snprintf(cell, sizeof cell, fmt, (long long)ha_scalar_load(d->dtype, p).i);
			if (j)
				cbuf_add(&out, sep, (int64_t)seplen);
			cbuf_add(&out, cell, n < (int)sizeof cell ? n : (int)sizeof cell - 1);
		}
		cbuf_add(&out, "\n", 1);
	}
	int failed = out.oom ? ha__io_fail(HA_IO_OTHER, HA_EMEMORY, "out of memory in save_csv") != 0 : 0;
	char *tmp = NULL;
	if (ha__io_agree(failed, c) || !(tmp = ha__io_tmpname(path, c))) {
		free(out.p);
		ha_release(d);
		return -1;
	}

	/* offsets: header, then the rows of the ranks before me */
	int64_t body = c->rank == 0 ? out.n - hlen : out.n, before = 0;
	int rc = ha_exscan(&body, &before, 1, MPI_INT64_T, MPI_SUM, c, "save_csv");
	if (rc) {
		free(out.p);
		free(tmp);
		ha_release(d);
		return -1;
	}
	int64_t offset = c->rank == 0 ? 0 : hlen + before;
	MPI_File fh;
	failed = 0;
	int err = MPI_File_open(c->mpi, tmp, MPI_MODE_WRONLY | MPI_MODE_CREATE, MPI_INFO_NULL, &fh);
	if (err != MPI_SUCCESS) {
		failed = ha__io_fail(HA_IO_OTHER, HA_EIO, "Unable to create '%s' for writing", path) != 0;
	} else {
		if (MPI_File_set_size(fh, 0) != MPI_SUCCESS)
			failed = 1;
		for (int64_t done = 0; !failed && done < out.n;) {
			int64_t n = out.n - done > (1 << 30) ? (1 << 30) : out.n - done;
			MPI_Status st;
			if (MPI_File_write_at(fh, (MPI_Offset)(offset + done), out.p + done, (int)n, MPI_BYTE, &st)
			    != MPI_SUCCESS)
				failed = 1;
			done += n;
		}
		if (MPI_File_close(&fh) != MPI_SUCCESS)
			failed = 1;
		if (failed)
			ha__io_fail(HA_IO_OTHER, HA_EIO, "Unable to write '%s'", path);
	}
	rc = ha__io_commit(failed, tmp, path, c);
	free(out.p);
	free(tmp);
	ha_release(d);
	return rc;
}
