/*
** eval.h — the tree-walking evaluator's entry points, as main.c and the
** REPL use them.
*/
#ifndef HI_EVAL_H
#define HI_EVAL_H

#include <stddef.h>
#include "value.h"
#include "../grammar/ast.h"

/* Start the interpreter on this rank (after MPI_Init and ha_init):
** builtins, the ht namespace, the stdlib.  argv becomes `sys.argv`
** (a list of str; `import sys`).  Returns 0, or -1 if the stdlib failed to load. */
int hi_start(int argc, char **argv);
void hi_stop(void);

/* Run one piece of source on every rank (collective: every rank calls it
** with the same text).  interactive: echo the value of expression
** statements (REPL).  On an uncaught exception rank 0 writes the traceback
** to stderr (syntax errors with the source line and a caret) and the
** function returns 1; otherwise 0.  After quit()/exit() it returns 0 and
** hi_quit_requested() is true. */
int hi_run_source(const char *src, size_t len, const char *filename, int interactive);

/* Run an already-parsed unit (used by hi_run_source and the REPL). */
int hi_run_unit(hg_unit *u, int interactive);

int hi_quit_requested(void);
int hi_exit_status(void);

/* Call a user function or builtin with positional args (borrowed). */
hi_val hi_call_simple(hi_val fn, int argc, const hi_val *argv);

/* The line where the pending error passed in the running frame (0 if
** none yet), and setting it: error agreement hands it between ranks. */
int hi_frame_err_line(void);
void hi_frame_set_err_line(int line);

/* Report the pending exception on rank 0's stderr and clear it. */
void hi_report_exception(void);

/* Names visible in the global namespace (for completion): fills a
** malloc'd array of strdup'd names; returns the count. */
int hi_global_names(char ***out);
/* Attribute names of the value an expression evaluates to, without side
** effects beyond evaluating a dotted name (for completion of "ht.li<TAB>"). */
int hi_attr_names(const char *dotted, char ***out);

/* help() support for user functions (HI_FUNC): the signature text
** "f(a, b=1)" and the docstring (str or None); new references. */
hi_val hi_func_signature(hi_val f);
hi_val hi_func_doc(hi_val f);

#endif
