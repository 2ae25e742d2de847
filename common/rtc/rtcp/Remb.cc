#include "rtc/rtcp/Remb.h"

#include "rtc/rtcp/FeedbackHeader.h"

namespace tributary::rtc::rtcp {

std::optional<Remb> Remb::Parse(std::span<const uint8_t> packet) {
  auto header = FeedbackHeader::Parse(packet, RtcpType::kPayloadFeedback, kFormat);
  if (!header || header->fci.size() < 8) return std::nullopt;
  const uint8_t* p = header->fci.data();
  if (base::Read32(p) != kIdentifier) return std::nullopt;
  const size_t ssrc_count = p[4];
  const uint8_t exponent = p[5] >> 2;
  const uint32_t mantissa = base::Read24(p + 5) & kMaxMantissa;
  // mantissa << exponent must fit in 64 bits: always true up to 64 - 18 = 46.
  if (exponent > 46 && (static_cast<uint64_t>(mantissa) >> (64 - exponent)) != 0) {
    return std::nullopt;
  }
  if (header->fci.size() - 8 < ssrc_count * 4) return std::nullopt;
  Remb remb;
  remb.sender_ssrc_ = header->sender_ssrc;
  remb.media_ssrc_ = header->media_ssrc;
  remb.exponent_ = exponent;
  remb.mantissa_ = mantissa;
  remb.ssrcs_ = RtcpList<uint32_t>::FromWire(header->fci.subspan(8, ssrc_count * 4));
  return remb;
}

void Remb::SetBitrate(uint64_t bits_per_second) {
  uint8_t exponent = 0;
  while ((bits_per_second >> exponent) > kMaxMantissa)
    ++exponent;
  exponent_ = exponent;
  mantissa_ = static_cast<uint32_t>(bits_per_second >> exponent);
}

size_t Remb::SerializedSize() const {
  return FeedbackHeader::kSize + 8 + ssrcs_.WireSize();
}

size_t Remb::Serialize(std::span<uint8_t> out) const {
  const size_t size = SerializedSize();
  if (ssrcs_.size() > 255 || out.size() < size) return 0;
  uint8_t* p = out.data();
  FeedbackHeader::Write(p, RtcpType::kPayloadFeedback, kFormat, size, sender_ssrc_, media_ssrc_);
  p += FeedbackHeader::kSize;
  base::Write32(p, kIdentifier);
  p[4] = static_cast<uint8_t>(ssrcs_.size());
  base::Write24(p + 5, (static_cast<uint32_t>(exponent_) << 18) | (mantissa_ & kMaxMantissa));
  ssrcs_.Write(p + 8);
  return size;
}

}  // namespace tributary::rtc::rtcp
