/*
** import.c — `import` and `from ... import`, for compatibility with Heat
** code: `import heat as ht` binds the built-in heat namespace, `import
** math` / `import time` / `import sys` bind the built-in modules.  There
** is no file-based module system; any other name is a
** ModuleNotFoundError, as Python reports it.
*/
#include <string.h>

#include "eval_internal.h"

/* The module (or submodule) named by a dotted path: new ref or error. */
static hi_val find_module(const char *dotted)
{
	char head[256];
	size_t k = strcspn(dotted, ".");
	if (k >= sizeof head)
		k = sizeof head - 1;
	memcpy(head, dotted, k);
	head[k] = 0;
	hi_val m;
	if (hi_dict_get_str(hi_S.modules, head, &m) <= 0)
		return hi_raise(hi_ModuleNotFoundError, "No module named '%s'", head);
	const char *rest = dotted + k;
	while (*rest == '.') {
		rest++;
		char part[256];
		size_t n = strcspn(rest, ".");
		if (n >= sizeof part)
			n = sizeof part - 1;
		memcpy(part, rest, n);
		part[n] = 0;
		rest += n;
		hi_val sub = hi_getattr(m, part);
		hi_decref(m);
		if (hi_iserr(sub) || sub.kind != HI_MODULE) {
			if (!hi_iserr(sub))
				hi_decref(sub);
			hi_exc_clear();
			return hi_raise(hi_ModuleNotFoundError, "No module named '%s'", dotted);
		}
		m = sub;
	}
	return m;
}

hi_exit hi_exec_import(hg_node *s, hi_frame *fr)
{
	if (s->kind == HG_IMPORT) {
		hi_val m = find_module(s->v.s);
		if (hi_iserr(m))
			return hi_err_at(fr, s), EX_ERROR;
		int rc;
		if (s->name2) {
			rc = hi_store_named(fr, s->name2, m);
		} else {
			/* `import a.b` binds a */
			hi_decref(m);
			char head[256];
			size_t k = strcspn(s->v.s, ".");
			if (k >= sizeof head)
				k = sizeof head - 1;
			memcpy(head, s->v.s, k);
			head[k] = 0;
			m = find_module(head);
			if (hi_iserr(m))
				return hi_err_at(fr, s), EX_ERROR;
			rc = hi_store_named(fr, head, m);
		}
		hi_decref(m);
		return rc ? EX_ERROR : EX_NORMAL;
	}
	hi_val m = find_module(s->v.s);
	if (hi_iserr(m))
		return hi_err_at(fr, s), EX_ERROR;
	int rc = 0;
	if (s->nkids == 0) {
		/* from m import *: every public name */
		hi_dict *d = hi_as_dict(hi_module_dict(m));
		for (size_t i = 0; i < d->used && !rc; i++) {
			hi_dict_entry *e = &d->entries[i];
			if (e->key.kind != HI_STR || hi_as_str(e->key)->s[0] == '_')
				continue;
			rc = hi_store_named(fr, hi_as_str(e->key)->s, e->value);
		}
	} else {
		for (int i = 0; i < s->nkids && !rc; i++) {
			hg_node *nm = s->kids[i];
			hi_val v = hi_getattr(m, nm->v.s);
			if (hi_iserr(v)) {
				hi_exc_clear();
				hi_raise(hi_ImportError, "cannot import name '%s' from '%s'", nm->v.s, s->v.s);
				rc = -1;
				break;
			}
			rc = hi_store_named(fr, nm->name2 ? nm->name2 : nm->v.s, v);
			hi_decref(v);
		}
	}
	hi_decref(m);
	if (rc) {
		hi_err_at(fr, s);
		return EX_ERROR;
	}
	return EX_NORMAL;
}
