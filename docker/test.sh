#!/usr/bin/env bash
# docker/Dockerfile and docker/compose.yaml on a real Docker engine, as a user runs them.
#
#   sudo docker/test.sh          (root: it installs packages and may start a Docker engine)
#
# 1. Installs what is missing (docker.io, docker-compose, debootstrap, mosquitto-clients, curl) and uses
#    the Docker engine that answers, or starts its own dockerd (own data root and socket under a temporary
#    folder, no iptables rules, no docker0 bridge) and stops only that one at the end.
# 2. Builds local stand-ins for the images the files name (maven:3.9-eclipse-temurin-17,
#    eclipse-temurin:17-jre, eclipse-mosquitto:2.0, apache/kafka:3.9.1, nats:2.10, haproxy:2.8) from Debian packages (debootstrap
#    from the mirror apt uses here) and Maven artifacts: docker/stand-ins/, docs/docker.md. An image of
#    that name already present and not a stand-in (a real one) is used as it is and left alone.
# 3. Builds docker/Dockerfile as it is, checks its size, and checks that a source-only change rebuilds
#    without fetching dependencies again (the dependency layer comes from the cache; the build runs -o).
# 4. Runs docker/compose.yaml as it is, on free ports of 127.0.0.1, and checks: the HEALTHCHECK turns
#    healthy; the gateway runs as its unprivileged user; a v2 message on channel 42 reaches the published
#    Mosquitto port and the Kafka topic; POST /hooks/alerts with the token reaches a Skynet client (a wrong
#    token gets 401); "down" and "up" again keep the Kafka archive and the gateway's data volume; the
#    image's validate command passes.
#    Then docker/compose.cluster.yaml (NATS, three gateways, HAProxy, Mosquitto): every gateway healthy, a
#    message through HAProxy reaches a listener through HAProxy and Mosquitto once, also with one gateway
#    stopped.
# 5. Removes its containers, networks, volumes and images (and the build cache of its own engine).
#
# Traffic stays on loopback and on the networks compose creates; builds use the host's network (as the
# host reaches the Debian and Maven mirrors). Only one run at a time per machine (a lock).
# Environment: SKYNET_DOCKER_TEST_CACHE (default /var/cache/skynet-bridge-docker-test) keeps the
# debootstrap output and the built stand-ins (for 7 days) between runs; SKYNET_DOCKER_TEST_FRESH=1 makes
# both again. The gateway image is always built from nothing. On a machine whose apt uses no Debian
# mirror (not Debian), SKYNET_DOCKER_TEST_DEBIAN_MIRROR and _SECURITY_MIRROR name them.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

PROJECT=skynetbridgetest                       # compose project: names its network, volumes, containers
STAND_IN_LABEL=dev.skynetbridge.stand-in
DEBOOTSTRAP_IMAGE=skynet-bridge-test/debootstrap:bookworm
BASE_IMAGE=skynet-bridge-test/debian:bookworm
JRE_STAND_IN=skynet-bridge-test/eclipse-temurin:17-jre
GATEWAY_IMAGE=skynet-bridge-test/gateway:latest
CACHE_CHECK_IMAGE=skynet-bridge-test/gateway:cache-check
MAVEN_VERSION=3.9.16                           # the newest 3.9 the maven:3.9 tag would bring
# Bounds (measured values in docs/docker.md): the gateway image, and what docker/Dockerfile adds to its base.
# The class-data archive recorded in the image is ~72 MB of the added size (it halves the start).
IMAGE_SIZE_LIMIT_MB=660
ADDED_SIZE_LIMIT_MB=240
# Against a hung download, not a performance check (the times measured are printed at the end).
BUILD_TIMEOUT=20m
CACHE=${SKYNET_DOCKER_TEST_CACHE:-/var/cache/skynet-bridge-docker-test}

START=$SECONDS
WORK=$(mktemp -d /tmp/skynet-docker-test.XXXXXX)
LOGS=$WORK/logs
mkdir -p "$LOGS"
OWN_DOCKERD_PID=
ENGINE=
COMPOSE_UP=no
CREATED_IMAGES=()
TIMINGS=()
BG_PIDS=()

step() { printf '\n== %s (%ds)\n' "$*" "$((SECONDS - START))"; }
note() { printf '   %s\n' "$*"; }
fail() { printf '\nDOCKER TEST FAILED: %s\n' "$*" >&2; exit 1; }
CHECKS_PASSED=0
passed() { CHECKS_PASSED=$((CHECKS_PASSED + 1)); note "ok: $*"; }
timed() { TIMINGS+=("$(printf '%-44s %4ds' "$1" "$2")"); }

[ "$(id -u)" = 0 ] || fail "run as root (sudo docker/test.sh): it installs packages and may start dockerd"

# --- cleanup: only what this run created ---------------------------------------------------------------
cleanup() {
  local rc=$?
  set +e
  trap - EXIT ERR
  for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  step "Cleaning up"
  if [ "${CLUSTER_UP:-no}" = yes ] && declare -F cluster_compose > /dev/null; then
    cluster_compose logs --no-color > "$LOGS/cluster-logs.txt" 2>&1
    cluster_compose down --volumes --remove-orphans > "$LOGS/cluster-down-final.log" 2>&1
    note "compose project $CLUSTER_PROJECT: containers, network and volumes removed"
  fi
  if [ "$COMPOSE_UP" = yes ]; then
    compose logs --no-color > "$LOGS/compose-logs.txt" 2>&1
    compose down --volumes --remove-orphans > "$LOGS/compose-down-final.log" 2>&1
    note "compose project $PROJECT: containers, network and volumes removed"
  fi
  if [ -n "$ENGINE" ] || docker info > /dev/null 2>&1; then
    for image in "${CREATED_IMAGES[@]}"; do
      docker image rm -f "$image" > /dev/null 2>&1
    done
    [ ${#CREATED_IMAGES[@]} -gt 0 ] && note "images removed: ${CREATED_IMAGES[*]}"
    docker image prune -f --filter "label=$STAND_IN_LABEL" > /dev/null 2>&1
  fi
  if [ -n "$OWN_DOCKERD_PID" ]; then
    docker builder prune -af > /dev/null 2>&1
    kill "$OWN_DOCKERD_PID" 2>/dev/null
    for _ in $(seq 60); do
      kill -0 "$OWN_DOCKERD_PID" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$OWN_DOCKERD_PID" 2>/dev/null; then
      note "dockerd $OWN_DOCKERD_PID did not stop within 30 s: killing it"
      kill -9 "$OWN_DOCKERD_PID"
    fi
    # Mounts a killed engine may leave, innermost first, then its data.
    grep -o " ${ENGINE}[^ ]*" /proc/mounts | sort -r | while read -r mount; do umount -l "$mount"; done
    rm -rf "$ENGINE"
    note "the dockerd this run started ($OWN_DOCKERD_PID) is stopped; its data root is removed"
  fi
  rm -rf "$WORK/stand-ins" "$WORK/context-changed" "$WORK/rootfs"
  if [ ${#TIMINGS[@]} -gt 0 ]; then
    printf '\nTimes:\n'
    printf '   %s\n' "${TIMINGS[@]}"
  fi
  printf '   %-44s %4ds\n' "total" "$((SECONDS - START))"
  echo "logs: $LOGS"
  # The plain closing line a CI log reader counts.
  if [ "$rc" = 0 ]; then
    echo "DOCKER TEST PASSED"
    echo "docker: $CHECKS_PASSED passed, 0 failed"
  else
    echo "docker: $CHECKS_PASSED passed, 1 failed"
  fi
  exit "$rc"
}
trap cleanup EXIT
# A command that fails outside fail(): say which, before the EXIT trap cleans up.
trap 'printf "\nDOCKER TEST FAILED: line %s: %s (exit %s)\n" "$LINENO" "$BASH_COMMAND" "$?" >&2' ERR

exec 9> /var/lock/skynet-bridge-docker-test.lock
if ! flock -n 9; then
  echo "another docker/test.sh runs on this machine: waiting for it (at most 30 min)"
  flock -w 1800 9 || fail "the other docker/test.sh did not finish within 30 min"
fi

# --- 1. tools and engine -------------------------------------------------------------------------------
step "Tools"
phase=$SECONDS
packages=()
command -v dockerd > /dev/null || packages+=(docker.io)
command -v docker-compose > /dev/null || packages+=(docker-compose)
command -v debootstrap > /dev/null || packages+=(debootstrap)
command -v mosquitto_sub > /dev/null || packages+=(mosquitto-clients)
command -v curl > /dev/null || packages+=(curl)
command -v python3 > /dev/null || packages+=(python3)
if [ ${#packages[@]} -gt 0 ]; then
  note "installing ${packages[*]}"
  apt-get update -qq > "$LOGS/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >> "$LOGS/apt.log" 2>&1 \
    || fail "apt-get install ${packages[*]} failed: $LOGS/apt.log"
fi
# The CLI of the engine installed here (docker.io puts it in /usr/bin); another docker earlier in PATH
# may be a newer CLI that needs a buildx plugin this machine does not have.
DOCKER_CLI=$(command -v /usr/bin/docker || command -v docker) || fail "no docker CLI"
docker() { "$DOCKER_CLI" "$@"; }
compose() { docker-compose -p "$PROJECT" -f "$REPO/docker/compose.yaml" "$@"; }
export DOCKER_BUILDKIT=1
note "$("$DOCKER_CLI" --version); $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /')"
timed "tools" $((SECONDS - phase))

step "Docker engine"
phase=$SECONDS
if docker info > /dev/null 2>&1; then
  note "using the engine that answers at ${DOCKER_HOST:-the default socket}: $(docker info -f '{{.ServerVersion}}')"
else
  ENGINE=$WORK/engine
  mkdir -p "$ENGINE"
  export DOCKER_HOST="unix://$ENGINE/docker.sock"
  # No iptables rules, no IP forwarding, no docker0: the host's network stays as it is. Containers on
  # the compose network reach each other and the published ports (docker-proxy on 127.0.0.1), nothing
  # else; builds run with --network host.
  dockerd --data-root "$ENGINE/data" --exec-root "$ENGINE/exec" --pidfile "$ENGINE/dockerd.pid" \
    --host "$DOCKER_HOST" --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
    > "$LOGS/dockerd.log" 2>&1 9>&- &
  OWN_DOCKERD_PID=$!
  for _ in $(seq 120); do
    docker info > /dev/null 2>&1 && break
    kill -0 "$OWN_DOCKERD_PID" 2>/dev/null || fail "dockerd exited at start: $LOGS/dockerd.log"
    sleep 0.5
  done
  docker info > /dev/null 2>&1 || fail "dockerd does not answer after 60 s: $LOGS/dockerd.log"
  note "started dockerd $(docker info -f '{{.ServerVersion}}') (pid $OWN_DOCKERD_PID, $(docker info -f '{{.Driver}}')) at $DOCKER_HOST"
fi
timed "docker engine" $((SECONDS - phase))

# --- 2. stand-ins for the images the files name ---------------------------------------------------------
# An image of that name that carries no stand-in label is a real one: keep it and use it.
is_real_image() {
  docker image inspect "$1" > /dev/null 2>&1 || return 1
  local label
  label=$(docker image inspect -f "{{index .Config.Labels \"$STAND_IN_LABEL\"}}" "$1")
  [ -z "$label" ] || [ "$label" = "<no value>" ]
}

# The Debian mirror (and security mirror) apt uses on this machine, read from /etc/apt/sources.list*.
read_debian_mirrors() {
  python3 - "$1" <<'PY'
import glob, os, sys
codename = sys.argv[1]
entries = []  # (uri, suite)
files = ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")) \
    + sorted(glob.glob("/etc/apt/sources.list.d/*.sources"))
for path in files:
    if not os.path.isfile(path):
        continue
    text = open(path).read()
    if path.endswith(".sources"):
        for stanza in text.split("\n\n"):
            fields = {}
            for line in stanza.splitlines():
                if line.strip().startswith("#") or ":" not in line:
                    continue
                key, value = line.split(":", 1)
                fields[key.strip().lower()] = value.split()
            if "deb" in fields.get("types", []) and fields.get("enabled", ["yes"]) != ["no"]:
                entries += [(uri, suite) for uri in fields.get("uris", []) for suite in fields.get("suites", [])]
    else:
        for line in text.splitlines():
            words = [w for w in line.split("#", 1)[0].split() if not w.startswith("[")]
            if len(words) >= 3 and words[0] == "deb":
                entries.append((words[1], words[2]))
main = next((u for u, s in entries if s == codename), None)
security = next((u for u, s in entries if s == codename + "-security"), None)
print(main or "", security or "")
PY
}

find_debian_mirrors() {
  local host_codename
  host_codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  read -r MIRROR SECURITY_MIRROR <<< "$(read_debian_mirrors "$host_codename")"
  if [ -n "${SKYNET_DOCKER_TEST_DEBIAN_MIRROR:-}" ]; then
    MIRROR=$SKYNET_DOCKER_TEST_DEBIAN_MIRROR
    SECURITY_MIRROR=${SKYNET_DOCKER_TEST_DEBIAN_SECURITY_MIRROR:-}
  fi
  [ -n "$MIRROR" ] || fail "no Debian '$host_codename' entry in /etc/apt/sources.list*: name a Debian mirror in SKYNET_DOCKER_TEST_DEBIAN_MIRROR (and its security mirror in SKYNET_DOCKER_TEST_DEBIAN_SECURITY_MIRROR)"
  note "Debian mirror: $MIRROR; security: ${SECURITY_MIRROR:-none}"
}

make_base_image() {
  local main=$MIRROR security=$SECURITY_MIRROR
  # bookworm whatever the host runs: it is the Debian release with OpenJDK 17.
  local tarball
  tarball=$CACHE/debian-bookworm-minbase-$(printf '%s' "$main" | sha256sum | cut -c1-12).tar
  if [ "${SKYNET_DOCKER_TEST_FRESH:-0}" = 1 ]; then rm -f "$tarball"; fi
  if [ -s "$tarball" ]; then
    note "debootstrap of Debian bookworm minbase from the cache: $tarball"
  else
    note "debootstrap --variant=minbase bookworm from $main"
    mkdir -p "$CACHE"
    local rootfs=$WORK/rootfs
    debootstrap --variant=minbase bookworm "$rootfs" "$main" > "$LOGS/debootstrap.log" 2>&1 \
      || fail "debootstrap failed: $LOGS/debootstrap.log"
    # Left out: what debootstrap copied from this machine, and the package caches.
    rm -f "$rootfs/etc/resolv.conf" "$rootfs/etc/hostname"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
    rm -rf "$rootfs"
  fi
  docker import "$tarball" "$DEBOOTSTRAP_IMAGE" > /dev/null
  CREATED_IMAGES+=("$DEBOOTSTRAP_IMAGE")
  SOURCES=$(
    printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\n' "$main"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    if [ -n "$security" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: bookworm-security\nComponents: main\n' "$security"
      printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    fi
  )
  build_stand_in "$BASE_IMAGE" debian-bookworm "$DEBOOTSTRAP_IMAGE"
}

prepare_debian_bookworm() {
  printf '%s\n' "$SOURCES" > "$1/debian.sources"
}

# build_stand_in TAG DIR BASE: docker/stand-ins/DIR on a copy (prepare_DIR adds downloaded files to it).
build_stand_in() {
  local tag=$1 dir=$2 base=$3 context=$WORK/stand-ins/$2
  mkdir -p "$context"
  cp -a "docker/stand-ins/$dir/." "$context/"
  if declare -F "prepare_${dir//[-.]/_}" > /dev/null; then "prepare_${dir//[-.]/_}" "$context"; fi
  timeout "$BUILD_TIMEOUT" "$DOCKER_CLI" build --network host --progress plain --build-arg "BASE=$base" -t "$tag" \
    "$context" > "$LOGS/stand-in-$dir.log" 2>&1 \
    || fail "building the stand-in $tag failed (or took over $BUILD_TIMEOUT): $LOGS/stand-in-$dir.log"
  CREATED_IMAGES+=("$tag")
}

prepare_maven_3_9_eclipse_temurin_17() {
  mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.apache.maven:apache-maven:$MAVEN_VERSION:tar.gz:bin" -DoutputDirectory="$1" \
    > "$LOGS/maven-download.log" 2>&1 || fail "cannot fetch apache-maven $MAVEN_VERSION: $LOGS/maven-download.log"
  mv "$1/apache-maven-$MAVEN_VERSION-bin.tar.gz" "$1/apache-maven-bin.tar.gz"
  mkdir -p "$1/extra-ca-certificates"
  if [ -d /usr/local/share/ca-certificates ]; then
    cp -a /usr/local/share/ca-certificates/. "$1/extra-ca-certificates/"
  fi
}

prepare_apache_kafka_3_9_1() {
  mvn -q -B -f "$1/libs.pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$1/libs" > "$LOGS/kafka-libs.log" 2>&1 \
    || fail "cannot fetch the Kafka 3.9.1 jars: $LOGS/kafka-libs.log"
  rm "$1/libs.pom.xml"
}

step "Stand-in images"
phase=$SECONDS
declare -A STAND_IN_DIRS=(
  [eclipse-temurin:17-jre]=eclipse-temurin-17-jre
  [maven:3.9-eclipse-temurin-17]=maven-3.9-eclipse-temurin-17
  [eclipse-mosquitto:2.0]=eclipse-mosquitto-2.0
  [apache/kafka:3.9.1]=apache-kafka-3.9.1
  [nats:2.10]=nats-2.10
  [haproxy:2.8]=haproxy-2.8
)
wanted=()
for name in eclipse-temurin:17-jre maven:3.9-eclipse-temurin-17 eclipse-mosquitto:2.0 apache/kafka:3.9.1 \
  nats:2.10 haproxy:2.8; do
  if is_real_image "$name"; then
    note "$name: a real image is present, used as it is"
  else
    wanted+=("$name")
  fi
done
if [ ${#wanted[@]} -gt 0 ]; then
  find_debian_mirrors
  # Built stand-ins are kept (docker save) in the cache for 7 days, keyed by everything they are made of:
  # docker/stand-ins/, the Maven version, the mirrors, this machine's extra CA certificates.
  key=$({
    (cd docker/stand-ins && find . -type f -print0 | sort -z | xargs -0 sha256sum)
    echo "${wanted[*]} $MAVEN_VERSION $MIRROR $SECURITY_MIRROR"
    find /usr/local/share/ca-certificates -type f -print0 2>/dev/null | sort -z | xargs -0 -r cat
  } | sha256sum | cut -c1-16)
  saved=$CACHE/stand-ins-$key.tar
  if [ "${SKYNET_DOCKER_TEST_FRESH:-0}" != 1 ] && [ -n "$(find "$saved" -mtime -7 2>/dev/null)" ]; then
    docker load -q -i "$saved" > "$LOGS/stand-ins-load.log" 2>&1 || fail "docker load $saved failed: $LOGS/stand-ins-load.log"
    CREATED_IMAGES+=("${wanted[@]}" "$JRE_STAND_IN")
    note "stand-ins from the cache ($saved, built $(date -r "$saved" '+%F %R')): ${wanted[*]}"
  else
    make_base_image
    # The JRE stand-in is also the base of the Maven and Kafka stand-ins (as Temurin is of the real ones).
    build_stand_in "$JRE_STAND_IN" eclipse-temurin-17-jre "$BASE_IMAGE"
    for name in "${wanted[@]}"; do
      case "$name" in
        eclipse-temurin:17-jre)
          docker tag "$JRE_STAND_IN" "$name"
          CREATED_IMAGES+=("$name")
          ;;
        eclipse-mosquitto:2.0 | nats:2.10 | haproxy:2.8) build_stand_in "$name" "${STAND_IN_DIRS[$name]}" "$BASE_IMAGE" ;;
        *) build_stand_in "$name" "${STAND_IN_DIRS[$name]}" "$JRE_STAND_IN" ;;
      esac
      note "$name: stand-in built ($(docker image inspect -f '{{.Size}}' "$name" | awk '{printf "%d MB", $1/1e6}'))"
    done
    rm -f "$CACHE"/stand-ins-*.tar
    docker save -o "$saved.partial" "${wanted[@]}" "$JRE_STAND_IN" && mv "$saved.partial" "$saved"
    note "saved for the next runs: $saved ($(du -m "$saved" | cut -f1) MB)"
  fi
fi
timed "stand-in images" $((SECONDS - phase))

# --- 3. the gateway image --------------------------------------------------------------------------------
step "docker build -f docker/Dockerfile . (compose's build: context and dockerfile)"
config=$(compose config)
grep -q "context: $REPO\$" <<< "$config" || fail "compose.yaml's gateway build context is not the repository root"
grep -q "dockerfile: docker/Dockerfile\$" <<< "$config" || fail "compose.yaml's gateway is not built from docker/Dockerfile"
phase=$SECONDS
timeout "$BUILD_TIMEOUT" "$DOCKER_CLI" build --network host --progress plain -f docker/Dockerfile -t "$GATEWAY_IMAGE" . \
  > "$LOGS/build.log" 2>&1 || fail "docker build failed (or took over $BUILD_TIMEOUT): $LOGS/build.log"
CREATED_IMAGES+=("$GATEWAY_IMAGE")
build_time=$((SECONDS - phase))
timed "gateway image, first build" "$build_time"
passed "docker/Dockerfile built in ${build_time}s"
# Compose 1 names a service's image <project>_<service>, Compose 2 <project>-<service>: tag both, so
# "up --no-build" runs exactly this image.
for tag in "${PROJECT}_gateway" "${PROJECT}-gateway"; do
  docker tag "$GATEWAY_IMAGE" "$tag:latest"
  CREATED_IMAGES+=("$tag:latest")
done

size=$(docker image inspect -f '{{.Size}}' "$GATEWAY_IMAGE")
base_size=$(docker image inspect -f '{{.Size}}' eclipse-temurin:17-jre)
size_mb=$((size / 1000000))
added_mb=$(((size - base_size) / 1000000))
note "image: ${size_mb} MB, of which docker/Dockerfile adds ${added_mb} MB to eclipse-temurin:17-jre ($((base_size / 1000000)) MB)"
[ "$size_mb" -le "$IMAGE_SIZE_LIMIT_MB" ] || fail "the gateway image is ${size_mb} MB, over the bound of ${IMAGE_SIZE_LIMIT_MB} MB"
[ "$added_mb" -le "$ADDED_SIZE_LIMIT_MB" ] || fail "docker/Dockerfile adds ${added_mb} MB, over the bound of ${ADDED_SIZE_LIMIT_MB} MB"
user=$(docker image inspect -f '{{.Config.User}}' "$GATEWAY_IMAGE")
if [ -z "$user" ] || [ "$user" = root ] || [ "$user" = 0 ]; then
  fail "the image runs as '${user:-root}', not an unprivileged user"
fi
docker image inspect -f '{{.Config.Healthcheck.Test}}' "$GATEWAY_IMAGE" | grep -q observe/health \
  || fail "the image has no HEALTHCHECK on /observe/health"
passed "size within ${IMAGE_SIZE_LIMIT_MB} MB and ${ADDED_SIZE_LIMIT_MB} MB added; USER $user; HEALTHCHECK on /observe/health"

step "A source-only change: the dependency layer comes from the cache"
rm -rf "$WORK/context-changed"
mkdir -p "$WORK/context-changed"
# The context a clone has (tracked and untracked files, not what .gitignore leaves out).
git ls-files -z -co --exclude-standard | while IFS= read -r -d '' file; do
  [ -e "$file" ] && printf '%s\0' "$file"
done | tar --null -T - -cf - | tar -xf - -C "$WORK/context-changed"
changed=src/main/java/dev/skynetbridge/app/GatewayApplication.java
printf '\n// docker/test.sh: a source-only change\n' >> "$WORK/context-changed/$changed"
phase=$SECONDS
timeout "$BUILD_TIMEOUT" "$DOCKER_CLI" build --network host --progress plain -f docker/Dockerfile -t "$CACHE_CHECK_IMAGE" \
  "$WORK/context-changed" > "$LOGS/build-source-change.log" 2>&1 \
  || fail "the rebuild after a source change failed (or took over $BUILD_TIMEOUT): $LOGS/build-source-change.log"
CREATED_IMAGES+=("$CACHE_CHECK_IMAGE")
rebuild_time=$((SECONDS - phase))
timed "gateway image, rebuild after a source change" "$rebuild_time"
# BuildKit's plain progress: "#12 [build 3/5] RUN mvn ..." then "#12 CACHED" or "#12 DONE 61.2s".
mapfile -t run_steps < <(grep -E '^#[0-9]+ \[build [0-9]+/[0-9]+\] RUN ' "$LOGS/build-source-change.log" | awk '{print $1}' | sort -u -t'#' -k2n)
[ ${#run_steps[@]} -ge 2 ] || fail "expected two RUN steps in the build stage: $LOGS/build-source-change.log"
grep -qx "${run_steps[0]} CACHED" "$LOGS/build-source-change.log" \
  || fail "the dependency layer was built again after a source-only change: $LOGS/build-source-change.log"
last=${run_steps[${#run_steps[@]} - 1]}
grep -q "^$last DONE" "$LOGS/build-source-change.log" || fail "the source build step did not run: $LOGS/build-source-change.log"
passed "dependency step ${run_steps[0]} CACHED; the source build ran offline; rebuilt in ${rebuild_time}s"
docker image rm "$CACHE_CHECK_IMAGE" > /dev/null

# --- 4. docker/compose.yaml --------------------------------------------------------------------------------
step "docker-compose up (docker/compose.yaml as it is, free ports on 127.0.0.1)"
phase=$SECONDS
read -r SKYNET_HOST_PORT WEBHOOK_HOST_PORT HEALTH_HOST_PORT MQTT_HOST_PORT <<< "$(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))')"
export SKYNET_HOST_PORT WEBHOOK_HOST_PORT HEALTH_HOST_PORT MQTT_HOST_PORT
export PUBLISH_ADDRESS=127.0.0.1
WEBHOOK_ALERTS_TOKEN=docker-test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
export WEBHOOK_ALERTS_TOKEN
note "Skynet 127.0.0.1:$SKYNET_HOST_PORT, webhooks :$WEBHOOK_HOST_PORT, health :$HEALTH_HOST_PORT, Mosquitto :$MQTT_HOST_PORT"
COMPOSE_UP=yes
compose up -d --no-build > "$LOGS/compose-up.log" 2>&1 || fail "compose up failed: $LOGS/compose-up.log"

gateway_container() { compose ps -q gateway; }

# wait_healthy NAME: until Docker says healthy and /observe/health answers 200 UP; each second's
# Docker status and endpoint answer go to health-NAME.txt.
wait_healthy() {
  local container status answer timeline=$LOGS/health-$1.txt
  container=$(gateway_container)
  [ -n "$container" ] || fail "no gateway container"
  for second in $(seq 240); do
    status=$(docker inspect -f '{{.State.Status}} {{.State.Health.Status}}' "$container")
    answer=$(curl -s -m 5 -w ' %{http_code}' "127.0.0.1:$HEALTH_HOST_PORT/observe/health" | tr -d '\n') || true
    printf '%3ds %-16s %s\n' "$second" "$status" "$answer" >> "$timeline"
    case "$status" in
      "running healthy")
        [[ "$answer" == '{"status":"UP"'*' 200' ]] && return 0
        sleep 1
        ;;
      running*) sleep 1 ;;
      *)
        compose logs --no-color > "$LOGS/compose-logs.txt" 2>&1
        fail "the gateway container is '$status': $LOGS/compose-logs.txt"
        ;;
    esac
  done
  compose logs --no-color > "$LOGS/compose-logs.txt" 2>&1
  docker inspect -f '{{json .State.Health}}' "$container" > "$LOGS/health.json"
  fail "the gateway is not healthy after 240 s: $LOGS/health.json, $LOGS/compose-logs.txt"
}

step "HEALTHCHECK"
wait_healthy first
passed "healthy and /observe/health UP $((SECONDS - phase))s after up (each second: $LOGS/health-first.txt)"
timed "compose up until healthy" $((SECONDS - phase))

step "The gateway runs as the unprivileged user"
gw=$(gateway_container)
read -r exec_user exec_uid <<< "$(docker exec "$gw" sh -c 'echo "$(id -un) $(id -u)"')"
pid1_uid=$(docker exec "$gw" awk '/^Uid:/ {print $2}' /proc/1/status)
pid1=$(docker exec "$gw" cat /proc/1/cmdline | tr '\0' ' ')
if [ "$exec_uid" = 0 ] || [ "$pid1_uid" = 0 ]; then fail "the gateway runs as root"; fi
[[ "$(basename "${pid1%% *}")" == java ]] || fail "process 1 of the gateway container is not java: $pid1"
# bin/skynet-bridge's -Xshare:auto skips an unusable archive silently: mapped into process 1 means it is used.
docker exec "$gw" grep -q 'skynet-bridge.jsa' /proc/1/maps \
  || fail "the gateway does not use the class-data archive recorded at build time (/app/skynet-bridge.jsa): $pid1"
passed "user $exec_user (uid $exec_uid); process 1 uid $pid1_uid, with the class-data archive mapped: $pid1"

checks=$SECONDS
nonce=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
skynet() { python3 docker/test/skynet_v2.py "$@" >> "$LOGS/skynet-client.txt"; }

# send_and_expect_on_mqtt TOPIC EXPECTED-LINE NAME COMMAND...: subscribes to TOPIC on the published
# Mosquitto port, runs COMMAND, and waits for the line (log: mqtt-NAME.txt).
send_and_expect_on_mqtt() {
  local topic=$1 expected=$2 out=$LOGS/mqtt-$3.txt
  shift 3
  # Line-buffered: redirected to a file, mosquitto_sub would hold SUBACK back until it exits.
  stdbuf -oL mosquitto_sub -h 127.0.0.1 -p "$MQTT_HOST_PORT" -t "$topic" -v -C 1 -W 60 -d > "$out" 2>&1 &
  local sub=$!
  BG_PIDS+=("$sub")
  for _ in $(seq 100); do
    grep -q SUBACK "$out" && break
    sleep 0.1
  done
  grep -q SUBACK "$out" || fail "mosquitto_sub got no SUBACK from 127.0.0.1:$MQTT_HOST_PORT: $out"
  "$@"
  wait "$sub" || true
  grep -qxF "$expected" "$out" || fail "Mosquitto did not get '$expected' on $topic: $out"
  passed "Mosquitto (127.0.0.1:$MQTT_HOST_PORT): $expected"
}

# kafka_has KEY TEXT NAME: the topic "skynet" holds a record with that key whose value contains TEXT
# (log: kafka-NAME.txt).
kafka_has() {
  local out=$LOGS/kafka-$3.txt
  for _ in $(seq 6); do
    compose exec -T kafka /opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server kafka:9092 \
      --topic skynet --from-beginning --property print.key=true --timeout-ms 10000 > "$out" 2> "$out.err" || true
    if grep -a "^$1"$'\t' "$out" | grep -aqF "$2"; then
      passed "Kafka topic skynet: a record keyed $1 holding '$2' ($(grep -ac . "$out") records in all)"
      return 0
    fi
  done
  fail "no record keyed $1 holding '$2' in the Kafka topic skynet: $out, $out.err"
}

step "A v2 client sends on channel 42: Mosquitto and Kafka"
text1="hello from docker/test.sh $nonce"
send_and_expect_on_mqtt skynet/n/42 "skynet/n/42 \"$text1\"" v2-42 skynet send 127.0.0.1 "$SKYNET_HOST_PORT" 42 "$text1"
kafka_has n:42 "$text1" first

step "POST /hooks/alerts reaches a Skynet client"
wrong=$(curl -s -o /dev/null -w '%{http_code}' -X POST "127.0.0.1:$WEBHOOK_HOST_PORT/hooks/alerts" \
  -H 'Authorization: Bearer not-the-token' -H 'Content-Type: application/json' -d '{"alert":"no"}')
[ "$wrong" = 401 ] || fail "POST /hooks/alerts with a wrong token answered $wrong, not 401"
passed "a wrong token: $wrong"
python3 docker/test/skynet_v2.py listen 127.0.0.1 "$SKYNET_HOST_PORT" alerts 60 > "$LOGS/alerts.txt" 2> "$LOGS/alerts.err" &
listener=$!
BG_PIDS+=("$listener")
for _ in $(seq 100); do
  grep -q ready "$LOGS/alerts.txt" && break
  sleep 0.1
done
# The channel is open once the server has read the client's "open" (no acknowledgement in v2): POST until
# the client has the message.
for _ in $(seq 30); do
  code=$(curl -s -o "$LOGS/webhook-answer.json" -w '%{http_code}' -X POST "127.0.0.1:$WEBHOOK_HOST_PORT/hooks/alerts" \
    -H "Authorization: Bearer $WEBHOOK_ALERTS_TOKEN" -H 'Content-Type: application/json' -d "{\"alert\":\"$nonce\"}")
  [ "$code" = 200 ] || fail "POST /hooks/alerts with the token answered $code: $(cat "$LOGS/webhook-answer.json")"
  kill -0 "$listener" 2>/dev/null || break
  sleep 1
done
wait "$listener" || fail "the Skynet client on channel alerts got nothing: $LOGS/alerts.err"
python3 - "$LOGS/alerts.txt" "$nonce" <<'PY' || fail "the Skynet client got something else: $LOGS/alerts.txt"
import json, sys
push = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert push[0] == "message" and push[1]["channel"] == "alerts", push
assert push[1]["message"] == {"alert": sys.argv[2]}, push
print("   Skynet client on channel alerts:", json.dumps(push))
PY
passed "the webhook's message reached the Skynet client on channel alerts"

step "docker-compose down and up again: the volumes keep the Kafka archive and the gateway's data"
docker exec "$gw" sh -c "echo $nonce > /app/data/docker-test-marker" \
  || fail "the gateway's user cannot write to /app/data (the gateway-data volume)"
phase=$SECONDS
compose down > "$LOGS/compose-down.log" 2>&1 || fail "compose down failed: $LOGS/compose-down.log"
[ -z "$(compose ps -q)" ] || fail "containers left after compose down"
for volume in gateway-data kafka-data; do
  docker volume inspect "${PROJECT}_$volume" > /dev/null 2>&1 || fail "compose down removed the volume $volume"
done
compose up -d --no-build > "$LOGS/compose-up-again.log" 2>&1 || fail "compose up (again) failed: $LOGS/compose-up-again.log"
wait_healthy again
passed "healthy again $((SECONDS - phase))s after down"
gw=$(gateway_container)
[ "$(docker exec "$gw" cat /app/data/docker-test-marker)" = "$nonce" ] || fail "/app/data lost its file across down/up"
passed "the volumes are kept; /app/data kept the file written before down"
kafka_has n:42 "$text1" kept
text2="hello again from docker/test.sh $nonce"
send_and_expect_on_mqtt skynet/n/42 "skynet/n/42 \"$text2\"" v2-42-again skynet send 127.0.0.1 "$SKYNET_HOST_PORT" 42 "$text2"
kafka_has n:42 "$text2" again
timed "compose checks" $((SECONDS - checks))

step "validate (docker run --rm <image> validate)"
docker run --rm --network none "$GATEWAY_IMAGE" validate > "$LOGS/validate.log" 2>&1 || fail "validate failed: $LOGS/validate.log"
ok_line=$(grep '^OK: ' "$LOGS/validate.log") || fail "validate printed no OK line: $LOGS/validate.log"
passed "$ok_line"

# --- docker/compose.cluster.yaml ---------------------------------------------------------------------------
# NATS, three gateways (the image built above), HAProxy and Mosquitto, in a compose project of its own, on free
# ports of 127.0.0.1: every gateway healthy (skynet-cluster UP), a message from a client through HAProxy
# reaches a listener through HAProxy (leastconn puts the second connection on another gateway) and Mosquitto
# once, and again with gateway-2 stopped.
CLUSTER_PROJECT=skynetbridgetestcluster
cluster_compose() { docker-compose -p "$CLUSTER_PROJECT" -f "$REPO/docker/compose.cluster.yaml" "$@"; }
step "docker-compose up (docker/compose.cluster.yaml as it is, free ports on 127.0.0.1)"
compose down --volumes > "$LOGS/compose-down-before-cluster.log" 2>&1 || fail "compose down failed"
COMPOSE_UP=no
phase=$SECONDS
read -r SKYNET_HOST_PORT HEALTH1_HOST_PORT HEALTH2_HOST_PORT HEALTH3_HOST_PORT MQTT_HOST_PORT <<< "$(python3 -c '
import socket
socks = [socket.socket() for _ in range(5)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))')"
export SKYNET_HOST_PORT HEALTH1_HOST_PORT HEALTH2_HOST_PORT HEALTH3_HOST_PORT MQTT_HOST_PORT
docker tag "$GATEWAY_IMAGE" skynet-bridge:cluster
CREATED_IMAGES+=(skynet-bridge:cluster)
note "HAProxy 127.0.0.1:$SKYNET_HOST_PORT, health :$HEALTH1_HOST_PORT :$HEALTH2_HOST_PORT :$HEALTH3_HOST_PORT, Mosquitto :$MQTT_HOST_PORT"
CLUSTER_UP=yes
cluster_compose up -d --no-build > "$LOGS/cluster-up.log" 2>&1 || {
  cluster_compose logs --no-color > "$LOGS/cluster-logs.txt" 2>&1
  cluster_compose down --volumes > /dev/null 2>&1
  fail "compose up of compose.cluster.yaml failed: $LOGS/cluster-up.log, $LOGS/cluster-logs.txt"
}
cluster_fail() {
  cluster_compose logs --no-color > "$LOGS/cluster-logs.txt" 2>&1
  cluster_compose down --volumes --remove-orphans > "$LOGS/cluster-down.log" 2>&1
  fail "$* (logs: $LOGS/cluster-logs.txt)"
}
for port in "$HEALTH1_HOST_PORT" "$HEALTH2_HOST_PORT" "$HEALTH3_HOST_PORT"; do
  for _ in $(seq 240); do
    answer=$(curl -s -m 5 -w ' %{http_code}' "127.0.0.1:$port/observe/health?exposureLevel=full" | tr -d '\n') || true
    [[ "$answer" == '{"status":"UP"'*' 200' ]] && break
    sleep 1
  done
  [[ "$answer" == '{"status":"UP"'*' 200' ]] || cluster_fail "the gateway with health port $port is not UP: $answer"
  grep -q '"skynet-cluster"' <<< "$answer" || cluster_fail "no skynet-cluster check on health port $port: $answer"
done
passed "three gateways UP with skynet-cluster $((SECONDS - phase))s after up"
timed "cluster compose up until healthy" $((SECONDS - phase))

# cluster_message NAME: a listener and a sender through HAProxy; the push reaches the listener and
# Mosquitto gets the message once (log: cluster-NAME-*.txt).
cluster_message() {
  local text="cluster $1 $nonce" out=$LOGS/cluster-$1
  stdbuf -oL mosquitto_sub -h 127.0.0.1 -p "$MQTT_HOST_PORT" -t skynet/n/42 -v -W 20 -d > "$out-mqtt.txt" 2>&1 &
  local sub=$!
  BG_PIDS+=("$sub")
  for _ in $(seq 100); do
    grep -q SUBACK "$out-mqtt.txt" && break
    sleep 0.1
  done
  python3 docker/test/skynet_v2.py listen 127.0.0.1 "$SKYNET_HOST_PORT" 42 60 > "$out-listen.txt" 2> "$out-listen.err" &
  local listener=$!
  BG_PIDS+=("$listener")
  for _ in $(seq 100); do
    grep -q ready "$out-listen.txt" && break
    sleep 0.1
  done
  # Subscriptions reach NATS on their own time, with no acknowledgement: send until the listener has it.
  local sends=0
  for _ in $(seq 15); do
    kill -0 "$listener" 2>/dev/null || break
    python3 docker/test/skynet_v2.py send 127.0.0.1 "$SKYNET_HOST_PORT" 42 "$text" >> "$out-send.txt" 2>&1 \
      && sends=$((sends + 1))
    sleep 1
  done
  wait "$listener" || cluster_fail "the listener through HAProxy got nothing: $out-listen.err"
  grep -qF "$text" "$out-listen.txt" || cluster_fail "the listener got something else: $out-listen.txt"
  wait "$sub" || true   # mosquitto_sub -W 20: it stops 20 s after it started
  local got
  got=$(grep -cxF "skynet/n/42 \"$text\"" "$out-mqtt.txt" || true)
  # Each message is bridged once in the cluster (on the gateway where it entered), not once per gateway.
  [ "$got" = "$sends" ] || cluster_fail "Mosquitto got $got publishes of '$text' for $sends sends: $out-mqtt.txt"
  passed "cluster ($1): through HAProxy to a listener and to Mosquitto once per send ($sends)"
}
cluster_message all-up
cluster_compose stop gateway-2 > "$LOGS/cluster-stop-2.log" 2>&1 || cluster_fail "compose stop gateway-2 failed"
# HAProxy's check takes gateway-2 out within two failed checks (2 s apart, 1 s timeout each); a connection
# it still sends there meanwhile is redispatched to another gateway after its connect timeout (2 s).
sleep 10
cluster_message without-gateway-2
cluster_compose down --volumes --remove-orphans > "$LOGS/cluster-down.log" 2>&1 || fail "cluster compose down failed"
CLUSTER_UP=no
passed "compose.cluster.yaml down"
