#include "sfu/RtpStreamSender.h"

#include "base/ByteIo.h"
#include "base/Clock.h"

namespace tributary::sfu {

RtpStreamSender::RtpStreamSender(uint32_t ssrc, uint32_t clock_rate)
    : ssrc_(ssrc), clock_rate_(clock_rate) {}

void RtpStreamSender::OnPacketSent(uint32_t timestamp, size_t payload_bytes, uint64_t now_us) {
  if (!have_sent_ || base::TimestampNewer(timestamp, last_timestamp_)) {
    last_timestamp_ = timestamp;
    last_timestamp_us_ = now_us;
  }
  have_sent_ = true;
  ++packets_;
  octets_ += payload_bytes;
}

void RtpStreamSender::OnRetransmissionSent(size_t payload_bytes) {
  ++packets_;
  ++retransmitted_packets_;
  octets_ += payload_bytes;
}

rtc::rtcp::SenderReport RtpStreamSender::MakeSenderReport(uint64_t now_us, uint64_t now_ntp) {
  rtc::rtcp::SenderReport report;
  report.SetSenderSsrc(ssrc_);
  report.SetNtpTimestamp(now_ntp);
  const uint64_t elapsed_us = now_us > last_timestamp_us_ ? now_us - last_timestamp_us_ : 0;
  report.SetRtpTimestamp(last_timestamp_ +
                         static_cast<uint32_t>(elapsed_us * clock_rate_ / 1000000));
  report.SetPacketCount(static_cast<uint32_t>(packets_));
  report.SetOctetCount(static_cast<uint32_t>(octets_));
  return report;
}

void RtpStreamSender::ReceiveReportBlock(const rtc::rtcp::ReportBlock& block, uint64_t now_ntp) {
  ++reports_received_;
  fraction_lost_ = block.fraction_lost;
  cumulative_lost_ = block.cumulative_lost;
  jitter_ = block.jitter;
  if (block.last_sr == 0) return;  // no SR received yet
  const uint32_t rtt = base::NtpCompact(now_ntp) - block.last_sr - block.delay_since_last_sr;
  if (rtt >= 0x80000000u) return;  // negative: clocks or a bogus report
  rtt_us_ = static_cast<uint64_t>(rtt) * 1000000 / 65536;
}

}  // namespace tributary::sfu
