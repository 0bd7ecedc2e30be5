/*
** repl.h — the interactive loop (rank 0 reads, every rank runs).
*/
#ifndef HI_REPL_H
#define HI_REPL_H

/* Is a person at a terminal typing rank 0's input?  Rank 0 decides (its
** own stdin, or under mpirun the stdin of mpirun, its parent) and the
** answer is broadcast.  Collective. */
int hi_repl_terminal(void);

/* Run the read-eval-print loop until EOF (Ctrl-D), quit() or exit().
** terminal: the result of hi_repl_terminal(); without a terminal lines are
** read plainly from stdin with no prompts.  banner: print the banner.
** Collective.  Returns the exit status (0, or quit()'s status). */
int hi_repl(int terminal, int banner);

#endif
