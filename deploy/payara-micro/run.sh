#!/usr/bin/env bash
# Runs eventstream.war on Payara Micro with its embedded broker (one node).
# Usage: deploy/payara-micro/run.sh [path/to/eventstream.war] — build first with `mvn -B package`.
# Configuration comes from the environment: EVENTSTREAM_PUBLISH_TOKEN, EVENTSTREAM_KEEPALIVE, ... (see README).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
war=${1:-$root/target/eventstream.war}
micro=${PAYARA_MICRO_JAR:-$root/target/payara-micro.jar}
port=${PORT:-8080}

if [ ! -f "$micro" ]; then
  mkdir -p "$root/target"
  # Under a lock: deploy/cluster/run.sh starts several nodes at once.
  (cd "$root" && flock target/.payara-micro.lock sh -c '[ -f target/payara-micro.jar ] || mvn -B -q dependency:copy \
      -Dartifact=fish.payara.extras:payara-micro:6.2025.10 -DoutputDirectory=target -Dmdep.stripVersion=true')
  micro=$root/target/payara-micro.jar
fi
if [ -z "${EVENTSTREAM_PUBLISH_TOKEN:-}" ]; then
  echo "note: EVENTSTREAM_PUBLISH_TOKEN is not set, so HTTP publishing is off (403); EventSender still works." >&2
fi
# pre-boot.asadmin: a 64 KiB socket write buffer, which bounds what Payara queues for a client that stopped
# reading to 256 KiB (README, "Slow clients"); as a post-boot command it would not reach the listener.
exec java ${JAVA_OPTS:-} -jar "$micro" --deploy "$war" --port "$port" --nocluster \
    --prebootcommandfile "$here/pre-boot.asadmin"
