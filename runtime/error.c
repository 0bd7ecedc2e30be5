/*
** error.c — the runtime's error record: one per process (the runtime is
** called from one thread per rank; OpenMP regions never set errors).
** Functions fail by returning NULL or -1 after ha_error_set(); the caller
** (the interpreter, a test) reads kind and message and clears it.
*/
#include <stdarg.h>
#include <stdio.h>
#include "ha.h"

static ha_errkind err_kind = HA_OK;
static char err_msg[1024];

ha_errkind ha_error_kind(void)
{
	return err_kind;
}

const char *ha_error_msg(void)
{
	return err_msg;
}

void ha_error_clear(void)
{
	err_kind = HA_OK;
	err_msg[0] = '\0';
}

int ha_error_set(ha_errkind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err_msg, sizeof err_msg, fmt, ap);
	va_end(ap);
	err_kind = kind;
	return -1;
}
