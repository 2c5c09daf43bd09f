#!/usr/bin/env bash
# Stand-in for the Kafka distribution's bin/kafka-run-class.sh: runs a class with every jar in
# /opt/kafka/libs and the variables the real script reads (KAFKA_HEAP_OPTS, default -Xmx256M;
# KAFKA_JVM_PERFORMANCE_OPTS; KAFKA_LOG4J_OPTS, default config/tools-log4j.properties; KAFKA_JMX_OPTS
# and KAFKA_OPTS).
set -e
home=$(cd "$(dirname "$0")/.." && pwd)
heap=${KAFKA_HEAP_OPTS:--Xmx256M}
performance=${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}
log4j=${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:$home/config/tools-log4j.properties}
# shellcheck disable=SC2086 # the option variables hold several words
exec "${JAVA_HOME:-/opt/java/openjdk}/bin/java" $heap $performance ${KAFKA_JMX_OPTS:-} $log4j ${KAFKA_OPTS:-} \
  "-Dkafka.logs.dir=$home/logs" -cp "$home/libs/*" "$@"
