#include "testmedia/LatencyHistogram.h"

#include <algorithm>
#include <cmath>

namespace tributary::testmedia {

LatencyHistogram::LatencyHistogram() : buckets_(kBucketCount, 0) {}

void LatencyHistogram::Clear() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  sum_us_ = 0;
  max_us_ = 0;
}

double LatencyHistogram::MeanUs() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_us_) / static_cast<double>(count_);
}

uint64_t LatencyHistogram::UpperEdgeUs(size_t bucket) {
  if (bucket < kFineLimitUs) return bucket;
  return kFineLimitUs + (bucket - kFineLimitUs) * 1000 + 999;
}

uint64_t LatencyHistogram::PercentileUs(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // The rank of the sample (1-based) at the quantile, nearest-rank.
  const auto rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    // The last bucket holds everything above kCoarseLimitUs: only the maximum is known there.
    if (seen >= rank) return i + 1 == buckets_.size() ? max_us_ : std::min(UpperEdgeUs(i), max_us_);
  }
  return max_us_;
}

Summary Summary::Of(std::vector<double> values) {
  Summary s;
  s.count = values.size();
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  auto at = [&](double q) {
    const auto rank =
        std::max<size_t>(1, static_cast<size_t>(std::ceil(q * static_cast<double>(values.size()))));
    return values[std::min(rank, values.size()) - 1];
  };
  s.p50 = at(0.50);
  s.p90 = at(0.90);
  s.p99 = at(0.99);
  s.max = values.back();
  double sum = 0;
  for (double v : values)
    sum += v;
  s.mean = sum / static_cast<double>(values.size());
  return s;
}

}  // namespace tributary::testmedia
