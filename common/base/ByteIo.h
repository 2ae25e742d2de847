#pragma once

// Network-order reads and writes over raw bytes. Callers check lengths first: these never do,
// because every wire parser has already proved the bytes are there.

#include <cstddef>
#include <cstdint>

namespace tributary::base {

inline uint8_t Read8(const uint8_t* p) {
  return p[0];
}
inline uint16_t Read16(const uint8_t* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}
inline uint32_t Read24(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 16) | (static_cast<uint32_t>(p[1]) << 8) | p[2];
}
inline uint32_t Read32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}
inline uint64_t Read64(const uint8_t* p) {
  return (static_cast<uint64_t>(Read32(p)) << 32) | Read32(p + 4);
}

inline void Write8(uint8_t* p, uint8_t v) {
  p[0] = v;
}
inline void Write16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void Write24(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 16);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v);
}
inline void Write32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
inline void Write64(uint8_t* p, uint64_t v) {
  Write32(p, static_cast<uint32_t>(v >> 32));
  Write32(p + 4, static_cast<uint32_t>(v));
}

// Sequence-number arithmetic with wraparound (RFC 1982 style), for RTP seq and timestamps.
inline bool SeqNewer(uint16_t a, uint16_t b) {
  return a != b && static_cast<uint16_t>(a - b) < 0x8000;
}
inline bool TimestampNewer(uint32_t a, uint32_t b) {
  return a != b && static_cast<uint32_t>(a - b) < 0x80000000u;
}

}  // namespace tributary::base
