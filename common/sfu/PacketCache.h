#pragma once

// The recent packets of one producer, for answering NACKs: a ring of MediaPacket references
// indexed by extended sequence number (wraparound is the unwrapper's business, so the ring never
// sees it). It keeps at least `max_age_ms` of packets: when the ring would have to push out a
// packet younger than that, it doubles instead (an allocation, only while a stream ramps up to a
// rate it has not had before), up to `max_capacity`; packets older than `max_age_ms` (relative
// to the newest arrival, or to the time given to Expire) leave, which returns their buffers to
// the pool.
//
// The window is [oldest, newest] with newest - oldest < capacity; a late packet (reordered, or
// recovered through RTX) fills its hole when it is still inside. Owned and used by one thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "sfu/MediaPacket.h"

namespace tributary::sfu {

struct PacketCacheOptions {
  uint64_t max_age_ms = 1000;     // media.packet_cache_ms
  size_t initial_capacity = 256;  // slots; rounded up to a power of two
  size_t max_capacity = 8192;     // rounded up to a power of two, at most 32768
};

class PacketCache {
 public:
  using Options = PacketCacheOptions;

  struct Counters {
    uint64_t inserted = 0;
    uint64_t duplicates = 0;   // already held
    uint64_t too_old = 0;      // below the window
    uint64_t expired = 0;      // left after max_age_ms
    uint64_t overwritten = 0;  // pushed out younger than max_age_ms (at max_capacity)
    uint64_t grown = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
  };

  explicit PacketCache(Options options = {});

  // Holds a reference to `packet` under packet.ExtendedSeq(). False (nothing held) for a
  // duplicate, an empty packet, or one below the window.
  bool Insert(const MediaPacket& packet);
  // The packet with this extended sequence number, nullptr when it is not held. The pointer is
  // valid until the next Insert, Expire or Clear.
  const MediaPacket* Get(int64_t extended_seq) const;
  // Whether the packet is held (not counted as a hit or miss).
  bool Contains(int64_t extended_seq) const {
    return started_ && extended_seq >= oldest_ && extended_seq <= newest_ && Holds(extended_seq);
  }
  // Whether `extended_seq` lies inside the window (held, or a hole a late packet may fill).
  bool Covers(int64_t extended_seq) const {
    return started_ && extended_seq >= oldest_ && extended_seq <= newest_;
  }
  // Lets go of packets that arrived more than max_age_ms before `now_us` (monotonic), for a
  // stream that stopped receiving.
  void Expire(uint64_t now_us);
  void Clear();

  size_t Size() const { return size_; }
  size_t Capacity() const { return slots_.size(); }
  std::optional<int64_t> NewestSeq() const {
    return started_ ? std::optional<int64_t>(newest_) : std::nullopt;
  }
  const Counters& GetCounters() const { return counters_; }

 private:
  size_t Index(int64_t seq) const { return static_cast<uint64_t>(seq) & (slots_.size() - 1); }
  bool Holds(int64_t seq) const {
    const MediaPacket& slot = slots_[Index(seq)];
    return slot && slot.ExtendedSeq() == seq;
  }
  void Release(int64_t seq);
  void ExpireOlderThan(uint64_t min_arrival_us);
  void Grow();

  Options options_;
  std::vector<MediaPacket> slots_;
  bool started_ = false;
  int64_t oldest_ = 0;  // window start: nothing below it is held or accepted
  int64_t newest_ = 0;
  size_t size_ = 0;
  mutable Counters counters_;
};

}  // namespace tributary::sfu
