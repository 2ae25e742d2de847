#!/bin/sh
# ctest bench.quick_smoke: tributary-bench --quick (a few viewers, a few seconds) against a
# throwaway origin must connect every viewer and deliver packets to each. Not a timing check.
#   tools/bench/smoke.sh BUILD_DIR
set -eu
OUT=$(mktemp /tmp/tributary-bench-smoke.XXXXXX)
trap 'rm -f "$OUT"' EXIT
"$(dirname "$0")/bench-node.sh" "$1" --quick --viewers 4 --json >"$OUT"
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
viewers, window = report["viewers"], report.get("window", {})
problems = []
if not report["ok"]: problems.append("not ok: %s" % report["error"])
if viewers["connected"] != viewers["requested"]: problems.append("viewers connected %d of %d" % (viewers["connected"], viewers["requested"]))
if window.get("delivered_packets", 0) <= 0: problems.append("no packet delivered in the window")
if window.get("viewers_without_packets", 1) != 0: problems.append("%s viewers without packets" % window.get("viewers_without_packets"))
if "server_cpu_us_per_packet" not in window: problems.append("no server CPU figure")
if problems:
    print("bench smoke failed: " + "; ".join(problems)); print(json.dumps(report, indent=2)); sys.exit(1)
print("bench smoke: %d packets to %d viewers, loss %.4f, server %.2f us/packet" % (
    window["delivered_packets"], viewers["connected"], window["loss_ratio"], window["server_cpu_us_per_packet"]))
PY
