#pragma once

// Reception statistics of one incoming RTP stream (one SSRC), as RFC 3550 appendix A computes
// them, for the report blocks of our receiver reports:
//   A.1  sequence validation: the extended highest sequence number (cycles + max), MAX_DROPOUT
//        3000 and MAX_MISORDER 100; a jump beyond them is taken as a restart once the next
//        packet follows it (no MIN_SEQUENTIAL probation: the SSRC was signalled, or latched from
//        its MID, before the first packet gets here);
//   A.3  cumulative packets lost (expected - received, signed 24 bits, duplicates may make it
//        negative) and the fraction lost since the previous report;
//   A.8  interarrival jitter, J += (|D| - J) / 16 in RTP timestamp units, kept scaled by 16 as
//        the appendix does. Like libwebrtc, only in-order packets that start a new timestamp
//        update it (the packets of one video frame share a timestamp but leave the sender
//        paced, which is no network jitter), and never retransmissions;
//   LSR/DLSR from the last sender report received (6.4.1).
// Times are monotonic microseconds (base::NowUs()). One thread.

#include <cstddef>
#include <cstdint>

#include "rtc/rtcp/ReportBlock.h"
#include "rtc/rtcp/SenderReport.h"

namespace tributary::sfu {

class RtpStreamReceiver {
 public:
  static constexpr uint32_t kMaxDropout = 3000;
  static constexpr uint32_t kMaxMisorder = 100;

  enum class SeqStatus : uint8_t {
    kInOrder,    // advanced the highest sequence number
    kReordered,  // older than the highest, or a duplicate (within MAX_MISORDER)
    kJump,       // a very large jump: not counted; a restart if the next packet follows it
    kRestarted,  // the jump confirmed: statistics start over from this packet
  };

  RtpStreamReceiver(uint32_t ssrc, uint32_t clock_rate);

  // A media packet (not one recovered through RTX).
  SeqStatus ReceivePacket(uint16_t seq, uint32_t timestamp, size_t bytes, uint64_t arrival_us);
  // A media packet the caller knows to be a late one of the current sequence (older than the
  // highest, inside the window it still tracks): counted as received like a reordered packet,
  // however far behind it is, so that it never starts the jump/restart detection of A.1.
  void ReceiveLatePacket(size_t bytes);
  // A packet recovered through RTX: it counts as received, nothing else.
  void ReceiveRecoveredPacket(size_t bytes);
  void ReceiveSenderReport(const rtc::rtcp::SenderReport& report, uint64_t arrival_us);

  bool HasReceived() const { return started_; }
  // The report block for our next RR; resets the interval of the fraction lost.
  rtc::rtcp::ReportBlock MakeReportBlock(uint64_t now_us);

  uint32_t Ssrc() const { return ssrc_; }
  uint32_t ClockRate() const { return clock_rate_; }
  uint32_t ExtendedHighestSeq() const { return cycles_ + max_seq_; }
  uint32_t Expected() const { return started_ ? ExtendedHighestSeq() - base_seq_ + 1 : 0; }
  uint32_t Received() const { return received_; }
  int64_t CumulativeLost() const {
    return static_cast<int64_t>(Expected()) - static_cast<int64_t>(received_);
  }
  // Interarrival jitter in RTP timestamp units.
  uint32_t Jitter() const { return jitter_q4_ >> 4; }
  uint64_t Packets() const { return packets_; }
  uint64_t Bytes() const { return bytes_; }
  uint64_t RecoveredPackets() const { return recovered_packets_; }
  bool HasSenderReport() const { return have_sr_; }
  uint64_t LastSenderReportNtp() const { return last_sr_ntp_; }
  uint32_t LastSenderReportRtpTimestamp() const { return last_sr_rtp_timestamp_; }

 private:
  void InitSeq(uint16_t seq);
  void UpdateJitter(uint32_t timestamp, uint64_t arrival_us);

  const uint32_t ssrc_;
  const uint32_t clock_rate_;

  bool started_ = false;
  uint16_t max_seq_ = 0;
  uint32_t cycles_ = 0;  // shifted count of wraparounds
  uint32_t base_seq_ = 0;
  uint32_t bad_seq_ = 0;
  uint32_t received_ = 0;
  uint32_t expected_prior_ = 0;
  uint32_t received_prior_ = 0;

  bool have_transit_ = false;
  uint64_t first_arrival_us_ = 0;  // origin of the arrival clock in RTP units
  uint32_t last_transit_ = 0;
  uint32_t last_timestamp_ = 0;
  uint32_t jitter_q4_ = 0;

  bool have_sr_ = false;
  uint64_t last_sr_ntp_ = 0;
  uint32_t last_sr_rtp_timestamp_ = 0;
  uint64_t last_sr_arrival_us_ = 0;

  uint64_t packets_ = 0;
  uint64_t bytes_ = 0;
  uint64_t recovered_packets_ = 0;
};

}  // namespace tributary::sfu
