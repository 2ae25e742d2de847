#include "rtc/rtcp/Pli.h"

#include "rtc/rtcp/FeedbackHeader.h"

namespace tributary::rtc::rtcp {

std::optional<Pli> Pli::Parse(std::span<const uint8_t> packet) {
  auto header = FeedbackHeader::Parse(packet, RtcpType::kPayloadFeedback, kFormat);
  if (!header) return std::nullopt;
  Pli pli;
  pli.sender_ssrc_ = header->sender_ssrc;
  pli.media_ssrc_ = header->media_ssrc;
  return pli;
}

size_t Pli::Serialize(std::span<uint8_t> out) const {
  if (out.size() < kSize) return 0;
  FeedbackHeader::Write(out.data(), RtcpType::kPayloadFeedback, kFormat, kSize, sender_ssrc_,
                        media_ssrc_);
  return kSize;
}

}  // namespace tributary::rtc::rtcp
