#include "testmedia/ProcStat.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>

namespace tributary::testmedia {
namespace {

TEST(ProcStat, ParsesUtimePlusStimeAfterTheCommand) {
  // A command with spaces and parentheses: fields count from the last ')'.
  const char* stat =
      "1234 (tributary (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 3 0 99 "
      "1000 200 18446744073709551615";
  EXPECT_EQ(ProcStat::ParseStatTicks(stat), 325u);
  EXPECT_FALSE(ProcStat::ParseStatTicks("1234 (x) S 1 2"));
  EXPECT_FALSE(ProcStat::ParseStatTicks("no parenthesis"));
  EXPECT_FALSE(ProcStat::ParseStatTicks("1 (x) S 1 1 1 0 -1 0 0 0 0 0 2x 3 0"));
}

TEST(ProcStat, ParsesVmRss) {
  EXPECT_EQ(ProcStat::ParseStatusRssKib("Name:\tx\nVmPeak:\t  900 kB\nVmRSS:\t   15404 kB\n"),
            15404u);
  EXPECT_FALSE(ProcStat::ParseStatusRssKib("Name:\tx\n"));
  EXPECT_FALSE(ProcStat::ParseStatusRssKib("VmRSS:\t  abc kB\n"));
}

TEST(ProcStat, ReadsThisProcess) {
  const double before = ProcStat::SelfCpuSeconds();
  // Burn some CPU so that the tick counter moves.
  volatile uint64_t sink = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  while (std::chrono::steady_clock::now() < end)
    sink = sink + 1;
  const auto sample = ProcStat::Read(static_cast<int>(getpid()));
  ASSERT_TRUE(sample);
  EXPECT_GT(sample->rss_kib, 0u);
  EXPECT_GT(sample->cpu_seconds, 0.0);
  EXPECT_GT(ProcStat::SelfCpuSeconds(), before);
  EXPECT_FALSE(ProcStat::Read(-1));
}

}  // namespace
}  // namespace tributary::testmedia
