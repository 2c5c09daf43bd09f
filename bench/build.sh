#!/usr/bin/env bash
# Builds the product (installed into the local Maven repository, with its test support jar) and the
# bench module on top of it: target/skynet-bridge.jar and bench/target/skynet-bridge-bench.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
mvn -q -B -f bench/pom.xml -DskipTests package
