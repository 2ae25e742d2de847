#include "rtc/rtcp/RtcpPacket.h"

#include "base/ByteIo.h"

namespace tributary::rtc::rtcp {

std::optional<RtcpPacket> RtcpPacket::ParseFirst(std::span<const uint8_t> data, RtcpError* error) {
  auto fail = [error](RtcpError why) -> std::optional<RtcpPacket> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  if (data.size() < kHeaderSize) return fail(RtcpError::kTruncatedHeader);
  const uint8_t* p = data.data();
  if ((p[0] >> 6) != 2) return fail(RtcpError::kBadVersion);
  const size_t size = (static_cast<size_t>(base::Read16(p + 2)) + 1) * 4;
  if (size > data.size()) return fail(RtcpError::kLengthPastEnd);
  size_t padding_size = 0;
  if ((p[0] & 0x20) != 0) {
    padding_size = p[size - 1];
    if (padding_size == 0 || padding_size > size - kHeaderSize) {
      return fail(RtcpError::kBadPadding);
    }
  }
  if (error != nullptr) *error = RtcpError::kNone;
  return RtcpPacket(p, size, padding_size);
}

std::optional<RtcpPacket> RtcpPacket::Parse(std::span<const uint8_t> data) {
  auto packet = ParseFirst(data);
  if (!packet || packet->size_ != data.size()) return std::nullopt;
  return packet;
}

void RtcpPacket::WriteHeader(uint8_t* out, uint8_t count, uint8_t type, size_t size) {
  out[0] = static_cast<uint8_t>(0x80 | (count & 0x1F));
  out[1] = type;
  base::Write16(out + 2, static_cast<uint16_t>(size / 4 - 1));
}

}  // namespace tributary::rtc::rtcp
