#!/bin/sh
# run_arrays.sh [BUILD] — array benchmarks (issue 3): bench/arrays.ha at 1
# and 2 ranks against bench/arrays_numpy.py (NumPy, /usr/bin/python3) and a
# STREAM triad (bench/stream.c), all measured in this run; prints ratios.
#
#   - `c = a + b` and `d = exp(a) * 2 + b` on 2e7 float32: GB/s and the
#     fraction of the STREAM triad bandwidth of the same cores.  Bytes:
#     a + b moves 12 per element (two reads, one write; STREAM's
#     convention); the unfused expression runs three kernels moving 28
#     (exp: 8, * 2: 8, + b: 12), and its "useful" traffic is 12.
#   - ht.sum over each axis of a 5000 x 5000 float32, split 0 and 1:
#     time against NumPy's x.sum(axis) (one thread).
#   - interpreter overhead: `r = p + q` on 10-element arrays, per statement.
# Both configurations use the whole machine: 1 rank with OMP_NUM_THREADS =
# cores, 2 ranks with cores / 2 each, `--bind-to none` (mpirun would pin
# each rank to one core).  Every figure is the median of 3 repeats.
. "$(dirname "$0")/common.sh"
# the vader single-copy default is slow on this kind of VM (bench use only)
export OMPI_MCA_btl_vader_single_copy_mechanism=none
bench_tmpdir ha-bench-arrays

CORES=$(nproc)
HALF=$((CORES / 2))
[ "$HALF" -ge 1 ] || HALF=1

mpicc -O2 -fopenmp -o "$TMP/stream" "$ROOT/bench/stream.c" || exit 1
if ! $PY -c 'import numpy' 2> /dev/null; then
	echo "arrays: $PY has no numpy (make deps installs python3-numpy)"
	exit 1
fi

OMP_NUM_THREADS=$CORES "$TMP/stream" > "$TMP/stream.all" || exit 1
OMP_NUM_THREADS=1 "$TMP/stream" > "$TMP/stream.one" || exit 1
OMP_NUM_THREADS=$CORES mpirun -n 1 --bind-to none "$HA" "$ROOT/bench/arrays.ha" > "$TMP/ha1" || exit 1
OMP_NUM_THREADS=$HALF mpirun -n 2 --bind-to none "$HA" "$ROOT/bench/arrays.ha" > "$TMP/ha2" || exit 1
OMP_NUM_THREADS=1 $PY "$ROOT/bench/arrays_numpy.py" > "$TMP/np" || exit 1

awk -v cores="$CORES" -v half="$HALF" '
FILENAME ~ /stream.all$/ { sall = $2 }
FILENAME ~ /stream.one$/ { sone = $2 }
FILENAME ~ /ha1$/ { h1[$1] = $2 }
FILENAME ~ /ha2$/ { h2[$1] = $2 }
FILENAME ~ /np$/ { np[$1] = $2 }
END {
	n = 2e7
	printf "== arrays: ha (1 rank x %d threads, 2 ranks x %d) vs NumPy vs STREAM triad; medians of 3\n", cores, half
	printf "STREAM triad: %.1f GB/s on %d cores (%.1f GB/s per rank at 2 ranks), %.1f GB/s on 1 core\n", sall, cores, sall / 2, sone
	ew("c = a + b      (2e7 float32, 12 B/elt)", "add", 12)
	ew("exp(a) * 2 + b (unfused, 28 B/elt)   ", "expr", 28)
	printf "  exp(a) * 2 + b time: 1 rank %.1f ms, 2 ranks %.1f ms, NumPy %.1f ms (useful 12 B/elt: %.1f / %.1f / %.1f GB/s)\n", \
		h1["expr"] * 1e3, h2["expr"] * 1e3, np["expr"] * 1e3, 12 * n / h1["expr"] / 1e9, 12 * n / h2["expr"] / 1e9, 12 * n / np["expr"] / 1e9
	for (s = 0; s <= 1; s++)
		for (ax = 0; ax <= 1; ax++) {
			k = "sum_split" s "_axis" ax
			printf "sum(x, axis=%d), 5000x5000 float32 split %d: 1 rank %.2f ms (NumPy/ha %.2fx), 2 ranks %.2f ms (NumPy/ha %.2fx); NumPy %.2f ms\n", \
				ax, s, h1[k] * 1e3, np[k] / h1[k], h2[k] * 1e3, np[k] / h2[k], np[k] * 1e3
		}
	printf "statement r = p + q on 10-element float32 arrays: ha %.2f us (1 rank), %.2f us (2 ranks); NumPy %.2f us\n", \
		h1["small_add"] * 1e6, h2["small_add"] * 1e6, np["small_add"] * 1e6
	printf "  (of which the loop itself: ha %.3f us, Python %.3f us per iteration)\n", h1["empty_loop"] * 1e6, np["empty_loop"] * 1e6
	printf "targets: elementwise >= 70%% of STREAM; sums >= 1x NumPy at 1 rank, >= 1.7x at 2 ranks; statement < 2 us\n"
}
function ew(label, k, bytes,   g1, g2, gn) {
	g1 = bytes * n / h1[k] / 1e9
	g2 = bytes * n / h2[k] / 1e9
	gn = bytes * n / np[k] / 1e9
	printf "%s: 1 rank %.1f GB/s = %3.0f%% of STREAM; 2 ranks %.1f GB/s = %.1f per rank = %3.0f%%; NumPy %.1f GB/s (1 thread)\n", \
		label, g1, 100 * g1 / sall, g2, g2 / 2, 100 * g2 / sall, gn
}' "$TMP/stream.all" "$TMP/stream.one" "$TMP/ha1" "$TMP/ha2" "$TMP/np"
