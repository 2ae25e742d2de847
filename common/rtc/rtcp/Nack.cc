#include "rtc/rtcp/Nack.h"

#include "rtc/rtcp/FeedbackHeader.h"

namespace tributary::rtc::rtcp {

std::optional<Nack> Nack::Parse(std::span<const uint8_t> packet) {
  auto header = FeedbackHeader::Parse(packet, RtcpType::kRtpFeedback, kFormat);
  if (!header || header->fci.size() < NackItem::kWireSize) return std::nullopt;
  Nack nack;
  nack.sender_ssrc_ = header->sender_ssrc;
  nack.media_ssrc_ = header->media_ssrc;
  nack.items_ = RtcpList<NackItem>::FromWire(header->fci);
  return nack;
}

size_t Nack::SerializedSize() const {
  return FeedbackHeader::kSize + items_.WireSize();
}

size_t Nack::Serialize(std::span<uint8_t> out) const {
  const size_t size = SerializedSize();
  if (items_.empty() || size > RtcpPacket::kMaxSize || out.size() < size) return 0;
  FeedbackHeader::Write(out.data(), RtcpType::kRtpFeedback, kFormat, size, sender_ssrc_,
                        media_ssrc_);
  items_.Write(out.data() + FeedbackHeader::kSize);
  return size;
}

size_t Nack::PackLostSequences(std::span<const uint16_t> lost, std::span<NackItem> items) {
  size_t count = 0;
  for (const uint16_t seq : lost) {
    if (count > 0) {
      NackItem& last = items[count - 1];
      const uint16_t distance = static_cast<uint16_t>(seq - last.pid);
      if (distance == 0) continue;
      if (distance <= 16) {
        last.blp = static_cast<uint16_t>(last.blp | (1u << (distance - 1)));
        continue;
      }
    }
    if (count == items.size()) return 0;
    items[count++] = NackItem{seq, 0};
  }
  return count;
}

}  // namespace tributary::rtc::rtcp
