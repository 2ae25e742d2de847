#pragma once

// The one place that owns OpenSSL's process-wide state and the crypto primitives the wire
// protocols need (STUN integrity, cluster request signing, certificate fingerprints, the DTLS
// certificate). DtlsTransport, whose job is DTLS over OpenSSL, may include OpenSSL too; nothing
// else does. Certificates and keys cross this boundary as DER bytes.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

  // Message digests by algorithm, for certificate fingerprints (RFC 8122).
  enum class DigestAlgorithm { kSha1, kSha224, kSha256, kSha384, kSha512 };
  struct Digest {
    std::array<uint8_t, 64> bytes{};
    size_t size = 0;
    std::span<const uint8_t> View() const { return {bytes.data(), size}; }
  };
  static Digest ComputeDigest(DigestAlgorithm algorithm, std::span<const uint8_t> data);

  // An X.509 certificate and its private key, both DER (the key as OpenSSL's i2d_PrivateKey
  // writes it; d2i_AutoPrivateKey reads it back).
  struct CertificateAndKey {
    std::vector<uint8_t> certificate_der;
    std::vector<uint8_t> private_key_der;
  };
  // A fresh ECDSA P-256 key and a self-signed X.509v3 certificate for it: random positive 64-bit
  // serial, subject = issuer = CN=<common_name>, valid from now + `not_before_offset_s` to now +
  // `not_after_offset_s`, signed with ecdsa-with-SHA256. Throws std::runtime_error.
  static CertificateAndKey GenerateSelfSignedCertificate(std::string_view common_name,
                                                         int64_t not_before_offset_s,
                                                         int64_t not_after_offset_s);
  // The first certificate of a PEM text, as DER; nullopt with `error` set when there is none.
  static std::optional<std::vector<uint8_t>> CertificatePemToDer(std::string_view pem,
                                                                 std::string& error);
  // The private key of a PEM text (PKCS#8, or traditional RSA/EC), as DER; nullopt with
  // `error` set when there is none or it is encrypted (never prompts for a passphrase).
  static std::optional<std::vector<uint8_t>> PrivateKeyPemToDer(std::string_view pem,
                                                                std::string& error);
  // True when the key is the private half of the certificate's public key.
  static bool PrivateKeyMatchesCertificate(std::span<const uint8_t> certificate_der,
                                           std::span<const uint8_t> private_key_der);
  static std::string CertificateDerToPem(std::span<const uint8_t> certificate_der);
  static std::string PrivateKeyDerToPem(std::span<const uint8_t> private_key_der);

  // Drains this thread's OpenSSL error queue into one line ("" when empty).
  static std::string DrainErrors();
  // Overwrites secret bytes in a way the compiler keeps.
  static void Cleanse(std::span<uint8_t> secret);

  // Constant-time comparison of two byte strings (false when the lengths differ).
  static bool ConstantTimeEqual(std::span<const uint8_t> a, std::span<const uint8_t> b);
  static bool ConstantTimeEqual(std::string_view a, std::string_view b);
};

// Views a string's bytes, for the functions above.
inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace tributary::rtc
