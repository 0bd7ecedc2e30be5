#!/bin/sh
# run-all.sh [BUILD] — every test of ha (what `make check` runs):
#   1. each Check suite build/tests/test_* (from tests/unit/test_*.c) under
#      mpirun -n 1, 2, 3, 4 with CK_FORK=no (Check's forked children must
#      not touch MPI); a suite that never starts MPI runs at -n 1 only;
#   2. the golden scripts (tests/run-scripts.sh), at 1..4 ranks each;
#   3. the differential tests against NumPy (tests/diff/*_diff.py: arithmetic
#      and reductions, indexing, factorizations; needs /usr/bin/python3 with
#      numpy, which `make deps` installs);
#   4. man/ha-functions.7 is what the docstrings generate;
#   5. the REPL in a real terminal (tests/repl/tty_test.sh, tmux).
# Ends with one line "N passed, N failed"; exit status 1 on any failure.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
MPIRUN="sh $ROOT/tests/mpirun.sh"
TIMEOUT=${HA_TEST_TIMEOUT:-120}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ha-check.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
export CK_FORK=no
# Sanitizer builds (make sanitize): leave out Open MPI's own never-freed
# allocations (tests/lsan.supp); keep MPI's plugins loaded so their stack
# frames can be matched.  No effect on ordinary builds.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0}
export OMPI_MCA_mca_base_component_disable_dlclose=1

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
	# An MPI suite calls MPI_Init (or ha_init / hi_start), maybe through a
	# local header of tests/unit.
	files=$src
	for h in $(sed -n 's/^#include "\(.*\)"/\1/p' "$src"); do
		[ -f "$ROOT/tests/unit/$h" ] && files="$files $ROOT/tests/unit/$h"
	done
	if cat $files | grep -q -E 'MPI_Init|ha_init|hi_start'; then
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

# The differential tests against NumPy: each generates one ha program,
# runs it at several rank counts and compares with Debian's python3-numpy
# (`make deps` installs it; the python3 first on PATH may lack numpy, so
# ask /usr/bin/python3).  Each prints "N passed, N failed" last.
for diff in numpy_diff:elementwise,broadcasting,reductions index_diff:indexing factor_diff:factorizations; do
	script=${diff%%:*}
	what=${diff#*:}
	echo "== $what against NumPy (tests/diff/$script.py)"
	if /usr/bin/python3 -c 'import numpy' > /dev/null 2>&1; then
		timeout "$TIMEOUT" /usr/bin/python3 -W ignore "$ROOT/tests/diff/$script.py" "$BUILD" \
			> "$TMP/$script.log" 2>&1
		grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/$script.log" | head -n 60
		tail -n 1 "$TMP/$script.log"
		add_counts "$TMP/$script.log" "$script"
	else
		fail=$((fail + 1))
		echo "FAIL $script: /usr/bin/python3 has no numpy (make deps installs python3-numpy)"
	fi
done

echo "== man/ha-functions.7 matches help()"
# The page is generated from the docstrings (make man); a function added
# or changed without regenerating it fails here.
if "$BUILD/ha" "$ROOT/man/functions.ha" > "$TMP/functions.7" 2>&1 &&
   cmp -s "$TMP/functions.7" "$ROOT/man/ha-functions.7"; then
	pass=$((pass + 1))
	echo "ok   man/ha-functions.7 is up to date"
else
	fail=$((fail + 1))
	echo "FAIL man/ha-functions.7 differs from the docstrings: run 'make man'"
fi

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
