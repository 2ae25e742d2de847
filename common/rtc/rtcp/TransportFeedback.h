#pragma once

// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
// 3.1), RTPFB FMT 15: the arrival status of a range of transport-wide sequence numbers, as
// packet chunks followed by receive deltas. This class is the parsed view (and re-serializes
// it); TransportFeedbackBuilder writes new ones.
//
//   |      base sequence number     |      packet status count      |
//   |                 reference time                | fb pkt. count |
//   |          packet chunk         |         packet chunk          |  ...
//   |  recv delta   |  recv delta   | ...  (zero padding to 32 bits)
//
// Chunks: run length |0|S S|run length (13)|, status vector |1|0|14 x 1-bit| or |1|1|7 x 2-bit|,
// symbols 0 not received, 1 received with a 1-byte delta (0..63.75 ms), 2 received with a
// signed 2-byte delta; deltas in 250 us ticks, the first relative to the reference time
// (64 ms units), each next one relative to the previous received packet.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tributary::rtc::rtcp {

struct TransportFeedbackStatus {
  uint16_t seq = 0;
  bool received = false;
  // Receive delta in 250 us ticks; 0 when not received.
  int32_t delta_ticks = 0;
  int64_t DeltaUs() const { return static_cast<int64_t>(delta_ticks) * 250; }
};

class TransportFeedback {
 public:
  static constexpr uint8_t kFormat = 15;
  static constexpr size_t kFixedSize = 20;  // RTCP header, SSRCs, base/count, ref time/count
  static constexpr int64_t kDeltaTickUs = 250;
  static constexpr int64_t kReferenceTimeUnitUs = 64000;

  enum Symbol : uint8_t { kNotReceived = 0, kSmallDelta = 1, kLargeDelta = 2 };

  // Walks every chunk and delta: nothing unless they cover exactly the status count and the
  // deltas their symbols announce (up to 3 zero bytes of padding may follow).
  static std::optional<TransportFeedback> Parse(std::span<const uint8_t> packet);
  size_t Serialize(std::span<uint8_t> out) const;
  size_t SerializedSize() const;

  uint32_t SenderSsrc() const { return sender_ssrc_; }
  uint32_t MediaSsrc() const { return media_ssrc_; }
  uint16_t BaseSequenceNumber() const { return base_seq_; }
  uint16_t PacketStatusCount() const { return status_count_; }
  // 24 bits, in 64 ms units, in the feedback sender's time base (it wraps: compare modulo 2^24).
  uint32_t ReferenceTime() const { return reference_time_; }
  int64_t ReferenceTimeUs() const { return reference_time_ * kReferenceTimeUnitUs; }
  uint8_t FeedbackPacketCount() const { return feedback_packet_count_; }
  size_t ReceivedCount() const { return received_count_; }

  // Walks the statuses in sequence order (PacketStatusCount() of them).
  class Cursor {
   public:
    explicit Cursor(const TransportFeedback& feedback);
    bool Next(TransportFeedbackStatus& status);

   private:
    const TransportFeedback& feedback_;
    size_t chunk_ = 0;      // index of the current chunk
    size_t in_chunk_ = 0;   // statuses of it already read
    size_t delta_pos_ = 0;  // offset into the deltas
    size_t remaining_ = 0;  // statuses left
    uint16_t seq_ = 0;
  };
  // Calls `f(const TransportFeedbackStatus&)` for each status in sequence order.
  template <typename F>
  void ForEachPacket(F&& f) const {
    Cursor cursor(*this);
    TransportFeedbackStatus status;
    while (cursor.Next(status))
      f(status);
  }

  // An SFU rewrites these when it relays feedback.
  void SetSenderSsrc(uint32_t ssrc) { sender_ssrc_ = ssrc; }
  void SetMediaSsrc(uint32_t ssrc) { media_ssrc_ = ssrc; }

  // The symbol of status `index` of chunk `chunk`, and how many statuses a chunk holds.
  static uint8_t ChunkSymbol(uint16_t chunk, size_t index);
  static size_t ChunkCapacity(uint16_t chunk);

 private:
  uint32_t sender_ssrc_ = 0;
  uint32_t media_ssrc_ = 0;
  uint16_t base_seq_ = 0;
  uint16_t status_count_ = 0;
  uint32_t reference_time_ = 0;
  uint8_t feedback_packet_count_ = 0;
  size_t received_count_ = 0;
  std::span<const uint8_t> chunks_;  // 2 bytes each
  std::span<const uint8_t> deltas_;
};

}  // namespace tributary::rtc::rtcp
