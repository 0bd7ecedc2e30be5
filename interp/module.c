/*
** module.c — modules and namespaces (ht, ht.linalg, math, time): a name,
** a docstring and a dict of members.  Attribute lookup on a module reads
** the dict (registry.c's hi_getattr); __name__ and __doc__ are answered
** here when the dict has no entry of that name.
*/
#include <stdlib.h>
#include <string.h>

#include "interp.h"

static void module_free(hi_obj *o)
{
	hi_module *m = (hi_module *)o;
	hi_decref(m->dict);
	free(m->name);
	free(m);
}

static hi_val module_repr(hi_val v)
{
	return hi_str_fmt("<module '%s'>", ((hi_module *)v.o)->name);
}

static hi_val module_getattr(hi_val self, const char *name)
{
	hi_module *m = (hi_module *)self.o;
	if (!strcmp(name, "__name__"))
		return hi_str_cstr(m->name);
	if (!strcmp(name, "__doc__"))
		return m->doc ? hi_str_cstr(m->doc) : hi_none();
	if (!strcmp(name, "__dict__"))
		return hi_incref(m->dict);
	return hi_absent();
}

void hi_module_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	hi_slots *s = hi_slots_of(HI_MODULE);
	s->free = module_free;
	s->repr = module_repr;
	hi_register_getattr(HI_MODULE, module_getattr);
	static const char *const names[] = { "__name__", "__doc__", NULL };
	hi_register_attrnames(HI_MODULE, names);
}

hi_val hi_module_new(const char *name, const char *doc)
{
	hi_module_init();
	hi_module *m = hi_obj_alloc(sizeof *m, HI_MODULE);
	char *nm = strdup(name);
	if (!m || !nm) {
		free(m);
		free(nm);
		return hi_raise(hi_MemoryError, "out of memory");
	}
	m->dict = hi_dict_new();
	if (hi_iserr(m->dict)) {
		free(m);
		free(nm);
		return hi_err();
	}
	m->name = nm;
	m->doc = doc;
	return hi_objval(m, HI_MODULE);
}

/* Register a module under its name in hi_S.modules (made if missing). */
int hi_module_install(hi_val module)
{
	if (hi_S.modules.kind != HI_DICT) {
		hi_S.modules = hi_dict_new();
		if (hi_iserr(hi_S.modules)) {
			hi_S.modules = hi_none();
			return -1;
		}
	}
	return hi_dict_set_str(hi_S.modules, ((hi_module *)module.o)->name, module);
}
