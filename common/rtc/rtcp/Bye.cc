#include "rtc/rtcp/Bye.h"

#include <cstring>

#include "rtc/rtcp/RtcpPacket.h"

namespace tributary::rtc::rtcp {

std::optional<Bye> Bye::Parse(std::span<const uint8_t> packet) {
  auto header = RtcpPacket::Parse(packet);
  if (!header || !header->Is(RtcpType::kBye)) return std::nullopt;
  const auto body = header->Body();
  const size_t ssrcs_size = header->Count() * 4;
  if (body.size() < ssrcs_size) return std::nullopt;
  Bye bye;
  bye.ssrcs_ = RtcpList<uint32_t>::FromWire(body.first(ssrcs_size));
  const auto rest = body.subspan(ssrcs_size);
  if (!rest.empty()) {
    const size_t length = rest[0];
    if (rest.size() - 1 < length) return std::nullopt;
    bye.reason_ = std::string_view(reinterpret_cast<const char*>(rest.data() + 1), length);
  }
  return bye;
}

size_t Bye::SerializedSize() const {
  const size_t reason = reason_.empty() ? 0 : (1 + reason_.size() + 3) / 4 * 4;
  return RtcpPacket::kHeaderSize + ssrcs_.WireSize() + reason;
}

size_t Bye::Serialize(std::span<uint8_t> out) const {
  const size_t size = SerializedSize();
  if (ssrcs_.size() > RtcpPacket::kMaxCount || reason_.size() > 255 || out.size() < size) return 0;
  uint8_t* p = out.data();
  RtcpPacket::WriteHeader(p, static_cast<uint8_t>(ssrcs_.size()), RtcpType::kBye, size);
  p += RtcpPacket::kHeaderSize;
  ssrcs_.Write(p);
  p += ssrcs_.WireSize();
  if (!reason_.empty()) {
    const size_t reason_size = size - RtcpPacket::kHeaderSize - ssrcs_.WireSize();
    std::memset(p, 0, reason_size);
    p[0] = static_cast<uint8_t>(reason_.size());
    std::memcpy(p + 1, reason_.data(), reason_.size());
  }
  return size;
}

}  // namespace tributary::rtc::rtcp
