#!/usr/bin/env bash
# A dry run of docker/ for a machine without a Docker engine: what the Dockerfile builds and what
# compose.yaml wires, played with local processes. It reads the files themselves, so it checks what
# they say, not a copy of it:
#   - every COPY source exists in the build context; the build stage's COPY and RUN lines are played in
#     order on a copy of that context (offline against ~/.m2; with DRY_RUN_FRESH_M2=1 from an empty local
#     repository, downloading as a Docker build does, which also shows the dependency layer is complete);
#   - /app is laid out as the image has it, plus compose's route mounts; the ENTRYPOINT runs there as an
#     unprivileged user with exactly compose's gateway environment and the Dockerfile's ENV;
#   - the compose host names (mosquitto, kafka) point to 127.0.0.1 for the run (a marked /etc/hosts line,
#     removed at the end); Kafka runs from the test classpath with the properties the apache/kafka image
#     derives from compose's KAFKA_* variables; the traffic goes through the Mosquitto on 127.0.0.1:1883
#     (started here from docker/mosquitto.conf if nothing listens there);
#   - the gateway starts before Kafka and the HEALTHCHECK command, run as written, fails until Kafka is
#     up and then passes; one Skynet message each over v2 and v1 and one POST /hooks/alerts with compose's
#     token must reach Mosquitto (mosquitto_sub) and the Kafka topic "skynet"; a wrong token gets 401;
#   - the validate command runs with the same environment.
# What it cannot check: image names and tags, Docker networking and port publishing, the base images'
# contents. Needs root (for /etc/hosts), java, mvn, python3 with PyYAML, mosquitto and mosquitto_sub.
#
#   docker/dry-run.sh                        leaves nothing running; non-zero exit on the first failed check
#   DRY_RUN_FRESH_M2=1 docker/dry-run.sh     the same, the build stage from an empty Maven repository
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=$(mktemp -d /tmp/skynet-dry-run.XXXXXX)
chmod 755 "$WORK"
HOSTS_MARK="# skynet-bridge docker/dry-run.sh"
PIDS=()

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'DRY RUN FAILED: %s\n' "$*" >&2; exit 1; }

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if grep -q "$HOSTS_MARK" /etc/hosts; then
    # Rewritten in place: /etc/hosts may be a bind mount that cannot be replaced.
    hosts=$(grep -v "$HOSTS_MARK" /etc/hosts)
    printf '%s\n' "$hosts" > /etc/hosts
  fi
  # Logs stay; the copies of the build, the jars and a fresh local Maven repository go.
  rm -rf "$WORK/m2" "$WORK/build" "$WORK/app/lib"
  echo "logs: $WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || fail "run as root: the compose host names go into /etc/hosts for the run"
for tool in java mvn python3 mosquitto_sub; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -x "$MOSQUITTO" ] || fail "mosquitto is not installed"
python3 -c 'import yaml' 2>/dev/null || fail "python3 needs PyYAML (apt-get install python3-yaml)"
for port in 3030 8080 8081 9092 9093; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is in use: the dry run uses compose's ports"
  fi
done
for name in mosquitto kafka; do
  if getent hosts "$name" >/dev/null; then
    fail "host name $name already resolves here; the dry run would not know where it connects"
  fi
done

step "Reading docker/Dockerfile and docker/compose.yaml"
python3 - "$REPO" "$WORK" <<'PY'
import json, os, re, shlex, sys, yaml
repo, work = sys.argv[1], sys.argv[2]
docker = os.path.join(repo, "docker")
lines = open(os.path.join(docker, "Dockerfile")).read().replace("\\\n", " ").splitlines()
copies, env, entrypoint, health = [], {}, None, None
build_stage, stage = [], 0
for line in lines:
    parts = line.strip().split(None, 1)
    if not parts or parts[0].startswith("#"):
        continue
    word, rest = parts[0].upper(), (parts[1] if len(parts) > 1 else "")
    if word == "FROM":
        stage += 1
    elif stage == 1 and word == "COPY":
        source, target = shlex.split(rest)
        build_stage.append("COPY=%s=%s" % (source, "." if target == "." else target.rstrip("/").lstrip("./")))
    elif stage == 1 and word == "RUN":
        build_stage.append("RUN=" + rest)
    if stage == 2 and word == "COPY" and "--from=" not in rest:
        copies.append(shlex.split(rest))
    elif word == "ENV":
        for item in shlex.split(rest):
            key, value = item.split("=", 1)
            env[key] = value
    elif word == "ENTRYPOINT":
        entrypoint = json.loads(rest)
    elif word == "HEALTHCHECK":
        health = json.loads(rest[rest.index("CMD") + 3:].strip())
compose = yaml.safe_load(open(os.path.join(docker, "compose.yaml")))
services = compose["services"]
context = os.path.normpath(os.path.join(docker, services["gateway"]["build"]["context"]))
if context != repo:
    sys.exit("compose builds from %s, not the repository root" % context)
for args in copies + [shlex.split(i[5:].replace("=", " ")) for i in build_stage if i.startswith("COPY=")]:
    for source in args[:-1]:
        if not os.path.exists(os.path.join(context, source)):
            sys.exit("COPY source %s is not in the build context %s" % (source, context))
        print("COPY source present:", source)

def expand(value):
    # compose's ${NAME:-default}
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: os.environ.get(m.group(1)) or m.group(2), str(value))

gateway_env = dict(env)
gateway_env.update({k: expand(v) for k, v in services["gateway"]["environment"].items()})
mounts = []
for volume in services["gateway"].get("volumes", []):
    source, target = volume.split(":")[:2]
    if source.startswith("."):
        mounts.append((os.path.normpath(os.path.join(docker, source)), target))
    else:
        mounts.append((None, target))  # a named volume: an empty folder the user can write
# The apache/kafka image: KAFKA_A_B -> a.b, ___ -> '-', __ -> '_'; a few KAFKA_* are not properties.
not_properties = {"KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JMX_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS",
                  "KAFKA_LOG4J_OPTS", "KAFKA_LOG4J_ROOT_LOGLEVEL", "KAFKA_LOG4J_LOGGERS", "KAFKA_TOOLS_LOG4J_LOGLEVEL",
                  "KAFKA_VERSION"}
kafka_env = services["kafka"].get("environment", {})
kafka_props = {}
for key, value in kafka_env.items():
    if key.startswith("KAFKA_") and key not in not_properties:
        name = key[6:].replace("___", "\0").replace("__", "\1").replace("_", ".").replace("\0", "-").replace("\1", "_")
        kafka_props[name.lower()] = str(value)
kafka_props.setdefault("log.dirs", os.path.join(work, "kafka-logs"))
with open(os.path.join(work, "kafka.properties"), "w") as f:
    for key, value in kafka_props.items():
        f.write("%s=%s\n" % (key, value))
with open(os.path.join(work, "plan.sh"), "w") as f:
    f.write("CLUSTER_ID=%s\n" % shlex.quote(str(kafka_env.get("CLUSTER_ID", "5L6g3nShT-eMCtK--X86sw"))))
    f.write("GATEWAY_ENV=(%s)\n" % " ".join(shlex.quote("%s=%s" % kv) for kv in gateway_env.items()))
    f.write("ENTRYPOINT=(%s)\n" % " ".join(shlex.quote(a) for a in entrypoint))
    f.write("HEALTHCHECK=(%s)\n" % " ".join(shlex.quote(a) for a in health))
    f.write("MOUNTS=(%s)\n" % " ".join(shlex.quote("%s=%s" % (s or "", t)) for s, t in mounts))
    f.write("COPIES=(%s)\n" % " ".join(shlex.quote("%s=%s" % (a[0], a[-1])) for a in copies if len(a) == 2))
    f.write("BUILD_STAGE=(%s)\n" % " ".join(shlex.quote(i) for i in build_stage))
print("gateway environment:", " ".join("%s=%s" % kv for kv in gateway_env.items()))
print("kafka properties:", ", ".join("%s=%s" % kv for kv in kafka_props.items()))
PY
# shellcheck disable=SC1091
source "$WORK/plan.sh"

step "Build stage: its COPY and RUN lines in order, on a copy of the build context"
# Offline against ~/.m2 by default; DRY_RUN_FRESH_M2=1 starts from an empty local repository and lets the
# first mvn download, as a Docker build does (about 200 MB).
MVN_EXTRA=(-o)
if [ "${DRY_RUN_FRESH_M2:-0}" = 1 ]; then
  MVN_EXTRA=(-Dmaven.repo.local="$WORK/m2")
fi
mkdir -p "$WORK/build"
: > "$WORK/build.log"
for instruction in "${BUILD_STAGE[@]}"; do
  case "$instruction" in
    COPY=*)
      copy=${instruction#COPY=}
      cp -r "${copy%%=*}" "$WORK/build/${copy#*=}"
      echo "COPY ${copy%%=*}"
      ;;
    RUN=mvn*)
      read -r -a command <<< "${instruction#RUN=}"
      extra=("${MVN_EXTRA[@]}")
      if [ "${extra[*]}" = "-o" ] && [[ " ${command[*]} " == *" -o "* ]]; then
        extra=()
      fi
      echo "RUN ${command[*]} ${extra[*]}"
      (cd "$WORK/build" && "${command[@]}" ${extra[@]+"${extra[@]}"}) >> "$WORK/build.log" 2>&1 \
        || fail "the build stage failed at 'RUN ${command[*]}': $WORK/build.log"
      ;;
    *) fail "the dry run does not know how to play build instruction $instruction" ;;
  esac
done
ls "$WORK/build/target/skynet-bridge.jar" "$WORK/build/target/lib" >/dev/null

step "/app as the image lays it out, plus compose's mounts"
APP="$WORK/app"
mkdir -p "$APP"
cp "$WORK/build/target/skynet-bridge.jar" "$APP/"
cp -r "$WORK/build/target/lib" "$APP/lib"
for copy in "${COPIES[@]}"; do
  cp -r "${copy%%=*}" "$APP/${copy#*=/app/}"
done
mkdir -p "$APP/data"
for mount in "${MOUNTS[@]}"; do
  source_path=${mount%%=*}
  target=$APP/${mount#*=/app/}
  if [ -n "$source_path" ]; then
    cp "$source_path" "$target"
    echo "mounted $source_path -> ${mount#*=}"
  else
    mkdir -p "$target"
  fi
done
chown -R nobody "$APP/data"
ENTRY=("${ENTRYPOINT[@]}")
ENTRY[${#ENTRY[@]}-1]="$APP/skynet-bridge.jar"
ls -R "$APP/routes"

step "Compose host names on 127.0.0.1 for the run"
printf '127.0.0.1 mosquitto kafka %s\n' "$HOSTS_MARK" >> /etc/hosts
getent hosts mosquitto kafka

step "Mosquitto"
sed 's/^listener 1883$/listener 18831 127.0.0.1/' docker/mosquitto.conf > "$WORK/mosquitto-check.conf"
"$MOSQUITTO" -c "$WORK/mosquitto-check.conf" > "$WORK/mosquitto-check.log" 2>&1 &
check_pid=$!
PIDS+=("$check_pid")
for _ in $(seq 50); do
  (exec 3<>/dev/tcp/127.0.0.1/18831) 2>/dev/null && break
  sleep 0.1
done
kill -0 "$check_pid" 2>/dev/null || fail "mosquitto rejects docker/mosquitto.conf: $WORK/mosquitto-check.log"
echo "docker/mosquitto.conf accepted by $("$MOSQUITTO" -h 2>&1 | head -1)"
if (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  echo "traffic goes through the Mosquitto already on 127.0.0.1:1883"
else
  "$MOSQUITTO" -c docker/mosquitto.conf > "$WORK/mosquitto.log" 2>&1 &
  PIDS+=("$!")
  echo "started mosquitto with docker/mosquitto.conf on 1883"
fi

step "Gateway before Kafka is up (compose starts it without waiting for the brokers)"
(cd "$APP" && exec runuser -u nobody -- env -i PATH="$PATH" "${GATEWAY_ENV[@]}" "${ENTRY[@]}") \
  > "$WORK/gateway.log" 2>&1 &
PIDS+=("$!")
health() { (cd "$APP" && runuser -u nobody -- "${HEALTHCHECK[@]}"); }
for _ in $(seq 120); do
  grep -q "(skynet-bridge) started" "$WORK/gateway.log" && break
  grep -q "Cannot start" "$WORK/gateway.log" && fail "the gateway did not start: $WORK/gateway.log"
  sleep 0.5
done
grep -q "(skynet-bridge) started" "$WORK/gateway.log" || fail "no start-up line from the gateway: $WORK/gateway.log"
grep "(skynet-bridge) started" "$WORK/gateway.log"
if health; then fail "HEALTHCHECK passes while Kafka is down"; fi
echo "HEALTHCHECK fails while Kafka is down, as it should; /observe/health says:"
curl -s localhost:8081/observe/health; echo

step "Kafka from the test classpath, configured as compose configures apache/kafka"
mvn -q -o -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/test-classpath.txt" \
  > "$WORK/classpath.log" 2>&1 || fail "cannot resolve the test classpath: $WORK/classpath.log"
CP=$(cat "$WORK/test-classpath.txt")
java -cp "$CP" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$WORK/kafka.properties" > "$WORK/kafka-format.log" 2>&1 \
  || fail "kafka storage format failed: $WORK/kafka-format.log"
java -Xmx512m -cp "$CP" kafka.Kafka "$WORK/kafka.properties" > "$WORK/kafka.log" 2>&1 &
PIDS+=("$!")

step "HEALTHCHECK, as the Dockerfile runs it"
healthy=no
for _ in $(seq 90); do
  if health; then healthy=yes; break; fi
  sleep 1
done
[ "$healthy" = yes ] || fail "HEALTHCHECK never passed: $WORK/gateway.log"
echo "HEALTHCHECK passes"

step "Skynet and the alerts webhook -> Mosquitto and Kafka"
mosquitto_sub -h mosquitto -p 1883 -t 'skynet/#' -v -C 3 -W 60 -d > "$WORK/mqtt.txt" 2>&1 &
sub_pid=$!
PIDS+=("$sub_pid")
for _ in $(seq 50); do
  grep -q SUBACK "$WORK/mqtt.txt" && break
  sleep 0.1
done
cat > "$WORK/skynet_send.py" <<'PY'
import base64, json, os, socket, struct, sys
host, port, version, channel, text = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def cbor_text(s):
    b = s.encode()
    return (bytes([0x60 + len(b)]) if len(b) < 24 else bytes([0x78, len(b)])) + b
def frame(opcode, payload):
    mask = os.urandom(4)
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
sock = socket.create_connection((host, port), timeout=10)
path = "/connect/" if version == "v2" else "/v1/connect"
sock.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
              "Sec-WebSocket-Version: 13\r\n\r\n" % (path, host, base64.b64encode(os.urandom(16)).decode())).encode())
reply = b""
while b"\r\n\r\n" not in reply:
    reply += sock.recv(4096)
if b" 101 " not in reply.split(b"\r\n")[0]:
    sys.exit("no websocket upgrade on %s: %r" % (path, reply.split(b"\r\n")[0]))
if version == "v2":  # ["message", {"channel": channel, "message": text}]
    body = b"\x82" + cbor_text("message") + b"\xa2" + cbor_text("channel") + cbor_text(channel) \
        + cbor_text("message") + cbor_text(text)
    sock.sendall(frame(0x2, body))
else:
    sock.sendall(frame(0x1, json.dumps({"type": "message", "channel": channel, "message": text}).encode()))
    print("v1 reply:", sock.recv(4096)[2:].decode(errors="replace"))
sock.sendall(frame(0x8, struct.pack(">H", 1000)))
print("sent over", version, "to channel", channel)
PY
python3 "$WORK/skynet_send.py" localhost 3030 v2 dry-run-v2 "hello over v2"
python3 "$WORK/skynet_send.py" localhost 3030 v1 dry-run-v1 "hello over v1"
token=$(printf '%s\n' "${GATEWAY_ENV[@]}" | sed -n 's/^WEBHOOK_ALERTS_TOKEN=//p')
wrong=$(curl -s -o /dev/null -w '%{http_code}' -X POST localhost:8080/hooks/alerts -H 'Authorization: Bearer wrong' \
  -H 'Content-Type: application/json' -d '{"alert":"not me"}')
[ "$wrong" = 401 ] || fail "POST /hooks/alerts with a wrong token answered $wrong, not 401"
echo "webhook with a wrong token: $wrong"
curl -sf -X POST localhost:8080/hooks/alerts -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"alert":"dry run"}' || fail "POST /hooks/alerts with compose's WEBHOOK_ALERTS_TOKEN was refused"
echo
wait "$sub_pid" || true
grep -v '^Client' "$WORK/mqtt.txt"
grep -q '^skynet/s/dry-run-v2 "hello over v2"$' "$WORK/mqtt.txt" || fail "the v2 message did not reach Mosquitto"
grep -q '^skynet/s/dry-run-v1 "hello over v1"$' "$WORK/mqtt.txt" || fail "the v1 message did not reach Mosquitto"
grep -q '^skynet/s/alerts {"alert":"dry run"}$' "$WORK/mqtt.txt" || fail "the webhook message did not reach Mosquitto"

cat > "$WORK/KafkaTail.java" <<'JAVA'
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

public class KafkaTail {
    public static void main(String[] args) {
        Properties props = new Properties();
        props.put("bootstrap.servers", args[0]);
        props.put("group.id", "dry-run-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        int wanted = Integer.parseInt(args[2]);
        int seen = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(args[1]));
            long end = System.currentTimeMillis() + 60_000;
            while (seen < wanted && System.currentTimeMillis() < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    seen++;
                    System.out.println("kafka record: key=" + record.key() + " skynet-channel="
                            + new String(record.headers().lastHeader("skynet-channel").value())
                            + " value=" + record.value().length + " bytes of CBOR");
                }
            }
        }
        System.exit(seen >= wanted ? 0 : 1);
    }
}
JAVA
java -cp "$CP" "$WORK/KafkaTail.java" kafka:9092 skynet 3 2> "$WORK/kafka-tail.log" | tee "$WORK/kafka.txt" \
  || fail "the Kafka topic skynet did not get all three messages: $WORK/kafka-tail.log"
for key in s:dry-run-v2 s:dry-run-v1 s:alerts; do
  grep -q "key=$key " "$WORK/kafka.txt" || fail "no Kafka record keyed $key"
done

step "validate, as 'docker run --rm skynet-bridge validate' runs it"
(cd "$APP" && runuser -u nobody -- env -i PATH="$PATH" "${GATEWAY_ENV[@]}" "${ENTRY[@]}" validate) \
  > "$WORK/validate.log" 2>&1 || fail "validate failed: $WORK/validate.log"
grep '^OK: ' "$WORK/validate.log" || fail "validate printed no OK line: $WORK/validate.log"

printf '\nDRY RUN PASSED\n'
