/*
** exc.c — exceptions: the class hierarchy (Python's), raising and the
** pending exception in hi_S.exc, matching for `except`, str()/repr() of
** instances, and the traceback / SyntaxError text printed to the user.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

hi_type *hi_BaseException, *hi_Exception, *hi_ArithmeticError,
	*hi_ZeroDivisionError, *hi_OverflowError, *hi_LookupError, *hi_IndexError,
	*hi_KeyError, *hi_ValueError, *hi_TypeError, *hi_NameError,
	*hi_UnboundLocalError, *hi_AttributeError, *hi_RuntimeError,
	*hi_NotImplementedError, *hi_RecursionError, *hi_SyntaxError,
	*hi_IndentationError, *hi_AssertionError, *hi_MemoryError, *hi_IOError,
	*hi_StopIteration, *hi_ImportError, *hi_ModuleNotFoundError,
	*hi_KeyboardInterrupt, *hi_SystemExit, *hi_UnicodeError, *hi_BufferError;
hi_type *hi_OSError, *hi_EOFError, *hi_FileNotFoundError, *hi_PermissionError,
	*hi_FloatingPointError;

/* The class table: name, base (by its variable), docstring.  Order matters:
** a base comes before its subclasses. */
static const struct {
	hi_type **var;
	const char *name;
	hi_type **base;
	const char *doc;
} classes[] = {
	{ &hi_BaseException, "BaseException", NULL, "Common base class for all exceptions." },
	{ &hi_Exception, "Exception", &hi_BaseException, "Common base class for all non-exit exceptions." },
	{ &hi_ArithmeticError, "ArithmeticError", &hi_Exception, "Base class for arithmetic errors." },
	{ &hi_ZeroDivisionError, "ZeroDivisionError", &hi_ArithmeticError, "Second argument to a division or modulo operation was zero." },
	{ &hi_OverflowError, "OverflowError", &hi_ArithmeticError, "Result too large to be represented (ha integers are 64-bit)." },
	{ &hi_FloatingPointError, "FloatingPointError", &hi_ArithmeticError, "Floating point operation failed." },
	{ &hi_LookupError, "LookupError", &hi_Exception, "Base class for lookup errors." },
	{ &hi_IndexError, "IndexError", &hi_LookupError, "Sequence index out of range." },
	{ &hi_KeyError, "KeyError", &hi_LookupError, "Mapping key not found." },
	{ &hi_ValueError, "ValueError", &hi_Exception, "Inappropriate argument value (of correct type)." },
	{ &hi_UnicodeError, "UnicodeError", &hi_ValueError, "Unicode related error." },
	{ &hi_TypeError, "TypeError", &hi_Exception, "Inappropriate argument type." },
	{ &hi_NameError, "NameError", &hi_Exception, "Name not found globally." },
	{ &hi_UnboundLocalError, "UnboundLocalError", &hi_NameError, "Local name referenced but not bound to a value." },
	{ &hi_AttributeError, "AttributeError", &hi_Exception, "Attribute not found." },
	{ &hi_RuntimeError, "RuntimeError", &hi_Exception, "Unspecified run-time error." },
	{ &hi_NotImplementedError, "NotImplementedError", &hi_RuntimeError, "Method or function hasn't been implemented yet." },
	{ &hi_RecursionError, "RecursionError", &hi_RuntimeError, "Recursion limit exceeded." },
	{ &hi_SyntaxError, "SyntaxError", &hi_Exception, "Invalid syntax." },
	{ &hi_IndentationError, "IndentationError", &hi_SyntaxError, "Improper indentation." },
	{ &hi_AssertionError, "AssertionError", &hi_Exception, "Assertion failed." },
	{ &hi_MemoryError, "MemoryError", &hi_Exception, "Out of memory." },
	{ &hi_BufferError, "BufferError", &hi_Exception, "Buffer error." },
	{ &hi_OSError, "OSError", &hi_Exception, "Base class for I/O related errors (IOError is the same class)." },
	{ &hi_FileNotFoundError, "FileNotFoundError", &hi_OSError, "File not found." },
	{ &hi_PermissionError, "PermissionError", &hi_OSError, "Not enough rights to access a file." },
	{ &hi_EOFError, "EOFError", &hi_Exception, "Read beyond end of file (input() at end of input)." },
	{ &hi_StopIteration, "StopIteration", &hi_Exception, "Signal the end from iterator.__next__()." },
	{ &hi_ImportError, "ImportError", &hi_Exception, "Import can't find module, or can't find name in module." },
	{ &hi_ModuleNotFoundError, "ModuleNotFoundError", &hi_ImportError, "Module not found." },
	{ &hi_KeyboardInterrupt, "KeyboardInterrupt", &hi_BaseException, "Program interrupted by user." },
	{ &hi_SystemExit, "SystemExit", &hi_BaseException, "Request to exit from the interpreter (quit(), exit())." },
	{ NULL, NULL, NULL, NULL }
};

/* ---- instances ---- */

static void exc_free(hi_obj *o)
{
	hi_exc *e = (hi_exc *)o;
	hi_decref(e->args);
	for (int i = 0; i < e->ntb; i++) {
		free(e->tb[i].file);
		free(e->tb[i].func);
	}
	free(e->tb);
	free(e->syntax_file);
	free(e->syntax_text);
	hi_decref(hi_objval(e->type, HI_TYPE));
	free(e);
}

hi_val hi_exc_new(hi_type *t, hi_val args)
{
	hi_exc *e = hi_obj_alloc(sizeof *e, HI_EXC);
	if (!e)
		return hi_raise(hi_MemoryError, "out of memory");
	e->type = t;
	hi_incref(hi_objval(t, HI_TYPE));
	e->args = args.kind == HI_TUPLE ? hi_incref(args) : hi_tuple_new(0);
	if (hi_iserr(e->args)) {
		e->args = hi_none();
		hi_decref(hi_objval(e, HI_EXC));
		return hi_err();
	}
	return hi_objval(e, HI_EXC);
}

void hi_exc_set_syntax(hi_val exc, const char *file, int line, int col,
                       const char *text, size_t textlen)
{
	if (exc.kind != HI_EXC)
		return;
	hi_exc *e = (hi_exc *)exc.o;
	free(e->syntax_file);
	free(e->syntax_text);
	e->syntax_file = file ? strdup(file) : NULL;
	e->syntax_text = text ? strndup(text, textlen) : NULL;
	e->syntax_line = line;
	e->syntax_col = col;
}

hi_val hi_syntax_error_new(hi_type *t, const char *msg, const char *file, int line,
                           int col, const char *text, size_t textlen)
{
	hi_val m = hi_str_cstr(msg);
	if (hi_iserr(m))
		return m;
	hi_val args = hi_tuple_pack(1, m);
	hi_decref(m);
	if (hi_iserr(args))
		return args;
	hi_val e = hi_exc_new(t ? t : hi_SyntaxError, args);
	hi_decref(args);
	if (!hi_iserr(e))
		hi_exc_set_syntax(e, file, line, col, text, textlen);
	return e;
}

/* ---- the pending exception ---- */

hi_val hi_raise_exc(hi_val exc)
{
	if (exc.kind == HI_TYPE && ((hi_type *)exc.o)->is_exc) {
		hi_val inst = hi_exc_new((hi_type *)exc.o, hi_none());
		hi_decref(exc);
		if (hi_iserr(inst))
			return inst;
		exc = inst;
	}
	hi_val old = hi_S.exc;
	hi_S.exc = exc;
	hi_decref(old);
	return hi_err();
}

/* Build the exception for a printf-style message and make it pending. */
static void raise_v(hi_type *t, const char *fmt, va_list ap)
{
	hi_val args;
	if (fmt) {
		char tmp[512];
		va_list ap2;
		va_copy(ap2, ap);
		int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
		hi_val msg;
		if (n < 0) {
			msg = hi_str_new("", 0);
		} else if ((size_t)n < sizeof tmp) {
			msg = hi_str_new(tmp, (size_t)n);
		} else {
			char *big = malloc((size_t)n + 1);
			if (big) {
				vsnprintf(big, (size_t)n + 1, fmt, ap2);
				msg = hi_str_new(big, (size_t)n);
				free(big);
			} else {
				msg = hi_str_new(tmp, sizeof tmp - 1);
			}
		}
		va_end(ap2);
		if (hi_iserr(msg))
			return;
		args = hi_tuple_pack(1, msg);
		hi_decref(msg);
	} else {
		args = hi_tuple_new(0);
	}
	if (hi_iserr(args))
		return;
	hi_val e = hi_exc_new(t, args);
	hi_decref(args);
	if (!hi_iserr(e))
		hi_raise_exc(e);
}

hi_val hi_raise(hi_type *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	raise_v(t, fmt, ap);
	va_end(ap);
	return hi_err();
}

int hi_raisei(hi_type *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	raise_v(t, fmt, ap);
	va_end(ap);
	return -1;
}

hi_val hi_exc_pending(void)
{
	return hi_S.exc.kind == HI_EXC ? hi_S.exc : hi_none();
}

hi_val hi_exc_take(void)
{
	hi_val e = hi_S.exc;
	hi_S.exc = hi_none();
	return e.kind == HI_EXC ? e : hi_none();
}

void hi_exc_clear(void)
{
	hi_val e = hi_S.exc;
	hi_S.exc = hi_none();
	hi_decref(e);
}

int hi_exc_matches(hi_val exc, hi_val typespec)
{
	if (exc.kind != HI_EXC)
		return 0;
	hi_type *t = ((hi_exc *)exc.o)->type;
	if (typespec.kind == HI_TYPE) {
		hi_type *b = (hi_type *)typespec.o;
		if (!b->is_exc)
			return hi_raisei(hi_TypeError, "catching classes that do not inherit from BaseException is not allowed");
		return hi_type_is_sub(t, b);
	}
	if (typespec.kind == HI_TUPLE) {
		hi_tuple *tu = hi_as_tuple(typespec);
		for (size_t i = 0; i < tu->len; i++) {
			int r = hi_exc_matches(exc, tu->items[i]);
			if (r)
				return r;
		}
		return 0;
	}
	return hi_raisei(hi_TypeError, "catching classes that do not inherit from BaseException is not allowed");
}

/* ---- str() and repr() ---- */

static int is_syntax(const hi_exc *e)
{
	return hi_type_is_sub(e->type, hi_SyntaxError);
}

hi_val hi_exc_message(hi_val exc)
{
	if (exc.kind != HI_EXC)
		return hi_to_str(exc);
	hi_exc *e = (hi_exc *)exc.o;
	hi_tuple *a = hi_as_tuple(e->args);
	if (a->len == 0)
		return hi_str_new("", 0);
	if (a->len > 1)
		return hi_repr(e->args);
	/* KeyError('k') prints as 'k', so an empty-string key stays visible */
	if (hi_type_is_sub(e->type, hi_KeyError))
		return hi_repr(a->items[0]);
	hi_val s = hi_to_str(a->items[0]);
	if (hi_iserr(s) || !is_syntax(e) || !e->syntax_file)
		return s;
	hi_val r = hi_str_fmt("%s (%s, line %d)", hi_as_str(s)->s, e->syntax_file, e->syntax_line);
	hi_decref(s);
	return r;
}

static hi_val exc_repr(hi_val v)
{
	hi_exc *e = (hi_exc *)v.o;
	hi_tuple *a = hi_as_tuple(e->args);
	hi_buf b = {0};
	hi_buf_adds(&b, e->type->name);
	hi_buf_add(&b, "(", 1);
	for (size_t i = 0; i < a->len; i++) {
		hi_val r = hi_repr(a->items[i]);
		if (hi_iserr(r)) {
			hi_buf_free(&b);
			return r;
		}
		if (i)
			hi_buf_add(&b, ", ", 2);
		hi_buf_addval(&b, r);
		hi_decref(r);
	}
	hi_buf_add(&b, ")", 1);
	return hi_buf_finish(&b);
}

/* Attributes of an exception instance. */
static hi_val exc_getattr(hi_val self, const char *name)
{
	hi_exc *e = (hi_exc *)self.o;
	hi_tuple *a = hi_as_tuple(e->args);
	hi_val first = a->len ? a->items[0] : hi_none();
	if (!strcmp(name, "args"))
		return hi_incref(e->args);
	if (!strcmp(name, "__class__"))
		return hi_incref(hi_objval(e->type, HI_TYPE));
	if (hi_type_is_sub(e->type, hi_SystemExit) && !strcmp(name, "code"))
		return hi_incref(a->len == 1 ? first : a->len ? e->args : hi_none());
	if (hi_type_is_sub(e->type, hi_StopIteration) && !strcmp(name, "value"))
		return hi_incref(first);
	if (is_syntax(e)) {
		if (!strcmp(name, "msg"))
			return hi_incref(first);
		if (!strcmp(name, "lineno"))
			return e->syntax_line ? hi_int(e->syntax_line) : hi_none();
		if (!strcmp(name, "offset"))
			return e->syntax_col ? hi_int(e->syntax_col) : hi_none();
		if (!strcmp(name, "filename"))
			return e->syntax_file ? hi_str_cstr(e->syntax_file) : hi_none();
		if (!strcmp(name, "text"))
			return e->syntax_text ? hi_str_cstr(e->syntax_text) : hi_none();
	}
	return hi_absent();
}

/* ---- tracebacks ---- */

void hi_exc_add_tb(hi_val exc, const char *file, int line, const char *func)
{
	if (exc.kind != HI_EXC)
		return;
	hi_exc *e = (hi_exc *)exc.o;
	if (e->ntb == e->captb) {
		int cap = e->captb ? 2 * e->captb : 4;
		hi_tb_entry *p = realloc(e->tb, (size_t)cap * sizeof *p);
		if (!p)
			return;   /* a shorter traceback is better than a second error */
		e->tb = p;
		e->captb = cap;
	}
	hi_tb_entry *t = &e->tb[e->ntb++];
	t->file = strdup(file ? file : "<unknown>");
	t->line = line;
	t->func = strdup(func ? func : "<module>");
}

/* The SyntaxError block as CPython 3.11 prints it:
**     File "prog.ha", line 2
**       x = (1 +
**           ^
** (the source line without its indentation, the caret moved with it). */
static void render_syntax(hi_buf *b, const hi_exc *e)
{
	hi_buf_addf(b, "  File \"%s\", line %d\n", e->syntax_file, e->syntax_line);
	if (!e->syntax_text)
		return;
	const char *s = e->syntax_text;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\f'))
		n--;
	size_t lead = 0;
	while (lead < n && (s[lead] == ' ' || s[lead] == '\t' || s[lead] == '\f'))
		lead++;
	if (lead == n)
		return;
	hi_buf_add(b, "    ", 4);
	hi_buf_add(b, s + lead, n - lead);
	hi_buf_add(b, "\n", 1);
	if (e->syntax_col <= 0)
		return;
	/* caret column in characters (not bytes) after the stripped indent */
	size_t colb = (size_t)e->syntax_col - 1;
	if (colb < lead)
		colb = lead;
	if (colb > n)
		colb = n;
	size_t chars = 0;
	for (size_t i = lead; i < colb; i++)
		chars += ((unsigned char)s[i] & 0xC0) != 0x80;
	hi_buf_add(b, "    ", 4);
	for (size_t i = 0; i < chars; i++)
		hi_buf_add(b, " ", 1);
	hi_buf_add(b, "^\n", 2);
}

char *hi_exc_render(hi_val exc)
{
	/* str() of an argument may raise; keep whatever was pending intact */
	hi_val saved = hi_S.exc;
	hi_S.exc = hi_none();
	hi_incref(exc);
	hi_buf b = {0};
	if (exc.kind != HI_EXC) {
		hi_val s = hi_to_str(exc);
		if (!hi_iserr(s)) {
			hi_buf_addval(&b, s);
			hi_decref(s);
		}
		hi_buf_add(&b, "\n", 1);
	} else {
		hi_exc *e = (hi_exc *)exc.o;
		int syn = is_syntax(e) && e->syntax_file && e->syntax_line > 0;
		if (e->ntb > 0) {
			hi_buf_adds(&b, "Traceback (most recent call last):\n");
			for (int i = 0; i < e->ntb; i++)
				hi_buf_addf(&b, "  File \"%s\", line %d, in %s\n", e->tb[i].file,
				            e->tb[i].line, e->tb[i].func);
		}
		if (syn)
			render_syntax(&b, e);
		hi_val msg;
		hi_tuple *a = hi_as_tuple(e->args);
		if (syn && a->len >= 1)
			msg = hi_to_str(a->items[0]);
		else
			msg = hi_exc_message(exc);
		hi_buf_adds(&b, e->type->name);
		if (hi_iserr(msg)) {
			hi_buf_adds(&b, ": <exception str() failed>");
		} else {
			if (hi_as_str(msg)->len) {
				hi_buf_add(&b, ": ", 2);
				hi_buf_addval(&b, msg);
			}
			hi_decref(msg);
		}
		hi_buf_add(&b, "\n", 1);
	}
	hi_exc_clear();
	hi_S.exc = saved;
	hi_decref(exc);
	return b.p ? b.p : strdup("");
}

/* ---- start-up ---- */

void hi_exc_init(void)
{
	if (hi_BaseException)
		return;
	hi_types_init();
	for (int i = 0; classes[i].var; i++) {
		hi_type *base = classes[i].base ? *classes[i].base : NULL;
		hi_val t = hi_type_new(classes[i].name, base, 1, HI_EXC, classes[i].doc);
		*classes[i].var = (hi_type *)t.o;
	}
	hi_IOError = hi_OSError;
	hi_types[HI_EXC] = hi_Exception;
	hi_slots *s = hi_slots_of(HI_EXC);
	s->free = exc_free;
	s->repr = exc_repr;
	s->str = hi_exc_message;
	hi_register_getattr(HI_EXC, exc_getattr);
	static const char *const names[] = { "args", NULL };
	hi_register_attrnames(HI_EXC, names);
}

/* Put every exception class into a namespace (IOError names OSError). */
void hi_exc_register(hi_val dict)
{
	for (int i = 0; classes[i].var; i++)
		hi_dict_set_str(dict, classes[i].name, hi_objval(*classes[i].var, HI_TYPE));
	hi_dict_set_str(dict, "IOError", hi_objval(hi_OSError, HI_TYPE));
	hi_dict_set_str(dict, "EnvironmentError", hi_objval(hi_OSError, HI_TYPE));
}
