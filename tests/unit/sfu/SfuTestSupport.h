#pragma once

// Shared by the sfu tests: real RTP built with the rtc classes around payloads captured from
// aiortc (tests/unit/rtc/AiortcCaptures.h), an RtpSender and an RtcpSink that keep what they get,
// RTCP compound walking into the typed packets, and the parameters of the tracks the tests use.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../rtc/AiortcCaptures.h"
#include "rtc/RtpExtensionKind.h"
#include "rtc/RtpExtensionValue.h"
#include "rtc/RtpPacket.h"
#include "rtc/RtpPacketBuilder.h"
#include "rtc/RtxPacket.h"
#include "rtc/rtcp/Fir.h"
#include "rtc/rtcp/Nack.h"
#include "rtc/rtcp/Pli.h"
#include "rtc/rtcp/ReceiverReport.h"
#include "rtc/rtcp/Remb.h"
#include "rtc/rtcp/RtcpCompound.h"
#include "rtc/rtcp/Sdes.h"
#include "rtc/rtcp/SenderReport.h"
#include "rtc/rtcp/TransportFeedback.h"
#include "sfu/RtcpSink.h"
#include "sfu/RtpParameters.h"
#include "sfu/RtpSender.h"

namespace tributary::sfu::testing {

inline std::span<const uint8_t> Vp8KeyframePayload() {
  return rtc::captures::kVp8Keyframe;
}
inline std::span<const uint8_t> Vp8DeltaPayload() {
  return rtc::captures::kVp8DeltaFrame;
}
inline std::span<const uint8_t> OpusPayload() {
  static const auto packet = rtc::RtpPacket::Parse(rtc::captures::kAiortcOpus);
  return packet->Payload();
}

inline std::span<const uint8_t> Text(std::string_view text) {
  return rtc::RtpExtensionValue::EncodeSdesString(text);
}

// The extension ids of the tracks in these tests (the publisher's, as aiortc numbers them).
inline constexpr uint8_t kMidId = 1;
inline constexpr uint8_t kAbsSendTimeId = 2;
inline constexpr uint8_t kTransportCcId = 3;
inline constexpr uint8_t kAudioLevelId = 4;
inline constexpr uint8_t kVideoOrientationId = 13;
inline constexpr std::string_view kVideoOrientationUri = "urn:3gpp:video-orientation";

struct RtpSpec {
  uint8_t payload_type = 96;
  uint16_t seq = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0x11223344;
  bool marker = false;
  std::string mid = "0";  // empty: no mid element
  std::optional<uint16_t> transport_seq;
  std::optional<uint32_t> abs_send_time;
  std::optional<uint8_t> audio_level;
  std::optional<uint8_t> video_orientation;
  uint8_t padding = 0;
};

// A real RTP packet: the fixed header, the extensions aiortc writes (mid, abs-send-time,
// transport-cc, audio level) as `spec` asks, `payload`, and `padding` bytes of padding.
inline std::vector<uint8_t> BuildRtp(const RtpSpec& spec, std::span<const uint8_t> payload) {
  std::vector<uint8_t> out(1500);
  rtc::RtpPacketBuilder builder(out);
  builder.SetMarker(spec.marker);
  builder.SetPayloadType(spec.payload_type);
  builder.SetSequenceNumber(spec.seq);
  builder.SetTimestamp(spec.timestamp);
  builder.SetSsrc(spec.ssrc);
  if (!spec.mid.empty()) builder.AddExtension(kMidId, Text(spec.mid));
  if (spec.abs_send_time) {
    builder.AddExtension(kAbsSendTimeId,
                         rtc::RtpExtensionValue::EncodeAbsSendTime(*spec.abs_send_time));
  }
  if (spec.transport_seq) {
    builder.AddExtension(kTransportCcId,
                         rtc::RtpExtensionValue::EncodeTransportWideSeq(*spec.transport_seq));
  }
  if (spec.audio_level) {
    builder.AddExtension(kAudioLevelId,
                         rtc::RtpExtensionValue::EncodeAudioLevel({true, *spec.audio_level}));
  }
  if (spec.video_orientation) {
    const uint8_t value[] = {*spec.video_orientation};
    builder.AddExtension(kVideoOrientationId, value);
  }
  out.resize(builder.Finish(payload, spec.padding));
  return out;
}

// The RTX packet for `original` (RFC 4588).
inline std::vector<uint8_t> BuildRtx(std::span<const uint8_t> original, uint8_t rtx_pt,
                                     uint32_t rtx_ssrc, uint16_t rtx_seq) {
  const auto view = rtc::RtpPacket::Parse(original);
  std::vector<uint8_t> out(1500);
  out.resize(rtc::RtxPacket::Encapsulate(*view, rtx_pt, rtx_ssrc, rtx_seq, out));
  return out;
}

// Keeps every committed packet; slots are 1500 bytes, like a socket's send queue.
class RecordingRtpSender : public RtpSender {
 public:
  std::span<uint8_t> PrepareSend() override {
    if (!available) return {};
    slot_.assign(1500, 0xEE);  // garbage, so that nothing relies on a clean slot
    return slot_;
  }
  bool CommitSend(size_t size) override {
    packets.emplace_back(slot_.begin(), slot_.begin() + static_cast<std::ptrdiff_t>(size));
    return true;
  }
  rtc::RtpPacket Packet(size_t i) const { return *rtc::RtpPacket::Parse(packets.at(i)); }

  bool available = true;
  std::vector<std::vector<uint8_t>> packets;

 private:
  std::vector<uint8_t> slot_;
};

class RecordingRtcpSink : public RtcpSink {
 public:
  void SendRtcp(std::span<const uint8_t> packet) override {
    datagrams.emplace_back(packet.begin(), packet.end());
  }
  std::vector<std::vector<uint8_t>> datagrams;
};

// The packets of a compound RTCP datagram, parsed by type (each must parse).
struct ParsedRtcp {
  std::vector<rtc::rtcp::ReceiverReport> rr;
  std::vector<rtc::rtcp::SenderReport> sr;
  std::vector<rtc::rtcp::Sdes> sdes;
  std::vector<rtc::rtcp::Nack> nack;
  std::vector<rtc::rtcp::Pli> pli;
  std::vector<rtc::rtcp::Fir> fir;
  std::vector<rtc::rtcp::Remb> remb;
  std::vector<rtc::rtcp::TransportFeedback> feedback;
  std::vector<uint8_t> types;  // in order
  bool ok = true;
};

inline ParsedRtcp ParseRtcp(std::span<const uint8_t> datagram) {
  using namespace rtc::rtcp;
  ParsedRtcp out;
  RtcpCompound compound(datagram);
  while (auto packet = compound.Next()) {
    out.types.push_back(packet->Type());
    const auto bytes = packet->Data();
    bool parsed = false;
    if (packet->Is(RtcpType::kReceiverReport)) {
      if (auto p = ReceiverReport::Parse(bytes)) out.rr.push_back(*p), parsed = true;
    } else if (packet->Is(RtcpType::kSenderReport)) {
      if (auto p = SenderReport::Parse(bytes)) out.sr.push_back(*p), parsed = true;
    } else if (packet->Is(RtcpType::kSdes)) {
      if (auto p = Sdes::Parse(bytes)) out.sdes.push_back(*p), parsed = true;
    } else if (packet->Is(RtcpType::kRtpFeedback) && packet->Count() == Nack::kFormat) {
      if (auto p = Nack::Parse(bytes)) out.nack.push_back(*p), parsed = true;
    } else if (packet->Is(RtcpType::kRtpFeedback) &&
               packet->Count() == TransportFeedback::kFormat) {
      if (auto p = TransportFeedback::Parse(bytes)) out.feedback.push_back(*p), parsed = true;
    } else if (packet->Is(RtcpType::kPayloadFeedback) && packet->Count() == Pli::kFormat) {
      if (auto p = Pli::Parse(bytes)) out.pli.push_back(*p), parsed = true;
    } else if (packet->Is(RtcpType::kPayloadFeedback) && packet->Count() == Fir::kFormat) {
      if (auto p = Fir::Parse(bytes)) out.fir.push_back(*p), parsed = true;
    } else if (packet->Is(RtcpType::kPayloadFeedback) && packet->Count() == Remb::kFormat) {
      if (auto p = Remb::Parse(bytes)) out.remb.push_back(*p), parsed = true;
    }
    out.ok = out.ok && parsed;
  }
  out.ok = out.ok && compound.Error() == RtcpError::kNone;
  return out;
}

inline std::vector<uint16_t> LostSeqs(const rtc::rtcp::Nack& nack) {
  std::vector<uint16_t> lost;
  nack.ForEachLostSequence([&](uint16_t seq) { lost.push_back(seq); });
  return lost;
}

// Every NACKed sequence number in a list of datagrams, in order.
inline std::vector<uint16_t> NackedSeqs(const std::vector<std::vector<uint8_t>>& datagrams) {
  std::vector<uint16_t> lost;
  for (const auto& datagram : datagrams) {
    for (const auto& nack : ParseRtcp(datagram).nack) {
      for (uint16_t seq : LostSeqs(nack))
        lost.push_back(seq);
    }
  }
  return lost;
}

inline RtpHeaderExtensionParameters Extension(uint8_t id, rtc::RtpExtensionKind kind) {
  return {id, std::string(rtc::RtpExtensionUri(kind))};
}

// A VP8 publisher: PT 96 with RTX 97, nack / nack pli / ccm fir / goog-remb / transport-cc;
// mid, abs-send-time, transport-cc and video orientation.
inline ProducerParameters Vp8Producer(uint32_t ssrc = 0x11223344, uint32_t rtx_ssrc = 0x55667788) {
  ProducerParameters params;
  params.kind = rtc::MediaKind::kVideo;
  params.mid = "0";
  RtpCodecParameters vp8;
  vp8.codec = rtc::codecs::CodecKind::kVp8;
  vp8.name = "VP8";
  vp8.payload_type = 96;
  vp8.clock_rate = 90000;
  vp8.rtx_payload_type = 97;
  vp8.feedback = {true, true, true, true, true};
  params.codecs.push_back(vp8);
  params.ssrc = ssrc;
  params.rtx_ssrc = rtx_ssrc;
  params.extensions = {Extension(kMidId, rtc::RtpExtensionKind::kMid),
                       Extension(kAbsSendTimeId, rtc::RtpExtensionKind::kAbsSendTime),
                       Extension(kTransportCcId, rtc::RtpExtensionKind::kTransportWideCc),
                       {kVideoOrientationId, std::string(kVideoOrientationUri)}};
  params.cname = "publisher";
  params.rtcp_reduced_size = true;
  params.rtcp_ssrc = 0xAAAA0001;
  return params;
}

// An Opus publisher: PT 111, no RTX, no NACK (browsers' default); mid, abs-send-time,
// transport-cc, audio level.
inline ProducerParameters OpusProducer(uint32_t ssrc = 0x5ca1ab1e) {
  ProducerParameters params;
  params.kind = rtc::MediaKind::kAudio;
  params.mid = "1";
  RtpCodecParameters opus;
  opus.codec = rtc::codecs::CodecKind::kOpus;
  opus.name = "opus";
  opus.payload_type = 111;
  opus.clock_rate = 48000;
  opus.channels = 2;
  opus.fmtp = "minptime=10;useinbandfec=1";
  opus.feedback.transport_cc = true;
  params.codecs.push_back(opus);
  params.ssrc = ssrc;
  params.extensions = {Extension(kMidId, rtc::RtpExtensionKind::kMid),
                       Extension(kAbsSendTimeId, rtc::RtpExtensionKind::kAbsSendTime),
                       Extension(kTransportCcId, rtc::RtpExtensionKind::kTransportWideCc),
                       Extension(kAudioLevelId, rtc::RtpExtensionKind::kAudioLevel)};
  params.rtcp_reduced_size = true;
  params.rtcp_ssrc = 0xAAAA0001;
  return params;
}

inline RtpCodecParameters Vp8Codec(uint8_t pt, std::optional<uint8_t> rtx_pt) {
  RtpCodecParameters vp8;
  vp8.codec = rtc::codecs::CodecKind::kVp8;
  vp8.name = "VP8";
  vp8.payload_type = pt;
  vp8.clock_rate = 90000;
  vp8.rtx_payload_type = rtx_pt;
  vp8.feedback = {true, true, true, false, false};
  return vp8;
}

inline RtpCodecParameters OpusCodec(uint8_t pt) {
  RtpCodecParameters opus;
  opus.codec = rtc::codecs::CodecKind::kOpus;
  opus.name = "opus";
  opus.payload_type = pt;
  opus.clock_rate = 48000;
  opus.channels = 2;
  return opus;
}

}  // namespace tributary::sfu::testing
