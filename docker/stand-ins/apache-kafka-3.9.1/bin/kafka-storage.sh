#!/usr/bin/env bash
# Stand-in for the distribution's bin/kafka-storage.sh: the same class (kafka.tools.StorageTool), the same arguments.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.StorageTool "$@"
