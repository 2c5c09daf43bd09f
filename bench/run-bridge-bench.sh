#!/usr/bin/env bash
# The bridge benchmark: Skynet -> MQTT (QoS 0 and 1, Mosquitto) and Skynet -> Kafka (KRaft broker),
# three processes so each one's CPU is its own: the gateway (java -jar, only the bridge under test in
# its routes folder), the broker, and the load tool (BridgeLoadTool: websocket publishers into the
# gateway's Skynet server, an MQTT 5 subscriber (HiveMQ MQTT client) or a Kafka consumer on the far side).
#
#   bench/run-bridge-bench.sh                     # everything, about 4 minutes, prints the table
#   SCENARIOS="kafka-max kafka-2000" bench/run-bridge-bench.sh   # e.g. rerun Kafka after a change
#   PROFILE=1 bench/run-bridge-bench.sh           # also record each gateway with JFR, print hot frames
#
# Scenarios: skynet-max (baseline: no bridge, a websocket subscriber on the gateway's own server),
# mqtt-qos0-max mqtt-qos0-2000 mqtt-qos1-max mqtt-qos1-2000 kafka-max kafka-2000 (2000 = $RATE);
# default-qos0-R default-qos1-R default-qos2-R (R in $DEFAULT_RATES: the out-of-the-box path, i.e. the README's
# bin/skynet-bridge (DEFAULT_LAUNCHER=java-jar: plain `java -jar`), the shipped config/ and routes/, the embedded
# broker, the subscriber on it;
# gateway CPU includes the broker's), default-startup (start to health UP and idle RSS, $STARTS times),
# default-cold-mqtt (from the moment health is UP: 5,000 msg/s for $COLD_DURATION s to a QoS 1 subscriber of the
# embedded broker), default-cold-fanout (the same on the Skynet side: 1 -> 10 listeners, ServerLoadTool);
# default-mqtt-in-qos0-R default-mqtt-in-qos1-R default-mqtt-in-qos2-R (the other way on the default path: one MQTT
# publisher at QoS 0/1/2 on skynet/n/1000 into the embedded broker, the shipped bridge into Skynet, $MQTT_IN_LISTENERS
# websocket listeners of channel 1000, one run per listener count on the same gateway), default-cold-mqtt-in (from
# the moment health is UP: 5,000 msg/s QoS 1 for $COLD_DURATION s into the embedded broker, 10 listeners),
# default-cold-mqtt-in-qos0 (the same at QoS 0: nothing waits for a QoS 0 message but the bridge's MQTT client);
# not in the default set: nodered-qos0-max nodered-qos0-2000 nodered-qos1-max nodered-qos1-2000, the same
# bridging done by Node-RED (bench/node-red/flows.json; needs `npm install --prefix bench/node-red` once).
# Environment: WARMUP (5 s), KAFKA_WARMUP (30 s, the first Kafka scenario), DURATION (10 s), RATE (2000, the fixed-rate scenarios), WINDOW (2000),
# PUBS (1), MQTT_IN_LISTENERS ("10 1"), PAYLOAD_FORMAT (json; MQTT body json|cbor), KAFKA_FORMAT (cbor|json), SKIP_BUILD=1,
# JAR (bench/target/skynet-bridge-bench.jar, the load tool), GATEWAY_JAR (target/skynet-bridge.jar; another build for before/after, same load tool),
# GATEWAY_JVM_OPTS (-Xms512m -Xmx512m), TOOL_JVM_OPTS (-Xmx1g), KAFKA_JVM_OPTS (-Xms512m -Xmx512m),
# MOSQUITTO (/usr/sbin/mosquitto), DEFAULT_LAUNCHER (bin/skynet-bridge; java-jar), RESULTS_DIR (a new temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP=${WARMUP:-5}
# A fresh broker JVM and the gateway's Kafka client compile for seconds: the first Kafka run warms longer.
KAFKA_WARMUP=${KAFKA_WARMUP:-30}
DURATION=${DURATION:-10}
RATE=${RATE:-2000}
WINDOW=${WINDOW:-2000}
PUBS=${PUBS:-1}
PAYLOAD_FORMAT=${PAYLOAD_FORMAT:-json}
KAFKA_FORMAT=${KAFKA_FORMAT:-cbor}
DEFAULT_RATES=${DEFAULT_RATES:-"5000 20000"}
STARTS=${STARTS:-3}
IDLE=${IDLE:-20}
COLD_DURATION=${COLD_DURATION:-30}
MQTT_IN_LISTENERS=${MQTT_IN_LISTENERS:-"10 1"}
SCENARIOS=${SCENARIOS:-"skynet-max mqtt-qos0-max mqtt-qos0-2000 mqtt-qos1-max mqtt-qos1-2000 kafka-max kafka-2000"}
JAR=${JAR:-bench/target/skynet-bridge-bench.jar}
GATEWAY_JAR=${GATEWAY_JAR:-target/skynet-bridge.jar}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:-"-Xms512m -Xmx512m"}
TOOL_JVM_OPTS=${TOOL_JVM_OPTS:-"-Xmx1g"}
KAFKA_JVM_OPTS=${KAFKA_JVM_OPTS:-"-Xms512m -Xmx512m"}
MOSQUITTO=${MOSQUITTO:-/usr/sbin/mosquitto}
NODE_RED=${NODE_RED:-bench/node-red/node_modules/.bin/node-red}
RESULTS_DIR=${RESULTS_DIR:-$(mktemp -d /tmp/skynet-bridge-bench.XXXXXX)}
CHANNEL=1000
mkdir -p "$RESULTS_DIR"

if [ -z "${SKIP_BUILD:-}" ]; then
    bench/build.sh
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT PID WHAT LOG: until PORT accepts connections, failing if PID exits or 90 s pass.
wait_port() {
    for _ in $(seq 1 900); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$2" 2>/dev/null; then
            echo "$3 exited before listening on $1; see $4" >&2
            tail -30 "$4" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "$3 did not listen on $1 within 90 s; see $4" >&2
    exit 1
}

PIDS=()
stop_pid() {
    local pid=$1
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        wait "$pid" 2>/dev/null || true
    fi
}
cleanup() {
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
}
trap cleanup EXIT

BROKER_PID=""
start_mosquitto() {
    MQTT_PORT=$(free_port)
    # max_queued_messages: Mosquitto's default (1000 per client) is below the load tool's window, so a
    # subscriber that falls behind a fast QoS 1 bridge lost messages on the broker's side (its log says
    # "Outgoing messages are being dropped"); the tool's window bounds the queue instead.
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nmax_queued_messages %s\n' \
        "$MQTT_PORT" "$((WINDOW * 5))" >"$RESULTS_DIR/mosquitto.conf"
    "$MOSQUITTO" -c "$RESULTS_DIR/mosquitto.conf" >"$RESULTS_DIR/mosquitto.log" 2>&1 &
    BROKER_PID=$!
    PIDS+=("$BROKER_PID")
    wait_port "$MQTT_PORT" "$BROKER_PID" mosquitto "$RESULTS_DIR/mosquitto.log"
    echo "== mosquitto $("$MOSQUITTO" -h 2>/dev/null | head -1 | sed 's/.*version //'): pid $BROKER_PID port $MQTT_PORT"
}

start_kafka() {
    local log="$RESULTS_DIR/kafka.log"
    # shellcheck disable=SC2086
    java $KAFKA_JVM_OPTS -cp "$JAR" dev.skynetbridge.bench.BenchKafkaBroker --topic skynet >"$log" 2>&1 &
    BROKER_PID=$!
    PIDS+=("$BROKER_PID")
    for _ in $(seq 1 900); do
        grep -q '^pid=' "$log" 2>/dev/null && break
        if ! kill -0 "$BROKER_PID" 2>/dev/null; then
            echo "the Kafka broker exited; see $log" >&2
            tail -30 "$log" >&2
            exit 1
        fi
        sleep 0.1
    done
    KAFKA_BOOTSTRAP=$(sed -n 's/^pid=[0-9]* bootstrap=\([^ ]*\).*/\1/p' "$log")
    if [ -z "$KAFKA_BOOTSTRAP" ]; then
        echo "the Kafka broker did not start within 90 s; see $log" >&2
        exit 1
    fi
    echo "== kafka (KRaft, kafka_2.13 3.9.1): pid $BROKER_PID bootstrap $KAFKA_BOOTSTRAP ($KAFKA_JVM_OPTS)"
}

# write_routes NAME: a routes folder holding only the bridge under test; prints its path.
write_routes() {
    local dir="$RESULTS_DIR/routes-$1"
    mkdir -p "$dir"
    case $1 in
        mqtt-qos*)
            # The shipped default bridge (routes/mqtt-bridge.yaml): both directions, every channel.
            cat >"$dir/bench-mqtt.yaml" <<EOF
- templatedRoute:
    routeTemplateRef: skynet-mqtt-bridge
    routeId: bench-to-mqtt
    parameters:
      - name: bridgeId
        value: bench
      - name: qos
        value: "${1#mqtt-qos}"
      - name: payloadFormat
        value: $PAYLOAD_FORMAT
EOF
            ;;
        skynet) ;; # no bridge at all
        kafka)
            cat >"$dir/bench-kafka.yaml" <<EOF
- route:
    id: bench-kafka-archive
    from:
      uri: kamelet:skynet-source
      parameters:
        bridgeId: kafka
      steps:
        - to:
            uri: kamelet:skynet-kafka-archive-sink
            parameters:
              topic: skynet
              format: $KAFKA_FORMAT
EOF
            ;;
    esac
    echo "$dir"
}

GATEWAY_PID=""
# start_gateway NAME: java -jar with only the bridge NAME; sets GATEWAY_PID and GATEWAY_PORT.
start_gateway() {
    local name=$1 log="$RESULTS_DIR/gateway-$1.log" jfr="" routes
    routes=$(write_routes "$name")
    GATEWAY_PORT=$(free_port)
    if [ -n "${PROFILE:-}" ]; then
        jfr="-XX:StartFlightRecording=filename=$RESULTS_DIR/gateway-$name.jfr,settings=profile,dumponexit=true"
    fi
    # shellcheck disable=SC2086
    env SKYNET_SERVER_PORT="$GATEWAY_PORT" SKYNET_SERVER_HOST=127.0.0.1 SKYNET_ROUTES_DIR="$routes" \
        SKYNET_MQTT_URL="${MQTT_PORT:+tcp://127.0.0.1:$MQTT_PORT}" SKYNET_MQTT_EMBEDDED_ENABLED=false \
        SKYNET_KAFKA_BROKERS="${KAFKA_BOOTSTRAP:-127.0.0.1:9}" SKYNET_HTTP_ENABLED=false CAMEL_MANAGEMENT_ENABLED=false \
        java $GATEWAY_JVM_OPTS $jfr -jar "$GATEWAY_JAR" >"$log" 2>&1 &
    GATEWAY_PID=$!
    PIDS+=("$GATEWAY_PID")
    wait_port "$GATEWAY_PORT" "$GATEWAY_PID" gateway "$log"
    echo "== gateway $name: pid $GATEWAY_PID port $GATEWAY_PORT ($GATEWAY_JVM_OPTS), routes $routes"
}

# start_default_gateway NAME [MGMT_PORT]: the README's run command (bin/skynet-bridge: its JVM options and the
# class-data archive beside GATEWAY_JAR when not older than it; DEFAULT_LAUNCHER=java-jar for plain `java -jar`)
# on the shipped config/ and routes/, every port free; sets GATEWAY_PID, GATEWAY_PORT, EMBEDDED_MQTT_PORT and
# GATEWAY_STARTED_NS.
start_default_gateway() {
    local log="$RESULTS_DIR/gateway-$1.log" mgmt=${2:-} launcher=bin/skynet-bridge
    if [ "${DEFAULT_LAUNCHER:-}" = java-jar ]; then
        launcher="java -jar $GATEWAY_JAR"
    fi
    GATEWAY_PORT=$(free_port)
    EMBEDDED_MQTT_PORT=$(free_port)
    GATEWAY_STARTED_NS=$(date +%s%N)
    env SKYNET_SERVER_PORT="$GATEWAY_PORT" SKYNET_SERVER_HOST=127.0.0.1 SKYNET_MQTT_EMBEDDED_PORT="$EMBEDDED_MQTT_PORT" \
        SKYNET_HTTP_PORT="$(free_port)" SKYNET_HTTP_HOST=127.0.0.1 SKYNET_MANAGEMENT_PORT="${mgmt:-$(free_port)}" \
        SKYNET_JAR="$GATEWAY_JAR" $launcher >"$log" 2>&1 &
    GATEWAY_PID=$!
    PIDS+=("$GATEWAY_PID")
}

# rss_mib PID: resident memory of a process in MiB.
rss_mib() {
    awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$1/status"
}

stop_gateway() {
    stop_pid "$GATEWAY_PID"
    grep -E 'dropped|WARN|ERROR' "$RESULTS_DIR/gateway-$1.log" | grep -v -e 'Mosquitto' | tail -5 || true
}

stop_broker() {
    stop_pid "$BROKER_PID"
    BROKER_PID=""
    MQTT_PORT=""
    KAFKA_BOOTSTRAP=""
}

# load SINK ARGS...: one BridgeLoadTool run; its RESULT line goes to results.txt.
load() {
    local sink=$1
    shift
    # shellcheck disable=SC2086
    java $TOOL_JVM_OPTS -cp "$JAR" dev.skynetbridge.bench.BridgeLoadTool "$sink" \
        --url "ws://127.0.0.1:$GATEWAY_PORT/connect" --channel "$CHANNEL" --pubs "$PUBS" --window "$WINDOW" \
        --warmup "$WARMUP" --duration "$DURATION" --gateway-pid "$GATEWAY_PID" --broker-pid "$BROKER_PID" "$@" \
        2>&1 | tee -a "$RESULTS_DIR/load.log" | grep -e '^RESULT|' -e ' delivered/s (' -e 'Exception' -e 'BridgeLoadTool:' -e 'duplicate:' -e 'missing from' \
        -e 'busiest gateway threads' -e 'refused' -e 'receive maximum' \
        | tee -a "$RESULTS_DIR/results.txt.all" | grep '^RESULT|' >>"$RESULTS_DIR/results.txt" || true
    tail -1 "$RESULTS_DIR/results.txt.all" || true
}

wanted() {
    for s in $SCENARIOS; do case $s in $1) return 0 ;; esac; done
    return 1
}

echo "results in $RESULTS_DIR; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$RESULTS_DIR/results.txt"
if wanted skynet-max; then
    start_gateway skynet
    BROKER_PID=-1
    load skynet
    stop_gateway skynet
    BROKER_PID=""
fi
if wanted 'mqtt-*'; then
    start_mosquitto
    for qos in 0 1; do
        wanted "mqtt-qos$qos-*" || continue
        start_gateway "mqtt-qos$qos"
        wanted "mqtt-qos$qos-max" && load mqtt --mqtt-url "tcp://127.0.0.1:$MQTT_PORT" --qos "$qos"
        wanted "mqtt-qos$qos-$RATE" && load mqtt --mqtt-url "tcp://127.0.0.1:$MQTT_PORT" --qos "$qos" --rate "$RATE"
        stop_gateway "mqtt-qos$qos"
    done
    stop_broker
fi
if wanted 'nodered-*'; then
    # The same bridging in Node-RED, for the comparison the issue quotes: websocket (Skynet v1 JSON) in,
    # JSON parse, the message body, MQTT 5 out. The gateway runs only its Skynet server; the CPU column
    # is Node-RED's. NODE_RED: its binary (npm install node-red; see BENCHMARKS.md).
    if [ ! -x "$NODE_RED" ]; then
        echo "nodered-*: $NODE_RED is not executable; install Node-RED (npm install --prefix bench/node-red node-red) or set NODE_RED" >&2
        exit 1
    fi
    start_mosquitto
    start_gateway skynet
    for qos in 0 1; do
        wanted "nodered-qos$qos-*" || continue
        nodered_dir="$RESULTS_DIR/node-red-qos$qos"
        mkdir -p "$nodered_dir"
        sed -e "s|@@SKYNET_V1_URL@@|ws://127.0.0.1:$GATEWAY_PORT/v1/connect|" -e "s|@@MQTT_PORT@@|$MQTT_PORT|" \
            -e "s|@@SKYNET_CHANNEL@@|$CHANNEL|g" -e "s|@@MQTT_QOS@@|$qos|" bench/node-red/flows.json >"$nodered_dir/flows.json"
        nodered_port=$(free_port)
        "$NODE_RED" --userDir "$nodered_dir" --port "$nodered_port" "$nodered_dir/flows.json" >"$RESULTS_DIR/node-red-qos$qos.log" 2>&1 &
        NODE_RED_PID=$!
        PIDS+=("$NODE_RED_PID")
        wait_port "$nodered_port" "$NODE_RED_PID" Node-RED "$RESULTS_DIR/node-red-qos$qos.log"
        # The tool's probe waits until a message crosses Node-RED, so its connections are up before counting.
        gateway_pid=$GATEWAY_PID
        GATEWAY_PID=$(pgrep -P "$NODE_RED_PID" node || echo "$NODE_RED_PID")
        wanted "nodered-qos$qos-max" && load mqtt --mqtt-url "tcp://127.0.0.1:$MQTT_PORT" --qos "$qos" \
            --label "node-red qos$qos max" --ready-timeout 60
        wanted "nodered-qos$qos-$RATE" && load mqtt --mqtt-url "tcp://127.0.0.1:$MQTT_PORT" --qos "$qos" --rate "$RATE" \
            --label "node-red qos$qos @$RATE/s" --ready-timeout 60
        GATEWAY_PID=$gateway_pid
        stop_pid "$NODE_RED_PID"
    done
    stop_gateway skynet
    stop_broker
fi
if wanted 'default-qos*'; then
    for qos in 0 1 2; do
        for rate in $DEFAULT_RATES; do
            wanted "default-qos$qos-$rate" || continue
            start_default_gateway "default-qos$qos-$rate"
            wait_port "$EMBEDDED_MQTT_PORT" "$GATEWAY_PID" gateway "$RESULTS_DIR/gateway-default-qos$qos-$rate.log"
            BROKER_PID=-1 # the embedded broker is inside the gateway process
            load mqtt --mqtt-url "tcp://127.0.0.1:$EMBEDDED_MQTT_PORT" --qos "$qos" --rate "$rate" \
                --label "default path qos$qos @$rate/s"
            stop_gateway "default-qos$qos-$rate"
            BROKER_PID=""
        done
    done
fi
if wanted 'default-mqtt-in-qos*'; then
    for qos in 0 1 2; do
        for rate in $DEFAULT_RATES; do
            name="default-mqtt-in-qos$qos-$rate"
            wanted "$name" || continue
            start_default_gateway "$name"
            wait_port "$EMBEDDED_MQTT_PORT" "$GATEWAY_PID" gateway "$RESULTS_DIR/gateway-$name.log"
            BROKER_PID=-1 # the embedded broker is inside the gateway process
            for listeners in $MQTT_IN_LISTENERS; do
                load mqtt-in --mqtt-url "tcp://127.0.0.1:$EMBEDDED_MQTT_PORT" --qos "$qos" --rate "$rate" \
                    --listeners "$listeners" --label "default path mqtt-in qos$qos @$rate/s -> $listeners listeners"
            done
            stop_gateway "$name"
            BROKER_PID=""
        done
    done
fi
# start_default_until_up NAME: start_default_gateway with a management port, then wait for health UP; sets
# READY_MS (empty when it never came up).
start_default_until_up() {
    local mgmt
    mgmt=$(free_port)
    start_default_gateway "$1" "$mgmt"
    READY_MS=""
    for _ in $(seq 1 1200); do
        if curl -fs "http://127.0.0.1:$mgmt/observe/health" 2>/dev/null | grep -q '"UP"'; then
            READY_MS=$(( ($(date +%s%N) - GATEWAY_STARTED_NS) / 1000000 ))
            return
        fi
        kill -0 "$GATEWAY_PID" 2>/dev/null || return
        sleep 0.02
    done
}
if wanted default-cold-mqtt; then
    start_default_until_up cold-mqtt
    BROKER_PID=-1
    load mqtt --mqtt-url "tcp://127.0.0.1:$EMBEDDED_MQTT_PORT" --qos 1 --rate 5000 --warmup 0 \
        --duration "$COLD_DURATION" --label "cold start (UP after ${READY_MS:-never} ms) qos1 @5000/s"
    stop_gateway cold-mqtt
    BROKER_PID=""
fi
for cold_in in default-cold-mqtt-in:1 default-cold-mqtt-in-qos0:0; do
    name=${cold_in%:*} qos=${cold_in#*:}
    wanted "$name" || continue
    start_default_until_up "${name#default-}"
    BROKER_PID=-1
    load mqtt-in --mqtt-url "tcp://127.0.0.1:$EMBEDDED_MQTT_PORT" --qos "$qos" --rate 5000 --listeners 10 --warmup 0 \
        --duration "$COLD_DURATION" --label "cold start (UP after ${READY_MS:-never} ms) mqtt-in qos$qos @5000/s -> 10 listeners"
    stop_gateway "${name#default-}"
    BROKER_PID=""
done
if wanted default-cold-fanout; then
    start_default_until_up cold-fanout
    # shellcheck disable=SC2086
    java $TOOL_JVM_OPTS -cp "$JAR" dev.skynetbridge.bench.ServerLoadTool fanout \
        --url "ws://127.0.0.1:$GATEWAY_PORT/connect" --server-pid "$GATEWAY_PID" --pubs 1 --subs 10 \
        --delivered-rate 50000 --warmup 0 --duration "$COLD_DURATION" --window 5000 \
        --label "cold start (UP after ${READY_MS:-never} ms) 1 -> 10 @5000/s" 2>&1 | tee -a "$RESULTS_DIR/load.log" \
        | grep -e ' delivered/s (' -e 'Exception' | tee -a "$RESULTS_DIR/cold-fanout.txt" || true
    stop_gateway cold-fanout
fi
if wanted default-startup; then
    : >"$RESULTS_DIR/startup.txt"
    for run in $(seq 1 "$STARTS"); do
        start_default_until_up "startup-$run"
        ready_ms=$READY_MS
        ready_rss=$(rss_mib "$GATEWAY_PID")
        sleep "$IDLE" # idle on purpose: what the process holds once nothing happens
        echo "startup run $run: health UP after ${ready_ms:-never} ms, RSS at UP $ready_rss MiB, after ${IDLE} s idle $(rss_mib "$GATEWAY_PID") MiB" \
            | tee -a "$RESULTS_DIR/startup.txt"
        stop_gateway "startup-$run"
    done
fi
if wanted 'kafka-*'; then
    start_kafka
    start_gateway kafka
    wanted kafka-max && load kafka --kafka-brokers "$KAFKA_BOOTSTRAP" --topic skynet --warmup "$KAFKA_WARMUP"
    wanted "kafka-$RATE" && load kafka --kafka-brokers "$KAFKA_BOOTSTRAP" --topic skynet --rate "$RATE"
    stop_gateway kafka
    stop_broker
fi

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| scenario | delivered/s | published/s | p50 ms | p99 ms | p99.9 ms | max ms | gateway CPU (cores) | gateway CPU µs per message | gateway system % | gateway context switches per message | broker CPU (cores) | load tool CPU (cores) | sent | missing | duplicates | load avg (1 min) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
awk -F'|' '{printf "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %s | %s | %s |\n", $2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18}' \
    "$RESULTS_DIR/results.txt"

if [ -n "${PROFILE:-}" ]; then
    for f in "$RESULTS_DIR"/gateway-*.jfr; do
        [ -f "$f" ] || continue
        jfr print --events jdk.ExecutionSample "$f" >"$f.txt"
        echo
        echo "== $f: samples per thread (jdk.ExecutionSample)"
        grep 'sampledThread = ' "$f.txt" | sed 's/.*sampledThread = "\([^"]*\)".*/\1/' | sed 's/[0-9][0-9]*$/N/' \
            | sort | uniq -c | sort -rn | head -12
        echo "== $f: hottest top frames"
        grep -A1 'stackTrace = \[' "$f.txt" | grep -v -e 'stackTrace' -e '^--' | sed 's/line:.*//' \
            | sort | uniq -c | sort -rn | head -25
    done
fi
