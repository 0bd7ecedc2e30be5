#!/bin/sh
# mpirun.sh — mpirun with the settings ha's tests need on a container or
# small VM: running as root, more ranks than cores, the fast shared-memory
# copy path and the quick-starting ob1 messaging layer.  Test use only.
export OMPI_ALLOW_RUN_AS_ROOT=1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_pml=ob1
# mpirun otherwise adds a banner to every non-zero exit (golden .err files
# compare stderr byte for byte); users get the same with `mpirun -q`.
export OMPI_MCA_orte_execute_quiet=1
exec mpirun "$@"
