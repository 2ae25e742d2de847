#pragma once

// Enforces a publisher's bitrate limit (a vhost's limits.bitrate_kbps) on what it actually
// sends, beside the REMB that asks it to stay below the limit (Producer::SetMaxBitrate): a
// sender that ignores the REMB is measured and stopped.
//
// A token bucket of `tolerance` x the limit, holding one second's worth: every received RTP
// packet (media, RTX, padding) takes its size in bits; one that finds the bucket empty is
// dropped (the caller counts it as dropped_packets_total{reason="limit"}). So a publisher may
// exceed the limit by half for as long as it likes, and burst above that for about a second;
// beyond, packets go. A publisher that had packets dropped in `end_after_s` consecutive seconds
// is over the limit for good: ShouldEnd() says so and the session ends with
// SessionCloseReason::kBitrateExceeded.
//
// One thread (the session's worker); Admit() is a few arithmetic operations, per packet.

#include <cstddef>
#include <cstdint>

namespace tributary::sfu {

class BitratePolicer {
 public:
  static constexpr double kDefaultTolerance = 1.5;
  static constexpr uint32_t kDefaultEndAfterS = 5;

  // 0: no limit (every packet admitted).
  void SetLimit(uint64_t bits_per_second, double tolerance = kDefaultTolerance,
                uint32_t end_after_s = kDefaultEndAfterS);
  bool Enabled() const { return limit_bps_ != 0; }
  uint64_t LimitBps() const { return limit_bps_; }

  // One received packet of `bytes` at `now_us` (monotonic); false: drop it.
  bool Admit(size_t bytes, uint64_t now_us);
  // Whether the sender has been over the limit (packets dropped) `end_after_s` seconds in a row.
  bool ShouldEnd(uint64_t now_us);

  // What the last whole second carried, bits per second (0 before the first one).
  uint64_t MeasuredBps() const { return measured_bps_; }
  uint64_t Dropped() const { return dropped_; }

 private:
  void Roll(uint64_t now_us);

  uint64_t limit_bps_ = 0;
  double rate_bps_ = 0;  // limit x tolerance
  uint32_t end_after_s_ = kDefaultEndAfterS;
  double tokens_bits_ = 0;
  uint64_t last_us_ = 0;
  // One-second windows.
  uint64_t window_start_us_ = 0;
  uint64_t window_bits_ = 0;
  bool window_dropped_ = false;
  uint32_t violating_windows_ = 0;
  uint64_t measured_bps_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace tributary::sfu
