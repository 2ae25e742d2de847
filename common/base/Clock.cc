#include "base/Clock.h"

#include <chrono>

namespace tributary::base {

uint64_t NowUs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

uint64_t WallClockUs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

uint64_t UnixUsToNtp(uint64_t unix_us) {
  constexpr uint64_t kNtpUnixOffsetSeconds = 2208988800ull;  // 1900-01-01 to 1970-01-01
  const uint64_t seconds = unix_us / 1000000 + kNtpUnixOffsetSeconds;
  const uint64_t fraction = ((unix_us % 1000000) << 32) / 1000000;
  return (seconds << 32) | fraction;
}

uint64_t NtpNow() {
  return UnixUsToNtp(WallClockUs());
}

}  // namespace tributary::base
