#!/bin/bash
# The cascade figures of docs/performance.md, on the demo cluster (tools/demo: o1, o2, e1, e2 on
# ports 8101, 8102, 8201, 8202, which must be free): what one cascade hop adds to the latency,
# and a cold edge's WHEP POST to first decodable frame.
#
#   tools/bench/cascade.sh BUILD_DIR [--runs N] [--viewers N] [--seconds S]
#
# 1. Hop latency: tributary-bench publishes at e1; its viewers play at e1 (direct: publisher ->
#    e1 -> viewer), then at e2 (publisher -> e1 -> o1 -> e2 -> viewer: one edge -> origin -> edge
#    hop more). The latency percentiles of the two runs are compared.
# 2. Cold edge: N runs, each on a new stream published at e1, with one viewer at e2 that has
#    never carried it (e2 must pull it from the origin); keyframes only on PLI, so the viewer's
#    first keyframe is the one its own join asked for. Prints each run's POST -> first keyframe
#    and their p50/p90.
# The cluster is started here (tools/demo --no-build) and stopped at the end; JSON lines of
# every run go to $OUT_DIR (default: a temporary dir, printed).
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 BUILD_DIR [--runs N] [--viewers N] [--seconds S]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
runs=20
viewers=50
seconds=10
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift ;;
    --viewers) viewers=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    *) echo "cascade: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
OUT_DIR=${OUT_DIR:-$(mktemp -d /tmp/tributary-cascade.XXXXXX)}
mkdir -p "$OUT_DIR"
BENCH="$BUILD/tools/tributary-bench"
E1=http://127.0.0.1:8201
E2=http://127.0.0.1:8202

setsid "$ROOT/tools/demo" --no-build --log-dir "$OUT_DIR/demo" >"$OUT_DIR/demo.out" 2>&1 &
demo=$!
trap 'kill -TERM -- -$demo 2>/dev/null || kill -TERM $demo 2>/dev/null; wait $demo 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q "Ctrl-C" "$OUT_DIR/demo.out" 2>/dev/null && break
  kill -0 $demo 2>/dev/null || { cat "$OUT_DIR/demo.out" >&2; exit 1; }
  sleep 0.1
done
pids=$(pgrep -f "tributary-(origin|edge) --config $ROOT/conf/demo" | tr '\n' ' ')

field() {  # field FILE PYTHON-EXPRESSION-ON-d
  /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

echo "cascade: hop latency, $viewers viewers, ${seconds}s windows (JSON in $OUT_DIR)"
for where in e1 e2; do
  url=$E1
  [[ $where == e2 ]] && url=$E2
  "$BENCH" --whip "$E1/whip/live/hop-$where-$$" --token demo-token \
    --whep "$url/whep/live/hop-$where-$$" --viewers "$viewers" --duration "${seconds}s" \
    --warmup 2s $(for p in $pids; do printf -- '--server-pid %s ' "$p"; done) --json \
    >"$OUT_DIR/hop-$where.json"
  field "$OUT_DIR/hop-$where.json" \
    "'  viewers at $where: latency p50 %.3f ms, p99 %.3f ms, max %.3f ms, loss %.5f' % (d['window']['latency_ms']['p50'], d['window']['latency_ms']['p99'], d['window']['latency_ms']['max'], d['window']['loss_ratio'])"
done

echo "cascade: cold edge, $runs runs (publisher at e1, one viewer at e2, keyframes on PLI)"
values=()
for i in $(seq 1 "$runs"); do
  "$BENCH" --whip "$E1/whip/live/cold-$$-$i" --token demo-token \
    --whep "$E2/whep/live/cold-$$-$i" --viewers 1 --keyframe-interval 0 --duration 1s \
    --warmup 0.5s --json >"$OUT_DIR/cold-$i.json"
  v=$(field "$OUT_DIR/cold-$i.json" "d['viewers']['first_keyframe_ms'].get('p50', 'none')")
  values+=("$v")
done
echo "  POST -> first keyframe (ms): ${values[*]}"
/usr/bin/python3 - "${values[@]}" <<'EOF'
import statistics, sys
v = sorted(float(x) for x in sys.argv[1:] if x != "none")
if not v:
    sys.exit("cascade: no run got a keyframe")
p = lambda q: v[min(len(v) - 1, int(q * len(v)))]
print(f"  cold edge: n={len(v)} p50 {statistics.median(v):.1f} ms, p90 {p(0.9):.1f} ms, max {v[-1]:.1f} ms")
EOF
