#include "sfu/BitratePolicer.h"

#include <gtest/gtest.h>

namespace tributary::sfu {
namespace {

constexpr uint64_t kStartUs = 10000000;

// `kbps` of 1200-byte packets for `seconds`, from `start_us`; returns how many were dropped.
uint64_t Send(BitratePolicer& policer, uint64_t kbps, double seconds, uint64_t start_us,
              uint64_t* end_us = nullptr) {
  const uint64_t packets_per_s = kbps * 1000 / (1200 * 8);
  const uint64_t gap_us = 1000000 / packets_per_s;
  const uint64_t count = static_cast<uint64_t>(seconds * static_cast<double>(packets_per_s));
  uint64_t dropped = 0;
  uint64_t now = start_us;
  for (uint64_t i = 0; i < count; ++i, now += gap_us) {
    if (!policer.Admit(1200, now)) ++dropped;
  }
  if (end_us != nullptr) *end_us = now;
  return dropped;
}

TEST(BitratePolicer, NoLimit_AdmitsEverything) {
  BitratePolicer policer;
  EXPECT_FALSE(policer.Enabled());
  EXPECT_EQ(Send(policer, 50000, 2, kStartUs), 0u);
  EXPECT_FALSE(policer.ShouldEnd(kStartUs + 10000000));
}

TEST(BitratePolicer, UnderTheLimit_NothingDropped_NeverEnded) {
  BitratePolicer policer;
  policer.SetLimit(1000000);
  uint64_t end = 0;
  EXPECT_EQ(Send(policer, 900, 8, kStartUs, &end), 0u);
  EXPECT_FALSE(policer.ShouldEnd(end));
  EXPECT_NEAR(static_cast<double>(policer.MeasuredBps()), 900000, 50000);
}

TEST(BitratePolicer, FarAboveTheLimit_DropsTheExcess_ThenEndsTheSender) {
  BitratePolicer policer;
  policer.SetLimit(500000, 1.5, 3);
  uint64_t end = 0;
  // 3 Mbit/s against 500 kbit/s x 1.5: after the first second's burst, about 3/4 go.
  const uint64_t dropped = Send(policer, 3000, 6, kStartUs, &end);
  EXPECT_GT(dropped, 0u);
  EXPECT_EQ(policer.Dropped(), dropped);
  EXPECT_TRUE(policer.ShouldEnd(end));
}

TEST(BitratePolicer, ABurstThenCalm_IsForgiven) {
  BitratePolicer policer;
  policer.SetLimit(500000, 1.5, 3);
  uint64_t end = 0;
  Send(policer, 3000, 1.5, kStartUs, &end);
  Send(policer, 300, 5, end, &end);
  EXPECT_FALSE(policer.ShouldEnd(end));
}

}  // namespace
}  // namespace tributary::sfu
