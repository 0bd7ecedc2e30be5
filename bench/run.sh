#!/bin/sh
# run.sh [BUILD] — interpreter benchmarks: each bench/NAME.ha against the
# same program bench/NAME.py under /usr/bin/python3, measured side by side
# in this run (the machine is shared; only ratios mean something).
#
# Timing: wall clock of the whole command (process start-up, MPI_Init for
# ha, interpreter start, the run, exit) — nothing excluded.  ha runs as an
# MPI singleton (no mpirun), one rank.  Each program runs 3 times,
# alternating, and the median is reported.  The two outputs must agree.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HA=$BUILD/ha
PY=/usr/bin/python3
RUNS=3
# Running as root needs these for MPI; ob1 starts faster (bench use only).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_pml=ob1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ha-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

# seconds of wall clock for one run of "$@", output to $TMP/out
wall() {
	t0=$(date +%s.%N)
	"$@" > "$TMP/out" 2> "$TMP/err"
	st=$?
	t1=$(date +%s.%N)
	[ $st = 0 ] || { echo "FAILED (status $st): $*" >&2; cat "$TMP/err" >&2; return 1; }
	echo "$t0 $t1" | awk '{ printf "%.4f\n", $2 - $1 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

status=0
for ha_prog in "$ROOT"/bench/*.ha; do
	name=$(basename "$ha_prog" .ha)
	py_prog=$ROOT/bench/$name.py
	[ -f "$py_prog" ] || continue
	label=$(sed -n 's/^print(\(.*\))$/\1/p' "$ha_prog" | tail -n 1)
	[ -n "$label" ] || label=$name
	: > "$TMP/ha.t"
	: > "$TMP/py.t"
	for i in $(seq $RUNS); do
		wall "$HA" "$ha_prog" >> "$TMP/ha.t" || { status=1; continue 2; }
		cp "$TMP/out" "$TMP/ha.out"
		wall "$PY" "$py_prog" >> "$TMP/py.t" || { status=1; continue 2; }
		cp "$TMP/out" "$TMP/py.out"
	done
	if ! cmp -s "$TMP/ha.out" "$TMP/py.out"; then
		echo "$label: outputs differ: ha '$(cat "$TMP/ha.out")', python3 '$(cat "$TMP/py.out")'"
		status=1
	fi
	ha_t=$(median < "$TMP/ha.t")
	py_t=$(median < "$TMP/py.t")
	echo "$label $ha_t $py_t" | awk '{ printf "%s: ha %.2f s, python3 %.2f s, ratio ha/python3 = %.2f\n", $1, $2, $3, $2 / $3 }'
done
echo "(wall clock of each whole command, median of $RUNS runs; ha as a 1-rank MPI singleton)"
exit $status
