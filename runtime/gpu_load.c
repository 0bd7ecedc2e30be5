/*
** gpu_load.c — finding a GPU backend at start-up (ha_init calls
** ha__gpu_load; collective).
**
** The backend is a shared library built by `make gpu` (kernels/gpu):
** build/libha_cuda.so (nvcc) or build/libha_hip.so (hipcc), exporting the
** kernel table `hk_gpu_table` and `hk_gpu_probe`.  The library named by
** the environment variable HA_GPU_LIB is tried, else libha_cuda.so and then
** libha_hip.so in the directory of the running binary.  Any failure (no
** library, missing symbols, no driver, no device: every runtime error means
** "no GPU") leaves the device list at ["cpu"] and device="gpu" raises the
** usual ValueError; ha_device_gpu_note() says why.  Ranks agree on the
** smallest device count (one Allreduce) so device errors stay collective.
**
** A backend that answers is NOT enabled yet: array buffers are host
** memory (runtime/array.c) and MPI transfers read them directly, so the
** GPU table must not see them.  Enabling it needs allocation through the
** table's alloc/free and host staging around MPI; until then the note
** records the device count and that GPU arrays are off.
*/
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ha.h"
#include "internal.h"

static void *lib;
static char note[512] = "no GPU backend was looked for";

const char *ha_device_gpu_note(void)
{
	return note;
}

/* dlopen `path`; on failure append dlerror() to note[] */
static void *try_open(const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(note, sizeof note, "no GPU backend: %.400s", e ? e : path);
	}
	return h;
}

static void *find_lib(void)
{
	const char *env = getenv("HA_GPU_LIB");
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n;
	void *h;
	if (env && *env)
		return try_open(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		snprintf(note, sizeof note, "no GPU backend: the binary's directory is unknown");
		return NULL;
	}
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(path, sizeof path, "%s/libha_cuda.so", exe);
	if (access(path, F_OK) == 0 && (h = try_open(path)))
		return h;
	snprintf(path, sizeof path, "%s/libha_hip.so", exe);
	if (access(path, F_OK) == 0 && (h = try_open(path)))
		return h;
	if (!strstr(note, "no GPU backend: "))
		snprintf(note, sizeof note, "no GPU backend: no libha_cuda.so or libha_hip.so in %.400s", exe);
	return NULL;
}

/* The local device count, 0 with note[] set when there is none. */
static int probe(void)
{
	int (*probe_fn)(char *, size_t);
	char why[192] = "";
	int count;
	note[0] = '\0';
	if (!(lib = find_lib()))
		return 0;
	*(void **)&probe_fn = dlsym(lib, "hk_gpu_probe");
	if (!probe_fn || !dlsym(lib, "hk_gpu_table")) {
		snprintf(note, sizeof note, "no GPU backend: the library lacks hk_gpu_probe/hk_gpu_table");
		return 0;
	}
	count = probe_fn(why, sizeof why);
	if (count <= 0)
		snprintf(note, sizeof note, "no GPU: %s", why);
	return count > 0 ? count : 0;
}

void ha__gpu_load(void)
{
	int local = probe(), count = local;
	ha_comm *w = ha_comm_world();
	if (w && w->size > 1)
		MPI_Allreduce(&local, &count, 1, MPI_INT, MPI_MIN, w->mpi);
	if (count > 0)
		snprintf(note, sizeof note, "GPU backend found with %d device(s); GPU arrays are not "
		         "enabled (array buffers are host memory)", count);
	else if (local > 0)
		snprintf(note, sizeof note, "no GPU: another rank has none");
	/* GPU arrays stay off (see the top of this file): the count is not
	** published and the table not registered. */
	if (w && w->rank == 0 && getenv("HA_GPU_LIB"))
		fprintf(stderr, "ha: %s\n", note);
}

void ha__gpu_unload(void)
{
	if (lib)
		dlclose(lib);
	lib = NULL;
}
