/*
** device.c — device names.  Only "cpu" is valid until a GPU backend has
** been loaded and reported its device count (ha_device_set_gpu_count).
** Heat accepts exactly the keys "cpu" and, with a GPU, "gpu"/"cuda"; the
** name is stripped and lower-cased first.
*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "ha.h"

static int gpu_count;

int ha_device_gpu_count(void)
{
	return gpu_count;
}

void ha_device_set_gpu_count(int n)
{
	gpu_count = n > 0 ? n : 0;
}

int ha_device_from_name(const char *name, ha_device *out)
{
	char key[16];
	size_t n = 0;
	const char *s = name ? name : "";
	const char *e;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if ((size_t)(e - s) < sizeof key) {
		for (; s < e; s++)
			key[n++] = (char)tolower((unsigned char)*s);
		key[n] = '\0';
		if (strcmp(key, "cpu") == 0) {
			out->kind = HA_CPU;
			out->id = 0;
			return 0;
		}
		if (gpu_count > 0 && (strcmp(key, "gpu") == 0 || strcmp(key, "cuda") == 0)) {
			int rank = 0;
			ha_comm *w = ha_comm_world();
			if (w)
				rank = w->rank;
			/* Heat: gpu id = MPI rank % device count */
			out->kind = HA_GPU;
			out->id = rank % gpu_count;
			return 0;
		}
	}
	if (gpu_count > 0)
		return ha_error_set(HA_EVALUE, "Unknown device, must be one of cpu, gpu");
	return ha_error_set(HA_EVALUE, "Unknown device, must be one of cpu");
}

const char *ha_device_str(ha_device d, char *buf, size_t n)
{
	snprintf(buf, n, "%s:%d", d.kind == HA_GPU ? "gpu" : "cpu", d.kind == HA_GPU ? d.id : 0);
	return buf;
}
