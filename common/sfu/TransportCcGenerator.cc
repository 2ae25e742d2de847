#include "sfu/TransportCcGenerator.h"

#include <array>

#include "rtc/RtpExtensionValue.h"

namespace tributary::sfu {

TransportCcGenerator::TransportCcGenerator(RtcpSink& sink, uint32_t sender_ssrc, Options options)
    : sink_(sink),
      sender_ssrc_(sender_ssrc),
      options_(options),
      builder_(sender_ssrc, 0, 0, options.max_packet_size) {
  if (options_.max_pending == 0) options_.max_pending = 1;
  pending_.reserve(options_.max_pending);
}

void TransportCcGenerator::SetMediaSsrc(uint32_t ssrc) {
  media_ssrc_ = ssrc;
  builder_ = rtc::rtcp::TransportFeedbackBuilder(sender_ssrc_, media_ssrc_, feedback_count_,
                                                 options_.max_packet_size);
}

void TransportCcGenerator::ReceiveRtpPacket(const rtc::RtpPacket& packet, uint64_t arrival_us) {
  if (extension_id_ == 0) return;
  const auto element = packet.FindExtension(extension_id_);
  const auto seq =
      element ? rtc::RtpExtensionValue::ReadTransportWideSeq(element->value) : std::nullopt;
  if (!seq) {
    ++counters_.no_extension;
    return;
  }
  ReceivePacket(*seq, arrival_us);
}

void TransportCcGenerator::ReceivePacket(uint16_t transport_seq, uint64_t arrival_us) {
  const int64_t seq = unwrapper_.Unwrap(transport_seq);
  if (reported_ && seq < next_seq_) {
    ++counters_.late;
    return;
  }
  pending_.push_back(Arrival{seq, static_cast<int64_t>(arrival_us)});
  ++counters_.packets;
  if (pending_.size() >= options_.max_pending) Flush();
}

void TransportCcGenerator::Tick(uint64_t now_ms) {
  if (!ticked_) {
    ticked_ = true;
    last_flush_ms_ = now_ms;
  }
  if (now_ms < last_flush_ms_ + options_.interval_ms) return;
  last_flush_ms_ = now_ms;
  Flush();
}

void TransportCcGenerator::Emit() {
  std::array<uint8_t, rtc::rtcp::TransportFeedbackBuilder::kMaxPacketSize> out;
  const size_t size = builder_.Serialize(out);
  if (size == 0) return;
  sink_.SendRtcp(std::span<const uint8_t>(out.data(), size));
  ++counters_.feedback_packets;
}

void TransportCcGenerator::Flush() {
  if (pending_.empty()) return;
  // Arrivals are nearly in order: insertion sort, no allocation.
  for (size_t i = 1; i < pending_.size(); ++i) {
    const Arrival arrival = pending_[i];
    size_t j = i;
    for (; j > 0 && pending_[j - 1].seq > arrival.seq; --j)
      pending_[j] = pending_[j - 1];
    pending_[j] = arrival;
  }
  builder_.Reset(feedback_count_++);
  const auto add = [&](const Arrival& arrival) {
    const uint16_t seq = static_cast<uint16_t>(arrival.seq);
    if (builder_.AddReceivedPacket(seq, arrival.arrival_us)) return;
    Emit();
    builder_.Reset(feedback_count_++);
    builder_.AddReceivedPacket(seq, arrival.arrival_us);
  };
  if (reported_ && pending_.front().seq > next_seq_) add(last_reported_);
  for (size_t i = 0; i < pending_.size(); ++i) {
    const Arrival& arrival = pending_[i];
    if (i > 0 && arrival.seq == pending_[i - 1].seq) {
      ++counters_.duplicates;
      continue;
    }
    add(arrival);
    last_reported_ = arrival;
  }
  if (!builder_.Empty()) Emit();
  reported_ = true;
  next_seq_ = last_reported_.seq + 1;
  pending_.clear();
}

}  // namespace tributary::sfu
