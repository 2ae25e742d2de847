#include "rtc/rtcp/SenderReport.h"

#include "base/ByteIo.h"
#include "rtc/rtcp/RtcpPacket.h"

namespace tributary::rtc::rtcp {

std::optional<SenderReport> SenderReport::Parse(std::span<const uint8_t> packet) {
  auto header = RtcpPacket::Parse(packet);
  if (!header || !header->Is(RtcpType::kSenderReport)) return std::nullopt;
  const auto body = header->Body();
  const size_t blocks_size = header->Count() * ReportBlock::kWireSize;
  if (body.size() < kSenderInfoSize || body.size() - kSenderInfoSize < blocks_size) {
    return std::nullopt;
  }
  const uint8_t* p = body.data();
  SenderReport report;
  report.sender_ssrc_ = base::Read32(p);
  report.ntp_timestamp_ = base::Read64(p + 4);
  report.rtp_timestamp_ = base::Read32(p + 12);
  report.packet_count_ = base::Read32(p + 16);
  report.octet_count_ = base::Read32(p + 20);
  report.report_blocks_ =
      RtcpList<ReportBlock>::FromWire(body.subspan(kSenderInfoSize, blocks_size));
  return report;
}

size_t SenderReport::SerializedSize() const {
  return RtcpPacket::kHeaderSize + kSenderInfoSize + report_blocks_.WireSize();
}

size_t SenderReport::Serialize(std::span<uint8_t> out) const {
  const size_t size = SerializedSize();
  if (report_blocks_.size() > RtcpPacket::kMaxCount || out.size() < size) return 0;
  uint8_t* p = out.data();
  RtcpPacket::WriteHeader(p, static_cast<uint8_t>(report_blocks_.size()), RtcpType::kSenderReport,
                          size);
  p += RtcpPacket::kHeaderSize;
  base::Write32(p, sender_ssrc_);
  base::Write64(p + 4, ntp_timestamp_);
  base::Write32(p + 12, rtp_timestamp_);
  base::Write32(p + 16, packet_count_);
  base::Write32(p + 20, octet_count_);
  report_blocks_.Write(p + kSenderInfoSize);
  return size;
}

}  // namespace tributary::rtc::rtcp
