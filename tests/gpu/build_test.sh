#!/bin/sh
# build_test.sh — the GPU backend on any machine, with or without a GPU:
#   1. `make gpu` builds build/libha_cuda.so (and libha_hip.so when hipcc is
#      installed) without warnings, and each exports hk_gpu_table,
#      hk_gpu_probe and hk_gpu_error;
#   2. math_test: the GPU functors, run on the host, agree with the CPU table;
#   3. the probe path: with the backend next to the binary, named by
#      HA_GPU_LIB, or named wrongly, device="gpu" on a machine without a
#      usable GPU raises the usual ValueError on every rank, each rank exits
#      with status 1 (no crash), and CPU work is unaffected.
# Not part of tests/run-all.sh (the nvcc build takes about 20 s).
# Usage: sh tests/gpu/build_test.sh [BUILD]
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:-build}
NVCC=${NVCC:-/usr/local/cuda/bin/nvcc}
fail=0
say() { printf '%s\n' "$*"; }
bad() { say "FAIL: $*"; fail=1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

make -s -j2 BUILD="$BUILD" all >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; exit 1; }
if ! make -B --no-print-directory BUILD="$BUILD" gpu >"$tmp/gpu.log" 2>&1; then
	cat "$tmp/gpu.log"
	if grep -q 'neither .* is installed' "$tmp/gpu.log"; then
		say "SKIP: no GPU compiler (nvcc or hipcc) on this machine"
		exit 0
	fi
	exit 1
fi
if grep -qi 'warning' "$tmp/gpu.log"; then
	cat "$tmp/gpu.log"
	bad "make gpu printed warnings"
fi

libs=
for lib in "$BUILD/libha_cuda.so" "$BUILD/libha_hip.so"; do
	[ -f "$lib" ] || continue
	libs="$libs $lib"
	for sym in hk_gpu_table hk_gpu_probe hk_gpu_error; do
		nm -D --defined-only "$lib" | grep -qw "$sym" || bad "$lib does not export $sym"
	done
	say "ok: $lib exports hk_gpu_table, hk_gpu_probe, hk_gpu_error"
done
[ -n "$libs" ] || bad "make gpu built no library"

# 2. the shared math, on the host (nvcc only: hipcc's host pass is similar)
if [ -x "$(command -v "$NVCC")" ]; then
	mkdir -p "$BUILD/tests"
	if "$NVCC" -O2 -std=c++17 -Ikernels/cpu -Ikernels/gpu -Xcompiler -Wall,-Wextra \
	     -o "$BUILD/tests/gpu_math_test" tests/gpu/math_test.cu \
	     "$BUILD/kernels/cpu/elementwise_cpu.o" "$BUILD/kernels/cpu/reduce_cpu.o" \
	     -Xcompiler -fopenmp -lm >"$tmp/mt.log" 2>&1; then
		grep -qi warning "$tmp/mt.log" && { cat "$tmp/mt.log"; bad "math_test build printed warnings"; }
		if "$BUILD/tests/gpu_math_test"; then :; else bad "math_test"; fi
	else
		cat "$tmp/mt.log"
		bad "math_test does not build"
	fi
fi

# 3. the probe path.  Each rank records its own exit status (first run);
# the job's status is checked in a second, plain run.
prog='print(ht.zeros(3, device="gpu"))'
want='ValueError: Unknown device, must be one of cpu'
run_case() {     # label, ranks, expected stderr note prefix (or "")
	label=$1 n=$2 note=$3
	: >"$tmp/rc"
	# the wrapper exits 0 so that mpirun does not kill the other ranks
	# before they record their status
	sh tests/mpirun.sh -n "$n" sh -c '"$0" -c "$1"; echo "$?" >>"$2"' \
		"$BUILD/ha" "$prog" "$tmp/rc" >"$tmp/out" 2>"$tmp/err"
	sh tests/mpirun.sh -n "$n" "$BUILD/ha" -c "$prog" >/dev/null 2>&1
	st=$?
	[ "$st" = 1 ] || bad "$label -n $n: mpirun exit status $st, want 1"
	grep -qF "$want" "$tmp/out" "$tmp/err" || bad "$label -n $n: no '$want'"
	if grep -qiE 'segmentation|signal|core dumped|abort' "$tmp/out" "$tmp/err"; then
		bad "$label -n $n: crashed"
	fi
	got=$(sort "$tmp/rc" | uniq -c | tr -s ' ' | sed 's/^ //')
	[ "$got" = "$n 1" ] || bad "$label -n $n: rank exit statuses '$got', want all $n ranks 1"
	if [ -n "$note" ]; then
		grep -qE "^ha: ($note)" "$tmp/err" || bad "$label -n $n: stderr lacks 'ha: $note'"
	fi
	[ "$fail" = 0 ] && say "ok: $label -n $n: ValueError on every rank, exit 1$(sed -n 's/^ha: / (/p' "$tmp/err" | head -1 | sed 's/$/)/')"
}
for n in 1 2 3; do
	run_case "backend next to the binary" "$n" ""
	for lib in $libs; do
		HA_GPU_LIB=$PWD/$lib run_case "HA_GPU_LIB=$lib" "$n" "no GPU|GPU backend found"
	done
	HA_GPU_LIB=$tmp/none.so run_case "HA_GPU_LIB=missing" "$n" "no GPU backend: "
done

# CPU work is untouched by a loaded backend
out=$(sh tests/mpirun.sh -n 2 "$BUILD/ha" -c 'print(ht.arange(4, split=0) * 2)' 2>&1)
[ "$out" = "DNDarray([0, 2, 4, 6], dtype=ht.int32, device=cpu:0, split=0)" ] \
	|| bad "CPU array with the backend present: got '$out'"

if [ "$fail" = 0 ]; then say "gpu build_test: all passed"; else say "gpu build_test: FAILED"; fi
exit $fail
