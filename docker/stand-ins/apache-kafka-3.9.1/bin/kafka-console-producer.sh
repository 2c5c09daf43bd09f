#!/usr/bin/env bash
# Stand-in for the distribution's bin/kafka-console-producer.sh: the same class (kafka.tools.ConsoleProducer), the same arguments.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.ConsoleProducer "$@"
