#!/usr/bin/env bash
# Stand-in for the distribution's bin/kafka-server-start.sh: kafka.Kafka <server.properties>, 1 GiB heap
# unless KAFKA_HEAP_OPTS says otherwise, broker logging from config/log4j.properties.
if [ $# -lt 1 ]; then
  echo "USAGE: $0 server.properties [--override property=value]*" >&2
  exit 1
fi
home=$(cd "$(dirname "$0")/.." && pwd)
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}
export KAFKA_LOG4J_OPTS=${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:$home/config/log4j.properties}
exec "$home/bin/kafka-run-class.sh" kafka.Kafka "$@"
