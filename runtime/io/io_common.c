/*
** io_common.c — error agreement, path checks and the temporary-file rule
** shared by the HDF5 and CSV readers and writers.
**
** File-system answers can differ between ranks (a file visible on one
** node only, a full disk on another), so every verdict is either taken on
** rank 0 and broadcast, or agreed with one Allreduce; the error text is the
** lowest failing rank's, broadcast to all.  That keeps a failing load or
** save from leaving ranks in different places (a hang at the next
** collective).
*/
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_internal.h"

static ha_io_errcode io_code = HA_IO_OK;

ha_io_errcode ha_io_error_code(void)
{
	return io_code;
}

void ha__io_reset(void)
{
	io_code = HA_IO_OK;
}

int ha__io_fail(ha_io_errcode code, ha_errkind kind, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	io_code = code;
	return ha_error_set(kind, "%s", msg);
}

/* What travels from the failing rank to the others. */
typedef struct io_err {
	int32_t kind, code;
	char msg[1024];
} io_err;

int ha__io_agree(int failed, ha_comm *c)
{
	int32_t mine = failed ? c->rank : c->size, low;
	if (ha_allreduce(&mine, &low, 1, MPI_INT32_T, MPI_MIN, c, "io"))
		return -1;
	if (low >= c->size)
		return 0;
	io_err e;
	memset(&e, 0, sizeof e);
	if (c->rank == low) {
		e.kind = ha_error_kind() == HA_OK ? HA_EIO : (int32_t)ha_error_kind();
		e.code = io_code == HA_IO_OK ? HA_IO_OTHER : io_code;
		snprintf(e.msg, sizeof e.msg, "%s", ha_error_msg());
	}
	if (ha_bcast(&e, (int64_t)sizeof e, low, c, "io"))
		return -1;
	return ha__io_fail((ha_io_errcode)e.code, (ha_errkind)e.kind, "%s", e.msg);
}

/* An OSError text like Python's: "[Errno 2] No such file or directory: 'x'". */
static int fail_errno(int err, const char *path)
{
	return ha__io_fail(err == ENOENT ? HA_IO_NOTFOUND : HA_IO_OTHER, HA_EIO,
	                   "[Errno %d] %s: '%s'", err, strerror(err), path);
}

int ha__io_check_readable(const char *path, int64_t *size, ha_comm *c)
{
	int failed = 0;
	int64_t sz = 0;
	if (c->rank == 0) {
		struct stat st;
		if (stat(path, &st) != 0)
			failed = fail_errno(errno, path) != 0;
		else if (S_ISDIR(st.st_mode))
			failed = fail_errno(EISDIR, path) != 0;
		else if (access(path, R_OK) != 0)
			failed = fail_errno(errno, path) != 0;
		else
			sz = (int64_t)st.st_size;
	}
	if (ha__io_agree(failed, c))
		return -1;
	if (size) {
		if (ha_bcast(&sz, (int64_t)sizeof sz, 0, c, "io"))
			return -1;
		*size = sz;
	}
	return 0;
}

char *ha__io_tmpname(const char *path, ha_comm *c)
{
	int64_t pid = (int64_t)getpid();
	if (ha_bcast(&pid, (int64_t)sizeof pid, 0, c, "io"))
		return NULL;
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = path + dirlen;
	size_t n = strlen(path) + 48;
	char *t = malloc(n);
	int failed = 0;
	if (!t)
		failed = ha__io_fail(HA_IO_OTHER, HA_EMEMORY, "out of memory") != 0;
	else
		snprintf(t, n, "%.*s.%s.ha-tmp-%lld", (int)dirlen, path, base, (long long)pid);
	if (ha__io_agree(failed, c)) {
		free(t);
		return NULL;
	}
	return t;
}

int ha__io_commit(int failed, const char *tmp, const char *path, ha_comm *c)
{
	int rc = ha__io_agree(failed, c);
	if (rc == 0) {
		int bad = 0;
		if (c->rank == 0 && rename(tmp, path) != 0)
			bad = fail_errno(errno, path) != 0;
		rc = ha__io_agree(bad, c);
	}
	if (rc != 0 && c->rank == 0)
		unlink(tmp);
	return rc;
}

int ha__io_copy_file(const char *src, const char *dst, ha_comm *c)
{
	int failed = 0;
	if (c->rank == 0) {
		int in = open(src, O_RDONLY), out = -1;
		if (in < 0)
			failed = fail_errno(errno, src) != 0;
		else if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
			failed = fail_errno(errno, dst) != 0;
		char buf[1 << 16];
		while (!failed) {
			ssize_t n = read(in, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				failed = fail_errno(errno, src) != 0;
				break;
			}
			if (n == 0)
				break;
			for (ssize_t done = 0; done < n && !failed;) {
				ssize_t w = write(out, buf + done, (size_t)(n - done));
				if (w < 0 && errno == EINTR)
					continue;
				if (w < 0)
					failed = fail_errno(errno, dst) != 0;
				else
					done += w;
			}
		}
		if (in >= 0)
			close(in);
		if (out >= 0 && close(out) != 0 && !failed)
			failed = fail_errno(errno, dst) != 0;
		if (failed && out >= 0)
			unlink(dst);
	}
	return ha__io_agree(failed, c);
}
