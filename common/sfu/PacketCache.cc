#include "sfu/PacketCache.h"

#include <algorithm>
#include <bit>

namespace tributary::sfu {

namespace {
constexpr size_t kLargestCapacity = 32768;  // half the sequence space

size_t PowerOfTwo(size_t n) {
  return std::bit_ceil(std::clamp<size_t>(n, 1, kLargestCapacity));
}
}  // namespace

PacketCache::PacketCache(Options options) : options_(options) {
  options_.max_capacity = PowerOfTwo(options_.max_capacity);
  options_.initial_capacity =
      std::min(PowerOfTwo(options_.initial_capacity), options_.max_capacity);
  slots_.resize(options_.initial_capacity);
}

void PacketCache::Release(int64_t seq) {
  slots_[Index(seq)] = MediaPacket();
  --size_;
}

bool PacketCache::Insert(const MediaPacket& packet) {
  if (!packet) return false;
  const int64_t seq = packet.ExtendedSeq();
  if (!started_) {
    started_ = true;
    oldest_ = newest_ = seq;
  } else if (seq < oldest_) {
    ++counters_.too_old;
    return false;
  } else if (seq <= newest_) {
    if (Holds(seq)) {
      ++counters_.duplicates;
      return false;
    }
  } else {
    const uint64_t max_age_us = options_.max_age_ms * 1000;
    if (packet.ArrivalUs() > max_age_us) ExpireOlderThan(packet.ArrivalUs() - max_age_us);
    // Move the window up to end at `seq`; what falls out of it is younger than max_age_ms
    // (older packets just expired), so grow rather than lose it, while that is allowed.
    for (;;) {
      const int64_t new_oldest = seq - static_cast<int64_t>(slots_.size()) + 1;
      if (new_oldest <= oldest_) break;
      const int64_t end = std::min(new_oldest, newest_ + 1);
      int64_t first_held = end;
      for (int64_t s = oldest_; s < end; ++s) {
        if (Holds(s)) {
          first_held = s;
          break;
        }
      }
      const bool can_grow = slots_.size() < options_.max_capacity &&
                            seq - first_held < static_cast<int64_t>(options_.max_capacity);
      if (first_held < end && can_grow) {
        Grow();
        continue;
      }
      for (int64_t s = first_held; s < end; ++s) {
        if (Holds(s)) {
          Release(s);
          ++counters_.overwritten;
        }
      }
      oldest_ = new_oldest;
      break;
    }
    newest_ = seq;
  }
  slots_[Index(seq)] = packet;
  ++size_;
  ++counters_.inserted;
  return true;
}

const MediaPacket* PacketCache::Get(int64_t extended_seq) const {
  if (started_ && extended_seq >= oldest_ && extended_seq <= newest_ && Holds(extended_seq)) {
    ++counters_.hits;
    return &slots_[Index(extended_seq)];
  }
  ++counters_.misses;
  return nullptr;
}

void PacketCache::Expire(uint64_t now_us) {
  const uint64_t max_age_us = options_.max_age_ms * 1000;
  if (now_us > max_age_us) ExpireOlderThan(now_us - max_age_us);
}

// Walks up from the oldest packet, releasing the expired ones, and stops at the first packet
// that is young enough. Holes on the way (lost packets) are passed over; the window then starts
// after the last expired packet, so a late packet for a hole beyond it can still come in.
void PacketCache::ExpireOlderThan(uint64_t min_arrival_us) {
  if (!started_) return;
  int64_t last_expired = oldest_ - 1;
  for (int64_t s = oldest_; s <= newest_; ++s) {
    if (!Holds(s)) continue;
    if (slots_[Index(s)].ArrivalUs() >= min_arrival_us) break;
    Release(s);
    ++counters_.expired;
    last_expired = s;
  }
  oldest_ = last_expired + 1;
}

void PacketCache::Grow() {
  std::vector<MediaPacket> old = std::move(slots_);
  slots_ = std::vector<MediaPacket>(old.size() * 2);
  const size_t old_mask = old.size() - 1;
  for (int64_t s = oldest_; s <= newest_; ++s) {
    MediaPacket& slot = old[static_cast<uint64_t>(s) & old_mask];
    if (slot && slot.ExtendedSeq() == s) slots_[Index(s)] = std::move(slot);
  }
  ++counters_.grown;
}

void PacketCache::Clear() {
  for (MediaPacket& slot : slots_)
    slot = MediaPacket();
  size_ = 0;
  started_ = false;
  oldest_ = newest_ = 0;
}

}  // namespace tributary::sfu
