#include "testmedia/LatencyHistogram.h"

#include <gtest/gtest.h>

namespace tributary::testmedia {
namespace {

TEST(LatencyHistogram, EmptyHasNoPercentiles) {
  LatencyHistogram h;
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.PercentileUs(0.5), 0u);
  EXPECT_EQ(h.MaxUs(), 0u);
  EXPECT_EQ(h.MeanUs(), 0.0);
}

TEST(LatencyHistogram, FineBucketsAreExact) {
  LatencyHistogram h;
  for (uint64_t us = 1; us <= 100; ++us)
    h.Record(us);
  EXPECT_EQ(h.Count(), 100u);
  EXPECT_EQ(h.PercentileUs(0.50), 50u);
  EXPECT_EQ(h.PercentileUs(0.99), 99u);
  EXPECT_EQ(h.PercentileUs(1.0), 100u);
  EXPECT_EQ(h.MaxUs(), 100u);
  EXPECT_DOUBLE_EQ(h.MeanUs(), 50.5);
}

TEST(LatencyHistogram, CoarseBucketsAndOverflowKeepTheMaximum) {
  LatencyHistogram h;
  h.Record(10);
  h.Record(250'400);     // a 1 ms bucket [250'000, 250'999]: reported as its upper edge
  h.Record(60'000'000);  // beyond the last bucket: reported as the maximum
  EXPECT_EQ(h.PercentileUs(0.34), 250'999u);
  EXPECT_EQ(h.PercentileUs(1.0), 60'000'000u);
  EXPECT_EQ(h.MaxUs(), 60'000'000u);
  LatencyHistogram only;
  only.Record(250'400);  // the upper edge never exceeds the largest sample
  EXPECT_EQ(only.PercentileUs(0.5), 250'400u);
}

TEST(LatencyHistogram, ClearForgetsEverything) {
  LatencyHistogram h;
  h.Record(5);
  h.Clear();
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.MaxUs(), 0u);
  h.Record(7);
  EXPECT_EQ(h.PercentileUs(0.5), 7u);
}

TEST(Summary, PercentilesOfASmallSet) {
  const Summary s = Summary::Of({5, 1, 4, 2, 3});
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.p50, 3);
  EXPECT_EQ(s.p99, 5);
  EXPECT_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(s.mean, 3);
  EXPECT_EQ(Summary::Of({}).count, 0u);
}

}  // namespace
}  // namespace tributary::testmedia
