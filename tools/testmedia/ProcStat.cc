#include "testmedia/ProcStat.h"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace tributary::testmedia {

namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<uint64_t> ParseU64(std::string_view text) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<uint64_t> ProcStat::ParseStatTicks(std::string_view stat) {
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from
  // the last ')'. utime and stime are fields 14 and 15 (1-based), the 12th and 13th after it.
  const size_t close = stat.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view rest = stat.substr(close + 1);
  uint64_t ticks = 0;
  for (int field = 3; field <= 15; ++field) {
    while (!rest.empty() && rest.front() == ' ')
      rest.remove_prefix(1);
    const size_t end = std::min(rest.find(' '), rest.size());
    if (end == 0) return std::nullopt;
    if (field >= 14) {
      const auto value = ParseU64(rest.substr(0, end));
      if (!value) return std::nullopt;
      ticks += *value;
    }
    rest.remove_prefix(end);
  }
  return ticks;
}

std::optional<uint64_t> ProcStat::ParseStatusRssKib(std::string_view status) {
  constexpr std::string_view kKey = "VmRSS:";
  size_t at = 0;
  while (at < status.size()) {
    const size_t end = std::min(status.find('\n', at), status.size());
    std::string_view line = status.substr(at, end - at);
    at = end + 1;
    if (line.substr(0, kKey.size()) != kKey) continue;
    line.remove_prefix(kKey.size());
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
      line.remove_prefix(1);
    const size_t digits = std::min(line.find(' '), line.size());
    return ParseU64(line.substr(0, digits));
  }
  return std::nullopt;
}

std::optional<ProcSample> ProcStat::Read(int pid) {
  const std::string dir = "/proc/" + std::to_string(pid);
  const auto stat = ReadFile(dir + "/stat");
  const auto status = ReadFile(dir + "/status");
  if (!stat || !status) return std::nullopt;
  const auto ticks = ParseStatTicks(*stat);
  const auto rss = ParseStatusRssKib(*status);
  if (!ticks || !rss) return std::nullopt;
  ProcSample sample;
  sample.cpu_seconds = static_cast<double>(*ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
  sample.rss_kib = *rss;
  return sample;
}

double ProcStat::SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace tributary::testmedia
