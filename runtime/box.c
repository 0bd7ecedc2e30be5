/*
** box.c — copy a rectangular sub-block between two C-contiguous buffers.
** The packing and unpacking of resplit, redistribute and print, and the
** slicing of replicated data into a chunk, are all box copies.  Trailing
** axes the box covers completely (in source and destination) merge into
** one contiguous run, so a chunk of a split-0 array is a single memcpy.
*/
#include <string.h>
#include "ha.h"

#define PAR_BYTES (1 << 20)   /* below this a copy is not worth a thread team */

void ha_copy_box(size_t elsize, int ndim, const int64_t *box,
                 const void *src, const int64_t *sshape, const int64_t *soff,
                 void *dst, const int64_t *dshape, const int64_t *doff)
{
	int64_t sstr[HA_MAXDIM + 1], dstr[HA_MAXDIM + 1];
	int64_t total = 1, run, nruns = 1;
	int k;
	for (int d = 0; d < ndim; d++)
		total *= box[d];
	if (total == 0)
		return;
	if (ndim == 0) {
		memcpy(dst, src, elsize);
		return;
	}
	sstr[ndim - 1] = dstr[ndim - 1] = 1;
	for (int d = ndim - 2; d >= 0; d--) {
		sstr[d] = sstr[d + 1] * sshape[d + 1];
		dstr[d] = dstr[d + 1] * dshape[d + 1];
	}
	/* the run: axis k plus every later axis covered fully on both sides */
	k = ndim - 1;
	run = box[k];
	while (k > 0 && box[k] == sshape[k] && box[k] == dshape[k]) {
		k--;
		run *= box[k];
	}
	for (int d = 0; d < k; d++)
		nruns *= box[d];
	const char *s = src;
	char *t = dst;
	int64_t sbase = 0, dbase = 0;
	for (int d = 0; d < ndim; d++) {
		sbase += soff[d] * sstr[d];
		dbase += doff[d] * dstr[d];
	}
	size_t runbytes = (size_t)run * elsize;
#pragma omp parallel for schedule(static) if ((size_t)total * elsize > PAR_BYTES && nruns > 1)
	for (int64_t r = 0; r < nruns; r++) {
		int64_t rem = r, so = sbase, dof = dbase;
		for (int d = k - 1; d >= 0; d--) {
			int64_t i = rem % box[d];
			rem /= box[d];
			so += i * sstr[d];
			dof += i * dstr[d];
		}
		memcpy(t + (size_t)dof * elsize, s + (size_t)so * elsize, runbytes);
	}
}
