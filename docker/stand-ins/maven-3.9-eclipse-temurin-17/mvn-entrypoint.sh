#!/bin/sh
# Stand-in for the maven images' mvn-entrypoint.sh: seeds $MAVEN_CONFIG (~/.m2) with what is under
# /usr/share/maven/ref (files already there are kept), forgets MAVEN_CONFIG (mvn would read it as
# arguments) and runs "$@".
set -eu
if mkdir -p "$MAVEN_CONFIG/repository" 2>/dev/null; then
  (cd /usr/share/maven/ref && find . -type f) | while read -r file; do
    if [ ! -e "$MAVEN_CONFIG/$file" ]; then
      mkdir -p "$MAVEN_CONFIG/$(dirname "$file")"
      cp "/usr/share/maven/ref/$file" "$MAVEN_CONFIG/$file"
    fi
  done
else
  echo "Cannot write to $MAVEN_CONFIG; carrying on without the reference files" >&2
fi
unset MAVEN_CONFIG
exec "$@"
