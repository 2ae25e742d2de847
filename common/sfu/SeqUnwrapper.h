#pragma once

// Unwraps 16-bit RTP sequence numbers into a 64-bit count, relative to the highest number seen:
// a number less than half the space ahead of it is newer, anything else older (RFC 1982
// arithmetic). The first number unwraps to itself; older ones may unwrap below zero.

#include <cstdint>

namespace tributary::sfu {

class SeqUnwrapper {
 public:
  int64_t Unwrap(uint16_t seq) {
    if (!started_) {
      started_ = true;
      highest_ = seq;
      return highest_;
    }
    const int64_t value = highest_ + static_cast<int16_t>(static_cast<uint16_t>(seq - highest_));
    if (value > highest_) highest_ = value;
    return value;
  }
  // What Unwrap(seq) would return, without moving the highest.
  int64_t Peek(uint16_t seq) const {
    if (!started_) return seq;
    return highest_ + static_cast<int16_t>(static_cast<uint16_t>(seq - highest_));
  }
  bool Started() const { return started_; }
  int64_t Highest() const { return highest_; }
  void Reset() {
    started_ = false;
    highest_ = 0;
  }

 private:
  bool started_ = false;
  int64_t highest_ = 0;
};

}  // namespace tributary::sfu
