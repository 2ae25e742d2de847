#pragma once

// CRC-32 (ISO-HDLC: reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF), the one
// STUN's FINGERPRINT uses (RFC 8489 14.7). Table-driven, no zlib.

#include <cstdint>
#include <span>

namespace tributary::rtc {

class Crc32 {
 public:
  // Continues a CRC over more bytes: Update(Update(0, a), b) == Compute(a ++ b).
  static uint32_t Update(uint32_t crc, std::span<const uint8_t> data);
  static uint32_t Compute(std::span<const uint8_t> data) { return Update(0, data); }
};

}  // namespace tributary::rtc
