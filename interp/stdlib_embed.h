/*
** stdlib_embed.h — the ha standard library (the .ha files of stdlib/),
** embedded into the binary at build time by stdlib/embed.sh
** (build/stdlib_embed.c).
** (Not named stdlib.h: unit tests compile with -Iinterp, where that name
** would shadow the C library's <stdlib.h>.)
**
** Entry i is the file stdlib/NAME.ha: hi_stdlib_names[i] is "NAME",
** hi_stdlib_src[i] its text (NUL-terminated; hi_stdlib_len[i] bytes
** before the NUL).  Files are in name order; hi_stdlib_count may be 0.
*/
#ifndef HI_STDLIB_EMBED_H
#define HI_STDLIB_EMBED_H

#include <stddef.h>

extern const char *const hi_stdlib_names[];
extern const char *const hi_stdlib_src[];
extern const size_t hi_stdlib_len[];
extern const int hi_stdlib_count;

#endif
