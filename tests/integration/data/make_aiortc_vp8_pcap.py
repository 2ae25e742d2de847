#!/usr/bin/python3
"""Writes aiortc-vp8.pcap: 2 s of real VP8 (libvpx through aiortc's encoder and RTP
packetizer, 320x240 at 30 fps, a keyframe every 15 frames) as plain RTP over UDP/IPv4/Ethernet
in a classic little-endian pcap, paced 33 ms a frame, with one RTCP sender report in between
that a replay must skip. MediaTest replays it with `tributary-whip --replay`.

Run with Debian's python (it has aiortc): /usr/bin/python3 make_aiortc_vp8_pcap.py
"""

import fractions
import os
import struct

import av
import numpy
from aiortc.codecs.vpx import Vp8Encoder
from aiortc.rtp import RtpPacket

SSRC = 0x1234ABCD
FRAMES = 60
WIDTH, HEIGHT = 320, 240
START_US = 1_700_000_000_000_000


def udp_frame(payload, src_port=5004, dst_port=5006):
    udp = struct.pack("!HHHH", src_port, dst_port, 8 + len(payload), 0) + payload
    total = 20 + len(udp)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 64, 17, 0,
                     bytes([127, 0, 0, 1]), bytes([127, 0, 0, 2]))
    ether = bytes(6) + bytes(6) + struct.pack("!H", 0x0800)
    return ether + ip + udp


def record(time_us, frame):
    return struct.pack("<IIII", time_us // 1_000_000, time_us % 1_000_000, len(frame),
                       len(frame)) + frame


def main():
    encoder = Vp8Encoder()
    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    seq = 1000
    packets = 0
    for index in range(FRAMES):
        # A moving gradient, so that inter frames carry something.
        x = numpy.arange(WIDTH, dtype=numpy.uint16)
        y = numpy.arange(HEIGHT, dtype=numpy.uint16)[:, None]
        image = numpy.zeros((HEIGHT, WIDTH, 3), dtype=numpy.uint8)
        image[:, :, 0] = ((x + index * 4) % 256).astype(numpy.uint8)
        image[:, :, 1] = ((y + index * 2) % 256).astype(numpy.uint8)
        image[:, :, 2] = ((x + y) % 256).astype(numpy.uint8)
        frame = av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuv420p")
        frame.pts = index * 3000
        frame.time_base = fractions.Fraction(1, 90000)
        payloads, timestamp = encoder.encode(frame, force_keyframe=index % 15 == 0)
        time_us = START_US + index * 33_333
        for i, payload in enumerate(payloads):
            packet = RtpPacket(payload_type=100, sequence_number=seq & 0xFFFF,
                               timestamp=timestamp, ssrc=SSRC, payload=payload,
                               marker=int(i == len(payloads) - 1))
            seq += 1
            packets += 1
            out += record(time_us + i * 100, udp_frame(packet.serialize()))
        if index == 30:
            # RTCP sender report (PT 200): not RTP, skipped by the replay.
            sr = struct.pack("!BBHIIIIII", 0x80, 200, 6, SSRC, 0, 0, timestamp, packets, 0)
            out += record(time_us + 20_000, udp_frame(sr, 5005, 5007))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aiortc-vp8.pcap")
    with open(path, "wb") as f:
        f.write(out)
    print(f"{path}: {packets} RTP packets, {len(out)} bytes")


if __name__ == "__main__":
    main()
