/*
** hdf5.c — parallel HDF5 load and save (Heat's load_hdf5 / save_hdf5).
**
** Every rank opens the file through the MPI-IO driver and moves only its
** own hyperslab of the split axis, in one collective transfer
** (H5FD_MPIO_COLLECTIVE), so no rank ever holds more than its chunk and no
** data travels through MPI messages of ours.  A replicated array is read
** whole by every rank, and written in parallel by cutting its first axis
** into balanced pieces (each rank writes one piece of its full copy), as
** Heat does.  HDF5's own error stack printing is switched off; failures
** are turned into ha errors and agreed across ranks (io_common.c).
**
** Types follow h5py so that files are interchangeable with Python: bool is
** an int8 enum {FALSE = 0, TRUE = 1}, complex a compound {r, i}.
*/
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "io_internal.h"

int ha_hdf5_supported(void)
{
	return 1;
}

/* Silence HDF5's automatic error printing (it would write a stack trace
** to stderr on every failed probe). */
static void quiet(void)
{
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static hid_t fapl_mpio(ha_comm *c)
{
	hid_t p = H5Pcreate(H5P_FILE_ACCESS);
	if (p >= 0 && H5Pset_fapl_mpio(p, c->mpi, MPI_INFO_NULL) < 0) {
		H5Pclose(p);
		return -1;
	}
	return p;
}

/* Open `file` through the MPI-IO driver (read-only, read-write, or created
** anew when `how` is H5F_ACC_TRUNC).  On failure the error names `path`,
** the user's name for the file, and *failed is set. */
static hid_t open_mpio(const char *file, const char *path, unsigned how, ha_comm *c, int *failed)
{
	hid_t fapl = fapl_mpio(c), f = -1;
	if (fapl >= 0)
		f = how == H5F_ACC_TRUNC ? H5Fcreate(file, how, H5P_DEFAULT, fapl) : H5Fopen(file, how, fapl);
	if (f < 0)
		*failed = ha__io_fail(HA_IO_OTHER, HA_EIO, how == H5F_ACC_TRUNC ? "Unable to create '%s'"
		                      : "Unable to open '%s' (not an HDF5 file)", path) != 0;
	if (fapl >= 0)
		H5Pclose(fapl);
	return f;
}

/* ---- types ---- */

/* h5py's bool: an int8 enum FALSE/TRUE.  New type id. */
static hid_t bool_type(void)
{
	hid_t t = H5Tenum_create(H5T_NATIVE_INT8);
	int8_t v = 0;
	H5Tenum_insert(t, "FALSE", &v);
	v = 1;
	H5Tenum_insert(t, "TRUE", &v);
	return t;
}

/* h5py's complex: compound {r, i} of float or double.  New type id. */
static hid_t complex_type(hid_t part)
{
	size_t sz = H5Tget_size(part);
	hid_t t = H5Tcreate(H5T_COMPOUND, 2 * sz);
	H5Tinsert(t, "r", 0, part);
	H5Tinsert(t, "i", sz, part);
	return t;
}

/* The in-memory HDF5 type of a dtype (close with H5Tclose). */
static hid_t mem_type(ha_dtype t)
{
	switch (t) {
	case HA_BOOL: return bool_type();
	case HA_UINT8: return H5Tcopy(H5T_NATIVE_UINT8);
	case HA_INT8: return H5Tcopy(H5T_NATIVE_INT8);
	case HA_INT16: return H5Tcopy(H5T_NATIVE_INT16);
	case HA_INT32: return H5Tcopy(H5T_NATIVE_INT32);
	case HA_INT64: return H5Tcopy(H5T_NATIVE_INT64);
	case HA_FLOAT32: return H5Tcopy(H5T_NATIVE_FLOAT);
	case HA_FLOAT64: return H5Tcopy(H5T_NATIVE_DOUBLE);
	case HA_COMPLEX64: return complex_type(H5T_NATIVE_FLOAT);
	case HA_COMPLEX128: return complex_type(H5T_NATIVE_DOUBLE);
	default: return -1;
	}
}

/* The ha dtype of a file type; -1 when ha has no matching type. */
static int file_dtype(hid_t t)
{
	size_t sz = H5Tget_size(t);
	switch (H5Tget_class(t)) {
	case H5T_INTEGER:
		if (H5Tget_sign(t) == H5T_SGN_NONE)
			return sz == 1 ? HA_UINT8 : -1;
		return sz == 1 ? HA_INT8 : sz == 2 ? HA_INT16 : sz == 4 ? HA_INT32 : sz == 8 ? HA_INT64 : -1;
	case H5T_FLOAT:
		return sz == 4 ? HA_FLOAT32 : sz == 8 ? HA_FLOAT64 : -1;
	case H5T_ENUM: {
		if (H5Tget_nmembers(t) != 2 || sz != 1)
			return -1;
		int ok = 1;
		for (unsigned i = 0; i < 2; i++) {
			char *name = H5Tget_member_name(t, i);
			int8_t v = -1;
			H5Tget_member_value(t, i, &v);
			if (!name || strcmp(name, v == 0 ? "FALSE" : "TRUE") || (v != 0 && v != 1))
				ok = 0;
			H5free_memory(name);
		}
		return ok ? HA_BOOL : -1;
	}
	case H5T_COMPOUND: {
		if (H5Tget_nmembers(t) != 2)
			return -1;
		int ok = 1;
		size_t part = 0;
		for (unsigned i = 0; i < 2; i++) {
			char *name = H5Tget_member_name(t, i);
			hid_t mt = H5Tget_member_type(t, i);
			if (!name || strcmp(name, i ? "i" : "r") || H5Tget_class(mt) != H5T_FLOAT)
				ok = 0;
			size_t s = H5Tget_size(mt);
			if (i && s != part)
				ok = 0;
			part = s;
			H5Tclose(mt);
			H5free_memory(name);
		}
		if (!ok)
			return -1;
		return part == 4 ? HA_COMPLEX64 : part == 8 ? HA_COMPLEX128 : -1;
	}
	default:
		return -1;
	}
}

/* ---- datasets ---- */

/* 1 when `name` (possibly "g/h/x") is a dataset in f, 0 when some part
** of the path is missing, 2 when it names something that is not a
** dataset.  Every prefix is probed because H5Lexists fails on a missing
** intermediate group. */
static int dataset_status(hid_t f, const char *name)
{
	size_t n = strlen(name);
	char *p = malloc(n + 1);
	if (!p)
		return 0;
	memcpy(p, name, n + 1);
	int st = 1;
	for (size_t i = 1; i <= n && st; i++) {
		if (i < n && p[i] != '/')
			continue;
		char save = p[i];
		p[i] = '\0';
		if (H5Lexists(f, p, H5P_DEFAULT) <= 0)
			st = 0;
		p[i] = save;
	}
	if (st) {
		H5O_info_t info;
		if (H5Oget_info_by_name(f, name, &info, H5P_DEFAULT) < 0)
			st = 0;
		else if (info.type != H5O_TYPE_DATASET)
			st = 2;
	}
	free(p);
	return st;
}

static int bad_name(const char *dataset)
{
	const char *s = dataset;
	while (*s == '/')
		s++;
	return *s == '\0';
}

/* Select [off, off + cnt) along axis ax (everything else whole) in space
** sp of extent ext; cnt == 0 selects nothing.  ndim 0: all or none. */
static int select_slab(hid_t sp, int ndim, const int64_t *ext, int ax, int64_t off, int64_t cnt)
{
	if (cnt == 0)
		return H5Sselect_none(sp) < 0 ? -1 : 0;
	if (ndim == 0)
		return H5Sselect_all(sp) < 0 ? -1 : 0;
	hsize_t start[HA_MAXDIM], count[HA_MAXDIM];
	for (int d = 0; d < ndim; d++) {
		start[d] = 0;
		count[d] = (hsize_t)ext[d];
	}
	start[ax] = (hsize_t)off;
	count[ax] = (hsize_t)cnt;
	return H5Sselect_hyperslab(sp, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ? -1 : 0;
}

static hid_t make_space(int ndim, const int64_t *ext)
{
	if (ndim == 0)
		return H5Screate(H5S_SCALAR);
	hsize_t dims[HA_MAXDIM] = { 0 };
	for (int d = 0; d < ndim; d++)
		dims[d] = (hsize_t)ext[d];
	return H5Screate_simple(ndim, dims, NULL);
}

static hid_t dxpl_collective(void)
{
	hid_t p = H5Pcreate(H5P_DATASET_XFER);
	if (p >= 0 && H5Pset_dxpl_mpio(p, H5FD_MPIO_COLLECTIVE) < 0) {
		H5Pclose(p);
		return -1;
	}
	return p;
}

/* Move this rank's part: along axis ax, file rows [foff, foff + cnt) from
** or to memory rows [moff, moff + cnt) of a buffer of shape mshape.  One
** collective transfer (every rank calls it, possibly with nothing). */
static int transfer(int writing, hid_t ds, hid_t mtype, int ndim, const int64_t *gshape,
                    const int64_t *mshape, int ax, int64_t foff, int64_t moff, int64_t cnt, void *buf)
{
	static char dummy[16];
	hid_t fsp = make_space(ndim, gshape), msp = make_space(ndim, mshape), x = dxpl_collective();
	int rc = -1;
	if (fsp >= 0 && msp >= 0 && x >= 0 && !select_slab(fsp, ndim, gshape, ax, foff, cnt)
	    && !select_slab(msp, ndim, mshape, ax, moff, cnt)) {
		void *p = buf ? buf : dummy;
		herr_t e = writing ? H5Dwrite(ds, mtype, msp, fsp, x, p) : H5Dread(ds, mtype, msp, fsp, x, p);
		rc = e < 0 ? -1 : 0;
	}
	if (x >= 0)
		H5Pclose(x);
	if (msp >= 0)
		H5Sclose(msp);
	if (fsp >= 0)
		H5Sclose(fsp);
	return rc;
}

/* Move a's part of dataset ds (0 or -1): a split array its own chunk; a
** replicated one reads all of it and writes a balanced piece of axis 0
** (rank 0 the whole of a 0-d array), as Heat does. */
static int move_part(int writing, hid_t ds, const ha_array *a)
{
	int dim = 0;
	int64_t foff = 0, moff = 0, cnt = a->ndim ? a->gshape[0] : 1;
	if (a->split >= 0) {
		dim = a->split;
		foff = a->loffset;
		cnt = a->lshape[dim];
	} else if (writing && a->ndim > 0) {
		ha_chunk(a->gshape[0], a->comm->size, a->comm->rank, &foff, &cnt);
		moff = foff;
	} else if (writing) {
		cnt = a->comm->rank == 0;
	}
	hid_t mt = mem_type(a->dtype);
	int rc = mt < 0 || transfer(writing, ds, mt, a->ndim, a->gshape, a->lshape, dim, foff, moff, cnt, a->data)
	         ? -1 : 0;
	if (mt >= 0)
		H5Tclose(mt);
	return rc;
}

/* Close what a load or save opened (ids < 0 were never opened). */
static void close_dataset(hid_t sp, hid_t ft, hid_t ds)
{
	if (sp >= 0)
		H5Sclose(sp);
	if (ft >= 0)
		H5Tclose(ft);
	if (ds >= 0)
		H5Dclose(ds);
}

/* ---- load ---- */

ha_array *ha_load_hdf5(const char *path, const char *dataset, int dtype, const int *split,
                       ha_device dev, ha_comm *comm)
{
	ha__io_reset();
	if (!comm)
		comm = ha_comm_world();
	quiet();
	if (ha__io_check_readable(path, NULL, comm))
		return NULL;
	int failed = 0;
	hid_t f = open_mpio(path, path, H5F_ACC_RDONLY, comm, &failed), ds = -1, ft = -1, sp = -1;
	ha_array *a = NULL;
	int64_t gshape[HA_MAXDIM];
	int ndim = 0, ft_dtype = -1, ax = HA_SPLIT_NONE;
	if (ha__io_agree(failed, comm))
		goto done;

	int st = bad_name(dataset) ? 0 : dataset_status(f, dataset);
	if (st == 0)
		failed = ha__io_fail(HA_IO_NOKEY, HA_EVALUE, "dataset '%s' doesn't exist in '%s'", dataset, path) != 0;
	else if (st == 2)
		failed = ha__io_fail(HA_IO_NOKEY, HA_EVALUE, "'%s' in '%s' is a group, not a dataset", dataset, path) != 0;
	else if ((ds = H5Dopen2(f, dataset, H5P_DEFAULT)) < 0 || (ft = H5Dget_type(ds)) < 0
	         || (sp = H5Dget_space(ds)) < 0)
		failed = ha__io_fail(HA_IO_OTHER, HA_EIO, "Unable to open dataset '%s' in '%s'", dataset, path) != 0;
	if (ha__io_agree(failed, comm))
		goto done;

	ft_dtype = file_dtype(ft);
	ndim = H5Sget_simple_extent_ndims(sp);
	if (ft_dtype < 0)
		failed = ha__io_fail(HA_IO_OTHER, HA_ETYPE, "dataset '%s' in '%s' has a type ha cannot load "
		                     "(supported: bool, uint8, int8, int16, int32, int64, float32, float64, "
		                     "complex64, complex128)", dataset, path) != 0;
	else if (ndim < 0 || ndim > HA_MAXDIM)
		failed = ha__io_fail(HA_IO_OTHER, HA_EVALUE, "dataset '%s' in '%s' has %d dimensions (at most %d "
		                     "are supported)", dataset, path, ndim, HA_MAXDIM) != 0;
	else {
		hsize_t dims[HA_MAXDIM];
		H5Sget_simple_extent_dims(sp, dims, NULL);
		for (int d = 0; d < ndim; d++)
			gshape[d] = (int64_t)dims[d];
		if (split) {
			ax = *split < 0 ? *split + ndim : *split;
			if (ax < 0 || ax >= ndim)
				failed = ha__io_fail(HA_IO_OTHER, HA_EVALUE, "split axis %d is out of bounds for array of "
				                     "dimension %d", *split, ndim) != 0;
		}
	}
	if (ha__io_agree(failed, comm))
		goto done;

	a = ha_array_alloc((ha_dtype)ft_dtype, ndim, gshape, ax, dev, comm);
	if (!a)
		goto done;
	if (ha_gnumel(a) > 0 && move_part(0, ds, a))
		failed = ha__io_fail(HA_IO_OTHER, HA_EIO, "Unable to read dataset '%s' of '%s'", dataset, path) != 0;
	if (ha__io_agree(failed, comm)) {
		ha_release(a);
		a = NULL;
	}
done:
	close_dataset(sp, ft, ds);
	if (f >= 0)
		H5Fclose(f);
	if (a && dtype >= 0 && (ha_dtype)dtype != a->dtype && ha_astype_(a, (ha_dtype)dtype)) {
		ha_release(a);
		a = NULL;
	}
	return a;
}

/* ---- save ---- */

/* The file type of a dtype: little-endian standard types like h5py's. */
static hid_t file_type(ha_dtype t)
{
	switch (t) {
	case HA_UINT8: return H5Tcopy(H5T_STD_U8LE);
	case HA_INT8: return H5Tcopy(H5T_STD_I8LE);
	case HA_INT16: return H5Tcopy(H5T_STD_I16LE);
	case HA_INT32: return H5Tcopy(H5T_STD_I32LE);
	case HA_INT64: return H5Tcopy(H5T_STD_I64LE);
	case HA_FLOAT32: return H5Tcopy(H5T_IEEE_F32LE);
	case HA_FLOAT64: return H5Tcopy(H5T_IEEE_F64LE);
	case HA_COMPLEX64: return complex_type(H5T_IEEE_F32LE);
	case HA_COMPLEX128: return complex_type(H5T_IEEE_F64LE);
	default: return bool_type();
	}
}

int ha_save_hdf5(const ha_array *a, const char *path, const char *dataset, const char *mode)
{
	ha__io_reset();
	ha_comm *c = a->comm;
	if (strcmp(mode, "w") && strcmp(mode, "a") && strcmp(mode, "r+"))
		return ha__io_fail(HA_IO_OTHER, HA_EVALUE, "mode was %s, not in possible modes "
		                   "frozenset({'w', 'a', 'r+'})", mode);
	if (bad_name(dataset))
		return ha__io_fail(HA_IO_OTHER, HA_EVALUE, "dataset name '%s' is empty", dataset);
	quiet();
	/* does the target exist?  'r+' requires it; 'a' starts from it */
	int exists = 0;
	if (!strcmp(mode, "r+")) {
		if (ha__io_check_readable(path, NULL, c))
			return -1;
		exists = 1;
	} else if (!strcmp(mode, "a")) {
		int32_t e = 0;
		struct stat st;
		if (c->rank == 0)
			e = stat(path, &st) == 0 ? 1 : errno == ENOENT ? 0 : -1;
		if (ha_bcast(&e, 4, 0, c, "io"))
			return -1;
		if (e < 0)      /* there but not usable: report why */
			return ha__io_check_readable(path, NULL, c);
		exists = e;
	}
	char *tmp = ha__io_tmpname(path, c);
	if (!tmp)
		return -1;
	if (exists && ha__io_copy_file(path, tmp, c)) {
		free(tmp);
		return -1;
	}
	int failed = 0, agreed = 0;
	hid_t f = open_mpio(tmp, path, exists ? H5F_ACC_RDWR : H5F_ACC_TRUNC, c, &failed);
	hid_t ds = -1, ft = -1, sp = -1, lcpl = -1;
	if (ha__io_agree(failed, c)) {
		agreed = 1;
		goto done;
	}

	if (exists && dataset_status(f, dataset) != 0)
		failed = ha__io_fail(HA_IO_OTHER, HA_EVALUE, "Unable to create dataset (name already exists): "
		                     "'%s' in '%s'", dataset, path) != 0;
	if (ha__io_agree(failed, c)) {
		agreed = 1;
		goto done;
	}

	ft = file_type(a->dtype);
	sp = make_space(a->ndim, a->gshape);
	lcpl = H5Pcreate(H5P_LINK_CREATE);
	if (lcpl >= 0)
		H5Pset_create_intermediate_group(lcpl, 1);
	if (ft < 0 || sp < 0 || lcpl < 0
	    || (ds = H5Dcreate2(f, dataset, ft, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT)) < 0)
		failed = ha__io_fail(HA_IO_OTHER, HA_EIO, "Unable to create dataset '%s' in '%s'", dataset, path) != 0;
	if (ha__io_agree(failed, c)) {
		agreed = 1;
		goto done;
	}

	if (ha_gnumel(a) > 0 && move_part(1, ds, a))
		failed = ha__io_fail(HA_IO_OTHER, HA_EIO, "Unable to write dataset '%s' of '%s'", dataset, path) != 0;
done:
	if (lcpl >= 0)
		H5Pclose(lcpl);
	close_dataset(sp, ft, ds);
	if (f >= 0 && H5Fclose(f) < 0 && !failed)
		failed = ha__io_fail(HA_IO_OTHER, HA_EIO, "Unable to write '%s'", path) != 0;
	/* an error agreed above is already set on every rank: keep it */
	int rc = -1;
	if (!agreed)
		rc = ha__io_commit(failed, tmp, path, c);
	else if (c->rank == 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
