#pragma once

// Goodbye (RFC 3550 6.6), PT 203: the SSRCs leaving and an optional reason, padded with zeros
// to 32 bits.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "rtc/rtcp/RtcpList.h"

namespace tributary::rtc::rtcp {

class Bye {
 public:
  static std::optional<Bye> Parse(std::span<const uint8_t> packet);
  size_t Serialize(std::span<uint8_t> out) const;
  size_t SerializedSize() const;

  const RtcpList<uint32_t>& Ssrcs() const { return ssrcs_; }
  // Empty when absent. Points into the parsed bytes or the caller's string.
  std::string_view Reason() const { return reason_; }

  // At most 31 SSRCs and a reason of at most 255 bytes (else Serialize returns 0). Both must
  // outlive this object.
  void SetSsrcs(std::span<const uint32_t> ssrcs) { ssrcs_ = RtcpList<uint32_t>(ssrcs); }
  void SetReason(std::string_view reason) { reason_ = reason; }

 private:
  RtcpList<uint32_t> ssrcs_;
  std::string_view reason_;
};

}  // namespace tributary::rtc::rtcp
