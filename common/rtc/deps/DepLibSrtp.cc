#include "rtc/deps/DepLibSrtp.h"

#include <array>
#include <mutex>
#include <stdexcept>

#include <srtp2/srtp.h>

namespace tributary::rtc {

void DepLibSrtp::ClassInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    const srtp_err_status_t status = srtp_init();
    if (status != srtp_err_status_ok) {
      throw std::runtime_error("libsrtp2 initialization failed: " + std::string(ErrorName(status)));
    }
  });
}

std::string DepLibSrtp::VersionString() {
  return std::string(srtp_get_version_string()) + " (" TRIBUTARY_SRTP_BACKEND " backend)";
}

std::string_view DepLibSrtp::ErrorName(int status) {
  // Indexed by srtp_err_status_t, whose values are contiguous from 0.
  static constexpr std::array<std::string_view, 28> kNames{
      "ok",         "fail",      "bad_param",   "alloc_fail",  "dealloc_fail", "init_fail",
      "terminus",   "auth_fail", "cipher_fail", "replay_fail", "replay_old",   "algo_fail",
      "no_such_op", "no_ctx",    "cant_check",  "key_expired", "socket_err",   "signal_err",
      "nonce_bad",  "read_fail", "write_fail",  "parse_err",   "encode_err",   "semaphore_err",
      "pfkey_err",  "bad_mki",   "pkt_idx_old", "pkt_idx_adv"};
  if (status < 0 || static_cast<size_t>(status) >= kNames.size()) return "unknown";
  return kNames[static_cast<size_t>(status)];
}

}  // namespace tributary::rtc
