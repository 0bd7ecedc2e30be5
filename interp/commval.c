/*
** commval.c — the communicator value: the global `comm`, ht.MPI_WORLD and
** every array's x.comm.  comm.rank is the one rank-local attribute.
*/
#include <stdlib.h>
#include <string.h>

#include <ha.h>
#include "interp.h"

typedef struct hi_commobj {
	hi_obj h;
	ha_comm *comm;
} hi_commobj;

hi_val hi_comm_value(ha_comm *c)
{
	hi_commobj *o = hi_obj_alloc(sizeof *o, HI_COMM);
	if (!o)
		return hi_raise(hi_MemoryError, "out of memory");
	o->comm = c;
	return hi_objval(o, HI_COMM);
}

ha_comm *hi_comm_of(hi_val v) { return ((hi_commobj *)v.o)->comm; }

static hi_val comm_getattr(hi_val self, const char *name)
{
	ha_comm *c = hi_comm_of(self);
	if (strcmp(name, "rank") == 0)
		return hi_setlocal(hi_int(c->rank), 1);
	if (strcmp(name, "size") == 0)
		return hi_int(c->size);
	return hi_absent();
}

static hi_val comm_repr(hi_val v)
{
	ha_comm *c = hi_comm_of(v);
	return hi_str_fmt("<MPI communicator of size %d>", c->size);
}

static hi_val comm_barrier(hi_val *args, void *ctx)
{
	(void)ctx;
	if (ha_barrier(hi_comm_of(args[0]), "Barrier"))
		return hi_raise(hi_RuntimeError, "%s", ha_error_msg());
	return hi_none();
}

static hi_val comm_is_distributed(hi_val *args, void *ctx)
{
	(void)ctx;
	return hi_bool(hi_comm_of(args[0])->size > 1);
}

static const hi_builtin_def comm_methods[] = {
	{ "Barrier(self)", comm_barrier,
	  "Block until every rank of the communicator has reached this call.\n"
	  "Collective; moves no data." },
	{ "is_distributed(self)", comm_is_distributed,
	  "True when the communicator has more than one rank. Not collective." },
	{ 0 }
};

static const char *const comm_attrs[] = { "rank", "size", NULL };

void hi_init_comm(void)
{
	hi_register_methods(HI_COMM, comm_methods);
	hi_register_getattr(HI_COMM, comm_getattr);
	hi_register_attrnames(HI_COMM, comm_attrs);
	hi_slots_of(HI_COMM)->repr = comm_repr;
	hi_val c = hi_comm_value(ha_comm_world());
	hi_dict_set_str(hi_S.builtins, "comm", c);
	hi_decref(c);
}
