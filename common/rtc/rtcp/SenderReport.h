#pragma once

// Sender report (RFC 3550 6.4.1), PT 200: sender info and up to 31 report blocks. Bytes after
// the report blocks (profile-specific extensions) are accepted and not kept.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/rtcp/ReportBlock.h"
#include "rtc/rtcp/RtcpList.h"

namespace tributary::rtc::rtcp {

class SenderReport {
 public:
  static constexpr size_t kSenderInfoSize = 24;  // sender SSRC + 20 bytes of sender info

  static std::optional<SenderReport> Parse(std::span<const uint8_t> packet);
  size_t Serialize(std::span<uint8_t> out) const;
  size_t SerializedSize() const;

  uint32_t SenderSsrc() const { return sender_ssrc_; }
  uint64_t NtpTimestamp() const { return ntp_timestamp_; }
  uint32_t RtpTimestamp() const { return rtp_timestamp_; }
  uint32_t PacketCount() const { return packet_count_; }
  uint32_t OctetCount() const { return octet_count_; }
  const RtcpList<ReportBlock>& ReportBlocks() const { return report_blocks_; }

  void SetSenderSsrc(uint32_t ssrc) { sender_ssrc_ = ssrc; }
  void SetNtpTimestamp(uint64_t ntp) { ntp_timestamp_ = ntp; }
  void SetRtpTimestamp(uint32_t timestamp) { rtp_timestamp_ = timestamp; }
  void SetPacketCount(uint32_t count) { packet_count_ = count; }
  void SetOctetCount(uint32_t count) { octet_count_ = count; }
  // At most 31 (more make Serialize return 0). The blocks must outlive this object.
  void SetReportBlocks(std::span<const ReportBlock> blocks) {
    report_blocks_ = RtcpList<ReportBlock>(blocks);
  }

 private:
  uint32_t sender_ssrc_ = 0;
  uint64_t ntp_timestamp_ = 0;
  uint32_t rtp_timestamp_ = 0;
  uint32_t packet_count_ = 0;
  uint32_t octet_count_ = 0;
  RtcpList<ReportBlock> report_blocks_;
};

}  // namespace tributary::rtc::rtcp
