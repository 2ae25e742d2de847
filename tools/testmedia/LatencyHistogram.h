#pragma once

// Latency samples of a load generator, in fixed buckets so that recording one costs an add and
// no allocation: 1 us buckets up to kFineLimitUs, 1 ms buckets beyond it up to kCoarseLimitUs,
// and everything above in the last bucket (the exact maximum is kept aside). Percentiles are
// the upper edge of the bucket that holds them (at most 1 us off below 100 ms). One thread.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tributary::testmedia {

class LatencyHistogram {
 public:
  static constexpr uint64_t kFineLimitUs = 100'000;       // 1 us buckets below
  static constexpr uint64_t kCoarseLimitUs = 10'000'000;  // 1 ms buckets below

  LatencyHistogram();

  void Record(uint64_t us) {
    ++buckets_[Bucket(us)];
    ++count_;
    sum_us_ += us;
    if (us > max_us_) max_us_ = us;
  }
  void Clear();

  uint64_t Count() const { return count_; }
  uint64_t MaxUs() const { return max_us_; }
  double MeanUs() const;
  // The value below which a share `q` (0..1) of the samples lie; 0 without samples.
  uint64_t PercentileUs(double q) const;

 private:
  static size_t Bucket(uint64_t us) {
    if (us < kFineLimitUs) return static_cast<size_t>(us);
    if (us < kCoarseLimitUs) return static_cast<size_t>(kFineLimitUs + (us - kFineLimitUs) / 1000);
    return kBucketCount - 1;
  }
  static uint64_t UpperEdgeUs(size_t bucket);

  static constexpr size_t kBucketCount =
      static_cast<size_t>(kFineLimitUs + (kCoarseLimitUs - kFineLimitUs) / 1000 + 1);
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  uint64_t sum_us_ = 0;
  uint64_t max_us_ = 0;
};

// Percentiles of a small set of values (per-viewer times), computed by sorting a copy.
struct Summary {
  size_t count = 0;
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
  double mean = 0;
  static Summary Of(std::vector<double> values);
};

}  // namespace tributary::testmedia
