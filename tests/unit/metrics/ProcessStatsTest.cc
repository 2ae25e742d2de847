#include "metrics/ProcessStats.h"

#include <gtest/gtest.h>

namespace tributary::metrics {
namespace {

// A line of /proc/<pid>/stat (proc(5)): the command name holds a space and a parenthesis.
constexpr const char* kStat =
    "4242 (tributary (x)) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 150 0 0 20 0 7 0 "
    "500000 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";

TEST(ProcessStats, ParsesTheStatLine_AfterTheCommandName) {
  const auto stats = ProcessStats::ParseStat(kStat, 100, 4096, 1'700'000'000.0);
  ASSERT_TRUE(stats);
  EXPECT_DOUBLE_EQ(stats->cpu_seconds, 4.0);  // (250 + 150) / 100
  EXPECT_DOUBLE_EQ(stats->threads, 7);
  EXPECT_DOUBLE_EQ(stats->start_time_seconds, 1'700'005'000.0);  // boot + 500000 / 100
  EXPECT_DOUBLE_EQ(stats->virtual_bytes, 104857600);
  EXPECT_DOUBLE_EQ(stats->resident_bytes, 2560.0 * 4096);
}

TEST(ProcessStats, RefusesTruncatedOrCorruptedLines) {
  const std::string full = kStat;
  EXPECT_FALSE(ProcessStats::ParseStat(full.substr(0, 60), 100, 4096, 0));
  EXPECT_FALSE(ProcessStats::ParseStat("no parenthesis here", 100, 4096, 0));
  std::string corrupted = full;
  corrupted.replace(corrupted.find(" 250 "), 5, " 2x0 ");
  EXPECT_FALSE(ProcessStats::ParseStat(corrupted, 100, 4096, 0));
  EXPECT_FALSE(ProcessStats::ParseStat(full, 0, 4096, 0));
}

TEST(ProcessStats, ReadsThisProcess) {
  const auto stats = ProcessStats::ReadSelf();
  ASSERT_TRUE(stats);
  EXPECT_GT(stats->resident_bytes, 0);
  EXPECT_GT(stats->open_fds, 0);
  EXPECT_GT(stats->max_fds, 0);
  EXPECT_GT(stats->start_time_seconds, 1e9);
  EXPECT_GE(stats->threads, 1);
}

}  // namespace
}  // namespace tributary::metrics
