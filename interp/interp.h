/*
** interp.h — the interpreter's shared machinery: exceptions, type objects,
** the builtin registry, modules, and the per-process interpreter state.
** See value.h for the ownership and error conventions.
*/
#ifndef HI_INTERP_H
#define HI_INTERP_H

#include "value.h"
#include "../grammar/ast.h"

/* ---- "argument not given" marker for optional builtin parameters ---- */
static inline hi_val hi_absent(void) { hi_val v; v.tag = HI_ERROR; v.i = 1; return v; }
static inline int hi_isabsent(hi_val v) { return v.kind == HI_ERROR && v.i == 1; }

/* ==== type objects ====
** Builtin types (int, str, list ...), exception classes and the array
** dtypes are all HI_TYPE values.  Calling one constructs an instance. */
typedef struct hi_type {
	hi_obj h;
	const char *name;          /* "ValueError", "int" */
	struct hi_type *base;      /* exception hierarchy; NULL at the root */
	int is_exc;                /* an exception class */
	int match_kind;            /* for isinstance on builtin types; -1 none */
	hi_val ctor;               /* builtin called by type(...)(args) or None */
	const char *doc;
} hi_type;

/* Exception classes (created by hi_exc_init; never freed). */
extern hi_type *hi_BaseException, *hi_Exception, *hi_ArithmeticError,
	*hi_ZeroDivisionError, *hi_OverflowError, *hi_LookupError, *hi_IndexError,
	*hi_KeyError, *hi_ValueError, *hi_TypeError, *hi_NameError,
	*hi_UnboundLocalError, *hi_AttributeError, *hi_RuntimeError,
	*hi_NotImplementedError, *hi_RecursionError, *hi_SyntaxError,
	*hi_IndentationError, *hi_AssertionError, *hi_MemoryError, *hi_IOError,
	*hi_StopIteration, *hi_ImportError, *hi_ModuleNotFoundError,
	*hi_KeyboardInterrupt, *hi_SystemExit, *hi_UnicodeError, *hi_BufferError;

/* One traceback line: File "f", line N, in name */
typedef struct hi_tb_entry {
	char *file;
	int line;
	char *func;                /* "<module>", "f", "<lambda>" */
} hi_tb_entry;

typedef struct hi_exc {
	hi_obj h;
	hi_type *type;
	hi_val args;               /* tuple */
	hi_tb_entry *tb;           /* innermost call LAST, as Python prints */
	int ntb, captb;
	int tb_sealed;             /* evaluator bookkeeping */
	int syntax_line, syntax_col; /* SyntaxError: caret position (0 if none) */
	char *syntax_file;         /* SyntaxError: file name */
	char *syntax_text;         /* SyntaxError: the offending source line */
} hi_exc;

/* Raise: sets the pending exception and returns hi_err(). */
hi_val hi_raise(hi_type *t, const char *fmt, ...);
hi_val hi_raise_exc(hi_val exc);             /* steals an HI_EXC value */
int hi_raisei(hi_type *t, const char *fmt, ...);  /* same, returns -1 */
hi_val hi_exc_new(hi_type *t, hi_val args);  /* args: a tuple, borrowed */
hi_val hi_exc_pending(void);                 /* borrowed; None when nothing pending */
hi_val hi_exc_take(void);                    /* new ref; clears the pending exception */
void hi_exc_clear(void);
int hi_exc_matches(hi_val exc, hi_val typespec);  /* typespec: type or tuple of types */
int hi_type_is_sub(const hi_type *t, const hi_type *base);
hi_val hi_exc_message(hi_val exc);           /* str(exc) */
void hi_exc_add_tb(hi_val exc, const char *file, int line, const char *func);
/* Render "Traceback ...\nValueError: msg\n" (or the SyntaxError form with
** source line and caret) into a new C string. */
char *hi_exc_render(hi_val exc);
void hi_exc_init(void);

/* ==== the builtin registry ====
** Every builtin is declared by its Python-style signature text, a docstring
** and a C function.  The registry parses the signature once; calls bind
** positional and keyword arguments to it, fill defaults, and report bad
** calls in Python's words ("sum() got an unexpected keyword argument 'x'").
**
**   sig:  "sum(a, axis=None, out=None, keepdims=False)"
**         defaults: None True False ints floats 'strings'; "?" means
**         optional with no default: the C function sees hi_absent().
**         "*args" binds a tuple, "**kwargs" a dict; a bare "*" makes the
**         following parameters keyword-only.
**   fn:   receives args[i] for the i-th parameter (borrowed), returns a new
**         reference or hi_err().
*/
typedef hi_val (*hi_cfn)(hi_val *args, void *ctx);

typedef struct hi_builtin_def {
	const char *sig;
	hi_cfn fn;
	const char *doc;
} hi_builtin_def;

typedef struct hi_param {
	char *name;
	int kind;                  /* HG_PARAM_PLAIN / STAR / DSTAR / KWONLY */
	int has_default;
	hi_val defval;             /* hi_absent() for "?" */
} hi_param;

typedef struct hi_builtin {
	hi_obj h;
	char *name;                /* "sum" */
	char *qualname;            /* "heat.sum" or "sum", for help() */
	const char *sig;
	const char *doc;
	hi_cfn fn;
	void *ctx;
	int nparams;
	hi_param *params;
	int local_result;          /* 1: result always rank-local; -1: never (global
	                              from rank-local inputs); 0: local if an argument is */
	int plain;                 /* every parameter positional-or-keyword */
	int nrequired;             /* parameters without a default */
} hi_builtin;

hi_val hi_builtin_new(const hi_builtin_def *d, const char *module, void *ctx);
/* Add every def (array ended by a {0} entry) to dict under its name. */
void hi_register(hi_val dict, const hi_builtin_def *defs, const char *module);
/* Methods of a kind: first parameter is the receiver ("self").
** x.name finds them and binds x. */
void hi_register_methods(int kind, const hi_builtin_def *defs);
hi_val hi_method_lookup(int kind, const char *name);   /* new ref or hi_absent() */
hi_val hi_getattr_for_call(hi_val obj, const char *name, int *unbound);
hi_val hi_method_table(int kind);                      /* borrowed dict */
/* Attribute (property) getters of a kind: return hi_absent() for unknown
** names so the lookup can fall back to methods, then AttributeError. */
typedef hi_val (*hi_getattr_fn)(hi_val self, const char *name);
void hi_register_getattr(int kind, hi_getattr_fn fn);
/* Names offered by dir() and by completion for a kind's attributes. */
void hi_register_attrnames(int kind, const char *const *names);

typedef struct hi_method {
	hi_obj h;
	hi_val self;
	hi_val fn;                 /* HI_BUILTIN or HI_FUNC */
} hi_method;
hi_val hi_method_new(hi_val self, hi_val fn);

/* Bind a call's arguments to a builtin's parameters (used by hi_call). */
int hi_bind_args(const hi_builtin *b, int argc, const hi_val *argv, int nkw,
                 const char *const *kwnames, const hi_val *kwvals, hi_val *out);

/* ==== modules ==== */
typedef struct hi_module {
	hi_obj h;
	char *name;                /* "heat", "heat.linalg", "math" */
	hi_val dict;
	const char *doc;
} hi_module;
hi_val hi_module_new(const char *name, const char *doc);
static inline hi_val hi_module_dict(hi_val m) { return ((hi_module *)m.o)->dict; }

/* ==== type objects for builtin types ==== */
extern hi_type *hi_types[HI_KIND_COUNT];     /* int, float, str ... by kind */
hi_val hi_type_new(const char *name, hi_type *base, int is_exc, int match_kind, const char *doc);
hi_val hi_type_of(hi_val v);                 /* borrowed type object of a value */

/* ==== instances of classes written in C (kind HI_OBJECT) ====
** ht.cluster.KMeans(...) returns one: `cls` names the class (type(x)
** and messages show it), `attrs` holds its attributes (parameters and
** fitted results), `methods` (a dict of builtins taking self first) its
** methods; the file that defines the class registers the kind's hooks. */
typedef struct hi_instance {
	hi_obj h;
	const char *cls;
	hi_type *type;             /* what type(x) returns (borrowed: lives as long as the class) */
	hi_val attrs;              /* dict */
	hi_val methods;            /* borrowed dict, owned by the defining file */
} hi_instance;

/* ==== the interpreter state (one per process) ==== */
typedef struct hi_state {
	int rank, size;            /* MPI_COMM_WORLD */
	hi_val builtins;           /* dict: Python builtins + ht functions */
	hi_val globals;            /* dict: the __main__ namespace */
	hi_val ht;                 /* the heat module */
	hi_val modules;            /* dict: importable modules by name */
	hi_val exc;                /* pending exception or None */
	int interactive;           /* REPL: echo expression statements */
	int divergent;             /* depth of rank-dependent control flow */
	int touched_local;         /* the current statement used a rank-local value */
	int depth;                 /* call depth, for RecursionError */
	int quit_requested;        /* quit()/exit() was called */
	int exit_code;
} hi_state;
extern hi_state hi_S;

/* Registration hooks each builtins file provides; interp/init.c calls them. */
void hi_init_values(void);       /* types, method tables for str/list/dict... */
void hi_init_builtins(void);     /* print, len, range ... into hi_S.builtins */

/* ==== additions by exc.c, registry.c, types.c, module.c, builtins.c,
** help.c, mathmod.c, timemod.c ==== */

/* More exception classes (IOError is OSError, as in Python 3). */
extern hi_type *hi_OSError, *hi_EOFError, *hi_FileNotFoundError,
	*hi_PermissionError, *hi_FloatingPointError;
/* A SyntaxError/IndentationError instance (t NULL: SyntaxError) with its
** position: line and col are 1-based (col 0: no caret); text is the
** offending source line (textlen bytes). */
hi_val hi_syntax_error_new(hi_type *t, const char *msg, const char *file, int line,
                           int col, const char *text, size_t textlen);
void hi_exc_set_syntax(hi_val exc, const char *file, int line, int col,
                       const char *text, size_t textlen);
/* Put every exception class (and IOError/EnvironmentError) into a dict. */
void hi_exc_register(hi_val dict);

/* Call a builtin / a type object (hi_call dispatches here). */
hi_val hi_call_builtin(hi_builtin *b, int argc, const hi_val *argv, int nkw,
                       const char *const *kwnames, const hi_val *kwvals);
hi_val hi_call_type(hi_type *t, int argc, const hi_val *argv, int nkw,
                    const char *const *kwnames, const hi_val *kwvals);
/* The signature as help() shows it ("next(iterator[, default])"); malloc'd. */
char *hi_builtin_signature(const hi_builtin *b);
/* Attribute setters of a kind: 0 set, -1 error, 1 not an attribute this
** hook knows (the next hook, then AttributeError). */
typedef int (*hi_setattr_fn)(hi_val self, const char *name, hi_val value);
void hi_register_setattr(int kind, hi_setattr_fn fn);
/* Append a kind's registered attribute names and method names to a list. */
int hi_kind_attr_names(int kind, hi_val list);
void hi_registry_init(void);     /* slots of builtins and bound methods (idempotent) */

/* Types: the `object` root; start-up (idempotent, called by hi_exc_init);
** isinstance/issubclass (1, 0, -1 on a bad type spec). */
extern hi_type *hi_object_type;
void hi_types_init(void);
void hi_types_register(hi_val dict);   /* int float ... object into a dict */
int hi_isinstance(hi_val v, hi_val typespec);
int hi_issubclass(hi_val cls, hi_val typespec);
/* int(str, base) / float(str) parsing as Python does; errors raise. */
hi_val hi_int_from_str(const char *s, size_t n, int base);
hi_val hi_int_from_double(double d);          /* truncates; NaN/inf raise */
int hi_float_from_str(const char *s, size_t n, double *out);   /* -1: malformed, nothing raised */

/* Modules: slots (idempotent); add to hi_S.modules under its name. */
void hi_module_init(void);
int hi_module_install(hi_val module);

/* The Python versions of the builtins that Heat shadows (abs min max round
** sum any all), for the array layer to wrap.  args as bound by these
** signatures:  abs(x)   min(*args, key=None, default=?)   max(same)
** round(number, ndigits=None)   sum(iterable, start=0)   any(iterable)
** all(iterable). */
hi_val hi_builtin_py_abs(hi_val *args, void *ctx);
hi_val hi_builtin_py_min(hi_val *args, void *ctx);
hi_val hi_builtin_py_max(hi_val *args, void *ctx);
hi_val hi_builtin_py_round(hi_val *args, void *ctx);
hi_val hi_builtin_py_sum(hi_val *args, void *ctx);
hi_val hi_builtin_py_any(hi_val *args, void *ctx);
hi_val hi_builtin_py_all(hi_val *args, void *ctx);

/* help() and dir() (help.c): registered by hi_init_builtins. */
void hi_register_help(hi_val dict);
hi_val hi_dir(hi_val obj);                    /* sorted list of attribute names */
char *hi_help_text(hi_val obj);               /* what help(obj) prints; malloc'd */

/* Standard modules into hi_S.modules: "math" and "time". */
void hi_init_math(void);
void hi_init_time(void);

#endif
