#pragma once

// The one place that owns OpenSSL's process-wide state and the crypto primitives the wire
// protocols need (STUN integrity, cluster request signing). DtlsTransport, whose job is DTLS over
// OpenSSL, may include OpenSSL too; nothing else does.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tributary::rtc {

class DepOpenSsl {
 public:
  // Idempotent and thread-safe; every other function calls it.
  static void ClassInit();
  static std::string VersionString();

  using Sha1Digest = std::array<uint8_t, 20>;
  using Sha256Digest = std::array<uint8_t, 32>;

  // HMAC over the concatenation of `parts` (so callers need not copy a message to sign it).
  static Sha1Digest HmacSha1(std::span<const uint8_t> key,
                             std::initializer_list<std::span<const uint8_t>> parts);
  static Sha256Digest HmacSha256(std::span<const uint8_t> key,
                                 std::initializer_list<std::span<const uint8_t>> parts);
  static Sha256Digest Sha256(std::span<const uint8_t> data);

  // Constant-time comparison of two byte strings (false when the lengths differ).
  static bool ConstantTimeEqual(std::span<const uint8_t> a, std::span<const uint8_t> b);
  static bool ConstantTimeEqual(std::string_view a, std::string_view b);
};

// Views a string's bytes, for the functions above.
inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace tributary::rtc
