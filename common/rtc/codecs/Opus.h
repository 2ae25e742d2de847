#pragma once

// Opus (RFC 7587): every packet decodes on its own.

#include <cstdint>
#include <span>

namespace tributary::rtc::codecs {

class Opus {
 public:
  static bool IsKeyframe(std::span<const uint8_t> payload) { return !payload.empty(); }
};

}  // namespace tributary::rtc::codecs
