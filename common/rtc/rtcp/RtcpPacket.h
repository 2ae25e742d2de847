#pragma once

// One RTCP packet (RFC 3550 6.4): the common header and the bounds of its body. The typed
// packets (SenderReport, Nack, ...) parse from the bytes of exactly one packet; RtcpCompound
// walks the packets of a datagram.
//
//    0                   1                   2                   3
//   |V=2|P| count/FMT |      PT       |      length (words - 1)       |
//
// Conventions of the typed packets: fixed fields are plain accessors; lists (report blocks,
// NACK items, SSRCs...) are RtcpList views that iterate a parsed packet's wire bytes or, for a
// packet being built, a span of the caller's values. Either way nothing is allocated, and a
// parsed packet's views point into the bytes it was parsed from. Serialize writes into a
// caller's buffer and returns the bytes written, 0 when they do not fit; it never writes
// padding (P bit), so parse -> serialize gives the same bytes for every unpadded packet.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tributary::rtc::rtcp {

enum class RtcpType : uint8_t {
  kSenderReport = 200,
  kReceiverReport = 201,
  kSdes = 202,
  kBye = 203,
  kApp = 204,
  kRtpFeedback = 205,      // RTPFB (RFC 4585): NACK, transport-wide feedback
  kPayloadFeedback = 206,  // PSFB (RFC 4585): PLI, FIR, REMB
  kExtendedReport = 207,
};

enum class RtcpError : uint8_t {
  kNone,
  kTruncatedHeader,  // fewer than 4 bytes left
  kBadVersion,       // not version 2
  kLengthPastEnd,    // the length field runs past the datagram
  kBadPadding,       // P set but the count is 0 or larger than the packet body
};

class RtcpPacket {
 public:
  static constexpr size_t kHeaderSize = 4;
  static constexpr uint8_t kMaxCount = 31;
  static constexpr size_t kMaxSize = 65536 * 4;  // the length field counts 32-bit words - 1

  // The packet at the start of `data`, which may continue with more packets.
  static std::optional<RtcpPacket> ParseFirst(std::span<const uint8_t> data,
                                              RtcpError* error = nullptr);
  // `data` must be exactly one packet.
  static std::optional<RtcpPacket> Parse(std::span<const uint8_t> data);

  // Writes a version 2 header without padding for a packet of `size` bytes (a multiple of 4,
  // at least kHeaderSize, at most kMaxSize).
  static void WriteHeader(uint8_t* out, uint8_t count, uint8_t type, size_t size);
  static void WriteHeader(uint8_t* out, uint8_t count, RtcpType type, size_t size) {
    WriteHeader(out, count, static_cast<uint8_t>(type), size);
  }

  // Reception report count, source count, or feedback message type (FMT).
  uint8_t Count() const { return data_[0] & 0x1F; }
  uint8_t Type() const { return data_[1]; }
  bool Is(RtcpType type) const { return Type() == static_cast<uint8_t>(type); }
  bool HasPadding() const { return (data_[0] & 0x20) != 0; }
  // The whole packet: header, body and padding.
  std::span<const uint8_t> Data() const { return {data_, size_}; }
  // After the header, without padding.
  std::span<const uint8_t> Body() const {
    return {data_ + kHeaderSize, size_ - kHeaderSize - padding_size_};
  }

 private:
  RtcpPacket(const uint8_t* data, size_t size, size_t padding_size)
      : data_(data), size_(size), padding_size_(padding_size) {}

  const uint8_t* data_;
  size_t size_;
  size_t padding_size_;
};

}  // namespace tributary::rtc::rtcp
