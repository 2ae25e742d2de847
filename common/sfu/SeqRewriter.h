#pragma once

// The sequence numbers and timestamps one consumer sends for one track, kept continuous for the
// viewer whatever happens upstream.
//
// Epochs: the producer's source epoch (MediaPacket::SourceEpoch) changes when the source does
// (publisher reconnect, upstream failover, sequence restart); the new source numbers its packets
// from an unrelated base. The first packet forwarded from a new epoch gets the highest sequence
// number sent so far + 1, and the newest timestamp sent so far advanced by the time elapsed since
// it went out, times the clock rate (at least 1, so it is a new frame). Packets of an epoch are
// mapped from the producer's extended sequence numbers, so wraparound needs no care here.
// The very first epoch keeps the source's numbers (offsets 0).
//
// Drops: a packet the consumer skips (padding, an unsupported payload type) is recorded, and the
// packets after it close up, so the viewer never sees a gap it would NACK forever. Packets the
// consumer skips before the first packet it forwards in an epoch (waiting for a keyframe) need
// nothing: the epoch's numbering starts at the first forwarded one. A drop can only be absorbed
// for a packet newer than everything forwarded or dropped so far; an older one (late, out of
// order) has its slot in the output already, so Drop() says no and the consumer sends it.
//
// Retransmissions: ToSource maps an output sequence number of the current epoch back to the
// source's extended number (for the packet cache), and MapTimestamp gives the timestamp it was
// sent with. Numbers of a previous epoch are not mapped (the producer's cache no longer holds
// them).
//
// No allocation; the drop record is a fixed ring (the oldest drops fold into the base: packets
// older than them can no longer be mapped). One thread.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace tributary::sfu {

class SeqRewriter {
 public:
  static constexpr size_t kMaxDrops = 256;

  struct Output {
    uint16_t seq = 0;
    uint32_t timestamp = 0;
  };

  explicit SeqRewriter(uint32_t clock_rate) : clock_rate_(clock_rate) {}

  // The numbers to send `seq` (the producer's extended sequence number) and `timestamp` of
  // `epoch` with, `now_us` being when it goes out. Nothing when it cannot be sent: older than
  // the first packet forwarded in its epoch (or than the drop record reaches), from an epoch
  // that was replaced, or a packet that was dropped.
  std::optional<Output> Forward(int64_t seq, uint32_t timestamp, uint32_t epoch, uint64_t now_us);
  // The consumer skips this packet. False when its place in the output is taken already.
  bool Drop(int64_t seq, uint32_t epoch);

  // The source's extended sequence number behind an output number of the current epoch.
  std::optional<int64_t> ToSource(uint16_t out_seq) const;
  uint32_t MapTimestamp(uint32_t source_timestamp) const { return source_timestamp + ts_offset_; }

  // Whether a packet of `epoch` has been forwarded (the current epoch).
  bool Started(uint32_t epoch) const { return epoch_started_ && epoch == epoch_; }
  uint32_t Epoch() const { return epoch_; }
  bool HasSent() const { return have_output_; }
  uint16_t HighestSeq() const { return static_cast<uint16_t>(highest_out_); }
  uint32_t LastTimestamp() const { return last_out_ts_; }
  uint64_t SourceSwitches() const { return switches_; }
  uint64_t DropsAbsorbed() const { return drops_absorbed_; }

 private:
  size_t DropsBelow(int64_t seq) const;
  bool IsDropped(int64_t seq) const;
  int64_t DropAt(size_t i) const { return drops_[(drop_head_ + i) % kMaxDrops]; }

  const uint32_t clock_rate_;

  // Across epochs.
  bool have_output_ = false;
  int64_t highest_out_ = 0;      // extended output sequence number
  uint32_t last_out_ts_ = 0;     // newest output timestamp
  uint64_t last_out_ts_us_ = 0;  // when the first packet with last_out_ts_ went out
  uint64_t switches_ = 0;
  uint64_t drops_absorbed_ = 0;

  // The current epoch: out = out_base_ + (seq - in_base_) - (drops below seq).
  bool epoch_started_ = false;
  uint32_t epoch_ = 0;
  int64_t in_base_ = 0;
  int64_t out_base_ = 0;
  int64_t floor_ = 0;       // lowest source number still mapped
  int64_t highest_in_ = 0;  // highest source number forwarded or dropped
  uint32_t ts_offset_ = 0;
  std::array<int64_t, kMaxDrops> drops_{};  // ascending
  size_t drop_head_ = 0;
  size_t drop_count_ = 0;
};

}  // namespace tributary::sfu
