/*
** fstring.c — string literals: prefixes, escape sequences, adjacent
** literal concatenation, and f-strings.
**
** The lexer hands over a whole literal token (prefix and quotes included).
** Plain strings are decoded into an HG_STR.  An f-string is split into
** literal pieces and replacement fields; the expression of each field is
** parsed by a nested parse of that stretch of the source (the same grammar,
** started in expression mode, with the field's real line and column, so
** error carets land in the right place).  Nested quotes of the other kind,
** brackets, '!=' and format specs with nested fields ({x:{w}.{p}f}) are
** recognised while looking for the end of the expression.
*/
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode the escape sequence starting at s[*i] == '\\' into o (room for 4
** bytes); *i moves past it.  Returns the bytes written, or -1 with *msg.
** An unknown escape keeps its backslash, as Python does. */
static int escape(const char *s, size_t n, size_t *i, char *o, const char **msg)
{
	size_t j = *i + 1;
	uint32_t cp = 0;
	int c, k, want;
	if (j >= n) {
		o[0] = '\\';
		*i = j;
		return 1;
	}
	c = (unsigned char)s[j];
	switch (c) {
	case '\n':
		*i = j + 1;
		return 0;
	case '\r':
		*i = j + 1 + (j + 1 < n && s[j + 1] == '\n');
		return 0;
	case '\\': case '\'': case '"':
		o[0] = (char)c;
		*i = j + 1;
		return 1;
	case 'a': o[0] = '\a'; *i = j + 1; return 1;
	case 'b': o[0] = '\b'; *i = j + 1; return 1;
	case 'f': o[0] = '\f'; *i = j + 1; return 1;
	case 'n': o[0] = '\n'; *i = j + 1; return 1;
	case 'r': o[0] = '\r'; *i = j + 1; return 1;
	case 't': o[0] = '\t'; *i = j + 1; return 1;
	case 'v': o[0] = '\v'; *i = j + 1; return 1;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		for (k = 0; k < 3 && j < n && s[j] >= '0' && s[j] <= '7'; k++, j++)
			cp = cp * 8 + (uint32_t)(s[j] - '0');
		*i = j;
		return (int)put_utf8(o, cp);
	case 'x': case 'u': case 'U':
		want = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		j++;
		for (k = 0; k < want; k++, j++) {
			int h = j < n ? hexval((unsigned char)s[j]) : -1;
			if (h < 0) {
				*msg = c == 'x' ? "truncated \\xXX escape"
				     : c == 'u' ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape";
				return -1;
			}
			cp = cp * 16 + (uint32_t)h;
		}
		if (cp > 0x10FFFF) {
			*msg = "illegal Unicode character in \\U escape";
			return -1;
		}
		*i = j;
		return (int)put_utf8(o, cp);
	case 'N':
		*msg = "\\N{...} escapes are not supported; use \\u or \\U";
		return -1;
	default:
		o[0] = '\\';
		*i = j;
		return 1;
	}
}

/* Line and column of body byte idx, counting from the body's start. */
static void pos_of(const char *s, size_t idx, int line0, int col0, int *line, int *col)
{
	*line = line0;
	*col = col0;
	for (size_t i = 0; i < idx; i++) {
		if (s[i] == '\n') {
			++*line;
			*col = 1;
		} else
			++*col;
	}
}

typedef struct fctx {
	hg_pstate *ps;
	const char *s;          /* the body, between the quotes */
	size_t n;
	int raw;
	int line0, col0;        /* where the body starts */
	size_t at;              /* forward-only position cursor: s[at] is at line:col */
	int line, col;
	char *buf;              /* the literal piece being collected */
	size_t blen;
	int pline, pcol;        /* where that piece starts */
} fctx;

static void seek(fctx *f, size_t i)
{
	for (; f->at < i; f->at++) {
		if (f->s[f->at] == '\n') {
			f->line++;
			f->col = 1;
		} else
			f->col++;
	}
}

static int ferror_at(fctx *f, size_t idx, const char *msg)
{
	int line, col;
	pos_of(f->s, idx, f->line0, f->col0, &line, &col);
	hg_error_at(f->ps, line, col, "%s", msg);
	return -1;
}

static void begin_piece(fctx *f, size_t i)
{
	if (f->blen == 0) {
		seek(f, i);
		f->pline = f->line;
		f->pcol = f->col;
	}
}

static void flush(fctx *f, hg_node *out)
{
	hg_loc l;
	hg_node *p;
	if (f->blen == 0)
		return;
	l.line = l.end_line = f->pline;
	l.col = l.end_col = f->pcol;
	p = hg_node_new(f->ps->u, HG_STR, l);
	p->v.s = hg_strdup(f->ps->u, f->buf, f->blen);
	p->v.len = f->blen;
	hg_node_add(f->ps->u, out, p);
	f->blen = 0;
}

static int fbody(fctx *f, size_t *pi, int level, hg_node *out);

/* One replacement field; s[*pi] is its '{'. */
static int field(fctx *f, size_t *pi, int level, hg_node *out)
{
	const char *s = f->s;
	size_t n = f->n, open = *pi, i = open + 1, e0 = i, eend, k;
	int depth = 0, debug = 0, conv = 0;
	char quote = 0;
	int triple = 0;
	hg_syntax_error se;
	hg_node *ex, *fmt, *spec = NULL;
	hg_loc l;

	if (level >= 2)
		return ferror_at(f, open, "f-string: expressions nested too deeply");
	for (; i < n; i++) {
		char c = s[i];
		if (quote) {
			if (c == '\\')
				i++;
			else if (c == quote && (!triple || (i + 2 < n && s[i + 1] == c && s[i + 2] == c))) {
				if (triple)
					i += 2;
				quote = 0;
			}
			continue;
		}
		if (c == '\'' || c == '"') {
			quote = c;
			triple = i + 2 < n && s[i + 1] == c && s[i + 2] == c;
			if (triple)
				i += 2;
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			depth++;
			continue;
		}
		if (c == ')' || c == ']' || c == '}') {
			if (depth == 0 && c == '}')
				break;
			if (depth > 0)
				depth--;
			continue;
		}
		if (depth > 0)
			continue;
		if (c == '!') {
			if (i + 1 < n && s[i + 1] == '=') {
				i++;
				continue;
			}
			break;
		}
		if (c == ':')
			break;
		if (c == '=') {
			if (i + 1 < n && s[i + 1] == '=') {
				i++;
				continue;
			}
			if (i > e0 && strchr("=!<>", s[i - 1]))
				continue;
			for (k = i + 1; k < n && isspace((unsigned char)s[k]); k++)
				;
			if (k < n && (s[k] == '}' || s[k] == '!' || s[k] == ':')) {
				/* f"{x=}": the expression's text, then its value */
				debug = 1;
				eend = i;
				i = k;
				break;
			}
			continue;
		}
		if (c == '#')
			return ferror_at(f, i, "f-string expression part cannot include '#'");
	}
	if (i >= n)
		return ferror_at(f, open, quote ? "f-string: unterminated string" : "f-string: expecting '}'");
	if (!debug)
		eend = i;
	for (k = e0; k < eend && isspace((unsigned char)s[k]); k++)
		;
	if (k == eend)
		return ferror_at(f, open, "f-string: empty expression not allowed");

	seek(f, open);
	l.line = l.end_line = f->line;
	l.col = l.end_col = f->col;
	if (debug) {
		hg_node *p = hg_node_new(f->ps->u, HG_STR, l);
		seek(f, e0);
		p->loc.line = f->line;
		p->loc.col = f->col;
		p->v.s = hg_strdup(f->ps->u, s + e0, i - e0);
		p->v.len = i - e0;
		hg_node_add(f->ps->u, out, p);
	}
	seek(f, e0);
	memset(&se, 0, sizeof se);
	if (hg_parse_text(f->ps->u, s + e0, eend - e0, f->line, f->col, HG_MODE_EXPR, &se, &ex)) {
		if (!f->ps->failed) {
			hg_error_at(f->ps, se.line, se.col, "%s%s",
			            strncmp(se.msg, "f-string", 8) ? "f-string: " : "", se.msg);
		}
		return -1;
	}

	if (s[i] == '!') {
		if (i + 1 >= n || !s[i + 1] || !strchr("rsa", s[i + 1]))
			return ferror_at(f, i + 1, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
		conv = s[i + 1];
		i += 2;
		if (i >= n || (s[i] != ':' && s[i] != '}'))
			return ferror_at(f, i < n ? i : open, "f-string: expecting '}'");
	}
	if (s[i] == ':') {
		spec = hg_node_new(f->ps->u, HG_FSTR, l);
		i++;
		if (fbody(f, &i, level + 1, spec))
			return -1;
		if (i >= n)
			return ferror_at(f, open, "f-string: expecting '}'");
	}
	if (debug && !conv && !spec)
		conv = 'r';

	seek(f, i);
	l.end_line = f->line;
	l.end_col = f->col;
	fmt = hg_node_new(f->ps->u, HG_FMT, l);
	fmt->op = conv;
	hg_node_add(f->ps->u, fmt, ex);
	if (spec) {
		int fields = 0;
		for (int j = 0; j < spec->nkids; j++)
			fields += spec->kids[j]->kind == HG_FMT;
		if (fields)
			hg_node_add(f->ps->u, fmt, spec);
		else {
			/* no nested fields: at most one literal piece */
			fmt->v.s = spec->nkids ? spec->kids[0]->v.s : hg_strdup(f->ps->u, "", 0);
			fmt->v.len = spec->nkids ? spec->kids[0]->v.len : 0;
			hg_node_add(f->ps->u, fmt, NULL);
		}
	} else
		hg_node_add(f->ps->u, fmt, NULL);
	hg_node_add(f->ps->u, out, fmt);
	*pi = i + 1;
	return 0;
}

/* Literal text and fields up to the end of the body, or (level > 0, a
** format spec) up to the '}' closing the field. */
static int fbody(fctx *f, size_t *pi, int level, hg_node *out)
{
	size_t i = *pi;
	const char *s = f->s;
	while (i < f->n) {
		char c = s[i];
		if (c == '{') {
			if (level == 0 && i + 1 < f->n && s[i + 1] == '{') {
				begin_piece(f, i);
				f->buf[f->blen++] = '{';
				i += 2;
				continue;
			}
			flush(f, out);
			if (field(f, &i, level, out))
				return -1;
			continue;
		}
		if (c == '}') {
			if (level > 0)
				break;
			if (i + 1 < f->n && s[i + 1] == '}') {
				begin_piece(f, i);
				f->buf[f->blen++] = '}';
				i += 2;
				continue;
			}
			return ferror_at(f, i, "f-string: single '}' is not allowed");
		}
		begin_piece(f, i);
		if (c == '\\' && !f->raw) {
			const char *msg = NULL;
			int w = escape(s, f->n, &i, f->buf + f->blen, &msg);
			if (w < 0)
				return ferror_at(f, i, msg);
			f->blen += (size_t)w;
			continue;
		}
		if (c == '\r' && i + 1 < f->n && s[i + 1] == '\n') {
			i++;
			continue;
		}
		f->buf[f->blen++] = c;
		i++;
	}
	flush(f, out);
	*pi = i;
	return 0;
}

/* Plain literal: decode escapes (unless raw) and CRLF line ends. */
static int decode(hg_pstate *ps, const char *s, size_t n, int raw, int line, int col,
                  hg_node *out)
{
	char *o = hg_alloc(ps->u, n + 1);
	size_t k = 0, i = 0;
	while (i < n) {
		if (s[i] == '\\' && !raw) {
			const char *msg = NULL;
			int w = escape(s, n, &i, o + k, &msg);
			if (w < 0) {
				int l, c;
				pos_of(s, i, line, col, &l, &c);
				hg_error_at(ps, l, c, "%s", msg);
				return -1;
			}
			k += (size_t)w;
		} else if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
			i++;
		} else
			o[k++] = s[i++];
	}
	o[k] = 0;
	out->v.s = o;
	out->v.len = k;
	return 0;
}

hg_node *hg_string_literal(hg_pstate *ps, const char *text, size_t len, const hg_lloc *loc)
{
	int raw = 0, fmt = 0, bytes = 0;
	size_t i = 0, ql, blen;
	const char *body;
	int line, col;
	hg_node *n;

	while (text[i] != '\'' && text[i] != '"') {
		switch (text[i] | 0x20) {
		case 'r': raw = 1; break;
		case 'f': fmt = 1; break;
		case 'b': bytes = 1; break;
		default: break;
		}
		i++;
	}
	if (bytes) {
		hg_error_at(ps, loc->first_line, loc->first_column,
		            "bytes literals are not supported in ha");
		return NULL;
	}
	ql = len - i >= 6 && text[i + 1] == text[i] && text[i + 2] == text[i] ? 3 : 1;
	body = text + i + ql;
	blen = len - i - 2 * ql;
	line = loc->first_line;
	col = loc->first_column + (int)(i + ql);
	n = hg_node_new(ps->u, fmt ? HG_FSTR : HG_STR, hg_mkloc(loc));
	if (!fmt)
		return decode(ps, body, blen, raw, line, col, n) ? NULL : n;
	else {
		fctx f;
		size_t at = 0;
		int rc;
		memset(&f, 0, sizeof f);
		f.ps = ps;
		f.s = body;
		f.n = blen;
		f.raw = raw;
		f.line0 = f.line = line;
		f.col0 = f.col = col;
		f.buf = malloc(blen + 4);
		if (!f.buf) {
			hg_error_at(ps, line, col, "out of memory");
			return NULL;
		}
		rc = fbody(&f, &at, 0, n);
		free(f.buf);
		return rc ? NULL : n;
	}
}

hg_node *hg_string_concat(hg_pstate *ps, hg_node *acc, hg_node *next)
{
	if (!acc) {
		acc = hg_node_new(ps->u, HG_FSTR, next->loc);
		acc->op = HG_MARK_SPLICE;
	}
	if (next->kind == HG_STR)
		hg_node_add(ps->u, acc, next);
	else
		for (int i = 0; i < next->nkids; i++)
			hg_node_add(ps->u, acc, next->kids[i]);
	return acc;
}

/* Merge runs of literal pieces; an HG_STR when nothing is left to format. */
hg_node *hg_string_finish(hg_pstate *ps, hg_node *acc)
{
	hg_node *r;
	int fields = 0;
	for (int i = 0; i < acc->nkids; i++)
		fields += acc->kids[i]->kind == HG_FMT;
	if (!fields && acc->nkids == 1)
		return acc->kids[0];
	r = hg_node_new(ps->u, fields ? HG_FSTR : HG_STR, acc->loc);
	for (int i = 0; i < acc->nkids;) {
		hg_node *p = acc->kids[i];
		if (p->kind == HG_FMT) {
			hg_node_add(ps->u, r, p);
			i++;
			continue;
		}
		size_t total = 0;
		int j;
		for (j = i; j < acc->nkids && acc->kids[j]->kind == HG_STR; j++)
			total += acc->kids[j]->v.len;
		if (total > 0 || !fields) {
			hg_node *s = fields ? hg_node_new(ps->u, HG_STR, p->loc) : r;
			char *o = hg_alloc(ps->u, total + 1);
			size_t k = 0;
			for (int m = i; m < j; m++) {
				memcpy(o + k, acc->kids[m]->v.s, acc->kids[m]->v.len);
				k += acc->kids[m]->v.len;
			}
			s->v.s = o;
			s->v.len = total;
			if (fields)
				hg_node_add(ps->u, r, s);
		}
		i = j;
	}
	if (!fields && !r->v.s)
		r->v.s = hg_strdup(ps->u, "", 0);
	return r;
}
