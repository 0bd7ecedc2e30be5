/*
** io_internal.h — what the file I/O sources (hdf5.c, csv.c) share:
** agreeing on errors across ranks, checking a path on rank 0, and the
** temporary-file-then-rename rule of the savers (io_common.c).
*/
#ifndef HA_IO_INTERNAL_H
#define HA_IO_INTERNAL_H

#include <stddef.h>
#include "ha.h"
#include "ha_io.h"

/* Set the error record and the I/O code; returns -1. */
int ha__io_fail(ha_io_errcode code, ha_errkind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Clear the I/O code (at the start of every public call). */
void ha__io_reset(void);

/* Agree on a failure: `failed` is this rank's verdict (its error record
** set when 1).  One 4-byte Allreduce ("io"); when some rank failed, the
** lowest failing rank broadcasts its error (kind, code, message) so every
** rank returns -1 with the same record.  Returns 0 when no rank failed. */
int ha__io_agree(int failed, ha_comm *c);

/* Rank 0 checks that `path` names an existing regular file it can read
** and broadcasts the verdict: FileNotFoundError "[Errno 2] No such file or
** directory: 'path'", IsADirectory/permission problems as IOError.  On
** success *size (may be NULL) is the file size on every rank. */
int ha__io_check_readable(const char *path, int64_t *size, ha_comm *c);

/* The temporary name for saving `path`: "<dir>/.<base>.ha-tmp-<pid>",
** with rank 0's pid broadcast so that every rank uses the same name.
** Returns a malloc'd string (NULL with MemoryError agreed). */
char *ha__io_tmpname(const char *path, ha_comm *c);

/* Finish a save: agree on `failed`; when nobody failed, rank 0 renames tmp
** over path (the result of the rename is agreed too).  On any failure rank
** 0 removes tmp.  Returns 0 or -1 (same on every rank). */
int ha__io_commit(int failed, const char *tmp, const char *path, ha_comm *c);

/* Rank 0 copies the file src to dst (mode 'a'/'r+' of the HDF5 saver
** starts from a copy of the existing file); verdict agreed. */
int ha__io_copy_file(const char *src, const char *dst, ha_comm *c);

#endif
