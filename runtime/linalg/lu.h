/*
** lu.h — distributed LU with partial pivoting (runtime/linalg/lu.c): inv,
** det and solve for a DISTRIBUTED square 2-D matrix without gathering it.
** Called by solve.c's ha_inv / ha_det / ha_solve when a is distributed
** (split 0 or 1 over more than one rank) and 2-D real (bool, integer,
** float32, float64); every other input keeps the replicated LAPACK path.
** Same contract, messages and result layouts as ha_factor.h describes.
** Not public API.
*/
#ifndef HA_LU_H
#define HA_LU_H

#include "ha.h"

ha_array *fl_lu_inv(const ha_array *a);
ha_array *fl_lu_det(const ha_array *a);
ha_array *fl_lu_solve(const ha_array *a, const ha_array *b);

#endif
