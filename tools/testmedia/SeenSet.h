#pragma once

// Which numbers of a stream (extended sequence numbers, probe counters) have been seen: a
// bitmap that grows in blocks over the range between the lowest and highest number inserted,
// at most kMaxSpan numbers wide (older numbers below it are refused, counted by the caller).
// Amortized O(1) per insert, one bit per number.

#include <cstddef>
#include <cstdint>
#include <deque>

namespace tributary::testmedia {

class SeenSet {
 public:
  static constexpr int64_t kMaxSpan = int64_t{1} << 26;  // 8 MiB of bits

  enum class Insert { kNew, kDuplicate, kOutOfRange };

  Insert Add(int64_t n);
  bool Contains(int64_t n) const;

  bool Empty() const { return count_ == 0; }
  uint64_t Count() const { return count_; }
  int64_t Min() const { return min_; }
  int64_t Max() const { return max_; }
  // Numbers in [Min(), Max()] that were never added.
  uint64_t Missing() const {
    return count_ == 0 ? 0 : static_cast<uint64_t>(max_ - min_ + 1) - count_;
  }

 private:
  static constexpr int64_t kBlockBits = 4096;
  bool Reserve(int64_t n);

  std::deque<uint64_t> words_;  // bit (n - base_) of the bitmap
  int64_t base_ = 0;            // a multiple of 64
  uint64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
};

}  // namespace tributary::testmedia
