#!/usr/bin/env bash
# A local eventstream cluster: one Artemis broker, two hub nodes on Payara Micro, nginx in front.
# Usage: deploy/cluster/run.sh   (build first: mvn -B package). Ctrl-C stops everything.
# Environment: PORT (nginx, 8000), NODE_PORTS ("8081 8082"), ARTEMIS_PORT (61616), ARTEMIS_PASSWORD (random),
#              EVENTSTREAM_PUBLISH_TOKEN (passed to every node), EVENTSTREAM_PROXIES_TRUSTED (127.0.0.1: the nodes
#              believe the X-Forwarded-For of nginx, which connects to them from 127.0.0.1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/target/cluster
mkdir -p "$work"/{body,proxy,fastcgi,uwsgi,scgi}
command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }

export ARTEMIS_PORT=${ARTEMIS_PORT:-61616}
export ARTEMIS_PASSWORD=${ARTEMIS_PASSWORD:-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM

"$here/../artemis/run.sh" "$work/artemis" > "$work/artemis.log" 2>&1 &
pids+=($!)
until (exec 3<>"/dev/tcp/127.0.0.1/$ARTEMIS_PORT") 2>/dev/null; do sleep 0.5; done

upstreams=""
for port in ${NODE_PORTS:-8081 8082}; do
  EVENTSTREAM_BROKER=artemis EVENTSTREAM_BROKER_URL="tcp://127.0.0.1:$ARTEMIS_PORT" \
  EVENTSTREAM_BROKER_USER=eventstream EVENTSTREAM_BROKER_PASSWORD="$ARTEMIS_PASSWORD" \
  EVENTSTREAM_PROXIES_TRUSTED="${EVENTSTREAM_PROXIES_TRUSTED:-127.0.0.1}" \
  PORT=$port "$here/../payara-micro/run.sh" > "$work/node-$port.log" 2>&1 &
  pids+=($!)
  upstreams+="server 127.0.0.1:$port max_fails=1 fail_timeout=5s; "
done

sed -e "s|@PREFIX@|$work|g" -e "s|@PORT@|${PORT:-8000}|g" -e "s|@UPSTREAMS@|$upstreams|" \
    "$here/nginx.conf" > "$work/nginx.conf"
nginx -p "$work" -c "$work/nginx.conf" &
pids+=($!)
echo "broker on $ARTEMIS_PORT, nodes on ${NODE_PORTS:-8081 8082}, nginx on http://127.0.0.1:${PORT:-8000}/eventstream/ (logs in $work)"
wait
