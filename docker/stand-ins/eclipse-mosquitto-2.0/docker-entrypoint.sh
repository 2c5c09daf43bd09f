#!/bin/sh
# Stand-in for the eclipse-mosquitto image's entrypoint: as root, give /mosquitto (volumes mounted over
# it included) to the user mosquitto, then run "$@".
set -e
if [ "$(id -u)" = 0 ] && [ -d /mosquitto ]; then
  chown -R mosquitto:mosquitto /mosquitto || true
fi
exec "$@"
