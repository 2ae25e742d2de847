#pragma once

// A codec this endpoint can send or receive, and whether an offered payload type is that codec.
// Codecs are told apart by name, clock rate, channels (audio), and the fmtp parameters that make
// streams undecodable by each other: H.264 profile (from profile-level-id) and
// packetization-mode, VP9 profile-id, AV1 profile. Levels are not compared: a level is a limit
// the receiver states, not a different bitstream.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/SdpTypes.h"

namespace tributary::rtc {

struct SdpCodecCapability {
  MediaKind kind = MediaKind::kVideo;
  std::string name;  // as written in answers: "opus", "VP8", "VP9", "H264", "AV1"
  uint32_t clock_rate = 90000;
  uint16_t channels = 0;  // audio: 2 for opus; 0 means 1
  std::string fmtp;       // parameters that select this variant, e.g. "profile-id=2"
  std::vector<SdpRtcpFeedback> feedback;  // the RTCP feedback supported with it
  bool rtx = false;                       // accept a retransmission (RTX) payload type for it

  bool operator==(const SdpCodecCapability&) const = default;

  bool Matches(MediaKind offered_kind, const SdpCodec& offered) const;

  // opus/48000/2, VP8, VP9 profile 0 and 2, H.264 packetization-mode 1 in the Constrained
  // Baseline, Baseline, Main, Constrained High and High profiles, AV1 profile 0; in that order.
  static std::vector<SdpCodecCapability> Defaults();
};

// H.264 profiles as RFC 6184 profile-level-id encodes them (profile_idc and constraint flags).
enum class H264Profile {
  kConstrainedBaseline,
  kBaseline,
  kMain,
  kExtended,
  kHigh,
  kConstrainedHigh,
  kHigh10,
  kHigh422,
  kHigh444,
};
// From a profile-level-id such as "42e01f" (nothing when it is not 6 hex digits or an unknown
// profile). Absent, RFC 6184 makes it "42000a", Baseline.
std::optional<H264Profile> H264ProfileFromProfileLevelId(std::string_view profile_level_id);

// Whether a codec name is a helper rather than media: rtx, red, ulpfec, flexfec-*, CN,
// telephone-event.
bool IsAuxiliaryCodec(std::string_view name);

}  // namespace tributary::rtc
