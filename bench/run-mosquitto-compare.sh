#!/usr/bin/env bash
# Hub CPU per delivery, the gateway's Skynet server against Mosquitto doing the same fan-out at the same fixed
# rate, back to back in one run (issue 8: "hub CPU per message at most Mosquitto's").
#
#   bench/run-mosquitto-compare.sh        # ROUNDS (2) x { mosquitto, skynet } x { 1 -> 10 @ 5,000/s, 10 -> 1 @ 20,000/s }
#
# Mosquitto: one mosquitto_pub -l -q 0 per publisher fed by bench/paced-lines.py (16-byte payloads), mosquitto_sub
# -q 0 subscribers counting lines; its CPU is read from /proc over the measured window. Skynet: BenchServer (the
# server and hub alone, no Camel) loaded by ServerLoadTool with 16-byte payloads; it reports the server's CPU.
# Environment: ROUNDS (2), WARMUP (10 s), DURATION (20 s), SKIP_BUILD=1, JAR (bench/target/skynet-bridge-bench.jar),
# SERVER_JVM_OPTS (-Xms64m -Xmx512m), RESULTS_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-20}
JAR=${JAR:-bench/target/skynet-bridge-bench.jar}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:-"-Xms64m -Xmx512m"}
MOSQUITTO=${MOSQUITTO:-/usr/sbin/mosquitto}
RESULTS_DIR=${RESULTS_DIR:-$(mktemp -d /tmp/skynet-mosquitto-compare.XXXXXX)}
mkdir -p "$RESULTS_DIR"
[ -n "${SKIP_BUILD:-}" ] || bench/build.sh

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
cpu_seconds() { # utime + stime of a process, in seconds
    awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

# mosquitto_run PUBS SUBS RATE: prints "mosquitto PUBS->SUBS @RATE: ... µs CPU per delivery"
mosquitto_run() {
    local pubs=$1 subs=$2 rate=$3 port conf pid i t0 t1 c0 c1 sent delivered expected
    port=$(free_port)
    conf="$RESULTS_DIR/mosquitto.conf"
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n' "$port" >"$conf"
    "$MOSQUITTO" -c "$conf" >"$RESULTS_DIR/mosquitto.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.1; done
    rm -f "$RESULTS_DIR"/sub-*.count "$RESULTS_DIR"/pub-*.sent
    for i in $(seq 1 "$subs"); do
        local topic=bench/1000
        [ "$pubs" -gt 1 ] && topic='bench/#'
        (mosquitto_sub -q 0 -h 127.0.0.1 -p "$port" -t "$topic" | wc -l >"$RESULTS_DIR/sub-$i.count") &
    done
    sleep 1 # mosquitto_sub says nothing when subscribed; the warm-up absorbs a late one
    for i in $(seq 1 "$pubs"); do
        (python3 bench/paced-lines.py $((rate / pubs)) $((WARMUP + DURATION)) 2>"$RESULTS_DIR/pub-$i.sent" \
            | mosquitto_pub -q 0 -h 127.0.0.1 -p "$port" -t "bench/$((1000 + i - 1))" -l) &
    done
    sleep "$WARMUP"
    c0=$(cpu_seconds "$pid"); t0=$(date +%s.%N)
    sleep "$DURATION"
    c1=$(cpu_seconds "$pid"); t1=$(date +%s.%N)
    while pgrep -f "paced-lines.py" >/dev/null; do sleep 0.2; done
    sleep 2
    pkill -f "mosquitto_sub -q 0 -h 127.0.0.1 -p $port" || true
    sleep 1
    sent=$(cat "$RESULTS_DIR"/pub-*.sent | awk '{s += $1} END {print s}')
    delivered=$(cat "$RESULTS_DIR"/sub-*.count | awk '{s += $1} END {print s}')
    expected=$(( pubs > 1 ? sent : sent * subs ))
    kill "$pid"; wait "$pid" 2>/dev/null || true
    awk -v c="$(echo "$c1 - $c0" | bc -l)" -v t="$(echo "$t1 - $t0" | bc -l)" -v r="$rate" -v s="$subs" -v p="$pubs" \
        -v sent="$sent" -v got="$delivered" -v want="$expected" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN {d = (p > 1 ? r : r * s) * t; printf "mosquitto %d->%d @%d/s: CPU %.3f cores, %.2f µs per delivery; sent %d, delivered %d of %d; load %s\n", p, s, r, c / t, 1e6 * c / d, sent, got, want, la}'
}

# skynet_run PUBS SUBS RATE: BenchServer + ServerLoadTool at the same delivered rate
skynet_run() {
    local pubs=$1 subs=$2 rate=$3 mode=fanout delivered_rate log pid port
    [ "$pubs" -gt 1 ] && mode=fanin
    delivered_rate=$(( pubs > 1 ? rate : rate * subs ))
    log="$RESULTS_DIR/benchserver.log"
    # shellcheck disable=SC2086
    java $SERVER_JVM_OPTS -cp "$JAR" dev.skynetbridge.bench.BenchServer --port 0 --max-seconds 600 >"$log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    until grep -q '^pid=' "$log" 2>/dev/null; do sleep 0.1; done
    port=$(sed -n 's/^pid=[0-9]* port=\([0-9]*\).*/\1/p' "$log")
    java -Xmx1g -cp "$JAR" dev.skynetbridge.bench.ServerLoadTool "$mode" --url "ws://127.0.0.1:$port/connect" \
        --server-pid "$pid" --pubs "$pubs" --subs "$subs" --delivered-rate "$delivered_rate" --warmup "$WARMUP" \
        --duration "$DURATION" --label "skynet $pubs->$subs @$rate/s" 2>&1 | grep ' delivered/s (' || true
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "results in $RESULTS_DIR; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
    echo "== round $round"
    mosquitto_run 1 10 5000
    skynet_run 1 10 5000
    mosquitto_run 10 1 20000
    skynet_run 10 1 20000
done
