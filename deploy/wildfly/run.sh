#!/usr/bin/env bash
# Runs eventstream.war on WildFly 37 (standalone-full.xml as shipped, no server configuration).
# Usage: deploy/wildfly/run.sh [path/to/eventstream.war]   (build first: mvn -B package)
# Environment: WILDFLY_HOME (an existing WildFly; else 37.0.1.Final is fetched from Maven Central into target/),
#              PORT_OFFSET (0: HTTP on 8080), EVENTSTREAM_* settings (see README), e.g. EVENTSTREAM_PUBLISH_TOKEN.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
war=${1:-$root/target/eventstream.war}
home=${WILDFLY_HOME:-$root/target/wildfly-37.0.1.Final}

if [ ! -x "$home/bin/standalone.sh" ]; then
  (cd "$root" && mvn -B -q dependency:unpack -Dartifact=org.wildfly:wildfly-dist:37.0.1.Final:zip -DoutputDirectory=target)
  chmod +x "$home"/bin/*.sh
fi
cp "$war" "$home/standalone/deployments/eventstream.war"
# MicroProfile Config reads EVENTSTREAM_* from the environment; nothing else to configure.
exec "$home/bin/standalone.sh" -c standalone-full.xml -b 127.0.0.1 \
     -Djboss.socket.binding.port-offset="${PORT_OFFSET:-0}"
