#!/bin/sh
# run_cumsum.sh [BUILD] — cumsum along the split axis (bench/cumsum.ha:
# 2e7 float32 1-D split 0; 5000 x 5000 float32 split 0 along axis 0 and
# split 1 along axis 1) at 1 and 2 ranks against NumPy's np.cumsum of the
# same float32 data along the same axis, measured in this run (median of 3;
# times of the cumsum call alone, not of start-up).  Prints seconds and the
# ratio NumPy/ha (above 1: ha is faster).
. "$(dirname "$0")/common.sh"
RUNS=3
CASES="cumsum_1d cumsum_2d_split0_axis0 cumsum_2d_split1_axis1"
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1
bench_tmpdir ha-cumsum

# one line per case: "<case> <seconds>"
np_once() {
	$PY -c '
import time, numpy as np
def timed(x, axis):
    t0 = time.perf_counter(); y = np.cumsum(x, axis=axis); t = time.perf_counter() - t0
    assert y.dtype == np.float32
    return y, t
n = 20000000
y, t = timed(np.ones(n, dtype=np.float32), 0)
assert y[2 ** 24 - 1] == 2 ** 24
print("cumsum_1d", t)
m = 5000
a = np.ones((m, m), dtype=np.float32)
y, t = timed(a, 0)
assert y[-1, 7] == m
print("cumsum_2d_split0_axis0", t)
y, t = timed(a, 1)
assert y[7, -1] == m
print("cumsum_2d_split1_axis1", t)'
}

ha_once() {
	# --bind-to none: a rank may use every core (OpenMP threads = cores / ranks)
	out=$(mpirun --bind-to none -n "$1" "$HA" "$ROOT/bench/cumsum.ha" 2>&1) || { echo "FAILED: $out" >&2; return 1; }
	if echo "$out" | grep -q "ok False"; then echo "FAILED (wrong result): $out" >&2; return 1; fi
	echo "$out" | awk '/^cumsum_/ { print $1, $2 }'
}

status=0
# interleaved, so a busy spell of a shared machine hits both sides
for i in $(seq $RUNS); do
	np_once >> "$TMP/np" || status=1
	for p in 1 2; do ha_once "$p" >> "$TMP/ha$p" || status=1; done
done
for c in $CASES; do
	np_t=$(awk -v c="$c" '$1 == c { print $2 }' "$TMP/np" | median)
	for p in 1 2; do
		t=$(awk -v c="$c" '$1 == c { print $2 }' "$TMP/ha$p" | median)
		[ -n "$t" ] && [ -n "$np_t" ] || { status=1; continue; }
		echo "$c $p $t $np_t" | awk '{ printf "%s float32: ha -n %d %.4f s, numpy %.4f s, ratio numpy/ha = %.2f\n", $1, $2, $3, $4, $4 / $3 }'
	done
done
exit $status
