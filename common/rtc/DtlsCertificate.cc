#include "rtc/DtlsCertificate.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "rtc/deps/DepOpenSsl.h"

namespace tributary::rtc {

namespace {

std::string ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DtlsCertificateError("cannot read DTLS " + std::string(what) + " file '" + path +
                               "': " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw DtlsCertificateError("cannot read DTLS " + std::string(what) + " file '" + path +
                               "': read error");
  }
  return text.str();
}

}  // namespace

DtlsCertificate::DtlsCertificate(std::vector<uint8_t> certificate_der,
                                 std::vector<uint8_t> private_key_der)
    : certificate_der_(std::move(certificate_der)),
      private_key_der_(std::move(private_key_der)),
      sha256_(
          DtlsFingerprint::OfCertificate(DtlsFingerprint::Algorithm::kSha256, certificate_der_)) {}

DtlsCertificate::~DtlsCertificate() {
  DepOpenSsl::Cleanse(private_key_der_);
}

DtlsCertificate DtlsCertificate::Generate() {
  try {
    auto generated = DepOpenSsl::GenerateSelfSignedCertificate(kCommonName, kValidFromOffsetS,
                                                               kValidUntilOffsetS);
    return DtlsCertificate(std::move(generated.certificate_der),
                           std::move(generated.private_key_der));
  } catch (const std::runtime_error& e) {
    throw DtlsCertificateError(e.what());
  }
}

DtlsCertificate DtlsCertificate::LoadPemFiles(const std::string& certificate_path,
                                              const std::string& private_key_path) {
  const std::string certificate_pem = ReadFile(certificate_path, "certificate");
  std::string private_key_pem = ReadFile(private_key_path, "private key");
  auto cleanse = [&] {
    DepOpenSsl::Cleanse(
        {reinterpret_cast<uint8_t*>(private_key_pem.data()), private_key_pem.size()});
  };
  try {
    auto certificate = FromPem(certificate_pem, private_key_pem, "'" + certificate_path + "'",
                               "'" + private_key_path + "'");
    cleanse();
    return certificate;
  } catch (...) {
    cleanse();
    throw;
  }
}

DtlsCertificate DtlsCertificate::FromPem(std::string_view certificate_pem,
                                         std::string_view private_key_pem,
                                         std::string_view certificate_name,
                                         std::string_view private_key_name) {
  std::string error;
  auto certificate_der = DepOpenSsl::CertificatePemToDer(certificate_pem, error);
  if (!certificate_der) {
    throw DtlsCertificateError("DTLS certificate " + std::string(certificate_name) +
                               " is not a certificate: " + error);
  }
  auto private_key_der = DepOpenSsl::PrivateKeyPemToDer(private_key_pem, error);
  if (!private_key_der) {
    throw DtlsCertificateError("DTLS private key " + std::string(private_key_name) +
                               " is not a private key: " + error);
  }
  if (!DepOpenSsl::PrivateKeyMatchesCertificate(*certificate_der, *private_key_der)) {
    DepOpenSsl::Cleanse(*private_key_der);
    throw DtlsCertificateError("DTLS private key " + std::string(private_key_name) +
                               " does not match certificate " + std::string(certificate_name));
  }
  return DtlsCertificate(std::move(*certificate_der), std::move(*private_key_der));
}

DtlsFingerprint DtlsCertificate::Fingerprint(DtlsFingerprint::Algorithm algorithm) const {
  if (algorithm == DtlsFingerprint::Algorithm::kSha256) return sha256_;
  return DtlsFingerprint::OfCertificate(algorithm, certificate_der_);
}

std::string DtlsCertificate::CertificatePem() const {
  return DepOpenSsl::CertificateDerToPem(certificate_der_);
}

std::string DtlsCertificate::PrivateKeyPem() const {
  return DepOpenSsl::PrivateKeyDerToPem(private_key_der_);
}

}  // namespace tributary::rtc
