/*
** spmd.h — what makes one program on P ranks look like one program:
** rank-ordered output and collective agreement on errors.
**
** Output model (LANGUAGE.md §5).  Only rank 0 writes to the terminal.
**   - Global text (from values that are the same on every rank) is written
**     by rank 0 alone; the other ranks drop it.
**   - Rank-local text is collected from every rank and written by rank 0
**     in rank order, each line prefixed "[r] ".  Outside rank-dependent
**     control flow this is one collective gather per print.  Inside it
**     (hi_S.divergent > 0, e.g. under `if comm.rank == 0:`) ranks may not
**     print the same number of times, so text is buffered per rank and
**     gathered by hi_spmd_reconverge() when the ranks meet again.
**
** Error model (LANGUAGE.md §6).  An error that depends only on replicated
** data is raised by every rank by itself.  An error that depends on
** rank-local data may happen on some ranks only; hi_spmd_agree() is called
** where the ranks are known to meet (after a statement that touched a
** rank-local value, and when rank-dependent control flow ends) and makes
** every rank raise the same exception (the one of the lowest failing rank).
*/
#ifndef HI_SPMD_H
#define HI_SPMD_H

#include <stddef.h>
#include <stdio.h>

/* Where rank 0 writes program output (stdout, or the tty in the REPL). */
extern FILE *hi_out_stream;

/* Write program output.  local: see above.  Returns 0, or -1 with an
** exception set (I/O failure). */
int hi_out_write(const char *s, size_t n, int local);
void hi_out_flush(void);

/* Agree on an error.  have_error: this rank has a pending exception.
** Collective over MPI_COMM_WORLD.  Returns 1 when some rank failed: then
** every rank has the same pending exception (the lowest failing rank's,
** with its traceback); 0 when no rank failed. */
int hi_spmd_agree(int have_error);

/* End of rank-dependent control flow: gather the text buffered during it
** (in rank order) and agree on errors.  Collective.  Returns as
** hi_spmd_agree.  outcome (0 .. HI_SPMD_OUTCOMES-1) is how the region
** ended on this rank (the evaluator's hi_exit); *outcomes gets the set of
** every rank's outcome, bit k for outcome k. */
#define HI_SPMD_OUTCOMES 5
int hi_spmd_reconverge(int have_error, int outcome, unsigned *outcomes);

/* Broadcast a byte string from rank 0 (the REPL's statements, script text).
** *s on rank 0 is the input; on the others it is replaced by a malloc'd copy
** (NUL-terminated).  *s == NULL on rank 0 ("no text", e.g. end of input)
** gives *s == NULL, *n == 0 on every rank. */
void hi_spmd_bcast_text(char **s, size_t *n);

#endif
