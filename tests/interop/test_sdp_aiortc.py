#!/usr/bin/python3
"""Checks the SDP negotiator against an independent implementation, Debian's aiortc.

aiortc's offers are answered by `tributary-sdp answer` (the same SdpParser + SdpAnswerer the
servers run) and aiortc must accept the answers; offers from `tributary-sdp offer`
(SdpOfferer) are answered by aiortc and `tributary-sdp apply` must read the answers.
No media flows: this is about the SDP. Run with /usr/bin/python3 (aiortc).
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack

CANDIDATE = "1 1 udp 2130706431 127.0.0.1 9 typ host"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run_tool(tool, args, stdin_text):
    proc = subprocess.run([tool] + args, input=stdin_text, capture_output=True, text=True,
                          timeout=30)
    if proc.returncode != 0:
        raise Failure(f"tributary-sdp {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout, proc.stderr


def answer_with_tool(tool, offer_sdp, direction, workdir, extra=()):
    result_path = os.path.join(workdir, "result.json")
    answer, _ = run_tool(tool, ["answer", "--direction", direction, "--result", result_path,
                                "--candidate", CANDIDATE, *extra, "-"], offer_sdp)
    with open(result_path) as f:
        return answer, json.load(f)


def bundle_transport_ufrag(pc):
    transports = {id(t.sender.transport) for t in pc.getTransceivers()}
    check(len(transports) == 1, f"aiortc did not bundle: {len(transports)} DTLS transports")
    transport = pc.getTransceivers()[0].sender.transport
    return transport.transport.iceGatherer.getLocalParameters().usernameFragment


async def whip_publish(tool, workdir):
    pc = RTCPeerConnection()
    try:
        pc.addTrack(AudioStreamTrack())
        pc.addTrack(VideoStreamTrack())
        for t in pc.getTransceivers():
            t.direction = "sendonly"
        await pc.setLocalDescription(await pc.createOffer())
        answer, result = answer_with_tool(tool, pc.localDescription.sdp, "recvonly", workdir)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        for t in pc.getTransceivers():
            check(t.currentDirection == "sendonly",
                  f"{t.kind}: currentDirection {t.currentDirection}")
        codecs = {t.kind: t._codecs[0].mimeType for t in pc.getTransceivers()}
        check(codecs == {"audio": "audio/opus", "video": "video/VP8"}, f"codecs {codecs}")
        check(result["bundle_mids"] == ["0", "1"], f"bundle {result['bundle_mids']}")
        # The transport the server expects checks from is the one aiortc bundles on.
        check(bundle_transport_ufrag(pc) == result["remote"]["ice_ufrag"],
              "aiortc's bundle transport ufrag differs from the negotiated remote ufrag")
        video = result["media"][1]
        check(video["codecs"][0]["payload_type"] == 97 and
              video["codecs"][0]["rtx_payload_type"] == 98, f"video codecs {video['codecs'][0]}")
        check(video["remote_ssrcs"][0]["rtx_ssrc"] is not None, "no RTX SSRC from FID")
        ext_audio = {e["id"]: e["uri"] for e in result["media"][0]["extensions"]}
        ext_video = {e["id"]: e["uri"] for e in result["media"][1]["extensions"]}
        check(ext_audio[2] != ext_video[2], "aiortc's per-section extension ids were merged")
    finally:
        await pc.close()


async def whep_play(tool, workdir):
    pc = RTCPeerConnection()
    tracks = []
    pc.on("track", lambda track: tracks.append(track.kind))
    try:
        pc.addTransceiver("audio", direction="recvonly")
        pc.addTransceiver("video", direction="recvonly")
        await pc.setLocalDescription(await pc.createOffer())
        answer, result = answer_with_tool(tool, pc.localDescription.sdp, "sendonly", workdir)
        check("a=ssrc:" in answer, "the WHEP answer announces no SSRC")
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        for t in pc.getTransceivers():
            check(t.currentDirection == "recvonly",
                  f"{t.kind}: currentDirection {t.currentDirection}")
        check(sorted(tracks) == ["audio", "video"], f"remote tracks {tracks}")
        check(all(m["direction"] == "sendonly" for m in result["media"]), "directions")
    finally:
        await pc.close()


async def data_channel_and_filter(tool, workdir):
    pc = RTCPeerConnection()
    try:
        pc.addTrack(AudioStreamTrack())
        pc.addTrack(VideoStreamTrack())
        pc.createDataChannel("chat")
        await pc.setLocalDescription(await pc.createOffer())
        answer, result = answer_with_tool(tool, pc.localDescription.sdp, "recvonly", workdir,
                                          ["--allow", "opus,h264"])
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        video = [t for t in pc.getTransceivers() if t.kind == "video"][0]
        check(video._codecs[0].mimeType == "video/H264", f"video codec {video._codecs[0]}")
        check(pc.sctp is not None, "aiortc set up no SCTP transport")
        check(result["media"][2]["accepted"], "data section rejected")
    finally:
        await pc.close()


async def client_offer(tool, workdir, data):
    offer_path = os.path.join(workdir, "offer.sdp")
    args = ["offer", "--direction", "sendonly"] + (["--data"] if data else [])
    offer, _ = run_tool(tool, args, "")
    with open(offer_path, "w") as f:
        f.write(offer)
    pc = RTCPeerConnection()
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        _, stderr = run_tool(tool, ["apply", "--offer", offer_path, "--result", "-", "-"],
                             pc.localDescription.sdp)
        result = json.loads(stderr)
        check(result["media"][0]["codecs"][0]["name"].lower() == "opus", "audio codec")
        check(result["media"][1]["codecs"][0]["payload_type"] == 96, "video codec")
        check(result["media"][1]["codecs"][0]["rtx_payload_type"] == 97, "video RTX")
        check(result["media"][0]["direction"] == "sendonly", "direction")
        check(result["remote"]["setup"] == "active", f"setup {result['remote']['setup']}")
        check(result["local_setup"] == "passive", "local setup")
        check(len(result["remote"]["candidates"]) > 0, "aiortc's candidates not read")
        if data:
            check(result["media"][2]["accepted"], "data section")
    finally:
        await pc.close()


async def main(tool):
    cases = [
        ("aiortc WHIP offer answered recvonly", whip_publish),
        ("aiortc WHEP offer answered sendonly", whep_play),
        ("aiortc data channel + codec filter", data_channel_and_filter),
        ("our WHIP offer answered by aiortc", lambda t, w: client_offer(t, w, False)),
        ("our offer with data channel answered by aiortc", lambda t, w: client_offer(t, w, True)),
    ]
    passed = failed = 0
    for name, case in cases:
        with tempfile.TemporaryDirectory() as workdir:
            try:
                await asyncio.wait_for(case(tool, workdir), timeout=60)
                print(f"ok   {name}")
                passed += 1
            except Exception as e:  # noqa: BLE001 - report every case
                print(f"FAIL {name}: {type(e).__name__}: {e}")
                failed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--source-dir", default=".")
    args = parser.parse_args()
    tool = os.path.join(args.build_dir, "tools", "tributary-sdp")
    if not os.path.exists(tool):
        print(f"{tool} is not built (ninja tributary-sdp)")
        sys.exit(1)
    sys.exit(asyncio.run(main(tool)))
