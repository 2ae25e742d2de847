#pragma once

// AV1 RTP payload (AV1 RTP specification v1.0, 4.4): an aggregation header, then OBU elements.
//
//   |Z|Y| W |N|-|-|-|   Z: the first element continues an OBU from the previous packet
//                       Y: the last element continues in the next packet
//                       W: element count (0: every element has a length prefix)
//                       N: first packet of a coded video sequence
//
// Elements are preceded by a LEB128 length, except the last one when W is not 0. A payload
// starts a keyframe when N is set or when it starts an OBU_SEQUENCE_HEADER.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tributary::rtc::codecs {

class Av1 {
 public:
  static constexpr uint8_t kObuSequenceHeader = 1;

  // OBU type from the first byte of an OBU header: |F|type(4)|X|S|R|.
  static uint8_t ObuType(uint8_t obu_header) { return (obu_header >> 3) & 0x0F; }

  // Reads a LEB128 value (at most 8 bytes, AV1 spec 4.10.5) at `at`, moving `at` past it.
  static std::optional<uint64_t> ReadLeb128(std::span<const uint8_t> data, size_t& at);

  // False for malformed payloads (element lengths running past the payload).
  static bool IsKeyframe(std::span<const uint8_t> payload);
};

}  // namespace tributary::rtc::codecs
