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
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HA=$BUILD/ha
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_pml=ob1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ha-bench-solve.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

echo "== LU solve: ht.linalg.solve(4000 x 4000 float64, split=0) vs numpy.linalg.solve"
/usr/bin/python3 "$ROOT/bench/solve_numpy.py" > "$TMP/np" 2>&1 || { cat "$TMP/np"; exit 1; }
np_t=$(sed -n 's/^TIME //p' "$TMP/np")
flops=$(awk 'BEGIN { n = 4000; print 2 * n * n * n / 3 + 2 * n * n }')
printf "%-22s %9.4f s  %6.1f GFLOP/s  %s\n" "numpy" "$np_t" \
	"$(awk -v f="$flops" -v t="$np_t" 'BEGIN { print f / t / 1e9 }')" "$(grep -v TIME "$TMP/np")"
status=0
for p in 1 2; do
	mpirun -n $p --bind-to none "$HA" "$ROOT/bench/solve.ha" > "$TMP/ha" 2>&1 || { cat "$TMP/ha"; status=1; continue; }
	t=$(sed -n 's/^TIME //p' "$TMP/ha")
	printf "%-22s %9.4f s  %6.1f GFLOP/s  %s  numpy/ha = %.2f\n" "ha -n $p" "$t" \
		"$(awk -v f="$flops" -v t="$t" 'BEGIN { print f / t / 1e9 }')" "$(grep -v TIME "$TMP/ha")" \
		"$(awk -v a="$np_t" -v b="$t" 'BEGIN { print a / b }')"
done
exit $status
