#!/usr/bin/env bash
# Builds the jar, starts the Skynet server alone in its own JVM (BenchServer), runs the load
# scenarios against it from a second JVM (ServerLoadTool) and prints a results table.
#
#   bench/run-server-bench.sh              # everything, about 2 minutes
#   SCENARIOS="fanout-max fanin-max" bench/run-server-bench.sh
#   PROFILE=1 bench/run-server-bench.sh    # also record the server with JFR and print its hot frames
#   SCENARIOS=acl-compare bench/run-server-bench.sh   # access control cost: 5,000 msg/s 1 -> 10, without and with
#                                          # an access file of 1,000 tokens / 10,000 rules, ROUNDS (3) times back to back
#
# Environment: JAR (bench/target/skynet-bridge-bench.jar, the load tool) / SERVER_JAR (the same jar: BenchServer and the product classes it runs), WARMUP (5 s), DURATION (10 s), IDLE_CONNECTIONS (10000), SKIP_BUILD=1,
# SERVER_JVM_OPTS (-Xms64m -Xmx512m), CLIENT_JVM_OPTS (-Xmx1g), RESULTS_DIR (a new temp dir), ROUNDS (3, acl-compare).
set -euo pipefail
cd "$(dirname "$0")/.."

# 10,000 idle connections need 10,000 descriptors in each JVM.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
    echo "warning: ulimit -n is $(ulimit -n); the idle scenario needs about 10,100 descriptors" >&2
fi

WARMUP=${WARMUP:-5}
DURATION=${DURATION:-10}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
SCENARIOS=${SCENARIOS:-"fanout-max fanout-half fanin-max fanin-half idle"}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:-"-Xms64m -Xmx512m"}
CLIENT_JVM_OPTS=${CLIENT_JVM_OPTS:-"-Xmx1g"}
RESULTS_DIR=${RESULTS_DIR:-$(mktemp -d /tmp/skynet-bench.XXXXXX)}
JAR=${JAR:-bench/target/skynet-bridge-bench.jar}
# The server may come from another build (before/after comparisons); the load tool stays the same.
SERVER_JAR=${SERVER_JAR:-$JAR}
mkdir -p "$RESULTS_DIR"

if [ -z "${SKIP_BUILD:-}" ]; then
    bench/build.sh
fi

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap stop_server EXIT

# start_server NAME: a fresh server JVM; sets SERVER_PID and SERVER_PORT.
start_server() {
    local name=$1 log="$RESULTS_DIR/server-$1.log" jfr=""
    shift
    if [ -n "${PROFILE:-}" ]; then
        jfr="-XX:StartFlightRecording=filename=$RESULTS_DIR/server-$name.jfr,settings=profile,dumponexit=true"
    fi
    # shellcheck disable=SC2086
    java $SERVER_JVM_OPTS $jfr -cp "$SERVER_JAR" dev.skynetbridge.bench.BenchServer --port 0 --max-seconds 1800 "$@" >"$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        grep -q '^pid=' "$log" 2>/dev/null && break
        sleep 0.1
    done
    SERVER_PORT=$(sed -n 's/^pid=[0-9]* port=\([0-9]*\).*/\1/p' "$log")
    if [ -z "$SERVER_PORT" ]; then
        echo "BenchServer did not start; see $log" >&2
        cat "$log" >&2
        exit 1
    fi
    echo "== server $name: pid $SERVER_PID port $SERVER_PORT ($SERVER_JVM_OPTS)"
}

# load ARGS...: one ServerLoadTool run against the current server; its RESULT line goes to results.txt.
load() {
    # shellcheck disable=SC2086
    java $CLIENT_JVM_OPTS -cp "$JAR" dev.skynetbridge.bench.ServerLoadTool "$@" \
        --url "ws://127.0.0.1:$SERVER_PORT/connect" --server-pid "$SERVER_PID" \
        | tee -a "$RESULTS_DIR/load.log" | grep '^RESULT|' >>"$RESULTS_DIR/results.txt" || true
}

echo "results in $RESULTS_DIR; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$RESULTS_DIR/results.txt"
traffic=""
for s in $SCENARIOS; do [ "$s" != idle ] && [ "$s" != acl-compare ] && traffic=1; done
if [ -n "$traffic" ]; then
    start_server traffic
    for s in $SCENARIOS; do
        case $s in
            fanout-max)  load fanout --pubs 1 --subs 10 --warmup "$WARMUP" --duration "$DURATION" ;;
            fanout-half) load fanout --pubs 1 --subs 10 --warmup "$WARMUP" --duration "$DURATION" --delivered-rate 50000 ;;
            fanin-max)   load fanin --pubs 10 --subs 1 --warmup "$WARMUP" --duration "$DURATION" ;;
            fanin-half)  load fanin --pubs 10 --subs 1 --warmup "$WARMUP" --duration "$DURATION" --delivered-rate 27500 ;;
            idle|acl-compare) ;;
            *) echo "unknown scenario $s" >&2 ;;
        esac
    done
    stop_server
fi
for s in $SCENARIOS; do
    if [ "$s" = acl-compare ]; then
        # Two servers side by side, both warm: one without an access file, one with 1,000 tokens / 10,000 rules.
        # Each round loads one, then the other, at the same fixed rate (5,000 published/s to 10 subscribers).
        secret="bench-$RANDOM$RANDOM"
        java -cp "$JAR" dev.skynetbridge.bench.AclBenchFile --out "$RESULTS_DIR/acl.yaml" --secret "$secret"
        start_server plain
        PLAIN_PID=$SERVER_PID PLAIN_PORT=$SERVER_PORT
        SERVER_PID=""
        start_server acl --acl-file "$RESULTS_DIR/acl.yaml"
        ACL_PID=$SERVER_PID ACL_PORT=$SERVER_PORT
        trap 'kill "$PLAIN_PID" "$ACL_PID" 2>/dev/null || true; stop_server' EXIT
        for round in $(seq 1 "${ROUNDS:-3}"); do
            SERVER_PID=$PLAIN_PID SERVER_PORT=$PLAIN_PORT
            load fanout --pubs 1 --subs 10 --warmup "$WARMUP" --duration "$DURATION" --delivered-rate 50000 \
                --label "fanout 1->10 @50000/s no access file, round $round"
            load fanout --pubs 1 --subs 10 --warmup "$WARMUP" --duration "$DURATION" --delivered-rate 50000 --sub-wildcard \
                --label "fanout 1->10 @50000/s no access file, subscribers on \"*\", round $round"
            SERVER_PID=$ACL_PID SERVER_PORT=$ACL_PORT
            load fanout --pubs 1 --subs 10 --warmup "$WARMUP" --duration "$DURATION" --delivered-rate 50000 \
                --pub-token "bench-pub:$secret" --sub-token "bench-sub:$secret" \
                --label "fanout 1->10 @50000/s access file, round $round"
            load fanout --pubs 1 --subs 10 --warmup "$WARMUP" --duration "$DURATION" --delivered-rate 50000 \
                --pub-token "bench-pub:$secret" --sub-token "bench-sub:$secret" --sub-wildcard \
                --label "fanout 1->10 @50000/s access file, subscribers on \"*\" with deny rules, round $round"
        done
        kill "$PLAIN_PID" 2>/dev/null || true
        wait "$PLAIN_PID" 2>/dev/null || true
        SERVER_PID=$ACL_PID
        stop_server
    fi
    if [ "$s" = idle ]; then
        start_server idle
        sleep 2 # let the JVM finish starting before the "0 connections" reading
        load idle --connections "$IDLE_CONNECTIONS" --gc-server
        stop_server
    fi
done

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
if grep -q -v '^RESULT|idle' "$RESULTS_DIR/results.txt"; then
    echo "| scenario | delivered/s | published/s | p50 ms | p99 ms | p99.9 ms | max ms | server CPU (cores) | server CPU s per 1M delivered | generator CPU (cores) | undelivered | load avg (1 min) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    grep -v '^RESULT|idle' "$RESULTS_DIR/results.txt" | awk -F'|' '{printf "| %s | %\047d | %\047d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13}'
fi
if grep -q '^RESULT|idle' "$RESULTS_DIR/results.txt"; then
    echo
    echo "| scenario | connections open | server RSS before (MiB) | RSS with connections (MiB) | RSS after full GC (MiB) | routing check | load avg |"
    echo "|---|---:|---:|---:|---:|---|---:|"
    grep '^RESULT|idle' "$RESULTS_DIR/results.txt" | awk -F'|' '{printf "| %s | %s | %.0f | %.0f | %s | %s | %s |\n", $2,$3,$4/1024,$5/1024,($6<0?"-":sprintf("%.0f",$6/1024)),$7,$8}'
fi

if [ -n "${PROFILE:-}" ]; then
    for f in "$RESULTS_DIR"/server-*.jfr; do
        [ -f "$f" ] || continue
        echo
        echo "== hottest top frames in $f (jdk.ExecutionSample)"
        jfr print --events jdk.ExecutionSample "$f" | grep -A1 'stackTrace = \[' | grep -v -e 'stackTrace' -e '^--' \
            | sed 's/line:.*//' | sort | uniq -c | sort -rn | head -25
    done
fi
