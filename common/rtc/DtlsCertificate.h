#pragma once

// The certificate a node presents in DTLS handshakes, and its private key.
//
// Either generated at startup (ECDSA P-256, self-signed, as browsers do: RFC 8827 6.5 needs no
// CA, only the fingerprint in the SDP) or loaded from PEM files an operator provides. Kept as
// DER; DtlsTransport::Context turns it into OpenSSL objects once per process.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/DtlsFingerprint.h"

namespace tributary::rtc {

// A certificate or key that cannot be used; what() names the file and the reason.
class DtlsCertificateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DtlsCertificate {
 public:
  static constexpr std::string_view kCommonName = "tributary";
  static constexpr int64_t kValidFromOffsetS = -30 * 86400;  // 30 days back: clock skew
  static constexpr int64_t kValidUntilOffsetS = 365 * 86400;

  // A new ECDSA P-256 key with a self-signed certificate: random serial, CN "tributary", valid
  // from 30 days ago to a year ahead. Throws DtlsCertificateError if OpenSSL fails.
  static DtlsCertificate Generate();
  // Loads a PEM certificate (the first one of the file; RSA or ECDSA) and its unencrypted PEM
  // private key. Throws DtlsCertificateError naming the file: unreadable, holds no certificate,
  // holds no key, or the key does not match the certificate.
  static DtlsCertificate LoadPemFiles(const std::string& certificate_path,
                                      const std::string& private_key_path);
  // As LoadPemFiles, from PEM text; the names only label the error messages.
  static DtlsCertificate FromPem(std::string_view certificate_pem, std::string_view private_key_pem,
                                 std::string_view certificate_name = "certificate",
                                 std::string_view private_key_name = "private key");

  DtlsCertificate(DtlsCertificate&&) noexcept = default;
  DtlsCertificate& operator=(DtlsCertificate&&) noexcept = default;
  DtlsCertificate(const DtlsCertificate&) = delete;
  DtlsCertificate& operator=(const DtlsCertificate&) = delete;
  ~DtlsCertificate();

  std::span<const uint8_t> CertificateDer() const { return certificate_der_; }
  std::span<const uint8_t> PrivateKeyDer() const { return private_key_der_; }

  // Our fingerprint in any algorithm a peer may ask about.
  DtlsFingerprint Fingerprint(DtlsFingerprint::Algorithm algorithm) const;
  // The sha-256 fingerprint computed once: "sha-256 AB:CD:..." for a=fingerprint.
  const DtlsFingerprint& Sha256Fingerprint() const { return sha256_; }
  std::string SdpFingerprint() const { return sha256_.ToString(); }

  // PEM text, e.g. to save a generated certificate for reuse across restarts.
  std::string CertificatePem() const;
  std::string PrivateKeyPem() const;

 private:
  DtlsCertificate(std::vector<uint8_t> certificate_der, std::vector<uint8_t> private_key_der);

  std::vector<uint8_t> certificate_der_;
  std::vector<uint8_t> private_key_der_;  // wiped on destruction
  DtlsFingerprint sha256_;
};

}  // namespace tributary::rtc
