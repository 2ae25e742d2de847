#pragma once

// The one place that owns libsrtp2's process-wide state (srtp_init). SrtpSession, whose job is
// SRTP over libsrtp2, may include libsrtp2 too; nothing else does.

#include <string>
#include <string_view>

namespace tributary::rtc {

class DepLibSrtp {
 public:
  // Idempotent and thread-safe; SrtpSession calls it. Throws std::runtime_error if libsrtp2
  // cannot initialize (its crypto kernel failed a self test).
  static void ClassInit();
  // "libsrtp2 2.5.0" and the crypto backend it was built against.
  static std::string VersionString();
  // Name of a srtp_err_status_t value ("auth_fail", "replay_old", ...); "unknown" otherwise.
  static std::string_view ErrorName(int status);
};

}  // namespace tributary::rtc
