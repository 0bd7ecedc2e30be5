#!/bin/sh
# run-all.sh [BUILD] — every test of ha (what `make check` runs):
#   1. each Check suite build/tests/test_* (from tests/unit/test_*.c) under
#      mpirun -n 1, 2, 3, 4 with CK_FORK=no (Check's forked children must
#      not touch MPI); a suite that never starts MPI runs at -n 1 only;
#   2. the golden scripts (tests/run-scripts.sh), at 1..4 ranks each;
#   3. the REPL in a real terminal (tests/repl/tty_test.sh, tmux).
# Ends with one line "N passed, N failed"; exit status 1 on any failure.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
MPIRUN="sh $ROOT/tests/mpirun.sh"
TIMEOUT=${HA_TEST_TIMEOUT:-120}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ha-check.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
export CK_FORK=no

pass=0
fail=0

# Add the "N passed, N failed" of a sub-runner's last line.
add_counts() {
	line=$(tail -n 1 "$1")
	p=$(echo "$line" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
	f=$(echo "$line" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		echo "FAIL $2: no summary line"
		fail=$((fail + 1))
		return
	fi
	pass=$((pass + p))
	fail=$((fail + f))
}

echo "== unit tests (Check)"
for src in "$ROOT"/tests/unit/test_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	bin=$BUILD/tests/$name
	if [ ! -x "$bin" ]; then
		echo "FAIL $name: $bin was not built"
		fail=$((fail + 1))
		continue
	fi
	if grep -q -E 'MPI_Init|ha_init|hi_start' "$src"; then
		ranks="1 2 3 4"
	else
		ranks=1
	fi
	for p in $ranks; do
		timeout "$TIMEOUT" $MPIRUN -n "$p" "$bin" > "$TMP/unit.log" 2>&1
		st=$?
		if [ $st = 0 ]; then
			pass=$((pass + 1))
			echo "ok   $name -n $p: $(grep -E '^[0-9]+%: Checks' "$TMP/unit.log" | head -n 1)"
		else
			fail=$((fail + 1))
			echo "FAIL $name -n $p (status $st):"
			grep -v '^[0-9]*%: Checks' "$TMP/unit.log" | head -n 40
			grep -E '^[0-9]+%: Checks' "$TMP/unit.log" | head -n 1
		fi
	done
done

echo "== golden scripts"
sh "$ROOT/tests/run-scripts.sh" "$BUILD" | tee "$TMP/scripts.log"
add_counts "$TMP/scripts.log" "golden scripts"

echo "== REPL in a terminal"
if sh "$ROOT/tests/repl/tty_test.sh" "$BUILD" > "$TMP/tty.log" 2>&1; then
	pass=$((pass + 1))
	tail -n 1 "$TMP/tty.log"
else
	fail=$((fail + 1))
	cat "$TMP/tty.log"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
