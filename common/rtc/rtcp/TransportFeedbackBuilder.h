#pragma once

// Builds transport-wide congestion control feedback (see TransportFeedback) from the arrival
// times of received packets, choosing the smallest chunk encoding as it goes. Packets are added
// in transport sequence order; the ones in between are reported not received. When a packet
// does not fit (the feedback would exceed its size limit, or its delta the 16-bit range),
// AddReceivedPacket says so and the caller serializes this feedback and starts the next one with
// that packet:
//
//   TransportFeedbackBuilder builder(sender_ssrc, media_ssrc, feedback_count++);
//   for (const auto& [seq, arrival_us] : arrivals) {
//     if (builder.AddReceivedPacket(seq, arrival_us)) continue;
//     writer.Append(builder);
//     builder.Reset(feedback_count++);
//     builder.AddReceivedPacket(seq, arrival_us);
//   }
//
// No allocation: chunks and deltas live in fixed arrays sized for kMaxPacketSize (about 3 KB).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "rtc/rtcp/TransportFeedback.h"

namespace tributary::rtc::rtcp {

class TransportFeedbackBuilder {
 public:
  static constexpr size_t kMaxPacketSize = 1200;

  // `max_packet_size` is clamped to kMaxPacketSize.
  TransportFeedbackBuilder(uint32_t sender_ssrc, uint32_t media_ssrc, uint8_t feedback_packet_count,
                           size_t max_packet_size = kMaxPacketSize);

  // Empties the builder for the next feedback packet (same SSRCs and size limit).
  void Reset(uint8_t feedback_packet_count);

  // Adds a packet received at `arrival_us` (any monotonic microsecond clock; arrivals may go
  // backwards when packets are reordered). False, and nothing changes, when `seq` is not newer
  // than the last packet added, or when the packet does not fit this feedback.
  bool AddReceivedPacket(uint16_t seq, int64_t arrival_us);

  bool Empty() const { return status_count_ == 0; }
  size_t ReceivedCount() const { return received_count_; }
  uint16_t BaseSequenceNumber() const { return base_seq_; }
  uint16_t PacketStatusCount() const { return status_count_; }

  size_t SerializedSize() const;
  // 0 when the buffer is too small or nothing was added.
  size_t Serialize(std::span<uint8_t> out) const;

 private:
  static constexpr size_t kMaxChunks = (kMaxPacketSize - TransportFeedback::kFixedSize) / 2;
  static constexpr size_t kMaxDeltaBytes = kMaxPacketSize - TransportFeedback::kFixedSize;

  // Encodes statuses into chunks as they come. Up to 14 statuses wait in `pending` until no
  // chunk kind can take the next one; then the longest chunk that fits them is emitted.
  struct ChunkEncoder {
    std::array<uint8_t, 14> pending{};  // the symbols, while count <= 14
    uint16_t pending_count = 0;
    uint8_t run_symbol = 0;  // the first pending symbol
    bool all_same = true;
    bool has_large = false;
    size_t chunk_count = 0;  // emitted
    bool overflow = false;   // an emitted chunk did not fit `chunks`

    void Add(uint8_t symbol, std::array<uint16_t, kMaxChunks>& chunks);
    void AddRun(uint8_t symbol, size_t count, std::array<uint16_t, kMaxChunks>& chunks);
    // The chunk that the pending statuses would be written as (pending_count > 0).
    uint16_t PendingChunk() const;
    size_t TotalChunks() const { return chunk_count + (pending_count > 0 ? 1 : 0); }

   private:
    bool CanAdd(uint8_t symbol) const;
    void Append(uint8_t symbol);
    void Emit(std::array<uint16_t, kMaxChunks>& chunks);
    void Push(uint16_t chunk, std::array<uint16_t, kMaxChunks>& chunks);
  };

  uint32_t sender_ssrc_;
  uint32_t media_ssrc_;
  uint8_t feedback_packet_count_;
  size_t max_packet_size_;

  uint16_t base_seq_ = 0;
  uint16_t last_seq_ = 0;
  uint16_t status_count_ = 0;
  size_t received_count_ = 0;
  uint32_t reference_time_ = 0;  // 24 bits, 64 ms units
  int64_t last_ticks_ = 0;       // arrival of the last packet (or the reference time), 250 us
  ChunkEncoder encoder_;
  std::array<uint16_t, kMaxChunks> chunks_;
  std::array<uint8_t, kMaxDeltaBytes> deltas_;
  size_t delta_size_ = 0;
};

}  // namespace tributary::rtc::rtcp
