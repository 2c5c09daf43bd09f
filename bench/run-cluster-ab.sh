#!/usr/bin/env bash
# Two builds of the cluster benchmark back to back, A B A B ...: bench/run-cluster-bench.sh once per round and side,
# each with its own jar (a copy of bench/target, lib/ included, taken before rebuilding), so a drift of the machine
# shows as a spread within each side rather than as a difference between them.
#
#   cp -r bench/target /tmp/bench-A; (change, bench/build.sh); cp -r bench/target /tmp/bench-B
#   flock /work/wt/bench.lock env A=/tmp/bench-A B=/tmp/bench-B PAIRS=2 RATES=50000 bench/run-cluster-ab.sh
#
# Environment: A and B (directories holding skynet-bridge-bench.jar), optionally C (a third side, run after B),
# ARGS_A, ARGS_B, ARGS_C (BenchServer arguments for that side's cluster nodes, e.g. "--send-linger-ms 1"; A and B may
# then be the same directory), PAIRS (2 rounds), OUT (a new temporary directory), and whatever run-cluster-bench.sh
# takes (RATES, WARMUP, DURATION...; SKIP_BUILD is always set).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${A:?A=directory with the baseline skynet-bridge-bench.jar}" "${B:?B=directory with the changed one}"
PAIRS=${PAIRS:-2}
OUT=${OUT:-$(mktemp -d /tmp/skynet-cluster-ab.XXXXXX)}
mkdir -p "$OUT"
echo "A=$A B=$B ${C:+C=$C }pairs=$PAIRS results in $OUT"
for round in $(seq 1 "$PAIRS"); do
    for side in A B ${C:+C}; do
        dir=${!side}
        args_name=ARGS_$side
        echo "== round $round side $side (${!args_name:-no node arguments}): load average $(cut -d' ' -f1-3 /proc/loadavg)"
        SKIP_BUILD=1 NODE_ARGS="${!args_name:-}" BENCH_JAR="$dir/skynet-bridge-bench.jar" RESULTS_DIR="$OUT/$round-$side" \
            bench/run-cluster-bench.sh >"$OUT/$round-$side.txt" 2>&1
        grep -E '^\| (one|three)|^\| scenario|^node-|^busiest' "$OUT/$round-$side.txt" | sed "s/^/$round$side /"
    done
done
