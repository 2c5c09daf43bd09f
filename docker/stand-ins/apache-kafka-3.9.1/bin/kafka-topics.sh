#!/usr/bin/env bash
# Stand-in for the distribution's bin/kafka-topics.sh: the same class (org.apache.kafka.tools.TopicCommand), the same arguments.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.TopicCommand "$@"
