#pragma once

// Picture loss indication (RFC 4585 6.3.1), PSFB FMT 1: no FCI, just the two SSRCs.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tributary::rtc::rtcp {

class Pli {
 public:
  static constexpr uint8_t kFormat = 1;
  static constexpr size_t kSize = 12;

  static std::optional<Pli> Parse(std::span<const uint8_t> packet);
  size_t Serialize(std::span<uint8_t> out) const;
  size_t SerializedSize() const { return kSize; }

  uint32_t SenderSsrc() const { return sender_ssrc_; }
  uint32_t MediaSsrc() const { return media_ssrc_; }
  void SetSenderSsrc(uint32_t ssrc) { sender_ssrc_ = ssrc; }
  void SetMediaSsrc(uint32_t ssrc) { media_ssrc_ = ssrc; }

 private:
  uint32_t sender_ssrc_ = 0;
  uint32_t media_ssrc_ = 0;
};

}  // namespace tributary::rtc::rtcp
