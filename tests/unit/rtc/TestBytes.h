#pragma once

// Helpers for packet tests: exact-size heap copies (so a sanitizer build catches any read past
// the end), every prefix of a packet, and single-bit corruptions.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tributary::rtc::testing {

template <size_t N>
std::vector<uint8_t> Bytes(const uint8_t (&array)[N]) {
  return std::vector<uint8_t>(array, array + N);
}

inline std::vector<uint8_t> Bytes(std::span<const uint8_t> bytes) {
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

// Calls `f(std::span<const uint8_t>)` with an exact-size copy of every proper prefix (0..size-1).
template <typename F>
void ForEachPrefix(std::span<const uint8_t> bytes, F&& f) {
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + n);
    f(std::span<const uint8_t>(prefix));
  }
}

// Calls `f(std::span<const uint8_t>)` with a copy of `bytes` for every byte position and every
// one of its 8 bits flipped.
template <typename F>
void ForEachBitFlip(std::span<const uint8_t> bytes, F&& f) {
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());
  for (size_t i = 0; i < copy.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      copy[i] ^= static_cast<uint8_t>(1 << bit);
      f(std::span<const uint8_t>(copy));
      copy[i] ^= static_cast<uint8_t>(1 << bit);
    }
  }
}

}  // namespace tributary::rtc::testing
