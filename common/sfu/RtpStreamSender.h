#pragma once

// Sending statistics of one outgoing RTP stream (one SSRC), for our sender reports (RFC 3550
// 6.4.1) and for what the receiver's reports say back:
//   - packet and payload octet counts (the SR's counts: every packet sent on the SSRC, payload
//     octets only, modulo 2^32);
//   - the NTP <-> RTP timestamp mapping: the SR's RTP timestamp is the last sent packet's
//     timestamp advanced by the time elapsed since it was sent, times the clock rate;
//   - from report blocks: fraction and cumulative lost, jitter, and the round-trip time
//     A - LSR - DLSR (A the arrival of the report on our NTP clock, all in 1/65536 s).
// Times: `now_us` monotonic (base::NowUs()), `now_ntp` our 64-bit NTP wall clock
// (base::NtpNow()); the SR's NTP timestamp and A come from the same clock. One thread.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "rtc/rtcp/ReportBlock.h"
#include "rtc/rtcp/SenderReport.h"

namespace tributary::sfu {

class RtpStreamSender {
 public:
  RtpStreamSender(uint32_t ssrc, uint32_t clock_rate);

  // A media packet went out (advances the timestamp mapping when its timestamp is newer).
  void OnPacketSent(uint32_t timestamp, size_t payload_bytes, uint64_t now_us);
  // A retransmission went out on this same SSRC (no RTX): counted, no mapping change.
  void OnRetransmissionSent(size_t payload_bytes);

  bool HasSent() const { return have_sent_; }
  // The sender info (no report blocks: we receive nothing on this stream).
  rtc::rtcp::SenderReport MakeSenderReport(uint64_t now_us, uint64_t now_ntp);
  // A report block about this SSRC from the receiver.
  void ReceiveReportBlock(const rtc::rtcp::ReportBlock& block, uint64_t now_ntp);

  uint32_t Ssrc() const { return ssrc_; }
  uint32_t ClockRate() const { return clock_rate_; }
  uint64_t PacketsSent() const { return packets_; }
  uint64_t OctetsSent() const { return octets_; }
  uint64_t RetransmittedPackets() const { return retransmitted_packets_; }
  // Nothing until a report block with an LSR came back.
  std::optional<uint64_t> RttUs() const { return rtt_us_; }
  uint8_t FractionLost() const { return fraction_lost_; }
  int32_t CumulativeLost() const { return cumulative_lost_; }
  uint32_t Jitter() const { return jitter_; }
  uint64_t ReportsReceived() const { return reports_received_; }

 private:
  const uint32_t ssrc_;
  const uint32_t clock_rate_;
  bool have_sent_ = false;
  uint32_t last_timestamp_ = 0;
  uint64_t last_timestamp_us_ = 0;  // when the packet carrying last_timestamp_ went out
  uint64_t packets_ = 0;
  uint64_t octets_ = 0;
  uint64_t retransmitted_packets_ = 0;

  std::optional<uint64_t> rtt_us_;
  uint8_t fraction_lost_ = 0;
  int32_t cumulative_lost_ = 0;
  uint32_t jitter_ = 0;
  uint64_t reports_received_ = 0;
};

}  // namespace tributary::sfu
