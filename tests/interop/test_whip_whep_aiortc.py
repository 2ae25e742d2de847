#!/usr/bin/python3
"""WHIP publish and WHEP play on one tributary-origin (two media workers), with Debian's aiortc
(an independent WebRTC implementation) on both ends, over loopback: real ICE, DTLS, SRTP, VP8
and Opus.

1. Play before publish: the WHEP POST gets 409 with Retry-After and a reason.
2. An aiortc publisher sends VP8 video (frames that carry their frame number as black/white
   blocks, over red/blue bands) and Opus audio over WHIP.
3. An aiortc viewer retries WHEP as Retry-After says until it plays; at least 90% of the frames
   sent while it watches are decoded, with the publisher's picture (the numbers read back, the
   colour bands where they were drawn), audio frames arrive, and the time from the viewer's POST
   to its first decoded frame is reported.
4. /metrics counts the sessions and the RTP; DELETE of both resources brings
   tributary_sessions back to 0, and a second DELETE is 404.

Run by ctest: /usr/bin/python3 test_whip_whep_aiortc.py --build-dir BUILD --source-dir SRC
"""

import argparse
import asyncio
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))

import aioice.ice  # noqa: E402
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription  # noqa: E402
from aiortc.mediastreams import AudioStreamTrack  # noqa: E402

from numbered_video import FrameCounter, NumberedVideoTrack  # noqa: E402
from tributary_node import TributaryNode  # noqa: E402

# aioice gathers every address of the machine; tests stay on loopback.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

WATCH_SECONDS = 4.0


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def new_pc():
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


async def wait_connected(pc, what, timeout=10):
    deadline = time.monotonic() + timeout
    while pc.connectionState != "connected":
        check(pc.connectionState not in ("failed", "closed"), f"{what}: {pc.connectionState}")
        check(time.monotonic() < deadline, f"{what} not connected in {timeout}s "
                                           f"({pc.connectionState})")
        await asyncio.sleep(0.05)


async def viewer_offer():
    pc = new_pc()
    pc.addTransceiver("video", direction="recvonly")
    pc.addTransceiver("audio", direction="recvonly")
    await pc.setLocalDescription(await pc.createOffer())
    return pc


async def run(node):
    loop = asyncio.get_running_loop()

    # 1. Play before publish.
    pc_view = await viewer_offer()
    early = await loop.run_in_executor(None, node.whep, "live", "cam", pc_view.localDescription.sdp)
    check(early.status == 409, f"WHEP before publish: {early}")
    check(early.header("Retry-After") == "1", f"Retry-After {early.header('Retry-After')}")
    check("not live" in early.json()["error"], f"reason {early.json()}")
    await pc_view.close()

    # 2. The publisher.
    pc_pub = new_pc()
    video = NumberedVideoTrack()
    for track in (AudioStreamTrack(), video):
        pc_pub.addTransceiver(track, direction="sendonly")
    await pc_pub.setLocalDescription(await pc_pub.createOffer())
    published = await loop.run_in_executor(None, node.whip, "live", "cam",
                                           pc_pub.localDescription.sdp)
    check(published.status == 201, f"WHIP: {published}")
    check(published.header("Location").startswith("/whip/resource/"),
          f"Location {published.header('Location')}")
    check(published.header("ETag"), "no ETag")
    check(published.header("Content-Type") == "application/sdp", "answer content type")
    await pc_pub.setRemoteDescription(RTCSessionDescription(sdp=published.text(), type="answer"))
    await wait_connected(pc_pub, "publisher")

    # 3. The viewer: retry as told until it plays.
    counter = FrameCounter()
    while True:
        pc_view = await viewer_offer()
        posted_at = time.monotonic()
        played = await loop.run_in_executor(None, node.whep, "live", "cam",
                                            pc_view.localDescription.sdp)
        if played.status == 201:
            break
        check(played.status == 409 and played.header("Retry-After"), f"WHEP: {played}")
        await pc_view.close()
        await asyncio.sleep(float(played.header("Retry-After")))
    check(played.header("Location").startswith("/whep/resource/"), "WHEP Location")

    counter.attach(pc_view)
    await pc_view.setRemoteDescription(RTCSessionDescription(sdp=played.text(), type="answer"))
    await wait_connected(pc_view, "viewer")
    await asyncio.sleep(WATCH_SECONDS)
    last_sent = video.sent - 1
    await asyncio.sleep(1.0)  # what was sent by then has arrived

    check(counter.first_at, f"the viewer decoded no frame of ours ({counter.garbled} garbled, "
                            f"{counter.audio} audio frames)")
    join_ms = (counter.first_at - posted_at) * 1000
    wanted, got, ratio = counter.decoded(last_sent)
    print(f"viewer: first decoded frame {join_ms:.0f} ms after its WHEP POST; frames "
          f"{wanted.start}..{last_sent}: {got}/{len(wanted)} decoded ({ratio:.1%}), "
          f"{counter.garbled} not ours, {counter.audio} audio frames")
    check(len(wanted) >= 60, f"only {len(wanted)} frames watched")
    check(ratio >= 0.9, f"only {ratio:.1%} of the frames decoded")
    check(counter.garbled <= len(wanted) // 10,
          f"{counter.garbled} decoded frames are not the publisher's")
    check(counter.audio >= 50, f"only {counter.audio} audio frames")

    # 4. Metrics, then DELETE.
    await asyncio.sleep(1.2)  # the workers' counters are exported once a second
    m = node.metrics()

    def value(name, **labels):
        return m.get((name, frozenset(labels.items())), 0.0)

    check(value("tributary_sessions", vhost="demo", kind="publish") == 1, "publish sessions")
    check(value("tributary_sessions", vhost="demo", kind="play") == 1, "play sessions")
    check(value("tributary_streams", vhost="demo") == 1, "streams")
    check(value("tributary_rtp_packets_total", vhost="demo", direction="in") > 100, "rtp in")
    check(value("tributary_rtp_packets_total", vhost="demo", direction="out") > 100, "rtp out")
    check(value("tributary_keyframe_requests_total") >= 1, "no keyframe request counted")

    for resource in (played, published):
        deleted = await loop.run_in_executor(None, node.delete, resource.header("Location"))
        check(deleted.status == 200, f"DELETE {resource.header('Location')}: {deleted}")
    await loop.run_in_executor(None, lambda: node.wait_metric(
        "tributary_sessions", 0, vhost="demo", kind="play"))
    await loop.run_in_executor(None, lambda: node.wait_metric(
        "tributary_sessions", 0, vhost="demo", kind="publish"))
    again = await loop.run_in_executor(None, node.delete, played.header("Location"))
    check(again.status == 404 and "error" in again.json(), f"second DELETE: {again}")

    counter.cancel()
    await pc_view.close()
    await pc_pub.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()
    node = TributaryNode(args.build_dir, extra_media="  workers: 2\n")
    if not os.access(node.binary(), os.X_OK):
        print("missing %s: build tributary-origin" % node.binary())
        return 1
    try:
        with node:
            asyncio.run(asyncio.wait_for(run(node), 60))
    except Exception as e:  # noqa: BLE001 - report and fail
        import traceback
        traceback.print_exc()
        print("FAILED: whip/whep with aiortc: %r" % e)
        print("0 passed, 1 failed")
        return 1
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
