#!/usr/bin/python3
"""Vhosts as tenants, on a running cluster over HTTPS: two origins and an edge (real processes),
every listener HTTPS with certificates from tools/make-certs, node-to-node calls verifying the
peer against the cluster's CA. Offers come from Debian's aiortc; JWTs are signed by Debian's
python3-jwt (PyJWT), not by the code under test.

  - HTTPS: health over TLS verified against the CA; the mesh forms (peers alive) over HTTPS; a
    node with another CA's certificate is refused (certificate verify failed)
  - "Done when" on the demo vhosts (vhosts/demo.yaml, vhosts/acme.yaml of the repository), on
    every node: demo-token 401 on an acme stream (Host acme.localhost and ?vhost=acme),
    acme-play plays it, the same name in demo is not found, an acme JWT scoped elsewhere 403
    and an expired one 401, a publisher over its bitrate limit capped (tributary-whip)
  - a cross-tenant matrix: two vhosts x publish/play/admin x right/wrong/other-tenant
    credentials, on every node
  - at least 40 negative cases, each asserting the status code and the reason
  - token rotation: SIGHUP and POST /api/v1/reload, an existing session continues; a new TLS
    certificate served after SIGHUP
  - a flood of session creations from one address (127.0.0.2) leaves another vhost's viewers'
    admission latency within 2x
  - the demo cluster secret outside loopback: refused unless --allow-demo-secret

Run by ctest: /usr/bin/python3 test_tenants.py --build-dir BUILD --source-dir SRC
"""

import argparse
import asyncio
import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

import aioice.ice
import jwt
from aiortc import RTCConfiguration, RTCPeerConnection
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

SECRET = "tenants-test-cluster-secret-0123456789"
GLOBAL_ADMIN = "global-admin-token-for-the-test"

# A second tenant for the matrix, by its domain only (no ?vhost=), tokens for every action, no
# JWT secret, small limits that the negative cases reach.
VHOST_GLOBEX = """name: globex
domains: [globex.localhost, "*.globex.localhost"]
publish:
  tokens: [globex-publish]
play:
  tokens: [globex-play]
admin:
  tokens: [globex-admin]
limits:
  publishers: 3
  viewers: 4
  viewers_per_stream: 2
  sessions_per_ip_per_s: 1000
codecs: [opus, vp8]
"""


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Result:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.text())

    def reason(self):
        try:
            return self.json().get("error", "")
        except ValueError:
            return ""

    def __repr__(self):
        return "HTTP %d %s" % (self.status, self.text()[:300])


class Client:
    """HTTPS to the nodes, verified against the test CA."""

    def __init__(self, ca_file):
        self.ca_file = ca_file
        self.context = ssl.create_default_context(cafile=ca_file)

    def request(self, method, url, body=None, headers=None, source=None, timeout=10):
        m = re.match(r"https://([^:/]+):(\d+)(.*)", url)
        conn = http.client.HTTPSConnection(m.group(1), int(m.group(2)), context=self.context,
                                           timeout=timeout,
                                           source_address=(source, 0) if source else None)
        try:
            data = body.encode() if isinstance(body, str) else body
            conn.request(method, m.group(3) or "/", body=data, headers=headers or {})
            response = conn.getresponse()
            return Result(response.status, response.getheaders(), response.read())
        finally:
            conn.close()


class Node:
    def __init__(self, build_dir, work, node_id, role, port, media_port):
        self.build_dir, self.work, self.id, self.role = build_dir, work, node_id, role
        self.port, self.media_port = port, media_port
        self.base = "https://127.0.0.1:%d" % port
        self.config = os.path.join(work, node_id + ".yaml")
        self.log_path = os.path.join(work, node_id + ".log")
        self.proc = None

    def write_config(self, nodes):
        lines = ["node:", "  id: %s" % self.id, "  role: %s" % self.role, "  region: eu",
                 "http:", "  listen: 127.0.0.1:%d" % self.port, "  request_timeout_ms: 2000",
                 "  tls: {cert: certs/%s.pem, key: certs/%s.key}" % (self.id, self.id),
                 "media:", "  listen_ip: 127.0.0.1", "  port: %d" % self.media_port,
                 "cluster:", "  secret: %s" % SECRET, "  ca_file: certs/ca.pem", "  nodes:"]
        for other in nodes:
            lines.append("    - {id: %s, role: %s, url: %s, region: eu}" %
                         (other.id, other.role, other.base))
        origins = [n.id for n in nodes if n.role == "origin"]
        if self.role == "origin":
            lines.append("  peers: [%s]" % ", ".join(o for o in origins if o != self.id))
        else:
            lines.append("  origins: [%s]" % ", ".join(origins))
        lines += ["vhosts:", "  dir: vhosts", "admin:", "  token: %s" % GLOBAL_ADMIN,
                  "logging:", "  level: info"]
        with open(self.config, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self):
        binary = os.path.join(self.build_dir, self.role, "tributary-" + self.role)
        self.proc = subprocess.Popen([binary, "--config", self.config],
                                     stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self):
        with open(self.log_path) as f:
            return f.read()


class Cluster:
    def __init__(self, build_dir, source_dir):
        self.build_dir, self.source_dir = build_dir, source_dir
        self.work = tempfile.mkdtemp(prefix="tributary-tenants-")
        subprocess.run([os.path.join(source_dir, "tools", "make-certs"),
                        os.path.join(self.work, "certs"), "o1", "o2", "e1"], check=True,
                       stdout=subprocess.DEVNULL)
        vhosts = os.path.join(self.work, "vhosts")
        os.makedirs(vhosts)
        for name in ("demo.yaml", "acme.yaml"):  # the demo's own vhost files, as they are
            shutil.copy(os.path.join(source_dir, "vhosts", name), vhosts)
        with open(os.path.join(vhosts, "globex.yaml"), "w") as f:
            f.write(VHOST_GLOBEX)
        self.nodes = [Node(build_dir, self.work, "o1", "origin", free_port(), free_port()),
                      Node(build_dir, self.work, "o2", "origin", free_port(), free_port()),
                      Node(build_dir, self.work, "e1", "edge", free_port(), free_port())]
        for node in self.nodes:
            node.write_config(self.nodes)
        self.client = Client(os.path.join(self.work, "certs", "ca.pem"))

    def node(self, node_id):
        return next(n for n in self.nodes if n.id == node_id)

    def start(self):
        for node in self.nodes:
            node.start()
        deadline = time.time() + 20
        for node in self.nodes:
            while True:
                check(node.proc.poll() is None, "%s exited:\n%s" % (node.id, node.log()))
                try:
                    if self.client.request("GET", node.base + "/api/v1/health",
                                           timeout=1).status == 200:
                        break
                except OSError:
                    pass
                check(time.time() < deadline, "%s not healthy:\n%s" % (node.id, node.log()))
                time.sleep(0.1)

    def stop(self):
        for node in self.nodes:
            node.stop()

    def logs(self):
        return "".join("---- %s ----\n%s" % (n.id, n.log()) for n in self.nodes)


# --- requests -------------------------------------------------------------------------------

def offer_request(client, node, kind, app, stream, sdp, token=None, host=None, vhost=None,
                  content_type="application/sdp", source=None):
    url = "%s/%s/%s/%s" % (node.base, kind, app, stream)
    if vhost:
        url += "?vhost=" + vhost
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if token:
        headers["Authorization"] = token if token.startswith(("Bearer ", "Basic ")) \
            else "Bearer " + token
    if host:
        headers["Host"] = host
    return client.request("POST", url, sdp, headers, source=source)


def admin(client, node, method, path, token=None, host=None):
    headers = {}
    if token:
        headers["Authorization"] = "Bearer " + token
    if host:
        headers["Host"] = host
    return client.request(method, node.base + path, b"" if method == "POST" else None, headers)


def delete(client, node, location):
    return client.request("DELETE", node.base + location)


def metrics(client, node):
    samples = {}
    text = client.request("GET", node.base + "/metrics", headers={
        "Authorization": "Bearer " + GLOBAL_ADMIN}).text()
    for line in text.splitlines():
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)', line)
        if m and not line.startswith("#"):
            labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"', m.group(3) or ""))
            samples[(m.group(1), frozenset(labels.items()))] = float(m.group(4))
    return samples


def metric(client, node, name, **labels):
    return metrics(client, node).get((name, frozenset(labels.items())), 0.0)


def token(vhost, action, stream="*", app="*", exp_in=300, nbf_in=None, secret="acme-jwt-secret",
          alg="HS256"):
    now = int(time.time())
    claims = {"vhost": vhost, "action": action, "app": app, "stream": stream, "exp": now + exp_in}
    if nbf_in is not None:
        claims["nbf"] = now + nbf_in
    return jwt.encode(claims, secret, algorithm=alg)


async def make_offer(send):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    if send:
        for track in (AudioStreamTrack(), VideoStreamTrack()):
            pc.addTransceiver(track, direction="sendonly")
    else:
        pc.addTransceiver("audio", direction="recvonly")
        pc.addTransceiver("video", direction="recvonly")
    await pc.setLocalDescription(await pc.createOffer())
    sdp = pc.localDescription.sdp
    await pc.close()
    return sdp


class Negatives:
    """Counts the negative cases; each asserts the status code and a reason pattern."""

    def __init__(self):
        self.cases = []

    def expect(self, what, result, status, pattern):
        check(result.status == status, "%s: expected %d, got %r" % (what, status, result))
        reason = result.reason()
        check(reason and re.search(pattern, reason, re.I),
              "%s: reason %r does not match %r" % (what, reason, pattern))
        self.cases.append((what, status, reason))
        return result


def allowed(result):
    """Past the credentials and the vhost: anything but 401, 403 and 404."""
    return result.status not in (401, 403, 404)


# --- the parts ------------------------------------------------------------------------------

def check_https_mesh(cluster):
    c = cluster.client
    for node in cluster.nodes:
        health = c.request("GET", node.base + "/api/v1/health")
        check(health.status == 200, "%s health over HTTPS: %r" % (node.id, health))
    # A client that does not trust the test CA is refused by TLS.
    try:
        http.client.HTTPSConnection("127.0.0.1", cluster.nodes[0].port,
                                    context=ssl.create_default_context(), timeout=3
                                    ).request("GET", "/api/v1/health")
        raise Failure("a client without the CA reached the node")
    except ssl.SSLError:
        pass
    # Origins heartbeat each other over HTTPS, verifying against the CA: both alive.
    deadline = time.time() + 15
    while True:
        view = admin(c, cluster.node("o1"), "GET", "/api/v1/cluster", GLOBAL_ADMIN).json()
        states = {p["id"]: p.get("state") for p in view.get("peers", [])}
        if states.get("o2") == "alive":
            break
        check(time.time() < deadline, "o1 never saw o2 alive over HTTPS: %r" % view)
        time.sleep(0.2)
    print("HTTPS: 3 nodes, health verified against the CA, o1 sees o2 alive")


async def done_when(cluster, publish, play, negatives):
    c = cluster.client
    o1 = cluster.node("o1")
    published = offer_request(c, o1, "whip", "live", "show", publish, "acme-publish",
                              host="acme.localhost")
    check(published.status == 201, "acme publish: %r" % published)
    for node in cluster.nodes:
        for how in ({"host": "acme.localhost"}, {"vhost": "acme"}):
            negatives.expect("%s demo-token on acme %r" % (node.id, how),
                             offer_request(c, node, "whep", "live", "show", play, "demo-token",
                                           **how), 401, r"not valid for play on vhost 'acme'")
        negatives.expect("%s JWT for another stream" % node.id,
                         offer_request(c, node, "whep", "live", "show", play,
                                       token("acme", "play", stream="other*"),
                                       host="acme.localhost"), 403, r"stream 'other\*'")
        negatives.expect("%s expired JWT" % node.id,
                         offer_request(c, node, "whep", "live", "show", play,
                                       token("acme", "play", exp_in=-3600),
                                       host="acme.localhost"), 401, r"expired")
        if node is o1:
            for how in ({"host": "acme.localhost"}, {"vhost": "acme"}):
                viewer = offer_request(c, node, "whep", "live", "show", play, "acme-play", **how)
                check(viewer.status == 201, "acme-play on o1 %r: %r" % (how, viewer))
                delete(c, node, viewer.header("Location"))
            jwt_viewer = offer_request(c, node, "whep", "live", "show", play,
                                       token("acme", "play", stream="sh*"),
                                       host="acme.localhost")
            check(jwt_viewer.status == 201, "acme JWT play: %r" % jwt_viewer)
            delete(c, node, jwt_viewer.header("Location"))
            same_name = offer_request(c, node, "whep", "live", "show", play)
            check(same_name.status in (404, 409), "live/show in demo: %r" % same_name)
        else:
            # Past credentials and vhost on every node (the media may come from o1 or not yet).
            viewer = offer_request(c, node, "whep", "live", "show", play, "acme-play",
                                   host="acme.localhost")
            check(allowed(viewer), "acme-play on %s: %r" % (node.id, viewer))
            if viewer.status == 201:
                delete(c, node, viewer.header("Location"))
    delete(c, o1, published.header("Location"))
    print("done-when: demo-token 401, JWT elsewhere 403, expired 401, acme-play plays, "
          "live/show not in demo")


def check_bitrate_cap(cluster):
    """A publisher at 4 Mbit/s on acme (limits.bitrate_kbps 1000): its excess is dropped and,
    still over the limit, it is ended."""
    c = cluster.client
    o1 = cluster.node("o1")
    dropped_before = metric(c, o1, "tributary_dropped_packets_total", reason="limit")
    whip = os.path.join(cluster.build_dir, "tools", "tributary-whip")
    if not os.access(whip, os.X_OK):
        whip = os.path.join(cluster.build_dir, "tributary-whip")
    proc = subprocess.run([whip, o1.base + "/whip/live/loud?vhost=acme", "--token",
                           "acme-publish", "--bitrate", "4M", "--duration", "9s", "--insecure",
                           "--json"], capture_output=True, text=True, timeout=60)
    dropped = metric(c, o1, "tributary_dropped_packets_total", reason="limit") - dropped_before
    ended = metric(c, o1, "tributary_bitrate_exceeded_total", vhost="acme")
    check(dropped > 0, "no packet dropped over the limit (whip: %s %s)" % (proc.stdout,
                                                                          proc.stderr))
    check(ended >= 1, "the publisher over its limit was not ended: %r" % ended)
    print("bitrate: %d packets over acme's 1000 kbit/s dropped, the publisher ended" % dropped)


async def matrix(cluster, publish, play):
    """Two vhosts (acme, globex) x publish/play/admin x right/wrong/other-tenant credentials, on
    every node."""
    c = cluster.client
    creds = {"acme": {"publish": "acme-publish", "play": "acme-play", "admin": "acme-admin"},
             "globex": {"publish": "globex-publish", "play": "globex-play",
                        "admin": "globex-admin"}}
    other = {"acme": "globex", "globex": "acme"}
    cells = 0
    for node in cluster.nodes:
        for vhost in ("acme", "globex"):
            host = vhost + ".localhost"
            stream = "m-%s" % node.id
            for kind in ("right", "wrong", "other"):
                cred = {"right": creds[vhost], "wrong": {a: "wrong-" + t for a, t in
                                                         creds[vhost].items()},
                        "other": creds[other[vhost]]}[kind]
                # publish
                pub = offer_request(c, node, "whip", "live", stream, publish, cred["publish"],
                                    host=host)
                if kind == "right":
                    check(pub.status == 201, "%s %s publish right: %r" % (node.id, vhost, pub))
                else:
                    check(pub.status == 401 and vhost in pub.reason(),
                          "%s %s publish %s: %r" % (node.id, vhost, kind, pub))
                # play (the stream published just above when the credential was right)
                view = offer_request(c, node, "whep", "live", stream, play, cred["play"],
                                     host=host)
                if kind == "right":
                    check(view.status == 201, "%s %s play right: %r" % (node.id, vhost, view))
                    delete(c, node, view.header("Location"))
                else:
                    check(view.status == 401 and vhost in view.reason(),
                          "%s %s play %s: %r" % (node.id, vhost, kind, view))
                # admin: the sessions list shows this vhost only to its own admin
                listing = admin(c, node, "GET", "/api/v1/sessions", cred["admin"])
                if kind == "right":
                    check(listing.status == 200, "%s %s admin: %r" % (node.id, vhost, listing))
                    seen = {s["vhost"] for s in listing.json()["sessions"]}
                    check(seen == {vhost}, "%s %s admin sees %r" % (node.id, vhost, seen))
                    ids = [s["id"] for s in listing.json()["sessions"]]
                elif kind == "wrong":
                    check(listing.status == 401, "%s %s admin wrong: %r" % (node.id, vhost,
                                                                             listing))
                else:
                    check(listing.status == 200 and all(
                        s["vhost"] != vhost for s in listing.json()["sessions"]),
                        "%s %s admin of %s sees it: %r" % (node.id, vhost, other[vhost],
                                                           listing))
                cells += 3
            # The other tenant's admin cannot kick this vhost's publisher; its own can.
            kick = admin(c, node, "DELETE", "/api/v1/sessions/" + ids[0], creds[other[vhost]][
                "admin"])
            check(kick.status == 404, "%s cross-tenant kick: %r" % (node.id, kick))
            kick = admin(c, node, "DELETE", "/api/v1/sessions/" + ids[0], creds[vhost]["admin"])
            check(kick.status == 200, "%s own kick: %r" % (node.id, kick))
    print("matrix: %d cells (3 nodes x 2 vhosts x 3 actions x 3 credentials) as expected" % cells)


async def negative_cases(cluster, publish, play, negatives):
    c = cluster.client
    o1, o2 = cluster.node("o1"), cluster.node("o2")
    n = negatives

    def whip(*args, **kw):
        return offer_request(c, o1, "whip", *args, **kw)

    def whep(*args, **kw):
        return offer_request(c, o1, "whep", *args, **kw)

    acme = {"host": "acme.localhost"}
    globex = {"host": "globex.localhost"}
    # Vhost resolution.
    n.expect("unknown ?vhost=", whip("live", "x", publish, "demo-token", vhost="nope"), 404,
             r"unknown vhost 'nope'")
    n.expect("?vhost= of a vhost that does not allow it",
             whip("live", "x", publish, "globex-publish", vhost="globex"), 404,
             r"unknown vhost 'globex'")
    # Credentials.
    n.expect("no credential", whip("live", "x", publish, **acme), 401, r"needs an Authorization")
    n.expect("Basic scheme", whip("live", "x", publish, "Basic YTpi", **acme), 401,
             r"needs an Authorization: Bearer")
    n.expect("wrong static token", whip("live", "x", publish, "acme-publisH", **acme), 401,
             r"not valid for publish on vhost 'acme'")
    n.expect("other vhost's token", whip("live", "x", publish, "globex-publish", **acme), 401,
             r"not valid for publish")
    n.expect("play token to publish", whip("live", "x", publish, "acme-play", **acme), 403,
             r"valid for play on vhost 'acme', not publish")
    n.expect("admin token to play", whep("live", "x", play, "acme-admin", **acme), 403,
             r"valid for admin")
    n.expect("JWT of another key", whep("live", "x", play, token("acme", "play",
                                                                  secret="not-acme"), **acme),
             401, r"signature")
    n.expect("JWT HS512", whep("live", "x", play, token("acme", "play", alg="HS512"), **acme),
             401, r"HS256 only")
    none_token = jwt.encode({"vhost": "acme", "action": "play",
                             "exp": int(time.time()) + 60}, None, algorithm="none")
    n.expect("JWT alg none", whep("live", "x", play, none_token, **acme), 401, r"HS256 only")
    n.expect("JWT not yet valid", whep("live", "x", play, token("acme", "play", nbf_in=3600),
                                        **acme), 401, r"not valid before")
    n.expect("JWT expired", whep("live", "x", play, token("acme", "play", exp_in=-600), **acme),
             401, r"expired")
    n.expect("JWT malformed", whep("live", "x", play, "aaa.bbb.ccc", **acme), 401, r"malformed")
    n.expect("JWT without exp", whep("live", "x", play, jwt.encode(
        {"vhost": "acme", "action": "play"}, "acme-jwt-secret", algorithm="HS256"), **acme),
        401, r"'exp' is missing")
    n.expect("JWT with a string exp", whep("live", "x", play, jwt.encode(
        {"vhost": "acme", "action": "play", "exp": str(int(time.time()) + 60)},
        "acme-jwt-secret", algorithm="HS256"), **acme), 401, r"'exp' is not a whole number")
    n.expect("JWT of another vhost", whep("live", "x", play, token("demo", "play"), **acme), 403,
             r"for vhost 'demo'")
    n.expect("JWT for publish, used to play", whep("live", "x", play, token("acme", "publish"),
                                                   **acme), 403, r"action 'publish'")
    n.expect("JWT for another app", whep("live", "x", play, token("acme", "play", app="vod"),
                                         **acme), 403, r"app 'vod'")
    n.expect("JWT on a vhost without jwt.secret",
             whep("live", "x", play, token("globex", "play"), **globex), 401, r"accepts no JWTs")
    # Entry points: content type, names, SDP limits, codecs.
    n.expect("wrong content type", whip("live", "x", publish, "acme-publish",
                                        content_type="text/plain", **acme), 415,
             r"application/sdp")
    n.expect("bad stream name", whip("live", "a%20b", publish, "acme-publish", **acme), 400,
             r"invalid stream name")
    n.expect("empty offer", whip("live", "x", "", "acme-publish", **acme), 400, r"SDP")
    many_sections = publish + "".join(
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:x%d\r\na=rtpmap:111 opus/48000/2\r\n" % i
        for i in range(20))
    n.expect("too many media sections", whip("live", "x", many_sections, "acme-publish", **acme),
             400, r"media sections|m= sections|sections")
    long_line = publish.replace("a=mid:0", "a=mid:0\r\na=x-long:" + "y" * 5000, 1)
    n.expect("SDP line too long", whip("live", "x", long_line, "acme-publish", **acme), 400,
             r"line")
    candidates = publish.replace("a=mid:0", "a=mid:0" + "".join(
        "\r\na=candidate:%d 1 udp 1 127.0.0.1 %d typ host" % (i, 40000 + i) for i in range(40)),
        1)
    n.expect("too many candidates", whip("live", "x", candidates, "acme-publish", **acme), 400,
             r"candidate")
    h264_only = await make_offer_with_codecs(publish)
    n.expect("no allowed codec (globex: opus, vp8)",
             whip("live", "x", h264_only, "globex-publish", **globex), 400, r"codec")
    # HTTP limits: header and body sizes, slow request.
    big_header = c.request("POST", o1.base + "/whip/live/x", publish,
                           {"Content-Type": "application/sdp", "X-Pad": "p" * 9000})
    n.expect("header too large", big_header, 431, r"header exceeds")
    big_body = c.request("POST", o1.base + "/whip/live/x", "v=0\r\n" + "a=x\r\n" * 14000,
                         {"Content-Type": "application/sdp", "Authorization":
                          "Bearer demo-token"})
    n.expect("body too large", big_body, 413, r"body exceeds")
    n.expect("slow request", slow_request(cluster, o1), 408, r"did not arrive whole")
    # Limits (globex: 3 publishers, 4 viewers, 2 per stream).
    made = []
    for i in range(3):
        r = whip("live", "lim%d" % i, publish, "globex-publish", **globex)
        check(r.status == 201, "globex publisher %d: %r" % (i, r))
        made.append(r)
    full = n.expect("publishers limit", whip("live", "lim9", publish, "globex-publish", **globex),
                    503, r"maximum of 3 publishers")
    check(full.header("Retry-After"), "503 without Retry-After")
    for i in range(2):
        r = whep("live", "lim0", play, "globex-play", **globex)
        check(r.status == 201, "globex viewer %d: %r" % (i, r))
        made.append(r)
    per_stream = n.expect("viewers per stream", whep("live", "lim0", play, "globex-play",
                                                     **globex), 503, r"maximum of 2 viewers")
    check(per_stream.header("Retry-After"), "503 without Retry-After")
    for i in range(2):
        made.append(whep("live", "lim1", play, "globex-play", **globex))
    n.expect("viewers per vhost", whep("live", "lim2", play, "globex-play", **globex), 503,
             r"maximum of 4 viewers")
    # The same limits leave acme alone: it admits at once.
    r = whip("live", "lim0", publish, "acme-publish", **acme)
    check(r.status == 201, "acme while globex is full: %r" % r)
    made.append(r)
    # Rate: acme takes 50 sessions a second from one address (the default); 150 attempts on
    # one keep-alive connection go faster than that.
    codes = burst(c, o1, "/whip/live/rate?vhost=acme", "x", "acme-publish", 150)
    limited = [r for r in codes if r.status == 503]
    check(limited, "no 503 after 150 creations: %r" % codes[-1])
    n.expect("session creations per address per second", limited[0], 503,
             r"new sessions a second from one address")
    check(limited[0].header("Retry-After"), "503 without Retry-After")
    # Admin API.
    n.expect("admin without a token", admin(c, o1, "GET", "/api/v1/sessions"), 401,
             r"needs an Authorization")
    n.expect("admin with a wrong token", admin(c, o1, "GET", "/api/v1/sessions", "nope"), 401,
             r"not an admin token")
    n.expect("vhost admin on a global route", admin(c, o1, "GET", "/api/v1/cluster",
                                                    "acme-admin"), 403,
             r"needs the global admin token")
    n.expect("vhost admin reloads", admin(c, o1, "POST", "/api/v1/reload", "acme-admin"), 403,
             r"needs the global admin token")
    globex_id = made[0].header("Location").rsplit("/", 1)[1]
    n.expect("vhost admin kicks another vhost's session",
             admin(c, o1, "DELETE", "/api/v1/sessions/" + globex_id, "acme-admin"), 404,
             r"no session")
    n.expect("kick of an unknown session",
             admin(c, o1, "DELETE", "/api/v1/sessions/nope", GLOBAL_ADMIN), 404, r"no session")
    n.expect("DELETE of an unknown resource", delete(c, o1, "/whip/resource/nope"), 404,
             r"no session")
    # On another node too: another tenant's token is unknown there as well.
    n.expect("o2: other vhost's token", offer_request(c, o2, "whip", "live", "x", publish,
                                                       "acme-publish", **globex), 401,
             r"not valid for publish on vhost 'globex'")
    for r in made:
        if r.status == 201:
            delete(c, o1, r.header("Location"))
    await hostile_packets(cluster, publish)


def stun_request(username, key, transaction):
    """A STUN Binding request (RFC 5389) with USERNAME, ICE-CONTROLLING, PRIORITY,
    MESSAGE-INTEGRITY keyed with `key` and FINGERPRINT."""
    import hmac
    import hashlib
    import struct
    import zlib

    def attribute(kind, value):
        pad = (4 - len(value) % 4) % 4
        return struct.pack("!HH", kind, len(value)) + value + b"\0" * pad

    body = attribute(0x0006, username.encode())
    body += attribute(0x802A, os.urandom(8)) + attribute(0x0024, struct.pack("!I", 1862270975))
    header = struct.pack("!HHI", 0x0001, len(body) + 24, 0x2112A442) + transaction
    integrity = hmac.new(key, header + body, hashlib.sha1).digest()
    body += attribute(0x0008, integrity)
    header = struct.pack("!HHI", 0x0001, len(body) + 8, 0x2112A442) + transaction
    crc = (zlib.crc32(header + body) ^ 0x5354554E) & 0xFFFFFFFF
    body += attribute(0x8028, struct.pack("!I", crc))
    return header + body


async def hostile_packets(cluster, publish):
    """STUN with a wrong MESSAGE-INTEGRITY to a session's port, DTLS from an address no ICE
    check validated: dropped, counted by reason (the media stats reach /metrics within a
    second or two), and not one log line per packet."""
    c = cluster.client
    o1 = cluster.node("o1")
    r = offer_request(c, o1, "whip", "live", "hostile", publish, "acme-publish",
                      host="acme.localhost")
    check(r.status == 201, "hostile target: %r" % r)
    answer = r.text()
    server_ufrag = re.search(r"^a=ice-ufrag:(\S+)", answer, re.M).group(1)
    client_ufrag = re.search(r"^a=ice-ufrag:(\S+)", publish, re.M).group(1)
    candidate = re.search(r"^a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host", answer, re.M)
    target = (candidate.group(1), int(candidate.group(2)))
    before = metrics(c, o1)
    log_before = o1.log().count("\n")

    def drops(samples, reason):
        return samples.get(("tributary_dropped_packets_total",
                            frozenset({("reason", reason)})), 0.0)

    count = 50
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", 0))
        for _ in range(count):
            udp.sendto(stun_request(server_ufrag + ":" + client_ufrag, b"not-the-password",
                                    os.urandom(12)), target)
            # A DTLS ClientHello-looking record from this unvalidated address.
            udp.sendto(bytes([22, 0xFE, 0xFD]) + os.urandom(40), target)
    deadline = time.time() + 6
    while True:
        after = metrics(c, o1)
        integrity = drops(after, "stun_integrity") - drops(before, "stun_integrity")
        unknown = drops(after, "unknown_address") - drops(before, "unknown_address")
        if integrity >= count and unknown >= count:
            break
        check(time.time() < deadline, "drops not counted: stun_integrity +%d, unknown_address "
              "+%d of %d" % (integrity, unknown, count))
        time.sleep(0.2)
    delete(c, o1, r.header("Location"))
    logged = o1.log().count("\n") - log_before
    check(logged < count, "%d log lines for %d hostile packets" % (logged, 2 * count))
    print("drops: %d STUN with bad integrity and %d DTLS from an unknown address counted in "
          "tributary_dropped_packets_total{reason}" % (integrity, unknown))


def burst(client, node, path, body, bearer, count):
    conn = http.client.HTTPSConnection("127.0.0.1", node.port, context=client.context,
                                       timeout=10)
    out = []
    try:
        for _ in range(count):
            conn.request("POST", path, body=body, headers={
                "Content-Type": "application/sdp", "Authorization": "Bearer " + bearer})
            response = conn.getresponse()
            out.append(Result(response.status, response.getheaders(), response.read()))
    finally:
        conn.close()
    return out


async def make_offer_with_codecs(publish):
    """The publish offer with its video as H264 only (globex allows opus and vp8)."""
    out = re.sub(r"VP8/90000", "H264/90000", publish)
    out = out.replace("opus/48000/2", "G722/8000")
    return out


def slow_request(cluster, node):
    """Sends half a request and waits: the node answers 408 after http.request_timeout_ms (2 s
    here)."""
    raw = socket.create_connection(("127.0.0.1", node.port), timeout=20)
    tls = cluster.client.context.wrap_socket(raw, server_hostname="127.0.0.1")
    tls.sendall(b"POST /whip/live/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nv=0")
    data = b""
    try:
        while b"\r\n\r\n" not in data or len(data) < 20:
            chunk = tls.recv(4096)
            if not chunk:
                break
            data += chunk
        # The body may follow.
        tls.settimeout(1)
        try:
            while True:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (socket.timeout, ssl.SSLError):
            pass
    finally:
        tls.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
    return Result(status, [], body)


async def rotation(cluster, publish, play):
    """New tokens by SIGHUP (o1) and POST /api/v1/reload (o2): existing sessions continue, new
    requests see the new credentials."""
    c = cluster.client
    o1, o2 = cluster.node("o1"), cluster.node("o2")
    sessions = {}
    for node in (o1, o2):
        r = offer_request(c, node, "whip", "live", "rot-" + node.id, publish, "globex-publish",
                          host="globex.localhost")
        check(r.status == 201, "%s globex publish before rotation: %r" % (node.id, r))
        sessions[node.id] = r.header("Location").rsplit("/", 1)[1]
    path = os.path.join(cluster.work, "vhosts", "globex.yaml")
    with open(path, "w") as f:
        f.write(VHOST_GLOBEX.replace("globex-publish", "globex-publish-2"))
    o1.proc.send_signal(signal.SIGHUP)
    r = admin(c, o2, "POST", "/api/v1/reload", GLOBAL_ADMIN)
    check(r.status == 200 and "globex" in r.json()["vhosts"], "reload: %r" % r)
    for node in (o1, o2):
        deadline = time.time() + 5
        while True:
            old = offer_request(c, node, "whip", "live", "rot2-" + node.id, publish,
                                "globex-publish",
                                host="globex.localhost")
            if old.status == 401:
                break
            if old.status == 201:
                delete(c, node, old.header("Location"))
            check(time.time() < deadline, "%s still takes the old token: %r" % (node.id, old))
            time.sleep(0.1)
        new = offer_request(c, node, "whip", "live", "rot2-" + node.id, publish,
                            "globex-publish-2",
                            host="globex.localhost")
        check(new.status == 201, "%s new token: %r" % (node.id, new))
        listing = admin(c, node, "GET", "/api/v1/sessions", GLOBAL_ADMIN).json()["sessions"]
        check(any(s["id"] == sessions[node.id] for s in listing),
              "%s: the session made before the reload is gone" % node.id)
        delete(c, node, new.header("Location"))
        delete(c, node, "/whip/resource/" + sessions[node.id])
    # A broken file keeps the current vhosts.
    with open(path, "w") as f:
        f.write("name: globex\nlimits: {publishers: lots}\n")
    r = admin(c, o2, "POST", "/api/v1/reload", GLOBAL_ADMIN)
    check(r.status == 422 and "globex.yaml" in r.reason(), "broken reload: %r" % r)
    with open(path, "w") as f:
        f.write(VHOST_GLOBEX)
    for node in (o1, o2):
        check(admin(c, node, "POST", "/api/v1/reload", GLOBAL_ADMIN).status == 200, "reload")
    print("rotation: SIGHUP and POST /api/v1/reload; sessions kept, old token 401, new 201")


FLOOD_PER_PROCESS_PER_S = 250  # x 2 processes: 10 times acme's sessions_per_ip_per_s


def flooder(port, ca_file, play, stop, sent, refused):
    """WHEP offers for acme from 127.0.0.2 on a keep-alive connection until `stop`, paced at
    FLOOD_PER_PROCESS_PER_S: a flood for the node (10x what acme takes from one address), not a
    contest for this machine's two cores between the test's clients and the node."""
    context = ssl.create_default_context(cafile=ca_file)

    def connect():
        return http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10,
                                           source_address=("127.0.0.2", 0))
    conn = connect()
    body = play.encode()
    interval = 1.0 / FLOOD_PER_PROCESS_PER_S
    next_at = time.perf_counter()
    while not stop.is_set():
        next_at += interval
        pause = next_at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        try:
            conn.request("POST", "/whep/live/calm?vhost=acme", body=body,
                         headers={"Content-Type": "application/sdp",
                                  "Authorization": "Bearer acme-play"})
            response = conn.getresponse()
            response.read()
            with sent.get_lock():
                sent.value += 1
            if response.status == 503:
                with refused.get_lock():
                    refused.value += 1
            location = response.getheader("Location")
            if response.status == 201 and location:
                conn.request("DELETE", location)
                conn.getresponse().read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = connect()
    conn.close()


async def flood(cluster, publish, play):
    """Session creations flooding acme from 127.0.0.2 (keep-alive connections, as fast as they
    go): the admission latency of globex viewers from 127.0.0.1 stays within 2x."""
    c = cluster.client
    o1 = cluster.node("o1")
    source = offer_request(c, o1, "whip", "live", "calm", publish, "globex-publish",
                           host="globex.localhost")
    check(source.status == 201, "globex source: %r" % source)

    def admission_latency(samples=25):
        times = []
        for _ in range(samples):
            start = time.perf_counter()
            r = offer_request(c, o1, "whep", "live", "calm", play, "globex-play",
                              host="globex.localhost")
            times.append(time.perf_counter() - start)
            check(r.status == 201, "globex viewer: %r" % r)
            delete(c, o1, r.header("Location"))
        return statistics.median(times)

    baseline = admission_latency()
    # The flooders are processes of their own, so that they do not take this one's interpreter
    # lock: what is measured is the node.
    stop = multiprocessing.Event()
    sent = multiprocessing.Value("i", 0)
    refused = multiprocessing.Value("i", 0)
    flooders = [multiprocessing.Process(target=flooder, args=(o1.port, c.ca_file, play, stop,
                                                             sent, refused)) for _ in range(2)]
    for p in flooders:
        p.start()
    time.sleep(0.5)
    try:
        during = admission_latency()
    finally:
        stop.set()
        for p in flooders:
            p.join(10)
    counts = {"sent": sent.value, "503": refused.value}
    delete(c, o1, source.header("Location"))
    print("flood: %d acme creations from 127.0.0.2 (%d refused 503); globex viewer admission "
          "median %.1f ms before, %.1f ms during" % (counts["sent"], counts["503"],
                                                     baseline * 1000, during * 1000))
    check(counts["503"] > 0, "the flood was never rate-limited")
    check(during <= 2 * baseline + 0.002,
          "globex admission %.1f ms during the flood > 2 x %.1f ms" % (during * 1000,
                                                                       baseline * 1000))


def wrong_ca(cluster):
    """A node whose cluster.ca_file is another CA (and whose certificate that CA signed) cannot
    talk to the cluster: its heartbeats to o1 fail TLS verification, and say so."""
    c = cluster.client
    work = os.path.join(cluster.work, "wrong-ca")
    subprocess.run([os.path.join(cluster.source_dir, "tools", "make-certs"),
                    os.path.join(work, "certs"), "o9"], check=True, stdout=subprocess.DEVNULL)
    shutil.copytree(os.path.join(cluster.work, "vhosts"), os.path.join(work, "vhosts"))
    o1 = cluster.node("o1")
    o9 = Node(cluster.build_dir, work, "o9", "origin", free_port(), free_port())
    o9.write_config([o1, o9])
    o9.start()
    try:
        deadline = time.time() + 10
        while "certificate verify failed" not in o9.log():
            check(o9.proc.poll() is None, "o9 exited:\n%s" % o9.log())
            check(time.time() < deadline, "o9 never refused o1's certificate:\n%s" % o9.log())
            time.sleep(0.2)
        # And o1 is not fooled either: o9's certificate does not verify against the test CA.
        try:
            c.request("GET", o9.base + "/api/v1/health", timeout=3)
            raise Failure("the test CA accepted o9's certificate")
        except ssl.SSLError:
            pass
    finally:
        o9.stop()
    print("TLS: a node with another CA's certificate and CA: heartbeats refused "
          "(certificate verify failed) both ways")


def certificate_reload(cluster):
    """A new certificate for o1 (same CA) is served after SIGHUP, without a restart."""
    o1 = cluster.node("o1")

    def served():
        raw = socket.create_connection(("127.0.0.1", o1.port), timeout=5)
        with cluster.client.context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            return tls.getpeercert(binary_form=True)

    def on_disk():
        with open(os.path.join(cluster.work, "certs", "o1.pem")) as f:
            return ssl.PEM_cert_to_DER_cert(f.read())

    before = served()
    check(before == on_disk(), "o1 does not serve its certificate file")
    subprocess.run([os.path.join(cluster.source_dir, "tools", "make-certs"),
                    os.path.join(cluster.work, "certs"), "o1"], check=True,
                   stdout=subprocess.DEVNULL)
    check(on_disk() != before, "make-certs did not make a new certificate")
    o1.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 5
    while served() != on_disk():
        check(time.time() < deadline, "o1 still serves its old certificate after SIGHUP")
        time.sleep(0.1)
    check(o1.proc.poll() is None, "o1 stopped")
    print("TLS: a new certificate served after SIGHUP, same process")


def demo_secret(cluster):
    """The demo cluster secret with a non-loopback announced address: refused, unless
    --allow-demo-secret (the node then binds loopback only, as its config says)."""
    work = os.path.join(cluster.work, "demo-secret")
    os.makedirs(os.path.join(work, "vhosts"))
    shutil.copy(os.path.join(cluster.source_dir, "vhosts", "demo.yaml"),
                os.path.join(work, "vhosts"))
    port = free_port()
    config = os.path.join(work, "o9.yaml")
    with open(config, "w") as f:
        f.write("node: {id: o9, role: origin, region: eu}\n"
                "http: {listen: 127.0.0.1:%d}\n"
                "media: {listen_ip: 127.0.0.1, announced_ips: [192.0.2.10]}\n"
                "cluster:\n  secret: demo-cluster-secret-not-for-production\n  nodes:\n"
                "    - {id: o9, role: origin, url: http://127.0.0.1:%d, region: eu}\n"
                "vhosts: {dir: vhosts}\n" % (port, port))
    binary = os.path.join(cluster.build_dir, "origin", "tributary-origin")
    refused = subprocess.run([binary, "--config", config], capture_output=True, text=True,
                             timeout=20)
    check(refused.returncode == 2 and "--allow-demo-secret" in refused.stderr and
          "192.0.2.10" in refused.stderr, "demo secret not refused: %r" % refused.stderr)
    proc = subprocess.Popen([binary, "--config", config, "--allow-demo-secret"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/api/v1/health")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            check(proc.poll() is None and time.time() < deadline,
                  "--allow-demo-secret did not start")
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(10)
    print("demo secret: refused beyond loopback (exit 2), started with --allow-demo-secret")


async def run(cluster):
    publish = await make_offer(send=True)
    play = await make_offer(send=False)
    negatives = Negatives()
    check_https_mesh(cluster)
    await done_when(cluster, publish, play, negatives)
    await matrix(cluster, publish, play)
    await negative_cases(cluster, publish, play, negatives)
    for what, status, reason in negatives.cases:
        print("%d %s: %s" % (status, what, reason))
    check(len(negatives.cases) >= 40, "only %d negative cases" % len(negatives.cases))
    print("negative cases: %d, each with its status and reason" % len(negatives.cases))
    await rotation(cluster, publish, play)
    await flood(cluster, publish, play)
    check_bitrate_cap(cluster)
    wrong_ca(cluster)
    certificate_reload(cluster)
    demo_secret(cluster)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()
    cluster = Cluster(args.build_dir, args.source_dir)
    try:
        cluster.start()
        asyncio.run(run(cluster))
    except Exception as e:  # noqa: BLE001 - report and fail
        import traceback
        traceback.print_exc()
        print(cluster.logs()[-20000:])
        print("FAILED: tenants: %r" % e)
        print("0 passed, 1 failed")
        return 1
    finally:
        cluster.stop()
        shutil.rmtree(cluster.work, ignore_errors=True)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
