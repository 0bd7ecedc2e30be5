#!/bin/sh
# run_sort.sh [BUILD] — ha's distributed sort (bench/sort.ha: 2e7 float32,
# split 0) at 1 and 2 ranks against NumPy's np.sort of the same number of
# float32 values, measured in this run (median of 3; times of the sort call
# alone, not of start-up).  Prints seconds and the ratio ha/NumPy.
. "$(dirname "$0")/common.sh"
RUNS=3
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1

np_once() {
	$PY -c '
import time, numpy as np
x = np.random.default_rng(0).random(20000000, dtype=np.float32)
t0 = time.perf_counter(); y = np.sort(x); t = time.perf_counter() - t0
assert (y[1:] >= y[:-1]).all()
print(t)'
}

ha_once() {
	# --bind-to none: a rank may use every core (OpenMP threads = cores / ranks)
	out=$(mpirun --bind-to none -n "$1" "$HA" "$ROOT/bench/sort.ha" 2>&1) || { echo "FAILED: $out" >&2; return 1; }
	case $out in *"ordered True"*) ;; *) echo "FAILED (not ordered): $out" >&2; return 1 ;; esac
	echo "$out" | awk '/sort_seconds/ { print $2 }'
}

status=0
np_t=$(for i in $(seq $RUNS); do np_once; done | median)
for p in 1 2; do
	t=$(for i in $(seq $RUNS); do ha_once "$p" || exit 1; done | median) || { status=1; continue; }
	[ -n "$t" ] || { status=1; continue; }
	echo "$p $t $np_t" | awk '{ printf "sort 2e7 float32 split 0: ha -n %d %.3f s, numpy %.3f s, ratio ha/numpy = %.2f\n", $1, $2, $3, $2 / $3 }'
done
exit $status
