#!/bin/sh
# run.sh [BUILD] — interpreter benchmarks: each bench/NAME.ha against the
# same program bench/NAME.py under /usr/bin/python3, measured side by side
# in this run (the machine is shared; only ratios mean something).
#
# Timing: each program times its own work with time.perf_counter() and
# prints it on a last line "TIME s" (the interpreters compared, start-up
# excluded); the wall clock of the whole command (process start-up,
# MPI_Init for ha, the run, exit) is reported beside it.  ha runs as an MPI
# singleton (no mpirun), one rank.  Each program runs 3 times, alternating,
# and medians are reported.  The results (all but the TIME line) must agree.
. "$(dirname "$0")/common.sh"
RUNS=3
bench_tmpdir ha-bench

# seconds of wall clock for one run of "$@", output to $TMP/out
wall() {
	t0=$(date +%s.%N)
	"$@" > "$TMP/out" 2> "$TMP/err"
	st=$?
	t1=$(date +%s.%N)
	[ $st = 0 ] || { echo "FAILED (status $st): $*" >&2; cat "$TMP/err" >&2; return 1; }
	echo "$t0 $t1" | awk '{ printf "%.4f\n", $2 - $1 }'
}

status=0
echo "== interpreter: ha against python3 on the same programs"
for name in fib floatloop calls closure while lists dicts strs; do
	ha_prog=$ROOT/bench/$name.ha
	py_prog=$ROOT/bench/$name.py
	label=$name
	: > "$TMP/ha.t"
	: > "$TMP/py.t"
	: > "$TMP/ha.c"
	: > "$TMP/py.c"
	for i in $(seq $RUNS); do
		wall "$HA" "$ha_prog" >> "$TMP/ha.t" || { status=1; continue 2; }
		sed -n 's/^TIME //p' "$TMP/out" >> "$TMP/ha.c"
		grep -v '^TIME ' "$TMP/out" > "$TMP/ha.out"
		wall "$PY" "$py_prog" >> "$TMP/py.t" || { status=1; continue 2; }
		sed -n 's/^TIME //p' "$TMP/out" >> "$TMP/py.c"
		grep -v '^TIME ' "$TMP/out" > "$TMP/py.out"
	done
	if ! cmp -s "$TMP/ha.out" "$TMP/py.out"; then
		echo "$label: outputs differ: ha '$(cat "$TMP/ha.out")', python3 '$(cat "$TMP/py.out")'"
		status=1
	fi
	ha_t=$(median < "$TMP/ha.t")
	py_t=$(median < "$TMP/py.t")
	ha_c=$(median < "$TMP/ha.c")
	py_c=$(median < "$TMP/py.c")
	echo "$name $ha_c $py_c $ha_t $py_t" | awk '{ printf "%s: ha %.3f s, python3 %.3f s, ratio ha/python3 = %.2f   (whole command: %.2f s vs %.2f s, ratio %.2f)\n", $1, $2, $3, $2 / $3, $4, $5, $4 / $5 }'
done
echo "(in-process timing of the work, median of $RUNS runs; whole command includes ha's MPI start-up; ha as a 1-rank MPI singleton)"
sh "$ROOT/bench/run_matmul.sh" "$BUILD" || status=1

# ---- array benchmarks (bench/run_arrays.sh: elementwise vs STREAM triad,
# ---- reductions vs NumPy at 1 and 2 ranks, per-statement overhead)
sh "$ROOT/bench/run_arrays.sh" "$BUILD" || status=1
# ---- distributed sort (sample partition + radix) vs NumPy at 1 and 2 ranks
sh "$ROOT/bench/run_sort.sh" "$BUILD" || status=1
# ---- resplit 8192x8192 float32 vs raw MPI_Alltoall, peak RSS (2 ranks)
sh "$ROOT/bench/run_resplit.sh" "$BUILD" || status=1
# ---- cumsum along the split axis vs NumPy (1-D and 2-D, 1 and 2 ranks)
sh "$ROOT/bench/run_cumsum.sh" "$BUILD" || status=1
sh "$ROOT/bench/run_qr.sh" "$BUILD" || status=1     # TSQR and split-1 QR vs NumPy
# ---- solve 4000x4000 float64 (distributed LU at 2 ranks) vs numpy.linalg.solve
sh "$ROOT/bench/run_solve.sh" "$BUILD" || status=1
exit $status
