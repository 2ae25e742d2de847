#pragma once

// An RTP packet (RFC 3550 5.1) as a read-only view over the bytes it was parsed from. Parsing
// checks the version, the CSRC list, the extension header and the padding against the packet
// length and stores three offsets; accessors read the fields in network order on demand.
//
//    0                   1                   2                   3
//   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
//   |                           timestamp                           |
//   |           synchronization source (SSRC) identifier            |
//   |            contributing source (CSRC) identifiers             |  CC x 4 bytes
//   |      defined by profile       |           length              |  if X
//   |                        header extension                       |  length x 4 bytes
//   |                     payload ...           | padding | count   |  if P

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/ByteIo.h"
#include "rtc/RtpHeaderExtensions.h"

namespace tributary::rtc {

class RtpPacket {
 public:
  static constexpr size_t kFixedHeaderSize = 12;
  static constexpr uint8_t kVersion = 2;

  // Demultiplexing (RFC 7983, RFC 5761): version 2 and a second byte outside the RTCP packet
  // types 192..223. Says nothing about the rest of the packet: use Parse for that.
  static bool IsRtp(std::span<const uint8_t> data) {
    return data.size() >= kFixedHeaderSize && (data[0] >> 6) == kVersion &&
           (data[1] < 192 || data[1] > 223);
  }

  // A view over `data`, which must outlive it; nothing for malformed packets.
  static std::optional<RtpPacket> Parse(std::span<const uint8_t> data);

  std::span<const uint8_t> Data() const { return {data_, size_}; }
  size_t Size() const { return size_; }

  bool Marker() const { return (data_[1] & 0x80) != 0; }
  uint8_t PayloadType() const { return data_[1] & 0x7F; }
  uint16_t SequenceNumber() const { return base::Read16(data_ + 2); }
  uint32_t Timestamp() const { return base::Read32(data_ + 4); }
  uint32_t Ssrc() const { return base::Read32(data_ + 8); }
  size_t CsrcCount() const { return data_[0] & 0x0F; }
  // `index` < CsrcCount().
  uint32_t Csrc(size_t index) const { return base::Read32(data_ + kFixedHeaderSize + 4 * index); }

  bool HasExtensions() const { return (data_[0] & 0x10) != 0; }
  // The extension block; form() is kNone when the X bit is clear.
  RtpHeaderExtensions Extensions() const;
  std::optional<RtpHeaderExtension> FindExtension(uint8_t id) const {
    return Extensions().Find(id);
  }

  // Fixed header + CSRCs + extension header and block.
  size_t HeaderSize() const { return header_size_; }
  std::span<const uint8_t> Payload() const {
    return {data_ + header_size_, size_ - header_size_ - padding_size_};
  }
  bool HasPadding() const { return (data_[0] & 0x20) != 0; }
  // Padding bytes at the end, including the count byte itself (0 when P is clear).
  size_t PaddingSize() const { return padding_size_; }

 protected:
  RtpPacket(const uint8_t* data, size_t size, size_t header_size, size_t padding_size)
      : data_(data),
        size_(static_cast<uint32_t>(size)),
        header_size_(static_cast<uint32_t>(header_size)),
        padding_size_(static_cast<uint8_t>(padding_size)) {}
  size_t CsrcEnd() const { return kFixedHeaderSize + 4 * CsrcCount(); }

  const uint8_t* data_;
  uint32_t size_;
  uint32_t header_size_;
  uint8_t padding_size_;
};

}  // namespace tributary::rtc
