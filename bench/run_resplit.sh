#!/bin/sh
# run_resplit.sh [BUILD] — resplit of an 8192 x 8192 float32 array at 2
# ranks against a raw MPI_Alltoall of the same bytes (bench/alltoall_ref.c,
# built here with mpicc), measured in the same run; target: resplit at
# least 80% of the raw exchange's speed.  The machine may be shared, so the
# two alternate in RUNS pairs (each the best of its repetitions) and the
# script prints the medians and the median of the per-pair ratios.  Also
# the peak RSS of each ha rank
# (/usr/bin/time -v, "Maximum resident set size") against its local chunk
# (8192*8192*4/2 bytes); target: under 2.5x the chunk.
. "$(dirname "$0")/common.sh"
P=${HA_BENCH_RANKS:-2}
N=8192
export OMPI_MCA_rmaps_base_oversubscribe=1
bench_tmpdir ha-resplit
mpicc -O2 -o "$TMP/alltoall_ref" "$ROOT/bench/alltoall_ref.c" || exit 1
RUNS=${HA_BENCH_RUNS:-5}
# each rank under /usr/bin/time -v: its report goes to its own file
cat > "$TMP/timed.sh" <<EOS
#!/bin/sh
exec /usr/bin/time -v -o "$TMP/rss.\${OMPI_COMM_WORLD_RANK:-0}" "$HA" "$ROOT/bench/resplit.ha"
EOS
status=0
for i in $(seq "$RUNS"); do
	mpirun -n "$P" "$TMP/alltoall_ref" "$N" 10 > "$TMP/ref.out" || status=1
	mpirun -n "$P" sh "$TMP/timed.sh" > "$TMP/ha.out" || status=1
	r=$(sed -n 's/^TIME //p' "$TMP/ref.out")
	h=$(sed -n 's/^TIME //p' "$TMP/ha.out")
	echo "$r $h" >> "$TMP/pairs"
done
ref=$(awk '{ print $1 }' "$TMP/pairs" | median)
ha=$(awk '{ print $2 }' "$TMP/pairs" | median)
ratio=$(awk '{ print 100 * $1 / $2 }' "$TMP/pairs" | median)
chunk=$((N * N * 4 / P))
echo "resplit ${N}x${N} float32, $P ranks (median of $RUNS): ha $ha s, raw MPI_Alltoall $ref s" |
	awk -v q="$ratio" '{ printf "%s, speed ratio %.0f%% (median of the pairs; target >= 80%%)\n", $0, q }'
for f in "$TMP"/rss.*; do
	kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$f")
	echo "$kb $chunk ${f##*.}" | awk '{ printf "rank %s peak RSS %.0f MiB = %.2fx the local chunk of %.0f MiB (target < 2.5x)\n", $3, $1 / 1024, $1 * 1024 / $2, $2 / 1048576 }'
done
exit $status
