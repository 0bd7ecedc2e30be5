#!/bin/sh
# run_solve.sh [BUILD] — ht.linalg.solve of a 4000 x 4000 float64 system
# (A split 0, b of length 4000) at 1 and 2 ranks against numpy.linalg.solve
# on the same size, measured in the same run (best of 3 calls each;
# start-up and matrix generation excluded).  At 1 rank ha calls LAPACK's
# gesv on the local matrix; at 2 ranks it runs the distributed LU with
# partial pivoting (runtime/linalg/lu.c).  Reported: seconds, the ratio
# NumPy / ha (above 1: ha faster), the GFLOP/s of the LU flop count
# 2/3 n^3 + 2 n^2, and the backward error ||A x - b|| / (||A|| ||x||).
# Each rank uses (cores / ranks) threads.
. "$(dirname "$0")/common.sh"
export OMPI_MCA_btl_vader_single_copy_mechanism=none
bench_tmpdir ha-bench-solve

echo "== LU solve: ht.linalg.solve(4000 x 4000 float64, split=0) vs numpy.linalg.solve"
flops=$(awk 'BEGIN { n = 4000; print 2 * n * n * n / 3 + 2 * n * n }')
vs_numpy "$flops" "$ROOT/bench/solve_numpy.py" "$ROOT/bench/solve.ha"
