#include "testmedia/SeenSet.h"

namespace tributary::testmedia {

namespace {

int64_t FloorTo(int64_t n, int64_t multiple) {
  const int64_t r = n % multiple;
  return r < 0 ? n - r - multiple : n - r;
}

}  // namespace

bool SeenSet::Reserve(int64_t n) {
  if (words_.empty()) {
    base_ = FloorTo(n, kBlockBits);
    words_.assign(kBlockBits / 64, 0);
    return true;
  }
  const int64_t end = base_ + static_cast<int64_t>(words_.size()) * 64;
  if (n >= base_ && n < end) return true;
  const int64_t low = n < base_ ? FloorTo(n, kBlockBits) : base_;
  const int64_t high = n >= end ? FloorTo(n, kBlockBits) + kBlockBits : end;
  if (high - low > kMaxSpan) return false;
  if (low < base_) words_.insert(words_.begin(), static_cast<size_t>((base_ - low) / 64), 0);
  if (high > end) words_.insert(words_.end(), static_cast<size_t>((high - end) / 64), 0);
  base_ = low;
  return true;
}

SeenSet::Insert SeenSet::Add(int64_t n) {
  if (!Reserve(n)) return Insert::kOutOfRange;
  const int64_t bit = n - base_;
  uint64_t& word = words_[static_cast<size_t>(bit / 64)];
  const uint64_t mask = uint64_t{1} << (bit % 64);
  if (word & mask) return Insert::kDuplicate;
  word |= mask;
  if (count_ == 0 || n < min_) min_ = n;
  if (count_ == 0 || n > max_) max_ = n;
  ++count_;
  return Insert::kNew;
}

bool SeenSet::Contains(int64_t n) const {
  if (words_.empty() || n < base_) return false;
  const int64_t bit = n - base_;
  if (bit / 64 >= static_cast<int64_t>(words_.size())) return false;
  return (words_[static_cast<size_t>(bit / 64)] >> (bit % 64)) & 1;
}

}  // namespace tributary::testmedia
