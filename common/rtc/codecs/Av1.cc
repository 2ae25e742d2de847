#include "rtc/codecs/Av1.h"

namespace tributary::rtc::codecs {

std::optional<uint64_t> Av1::ReadLeb128(std::span<const uint8_t> data, size_t& at) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i) {
    if (at >= data.size()) return std::nullopt;
    const uint8_t byte = data[at++];
    value |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

bool Av1::IsKeyframe(std::span<const uint8_t> payload) {
  if (payload.empty()) return false;
  const uint8_t aggregation = payload[0];
  if ((aggregation & 0x08) != 0) return true;              // N
  const bool first_continues = (aggregation & 0x80) != 0;  // Z
  const size_t element_count = (aggregation >> 4) & 0x3;   // W
  const size_t size = payload.size();
  size_t at = 1;
  for (size_t index = 0; at < size; ++index) {
    const bool last_without_length = element_count != 0 && index + 1 == element_count;
    size_t element_size = size - at;
    if (!last_without_length) {
      const auto length = ReadLeb128(payload, at);
      if (!length || *length > size - at) return false;
      element_size = static_cast<size_t>(*length);
    }
    const bool starts_obu = index > 0 || !first_continues;
    if (starts_obu && element_size > 0 && ObuType(payload[at]) == kObuSequenceHeader) return true;
    at += element_size;
    if (last_without_length) break;
  }
  return false;
}

}  // namespace tributary::rtc::codecs
