#!/bin/sh
# tty_test.sh [BUILD] — the REPL in a real terminal, under mpirun -n 2.
#
# A detached tmux session runs `mpirun -n 2 ha` the way a person would;
# keystrokes go in with send-keys and the screen is read back with
# capture-pane.  Checks: banner and prompt, a function defined over several
# lines (continuation prompt, empty line ends the block), calling it, an
# error (traceback, then the prompt comes back), rank-local output with
# [r] prefixes, TAB completion of a global name, Ctrl-C discarding a line,
# and Ctrl-D ending every rank with status 0.  Every wait polls the screen.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HA=$BUILD/ha
SOCK=ha-tty-test-$$
S=ha
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ha-tty.XXXXXX")

command -v tmux > /dev/null || { echo "tty test: FAIL (tmux is not installed)"; exit 1; }
[ -x "$HA" ] || { echo "tty test: FAIL ($HA not built)"; exit 1; }

t() { tmux -L "$SOCK" "$@"; }
cleanup() { t kill-server 2> /dev/null; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

screen() { t capture-pane -p -J -S -200 -t "$S"; }

fail() {
	echo "tty test: FAIL ($1)"
	echo "---- screen:"
	screen
	exit 1
}

# wait_for PATTERN [SECONDS]: poll the screen until grep -E finds PATTERN.
wait_for() {
	n=$(( ${2:-20} * 10 ))
	while [ $n -gt 0 ]; do
		screen | grep -q -E -e "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# count_prompts: lines that are exactly an empty prompt or start with one
count_prompts() { screen | grep -c -E '^>>> ' ; }

# wait_prompts N: wait until at least N primary prompts are on the screen
# and the last screen line is an empty prompt.
wait_prompts() {
	n=200
	while [ $n -gt 0 ]; do
		if [ "$(count_prompts)" -ge "$1" ] && screen | grep -v '^$' | tail -n 1 | grep -q -E '^>>> ?$'; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# A fresh HOME keeps the user's ~/.ha_history out of the test.
t new-session -d -s "$S" -x 100 -y 50 \
	"cd '$WORK' && HOME='$WORK' sh '$ROOT/tests/mpirun.sh' -n 2 '$HA'; echo \"[ha exited with status \$?]\"; sleep 600" \
	|| fail "tmux could not start"

wait_for 'distributed arrays on 2 ranks' 30 || fail "no banner"
wait_prompts 1 || fail "no first prompt"

# A function over several lines: continuation prompt, empty line ends it.
t send-keys -t "$S" 'def f(x):' Enter
wait_for '^\.\.\. ' || fail "no continuation prompt after 'def f(x):'"
t send-keys -t "$S" '    return x * 2' Enter
t send-keys -t "$S" Enter
wait_prompts 2 || fail "no prompt after the function definition"

t send-keys -t "$S" 'f(21)' Enter
wait_for '^42$' || fail "f(21) did not print 42"
wait_prompts 3 || fail "no prompt after f(21)"

# An error prints a traceback on every rank's behalf once, then the prompt.
t send-keys -t "$S" '1/0' Enter
wait_for 'ZeroDivisionError' || fail "1/0 raised no ZeroDivisionError"
wait_prompts 4 || fail "no prompt after the error"

# Rank-local values print once per rank, in rank order.
t send-keys -t "$S" 'print(comm.rank * 10)' Enter
wait_for '^\[1\] 10$' || fail "rank-local print missing"
screen | grep -A1 -E '^\[0\] 0$' | grep -q -E '^\[1\] 10$' || fail "rank-local lines out of order"
wait_prompts 5 || fail "no prompt after the rank-local print"

# TAB completes a global name.
t send-keys -t "$S" 'my_long_name = 7' Enter
wait_prompts 6 || fail "no prompt after an assignment"
t send-keys -t "$S" 'my_lo' Tab
wait_for '^>>> my_long_name$' || fail "TAB did not complete my_lo"
t send-keys -t "$S" ' + 1' Enter
wait_for '^8$' || fail "completed line did not run"
wait_prompts 7 || fail "no prompt after the completed line"

# Ctrl-C drops the typed line and gives a fresh prompt (and keeps the job).
t send-keys -t "$S" 'undefined_name_xyz' C-c
wait_for 'KeyboardInterrupt' || fail "Ctrl-C did not interrupt the line"
wait_prompts 8 || fail "no prompt after Ctrl-C"
screen | grep -q NameError && fail "the discarded line was run"

# Ctrl-D on an empty line ends every rank cleanly.
t send-keys -t "$S" C-d
wait_for '^\[ha exited with status 0\]$' 30 || fail "Ctrl-D did not end the session with status 0"

# History was written.
grep -q 'f(21)' "$WORK/.ha_history" 2> /dev/null || fail "no ~/.ha_history written"

echo "tty test: PASS (mpirun -n 2: banner, block, call, error, rank-local print, TAB, Ctrl-C, Ctrl-D, history)"
