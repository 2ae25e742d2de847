#include "rtc/rtcp/Sdes.h"

#include <cstring>

#include "base/ByteIo.h"
#include "rtc/rtcp/RtcpPacket.h"

namespace tributary::rtc::rtcp {

namespace {

size_t ChunkSize(const SdesChunk& chunk) {
  const size_t items = chunk.cname.empty() ? 0 : 2 + chunk.cname.size();
  return (4 + items + 1 + 3) / 4 * 4;  // SSRC, items, end item, padding to 32 bits
}

}  // namespace

bool Sdes::ReadChunk(std::span<const uint8_t> chunks, size_t& pos, SdesChunk& chunk) {
  const size_t size = chunks.size();
  const uint8_t* p = chunks.data();
  if (size - pos < 4) return false;
  chunk.ssrc = base::Read32(p + pos);
  chunk.cname = {};
  size_t at = pos + 4;
  for (;;) {
    if (at >= size) return false;
    const uint8_t type = p[at];
    if (type == kEndItem) break;
    if (size - at < 2 || size - at - 2 < p[at + 1]) return false;
    const size_t length = p[at + 1];
    if (type == kCnameItem && chunk.cname.empty()) {
      chunk.cname = std::string_view(reinterpret_cast<const char*>(p + at + 2), length);
    }
    at += 2 + length;
  }
  // The end item, then null octets up to the next 32-bit boundary.
  const size_t end = (at + 1 + 3) / 4 * 4;
  if (end > size) return false;
  pos = end;
  return true;
}

std::optional<Sdes> Sdes::Parse(std::span<const uint8_t> packet) {
  auto header = RtcpPacket::Parse(packet);
  if (!header || !header->Is(RtcpType::kSdes)) return std::nullopt;
  const auto body = header->Body();
  size_t pos = 0;
  SdesChunk chunk;
  for (size_t i = 0; i < header->Count(); ++i) {
    if (!ReadChunk(body, pos, chunk)) return std::nullopt;
  }
  Sdes sdes;
  // The body's whole words, those after the last chunk included (aiortc ends its chunk with a
  // null item and pads the body, which leaves a null word), so that it reserializes unchanged.
  // Chunks end on word boundaries, so this holds them all. Never null: it points into `packet`.
  sdes.wire_ = body.first(body.size() / 4 * 4);
  sdes.count_ = header->Count();
  return sdes;
}

std::optional<std::string_view> Sdes::CnameOf(uint32_t ssrc) const {
  std::optional<std::string_view> found;
  ForEachChunk([&](const SdesChunk& chunk) {
    if (!found && chunk.ssrc == ssrc && !chunk.cname.empty()) found = chunk.cname;
  });
  return found;
}

size_t Sdes::SerializedSize() const {
  if (wire_.data() != nullptr) return RtcpPacket::kHeaderSize + wire_.size();
  size_t size = RtcpPacket::kHeaderSize;
  for (const SdesChunk& chunk : chunks_)
    size += ChunkSize(chunk);
  return size;
}

size_t Sdes::Serialize(std::span<uint8_t> out) const {
  const size_t size = SerializedSize();
  if (count_ > RtcpPacket::kMaxCount || size > RtcpPacket::kMaxSize || out.size() < size) {
    return 0;
  }
  uint8_t* p = out.data();
  RtcpPacket::WriteHeader(p, static_cast<uint8_t>(count_), RtcpType::kSdes, size);
  p += RtcpPacket::kHeaderSize;
  if (wire_.data() != nullptr) {
    if (!wire_.empty()) std::memmove(p, wire_.data(), wire_.size());
    return size;
  }
  for (const SdesChunk& chunk : chunks_) {
    if (chunk.cname.size() > 255) return 0;
    const size_t chunk_size = ChunkSize(chunk);
    std::memset(p, 0, chunk_size);
    base::Write32(p, chunk.ssrc);
    if (!chunk.cname.empty()) {
      p[4] = kCnameItem;
      p[5] = static_cast<uint8_t>(chunk.cname.size());
      std::memcpy(p + 6, chunk.cname.data(), chunk.cname.size());
    }
    p += chunk_size;
  }
  return size;
}

}  // namespace tributary::rtc::rtcp
