/*
** print.c — Heat's print format, which is torch's tensor formatter with
** Heat's options (precision 4, threshold 1000, edgeitems 3, linewidth 120).
**
** Two steps.  (1) The "shown" array: when the array has more than
** `threshold` elements, every axis longer than 2*edgeitems keeps only its
** first and last edgeitems entries (torch's get_summarized_data).  For a
** split array each rank packs the shown entries of its own rows and ONE
** Gatherv brings them to rank 0, so summarising a huge array moves a few
** hundred bytes, never the array.  (2) Rank 0 formats the shown array:
** one formatter (common width, int/fixed/scientific mode) from all shown
** values, nested brackets, `...` where entries were left out, 1-D rows
** wrapped at the line width.  The rules are torch 1.13's _tensor_str.py.
*/
#include <complex.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ha.h"
#include "internal.h"

static ha_printopts opts = { 4, 1000, 3, 120, -1 };

void ha_get_printoptions(ha_printopts *o)
{
	*o = opts;
}

int ha_set_printoptions(const ha_printopts *o)
{
	if (o->precision < 0 || o->threshold < 0 || o->edgeitems < 0 || o->linewidth < 1 ||
	    o->sci_mode < -1 || o->sci_mode > 1)
		return ha_error_set(HA_EVALUE, "print options must be non-negative");
	opts = *o;
	return 0;
}

/* ---- a growing string ---- */
typedef struct sbuf {
	char *p;
	size_t n, cap;
	int fail;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->fail)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->fail = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_spaces(sbuf *b, int n)
{
	for (int i = 0; i < n; i++)
		sb_add(b, " ", 1);
}

static char *sb_done(sbuf *b)
{
	if (b->fail || !b->p) {
		free(b->p);
		if (b->fail)
			return NULL;
		char *e = malloc(1);
		if (e)
			e[0] = '\0';
		return e;
	}
	return b->p;
}

/* ---- one formatter (torch's _Formatter) ---- */
typedef struct fmt {
	int floating, int_mode, sci, width, precision;
} fmt;

/* The text of one value without padding. */
static int value_text(const fmt *f, double v, char *out, size_t n)
{
	if (isnan(v))
		return snprintf(out, n, "nan");
	if (isinf(v))
		return snprintf(out, n, v < 0 ? "-inf" : "inf");
	if (f->sci)
		return snprintf(out, n, "%.*e", f->precision, v);
	if (f->int_mode)
		return snprintf(out, n, "%.0f.", v);
	return snprintf(out, n, "%.*f", f->precision, v);
}

static void fmt_float_init(fmt *f, const double *v, int64_t n, int precision, int sci_mode)
{
	double mn = INFINITY, mx = 0;
	int64_t cnt = 0;
	char tmp[400];
	f->floating = 1;
	f->int_mode = 1;
	f->sci = 0;
	f->width = 1;
	f->precision = precision;
	for (int64_t i = 0; i < n; i++) {
		if (!isfinite(v[i]) || v[i] == 0)
			continue;
		double a = fabs(v[i]);
		cnt++;
		if (a < mn)
			mn = a;
		if (a > mx)
			mx = a;
		if (v[i] != ceil(v[i]))
			f->int_mode = 0;
	}
	if (cnt > 0) {
		if (mx / mn > 1000. || mx > 1.e8 || (!f->int_mode && mn < 1.e-4))
			f->sci = 1;
		for (int64_t i = 0; i < n; i++) {
			if (!isfinite(v[i]) || v[i] == 0)
				continue;
			int len;
			if (f->sci)
				len = snprintf(tmp, sizeof tmp, "%.*e", precision, v[i]);
			else if (f->int_mode)
				len = snprintf(tmp, sizeof tmp, "%.0f", v[i]) + 1;
			else
				len = snprintf(tmp, sizeof tmp, "%.*f", precision, v[i]);
			if (len > f->width)
				f->width = len;
		}
	}
	if (sci_mode >= 0)
		f->sci = sci_mode;
}

/* ---- the shown values, in the forms the formatter reads ---- */
typedef struct shown {
	ha_dtype dtype;
	int ndim;
	int64_t shape[HA_MAXDIM];
	int summ[HA_MAXDIM];     /* axis shows first/last edgeitems around "..." */
	int64_t n;
	int64_t *iv;             /* integers and bools */
	double *re, *im;         /* floats (im for complex) */
	fmt f1, f2;
	int edge;
	int linewidth;
} shown;

static int shown_load(shown *s, const void *data)
{
	ha_typekind k = ha_dtype_kind(s->dtype);
	int64_t n = s->n;
	s->iv = NULL;
	s->re = s->im = NULL;
	if (k == HA_KIND_BOOL || k == HA_KIND_INT) {
		s->iv = ha__malloc(sizeof(int64_t) * (size_t)n);
		if (!s->iv)
			return -1;
		ha_convert(HA_INT64, s->iv, s->dtype, data, n);
		s->f1.floating = 0;
		s->f1.width = 1;
		for (int64_t i = 0; i < n; i++) {
			char t[32];
			int len = s->dtype == HA_BOOL ? (s->iv[i] ? 4 : 5) :
			          snprintf(t, sizeof t, "%lld", (long long)s->iv[i]);
			if (len > s->f1.width)
				s->f1.width = len;
		}
		return 0;
	}
	s->re = ha__malloc(sizeof(double) * (size_t)n);
	if (!s->re)
		return -1;
	if (k == HA_KIND_FLOAT) {
		ha_convert(HA_FLOAT64, s->re, s->dtype, data, n);
		fmt_float_init(&s->f1, s->re, n, opts.precision, opts.sci_mode);
		return 0;
	}
	s->im = ha__malloc(sizeof(double) * (size_t)n);
	double complex *z = ha__malloc(sizeof(double complex) * (size_t)n);
	if (!s->im || !z) {
		free(z);
		return -1;
	}
	ha_convert(HA_COMPLEX128, z, s->dtype, data, n);
	for (int64_t i = 0; i < n; i++) {
		s->re[i] = creal(z[i]);
		s->im[i] = cimag(z[i]);
	}
	free(z);
	fmt_float_init(&s->f1, s->re, n, opts.precision, opts.sci_mode);
	fmt_float_init(&s->f2, s->im, n, opts.precision, opts.sci_mode);
	return 0;
}

static void shown_free(shown *s)
{
	free(s->iv);
	free(s->re);
	free(s->im);
}

static void pad_add(sbuf *b, int width, const char *t, int len)
{
	sb_spaces(b, width - len);
	sb_add(b, t, (size_t)len);
}

static void element(const shown *s, int64_t i, sbuf *b)
{
	char t[400];
	int len;
	if (s->iv) {
		if (s->dtype == HA_BOOL)
			len = snprintf(t, sizeof t, "%s", s->iv[i] ? "True" : "False");
		else
			len = snprintf(t, sizeof t, "%lld", (long long)s->iv[i]);
		pad_add(b, s->f1.width, t, len);
		return;
	}
	len = value_text(&s->f1, s->re[i], t, sizeof t);
	pad_add(b, s->f1.width, t, len);
	if (!s->im)
		return;
	/* imaginary part: padded, "j" appended, then left-stripped */
	char im[400];
	int il = value_text(&s->f2, s->im[i], im, sizeof im);
	if (im[0] != '+' && im[0] != '-')
		sb_add(b, "+", 1);
	sb_add(b, im, (size_t)il);
	sb_add(b, "j", 1);
}

/* Separator before item k of a 1-D row: ", " within a line, ",\n" plus
** indentation when a new line starts. */
static void row_sep(int64_t k, int64_t per_line, int indent, sbuf *b)
{
	if (k == 0)
		return;
	if (k % per_line) {
		sb_str(b, ", ");
	} else {
		sb_str(b, ",\n");
		sb_spaces(b, indent + 1);
	}
}

/* Separator between sub-blocks: "," then (rem - 1) newlines, indented. */
static void block_sep(int rem, int indent, sbuf *b)
{
	sb_add(b, ",", 1);
	for (int l = 0; l < rem - 1; l++)
		sb_add(b, "\n", 1);
	sb_spaces(b, indent + 1);
}

static void tensor_str(const shown *s, int dim, int64_t base, int indent, sbuf *b)
{
	int rem = s->ndim - dim;
	int64_t stride = 1, n, k = 0;
	for (int d = dim + 1; d < s->ndim; d++)
		stride *= s->shape[d];
	if (rem == 0) {
		element(s, base, b);
		return;
	}
	n = s->shape[dim];
	sb_add(b, "[", 1);
	if (rem == 1) {
		int elen = s->f1.width + 2 + (s->im ? s->f2.width + 1 : 0);
		int64_t per_line = (s->linewidth - indent) / elen;
		if (per_line < 1)
			per_line = 1;
		for (int64_t i = 0; i <= n; i++) {
			if (s->summ[dim] && i == s->edge) {   /* " ..." takes a slot */
				row_sep(k++, per_line, indent, b);
				sb_str(b, " ...");
			}
			if (i < n) {
				row_sep(k++, per_line, indent, b);
				element(s, base + i, b);
			}
		}
	} else {
		for (int64_t i = 0; i <= n; i++) {
			if (s->summ[dim] && i == s->edge) {
				if (k++)
					block_sep(rem, indent, b);
				sb_str(b, "...");
			}
			if (i < n) {
				if (k++)
					block_sep(rem, indent, b);
				tensor_str(s, dim + 1, base + i * stride, indent + 1, b);
			}
		}
	}
	sb_add(b, "]", 1);
}

/* Format shown values `data` (C order, shape s->shape). */
static char *format_shown(shown *s, const void *data, int indent)
{
	sbuf b = { 0 };
	if (s->n == 0 && s->ndim > 0) {
		sb_str(&b, "[]");
		return sb_done(&b);
	}
	if (shown_load(s, data) != 0) {
		shown_free(s);
		ha_error_set(HA_EMEMORY, "out of memory while printing");
		return NULL;
	}
	tensor_str(s, 0, 0, indent, &b);
	shown_free(s);
	char *r = sb_done(&b);
	if (!r)
		ha_error_set(HA_EMEMORY, "out of memory while printing");
	return r;
}

/* Decide the shown shape of a global shape. */
static void shown_shape(shown *s, ha_dtype dtype, int ndim, const int64_t *gshape, int64_t gnum)
{
	int summarize = gnum > opts.threshold;
	s->dtype = dtype;
	s->ndim = ndim;
	s->edge = opts.edgeitems;
	s->linewidth = opts.linewidth;
	s->n = 1;
	for (int d = 0; d < ndim; d++) {
		s->summ[d] = summarize && gshape[d] > 2 * (int64_t)opts.edgeitems;
		s->shape[d] = s->summ[d] ? 2 * (int64_t)opts.edgeitems : gshape[d];
		s->n *= s->shape[d];
	}
}

/* Global index of shown position i along axis d. */
static int64_t kept(const shown *s, const int64_t *gshape, int d, int64_t i)
{
	return s->summ[d] && i >= s->edge ? gshape[d] - 2 * s->edge + i : i;
}

/* Copy the shown entries of a local block into dst (C order of `box`).
** Shown position i along axis d starts at first[d]; `loff[d]` is the
** global index of the block's first entry along d. */
static void extract(const shown *s, const int64_t *gshape, const int64_t *box,
                    const int64_t *first, const int64_t *loff, const void *src,
                    const int64_t *lshape, void *dst)
{
	size_t es = ha_dtype_size(s->dtype);
	int nd = s->ndim;
	int64_t idx[HA_MAXDIM] = { 0 }, total = 1, str[HA_MAXDIM];
	for (int d = 0; d < nd; d++)
		total *= box[d];
	if (nd > 0) {
		str[nd - 1] = 1;
		for (int d = nd - 2; d >= 0; d--)
			str[d] = str[d + 1] * lshape[d + 1];
	}
	for (int64_t e = 0; e < total; e++) {
		int64_t so = 0;
		for (int d = 0; d < nd; d++)
			so += (kept(s, gshape, d, first[d] + idx[d]) - loff[d]) * str[d];
		memcpy((char *)dst + (size_t)e * es, (const char *)src + (size_t)so * es, es);
		for (int d = nd - 1; d >= 0; d--) {
			if (++idx[d] < box[d])
				break;
			idx[d] = 0;
		}
	}
}

char *ha_local_format(ha_dtype dtype, int ndim, const int64_t *shape, const void *data, int indent)
{
	shown s;
	int64_t n = 1, zero[HA_MAXDIM] = { 0 };
	for (int d = 0; d < ndim; d++)
		n *= shape[d];
	shown_shape(&s, dtype, ndim, shape, n);
	void *buf = ha__malloc((size_t)s.n * ha_dtype_size(dtype));
	if (!buf) {
		ha_error_set(HA_EMEMORY, "out of memory while printing");
		return NULL;
	}
	if (s.n > 0)
		extract(&s, shape, s.shape, zero, zero, data, shape, buf);
	char *r = format_shown(&s, buf, indent);
	free(buf);
	return r;
}

/* Shown range [lo, hi) along the split axis held by rows [off, off+cnt). */
static void shown_rows(const shown *s, const int64_t *gshape, int k, int64_t off, int64_t cnt,
                       int64_t *lo, int64_t *hi)
{
	int64_t i = 0;
	while (i < s->shape[k] && kept(s, gshape, k, i) < off)
		i++;
	*lo = i;
	while (i < s->shape[k] && kept(s, gshape, k, i) < off + cnt)
		i++;
	*hi = i;
}

char *ha_array_format(const ha_array *a, int indent)
{
	shown s;
	int P = a->comm->size, me = a->comm->rank, k = a->split;
	size_t es = ha_dtype_size(a->dtype);
	int64_t zero[HA_MAXDIM] = { 0 };
	char *r = NULL;
	shown_shape(&s, a->dtype, a->ndim, a->gshape, ha_gnumel(a));
	if (k < 0 || P == 1) {
		if (me != 0)
			return calloc(1, 1);
		return ha_local_format(a->dtype, a->ndim, a->gshape, a->data, indent);
	}
	/* split: every rank packs the shown entries of its rows; one Gatherv */
	int64_t rest = 1, *cnt = ha__malloc(sizeof(int64_t) * 4 * (size_t)P), total = 0;
	if (!cnt) {
		ha_error_set(HA_EMEMORY, "out of memory while printing");
		return NULL;
	}
	int64_t *displs = cnt + P, *lo = cnt + 2 * P, *hi = cnt + 3 * P, off = 0;
	for (int d = 0; d < a->ndim; d++)
		if (d != k)
			rest *= s.shape[d];
	for (int q = 0; q < P; q++) {
		shown_rows(&s, a->gshape, k, off, a->lmap[q], &lo[q], &hi[q]);
		off += a->lmap[q];
		cnt[q] = (hi[q] - lo[q]) * rest * (int64_t)es;
		displs[q] = total;
		total += cnt[q];
	}
	int64_t box[HA_MAXDIM], first[HA_MAXDIM] = { 0 }, loff[HA_MAXDIM] = { 0 };
	memcpy(box, s.shape, sizeof(int64_t) * (size_t)a->ndim);
	box[k] = hi[me] - lo[me];
	first[k] = lo[me];
	loff[k] = a->loffset;
	void *mine = ha__malloc((size_t)cnt[me]);
	void *all = me == 0 ? ha__malloc((size_t)total) : NULL;
	void *full = me == 0 ? ha__malloc((size_t)s.n * es) : NULL;
	int fail = !mine || (me == 0 && (!all || !full));
	if (!fail)
		extract(&s, a->gshape, box, first, loff, a->data, a->lshape, mine);
	if (ha__agree(fail, ha_gnbytes(a), a->comm, "print") == 0 && !fail &&
	    ha_gather_bytes(mine, cnt[me], all, cnt, displs, 0, a->comm, "print") == 0) {
		if (me == 0) {
			for (int q = 0; q < P; q++) {
				int64_t qb[HA_MAXDIM], doff[HA_MAXDIM] = { 0 };
				memcpy(qb, s.shape, sizeof(int64_t) * (size_t)a->ndim);
				qb[k] = hi[q] - lo[q];
				doff[k] = lo[q];
				ha_copy_box(es, a->ndim, qb, (char *)all + displs[q], qb, zero, full,
				            s.shape, doff);
			}
			r = format_shown(&s, full, indent);
		} else {
			r = calloc(1, 1);
		}
	} else if (fail && ha_error_kind() == HA_OK) {
		ha_error_set(HA_EMEMORY, "out of memory while printing");
	}
	free(mine);
	free(all);
	free(full);
	free(cnt);
	return r;
}

char *ha_array_str(const ha_array *a)
{
	char *data = ha_array_format(a, 9), dev[32], split[24];
	sbuf b = { 0 };
	if (!data)
		return NULL;
	if (a->comm->rank != 0)
		return data;
	ha_device_str(a->device, dev, sizeof dev);
	if (a->split < 0)
		snprintf(split, sizeof split, "None");
	else
		snprintf(split, sizeof split, "%d", a->split);
	sb_str(&b, "DNDarray(");
	sb_str(&b, data);
	sb_str(&b, ", dtype=ht.");
	sb_str(&b, ha_dtype_name(a->dtype));
	sb_str(&b, ", device=");
	sb_str(&b, dev);
	sb_str(&b, ", split=");
	sb_str(&b, split);
	sb_str(&b, ")");
	free(data);
	char *r = sb_done(&b);
	if (!r)
		ha_error_set(HA_EMEMORY, "out of memory while printing");
	return r;
}
