#include "rtc/rtcp/TransportFeedback.h"

#include <algorithm>
#include <cstring>

#include "base/ByteIo.h"
#include "rtc/rtcp/FeedbackHeader.h"

namespace tributary::rtc::rtcp {

uint8_t TransportFeedback::ChunkSymbol(uint16_t chunk, size_t index) {
  if ((chunk & 0x8000) == 0) return (chunk >> 13) & 0x3;            // run length
  if ((chunk & 0x4000) == 0) return (chunk >> (13 - index)) & 0x1;  // 14 x 1 bit
  return (chunk >> (12 - 2 * index)) & 0x3;                         // 7 x 2 bits
}

size_t TransportFeedback::ChunkCapacity(uint16_t chunk) {
  if ((chunk & 0x8000) == 0) return chunk & 0x1FFF;
  return (chunk & 0x4000) == 0 ? 14 : 7;
}

std::optional<TransportFeedback> TransportFeedback::Parse(std::span<const uint8_t> packet) {
  auto header = FeedbackHeader::Parse(packet, RtcpType::kRtpFeedback, kFormat);
  if (!header || header->fci.size() < 8) return std::nullopt;
  const uint8_t* p = header->fci.data();
  TransportFeedback feedback;
  feedback.sender_ssrc_ = header->sender_ssrc;
  feedback.media_ssrc_ = header->media_ssrc;
  feedback.base_seq_ = base::Read16(p);
  feedback.status_count_ = base::Read16(p + 2);
  feedback.reference_time_ = base::Read24(p + 4);
  feedback.feedback_packet_count_ = p[7];
  if (feedback.status_count_ == 0) return std::nullopt;

  const auto rest = header->fci.subspan(8);
  size_t remaining = feedback.status_count_;
  size_t pos = 0;
  size_t delta_bytes = 0;
  size_t received = 0;
  while (remaining > 0) {
    if (rest.size() - pos < 2) return std::nullopt;
    const uint16_t chunk = base::Read16(rest.data() + pos);
    pos += 2;
    const size_t capacity = ChunkCapacity(chunk);
    if (capacity == 0) return std::nullopt;  // an empty run
    const size_t n = std::min(capacity, remaining);
    if ((chunk & 0x8000) == 0) {
      const uint8_t symbol = ChunkSymbol(chunk, 0);
      if (symbol == 3) return std::nullopt;  // reserved
      delta_bytes += n * symbol;
      received += symbol != kNotReceived ? n : 0;
    } else {
      for (size_t i = 0; i < n; ++i) {
        const uint8_t symbol = ChunkSymbol(chunk, i);
        if (symbol == 3) return std::nullopt;
        delta_bytes += symbol;
        received += symbol != kNotReceived ? 1 : 0;
      }
    }
    remaining -= n;
  }
  if (rest.size() - pos < delta_bytes || rest.size() - pos - delta_bytes > 3) return std::nullopt;
  feedback.chunks_ = rest.first(pos);
  feedback.deltas_ = rest.subspan(pos, delta_bytes);
  feedback.received_count_ = received;
  return feedback;
}

size_t TransportFeedback::SerializedSize() const {
  return (kFixedSize + chunks_.size() + deltas_.size() + 3) / 4 * 4;
}

size_t TransportFeedback::Serialize(std::span<uint8_t> out) const {
  const size_t size = SerializedSize();
  if (size > RtcpPacket::kMaxSize || out.size() < size) return 0;
  uint8_t* p = out.data();
  FeedbackHeader::Write(p, RtcpType::kRtpFeedback, kFormat, size, sender_ssrc_, media_ssrc_);
  p += FeedbackHeader::kSize;
  base::Write16(p, base_seq_);
  base::Write16(p + 2, status_count_);
  base::Write24(p + 4, reference_time_);
  p[7] = feedback_packet_count_;
  p += 8;
  if (!chunks_.empty()) std::memmove(p, chunks_.data(), chunks_.size());
  p += chunks_.size();
  if (!deltas_.empty()) std::memmove(p, deltas_.data(), deltas_.size());
  p += deltas_.size();
  std::memset(p, 0, out.data() + size - p);
  return size;
}

TransportFeedback::Cursor::Cursor(const TransportFeedback& feedback)
    : feedback_(feedback), remaining_(feedback.status_count_), seq_(feedback.base_seq_) {}

bool TransportFeedback::Cursor::Next(TransportFeedbackStatus& status) {
  if (remaining_ == 0) return false;
  // Parse proved that the chunks cover the status count and that the deltas are all there.
  uint16_t chunk = base::Read16(feedback_.chunks_.data() + 2 * chunk_);
  if (in_chunk_ == ChunkCapacity(chunk)) {
    ++chunk_;
    in_chunk_ = 0;
    chunk = base::Read16(feedback_.chunks_.data() + 2 * chunk_);
  }
  const uint8_t symbol = ChunkSymbol(chunk, in_chunk_);
  ++in_chunk_;
  status.seq = seq_++;
  status.received = symbol != kNotReceived;
  status.delta_ticks = 0;
  const uint8_t* deltas = feedback_.deltas_.data();
  if (symbol == kSmallDelta) {
    status.delta_ticks = deltas[delta_pos_];
    delta_pos_ += 1;
  } else if (symbol == kLargeDelta) {
    status.delta_ticks = static_cast<int16_t>(base::Read16(deltas + delta_pos_));
    delta_pos_ += 2;
  }
  --remaining_;
  return true;
}

}  // namespace tributary::rtc::rtcp
