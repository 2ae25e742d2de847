#include "rtc/DtlsCertificate.h"

#include <gtest/gtest.h>

#include <ctime>

#include "TestSupport.h"

namespace tributary::rtc {
namespace {

using test::OpenSslFingerprint;
using test::RunCommand;
using test::TempDirectory;

// Seconds since the epoch of "notBefore=Nov 30 08:28:00 2026 GMT" style output.
time_t ParseOpenSslDate(const std::string& output, std::string_view field) {
  const size_t at = output.find(std::string(field) + "=");
  if (at == std::string::npos) return 0;
  std::tm tm{};
  if (strptime(output.c_str() + at + field.size() + 1, "%b %d %H:%M:%S %Y GMT", &tm) == nullptr) {
    return 0;
  }
  return timegm(&tm);
}

class DtlsCertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::HaveOpenSslTool()) GTEST_SKIP() << "the openssl command is not installed";
  }
  TempDirectory dir_;
};

TEST_F(DtlsCertificateTest, Generate_MakesSelfSignedP256CertificateAsSpecified) {
  const auto certificate = DtlsCertificate::Generate();
  const std::string path = dir_.Write("cert.pem", certificate.CertificatePem());

  const auto text = RunCommand("openssl x509 -noout -text -in '" + path + "'");
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.output.find("Subject: CN = tributary"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Issuer: CN = tributary"), std::string::npos);
  EXPECT_NE(text.output.find("ASN1 OID: prime256v1"), std::string::npos);
  EXPECT_NE(text.output.find("Signature Algorithm: ecdsa-with-SHA256"), std::string::npos);
  EXPECT_NE(text.output.find("Version: 3"), std::string::npos);
  // Self-signed: it verifies against itself.
  EXPECT_EQ(RunCommand("openssl verify -CAfile '" + path + "' '" + path + "' >/dev/null").exit_code,
            0);

  const auto dates = RunCommand("openssl x509 -noout -startdate -enddate -in '" + path + "'");
  const time_t now = time(nullptr);
  const time_t not_before = ParseOpenSslDate(dates.output, "notBefore");
  const time_t not_after = ParseOpenSslDate(dates.output, "notAfter");
  EXPECT_NEAR(static_cast<double>(now - not_before), 30 * 86400.0, 120.0) << dates.output;
  EXPECT_NEAR(static_cast<double>(not_after - now), 365 * 86400.0, 120.0) << dates.output;
}

TEST_F(DtlsCertificateTest, Generate_GivesEachCertificateItsOwnKeyAndSerial) {
  const auto a = DtlsCertificate::Generate();
  const auto b = DtlsCertificate::Generate();
  EXPECT_FALSE(a.Sha256Fingerprint() == b.Sha256Fingerprint());
  const auto serial = [&](const DtlsCertificate& c, const char* name) {
    return RunCommand("openssl x509 -noout -serial -in '" + dir_.Write(name, c.CertificatePem()) +
                      "'")
        .output;
  };
  EXPECT_NE(serial(a, "a.pem"), serial(b, "b.pem"));
  EXPECT_NE(a.PrivateKeyPem(), b.PrivateKeyPem());
}

TEST_F(DtlsCertificateTest, Fingerprints_AgreeWithOpenSslTool) {
  const auto certificate = DtlsCertificate::Generate();
  const std::string path = dir_.Write("cert.pem", certificate.CertificatePem());
  EXPECT_EQ(certificate.SdpFingerprint(), OpenSslFingerprint(path, "sha256"));
  EXPECT_EQ(certificate.Fingerprint(DtlsFingerprint::Algorithm::kSha1).ToString(),
            OpenSslFingerprint(path, "sha1"));
  EXPECT_EQ(certificate.Fingerprint(DtlsFingerprint::Algorithm::kSha384).ToString(),
            OpenSslFingerprint(path, "sha384"));
  EXPECT_EQ(certificate.Fingerprint(DtlsFingerprint::Algorithm::kSha512).ToString(),
            OpenSslFingerprint(path, "sha512"));
  EXPECT_EQ(certificate.SdpFingerprint().rfind("sha-256 ", 0), 0u);
}

TEST_F(DtlsCertificateTest, LoadPemFiles_ReadsBackAGeneratedCertificate) {
  const auto generated = DtlsCertificate::Generate();
  const auto loaded = DtlsCertificate::LoadPemFiles(dir_.Write("c.pem", generated.CertificatePem()),
                                                    dir_.Write("k.pem", generated.PrivateKeyPem()));
  EXPECT_EQ(loaded.Sha256Fingerprint(), generated.Sha256Fingerprint());
  EXPECT_EQ(loaded.CertificatePem(), generated.CertificatePem());
}

TEST_F(DtlsCertificateTest, LoadPemFiles_ReadsRsaAndEcFilesFromOpenSslTool) {
  for (const char* algorithm : {"rsa:2048", "ec -pkeyopt ec_paramgen_curve:P-384"}) {
    const std::string cert = dir_.File("tool-cert.pem");
    const std::string key = dir_.File("tool-key.pem");
    ASSERT_EQ(RunCommand("openssl req -x509 -newkey " + std::string(algorithm) +
                         " -nodes -subj /CN=operator -days 2 -keyout '" + key + "' -out '" + cert +
                         "' 2>/dev/null")
                  .exit_code,
              0);
    const auto loaded = DtlsCertificate::LoadPemFiles(cert, key);
    EXPECT_EQ(loaded.SdpFingerprint(), OpenSslFingerprint(cert, "sha256")) << algorithm;
  }
}

// The message of the DtlsCertificateError thrown by `load`.
template <typename Fn>
std::string ErrorOf(Fn load) {
  try {
    load();
  } catch (const DtlsCertificateError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_F(DtlsCertificateTest, LoadPemFiles_ExplainsWhatIsWrong) {
  const auto a = DtlsCertificate::Generate();
  const auto b = DtlsCertificate::Generate();
  const std::string cert = dir_.Write("a-cert.pem", a.CertificatePem());
  const std::string key = dir_.Write("a-key.pem", a.PrivateKeyPem());
  const std::string other_key = dir_.Write("b-key.pem", b.PrivateKeyPem());
  const std::string missing = dir_.File("missing.pem");

  std::string error = ErrorOf([&] { DtlsCertificate::LoadPemFiles(missing, key); });
  EXPECT_NE(error.find("cannot read DTLS certificate file '" + missing + "'"), std::string::npos)
      << error;
  EXPECT_NE(error.find("No such file"), std::string::npos) << error;

  error = ErrorOf([&] { DtlsCertificate::LoadPemFiles(cert, missing); });
  EXPECT_NE(error.find("cannot read DTLS private key file '" + missing + "'"), std::string::npos)
      << error;

  error = ErrorOf([&] { DtlsCertificate::LoadPemFiles(key, key); });
  EXPECT_NE(error.find("'" + key + "' is not a certificate"), std::string::npos) << error;

  error = ErrorOf([&] { DtlsCertificate::LoadPemFiles(cert, cert); });
  EXPECT_NE(error.find("'" + cert + "' is not a private key"), std::string::npos) << error;

  error = ErrorOf([&] { DtlsCertificate::LoadPemFiles(cert, other_key); });
  EXPECT_NE(error.find("private key '" + other_key + "' does not match certificate '" + cert + "'"),
            std::string::npos)
      << error;

  const std::string encrypted = dir_.File("encrypted.pem");
  ASSERT_EQ(RunCommand("openssl pkey -in '" + key + "' -aes128 -passout pass:secret -out '" +
                       encrypted + "'")
                .exit_code,
            0);
  error = ErrorOf([&] { DtlsCertificate::LoadPemFiles(cert, encrypted); });
  EXPECT_NE(error.find("encrypted"), std::string::npos) << error;

  error = ErrorOf([&] { DtlsCertificate::FromPem("garbage", "garbage"); });
  EXPECT_NE(error.find("is not a certificate"), std::string::npos) << error;
}

}  // namespace
}  // namespace tributary::rtc
