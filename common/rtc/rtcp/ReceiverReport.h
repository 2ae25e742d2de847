#pragma once

// Receiver report (RFC 3550 6.4.2), PT 201: the reporter's SSRC and up to 31 report blocks.
// Bytes after the report blocks (profile-specific extensions) are accepted and not kept.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/rtcp/ReportBlock.h"
#include "rtc/rtcp/RtcpList.h"

namespace tributary::rtc::rtcp {

class ReceiverReport {
 public:
  static std::optional<ReceiverReport> Parse(std::span<const uint8_t> packet);
  size_t Serialize(std::span<uint8_t> out) const;
  size_t SerializedSize() const;

  uint32_t SenderSsrc() const { return sender_ssrc_; }
  const RtcpList<ReportBlock>& ReportBlocks() const { return report_blocks_; }

  void SetSenderSsrc(uint32_t ssrc) { sender_ssrc_ = ssrc; }
  // At most 31 (more make Serialize return 0). The blocks must outlive this object.
  void SetReportBlocks(std::span<const ReportBlock> blocks) {
    report_blocks_ = RtcpList<ReportBlock>(blocks);
  }

 private:
  uint32_t sender_ssrc_ = 0;
  RtcpList<ReportBlock> report_blocks_;
};

}  // namespace tributary::rtc::rtcp
