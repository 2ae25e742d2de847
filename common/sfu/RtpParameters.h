#pragma once

// What the media layer needs to know about one track's RTP, as negotiated: the codecs with
// their payload types, RTX and RTCP feedback, the header extension ids, the SSRCs. Producers
// take the publisher's side (ProducerParameters), consumers the viewer's (ConsumerParameters);
// both can be made from rtc::SdpNegotiatedMedia, the structured result of SDP negotiation.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/RtpExtensionKind.h"
#include "rtc/SdpNegotiation.h"
#include "rtc/SdpTypes.h"
#include "rtc/codecs/CodecKind.h"

namespace tributary::sfu {

// The RTCP feedback negotiated for a codec (a=rtcp-fb).
struct RtcpFeedbackSupport {
  bool nack = false;          // "nack": generic NACK
  bool nack_pli = false;      // "nack pli"
  bool ccm_fir = false;       // "ccm fir"
  bool transport_cc = false;  // "transport-cc"
  bool goog_remb = false;     // "goog-remb"

  static RtcpFeedbackSupport FromSdp(const std::vector<rtc::SdpRtcpFeedback>& feedback);
  bool operator==(const RtcpFeedbackSupport&) const = default;
};

struct RtpCodecParameters {
  rtc::codecs::CodecKind codec = rtc::codecs::CodecKind::kUnknown;
  std::string name;  // as negotiated: "VP8", "opus"
  uint8_t payload_type = 0;
  uint32_t clock_rate = 0;
  uint16_t channels = 0;  // audio; 0 means 1
  std::string fmtp;
  std::optional<uint8_t> rtx_payload_type;
  RtcpFeedbackSupport feedback;

  static RtpCodecParameters FromSdp(const rtc::SdpNegotiatedCodec& codec);
  // The same bitstream format, so that a receiver of one decodes the other: codec (or name),
  // clock rate, channels, and the fmtp parameters that change the bitstream (H.264
  // packetization-mode and profile, VP9 profile-id, AV1 profile). Payload types, RTX and
  // feedback do not matter.
  bool SameFormat(const RtpCodecParameters& other) const;
  bool operator==(const RtpCodecParameters&) const = default;
};

struct RtpHeaderExtensionParameters {
  uint8_t id = 0;  // 1..255
  std::string uri;

  rtc::RtpExtensionKind Kind() const { return rtc::RtpExtensionKindFromUri(uri); }
  bool operator==(const RtpHeaderExtensionParameters&) const = default;
};

// The ids of the extensions the SFU reads or writes; 0 when not negotiated.
struct RtpExtensionIds {
  uint8_t mid = 0;
  uint8_t rid = 0;
  uint8_t repaired_rid = 0;
  uint8_t abs_send_time = 0;
  uint8_t transport_wide_cc = 0;
  uint8_t audio_level = 0;

  static RtpExtensionIds From(const std::vector<RtpHeaderExtensionParameters>& extensions);
};

// A published track: the publisher's payload types, extension ids and SSRCs.
struct ProducerParameters {
  rtc::MediaKind kind = rtc::MediaKind::kVideo;
  std::string mid;
  std::string rid;  // the RTP stream id to accept, when the publisher sends one (else empty)
  std::vector<RtpCodecParameters> codecs;  // by preference
  // 0: not signalled; latched from the first packet whose MID (and RID) are ours, a media
  // payload type giving the media SSRC and an RTX one the RTX SSRC.
  uint32_t ssrc = 0;
  uint32_t rtx_ssrc = 0;
  std::vector<RtpHeaderExtensionParameters> extensions;
  std::string cname;
  bool rtcp_reduced_size = false;  // a=rtcp-rsize: feedback may go without a report first
  uint32_t rtcp_ssrc = 0;          // ours, in the RTCP we send to the publisher

  const RtpCodecParameters* FindCodec(uint8_t payload_type) const;
  // From an accepted audio or video section in which the remote side sends (a WHIP offer, or
  // the answer to an upstream pull): nothing, with `error` set, otherwise.
  static std::optional<ProducerParameters> FromNegotiatedMedia(const rtc::SdpNegotiatedMedia& media,
                                                               std::string* error = nullptr);
};

// A viewer's track: the viewer's payload types for the codecs it accepts, its extension ids,
// and the SSRCs and mid we send it with.
struct ConsumerParameters {
  rtc::MediaKind kind = rtc::MediaKind::kVideo;
  std::string mid;  // the value of the mid extension we send
  std::vector<RtpCodecParameters> codecs;
  uint32_t ssrc = 0;
  uint32_t rtx_ssrc = 0;  // 0: no RTX toward this viewer
  std::vector<RtpHeaderExtensionParameters> extensions;
  std::string cname;  // in our SDES

  // From an accepted section in which we send (a WHEP offer's answer), with the SSRCs and
  // CNAME we announced for it.
  static std::optional<ConsumerParameters> FromNegotiatedMedia(const rtc::SdpNegotiatedMedia& media,
                                                               uint32_t ssrc, uint32_t rtx_ssrc,
                                                               std::string cname,
                                                               std::string* error = nullptr);
};

}  // namespace tributary::sfu
