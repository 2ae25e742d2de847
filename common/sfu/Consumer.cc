#include "sfu/Consumer.h"

#include <algorithm>

#include "base/Random.h"
#include "rtc/RtpExtensionValue.h"
#include "rtc/RtpPacketBuilder.h"
#include "rtc/RtxPacket.h"
#include "rtc/rtcp/RtcpWriter.h"
#include "rtc/rtcp/Sdes.h"
#include "sfu/Producer.h"

namespace tributary::sfu {

namespace {

uint32_t ClockRateOf(const ConsumerParameters& params) {
  if (!params.codecs.empty() && params.codecs[0].clock_rate != 0) {
    return params.codecs[0].clock_rate;
  }
  return params.kind == rtc::MediaKind::kAudio ? 48000 : 90000;
}

constexpr uint64_t kMinResendIntervalMs = 20;  // until an RTT is known
constexpr size_t kRtcpBufferSize = 1200;

}  // namespace

Consumer::Consumer(ConsumerParameters params, RtpSender& sender, RtcpSink& rtcp, Listener& listener,
                   Options options)
    : params_(std::move(params)),
      sender_(sender),
      rtcp_(rtcp),
      listener_(listener),
      options_(options),
      rewriter_(ClockRateOf(params_)),
      stream_(params_.ssrc, ClockRateOf(params_)),
      rtx_seq_(static_cast<uint16_t>(base::RandomU32())) {
  const RtpExtensionIds ids = RtpExtensionIds::From(params_.extensions);
  mid_id_ = params_.mid.empty() ? 0 : ids.mid;
  abs_send_time_id_ = ids.abs_send_time;
}

void Consumer::SetProducer(Producer* producer, uint64_t now_ms) {
  producer_ = producer;
  epoch_ = 0;
  waiting_keyframe_ = false;
  if (producer_ != nullptr && IsVideo()) {
    waiting_keyframe_ = true;
    RequestKeyframe(KeyframeRequestReason::kConsumerJoined, now_ms);
  }
}

void Consumer::RequestKeyframe(KeyframeRequestReason reason, uint64_t now_ms) {
  wait_reason_ = reason;
  last_keyframe_request_ms_ = now_ms;
  ++counters_.keyframe_requests;
  listener_.OnConsumerKeyframeRequest(*this, reason, now_ms);
}

void Consumer::BuildMappings() {
  payload_map_.fill(PayloadMapping{});
  extension_map_.fill(0);
  if (producer_ == nullptr) return;
  const ProducerParameters& source = producer_->Parameters();
  for (const RtpCodecParameters& codec : source.codecs) {
    if (codec.payload_type >= 128) continue;
    for (const RtpCodecParameters& mine : params_.codecs) {
      if (!codec.SameFormat(mine)) continue;
      PayloadMapping& map = payload_map_[codec.payload_type];
      map.valid = true;
      map.payload_type = mine.payload_type;
      map.rtx = mine.rtx_payload_type.has_value() && params_.rtx_ssrc != 0;
      map.rtx_payload_type = mine.rtx_payload_type.value_or(0);
      break;
    }
  }
  for (const RtpHeaderExtensionParameters& extension : source.extensions) {
    switch (extension.Kind()) {
      case rtc::RtpExtensionKind::kMid:              // ours is written instead
      case rtc::RtpExtensionKind::kAbsSendTime:      // ours is written instead
      case rtc::RtpExtensionKind::kTransportWideCc:  // the publisher's transport only
      case rtc::RtpExtensionKind::kRid:              // the publisher's stream ids
      case rtc::RtpExtensionKind::kRepairedRid:
        continue;
      default:
        break;
    }
    for (const RtpHeaderExtensionParameters& mine : params_.extensions) {
      if (mine.uri == extension.uri) {
        extension_map_[extension.id] = mine.id;
        break;
      }
    }
  }
}

void Consumer::OnSourceEpoch(uint32_t epoch, uint64_t now_ms) {
  const bool switched = epoch_ != 0;
  epoch_ = epoch;
  BuildMappings();
  if (switched) {
    ++counters_.source_switches;
    if (IsVideo()) {
      waiting_keyframe_ = true;
      RequestKeyframe(KeyframeRequestReason::kSourceSwitched, now_ms);
    }
  }
}

size_t Consumer::WritePacket(const rtc::RtpPacket& packet, uint8_t payload_type, uint16_t seq,
                             uint32_t timestamp, uint64_t now_us, std::span<uint8_t> out) const {
  rtc::RtpPacketBuilder builder(out);
  builder.CopyHeader(packet);
  builder.SetPayloadType(payload_type);
  builder.SetSequenceNumber(seq);
  builder.SetTimestamp(timestamp);
  builder.SetSsrc(params_.ssrc);
  if (mid_id_ != 0) {
    builder.AddExtension(mid_id_, rtc::RtpExtensionValue::EncodeSdesString(params_.mid));
  }
  if (abs_send_time_id_ != 0) {
    const auto value = rtc::RtpExtensionValue::EncodeAbsSendTime(
        rtc::RtpExtensionValue::AbsSendTimeFromUs(now_us));
    builder.AddExtension(abs_send_time_id_, value);
  }
  builder.CopyExtensions(packet, extension_map_);
  const auto payload = packet.Payload();
  const uint8_t padding = payload.empty() ? static_cast<uint8_t>(packet.PaddingSize()) : 0;
  return builder.Finish(payload, padding);
}

void Consumer::SendRtpPacket(const MediaPacket& packet) {
  if (producer_ == nullptr) {
    ++counters_.drops.no_producer;
    return;
  }
  const uint64_t now_us = packet.ArrivalUs();
  const uint32_t epoch = packet.SourceEpoch();
  if (epoch < epoch_) {
    ++counters_.drops.stale;
    return;
  }
  if (epoch != epoch_) OnSourceEpoch(epoch, now_us / 1000);

  const rtc::RtpPacket& rtp = packet.Rtp();
  const PayloadMapping& map = payload_map_[rtp.PayloadType()];
  if (!map.valid) {
    rewriter_.Drop(packet.ExtendedSeq(), epoch);
    ++counters_.drops.unsupported_codec;
    return;
  }
  if (waiting_keyframe_) {
    if (!packet.IsKeyframe()) {
      ++counters_.drops.keyframe_wait;
      return;
    }
    waiting_keyframe_ = false;
  }
  // Padding carries nothing for the viewer; skip it when the numbering can close up behind it.
  if (packet.IsPaddingOnly() && rewriter_.Drop(packet.ExtendedSeq(), epoch)) {
    ++counters_.drops.padding;
    return;
  }
  const auto out = rewriter_.Forward(packet.ExtendedSeq(), rtp.Timestamp(), epoch, now_us);
  if (!out) {
    ++counters_.drops.stale;
    return;
  }
  const std::span<uint8_t> slot = sender_.PrepareSend();
  if (slot.empty()) {
    ++counters_.drops.send_unavailable;
    return;
  }
  const size_t size = WritePacket(rtp, map.payload_type, out->seq, out->timestamp, now_us, slot);
  if (size == 0) {
    ++counters_.drops.too_large;
    return;
  }
  if (!sender_.CommitSend(size)) {
    ++counters_.drops.send_failed;
    return;
  }
  stream_.OnPacketSent(out->timestamp, rtp.Payload().size(), now_us);
  ++counters_.rtp_packets_out;
  counters_.rtp_bytes_out += size;
}

void Consumer::ReceiveNack(const rtc::rtcp::Nack& nack, uint64_t now_ms) {
  ++counters_.nack_packets_in;
  nack.ForEachLostSequence([&](uint16_t seq) {
    ++counters_.nack_seqs_in;
    Retransmit(seq, now_ms);
  });
}

void Consumer::Retransmit(uint16_t seq, uint64_t now_ms) {
  if (producer_ == nullptr || !rewriter_.Started(producer_->SourceEpoch())) {
    ++counters_.nack_misses;
    return;
  }
  const auto source = rewriter_.ToSource(seq);
  const MediaPacket* packet = source ? producer_->Cache().Get(*source) : nullptr;
  if (packet == nullptr) {
    ++counters_.nack_misses;
    return;
  }
  const rtc::RtpPacket& rtp = packet->Rtp();
  const PayloadMapping& map = payload_map_[rtp.PayloadType()];
  if (!map.valid) {
    ++counters_.nack_misses;
    return;
  }
  ResendRecord& record = resent_[seq % kResendRecords];
  const auto rtt_us = stream_.RttUs();
  const uint64_t interval_ms = rtt_us ? *rtt_us / 1000 : kMinResendIntervalMs;
  const uint32_t now32 = static_cast<uint32_t>(now_ms);
  if (record.used && record.seq == seq && now32 - record.sent_ms < interval_ms) {
    ++counters_.nack_throttled;
    return;
  }
  const std::span<uint8_t> slot = sender_.PrepareSend();
  if (slot.size() <= rtc::RtxPacket::kOsnSize) {
    ++counters_.drops.send_unavailable;
    return;
  }
  const uint32_t timestamp = rewriter_.MapTimestamp(rtp.Timestamp());
  const uint64_t now_us = now_ms * 1000;
  size_t size = 0;
  if (map.rtx) {
    // The rewritten original first, then encapsulated in place (RtxPacket allows it).
    const size_t original = WritePacket(rtp, map.payload_type, seq, timestamp, now_us,
                                        slot.first(slot.size() - rtc::RtxPacket::kOsnSize));
    const auto view = original != 0 ? rtc::RtpPacket::Parse(slot.first(original)) : std::nullopt;
    if (view) {
      size = rtc::RtxPacket::Encapsulate(*view, map.rtx_payload_type, params_.rtx_ssrc, rtx_seq_,
                                         slot);
    }
  } else {
    size = WritePacket(rtp, map.payload_type, seq, timestamp, now_us, slot);
  }
  if (size == 0) {
    ++counters_.drops.too_large;
    return;
  }
  if (!sender_.CommitSend(size)) {
    ++counters_.drops.send_failed;
    return;
  }
  if (map.rtx) {
    ++rtx_seq_;
  } else {
    stream_.OnRetransmissionSent(rtp.Payload().size());
  }
  record = ResendRecord{true, seq, now32};
  ++counters_.retransmissions;
  counters_.retransmitted_bytes += size;
}

void Consumer::ReceivePli(uint64_t now_ms) {
  ++counters_.pli_in;
  if (IsVideo() && producer_ != nullptr) RequestKeyframe(KeyframeRequestReason::kViewerPli, now_ms);
}

void Consumer::ReceiveFir(const rtc::rtcp::Fir& fir, uint64_t now_ms) {
  for (const rtc::rtcp::FirEntry entry : fir.Entries()) {
    if (entry.ssrc != params_.ssrc) continue;
    ++counters_.fir_in;
    // RFC 5104 4.3.1.2: a repeated sequence number is the same request again.
    if (have_fir_seq_ && entry.seq_nr == last_fir_seq_) continue;
    have_fir_seq_ = true;
    last_fir_seq_ = entry.seq_nr;
    if (IsVideo() && producer_ != nullptr) {
      RequestKeyframe(KeyframeRequestReason::kViewerFir, now_ms);
    }
  }
}

void Consumer::ReceiveReceiverReport(const rtc::rtcp::ReportBlock& block, uint64_t /*now_ms*/) {
  if (block.ssrc != params_.ssrc) return;
  ++counters_.receiver_reports_in;
  stream_.ReceiveReportBlock(block, options_.ntp_clock());
}

void Consumer::Tick(uint64_t now_ms) {
  if (waiting_keyframe_ && producer_ != nullptr &&
      now_ms >= last_keyframe_request_ms_ + options_.keyframe_retry_ms) {
    RequestKeyframe(wait_reason_, now_ms);
  }
  if (stream_.HasSent() && now_ms >= next_report_ms_) SendReport(now_ms);
}

void Consumer::SendReport(uint64_t now_ms) {
  next_report_ms_ = now_ms + options_.rtcp_interval_ms;
  const rtc::rtcp::SenderReport report =
      stream_.MakeSenderReport(now_ms * 1000, options_.ntp_clock());
  const rtc::rtcp::SdesChunk chunk{params_.ssrc, params_.cname};
  rtc::rtcp::Sdes sdes;
  sdes.SetChunks(std::span<const rtc::rtcp::SdesChunk>(&chunk, 1));
  std::array<uint8_t, kRtcpBufferSize> buffer;
  rtc::rtcp::RtcpWriter writer(buffer);
  if (!writer.Append(report)) return;
  if (!params_.cname.empty()) writer.Append(sdes);
  ++counters_.sender_reports_out;
  rtcp_.SendRtcp(writer.Data());
}

}  // namespace tributary::sfu
