#pragma once

// H.264 RTP payload (RFC 6184 5.6-5.8): single NAL unit packets, aggregation packets (STAP-A,
// STAP-B) and fragmentation units (FU-A, FU-B). A payload starts a keyframe when it carries an
// IDR slice (type 5) or a sequence parameter set (type 7), or the first fragment of one.

#include <cstdint>
#include <span>

namespace tributary::rtc::codecs {

class H264 {
 public:
  static constexpr uint8_t kIdr = 5;
  static constexpr uint8_t kSps = 7;
  static constexpr uint8_t kPps = 8;
  static constexpr uint8_t kStapA = 24;
  static constexpr uint8_t kStapB = 25;
  static constexpr uint8_t kFuA = 28;
  static constexpr uint8_t kFuB = 29;

  static uint8_t NalUnitType(uint8_t nal_header) { return nal_header & 0x1F; }

  // False for malformed aggregation packets (a unit size running past the payload) and for
  // MTAP packets, which WebRTC does not use.
  static bool IsKeyframe(std::span<const uint8_t> payload);
};

}  // namespace tributary::rtc::codecs
