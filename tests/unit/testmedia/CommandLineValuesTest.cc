#include "testmedia/CommandLineValues.h"

#include <gtest/gtest.h>

namespace tributary::testmedia {
namespace {

using std::chrono::milliseconds;

TEST(CommandLineValues, ParsesBitrates) {
  EXPECT_EQ(ParseBitrate("1M"), 1'000'000u);
  EXPECT_EQ(ParseBitrate("2.5M"), 2'500'000u);
  EXPECT_EQ(ParseBitrate("800k"), 800'000u);
  EXPECT_EQ(ParseBitrate("64000"), 64'000u);
  EXPECT_EQ(ParseBitrate("1G"), 1'000'000'000u);
  for (const char* bad : {"", "M", "-1M", "1 M", "1Mb", "0", "1e6", "1..2M", "0.0001"}) {
    EXPECT_FALSE(ParseBitrate(bad)) << bad;
  }
}

TEST(CommandLineValues, ParsesDurations) {
  EXPECT_EQ(ParseDuration("10s"), milliseconds(10'000));
  EXPECT_EQ(ParseDuration("10"), milliseconds(10'000));
  EXPECT_EQ(ParseDuration("1.5s"), milliseconds(1'500));
  EXPECT_EQ(ParseDuration("500ms"), milliseconds(500));
  EXPECT_EQ(ParseDuration("2m"), milliseconds(120'000));
  EXPECT_EQ(ParseDuration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(ParseDuration("0"), milliseconds(0));
  for (const char* bad : {"", "s", "-1s", "10 s", "10sec", "1d"}) {
    EXPECT_FALSE(ParseDuration(bad)) << bad;
  }
}

TEST(CommandLineValues, ParsesPercentages) {
  EXPECT_EQ(ParsePercent("5"), 5.0);
  EXPECT_EQ(ParsePercent("0.5"), 0.5);
  EXPECT_EQ(ParsePercent("5%"), 5.0);
  EXPECT_EQ(ParsePercent("100"), 100.0);
  for (const char* bad : {"", "%", "101", "-1", "5 %", "x"}) {
    EXPECT_FALSE(ParsePercent(bad)) << bad;
  }
}

}  // namespace
}  // namespace tributary::testmedia
