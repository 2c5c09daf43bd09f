#!/usr/bin/env bash
# The console's cost: one gateway JVM (java -jar target/skynet-bridge.jar, the console on its management port),
# loaded by ServerLoadTool at a fixed 5,000 msg/s 1 -> 10 (50,000 deliveries/s), ROUNDS times back to back:
# first with no console open, then with the console open and its traffic view live (a ConsoleViewer reading
# /api/events and, where installed, a headless Chromium showing the page). Same warm JVM for both, so only the
# console differs. With BASELINE_JAR (a gateway jar built without the console, e.g. from main), a second gateway
# runs side by side and each round starts with it: what the always-on counters cost with the console closed.
# Prints gateway CPU per run and what the viewer received.
#
#   bench/run-console-bench.sh
#   ROUNDS=5 WARMUP=20 DURATION=20 SKIP_BUILD=1 BASELINE_JAR=/tmp/main/target/skynet-bridge.jar bench/run-console-bench.sh
#
# Environment: ROUNDS (4), WARMUP_ROUNDS (2: closed and open runs left out of the table), WARMUP (10 s), DURATION (15 s), SKIP_BUILD=1, CHROMIUM (/usr/bin/chromium; "none": only
# the ConsoleViewer), GATEWAY_JVM_OPTS (-Xms64m -Xmx512m), CLIENT_JVM_OPTS (-Xmx1g), RESULTS_DIR (a new temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-4}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-2}
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-15}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:-"-Xms64m -Xmx512m"}
CLIENT_JVM_OPTS=${CLIENT_JVM_OPTS:-"-Xmx1g"}
RESULTS_DIR=${RESULTS_DIR:-$(mktemp -d /tmp/skynet-console-bench.XXXXXX)}
JAR=bench/target/skynet-bridge-bench.jar
mkdir -p "$RESULTS_DIR/routes"

if [ -z "${SKIP_BUILD:-}" ]; then
    bench/build.sh
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

PIDS=() VIEWER_PID="" CHROMIUM_PID=""
cleanup() {
    for pid in $CHROMIUM_PID $VIEWER_PID "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

# start_gateway NAME JAR READY_LINE: the whole gateway as a user runs it, with nothing but the Skynet server and
# the management server: no routes, no MQTT broker, no webhook server; connection limits off (one publisher here
# sends far more than their defaults allow). Sets GATEWAY_PID, SKYNET_PORT, MANAGEMENT_PORT.
start_gateway() {
    local name=$1 jar=$2 ready=$3 log="$RESULTS_DIR/gateway-$1.log"
    # Each jar with the settings file of its own tree (a setting unknown to a jar stops it).
    local config
    config="$(cd "$(dirname "$jar")/.." && pwd)/config/application.properties"
    SKYNET_PORT=$(free_port)
    MANAGEMENT_PORT=$(free_port)
    # shellcheck disable=SC2086
    env SKYNET_CONFIG="$config" SKYNET_ROUTES_DIR="$RESULTS_DIR/routes" \
        SKYNET_SERVER_HOST=127.0.0.1 SKYNET_SERVER_PORT="$SKYNET_PORT" SKYNET_MANAGEMENT_PORT="$MANAGEMENT_PORT" \
        SKYNET_HTTP_ENABLED=false SKYNET_MQTT_EMBEDDED_ENABLED=false \
        SKYNET_SERVER_LIMIT_MESSAGES_PER_SECOND=0 SKYNET_SERVER_LIMIT_BYTES_PER_SECOND=0 \
        SKYNET_SERVER_LIMIT_CONNECTIONS_PER_ADDRESS=0 SKYNET_SERVER_LIMIT_CONNECTIONS=0 \
        java $GATEWAY_JVM_OPTS -jar "$jar" >"$log" 2>&1 &
    GATEWAY_PID=$!
    PIDS+=("$GATEWAY_PID")
    for _ in $(seq 1 300); do
        grep -q "$ready" "$log" 2>/dev/null && break
        kill -0 "$GATEWAY_PID" 2>/dev/null || { cat "$log" >&2; exit 1; }
        sleep 0.1
    done
    grep -q "$ready" "$log" || { echo "gateway $name: no '$ready' after 30 s; see $log" >&2; exit 1; }
    echo "== gateway $name ($jar): pid $GATEWAY_PID, Skynet :$SKYNET_PORT, management :$MANAGEMENT_PORT"
}

echo "results in $RESULTS_DIR; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BASELINE_JAR:-}" ]; then
    start_gateway baseline "$BASELINE_JAR" 'Apache Camel .* started'
    BASE_PID=$GATEWAY_PID BASE_PORT=$SKYNET_PORT
fi
start_gateway console target/skynet-bridge.jar 'Console on'

# load LABEL [PORT PID]: one run against the console gateway (or the one given).
load() {
    # shellcheck disable=SC2086
    java $CLIENT_JVM_OPTS -cp "$JAR" dev.skynetbridge.bench.ServerLoadTool fanout --pubs 1 --subs 10 \
        --delivered-rate 50000 --warmup "$WARMUP" --duration "$DURATION" --label "$1" \
        --url "ws://127.0.0.1:${2:-$SKYNET_PORT}/connect" --server-pid "${3:-$GATEWAY_PID}" \
        | tee -a "$RESULTS_DIR/load.log" | grep -E '^(RESULT|THREADS)\|' >>"$RESULTS_DIR/${RESULTS_FILE:-results}.txt" || true
}

open_console() {
    java -Xmx128m -cp "$JAR" dev.skynetbridge.bench.ConsoleViewer --url "http://127.0.0.1:$MANAGEMENT_PORT/api/events" \
        --seconds $((WARMUP + DURATION + 5)) >>"$RESULTS_DIR/viewer.log" 2>&1 &
    VIEWER_PID=$!
    if [ "$CHROMIUM" != none ] && [ -x "$CHROMIUM" ]; then
        "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
            --user-data-dir="$RESULTS_DIR/chromium" "http://127.0.0.1:$MANAGEMENT_PORT/" >"$RESULTS_DIR/chromium.log" 2>&1 &
        CHROMIUM_PID=$!
    fi
}

close_console() {
    if [ -n "$CHROMIUM_PID" ]; then
        kill "$CHROMIUM_PID" 2>/dev/null || true
        wait "$CHROMIUM_PID" 2>/dev/null || true
        CHROMIUM_PID=""
    fi
    wait "$VIEWER_PID" 2>/dev/null || true
    VIEWER_PID=""
}

: >"$RESULTS_DIR/results.txt"
: >"$RESULTS_DIR/warmup.txt"
# Warm-up rounds, not in the table: the first time the console is open the JIT compiler compiles its code (JSON,
# the state views) and for a minute costs more than the console itself; the steady cost is what stays open.
for round in $(seq 1 "$WARMUP_ROUNDS"); do
    RESULTS_FILE=warmup load "warm-up: console closed, round $round"
    open_console
    RESULTS_FILE=warmup load "warm-up: console open, round $round"
    close_console
done
# Measured rounds alternate the order (closed first, then open first), so a drift of the machine during a round
# does not always favour the same side.
for round in $(seq 1 "$ROUNDS"); do
    if [ -n "${BASELINE_JAR:-}" ]; then
        load "baseline gateway (no console code), round $round" "$BASE_PORT" "$BASE_PID"
    fi
    if [ $((round % 2)) -eq 1 ]; then
        load "console closed, round $round"
    fi
    open_console
    load "console open, traffic live, round $round"
    close_console
    if [ $((round % 2)) -eq 0 ]; then
        load "console closed, round $round"
    fi
done
curl -s "http://127.0.0.1:$MANAGEMENT_PORT/api/overview" >"$RESULTS_DIR/overview.json" || true

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | delivered/s | published/s | p50 ms | p99 ms | gateway CPU (cores) | gateway CPU s per 1M delivered | undelivered | load avg |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
awk -F'|' '$1 == "RESULT" {printf "| %s | %\047d | %\047d | %s | %s | %s | %s | %s | %s |\n", $2,$3,$4,$5,$6,$9,$10,$12,$13}' "$RESULTS_DIR/results.txt"
echo
echo "gateway threads by role over the same windows, in cores (the console's own thread, the JIT compiler, ...):"
echo
echo "| run | event loops | JIT compiler | GC | console thread | other |"
echo "|---|---:|---:|---:|---:|---:|"
awk -F'|' '$1 == "THREADS" {for (i = 3; i <= 8; i++) sub(/^[a-z-]+=/, "", $i); printf "| %s | %s | %s | %s | %s | %s |\n", $2,$3,$4,$5,$6,$8}' "$RESULTS_DIR/results.txt"
echo
# Medians of CPU per 1M delivered, closed against open: the figure the issue's aim (at most +10 %) is about.
median() {
    grep '^RESULT|' "$RESULTS_DIR/results.txt" | awk -F'|' -v side="$1" '$2 ~ side {print $10}' | sort -g \
        | awk '{v[NR] = $1} END {if (NR) printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
CLOSED_MEDIAN=$(median closed) OPEN_MEDIAN=$(median open)
echo "median gateway CPU s per 1M delivered: console closed ${CLOSED_MEDIAN:-?}, open ${OPEN_MEDIAN:-?}"
if [ -n "$CLOSED_MEDIAN" ] && [ -n "$OPEN_MEDIAN" ]; then
    awk -v c="$CLOSED_MEDIAN" -v o="$OPEN_MEDIAN" 'BEGIN {printf "console open / closed: %+.1f %%\n", 100 * (o / c - 1)}'
fi
echo
echo "viewer (one line per open run): $(grep -c '^VIEWER|' "$RESULTS_DIR/viewer.log" || true) runs"
grep '^console viewer' "$RESULTS_DIR/viewer.log" || true
echo "gateway counters at the end: $(cat "$RESULTS_DIR/overview.json")"
