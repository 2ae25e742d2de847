#pragma once

// Values of the header extensions an SFU reads or writes. Read* take an element's value and
// return nothing when its size is wrong; Encode* return the bytes to put in an element
// (RtpPacketBuilder::AddExtension, MutableRtpPacket::SetExtensionValue).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tributary::rtc {

class RtpExtensionValue {
 public:
  // transport-wide-cc-01: a 16-bit sequence number shared by all streams of a transport.
  static std::optional<uint16_t> ReadTransportWideSeq(std::span<const uint8_t> value);
  static std::array<uint8_t, 2> EncodeTransportWideSeq(uint16_t seq);

  // abs-send-time: send time in seconds, 6.18 fixed point, 24 bits (wraps every 64 s).
  static std::optional<uint32_t> ReadAbsSendTime(std::span<const uint8_t> value);
  static std::array<uint8_t, 3> EncodeAbsSendTime(uint32_t abs_send_time);
  static uint32_t AbsSendTimeFromUs(uint64_t time_us);
  static uint32_t AbsSendTimeFromNtp(uint64_t ntp);
  // Microseconds within the 64 s period.
  static uint64_t AbsSendTimeToUs(uint32_t abs_send_time);

  // RFC 6464: a voice activity flag and the level in -dBov (0 loudest .. 127 silence).
  struct AudioLevel {
    bool voice_activity = false;
    uint8_t level = 127;
  };
  static std::optional<AudioLevel> ReadAudioLevel(std::span<const uint8_t> value);
  static std::array<uint8_t, 1> EncodeAudioLevel(AudioLevel level);

  // mid, rid and repaired-rid carry SDES strings (RFC 8843, RFC 8852); nothing when empty.
  // The view points into `value`.
  static std::optional<std::string_view> ReadSdesString(std::span<const uint8_t> value);
  static std::span<const uint8_t> EncodeSdesString(std::string_view text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
  }
};

}  // namespace tributary::rtc
