"""Shared by the interop tests: start a real tributary node from a temporary config on free
loopback ports, wait for its health check, talk WHIP/WHEP to it over urllib, read /metrics.

    with TributaryNode(build_dir, vhosts=[VHOST_DEMO]) as node:
        status, headers, body = node.whip("live", "cam", offer_sdp, token="t")
        node.metric("tributary_sessions", vhost="demo", kind="publish")

Loopback only. The node is stopped (SIGTERM, then SIGKILL) when the block ends, and its log is
printed when the block ends with an exception.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

# A vhost file: the default one, publishing with a token, playing open.
VHOST_DEMO = """name: demo
default: true
domains: [localhost, 127.0.0.1]
allow_query_vhost: true
publish:
  tokens: [demo-token]
play:
  open: true
"""

# A second tenant, reached by its domain or ?vhost=, with tokens for both actions.
VHOST_ACME = """name: acme
domains: [acme.test, "*.acme.test"]
allow_query_vhost: true
publish:
  tokens: [acme-publish]
play:
  tokens: [acme-play]
codecs: [opus, vp8]
"""


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HttpResult:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        import json
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "HTTP %d %s" % (self.status, self.text()[:300])


def http(method, url, body=None, headers=None, timeout=10):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return HttpResult(response.status, list(response.getheaders()), response.read())
    except urllib.error.HTTPError as e:
        return HttpResult(e.code, list(e.headers.items()), e.read())


class TributaryNode:
    def __init__(self, build_dir, vhosts=(VHOST_DEMO,), role="origin", extra_media="",
                 log_level="info"):
        self.build_dir = build_dir
        self.role = role
        self.dir = tempfile.mkdtemp(prefix="tributary-interop-")
        self.http_port = free_port()
        self.base = "http://127.0.0.1:%d" % self.http_port
        os.makedirs(os.path.join(self.dir, "vhosts"))
        for i, text in enumerate(vhosts):
            with open(os.path.join(self.dir, "vhosts", "v%d.yaml" % i), "w") as f:
                f.write(text)
        self.config = os.path.join(self.dir, "node.yaml")
        with open(self.config, "w") as f:
            f.write("node:\n  id: n1\n  role: %s\n  region: eu\n" % role)
            f.write("http:\n  listen: 127.0.0.1:%d\n" % self.http_port)
            f.write("media:\n  listen_ip: 127.0.0.1\n  port: 0\n%s" % extra_media)
            f.write("cluster:\n  secret: interop-cluster-secret-0123456789\n  nodes:\n")
            f.write("    - {id: n1, role: %s, url: %s, region: eu}\n" % (role, self.base))
            if role == "edge":
                f.write("    - {id: o9, role: origin, url: http://127.0.0.1:9, region: eu}\n")
                f.write("  origins: [o9]\n")
            f.write("vhosts:\n  dir: vhosts\n")
            f.write("logging:\n  level: %s\n" % log_level)
        self.log_path = os.path.join(self.dir, "node.log")
        self.proc = None

    def binary(self):
        return os.path.join(self.build_dir, self.role, "tributary-" + self.role)

    def start(self, timeout=15):
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen([self.binary(), "--config", self.config], stdout=log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("node exited with %d:\n%s" % (self.proc.returncode, self.log()))
            try:
                if http("GET", self.base + "/api/v1/health", timeout=1).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("node not healthy within %ds:\n%s" % (timeout, self.log()))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, kind, value, tb):
        self.stop()
        if kind is not None:
            print("---- node log (%s) ----\n%s---- end of node log ----" % (self.dir, self.log()))
        shutil.rmtree(self.dir, ignore_errors=True)
        return False

    # --- WHIP / WHEP ---

    def offer(self, kind, app, stream, sdp, token=None, vhost=None, host=None,
              content_type="application/sdp"):
        url = "%s/%s/%s/%s" % (self.base, kind, app, stream)
        if vhost:
            url += "?vhost=" + vhost
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if token:
            headers["Authorization"] = "Bearer " + token
        if host:
            headers["Host"] = host
        return http("POST", url, sdp, headers)

    def whip(self, app, stream, sdp, token="demo-token", **kw):
        return self.offer("whip", app, stream, sdp, token=token, **kw)

    def whep(self, app, stream, sdp, token=None, **kw):
        return self.offer("whep", app, stream, sdp, token=token, **kw)

    def delete(self, location):
        return http("DELETE", self.base + location)

    def patch(self, location, fragment, etag=None, content_type="application/trickle-ice-sdpfrag"):
        headers = {"Content-Type": content_type}
        if etag:
            headers["If-Match"] = etag
        return http("PATCH", self.base + location, fragment, headers)

    # --- /metrics ---

    def metrics(self):
        """{(name, frozenset(labels.items())): value}"""
        text = http("GET", self.base + "/metrics").text()
        samples = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)', line)
            if not m:
                continue
            labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
            samples[(m.group(1), frozenset(labels.items()))] = float(m.group(4))
        return samples

    def metric(self, name, **labels):
        return self.metrics().get((name, frozenset(labels.items())), 0.0)

    def wait_metric(self, name, value, timeout=5, **labels):
        deadline = time.time() + timeout
        current = None
        while time.time() < deadline:
            current = self.metric(name, **labels)
            if current == value:
                return current
            time.sleep(0.1)
        raise AssertionError("%s%r is %r, not %r after %ds" % (name, labels, current, value, timeout))
