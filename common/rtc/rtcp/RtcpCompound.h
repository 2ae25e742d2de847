#pragma once

// Walks the packets of a compound RTCP datagram (RFC 3550 6.1), checking each common header and
// length, and stops at the first malformed packet, saying why. Reduced-size RTCP (RFC 5506) is
// accepted: the first packet need not be a report.
//
//   RtcpCompound compound(datagram);
//   while (auto packet = compound.Next()) { ... packet->Type() ... }
//   if (compound.Error() != RtcpError::kNone) { count and drop the rest }

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/rtcp/RtcpPacket.h"

namespace tributary::rtc::rtcp {

class RtcpCompound {
 public:
  // Demultiplexing (RFC 5761): version 2 and a packet type in 192..223.
  static bool IsRtcp(std::span<const uint8_t> data) {
    return data.size() >= RtcpPacket::kHeaderSize && (data[0] >> 6) == 2 && data[1] >= 192 &&
           data[1] <= 223;
  }

  explicit RtcpCompound(std::span<const uint8_t> datagram) : datagram_(datagram) {}

  // The next packet; nothing at the end of the datagram or at a malformed packet.
  std::optional<RtcpPacket> Next();
  // Why Next stopped before the end; kNone while walking and after a clean end.
  RtcpError Error() const { return error_; }
  // Bytes of the datagram walked so far (the offset of the malformed packet, after an error).
  size_t Offset() const { return offset_; }

 private:
  std::span<const uint8_t> datagram_;
  size_t offset_ = 0;
  RtcpError error_ = RtcpError::kNone;
};

}  // namespace tributary::rtc::rtcp
