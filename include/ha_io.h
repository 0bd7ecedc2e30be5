/*
** ha_io.h — file input and output of distributed arrays (runtime/io/):
** parallel HDF5 (MPI-IO driver, collective transfers) and CSV.
**
** Every function here is collective over the communicator it is given
** (the array's for the savers).  Failures are agreed before returning:
** every rank returns the same failure with the same message (the lowest
** failing rank's), so a caller never sees a partial error.  Besides the
** error kind (ha_error_kind()), a failing call leaves a finer code in
** ha_io_error_code() so the interpreter can raise FileNotFoundError or
** KeyError where Python would.
**
** Saving never destroys a good file: the data go to a temporary file in
** the same directory ("<dir>/.<name>.ha-tmp-<pid>"), which rank 0 renames
** over the target only after every rank has written successfully; on
** failure the temporary file is removed and the target is untouched.
*/
#ifndef HA_IO_H
#define HA_IO_H

#include "ha.h"

typedef enum ha_io_errcode {
	HA_IO_OK = 0,
	HA_IO_NOTFOUND,      /* no such file: FileNotFoundError */
	HA_IO_NOKEY,         /* no such dataset in the file: KeyError */
	HA_IO_OTHER          /* anything else: the error kind decides */
} ha_io_errcode;

/* The code of the last failing I/O call (HA_IO_OK after a success).
** Not collective; identical on every rank after an agreed failure. */
ha_io_errcode ha_io_error_code(void);

/* ---- HDF5 (runtime/io/hdf5.c) ---- */

/* 1: this libha was built with parallel HDF5 (always, it is a dependency). */
int ha_hdf5_supported(void);

/* Read dataset `dataset` of the HDF5 file `path`.  dtype: the result's
** type, or -1 to keep the file's type (float32/64, int8/16/32/64, uint8,
** h5py's bool enum; anything else is a TypeError).  split: NULL for a
** replicated result (every rank reads the whole dataset), else the axis
** (negative counts from the end; ValueError when out of range).  Every
** rank opens the file with the MPI-IO driver and reads its own balanced
** hyperslab of the split axis in one collective transfer.  Errors:
** FileNotFoundError/HA_IO_NOTFOUND "[Errno 2] No such file or directory:
** 'x.h5'", KeyError/HA_IO_NOKEY for a missing dataset, IOError for a file
** that is not HDF5.  HDF5's own error printing is silenced. */
ha_array *ha_load_hdf5(const char *path, const char *dataset, int dtype, const int *split,
                       ha_device dev, ha_comm *comm);

/* Write a to dataset `dataset` of `path` in the array's own dtype (bool as
** h5py's FALSE/TRUE enum, complex as h5py's {r, i} compound).  mode as
** h5py: 'w' creates or truncates the file, 'a' adds to an existing file
** (creating it when missing), 'r+' adds to an existing file (it must
** exist).  Intermediate groups of a "g/h/name" dataset are created.
** ValueError when the dataset already exists or the mode is unknown.
** Each rank writes its own hyperslab in one collective transfer (rank 0
** alone for a replicated array).  Collective over a->comm. */
int ha_save_hdf5(const ha_array *a, const char *path, const char *dataset, const char *mode);

/* ---- CSV (runtime/io/csv.c) ---- */

/* Read a CSV file of numbers into a 2-D (rows, columns) array of dtype.
** header_lines lines at the start are skipped; sep separates the values
** (any non-empty string); blank lines are skipped; "\r\n" line ends are
** accepted.  split: HA_SPLIT_NONE (every rank parses the whole file), 0
** (each rank parses the lines that start in its own balanced byte range
** of the file; one Allgatherv of per-rank line counts, then the result is
** balanced like Heat's balance_()), or 1 (every rank parses the whole file
** and keeps its columns).  ValueError naming the line (1-based, counting
** header lines) for a ragged row or a value that is not a number. */
ha_array *ha_load_csv(const char *path, int64_t header_lines, const char *sep, ha_dtype dtype,
                      int split, ha_device dev, ha_comm *comm);

/* Write a 1-D or 2-D array as CSV in Heat's format: every value has the
** same width (from the global minimum and maximum), integers and bools as
** integers, floats with `decimals` digits after the point (-1: 7 for
** float32, 15 for float64); header lines (NULL-terminated list, may be
** NULL) are written first, each ending in a newline.  Rows are written in
** order with MPI-IO: each rank writes its own rows at the offset of the
** bytes before them (one Exscan).  A split-1 array is first resplit to 0.
** TypeError for complex data, ValueError for ndim > 2. */
int ha_save_csv(const ha_array *a, const char *path, const char *const *header_lines,
                const char *sep, int decimals);

#endif
