/*
** run.c — running units of source at module level, and reporting what
** escapes: tracebacks on rank 0's stderr, SyntaxErrors with a caret.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"
#include "spmd.h"

/* A SyntaxError (or IndentationError) carrying the caret position. */
hi_val hi_raise_syntax(const hg_syntax_error *e, const hg_unit *u, const char *filename)
{
	hi_type *t = e->indentation ? hi_IndentationError : hi_SyntaxError;
	hi_val msg = hi_str_cstr(e->msg);
	hi_val args = hi_tuple_pack(1, msg);
	hi_decref(msg);
	hi_val exc = hi_exc_new(t, args);
	hi_decref(args);
	if (hi_iserr(exc))
		return exc;
	hi_exc *x = (hi_exc *)exc.o;
	x->syntax_line = e->line;
	x->syntax_col = e->col;
	x->syntax_file = strdup(filename ? filename : "<unknown>");
	size_t n = 0;
	const char *line = u ? hg_unit_line(u, e->line, &n) : NULL;
	x->syntax_text = line ? strndup(line, n) : NULL;
	return hi_raise_exc(exc);
}

/* Tracebacks are collected innermost first while unwinding; Python prints
** the outermost call first. */
static void reverse_tb(hi_exc *x)
{
	for (int i = 0, j = x->ntb - 1; i < j; i++, j--) {
		hi_tb_entry t = x->tb[i];
		x->tb[i] = x->tb[j];
		x->tb[j] = t;
	}
}

void hi_report_exception(void)
{
	hi_val exc = hi_exc_take();
	if (exc.kind != HI_EXC)
		return;
	reverse_tb((hi_exc *)exc.o);
	if (hi_S.rank == 0) {
		char *text = hi_exc_render(exc);
		hi_out_flush();
		fflush(stdout);
		if (text) {
			fputs(text, stderr);
			free(text);
		}
		fflush(stderr);
	}
	hi_decref(exc);
}

static int is_system_exit(void)
{
	hi_val e = hi_exc_pending();
	return e.kind == HI_EXC && hi_type_is_sub(((hi_exc *)e.o)->type, hi_SystemExit);
}

/* SystemExit(code): the status to exit with. */
static void take_system_exit(void)
{
	hi_val e = hi_exc_take();
	hi_exc *x = (hi_exc *)e.o;
	int status = 0;
	hi_tuple *args = hi_as_tuple(x->args);
	if (args->len >= 1) {
		hi_val c = args->items[0];
		if (c.kind == HI_INT || c.kind == HI_BOOL)
			status = (int)c.i;
		else if (c.kind != HI_NONE) {
			hi_val s = hi_to_str(c);
			if (!hi_iserr(s)) {
				if (hi_S.rank == 0)
					fprintf(stderr, "%s\n", hi_as_str(s)->s);
				hi_decref(s);
			}
			status = 1;
		}
	}
	hi_S.quit_requested = 1;
	hi_S.exit_code = status;
	hi_decref(e);
}

int hi_run_unit(hg_unit *u, int interactive)
{
	hi_S.interactive = interactive;
	if (hi_resolve_unit(u)) {
		hi_report_exception();
		return 1;
	}
	hi_frame fr;
	memset(&fr, 0, sizeof fr);
	fr.globals = hi_S.globals;
	fr.unit = u;
	fr.retval = hi_none();
	hi_frame *saved = hi_cur_frame;
	hi_cur_frame = &fr;
	int status = 0;
	hg_node *root = u->root;
	for (int i = 0; i < root->nkids; i++) {
		fr.err_line = 0;
		hg_node *s = root->kids[i];
		hi_exit ex = hi_exec(s, &fr);
		if (ex == EX_RETURN || ex == EX_BREAK || ex == EX_CONTINUE) {
			if (ex == EX_RETURN)
				hi_decref(fr.retval);
			hi_raise(hi_SyntaxError, "'%s' outside %s", ex == EX_RETURN ? "return"
			         : ex == EX_BREAK ? "break" : "continue", ex == EX_RETURN ? "function" : "loop");
			fr.err_line = s->loc.line;
			ex = EX_ERROR;
		}
		if (ex != EX_ERROR)
			continue;
		if (is_system_exit()) {
			take_system_exit();
			break;
		}
		hi_exc_add_tb(hi_exc_pending(), u->filename, fr.err_line ? fr.err_line : s->loc.line,
		              "<module>");
		hi_report_exception();
		status = 1;
		break;
	}
	hi_out_flush();
	hi_cur_frame = saved;
	return status;
}

int hi_run_source(const char *src, size_t len, const char *filename, int interactive)
{
	hg_syntax_error err;
	memset(&err, 0, sizeof err);
	hg_unit *u = hg_parse(src, len, filename, &err);
	if (!u)
		return hi_raisei(hi_MemoryError, "out of memory"), hi_report_exception(), 1;
	if (!u->root) {
		hi_raise_syntax(&err, u, filename);
		hi_report_exception();
		hg_unit_release(u);
		return 1;
	}
	int status = hi_run_unit(u, interactive);
	hg_unit_release(u);
	return status;
}

int hi_frame_err_line(void) { return hi_cur_frame ? hi_cur_frame->err_line : 0; }

void hi_frame_set_err_line(int line)
{
	if (hi_cur_frame && line > 0)
		hi_cur_frame->err_line = line;
}

int hi_quit_requested(void) { return hi_S.quit_requested; }
int hi_exit_status(void) { return hi_S.exit_code; }
