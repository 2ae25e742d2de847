#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tributary::metrics {

// What the kernel says about this process, read from /proc at scrape time (the same figures as
// the Prometheus client libraries' standard process_* metrics).
struct ProcessStats {
  double cpu_seconds = 0;  // user + system time
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double open_fds = 0;
  double max_fds = 0;             // soft RLIMIT_NOFILE
  double start_time_seconds = 0;  // since the Unix epoch
  double threads = 0;

  // Reads the current process; nullopt if /proc is unavailable.
  static std::optional<ProcessStats> ReadSelf();
  // Parses the text of /proc/<pid>/stat (the fields after the command name) given the clock
  // tick rate, the page size and the boot time; nullopt when malformed.
  static std::optional<ProcessStats> ParseStat(std::string_view stat, long ticks_per_second,
                                               long page_size, double boot_time_seconds);
};

}  // namespace tributary::metrics
