#include "rtc/RtpPacket.h"

#include <limits>

namespace tributary::rtc {

std::optional<RtpPacket> RtpPacket::Parse(std::span<const uint8_t> data) {
  const uint8_t* p = data.data();
  const size_t size = data.size();
  if (size < kFixedHeaderSize || size > std::numeric_limits<uint32_t>::max()) return std::nullopt;
  if ((p[0] >> 6) != kVersion) return std::nullopt;
  size_t header_size = kFixedHeaderSize + 4 * static_cast<size_t>(p[0] & 0x0F);
  if (size < header_size) return std::nullopt;
  if ((p[0] & 0x10) != 0) {
    if (size - header_size < 4) return std::nullopt;
    const size_t block_size = 4 * static_cast<size_t>(base::Read16(p + header_size + 2));
    header_size += 4;
    if (size - header_size < block_size) return std::nullopt;
    header_size += block_size;
  }
  size_t padding_size = 0;
  if ((p[0] & 0x20) != 0) {
    if (size == header_size) return std::nullopt;  // no room for the count byte
    padding_size = p[size - 1];
    // The count includes itself, so 0 is invalid (RFC 3550 5.1).
    if (padding_size == 0 || padding_size > size - header_size) return std::nullopt;
  }
  return RtpPacket(p, size, header_size, padding_size);
}

RtpHeaderExtensions RtpPacket::Extensions() const {
  if (!HasExtensions()) return {};
  const size_t at = CsrcEnd();
  return RtpHeaderExtensions(base::Read16(data_ + at),
                             std::span<const uint8_t>(data_ + at + 4, header_size_ - at - 4));
}

}  // namespace tributary::rtc
