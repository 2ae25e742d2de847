#include "rtc/rtcp/RtcpCompound.h"

namespace tributary::rtc::rtcp {

std::optional<RtcpPacket> RtcpCompound::Next() {
  if (error_ != RtcpError::kNone || offset_ == datagram_.size()) return std::nullopt;
  auto packet = RtcpPacket::ParseFirst(datagram_.subspan(offset_), &error_);
  if (packet) offset_ += packet->Data().size();
  return packet;
}

}  // namespace tributary::rtc::rtcp
