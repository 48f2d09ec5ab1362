#!/usr/bin/env bash
# Runs eventstream.war on WildFly 37 (standalone-full.xml as shipped, but for request-limits.cli).
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
# Connect storms (issue 13; deploy/README.md, "Connect storms"): WildFly 37's defaults already answer every
# connection, so nothing is changed here. Looked up in the distribution itself (docs/schema/wildfly-io_4_0.xsd,
# wildfly-undertow_14_0.xsd, xnio-api-3.8.16's XnioWorker):
# - io worker: io-threads default cores x 2 (they accept and parse), task-max-threads cores x 16; the task queue
#   in front of them is an EnhancedQueueExecutor built without a maximum queue size, i.e. unbounded: no Grizzly-like
#   "task queue is full" that closes connections.
# - http-listener tcp-backlog default 10000 (Linux caps it at net.core.somaxconn, 4096 here); max-connections is
#   unset (no limit): set, Undertow stops accepting above it and the rest wait unanswered in the backlog, so leave
#   it unset and let eventstream.connections.max refuse with 429 + Retry-After instead.
# - no-request-timeout is 60 s (an idle connection without a request). To change any of them, e.g.:
#   bin/jboss-cli.sh -c '/subsystem=undertow/server=default-server/http-listener=default:write-attribute(name=tcp-backlog,value=16384)'
# Slow request heads (issue 17; deploy/README.md, "Slow request heads"): request-limits.cli sets the listener's
# request-parse-timeout (unset, i.e. no limit, as shipped), so that a client that dribbles its request head is cut
# off. It is written into standalone-full.xml offline, before the start; running it again changes nothing.
cli=$(mktemp)
{ echo "embed-server --server-config=standalone-full.xml --std-out=discard"; cat "$here/request-limits.cli"
  echo; echo "stop-embedded-server"; } > "$cli"
"$home/bin/jboss-cli.sh" --file="$cli" > /dev/null
rm -f "$cli"
# MicroProfile Config reads EVENTSTREAM_* from the environment; nothing else to configure.
exec "$home/bin/standalone.sh" -c standalone-full.xml -b 127.0.0.1 \
     -Djboss.socket.binding.port-offset="${PORT_OFFSET:-0}"
