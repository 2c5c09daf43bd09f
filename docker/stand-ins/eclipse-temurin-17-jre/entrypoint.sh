#!/usr/bin/env bash
# Stand-in for the Temurin images' /__cacert_entrypoint.sh. The real one, with USE_SYSTEM_CA_CERTS set,
# first imports the system CAs and /certificates/*.crt into the JVM's trust store; images that set their
# own ENTRYPOINT (docker/Dockerfile does) never run it. This one only says that it cannot, then runs "$@".
set -e
if [ -n "${USE_SYSTEM_CA_CERTS:-}" ]; then
  echo "stand-in eclipse-temurin image: USE_SYSTEM_CA_CERTS is not implemented here" >&2
fi
export JRE_CACERTS_PATH="$JAVA_HOME/lib/security/cacerts"
exec "$@"
