#!/usr/bin/python3
"""Writes tools/grafana/tributary.json, the Grafana dashboard of a Tributary cluster.

The dashboard is plain Grafana JSON (import it, or provision it); this script only keeps its
many similar panels consistent. Edit here, then run:

    tools/grafana/generate.py            # rewrites tools/grafana/tributary.json
    tools/grafana/generate.py --check    # exits 1 if tributary.json is not what it would write

Every metric it uses is in docs/metrics.md (tests/unit/metrics/GrafanaDashboardTest checks it).
The Prometheus data source is a dashboard variable, so the file imports into any Grafana.
"""

import argparse
import json
import os
import sys

DS = {"type": "prometheus", "uid": "${datasource}"}
FILTER = 'instance=~"$instance"'
VHOST_FILTER = 'instance=~"$instance", vhost=~"$vhost"'
RATE = "$__rate_interval"


class Layout:
    """Hands out panel ids and grid positions: a 24-column grid, rows of panels 8 high."""

    def __init__(self):
        self.panels = []
        self.next_id = 1
        self.x = 0
        self.y = 0

    def _id(self):
        self.next_id += 1
        return self.next_id - 1

    def row(self, title):
        if self.x:
            self.x, self.y = 0, self.y + 8
        self.panels.append({
            "type": "row", "id": self._id(), "title": title, "collapsed": False,
            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": [],
        })
        self.y += 1

    def add(self, panel, width=8, height=8):
        if self.x + width > 24:
            self.x, self.y = 0, self.y + height
        panel["id"] = self._id()
        panel["gridPos"] = {"h": height, "w": width, "x": self.x, "y": self.y}
        self.panels.append(panel)
        self.x += width


def target(expr, legend, ref="A", instant=False):
    t = {"datasource": DS, "refId": ref, "expr": expr, "legendFormat": legend}
    if instant:
        t.update({"instant": True, "range": False, "format": "table"})
    return t


def timeseries(title, description, targets, unit, stack=False):
    return {
        "type": "timeseries", "title": title, "description": description, "datasource": DS,
        "targets": [dict(t, refId=chr(ord("A") + i)) for i, t in enumerate(targets)],
        "fieldConfig": {
            "defaults": {
                "unit": unit,
                "min": 0,
                "custom": {
                    "drawStyle": "line", "lineWidth": 1, "fillOpacity": 10,
                    "showPoints": "never",
                    "stacking": {"mode": "normal" if stack else "none", "group": "A"},
                },
            },
            "overrides": [],
        },
        "options": {
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
    }


def on_role(expr, role):
    """Keeps the series of nodes of one role (tributary_build_info carries it)."""
    return f'({expr}) * on (job, instance) group_left () tributary_build_info{{role="{role}"}}'


def role_row(layout, role, title):
    layout.row(title)
    r = lambda e: on_role(e, role)  # noqa: E731

    layout.add(timeseries(
        "Sessions by vhost and kind",
        "tributary_sessions: WebRTC sessions open now (publish = WHIP, play = WHEP).",
        [target(f"sum by (vhost, kind) ({r(f'tributary_sessions{{{VHOST_FILTER}}}')})",
                "{{vhost}} {{kind}}")],
        "short", stack=True))
    layout.add(timeseries(
        "Streams by vhost",
        "tributary_streams: live streams (a producer present on the node).",
        [target(f"sum by (vhost) ({r(f'tributary_streams{{{VHOST_FILTER}}}')})", "{{vhost}}")],
        "short", stack=True))
    layout.add(timeseries(
        "Upstream links",
        "tributary_upstream_links: pulls (WHEP) and pushes (WHIP) toward origins open now.",
        [target(f"sum by (kind) ({r(f'tributary_upstream_links{{{FILTER}}}')})", "{{kind}}")],
        "short"))

    layout.add(timeseries(
        "RTP packets by direction",
        "rate(tributary_rtp_packets_total): packets per second in (from publishers and "
        "upstreams) and out (to viewers and downstreams).",
        [target(f"sum by (direction) ({r(f'rate(tributary_rtp_packets_total{{{VHOST_FILTER}}}[{RATE}])')})",
                "{{direction}}")],
        "pps"))
    layout.add(timeseries(
        "RTP bitrate by direction",
        "rate(tributary_rtp_bytes_total) * 8: bits per second on the wire.",
        [target(f"sum by (direction) ({r(f'rate(tributary_rtp_bytes_total{{{VHOST_FILTER}}}[{RATE}])')}) * 8",
                "{{direction}}")],
        "bps"))
    layout.add(timeseries(
        "RTP bitrate by vhost",
        "rate(tributary_rtp_bytes_total) * 8 per vhost, both directions.",
        [target(f"sum by (vhost, direction) ({r(f'rate(tributary_rtp_bytes_total{{{VHOST_FILTER}}}[{RATE}])')}) * 8",
                "{{vhost}} {{direction}}")],
        "bps"))

    layout.add(timeseries(
        "NACKs and retransmissions",
        "tributary_nacks_total (in: from viewers, out: to publishers) and "
        "tributary_retransmissions_total (packets resent from the cache), per second.",
        [target(f"sum by (direction) ({r(f'rate(tributary_nacks_total{{{FILTER}}}[{RATE}])')})",
                "NACKs {{direction}}"),
         target(f"sum({r(f'rate(tributary_retransmissions_total{{{FILTER}}}[{RATE}])')})",
                "retransmissions")],
        "pps"))
    layout.add(timeseries(
        "Keyframe requests",
        "rate(tributary_keyframe_requests_total): PLI/FIR sent toward publishers per second.",
        [target(f"sum({r(f'rate(tributary_keyframe_requests_total{{{FILTER}}}[{RATE}])')})",
                "PLI/FIR")],
        "reqps"))
    layout.add(timeseries(
        "Dropped packets by reason",
        "rate(tributary_dropped_packets_total): packets dropped on the media path per second.",
        [target(f"sum by (reason) ({r(f'rate(tributary_dropped_packets_total{{{FILTER}}}[{RATE}])')})",
                "{{reason}}")],
        "pps", stack=True))
    layout.add(timeseries(
        "Cross-worker fan-out",
        "rate(tributary_mirror_packets_total): packets a stream's home worker copied to the "
        "other media workers that serve its viewers; rate(tributary_mirror_drops_total): those "
        "it could not hand over (ring_full, too_large); rate(tributary_mirror_wakeups_total): "
        "eventfd wake-ups of those workers.",
        [target(f"sum({r(f'rate(tributary_mirror_packets_total{{{FILTER}}}[{RATE}])')})",
                "copied"),
         target(f"sum by (reason) ({r(f'rate(tributary_mirror_drops_total{{{FILTER}}}[{RATE}])')})",
                "dropped {{reason}}", ref="B"),
         target(f"sum({r(f'rate(tributary_mirror_wakeups_total{{{FILTER}}}[{RATE}])')})",
                "wake-ups", ref="C")],
        "pps"))
    layout.add(timeseries(
        "Tenant refusals by vhost",
        "rate(tributary_auth_rejections_total): requests refused for their credential (401, "
        "403); rate(tributary_limit_rejections_total): WHIP/WHEP refused by a vhost limit (503); "
        "increase(tributary_bitrate_exceeded_total): publishers ended over their bitrate limit.",
        [target(f"sum by (vhost, code) ({r(f'rate(tributary_auth_rejections_total{{{VHOST_FILTER}}}[{RATE}])')})",
                "{{vhost}} auth {{code}}"),
         target(f"sum by (vhost, reason) ({r(f'rate(tributary_limit_rejections_total{{{VHOST_FILTER}}}[{RATE}])')})",
                "{{vhost}} limit {{reason}}"),
         target(f"sum by (vhost) ({r(f'increase(tributary_bitrate_exceeded_total{{{VHOST_FILTER}}}[{RATE}])')})",
                "{{vhost}} bitrate exceeded")],
        "reqps"))

    for family, title, description in (
            ("tributary_session_setup_seconds", "Session setup time",
             "tributary_session_setup_seconds: from the WHIP/WHEP POST to DTLS connected."),
            ("tributary_first_media_seconds", "Time to first media",
             "tributary_first_media_seconds: from the WHIP/WHEP POST to the first media packet.")):
        targets = []
        for q in ("0.5", "0.95", "0.99"):
            inner = r(f"rate({family}_bucket{{{FILTER}}}[{RATE}])")
            targets.append(target(f"histogram_quantile({q}, sum by (le, kind) ({inner}))",
                                  f"p{q[2:].ljust(2, '0')} {{{{kind}}}}"))
        layout.add(timeseries(title, description + " Quantiles by kind.", targets, "s"))
    layout.add(timeseries(
        "Sessions set up per second",
        "rate(tributary_session_setup_seconds_count) and rate(tributary_first_media_seconds_count)"
        ": how many sessions reached DTLS and first media.",
        [target(f"sum by (kind) ({r(f'rate(tributary_session_setup_seconds_count{{{FILTER}}}[{RATE}])')})",
                "DTLS connected {{kind}}"),
         target(f"sum by (kind) ({r(f'rate(tributary_first_media_seconds_count{{{FILTER}}}[{RATE}])')})",
                "first media {{kind}}")],
        "ops"))

    layout.add(timeseries(
        "Peers",
        "tributary_peers: nodes heartbeated (an origin's peers, an edge's origins) by state.",
        [target(f"sum by (state) ({r(f'tributary_peers{{{FILTER}}}')})", "{{state}}")],
        "short"))
    layout.add(timeseries(
        "Stream directory",
        "tributary_directory_streams: streams an origin knows of, its own and its peers'.",
        [target(f"{r(f'tributary_directory_streams{{{FILTER}}}')}", "{{instance}}")],
        "short"))
    layout.add(timeseries(
        "Redirects and failovers",
        "rate(tributary_redirects_total): 307s sent per second (owner: to the stream's origin, "
        "nearest_edge: a viewer to an edge of its region); increase(tributary_failovers_total): "
        "upstream links moved to the next origin.",
        [target(f"sum by (reason) ({r(f'rate(tributary_redirects_total{{{FILTER}}}[{RATE}])')})",
                "redirects {{reason}}"),
         target(f"sum({r(f'increase(tributary_failovers_total{{{FILTER}}}[{RATE}])')})",
                "failovers")],
        "short"))


def dashboard():
    layout = Layout()

    layout.row("Cluster")
    nodes = {
        "type": "table", "title": "Nodes",
        "description": "tributary_build_info and tributary_uptime_seconds of every scraped node.",
        "datasource": DS,
        "targets": [
            target(f"tributary_build_info{{{FILTER}}}", "", ref="A", instant=True),
            target(f"tributary_uptime_seconds{{{FILTER}}}", "", ref="B", instant=True),
        ],
        "transformations": [
            {"id": "merge", "options": {}},
            {"id": "organize", "options": {
                "excludeByName": {"Time": True, "__name__": True, "Value #A": True},
                "renameByName": {"Value #B": "uptime"},
            }},
        ],
        "fieldConfig": {"defaults": {}, "overrides": [
            {"matcher": {"id": "byName", "options": "uptime"},
             "properties": [{"id": "unit", "value": "s"}]},
        ]},
        "options": {"showHeader": True},
    }
    layout.add(nodes, width=12)
    layout.add(timeseries(
        "HTTP responses by status class",
        "rate(tributary_http_requests_total): responses per second by code (2xx, 4xx, ...).",
        [target(f"sum by (code) (rate(tributary_http_requests_total{{{FILTER}}}[{RATE}]))",
                "{{code}}")],
        "reqps", stack=True), width=12)

    role_row(layout, "origin", "Origins")
    role_row(layout, "edge", "Edges")

    layout.row("Processes")
    layout.add(timeseries(
        "CPU", "rate(process_cpu_seconds_total): cores busy, per node.",
        [target(f"rate(process_cpu_seconds_total{{{FILTER}}}[{RATE}])", "{{instance}}")],
        "percentunit"))
    layout.add(timeseries(
        "Memory", "process_resident_memory_bytes and process_virtual_memory_bytes per node.",
        [target(f"process_resident_memory_bytes{{{FILTER}}}", "{{instance}} resident"),
         target(f"process_virtual_memory_bytes{{{FILTER}}}", "{{instance}} virtual")],
        "bytes"))
    layout.add(timeseries(
        "File descriptors",
        "process_open_fds against process_max_fds (LimitNOFILE) per node.",
        [target(f"process_open_fds{{{FILTER}}}", "{{instance}} open"),
         target(f"process_max_fds{{{FILTER}}}", "{{instance}} max")],
        "short"))
    layout.add(timeseries(
        "Threads", "process_threads per node.",
        [target(f"process_threads{{{FILTER}}}", "{{instance}}")], "short"))
    layout.add(timeseries(
        "Process age", "time() - process_start_time_seconds: restarts show as drops.",
        [target(f"time() - process_start_time_seconds{{{FILTER}}}", "{{instance}}")], "s"))

    return {
        "title": "Tributary",
        "uid": "tributary",
        "description": "Tributary WebRTC origin/edge cluster: sessions, streams, media rates, "
                       "NACKs, keyframes, drops, setup times, upstream links and processes "
                       "(metrics catalogue: docs/metrics.md).",
        "tags": ["tributary", "webrtc"],
        "editable": True,
        "graphTooltip": 1,
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-1h", "to": "now"},
        "refresh": "10s",
        "timezone": "",
        "annotations": {"list": []},
        "links": [],
        "templating": {"list": [
            {"type": "datasource", "name": "datasource", "label": "Prometheus",
             "query": "prometheus", "current": {}, "hide": 0, "refresh": 1},
            {"type": "query", "name": "instance", "label": "Node", "datasource": DS,
             "query": {"query": "label_values(tributary_build_info, instance)", "refId": "instance"},
             "definition": "label_values(tributary_build_info, instance)",
             "multi": True, "includeAll": True, "allValue": ".*",
             "current": {"text": "All", "value": "$__all"}, "refresh": 2, "sort": 1, "hide": 0},
            {"type": "query", "name": "vhost", "label": "Vhost", "datasource": DS,
             "query": {"query": "label_values(tributary_streams, vhost)", "refId": "vhost"},
             "definition": "label_values(tributary_streams, vhost)",
             "multi": True, "includeAll": True, "allValue": ".*",
             "current": {"text": "All", "value": "$__all"}, "refresh": 2, "sort": 1, "hide": 0},
        ]},
        "panels": layout.panels,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if tributary.json differs from what would be written")
    args = parser.parse_args()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tributary.json")
    text = json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n"
    if args.check:
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{path} is not up to date: run tools/grafana/generate.py", file=sys.stderr)
                return 1
        print(f"{path} is up to date")
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {path} ({len(dashboard()['panels'])} panels)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
