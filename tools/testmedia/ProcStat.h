#pragma once

// What a load generator reads about a server process from /proc: its CPU time (utime + stime
// of /proc/<pid>/stat, every thread included) and its resident memory (VmRSS of
// /proc/<pid>/status). CPU time per delivered packet, over a run, holds on a shared, noisy
// machine where absolute rates do not.

#include <cstdint>
#include <optional>
#include <string_view>

namespace tributary::testmedia {

struct ProcSample {
  double cpu_seconds = 0;  // utime + stime
  uint64_t rss_kib = 0;
};

class ProcStat {
 public:
  // The sample of process `pid`; nothing when it does not exist or cannot be read.
  static std::optional<ProcSample> Read(int pid);
  // Parsers of the two files' contents (exposed for tests): utime + stime in clock ticks; the
  // VmRSS line in KiB. Nothing when the text does not have them.
  static std::optional<uint64_t> ParseStatTicks(std::string_view stat);
  static std::optional<uint64_t> ParseStatusRssKib(std::string_view status);
  // CPU time of this process (getrusage), seconds.
  static double SelfCpuSeconds();
};

}  // namespace tributary::testmedia
