#pragma once

// A certificate fingerprint as SDP carries it (RFC 8122 5, RFC 8842 5):
//   a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:...
// The hash of the DER certificate, with the hash function's IANA textual name.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tributary::rtc {

class DtlsFingerprint {
 public:
  // MD5 and MD2 are deliberately absent: RFC 8122 5 forbids them.
  enum class Algorithm { kSha1, kSha224, kSha256, kSha384, kSha512 };

  // Parses "<hash-func> <HEX:HEX:...>" (the value of a=fingerprint). The hash name is
  // case-insensitive, the hex digits may be upper or lower case; the byte count must be the
  // hash's digest size. Surrounding whitespace is ignored.
  static std::optional<DtlsFingerprint> Parse(std::string_view value);
  // "sha-256" -> kSha256 (case-insensitive).
  static std::optional<Algorithm> ParseAlgorithm(std::string_view name);
  static std::string_view AlgorithmName(Algorithm algorithm);
  static size_t DigestSize(Algorithm algorithm);

  // The fingerprint of a DER-encoded certificate.
  static DtlsFingerprint OfCertificate(Algorithm algorithm,
                                       std::span<const uint8_t> certificate_der);

  Algorithm GetAlgorithm() const { return algorithm_; }
  std::span<const uint8_t> Bytes() const { return {bytes_.data(), size_}; }
  // "AB:CD:..." (uppercase, as RFC 8122 writes it).
  std::string HexValue() const;
  // "sha-256 AB:CD:...": the a=fingerprint attribute's value.
  std::string ToString() const;

  // True when `certificate_der` hashes to this fingerprint (constant-time compare).
  bool Matches(std::span<const uint8_t> certificate_der) const;

  bool operator==(const DtlsFingerprint& other) const;

 private:
  DtlsFingerprint(Algorithm algorithm, std::span<const uint8_t> bytes);

  Algorithm algorithm_;
  std::array<uint8_t, 64> bytes_{};
  size_t size_ = 0;
};

}  // namespace tributary::rtc
