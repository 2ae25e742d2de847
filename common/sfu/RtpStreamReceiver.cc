#include "sfu/RtpStreamReceiver.h"

#include <algorithm>

#include "base/Clock.h"

namespace tributary::sfu {

namespace {
constexpr uint32_t kSeqMod = 1u << 16;
}

RtpStreamReceiver::RtpStreamReceiver(uint32_t ssrc, uint32_t clock_rate)
    : ssrc_(ssrc), clock_rate_(clock_rate) {}

void RtpStreamReceiver::InitSeq(uint16_t seq) {
  base_seq_ = seq;
  max_seq_ = seq;
  bad_seq_ = kSeqMod + 1;  // so seq == bad_seq_ is false
  cycles_ = 0;
  received_ = 0;
  received_prior_ = 0;
  expected_prior_ = 0;
  have_transit_ = false;
}

RtpStreamReceiver::SeqStatus RtpStreamReceiver::ReceivePacket(uint16_t seq, uint32_t timestamp,
                                                              size_t bytes, uint64_t arrival_us) {
  ++packets_;
  bytes_ += bytes;
  SeqStatus status;
  if (!started_) {
    started_ = true;
    InitSeq(seq);
    status = SeqStatus::kInOrder;
  } else {
    const uint16_t udelta = static_cast<uint16_t>(seq - max_seq_);
    if (udelta == 0) {
      status = SeqStatus::kReordered;  // a duplicate of the highest
    } else if (udelta < kMaxDropout) {
      if (seq < max_seq_) cycles_ += kSeqMod;
      max_seq_ = seq;
      status = SeqStatus::kInOrder;
    } else if (udelta <= kSeqMod - kMaxMisorder) {
      if (seq != bad_seq_) {
        bad_seq_ = (seq + 1u) & (kSeqMod - 1);
        return SeqStatus::kJump;
      }
      InitSeq(seq);
      status = SeqStatus::kRestarted;
    } else {
      status = SeqStatus::kReordered;
    }
  }
  ++received_;
  if (status != SeqStatus::kReordered) UpdateJitter(timestamp, arrival_us);
  return status;
}

void RtpStreamReceiver::UpdateJitter(uint32_t timestamp, uint64_t arrival_us) {
  if (!have_transit_) {
    have_transit_ = true;
    first_arrival_us_ = arrival_us;
    last_timestamp_ = timestamp;
    last_transit_ = 0u - timestamp;  // arrival 0 in RTP units
    return;
  }
  if (timestamp == last_timestamp_) return;
  const uint64_t elapsed_us = arrival_us >= first_arrival_us_ ? arrival_us - first_arrival_us_ : 0;
  const uint32_t arrival = static_cast<uint32_t>(elapsed_us * clock_rate_ / 1000000);
  const uint32_t transit = arrival - timestamp;
  const int32_t d = static_cast<int32_t>(transit - last_transit_);
  last_transit_ = transit;
  last_timestamp_ = timestamp;
  const uint32_t magnitude =
      d < 0 ? static_cast<uint32_t>(-static_cast<int64_t>(d)) : static_cast<uint32_t>(d);
  jitter_q4_ += magnitude - ((jitter_q4_ + 8) >> 4);
}

void RtpStreamReceiver::ReceiveLatePacket(size_t bytes) {
  ++packets_;
  bytes_ += bytes;
  ++received_;
}

void RtpStreamReceiver::ReceiveRecoveredPacket(size_t bytes) {
  ++received_;
  ++recovered_packets_;
  ++packets_;
  bytes_ += bytes;
}

void RtpStreamReceiver::ReceiveSenderReport(const rtc::rtcp::SenderReport& report,
                                            uint64_t arrival_us) {
  have_sr_ = true;
  last_sr_ntp_ = report.NtpTimestamp();
  last_sr_rtp_timestamp_ = report.RtpTimestamp();
  last_sr_arrival_us_ = arrival_us;
}

rtc::rtcp::ReportBlock RtpStreamReceiver::MakeReportBlock(uint64_t now_us) {
  rtc::rtcp::ReportBlock block;
  block.ssrc = ssrc_;
  if (!started_) return block;
  const uint32_t expected = Expected();
  block.extended_highest_seq = ExtendedHighestSeq();
  block.cumulative_lost = static_cast<int32_t>(
      std::clamp<int64_t>(CumulativeLost(), rtc::rtcp::ReportBlock::kMinCumulativeLost,
                          rtc::rtcp::ReportBlock::kMaxCumulativeLost));
  const uint32_t expected_interval = expected - expected_prior_;
  const uint32_t received_interval = received_ - received_prior_;
  expected_prior_ = expected;
  received_prior_ = received_;
  const int64_t lost_interval =
      static_cast<int64_t>(expected_interval) - static_cast<int64_t>(received_interval);
  if (expected_interval != 0 && lost_interval > 0) {
    block.fraction_lost = static_cast<uint8_t>((lost_interval << 8) / expected_interval);
  }
  block.jitter = Jitter();
  if (have_sr_) {
    block.last_sr = base::NtpCompact(last_sr_ntp_);
    const uint64_t delay_us = now_us > last_sr_arrival_us_ ? now_us - last_sr_arrival_us_ : 0;
    block.delay_since_last_sr = static_cast<uint32_t>(delay_us * 65536 / 1000000);
  }
  return block;
}

}  // namespace tributary::sfu
