#!/usr/bin/python3
"""The cluster's media with aiortc on both ends: a four-node cluster on loopback (origins o1, o2
in a mesh; edges e1, e2 with origins [o1, o2]), real tributary processes.

1. An aiortc publisher sends VP8 (numbered frames) and Opus over WHIP to e1, which pushes the
   stream to o1; o1 announces it to o2.
2. An aiortc viewer plays it over WHEP at e2, which pulls it from o1 (retrying as Retry-After
   says while the stream reaches the origins); at least 90% of the frames sent while it watches
   are decoded with the publisher's picture.
3. e2 has one pull link, e1 one push link, o1 one publisher (e1) and one viewer (e2), and
   GET /api/v1/streams on e2 names o1 as the stream's source.

Run by ctest: /usr/bin/python3 test_cascade_aiortc.py --build-dir BUILD --source-dir SRC
"""

import argparse
import asyncio
import contextlib
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))

import aioice.ice  # noqa: E402
from aiortc import RTCSessionDescription  # noqa: E402
from aiortc.mediastreams import AudioStreamTrack  # noqa: E402

from numbered_video import FrameCounter, NumberedVideoTrack  # noqa: E402
from test_whip_whep_aiortc import (Failure, check, new_pc, viewer_offer,  # noqa: E402
                                   wait_connected)
from tributary_node import VHOST_DEMO, TributaryNode, http  # noqa: E402

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

WATCH_SECONDS = 4.0
SECRET = "interop-cascade-secret-0123456789"
REGIONS = {"o1": "eu", "o2": "eu", "e1": "eu", "e2": "us"}


class ClusterNode(TributaryNode):
    """A TributaryNode whose config names the whole cluster (written once every port is known)."""

    def __init__(self, build_dir, node_id):
        super().__init__(build_dir, vhosts=(VHOST_DEMO,),
                         role="edge" if node_id.startswith("e") else "origin")
        self.node_id = node_id

    def write_config(self, cluster):
        with open(self.config, "w") as f:
            f.write("node:\n  id: %s\n  role: %s\n  region: %s\n"
                    % (self.node_id, self.role, REGIONS[self.node_id]))
            f.write("http:\n  listen: 127.0.0.1:%d\n" % self.http_port)
            f.write("media:\n  listen_ip: 127.0.0.1\n  port: 0\n")
            f.write("cluster:\n  secret: %s\n  nodes:\n" % SECRET)
            for other in cluster:
                f.write("    - {id: %s, role: %s, url: %s, region: %s}\n"
                        % (other.node_id, other.role, other.base, REGIONS[other.node_id]))
            if self.role == "edge":
                f.write("  origins: [o1, o2]\n")
            f.write("vhosts:\n  dir: vhosts\n")
            f.write("logging:\n  level: info\n")

    def json(self, path):
        result = http("GET", self.base + path)
        check(result.status == 200, f"{self.node_id} GET {path}: {result}")
        return result.json()


async def wait_for(condition, what, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        check(time.monotonic() < deadline, f"{what}: not within {timeout}s")
        await asyncio.sleep(0.1)


async def run(nodes):
    loop = asyncio.get_running_loop()
    o1, e1, e2 = nodes["o1"], nodes["e1"], nodes["e2"]
    await wait_for(lambda: e1.metric("tributary_peers", state="alive") == 2 and
                   e2.metric("tributary_peers", state="alive") == 2, "edges see both origins")

    # 1. Publish at e1.
    pc_pub = new_pc()
    video = NumberedVideoTrack()
    for track in (AudioStreamTrack(), video):
        pc_pub.addTransceiver(track, direction="sendonly")
    await pc_pub.setLocalDescription(await pc_pub.createOffer())
    published = await loop.run_in_executor(None, e1.whip, "live", "cam",
                                           pc_pub.localDescription.sdp)
    check(published.status == 201, f"WHIP at e1: {published}")
    await pc_pub.setRemoteDescription(RTCSessionDescription(sdp=published.text(), type="answer"))
    await wait_connected(pc_pub, "publisher")

    # 2. Play at e2, retrying while the stream reaches the origins.
    counter = FrameCounter()
    deadline = time.monotonic() + 15
    while True:
        pc_view = await viewer_offer()
        posted_at = time.monotonic()
        played = await loop.run_in_executor(None, e2.whep, "live", "cam",
                                            pc_view.localDescription.sdp)
        if played.status == 201:
            break
        check(played.status in (409, 504) and time.monotonic() < deadline, f"WHEP at e2: {played}")
        await pc_view.close()
        await asyncio.sleep(float(played.header("Retry-After") or "0.5"))

    counter.attach(pc_view)
    await pc_view.setRemoteDescription(RTCSessionDescription(sdp=played.text(), type="answer"))
    await wait_connected(pc_view, "viewer")
    await asyncio.sleep(WATCH_SECONDS)
    last_sent = video.sent - 1
    await asyncio.sleep(1.0)

    check(counter.first_at, f"the viewer at e2 decoded no frame of ours ({counter.garbled} garbled)")
    join_ms = (counter.first_at - posted_at) * 1000
    wanted, got, ratio = counter.decoded(last_sent)
    print(f"viewer at e2: first decoded frame {join_ms:.0f} ms after its WHEP POST; frames "
          f"{wanted.start}..{last_sent}: {got}/{len(wanted)} decoded ({ratio:.1%}), "
          f"{counter.garbled} not ours")
    check(len(wanted) >= 60, f"only {len(wanted)} frames watched")
    check(ratio >= 0.9, f"only {ratio:.1%} of the frames decoded")

    # 3. The links and the origin's view.
    check(e2.metric("tributary_upstream_links", kind="pull") == 1, "e2 pull links")
    check(e1.metric("tributary_upstream_links", kind="push") == 1, "e1 push links")
    rows = [r for r in e2.json("/api/v1/streams")["streams"] if r["stream"] == "cam"]
    check(len(rows) == 1 and rows[0]["source"] == "o1" and rows[0]["viewers"] == 1,
          f"e2 streams: {rows}")
    rows = [r for r in o1.json("/api/v1/streams")["streams"] if r["stream"] == "cam"]
    check(len(rows) == 1 and rows[0]["source"] == "e1" and rows[0]["viewer_nodes"] == ["e2"],
          f"o1 streams: {rows}")

    counter.cancel()
    await pc_view.close()
    await pc_pub.close()
    await loop.run_in_executor(None, e2.delete, played.header("Location"))
    await loop.run_in_executor(None, e1.delete, published.header("Location"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()
    nodes = {i: ClusterNode(args.build_dir, i) for i in ("o1", "o2", "e1", "e2")}
    for node in nodes.values():
        if not os.access(node.binary(), os.X_OK):
            print("missing %s: build tributary-origin and tributary-edge" % node.binary())
            return 1
        node.write_config(nodes.values())
    try:
        with contextlib.ExitStack() as stack:
            for node in nodes.values():
                stack.enter_context(node)
            asyncio.run(asyncio.wait_for(run(nodes), 90))
    except (Exception, Failure) as e:  # noqa: BLE001 - report and fail
        import traceback
        traceback.print_exc()
        print("FAILED: cascade with aiortc: %r" % e)
        print("0 passed, 1 failed")
        return 1
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
