#include "sfu/BitratePolicer.h"

#include <algorithm>

namespace tributary::sfu {

namespace {
constexpr uint64_t kWindowUs = 1000000;
}  // namespace

void BitratePolicer::SetLimit(uint64_t bits_per_second, double tolerance, uint32_t end_after_s) {
  limit_bps_ = bits_per_second;
  rate_bps_ = static_cast<double>(bits_per_second) * std::max(tolerance, 1.0);
  end_after_s_ = std::max<uint32_t>(end_after_s, 1);
  tokens_bits_ = rate_bps_;  // a full second's worth to start with
  last_us_ = 0;
  window_start_us_ = 0;
  window_bits_ = 0;
  window_dropped_ = false;
  violating_windows_ = 0;
}

void BitratePolicer::Roll(uint64_t now_us) {
  if (window_start_us_ == 0) {
    window_start_us_ = now_us;
    return;
  }
  if (now_us - window_start_us_ < kWindowUs) return;
  const uint64_t elapsed = now_us - window_start_us_;
  measured_bps_ = elapsed < 2 * kWindowUs ? window_bits_ * kWindowUs / elapsed : 0;
  // A window with drops extends the run; a clean one (or silence) ends it.
  violating_windows_ = window_dropped_ && elapsed < 2 * kWindowUs ? violating_windows_ + 1 : 0;
  window_start_us_ = now_us;
  window_bits_ = 0;
  window_dropped_ = false;
}

bool BitratePolicer::Admit(size_t bytes, uint64_t now_us) {
  if (limit_bps_ == 0) return true;
  Roll(now_us);
  if (last_us_ != 0 && now_us > last_us_) {
    tokens_bits_ = std::min(
        rate_bps_, tokens_bits_ + rate_bps_ * static_cast<double>(now_us - last_us_) / 1e6);
  }
  last_us_ = now_us;
  const double bits = static_cast<double>(bytes) * 8;
  window_bits_ += bytes * 8;
  if (tokens_bits_ >= bits) {
    tokens_bits_ -= bits;
    return true;
  }
  window_dropped_ = true;
  ++dropped_;
  return false;
}

bool BitratePolicer::ShouldEnd(uint64_t now_us) {
  if (limit_bps_ == 0) return false;
  Roll(now_us);
  return violating_windows_ >= end_after_s_;
}

}  // namespace tributary::sfu
