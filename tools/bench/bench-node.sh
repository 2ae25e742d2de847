#!/bin/sh
# Runs tributary-bench against a throwaway node: starts tributary-origin (or -edge, $NODE) from
# BUILD_DIR on free loopback ports with a temporary config (one vhost without limits: publish
# with demo-token, play openly), publishes one stream to it and points the viewers at it, with
# --server-pid set, then stops the node. Extra arguments go to tributary-bench.
#
#   tools/bench/bench-node.sh BUILD_DIR [tributary-bench arguments...]
#   tools/bench/bench-node.sh build --viewers 500 --srtp gcm --duration 20s --json
#
# Environment: WORKERS (media.workers, default 1), SERVER_CPUS / BENCH_CPUS (taskset lists,
# default 0 and 1 on a machine with 2+ CPUs), NICE (niceness of both, default 0; a negative
# value, as root, keeps a measurement out of the way of other load: the script then runs in a
# session of its own whose scheduler autogroup gets that niceness too, since with autogroups a
# process's niceness only counts against the processes of its own session), KEEP_DIR=1 keeps the
# node's directory (config, log).
set -eu
NICE=${NICE:-0}
if [ "$NICE" -lt 0 ] && [ -z "${TRIBUTARY_BENCH_SESSION:-}" ] && command -v setsid >/dev/null; then
  TRIBUTARY_BENCH_SESSION=1 exec setsid -w "$0" "$@"
fi
if [ "$NICE" -lt 0 ] && [ -w /proc/self/autogroup ]; then
  echo "$NICE" >/proc/self/autogroup 2>/dev/null || true
fi
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [bench args...]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd); shift
NODE=${NODE:-origin}
WORKERS=${WORKERS:-1}
if [ "$(nproc)" -ge 2 ]; then
  SERVER_CPUS=${SERVER_CPUS:-0}; BENCH_CPUS=${BENCH_CPUS:-1}
else
  SERVER_CPUS=${SERVER_CPUS:-0}; BENCH_CPUS=${BENCH_CPUS:-0}
fi
DIR=$(mktemp -d /tmp/tributary-bench-node.XXXXXX)

# A free HTTP port and a free range for the media workers.
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
HTTP_PORT=$(free_port)
MEDIA_PORT=$(/usr/bin/python3 -c '
import socket, random
n = int('"$WORKERS"')
for _ in range(200):
    base = random.randint(20000, 60000 - n)
    socks = []
    try:
        for i in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", base + i)); socks.append(s)
    except OSError:
        continue
    finally:
        for s in socks: s.close()
    print(base); break')

# The bench's own vhost: the demo's tokens without its limits, so that thousands of viewers can
# join from one address (the defaults allow 50 new sessions per address per second).
mkdir -p "$DIR/vhosts"
cat > "$DIR/vhosts/bench.yaml" <<YAML
name: bench
default: true
domains: [localhost, 127.0.0.1]
publish: {open: false, tokens: [demo-token]}
play: {open: true}
limits:
  publishers: 1000
  viewers: 1000000
  viewers_per_stream: 1000000
  bitrate_kbps: 1000000
  sessions_per_ip_per_s: 1000000
YAML

cat > "$DIR/node.yaml" <<YAML
node: {id: bench-node, role: $NODE, region: local}
http: {listen: 127.0.0.1:$HTTP_PORT}
media: {listen_ip: 127.0.0.1, port: $MEDIA_PORT, workers: $WORKERS, max_sessions_per_worker: 100000}
cluster:
  secret: tributary-bench-throwaway-cluster-secret
  nodes:
    - {id: bench-node, role: $NODE, url: http://127.0.0.1:$HTTP_PORT, region: local}
  peers: []
vhosts: {dir: $DIR/vhosts}
logging: {level: warn, format: text}
YAML

nice -n "$NICE" taskset -c "$SERVER_CPUS" "$BUILD/$NODE/tributary-$NODE" --config "$DIR/node.yaml" \
  >"$DIR/node.log" 2>&1 &
PID=$!
cleanup() {
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  [ "${KEEP_DIR:-0}" = 1 ] || rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

# Ready when the HTTP port answers.
i=0
until /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $HTTP_PORT), 0.2)" 2>/dev/null; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$PID" 2>/dev/null; then
    echo "bench-node: the node did not start:" >&2; cat "$DIR/node.log" >&2; exit 1
  fi
  sleep 0.1
done

STREAM=bench-$$
set +e
nice -n "$NICE" taskset -c "$BENCH_CPUS" "$BUILD/tools/tributary-bench" \
  --whip "http://127.0.0.1:$HTTP_PORT/whip/live/$STREAM" --token demo-token \
  --whep "http://127.0.0.1:$HTTP_PORT/whep/live/$STREAM" --server-pid "$PID" "$@"
RC=$?
set -e
exit $RC
