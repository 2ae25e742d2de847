#include "rtc/rtcp/Fir.h"

#include "rtc/rtcp/FeedbackHeader.h"

namespace tributary::rtc::rtcp {

std::optional<Fir> Fir::Parse(std::span<const uint8_t> packet) {
  auto header = FeedbackHeader::Parse(packet, RtcpType::kPayloadFeedback, kFormat);
  if (!header || header->fci.size() < FirEntry::kWireSize) return std::nullopt;
  Fir fir;
  fir.sender_ssrc_ = header->sender_ssrc;
  fir.media_ssrc_ = header->media_ssrc;
  fir.entries_ = RtcpList<FirEntry>::FromWire(header->fci);
  return fir;
}

size_t Fir::SerializedSize() const {
  return FeedbackHeader::kSize + entries_.WireSize();
}

size_t Fir::Serialize(std::span<uint8_t> out) const {
  const size_t size = SerializedSize();
  if (entries_.empty() || size > RtcpPacket::kMaxSize || out.size() < size) return 0;
  FeedbackHeader::Write(out.data(), RtcpType::kPayloadFeedback, kFormat, size, sender_ssrc_,
                        media_ssrc_);
  entries_.Write(out.data() + FeedbackHeader::kSize);
  return size;
}

}  // namespace tributary::rtc::rtcp
