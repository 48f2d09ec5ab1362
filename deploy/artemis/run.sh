#!/usr/bin/env bash
# Creates (once) and runs an ActiveMQ Artemis broker for eventstream nodes, from the distribution on Maven Central.
# Usage: deploy/artemis/run.sh [instance-dir]   (default: target/artemis-broker)
# Environment: ARTEMIS_HOST (127.0.0.1), ARTEMIS_PORT (61616), ARTEMIS_USER (eventstream), ARTEMIS_PASSWORD (required), ARTEMIS_VERSION (2.40.0),
# ARTEMIS_MEMORY (1G: the broker's heap, set when the instance is created; half of it holds messages in memory, and the
# event log must fit there: about eventstream.history.total x (1 KiB + twice the mean event data size), see README).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=${ARTEMIS_VERSION:-2.40.0}
instance=${1:-$root/target/artemis-broker}
: "${ARTEMIS_PASSWORD:?set ARTEMIS_PASSWORD: the nodes log in with it (eventstream.broker.password)}"

home=$root/target/apache-artemis-$version
if [ ! -x "$home/bin/artemis" ]; then
  (cd "$root" && mvn -B -q dependency:unpack \
      -Dartifact=org.apache.activemq:apache-artemis:$version:tar.gz:bin -DoutputDirectory=target)
fi
if [ ! -d "$instance" ]; then
  # One acceptor for every protocol (CORE, AMQP, STOMP, MQTT, OpenWire) on ARTEMIS_PORT; login required.
  # Persistent (the default of artemis create): the hub keeps its event log here, a ring queue it creates itself.
  bash "$home/bin/artemis" create "$instance" --silent --require-login \
      --user "${ARTEMIS_USER:-eventstream}" --password "$ARTEMIS_PASSWORD" \
      --host "${ARTEMIS_HOST:-127.0.0.1}" --default-port "${ARTEMIS_PORT:-61616}" --no-web --no-autotune \
      --no-amqp-acceptor --no-stomp-acceptor --no-hornetq-acceptor --no-mqtt-acceptor \
      --java-memory "${ARTEMIS_MEMORY:-1G}"
fi
exec bash "$instance/bin/artemis" run
