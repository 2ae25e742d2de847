#pragma once

// Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03), PSFB FMT 15 with the
// application identifier 'REMB'. The media SSRC field is 0; the estimate applies to the listed
// SSRCs. The bitrate is a mantissa shifted left by an exponent.
//
//   |  Unique identifier 'R' 'E' 'M' 'B'                            |
//   |  Num SSRC     | BR Exp    |  BR Mantissa                      |
//   |   SSRC feedback ...                                           |

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/rtcp/RtcpList.h"

namespace tributary::rtc::rtcp {

class Remb {
 public:
  static constexpr uint8_t kFormat = 15;
  static constexpr uint32_t kIdentifier = 0x52454D42;  // 'REMB'
  static constexpr uint32_t kMaxMantissa = (1u << 18) - 1;

  // Nothing for other PSFB FMT 15 applications, or a bitrate beyond 64 bits.
  static std::optional<Remb> Parse(std::span<const uint8_t> packet);
  size_t Serialize(std::span<uint8_t> out) const;
  size_t SerializedSize() const;

  uint32_t SenderSsrc() const { return sender_ssrc_; }
  uint32_t MediaSsrc() const { return media_ssrc_; }
  // Bits per second.
  uint64_t Bitrate() const { return static_cast<uint64_t>(mantissa_) << exponent_; }
  uint8_t Exponent() const { return exponent_; }
  uint32_t Mantissa() const { return mantissa_; }
  const RtcpList<uint32_t>& Ssrcs() const { return ssrcs_; }

  void SetSenderSsrc(uint32_t ssrc) { sender_ssrc_ = ssrc; }
  void SetMediaSsrc(uint32_t ssrc) { media_ssrc_ = ssrc; }
  // Rounds down to the nearest value an 18-bit mantissa can hold.
  void SetBitrate(uint64_t bits_per_second);
  // At most 255 SSRCs (else Serialize returns 0). They must outlive this object.
  void SetSsrcs(std::span<const uint32_t> ssrcs) { ssrcs_ = RtcpList<uint32_t>(ssrcs); }

 private:
  uint32_t sender_ssrc_ = 0;
  uint32_t media_ssrc_ = 0;
  uint8_t exponent_ = 0;
  uint32_t mantissa_ = 0;
  RtcpList<uint32_t> ssrcs_;
};

}  // namespace tributary::rtc::rtcp
