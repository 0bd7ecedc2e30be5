#!/bin/sh
# run-scripts.sh [BUILD] [NAME...] — the golden script tests.
#
# For every tests/scripts/NAME.ha (or the NAMEs given) and every rank count
# P in 1 2 3 4, run `mpirun -n P ha NAME.ha` inside tests/scripts and
# compare, byte for byte:
#   stdout with NAME.out,
#   stderr with NAME.err      (only if NAME.err exists),
#   exit status with NAME.status (default 0).
# NAME.in, if present, is fed to standard input.  A first line
# `# ranks: 1 2` restricts the rank counts.  The one expected output for
# every P is what proves that results do not depend on the rank count.
# Last line printed: "N passed, N failed".
BUILD=${1:-build}
[ $# -gt 0 ] && shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HA=$BUILD/ha
MPIRUN="sh $ROOT/tests/mpirun.sh"
TIMEOUT=${HA_TEST_TIMEOUT:-60}
DIR=$ROOT/tests/scripts
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ha-scripts.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

pass=0
fail=0

if [ $# -gt 0 ]; then
	list=$*
else
	list=$(cd "$DIR" && ls *.ha 2>/dev/null | sed 's/\.ha$//')
fi

for name in $list; do
	name=${name%.ha}
	src=$DIR/$name.ha
	if [ ! -f "$src" ]; then
		echo "FAIL $name: no such script $src"
		fail=$((fail + 1))
		continue
	fi
	ranks=$(sed -n '1s/^#[[:space:]]*ranks:[[:space:]]*//p' "$src")
	[ -n "$ranks" ] || ranks="1 2 3 4"
	want_status=0
	[ -f "$DIR/$name.status" ] && want_status=$(tr -d ' \n' < "$DIR/$name.status")
	input=/dev/null
	[ -f "$DIR/$name.in" ] && input=$DIR/$name.in
	for p in $ranks; do
		(cd "$DIR" && timeout "$TIMEOUT" $MPIRUN -n "$p" "$HA" "$name.ha" \
			< "$input" > "$TMP/out" 2> "$TMP/err")
		status=$?
		ok=1
		why=""
		if [ "$status" = 124 ]; then
			ok=0
			why="timed out after ${TIMEOUT}s"
		elif [ "$status" != "$want_status" ]; then
			ok=0
			why="exit status $status, expected $want_status"
		fi
		if ! cmp -s "$DIR/$name.out" "$TMP/out" 2>/dev/null; then
			ok=0
			why="${why:+$why; }stdout differs"
		fi
		if [ -f "$DIR/$name.err" ] && ! cmp -s "$DIR/$name.err" "$TMP/err"; then
			ok=0
			why="${why:+$why; }stderr differs"
		fi
		if [ $ok = 1 ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $name.ha -n $p: $why"
			exp_out=$DIR/$name.out
			[ -f "$exp_out" ] || exp_out=/dev/null
			diff -u --label "$name.out (expected)" --label "stdout (-n $p)" "$exp_out" "$TMP/out" | head -60
			if [ -f "$DIR/$name.err" ]; then
				diff -u --label "$name.err (expected)" --label "stderr (-n $p)" "$DIR/$name.err" "$TMP/err" | head -40
			elif [ -s "$TMP/err" ]; then
				echo "--- stderr (-n $p):"
				head -20 "$TMP/err"
			fi
		fi
	done
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
