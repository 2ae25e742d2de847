#pragma once

#include <cstdint>

namespace tributary::base {

// Monotonic clock, for timers, RTT and expiry. Never goes backwards.
uint64_t NowUs();
inline uint64_t NowMs() {
  return NowUs() / 1000;
}

// Wall clock, for NTP timestamps in sender reports and for JWT expiry.
uint64_t WallClockUs();

// 64-bit NTP timestamp (RFC 3550: seconds since 1900 in the high 32 bits, fraction in the low).
uint64_t NtpNow();
uint64_t UnixUsToNtp(uint64_t unix_us);
// The middle 32 bits of an NTP timestamp, as used by LSR/DLSR in receiver reports.
inline uint32_t NtpCompact(uint64_t ntp) {
  return static_cast<uint32_t>(ntp >> 16);
}

}  // namespace tributary::base
