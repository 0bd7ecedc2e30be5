# common.sh — sourced (`. "$(dirname "$0")/common.sh"`) by bench/run.sh and
# every bench/run_*.sh, whose first argument is the build directory:
# resolves BUILD (absolute), ROOT, HA and PY, sets what MPI needs to run as
# root (ob1 starts faster; bench use only: the test scripts set their own)
# and defines the helpers the benchmarks share.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HA=$BUILD/ha
PY=/usr/bin/python3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_pml=ob1

# bench_tmpdir NAME: TMP = a fresh directory, removed when the script ends.
bench_tmpdir() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	trap 'rm -rf "$TMP"' EXIT INT TERM
}

# the median of the numbers on stdin, one a line
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# vs_numpy FLOPS NUMPY_SCRIPT HA_SCRIPT: NUMPY_SCRIPT under $PY, then
# HA_SCRIPT at 1 and 2 ranks (unbound); each prints its best time on a line
# "TIME s" and a summary on the others.  Prints seconds, GFLOP/s of FLOPS
# and the ratio NumPy / ha.  Exits when NumPy fails; returns 1 when ha does.
vs_numpy() {
	$PY "$2" > "$TMP/np" 2>&1 || { cat "$TMP/np"; exit 1; }
	np_t=$(sed -n 's/^TIME //p' "$TMP/np")
	printf "%-22s %9.4f s  %6.1f GFLOP/s  %s\n" "numpy" "$np_t" \
		"$(awk -v f="$1" -v t="$np_t" 'BEGIN { print f / t / 1e9 }')" "$(grep -v TIME "$TMP/np")"
	vs_rc=0
	for p in 1 2; do
		mpirun -n $p --bind-to none "$HA" "$3" > "$TMP/ha" 2>&1 || { cat "$TMP/ha"; vs_rc=1; continue; }
		t=$(sed -n 's/^TIME //p' "$TMP/ha")
		printf "%-22s %9.4f s  %6.1f GFLOP/s  %s  numpy/ha = %.2f\n" "ha -n $p" "$t" \
			"$(awk -v f="$1" -v t="$t" 'BEGIN { print f / t / 1e9 }')" "$(grep -v TIME "$TMP/ha")" \
			"$(awk -v a="$np_t" -v b="$t" 'BEGIN { print a / b }')"
	done
	return $vs_rc
}
