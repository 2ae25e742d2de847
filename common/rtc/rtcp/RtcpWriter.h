#pragma once

// Appends RTCP packets into one buffer as a compound packet (RFC 3550 6.1), e.g. SR + SDES or
// RR + REMB. Every packet serializes to a whole number of 32-bit words (SDES chunks, BYE reasons
// and feedback deltas pad themselves with zeros), so the compound needs no P bit. A packet
// that does not fit is not written (the buffer keeps the packets before it), so a caller can
// fill a datagram and send the rest in the next one.
//
//   RtcpWriter writer(buffer);
//   writer.Append(sender_report);
//   writer.Append(sdes);
//   send(writer.Data());

#include <cstddef>
#include <cstdint>
#include <span>

namespace tributary::rtc::rtcp {

class RtcpWriter {
 public:
  explicit RtcpWriter(std::span<uint8_t> out) : out_(out) {}

  // Any packet class with `size_t Serialize(std::span<uint8_t>) const`. False when it did not
  // fit (or could not be serialized).
  template <typename Packet>
  bool Append(const Packet& packet) {
    const size_t written = packet.Serialize(out_.subspan(size_));
    size_ += written;
    return written != 0;
  }

  std::span<const uint8_t> Data() const { return out_.first(size_); }
  size_t Size() const { return size_; }
  size_t Remaining() const { return out_.size() - size_; }

 private:
  std::span<uint8_t> out_;
  size_t size_ = 0;
};

}  // namespace tributary::rtc::rtcp
