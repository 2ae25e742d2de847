#include "metrics/ProcessStats.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace tributary::metrics {

namespace {

std::optional<std::string> ReadFile(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

double BootTimeSeconds() {
  const auto stat = ReadFile("/proc/stat");
  if (!stat) return 0;
  std::istringstream lines(*stat);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("btime ", 0) == 0) return std::stod(line.substr(6));
  }
  return 0;
}

double CountOpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  double count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the descriptor opendir() itself holds
}

}  // namespace

std::optional<ProcessStats> ProcessStats::ParseStat(std::string_view stat, long ticks_per_second,
                                                    long page_size, double boot_time_seconds) {
  // "pid (comm) state ppid ..." where comm may itself hold spaces and parentheses.
  const auto close = stat.rfind(')');
  if (close == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  std::vector<std::string_view> fields;  // fields[0] is field 3 of proc(5), "state"
  std::string_view rest = stat.substr(close + 1);
  while (!rest.empty()) {
    const auto start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest = rest.substr(start);
    const auto end = rest.find_first_of(" \n");
    fields.push_back(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  if (fields.size() < 22) return std::nullopt;
  auto number = [&](size_t proc_field) -> std::optional<double> {
    const std::string_view text = fields[proc_field - 3];
    unsigned long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return static_cast<double>(value);
  };
  const auto utime = number(14);
  const auto stime = number(15);
  const auto threads = number(20);
  const auto start_ticks = number(22);
  const auto vsize = number(23);
  const auto rss_pages = number(24);
  if (!utime || !stime || !threads || !start_ticks || !vsize || !rss_pages) return std::nullopt;
  ProcessStats stats;
  const auto ticks = static_cast<double>(ticks_per_second);
  stats.cpu_seconds = (*utime + *stime) / ticks;
  stats.threads = *threads;
  stats.start_time_seconds = boot_time_seconds + *start_ticks / ticks;
  stats.virtual_bytes = *vsize;
  stats.resident_bytes = *rss_pages * static_cast<double>(page_size);
  return stats;
}

std::optional<ProcessStats> ProcessStats::ReadSelf() {
  const auto stat = ReadFile("/proc/self/stat");
  if (!stat) return std::nullopt;
  auto stats = ParseStat(*stat, sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE), BootTimeSeconds());
  if (!stats) return std::nullopt;
  stats->open_fds = CountOpenFds();
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    stats->max_fds = static_cast<double>(limit.rlim_cur);
  }
  return stats;
}

}  // namespace tributary::metrics
