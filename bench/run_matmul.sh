#!/bin/sh
# run_matmul.sh [BUILD] — distributed matmul rates (bench/matmul.ha) at 1
# and 2 ranks for every split pair, as GFLOP/s and as ratios to (a) the
# single-process BLIS GEMM measured in the same run (bench/gemm_ref.c, all
# cores) and (b) the 1-rank rate of the same case.  Ranks run unbound
# (--bind-to none) with OpenMP/BLIS threads = cores / ranks.
#
# On a machine with few cores "1 rank" already uses them all, so 2 ranks
# cannot be faster than 1 there.  The second table therefore measures
# scaling over cores the MPI way, one thread per rank: 2 ranks x 1 thread
# against 1 rank x 1 thread (the speed-up a cluster user sees when adding
# ranks that bring their own cores).
. "$(dirname "$0")/common.sh"
bench_tmpdir ha-mm
export OMPI_MCA_btl_vader_single_copy_mechanism=none
CORES=$(nproc)
N=${HA_BENCH_MATMUL_N:-4096}

mpicc -O2 -std=gnu11 -fopenmp -isystem /usr/include/x86_64-linux-gnu/blis-openmp \
	-o "$TMP/gemm_ref" "$ROOT/bench/gemm_ref.c" -lblis -fopenmp || exit 1
OMP_NUM_THREADS=$CORES "$TMP/gemm_ref" "$N" > "$TMP/ref" || exit 1
sed "s/^n = 4096/n = $N/" "$ROOT/bench/matmul.ha" > "$TMP/matmul.ha"
for p in 1 2; do
	t=$((CORES / p)); [ "$t" -ge 1 ] || t=1
	OMP_NUM_THREADS=$t mpirun --bind-to none -n $p "$HA" "$TMP/matmul.ha" > "$TMP/r$p" || exit 1
done
# one thread per rank: the per-core scaling table
OMP_NUM_THREADS=1 mpirun --bind-to none -n 1 "$HA" "$TMP/matmul.ha" > "$TMP/s1" || exit 1
if [ "$CORES" -ge 2 ]; then
	OMP_NUM_THREADS=1 mpirun --bind-to none -n 2 "$HA" "$TMP/matmul.ha" > "$TMP/s2" || exit 1
fi
echo "== matmul ${N}x${N} (GFLOP/s; BLIS = one process, $CORES threads, this run)"
awk -v ref="$TMP/ref" -v r1="$TMP/r1" '
	BEGIN {
		while ((getline l < ref) > 0) { split(l, f, " "); blis[f[1]] = f[2] }
		while ((getline l < r1) > 0) { split(l, f, " "); one[f[1] " " f[2] " " f[3]] = f[4] }
	}
	{
		key = $1 " " $2 " " $3; dt = $1; sub("ht.", "", dt)
		printf "%-8s a.split=%-4s b.split=%-4s 1 rank %7.1f (%.2f x BLIS)  2 ranks %7.1f (%.2f x BLIS, %.2f x 1 rank)\n",
		       dt, $2, $3, one[key], one[key] / blis[dt], $4, $4 / blis[dt], $4 / one[key]
	}
	END { printf "BLIS reference: float32 %s, float64 %s GFLOP/s\n", blis["float32"], blis["float64"] }
' "$TMP/r2"
if [ -s "$TMP/s2" ]; then
	echo "== matmul ${N}x${N}, one thread per rank (GFLOP/s; scaling = 2 ranks / 1 rank)"
	awk -v s1="$TMP/s1" '
		BEGIN { while ((getline l < s1) > 0) { split(l, f, " "); one[f[1] " " f[2] " " f[3]] = f[4] } }
		{
			key = $1 " " $2 " " $3; dt = $1; sub("ht.", "", dt)
			printf "%-8s a.split=%-4s b.split=%-4s 1 rank %7.1f  2 ranks %7.1f  scaling %.2f\n",
			       dt, $2, $3, one[key], $4, $4 / one[key]
		}
	' "$TMP/s2"
fi
