#!/usr/bin/python3
"""WHIP/WHEP requests that must fail, and how: every error has its status code, its headers and
a JSON reason a person can act on. Offers come from Debian's aiortc (no media flows here).

  - malformed SDP offers (at least 10 kinds) -> 400 with the parser's or negotiator's reason
  - missing / wrong bearer token -> 401 + WWW-Authenticate: Bearer
  - unknown vhost -> 404; wrong Content-Type -> 415; invalid stream name -> 400
  - a second publisher of a live stream -> 409
  - more sessions than media.max_sessions_per_worker -> 503 + Retry-After
  - PATCH: no If-Match or a stale one -> 412, wrong type -> 415, trickle -> 204, ICE restart
    -> 200 with our new fragment and a new ETag; unknown resource -> 404
  - CORS: preflight 204 with the allowed methods; exposed headers on answers
  - vhost by Host header (exact and wildcard) with that vhost's own tokens

Run by ctest: /usr/bin/python3 test_whip_whep_errors.py --build-dir BUILD --source-dir SRC
"""

import argparse
import asyncio
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))

import aioice.ice  # noqa: E402
from aiortc import RTCConfiguration, RTCPeerConnection  # noqa: E402
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack  # noqa: E402

from tributary_node import VHOST_ACME, VHOST_DEMO, TributaryNode  # noqa: E402

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


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


def error_of(result):
    check(result.header("Content-Type") == "application/json", f"not JSON: {result}")
    body = result.json()
    check(isinstance(body.get("error"), str) and body["error"], f"no reason: {result}")
    return body["error"]


def expect(result, status, reason_pattern=None, what=""):
    check(result.status == status, f"{what}: expected {status}, got {result}")
    if status >= 400:
        reason = error_of(result)
        if reason_pattern:
            check(re.search(reason_pattern, reason, re.I),
                  f"{what}: reason {reason!r} does not match {reason_pattern!r}")
        return reason
    return None


def replace_line(sdp, pattern, new):
    out, n = re.subn(pattern, new, sdp, flags=re.M)
    check(n > 0, f"pattern {pattern!r} not in the offer")
    return out


def malformed_offers(good):
    """(name, body, expected reason pattern)"""
    return [
        ("not SDP", "hello world\r\n", r"line 1"),
        ("wrong version", replace_line(good, r"^v=0", "v=1"), r"line 1.*v="),
        ("no origin", replace_line(good, r"^o=.*\r?\n", ""), r"o="),
        ("bad m= port", replace_line(good, r"^m=audio \d+ ", "m=audio nine "), r"line \d+.*port"),
        ("payload type out of range",
         replace_line(good, r"^a=rtpmap:96 opus", "a=rtpmap:300 opus"), r"line \d+.*payload type"),
        ("line without =", good.replace("a=mid:0", "a-mid-0", 1), r"line \d+"),
        ("bad candidate", replace_line(good, r"^a=candidate:.*$", "a=candidate:garbage"),
         r"line \d+.*candidate"),
        ("bad fingerprint",
         replace_line(good, r"^a=fingerprint:sha-256 .*$", "a=fingerprint:sha-256 ZZ:ZZ"),
         r"fingerprint"),
        ("no fingerprint", replace_line(good, r"^a=fingerprint:.*\r?\n", ""), r"fingerprint"),
        ("no ice-ufrag", replace_line(good, r"^a=ice-ufrag:.*\r?\n", ""), r"ice-ufrag"),
        ("bad extmap id", replace_line(good, r"^a=extmap:1 ", "a=extmap:0 "), r"extmap"),
        ("bad ssrc", replace_line(good, r"^a=ssrc:\d+ ", "a=ssrc:x1 "), r"line \d+.*ssrc"),
        ("plain RTP profile", good.replace("UDP/TLS/RTP/SAVPF", "RTP/AVP"),
         r"RTP/AVP|protocol|profile|no section"),
        ("no codec we take",
         good.replace("opus/48000/2", "speex/8000").replace("VP8/90000", "theora/90000")
         .replace("H264/90000", "theora/90000"), r"codec"),
    ]


async def run(node):
    loop = asyncio.get_running_loop()

    def call(fn, *args, **kw):
        return loop.run_in_executor(None, lambda: fn(*args, **kw))

    publish = await make_offer(send=True)
    play = await make_offer(send=False)

    # Malformed offers: 400 with the reason (line number and what is wrong).
    reasons = []
    for name, body, pattern in malformed_offers(publish):
        reasons.append((name, expect(await call(node.whip, "live", "bad", body), 400, pattern,
                                     f"offer {name}")))
    empty = await call(node.whip, "live", "bad", "")
    expect(empty, 400, r"no SDP offer", "empty offer")
    for name, reason in reasons:
        print(f"400 {name}: {reason}")
    check(len(reasons) >= 10, "fewer than 10 malformed offers")

    # Credentials, vhosts, content type, names.
    missing = await call(node.whip, "live", "cam", publish, token=None)
    expect(missing, 401, r"Bearer", "no token")
    check(missing.header("WWW-Authenticate").startswith("Bearer"), "WWW-Authenticate")
    wrong = await call(node.whip, "live", "cam", publish, token="not-the-token")
    expect(wrong, 401, r"not valid", "wrong token")
    check("invalid_token" in wrong.header("WWW-Authenticate"), "invalid_token")
    expect(await call(node.whip, "live", "cam", publish, vhost="nope"), 404, r"unknown vhost",
           "unknown vhost")
    expect(await call(node.whip, "live", "cam", publish, content_type="text/plain"), 415,
           r"application/sdp", "wrong content type")
    expect(await call(node.whip, "live", "bad%20name", publish), 400, r"invalid stream name",
           "bad stream name")
    # The acme tenant by Host (exact and wildcard): its own tokens, not demo's.
    expect(await call(node.whip, "live", "cam", publish, host="acme.test"), 401, r"acme",
           "demo token on acme")
    expect(await call(node.whep, "live", "cam", play, host="eu.acme.test"), 401, r"acme",
           "acme play without token")
    expect(await call(node.whep, "live", "cam", play, host="eu.acme.test", token="acme-play"), 409,
           r"not live", "acme play with its token")

    # CORS preflight.
    from tributary_node import http
    pre = await call(http, "OPTIONS", node.base + "/whip/live/cam",
                     headers={"Origin": "https://app.example", "Access-Control-Request-Method":
                              "POST"})
    check(pre.status == 204, f"preflight: {pre}")
    check("POST" in pre.header("Access-Control-Allow-Methods"), "preflight methods")
    check(pre.header("Access-Control-Allow-Origin") == "*", "preflight origin")

    # A publisher (its session is made; no media needs to flow for what follows).
    first = await call(node.whip, "live", "cam", publish)
    expect(first, 201, what="publish")
    location, etag = first.header("Location"), first.header("ETag")
    check("Location" in first.header("Access-Control-Expose-Headers"), "exposed headers")
    check(first.header("Accept-Patch") == "application/trickle-ice-sdpfrag", "Accept-Patch")
    links = first.all("Link")
    check(any('rel="ice-server"' in link and "stun:stun.test:3478" in link for link in links),
          f"Link headers {links}")
    expect(await call(node.whip, "live", "cam", await make_offer(send=True)), 409,
           r"already being published", "second publisher")

    # PATCH.
    mid_line = re.search(r"^a=mid:(\S+)", publish, re.M).group(1)
    trickle = ("a=ice-ufrag:" + re.search(r"^a=ice-ufrag:(\S+)", publish, re.M).group(1) + "\r\n"
               "a=ice-pwd:" + re.search(r"^a=ice-pwd:(\S+)", publish, re.M).group(1) + "\r\n"
               "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:" + mid_line + "\r\n"
               "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\n")
    expect(await call(node.patch, location, trickle), 412, r"If-Match", "PATCH without If-Match")
    expect(await call(node.patch, location, trickle, etag='"stale"'), 412, r"does not match",
           "PATCH with a stale ETag")
    expect(await call(node.patch, location, trickle, etag=etag, content_type="application/sdp"),
           415, r"trickle-ice-sdpfrag", "PATCH with the wrong type")
    expect(await call(node.patch, location, trickle, etag=etag), 204, what="trickle")
    restart = ("a=ice-ufrag:newU\r\na=ice-pwd:newpasswordnewpassword12\r\n"
               "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:" + mid_line + "\r\n")
    restarted = await call(node.patch, location, restart, etag="*")
    expect(restarted, 200, what="ICE restart")
    check(restarted.header("Content-Type") == "application/trickle-ice-sdpfrag", "restart type")
    check(restarted.header("ETag") and restarted.header("ETag") != etag, "new ETag")
    check(re.search(r"^a=ice-ufrag:", restarted.text(), re.M), "no ufrag in the answer")
    expect(await call(node.patch, location, trickle, etag=etag), 412, what="old ETag after restart")
    expect(await call(node.patch, "/whip/resource/nope", trickle, etag="*"), 404,
           r"no session", "PATCH unknown")
    expect(await call(node.delete, "/whep/resource/" + location.rsplit("/", 1)[1]), 404,
           r"no session", "DELETE of a WHIP resource on the WHEP path")

    # Capacity (max_sessions_per_worker: 2): a viewer takes the second place, then 503.
    viewer = await call(node.whep, "live", "cam", play)
    expect(viewer, 201, what="play")
    full = await call(node.whip, "live", "other", publish)
    expect(full, 503, r"limit", "over capacity")
    check(full.header("Retry-After"), "503 without Retry-After")

    for resource in (viewer, first):
        expect(await call(node.delete, resource.header("Location")), 200, what="DELETE")
    await call(node.wait_metric, "tributary_sessions", 0, vhost="demo", kind="publish")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()
    node = TributaryNode(args.build_dir, vhosts=[VHOST_DEMO, VHOST_ACME],
                         extra_media="  max_sessions_per_worker: 2\n"
                                     "  ice_servers: [{urls: [stun:stun.test:3478]}]\n")
    if not os.access(node.binary(), os.X_OK):
        print("missing %s: build tributary-origin" % node.binary())
        return 1
    try:
        with node:
            asyncio.run(asyncio.wait_for(run(node), 60))
    except Exception as e:  # noqa: BLE001 - report and fail
        import traceback
        traceback.print_exc()
        print("FAILED: whip/whep errors: %r" % e)
        print("0 passed, 1 failed")
        return 1
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
