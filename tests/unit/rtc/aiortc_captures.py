#!/usr/bin/python3
"""Produces the real packets pasted into the rtc unit tests and the fuzz seed corpora.

Run with Debian's python (it has aiortc 1.4 and PyAV):
    /usr/bin/python3 tests/unit/rtc/aiortc_captures.py          # prints the C++ arrays
    /usr/bin/python3 tests/unit/rtc/aiortc_captures.py --write  # rewrites AiortcCaptures.h and
                                                                # the fuzz seed corpora

RTP and RTCP packets are serialized by aiortc.rtp; VP8, H.264 and Opus payloads come from
aiortc's encoders and packetizers; VP9 and AV1 bitstreams come from libvpx-vp9 and libaom through
PyAV and are packetized here by the RFC 9628 / AV1 RTP rules (aiortc has no VP9 or AV1).
Runs differ only in random fields (aiortc's padding bytes, VP8 picture ids), which no test
depends on; other encoder versions may differ more. Run clang-format on the header after
--write.
"""
import fractions
import os
import struct
import sys

import av
import numpy
from aiortc import rtp
from aiortc.codecs import get_encoder
from aiortc.rtcrtpparameters import (RTCRtpCodecParameters, RTCRtpHeaderExtensionParameters,
                                     RTCRtpParameters)

OUT = {}


def emit(name, data, comment):
    OUT[name] = (bytes(data), comment)


def cxx(name, data, comment):
    lines = [f"// {comment}", f"constexpr uint8_t {name}[] = {{"]
    for i in range(0, len(data), 12):
        lines.append("    " + ", ".join(f"0x{b:02x}" for b in data[i:i + 12]) + ",")
    lines.append("};")
    return "\n".join(lines)


def extensions_map():
    uris = [
        (1, "urn:ietf:params:rtp-hdrext:sdes:mid"),
        (2, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"),
        (3, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
        (4, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
        (10, "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"),
        (11, "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"),
    ]
    params = RTCRtpParameters(
        codecs=[RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000, payloadType=96)],
        headerExtensions=[RTCRtpHeaderExtensionParameters(id=i, uri=u) for i, u in uris])
    m = rtp.HeaderExtensionsMap()
    m.configure(params)
    return m


def video_frame(width, height, seed, smooth=False):
    rng = numpy.random.default_rng(seed)
    if smooth:  # a gradient: compresses to a few dozen bytes
        ramp = numpy.linspace(0, 255, width, dtype=numpy.uint8)
        image = numpy.stack([numpy.tile(ramp, (height, 1))] * 3, axis=-1) // (seed + 1)
    else:
        image = rng.integers(0, 255, (height, width, 3), dtype=numpy.uint8)
    frame = av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuv420p")
    frame.pts = 0
    frame.time_base = fractions.Fraction(1, 90000)
    return frame


def rtp_packets(xmap):
    # Opus with mid, abs-send-time, transport-cc and audio level (one-byte form).
    encoder = get_encoder(RTCRtpCodecParameters(mimeType="audio/opus", clockRate=48000,
                                                channels=2, payloadType=111))
    samples = (numpy.sin(numpy.arange(960) / 8.0) * 30).astype(numpy.int16)
    frame = av.AudioFrame.from_ndarray(numpy.repeat(samples, 2).reshape(1, -1), format="s16",
                                       layout="stereo")
    frame.sample_rate = 48000
    frame.pts = 0
    frame.time_base = fractions.Fraction(1, 48000)
    payloads, _ = encoder.encode(frame)
    packet = rtp.RtpPacket(payload_type=111, marker=1, sequence_number=0xfffe,
                           timestamp=0x12345678, ssrc=0x5ca1ab1e, payload=payloads[0])
    packet.extensions.mid = "0"
    packet.extensions.abs_send_time = 0x123456
    packet.extensions.transport_sequence_number = 0xfffd
    packet.extensions.audio_level = (True, 42)
    opus = packet.serialize(xmap)
    emit("kAiortcOpus", opus, "aiortc 1.4 RtpPacket: Opus (aiortc OpusEncoder), PT 111, seq "
         "0xfffe, mid '0' (id 1), abs-send-time (2), transport-cc 0xfffd (3), audio level (4)")

    # The same packet wrapped as RTX by aiortc.rtp.wrap_rtx (PT 97, seq 0x0100, SSRC 0x0badf00d).
    rtx = rtp.wrap_rtx(packet, payload_type=97, sequence_number=0x0100, ssrc=0x0badf00d)
    emit("kAiortcOpusRtx", rtx.serialize(xmap),
         "aiortc 1.4 wrap_rtx of kAiortcOpus: PT 97, seq 0x0100, SSRC 0x0badf00d, OSN 0xfffe")

    # Simulcast layer with rid + repaired-rid + mid: ids 10 and 11, so still one-byte form.
    packet = rtp.RtpPacket(payload_type=96, sequence_number=7, timestamp=3000, ssrc=0x11223344,
                           payload=b"\x10\x00\x00\x00")
    packet.extensions.mid = "video"
    packet.extensions.rtp_stream_id = "hi"
    packet.extensions.repaired_rtp_stream_id = "lo"
    emit("kAiortcRidPacket", packet.serialize(xmap),
         "aiortc 1.4 RtpPacket: PT 96, mid 'video' (id 1), rid 'hi' (10), repaired-rid 'lo' (11)")

    # CSRCs and padding (aiortc serializes both).
    packet = rtp.RtpPacket(payload_type=0, sequence_number=1, timestamp=160, ssrc=0xdeadbeef,
                           payload=b"\xff" * 5)
    packet.padding_size = 3  # aiortc fills padding with random bytes before the count
    packet.csrc = [0x01020304, 0x05060708]
    emit("kAiortcCsrcPadding", packet.serialize(xmap),
         "aiortc 1.4 RtpPacket: PT 0, 2 CSRCs, 5-byte payload, 3 bytes of padding")

    # Two-byte header form: aiortc switches to it for a 17-byte mid.
    packet = rtp.RtpPacket(payload_type=96, sequence_number=9, timestamp=1, ssrc=1,
                           payload=b"\x90\x80\x01")
    packet.extensions.mid = "a-seventeen-b-mid"
    packet.extensions.transport_sequence_number = 0x0102
    emit("kAiortcTwoByteExtensions", packet.serialize(xmap),
         "aiortc 1.4 RtpPacket: two-byte extension form (0x1000): mid of 17 bytes (id 1), "
         "transport-cc 0x0102 (3)")


def vp8_payloads():
    encoder = get_encoder(RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000,
                                                payloadType=96))
    key, _ = encoder.encode(video_frame(32, 32, 1, smooth=True), force_keyframe=True)
    frame = video_frame(32, 32, 1, smooth=True)
    frame.pts = 3000
    delta, _ = encoder.encode(frame)
    emit("kVp8Keyframe", key[0], f"aiortc 1.4 Vp8Encoder + packetizer, 32x32 gradient key "
         f"frame ({len(key)} packet): descriptor with 15-bit picture id, then the VP8 frame")
    emit("kVp8DeltaFrame", delta[0], "aiortc 1.4 Vp8Encoder + packetizer, the next 32x32 frame")


def h264_payloads():
    encoder = get_encoder(RTCRtpCodecParameters(mimeType="video/H264", clockRate=90000,
                                                payloadType=102))
    key, _ = encoder.encode(video_frame(32, 32, 2), force_keyframe=True)
    frame = video_frame(32, 32, 2)
    frame.pts = 3000
    delta, _ = encoder.encode(frame)
    emit("kH264StapAKeyframe", key[0], f"aiortc 1.4 H264Encoder (libx264) 32x32 key frame, "
         f"packet 1 of {len(key)}: STAP-A")
    emit("kH264DeltaFrame", delta[0], "aiortc 1.4 H264Encoder, the next 32x32 frame")
    big = get_encoder(RTCRtpCodecParameters(mimeType="video/H264", clockRate=90000,
                                            payloadType=102))
    key, _ = big.encode(video_frame(320, 240, 4), force_keyframe=True)
    fu = [p for p in key if p[0] & 0x1f == 28]
    emit("kH264FuAStart", fu[0][:48], "aiortc 1.4 H264Encoder 320x240 noise key frame: first "
         "FU-A packet of the IDR slice, first 48 bytes")
    emit("kH264FuAMiddle", fu[1][:48], "the same frame: second FU-A packet, first 48 bytes")


def encode_with_pyav(codec_name, frames, options):
    ctx = av.CodecContext.create(codec_name, "w")
    ctx.width, ctx.height, ctx.pix_fmt = 64, 64, "yuv420p"
    ctx.time_base = fractions.Fraction(1, 90000)
    ctx.framerate = fractions.Fraction(30, 1)
    ctx.options = options
    out = []
    for i, frame in enumerate(frames):
        frame = frame.reformat(width=64, height=64, format="yuv420p")
        frame.pts = i * 3000
        out += [bytes(p) for p in ctx.encode(frame)]
    out += [bytes(p) for p in ctx.encode(None)]
    return out


def vp9_payloads():
    frames = encode_with_pyav("libvpx-vp9", [video_frame(64, 64, 5), video_frame(64, 64, 6)],
                              {"lag-in-frames": "0", "deadline": "realtime"})
    # RFC 9628 non-flexible mode: I with 15-bit picture id, L (TID 0, SID 0), TL0PICIDX, B, E,
    # V on the key frame: SS with N_S = 0, Y (64x64), G with one group (TID 0, U 0, R 0).
    key = bytes([0b10101110, 0x80 | 0x12, 0x34, 0x00, 0x07, 0b00011000, 0, 64, 0, 64, 1, 0x00])
    delta = bytes([0b11101100, 0x80 | 0x12, 0x35, 0x00, 0x08])
    emit("kVp9Keyframe", key + frames[0][:40], "libvpx-vp9 (PyAV) 64x64 key frame, first 40 "
         "bytes, behind an RFC 9628 non-flexible descriptor with SS built by aiortc_captures.py")
    emit("kVp9DeltaFrame", delta + frames[1][:40], "libvpx-vp9 (PyAV) next frame, first 40 "
         "bytes, behind a non-flexible descriptor with P set")


def leb128(value):
    out = bytearray()
    while True:
        byte = value & 0x7f
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def read_leb128(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7f) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def split_obus(temporal_unit):
    """Low-overhead bitstream -> OBUs without temporal delimiters, size fields stripped."""
    obus, at = [], 0
    while at < len(temporal_unit):
        header = temporal_unit[at]
        ext = 1 if header & 0x04 else 0
        has_size = header & 0x02
        head = temporal_unit[at:at + 1 + ext]
        at += 1 + ext
        size, at = read_leb128(temporal_unit, at) if has_size else (len(temporal_unit) - at, at)
        body = temporal_unit[at:at + size]
        at += size
        obu_type = (header >> 3) & 0x0f
        if obu_type != 2:  # temporal delimiter: dropped (AV1 RTP spec 5)
            obus.append(bytes([head[0] & ~0x02]) + head[1:] + body)
    return obus


def av1_payloads():
    units = encode_with_pyav("libaom-av1", [video_frame(64, 64, 7), video_frame(64, 64, 8)],
                             {"usage": "realtime", "cpu-used": "8", "lag-in-frames": "0"})
    key_obus = split_obus(units[0])
    delta_obus = split_obus(units[1])
    # W = 2: the sequence header with a LEB128 length, then the frame OBU (truncated) without.
    key = bytes([0b00101000]) + leb128(len(key_obus[0])) + key_obus[0] + key_obus[1][:24]
    emit("kAv1Keyframe", key, "libaom-av1 (PyAV) 64x64 key frame: aggregation header N=1 W=2, "
         "OBU_SEQUENCE_HEADER, then the first 24 bytes of the frame OBU")
    delta = bytes([0b00010000]) + delta_obus[0][:24]
    emit("kAv1DeltaFrame", delta, "libaom-av1 (PyAV) next frame: W=1, the first 24 bytes of "
         "its frame OBU")


def rtcp_packets():
    sr = rtp.RtcpSrPacket(
        ssrc=0x5ca1ab1e,
        sender_info=rtp.RtcpSenderInfo(ntp_timestamp=0xe8d4a51000000000 + 0x12345678,
                                       rtp_timestamp=0x12345678, packet_count=1000,
                                       octet_count=123456),
        reports=[rtp.RtcpReceiverInfo(ssrc=0x0badf00d, fraction_lost=25, packets_lost=-3,
                                      highest_sequence=0x0001fffe, jitter=77,
                                      lsr=0xa5100000, dlsr=0x00018000)])
    sdes = rtp.RtcpSdesPacket(chunks=[rtp.RtcpSourceInfo(ssrc=0x5ca1ab1e,
                                                         items=[(1, b"{tributary-cname}")])])
    emit("kAiortcSenderReport", bytes(sr), "aiortc 1.4 RtcpSrPacket with one report block "
         "(cumulative lost -3)")
    emit("kAiortcSdes", bytes(sdes), "aiortc 1.4 RtcpSdesPacket: one chunk, CNAME "
         "'{tributary-cname}'")
    emit("kAiortcSrSdesCompound", bytes(sr) + bytes(sdes), "SR + SDES as aiortc's "
         "RTCRtpSender sends them, one compound datagram")
    rr = rtp.RtcpRrPacket(ssrc=1, reports=[
        rtp.RtcpReceiverInfo(ssrc=0x5ca1ab1e, fraction_lost=0, packets_lost=12,
                             highest_sequence=70000, jitter=3, lsr=0, dlsr=0),
        rtp.RtcpReceiverInfo(ssrc=0x0badf00d, fraction_lost=255, packets_lost=0x7fffff,
                             highest_sequence=1, jitter=0, lsr=1, dlsr=2)])
    emit("kAiortcReceiverReport", bytes(rr), "aiortc 1.4 RtcpRrPacket with two report blocks")
    bye = rtp.RtcpByePacket(sources=[0x5ca1ab1e, 0x0badf00d])
    emit("kAiortcBye", bytes(bye), "aiortc 1.4 RtcpByePacket with two SSRCs")
    nack = rtp.RtcpRtpfbPacket(fmt=rtp.RTCP_RTPFB_NACK, ssrc=1, media_ssrc=0x5ca1ab1e,
                               lost=[5, 17, 21, 40, 41, 1000])
    emit("kAiortcNack", bytes(nack), "aiortc 1.4 RtcpRtpfbPacket NACK: lost 5, 17, 21, 40, 41, "
         "1000 (aiortc cannot pack a list that wraps past 65535)")
    pli = rtp.RtcpPsfbPacket(fmt=rtp.RTCP_PSFB_PLI, ssrc=1, media_ssrc=0x5ca1ab1e)
    emit("kAiortcPli", bytes(pli), "aiortc 1.4 RtcpPsfbPacket PLI")
    remb = rtp.RtcpPsfbPacket(fmt=rtp.RTCP_PSFB_APP, ssrc=1, media_ssrc=0,
                              fci=rtp.pack_remb_fci(1_500_000, [0x5ca1ab1e, 0x0badf00d]))
    emit("kAiortcRemb", bytes(remb), "aiortc 1.4 RtcpPsfbPacket + pack_remb_fci: REMB "
         "1,500,000 bps for two SSRCs")
    emit("kAiortcRrRembCompound", bytes(rr) + bytes(remb), "RR + REMB, one compound datagram")


def hand_built_rtcp():
    """Packets aiortc cannot produce, packed field by field from the RFC/draft layouts."""
    emit("kRfcNackWrapping",
         bytes.fromhex("81cd0004" "00000001" "5ca1ab1e" "fffe0043" "00280000"),
         "RFC 4585 6.2.1 NACK packed by hand: PID 65534 BLP 0x0043 (65535, 0, 5), PID 40")
    emit("kRfcFir", bytes.fromhex("84ce0004" "00000001" "00000000" "5ca1ab1e" "03000000"),
         "RFC 5104 4.3.1 FIR packed by hand: media SSRC 0, one entry (0x5ca1ab1e, seq nr 3)")
    emit("kDraftTransportFeedback",
         bytes.fromhex("8fcd0006" "00000001" "5ca1ab1e" "fffd0006" "00010207" "d24804ff"
                       "f8ff03e8"),
         "draft-holmer-rmcat-transport-wide-cc-extensions-01 3.1, packed by hand: base seq "
         "65533, 6 statuses in one 2-bit vector chunk (small, lost, large, small, lost, large), "
         "deltas 4, -8, 255, 1000 ticks, reference time 0x000102, fb pkt count 7")
    emit("kDraftTransportFeedbackRun",
         bytes.fromhex("8fcd0009" "00000001" "5ca1ab1e" "0064000f" "00000000" "200ea000"
                       + "01" * 15 + "00"),
         "transport-cc feedback packed by hand: base seq 100, a run chunk of 14 small deltas "
         "then a 1-bit vector with one more, 15 deltas of 1 tick, one byte of zero padding")
    emit("kRfcPaddedReceiverReport", bytes.fromhex("a0c90002" "00000001" "00000004"),
         "RFC 3550 6.4.2 RR packed by hand: no report blocks, P bit and 4 bytes of padding")


def codec_rtp_packets(xmap):
    for i, name in enumerate(["kVp8Keyframe", "kH264StapAKeyframe", "kVp9Keyframe",
                              "kAv1Keyframe", "kH264FuAStart", "kVp8DeltaFrame",
                              "kH264DeltaFrame"]):
        packet = rtp.RtpPacket(payload_type=96 + i, marker=i % 2, sequence_number=1000 + i,
                               timestamp=90000 * i, ssrc=0x11223344, payload=OUT[name][0])
        packet.extensions.mid = "1"
        packet.extensions.transport_sequence_number = 500 + i
        emit("kAiortc" + name[1:] + "Packet", packet.serialize(xmap),
             f"aiortc 1.4 RtpPacket carrying {name}")


HEADER = """#pragma once

// Real packets for the rtc unit tests, written by tests/unit/rtc/aiortc_captures.py --write (run
// with Debian's /usr/bin/python3: aiortc 1.4, PyAV with libvpx, libx264, libvpx-vp9 and
// libaom). Each array says what produced it. aiortc cannot produce the kRfc/kDraft arrays (it
// has no FIR or transport-wide feedback, and cannot pack a NACK list that wraps): the script
// packs them field by field from the RFC/draft layouts. The fuzz seed corpora
// (tests/fuzz/corpus/) hold the same packets.

#include <cstdint>

namespace tributary::rtc::captures {

"""

# RTP packets carrying codec payloads are fuzz seeds; the tests need only one of them.
SEED_ONLY = ("kAiortcH264", "kAiortcVp9", "kAiortcAv1", "kAiortcVp8Delta")


def write_files():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "AiortcCaptures.h"), "w") as f:
        f.write(HEADER)
        for name, (data, comment) in OUT.items():
            if not name.startswith(SEED_ONLY):
                f.write(cxx(name, data, comment) + "\n\n")
        f.write("}  // namespace tributary::rtc::captures\n")
    root = os.path.join(here, "..", "..", "fuzz", "corpus")
    for name, (data, _) in OUT.items():
        if name.startswith(("kAiortc", "kRfc", "kDraft")):
            folder = "RtcpCompoundFuzz" if rtp.is_rtcp(data) else "RtpPacketFuzz"
            with open(os.path.join(root, folder, name[1:]), "wb") as f:
                f.write(data)


def main():
    xmap = extensions_map()
    rtp_packets(xmap)
    vp8_payloads()
    h264_payloads()
    vp9_payloads()
    av1_payloads()
    codec_rtp_packets(xmap)
    rtcp_packets()
    hand_built_rtcp()
    for name, (data, comment) in OUT.items():
        print(cxx(name, data, comment))
        print()
    if "--write" in sys.argv:
        write_files()


if __name__ == "__main__":
    main()
