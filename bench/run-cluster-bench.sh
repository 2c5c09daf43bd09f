#!/usr/bin/env bash
# The cluster over NATS (docs/cluster.md) against one gateway: 1 publisher, 10 subscribers, small messages.
#   single:  one BenchServer (no cluster); the publisher and the 10 subscribers on it
#   cluster: three BenchServers joined over one nats-server (as skynet.cluster.nats-url does); the publisher
#            on node 1, the subscribers on nodes 2 and 3 (5 each): every delivery crosses NATS
# Each at saturation and at 5,000 published/s (50,000 delivered/s). Server CPU is that of every gateway
# process (nats-server's is reported apart).
#
#   bench/run-cluster-bench.sh
#   SKIP_BUILD=1 WARMUP=10 DURATION=15 bench/run-cluster-bench.sh
#
# Environment: WARMUP (10 s: the first seconds are the JIT's), DURATION (10 s), RATES ("0 50000": delivered/s, 0 = saturation), SKIP_BUILD=1, NATS_SERVER
# (/usr/sbin/nats-server), SERVER_JVM_OPTS (-Xms64m -Xmx512m), CLIENT_JVM_OPTS (-Xmx1g), RESULTS_DIR,
# NODE_ARGS (more BenchServer arguments for the cluster's nodes, e.g. --send-linger-ms 1), BENCH_JAR (bench/target/skynet-bridge-bench.jar: another build's copy, with its lib/ beside it, for an A/B).
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP=${WARMUP:-10}
DURATION=${DURATION:-10}
NATS_SERVER=${NATS_SERVER:-/usr/sbin/nats-server}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:-"-Xms64m -Xmx512m"}
CLIENT_JVM_OPTS=${CLIENT_JVM_OPTS:-"-Xmx1g"}
RESULTS_DIR=${RESULTS_DIR:-$(mktemp -d /tmp/skynet-cluster-bench.XXXXXX)}
JAR=${BENCH_JAR:-bench/target/skynet-bridge-bench.jar}
mkdir -p "$RESULTS_DIR"

if [ -z "${SKIP_BUILD:-}" ]; then
    bench/build.sh
fi

PIDS=()
stop_all() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}
trap stop_all EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME ARGS...: a BenchServer JVM; sets SERVER_PID and SERVER_PORT.
start_server() {
    local name=$1 log="$RESULTS_DIR/server-$1.log"
    shift
    # shellcheck disable=SC2086
    java $SERVER_JVM_OPTS -cp "$JAR" dev.skynetbridge.bench.BenchServer --port 0 --max-seconds 900 "$@" >"$log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    for _ in $(seq 1 400); do
        grep -q '^pid=' "$log" 2>/dev/null && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    SERVER_PORT=$(sed -n 's/^pid=[0-9]* port=\([0-9]*\).*/\1/p' "$log")
    if [ -z "$SERVER_PORT" ]; then
        echo "BenchServer $name did not start; see $log" >&2
        cat "$log" >&2
        exit 1
    fi
    echo "== server $name: pid $SERVER_PID port $SERVER_PORT"
}

cpu_seconds() {
    awk '{print ($14 + $15) / 100}' "/proc/$1/stat"
}

# load ARGS...: one ServerLoadTool run; its RESULT line goes to results.txt.
load() {
    # shellcheck disable=SC2086
    java $CLIENT_JVM_OPTS -cp "$JAR" dev.skynetbridge.bench.ServerLoadTool "$@" \
        | tee -a "$RESULTS_DIR/load.log" | grep -E '^(RESULT|THREADS)\|' >>"$RESULTS_DIR/results.txt" || true
}

echo "results in $RESULTS_DIR; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$RESULTS_DIR/results.txt"

start_server single
for rate in ${RATES:-0 50000}; do
    label="one gateway: fanout 1->10 $([ "$rate" = 0 ] && echo max || echo "@$rate delivered/s")"
    load fanout --pubs 1 --subs 10 --warmup "$WARMUP" --duration "$DURATION" --delivered-rate "$rate" \
        --url "ws://127.0.0.1:$SERVER_PORT/connect" --server-pid "$SERVER_PID" --label "$label"
done
stop_all

NATS_PORT=$(free_port)
"$NATS_SERVER" -a 127.0.0.1 -p "$NATS_PORT" >"$RESULTS_DIR/nats.log" 2>&1 &
NATS_PID=$!
PIDS+=("$NATS_PID")
for _ in $(seq 1 100); do
    (echo > "/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null && break
    sleep 0.1
done
echo "== nats-server: pid $NATS_PID port $NATS_PORT"
declare -a NODE_PID NODE_PORT
for node in 1 2 3; do
    # shellcheck disable=SC2086
    start_server "node$node" --nats-url "nats://127.0.0.1:$NATS_PORT" --node-id "node-$node" ${NODE_ARGS:-}
    NODE_PID[$node]=$SERVER_PID
    NODE_PORT[$node]=$SERVER_PORT
done
for rate in ${RATES:-0 50000}; do
    label="three gateways, 1 pub on node 1, 10 subs on nodes 2+3: fanout 1->10 $([ "$rate" = 0 ] && echo max || echo "@$rate delivered/s")"
    nats0=$(cpu_seconds "$NATS_PID")
    t0=$(date +%s.%N)
    load fanout --pubs 1 --subs 10 --warmup "$WARMUP" --duration "$DURATION" --delivered-rate "$rate" \
        --url "ws://127.0.0.1:${NODE_PORT[1]}/connect" \
        --sub-urls "ws://127.0.0.1:${NODE_PORT[2]}/connect,ws://127.0.0.1:${NODE_PORT[3]}/connect" \
        --server-pid "${NODE_PID[1]}" --more-pids "${NODE_PID[2]},${NODE_PID[3]}" --settle-ms 1000 --label "$label"
    nats1=$(cpu_seconds "$NATS_PID")
    t1=$(date +%s.%N)
    echo "   nats-server CPU over the whole run (warm-up and drain included): $(echo "$nats1 - $nats0" | bc) s in $(echo "$t1 - $t0" | bc) s" \
        | tee -a "$RESULTS_DIR/nats-cpu.txt"
done
stop_all

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| scenario | delivered/s | published/s | p50 ms | p99 ms | p99.9 ms | max ms | gateways' CPU (cores) | gateways' CPU s per 1M delivered | generator CPU (cores) | undelivered | load avg (1 min) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
grep '^RESULT|' "$RESULTS_DIR/results.txt" | sed 's/^RESULT|//; s/|/ | /g; s/^/| /; s/$/ |/'
echo
echo "gateways' threads by role over the same windows, in cores (all gateway processes together):"
echo
echo "| scenario | event loops | JIT compiler | GC | console thread | NATS client | other |"
echo "|---|---:|---:|---:|---:|---:|---:|"
awk -F'|' '$1 == "THREADS" {for (i = 3; i <= 8; i++) sub(/^[a-z-]+=/, "", $i); printf "| %s | %s | %s | %s | %s | %s | %s |\n", $2,$3,$4,$5,$6,$7,$8}' "$RESULTS_DIR/results.txt"
cat "$RESULTS_DIR/nats-cpu.txt"
for node in 1 2 3; do
    # The link's counters at its last report (cumulative): sent / batchesSent is messages per NATS message.
    last=$(grep '^cluster ' "$RESULTS_DIR/server-node$node.log" | tail -1 || true)
    [ -n "$last" ] && echo "node-$node $last"
done
grep '^busiest' "$RESULTS_DIR/load.log" || true
