#!/bin/sh
# run_qr.sh [BUILD] — TSQR of a 200000 x 100 float32 matrix (ht.linalg.qr,
# split 0) at 1 and 2 ranks against NumPy's np.linalg.qr on the same size,
# measured in the same run (best of 3 calls each; start-up excluded).
# Reported: seconds, the ratio NumPy / ha (above 1: ha faster) and the
# GFLOP/s of the Householder QR flop count 2 m n^2 - 2/3 n^3 (with Q
# formed: twice that).  Each rank uses (cores / ranks) threads.
# Note: NumPy computes a float32 QR in float64 (linalg's _commonType) and
# rounds the result, so its orthogonality ||Q^T Q - I||_F is ~1e-8 where a
# true float32 Householder QR of 200000 rows gives ~1e-4; both residuals
# ||A - QR||/||A|| are printed, measured in float64.
# Then split 1 (bench/qr_split1.ha, column-distributed): 4000 x 4000 (block
# Gram-Schmidt, qr_split1.c) and 20000 x 2000 (tall-skinny: resplit +
# TSQR) float32 at 1 and 2 ranks, with the ratio ha / NumPy of the same
# size measured in this run (bench/qr_numpy.py M N).
. "$(dirname "$0")/common.sh"
export OMPI_MCA_btl_vader_single_copy_mechanism=none
bench_tmpdir ha-bench-qr

echo "== TSQR: ht.linalg.qr(200000 x 100 float32, split=0) vs numpy.linalg.qr"
flops=$(awk 'BEGIN { m = 200000; n = 100; print 2 * (2 * m * n * n - 2 * n * n * n / 3) }')
status=0
vs_numpy "$flops" "$ROOT/bench/qr_numpy.py" "$ROOT/bench/qr.ha" || status=1

for size in "4000 4000" "20000 2000"; do
	set -- $size
	echo "== split 1: ht.linalg.qr($1 x $2 float32, split=1) vs numpy.linalg.qr"
	$PY "$ROOT/bench/qr_numpy.py" "$1" "$2" > "$TMP/np1" 2>&1 || { cat "$TMP/np1"; exit 1; }
	np_t=$(sed -n 's/^TIME //p' "$TMP/np1")
	printf "%-22s %9.4f s  %s\n" "numpy" "$np_t" "$(grep -v TIME "$TMP/np1")"
	sed "s/^m = .*/m = $1/; s/^n = .*/n = $2/" "$ROOT/bench/qr_split1.ha" > "$TMP/qr1.ha"
	for p in 1 2; do
		mpirun -n $p --bind-to none "$HA" "$TMP/qr1.ha" > "$TMP/ha" 2>&1 || { cat "$TMP/ha"; status=1; continue; }
		t=$(sed -n 's/^TIME //p' "$TMP/ha")
		printf "%-22s %9.4f s  %s  ha/numpy = %.2f\n" "ha -n $p" "$t" "$(grep -v TIME "$TMP/ha")" \
			"$(awk -v a="$np_t" -v b="$t" 'BEGIN { print b / a }')"
	done
done
exit $status
