#include "rtc/rtcp/TransportFeedbackBuilder.h"

#include <algorithm>
#include <cstring>

#include "base/ByteIo.h"
#include "rtc/rtcp/FeedbackHeader.h"

namespace tributary::rtc::rtcp {

namespace {

constexpr size_t kMaxRunLength = 0x1FFF;
constexpr size_t kOneBitCapacity = 14;
constexpr size_t kTwoBitCapacity = 7;

int64_t FloorDiv(int64_t value, int64_t divisor) {
  const int64_t quotient = value / divisor;
  return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

uint16_t RunChunk(uint8_t symbol, size_t length) {
  return static_cast<uint16_t>((symbol << 13) | length);
}

uint16_t OneBitChunk(const uint8_t* symbols, size_t count) {
  uint16_t chunk = 0x8000;
  for (size_t i = 0; i < count; ++i)
    chunk |= static_cast<uint16_t>(symbols[i] << (13 - i));
  return chunk;
}

uint16_t TwoBitChunk(const uint8_t* symbols, size_t count) {
  uint16_t chunk = 0xC000;
  for (size_t i = 0; i < count; ++i)
    chunk |= static_cast<uint16_t>(symbols[i] << (12 - 2 * i));
  return chunk;
}

}  // namespace

// A run chunk takes any number of one symbol (up to 8191), a 2-bit vector any 7 symbols, a
// 1-bit vector 14 symbols without large deltas.
bool TransportFeedbackBuilder::ChunkEncoder::CanAdd(uint8_t symbol) const {
  const size_t n = pending_count;
  if (n < kTwoBitCapacity) return true;
  if (all_same && symbol == run_symbol && n < kMaxRunLength) return true;
  return n < kOneBitCapacity && !has_large && symbol != TransportFeedback::kLargeDelta;
}

void TransportFeedbackBuilder::ChunkEncoder::Append(uint8_t symbol) {
  const size_t n = pending_count;
  if (n < pending.size()) pending[n] = symbol;
  if (n == 0) {
    run_symbol = symbol;
    all_same = true;
    has_large = false;
  } else if (symbol != run_symbol) {
    all_same = false;
  }
  has_large = has_large || symbol == TransportFeedback::kLargeDelta;
  ++pending_count;
}

void TransportFeedbackBuilder::ChunkEncoder::Push(uint16_t chunk,
                                                  std::array<uint16_t, kMaxChunks>& chunks) {
  if (chunk_count == chunks.size()) {
    overflow = true;
    return;
  }
  chunks[chunk_count++] = chunk;
}

// Called when the next symbol fits no chunk kind together with the pending ones: write out
// what the pending statuses make, keeping any that a 2-bit vector leaves over.
void TransportFeedbackBuilder::ChunkEncoder::Emit(std::array<uint16_t, kMaxChunks>& chunks) {
  if (all_same) {
    Push(RunChunk(run_symbol, pending_count), chunks);
    pending_count = 0;
    return;
  }
  // Mixed symbols: at most 14 of them, all of which were stored.
  if (!has_large && pending_count == kOneBitCapacity) {
    Push(OneBitChunk(pending.data(), kOneBitCapacity), chunks);
    pending_count = 0;
    return;
  }
  Push(TwoBitChunk(pending.data(), kTwoBitCapacity), chunks);
  const size_t left = pending_count - kTwoBitCapacity;
  std::array<uint8_t, 14> rest{};
  std::copy_n(pending.begin() + kTwoBitCapacity, left, rest.begin());
  pending_count = 0;
  for (size_t i = 0; i < left; ++i)
    Append(rest[i]);
}

void TransportFeedbackBuilder::ChunkEncoder::Add(uint8_t symbol,
                                                 std::array<uint16_t, kMaxChunks>& chunks) {
  while (!CanAdd(symbol))
    Emit(chunks);
  Append(symbol);
}

void TransportFeedbackBuilder::ChunkEncoder::AddRun(uint8_t symbol, size_t count,
                                                    std::array<uint16_t, kMaxChunks>& chunks) {
  while (count > 0) {
    if (pending_count >= kOneBitCapacity && all_same && run_symbol == symbol &&
        pending_count < kMaxRunLength) {
      // Only a run chunk can hold this many: extend it without storing symbols.
      const size_t take = std::min(count, kMaxRunLength - pending_count);
      pending_count = static_cast<uint16_t>(pending_count + take);
      count -= take;
      continue;
    }
    Add(symbol, chunks);
    --count;
  }
}

uint16_t TransportFeedbackBuilder::ChunkEncoder::PendingChunk() const {
  if (all_same) return RunChunk(run_symbol, pending_count);
  if (!has_large) return OneBitChunk(pending.data(), pending_count);
  return TwoBitChunk(pending.data(), pending_count);
}

TransportFeedbackBuilder::TransportFeedbackBuilder(uint32_t sender_ssrc, uint32_t media_ssrc,
                                                   uint8_t feedback_packet_count,
                                                   size_t max_packet_size)
    : sender_ssrc_(sender_ssrc),
      media_ssrc_(media_ssrc),
      feedback_packet_count_(feedback_packet_count),
      max_packet_size_(std::min(max_packet_size, kMaxPacketSize)) {}

void TransportFeedbackBuilder::Reset(uint8_t feedback_packet_count) {
  feedback_packet_count_ = feedback_packet_count;
  status_count_ = 0;
  received_count_ = 0;
  encoder_ = ChunkEncoder();
  delta_size_ = 0;
}

bool TransportFeedbackBuilder::AddReceivedPacket(uint16_t seq, int64_t arrival_us) {
  const int64_t ticks = FloorDiv(arrival_us, TransportFeedback::kDeltaTickUs);
  size_t missing = 0;
  int64_t reference_ticks = last_ticks_;
  uint32_t reference_time = reference_time_;
  if (Empty()) {
    const int64_t reference = FloorDiv(arrival_us, TransportFeedback::kReferenceTimeUnitUs);
    reference_time = static_cast<uint32_t>(reference) & 0xFFFFFF;
    reference_ticks =
        reference * (TransportFeedback::kReferenceTimeUnitUs / TransportFeedback::kDeltaTickUs);
  } else {
    const uint16_t distance = static_cast<uint16_t>(seq - last_seq_);
    if (distance == 0 || distance >= 0x8000) return false;
    if (static_cast<size_t>(status_count_) + distance > 0xFFFF) return false;
    missing = distance - 1u;
  }
  const int64_t delta = ticks - reference_ticks;
  uint8_t symbol;
  size_t delta_bytes;
  if (delta >= 0 && delta <= 0xFF) {
    symbol = TransportFeedback::kSmallDelta;
    delta_bytes = 1;
  } else if (delta >= INT16_MIN && delta <= INT16_MAX) {
    symbol = TransportFeedback::kLargeDelta;
    delta_bytes = 2;
  } else {
    return false;
  }
  if (delta_size_ + delta_bytes > deltas_.size()) return false;

  const ChunkEncoder saved = encoder_;
  encoder_.AddRun(TransportFeedback::kNotReceived, missing, chunks_);
  encoder_.Add(symbol, chunks_);
  const size_t size =
      (TransportFeedback::kFixedSize + 2 * encoder_.TotalChunks() + delta_size_ + delta_bytes + 3) /
      4 * 4;
  if (encoder_.overflow || size > max_packet_size_) {
    encoder_ = saved;
    return false;
  }
  if (delta_bytes == 1) {
    deltas_[delta_size_] = static_cast<uint8_t>(delta);
  } else {
    base::Write16(deltas_.data() + delta_size_, static_cast<uint16_t>(delta));
  }
  delta_size_ += delta_bytes;
  if (Empty()) base_seq_ = seq;
  reference_time_ = reference_time;
  last_seq_ = seq;
  last_ticks_ = ticks;
  status_count_ = static_cast<uint16_t>(status_count_ + missing + 1);
  ++received_count_;
  return true;
}

size_t TransportFeedbackBuilder::SerializedSize() const {
  return (TransportFeedback::kFixedSize + 2 * encoder_.TotalChunks() + delta_size_ + 3) / 4 * 4;
}

size_t TransportFeedbackBuilder::Serialize(std::span<uint8_t> out) const {
  const size_t size = SerializedSize();
  if (Empty() || out.size() < size) return 0;
  uint8_t* p = out.data();
  FeedbackHeader::Write(p, RtcpType::kRtpFeedback, TransportFeedback::kFormat, size, sender_ssrc_,
                        media_ssrc_);
  p += FeedbackHeader::kSize;
  base::Write16(p, base_seq_);
  base::Write16(p + 2, status_count_);
  base::Write24(p + 4, reference_time_);
  p[7] = feedback_packet_count_;
  p += 8;
  for (size_t i = 0; i < encoder_.chunk_count; ++i, p += 2)
    base::Write16(p, chunks_[i]);
  if (encoder_.pending_count > 0) {
    base::Write16(p, encoder_.PendingChunk());
    p += 2;
  }
  std::memcpy(p, deltas_.data(), delta_size_);
  p += delta_size_;
  std::memset(p, 0, out.data() + size - p);
  return size;
}

}  // namespace tributary::rtc::rtcp
