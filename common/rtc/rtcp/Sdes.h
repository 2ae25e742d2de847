#pragma once

// Source description (RFC 3550 6.5), PT 202: chunks of an SSRC and its items, of which WebRTC
// uses only CNAME. Parsing checks every chunk and item; a parsed packet serializes its body
// byte for byte (other items and trailing null words included), a built one writes one CNAME
// item per chunk, ended by 1 to 4 null octets as RFC 3550 asks.
//
//   chunk: |  SSRC/CSRC  | type | length | text ... | ... | 0 (end) | 0-padding to 32 bits |

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tributary::rtc::rtcp {

struct SdesChunk {
  uint32_t ssrc = 0;
  std::string_view cname;  // empty when the chunk has none; at most 255 bytes
};

class Sdes {
 public:
  static constexpr uint8_t kEndItem = 0;
  static constexpr uint8_t kCnameItem = 1;

  static std::optional<Sdes> Parse(std::span<const uint8_t> packet);
  size_t Serialize(std::span<uint8_t> out) const;
  size_t SerializedSize() const;

  size_t ChunkCount() const { return count_; }
  // Calls `f(const SdesChunk&)` for each chunk in order. Views point into the parsed bytes or
  // the caller's chunks.
  template <typename F>
  void ForEachChunk(F&& f) const {
    if (wire_.data() == nullptr) {
      for (const SdesChunk& chunk : chunks_)
        f(chunk);
      return;
    }
    size_t pos = 0;
    SdesChunk chunk;
    for (size_t i = 0; i < count_ && ReadChunk(wire_, pos, chunk); ++i)
      f(chunk);
  }
  // The CNAME of `ssrc`'s chunk, if any.
  std::optional<std::string_view> CnameOf(uint32_t ssrc) const;

  // At most 31 chunks with CNAMEs of at most 255 bytes (else Serialize returns 0). The chunks
  // and their strings must outlive this object.
  void SetChunks(std::span<const SdesChunk> chunks) {
    wire_ = {};
    chunks_ = chunks;
    count_ = chunks.size();
  }

  // Reads the chunk at `pos` of `chunks` and moves `pos` to the next one; false when it is
  // malformed or runs past the end.
  static bool ReadChunk(std::span<const uint8_t> chunks, size_t& pos, SdesChunk& chunk);

 private:
  std::span<const uint8_t> wire_;  // the chunks of a parsed packet
  std::span<const SdesChunk> chunks_;
  size_t count_ = 0;
};

}  // namespace tributary::rtc::rtcp
