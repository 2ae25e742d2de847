#include "rtc/rtcp/ReceiverReport.h"

#include "base/ByteIo.h"
#include "rtc/rtcp/RtcpPacket.h"

namespace tributary::rtc::rtcp {

std::optional<ReceiverReport> ReceiverReport::Parse(std::span<const uint8_t> packet) {
  auto header = RtcpPacket::Parse(packet);
  if (!header || !header->Is(RtcpType::kReceiverReport)) return std::nullopt;
  const auto body = header->Body();
  const size_t blocks_size = header->Count() * ReportBlock::kWireSize;
  if (body.size() < 4 || body.size() - 4 < blocks_size) return std::nullopt;
  ReceiverReport report;
  report.sender_ssrc_ = base::Read32(body.data());
  report.report_blocks_ = RtcpList<ReportBlock>::FromWire(body.subspan(4, blocks_size));
  return report;
}

size_t ReceiverReport::SerializedSize() const {
  return RtcpPacket::kHeaderSize + 4 + report_blocks_.WireSize();
}

size_t ReceiverReport::Serialize(std::span<uint8_t> out) const {
  const size_t size = SerializedSize();
  if (report_blocks_.size() > RtcpPacket::kMaxCount || out.size() < size) return 0;
  uint8_t* p = out.data();
  RtcpPacket::WriteHeader(p, static_cast<uint8_t>(report_blocks_.size()), RtcpType::kReceiverReport,
                          size);
  base::Write32(p + RtcpPacket::kHeaderSize, sender_ssrc_);
  report_blocks_.Write(p + RtcpPacket::kHeaderSize + 4);
  return size;
}

}  // namespace tributary::rtc::rtcp
