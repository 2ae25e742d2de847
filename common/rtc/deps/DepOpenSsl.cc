#include "rtc/deps/DepOpenSsl.h"

#include <memory>
#include <mutex>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "base/Random.h"

namespace tributary::rtc {

void DepOpenSsl::ClassInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS,
                         nullptr) != 1) {
      throw std::runtime_error("OpenSSL initialization failed");
    }
  });
}

std::string DepOpenSsl::VersionString() {
  return OpenSSL_version(OPENSSL_VERSION);
}

namespace {

template <size_t N>
std::array<uint8_t, N> Hmac(const EVP_MD* md, std::span<const uint8_t> key,
                            std::initializer_list<std::span<const uint8_t>> parts) {
  // HMAC_CTX is deprecated in OpenSSL 3 but is still the cheapest one-shot path; EVP_MAC costs
  // a fetch per call. One context per thread, reused: no allocation per STUN packet.
  // Freed when the thread ends (a raw thread_local pointer leaked one per thread).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  struct HmacCtxFree {
    void operator()(HMAC_CTX* p) const { HMAC_CTX_free(p); }
  };
  thread_local const std::unique_ptr<HMAC_CTX, HmacCtxFree> owned(HMAC_CTX_new());
#pragma GCC diagnostic pop
  HMAC_CTX* ctx = owned.get();
  std::array<uint8_t, N> out{};
  unsigned int len = 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  HMAC_Init_ex(ctx, key.data(), static_cast<int>(key.size()), md, nullptr);
  for (const auto& part : parts)
    HMAC_Update(ctx, part.data(), part.size());
  HMAC_Final(ctx, out.data(), &len);
#pragma GCC diagnostic pop
  return out;
}

}  // namespace

DepOpenSsl::Sha1Digest DepOpenSsl::HmacSha1(std::span<const uint8_t> key,
                                            std::initializer_list<std::span<const uint8_t>> parts) {
  return Hmac<20>(EVP_sha1(), key, parts);
}

DepOpenSsl::Sha256Digest DepOpenSsl::HmacSha256(
    std::span<const uint8_t> key, std::initializer_list<std::span<const uint8_t>> parts) {
  return Hmac<32>(EVP_sha256(), key, parts);
}

DepOpenSsl::Sha256Digest DepOpenSsl::Sha256(std::span<const uint8_t> data) {
  Sha256Digest out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

namespace {

struct OpenSslFree {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(uint8_t* p) const { OPENSSL_free(p); }
};
template <typename T>
using OpenSslPtr = std::unique_ptr<T, OpenSslFree>;

const EVP_MD* DigestMd(DepOpenSsl::DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DepOpenSsl::DigestAlgorithm::kSha1:
      return EVP_sha1();
    case DepOpenSsl::DigestAlgorithm::kSha224:
      return EVP_sha224();
    case DepOpenSsl::DigestAlgorithm::kSha256:
      return EVP_sha256();
    case DepOpenSsl::DigestAlgorithm::kSha384:
      return EVP_sha384();
    case DepOpenSsl::DigestAlgorithm::kSha512:
      return EVP_sha512();
  }
  return EVP_sha256();
}

// Runs an i2d_* function twice (size, then bytes) into a vector.
template <typename T, typename Fn>
std::vector<uint8_t> ToDer(T* object, Fn i2d) {
  const int size = i2d(object, nullptr);
  if (size <= 0) throw std::runtime_error("DER encoding failed: " + DepOpenSsl::DrainErrors());
  std::vector<uint8_t> out(static_cast<size_t>(size));
  uint8_t* p = out.data();
  if (i2d(object, &p) != size) {
    throw std::runtime_error("DER encoding failed: " + DepOpenSsl::DrainErrors());
  }
  return out;
}

OpenSslPtr<X509> X509FromDer(std::span<const uint8_t> der) {
  const uint8_t* p = der.data();
  return OpenSslPtr<X509>(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

OpenSslPtr<EVP_PKEY> PrivateKeyFromDer(std::span<const uint8_t> der) {
  const uint8_t* p = der.data();
  return OpenSslPtr<EVP_PKEY>(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
}

OpenSslPtr<BIO> MemoryBio(std::string_view text) {
  return OpenSslPtr<BIO>(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

// A PEM passphrase callback that refuses: an encrypted key fails instead of prompting on a tty.
int NoPassphrase(char*, int, int, void*) {
  return 0;
}

}  // namespace

DepOpenSsl::Digest DepOpenSsl::ComputeDigest(DigestAlgorithm algorithm,
                                             std::span<const uint8_t> data) {
  ClassInit();
  Digest out;
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.bytes.data(), &len, DigestMd(algorithm), nullptr) !=
      1) {
    throw std::runtime_error("EVP_Digest failed: " + DrainErrors());
  }
  out.size = len;
  return out;
}

DepOpenSsl::CertificateAndKey DepOpenSsl::GenerateSelfSignedCertificate(
    std::string_view common_name, int64_t not_before_offset_s, int64_t not_after_offset_s) {
  ClassInit();
  auto fail = [](const char* what) {
    throw std::runtime_error(std::string("certificate generation failed (") + what +
                             "): " + DrainErrors());
  };

  OpenSslPtr<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) fail("EC P-256 key");

  OpenSslPtr<X509> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1) fail("X509_new");

  // A positive serial of up to 63 bits, never zero (RFC 5280 4.1.2.2).
  std::array<uint8_t, 8> serial_bytes{};
  do {
    base::RandomBytes(serial_bytes);
    serial_bytes[0] &= 0x7f;
  } while (serial_bytes == std::array<uint8_t, 8>{});
  OpenSslPtr<BIGNUM> serial(BN_bin2bn(serial_bytes.data(), serial_bytes.size(), nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    fail("serial");
  }

  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(not_before_offset_s)) ==
          nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(not_after_offset_s)) ==
          nullptr) {
    fail("validity");
  }

  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn(common_name);
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1) {
    fail("name");
  }
  if (X509_set_pubkey(cert.get(), key.get()) != 1) fail("public key");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) fail("signature");

  CertificateAndKey out;
  out.certificate_der = ToDer(cert.get(), i2d_X509);
  out.private_key_der = ToDer(key.get(), i2d_PrivateKey);
  return out;
}

std::optional<std::vector<uint8_t>> DepOpenSsl::CertificatePemToDer(std::string_view pem,
                                                                    std::string& error) {
  ClassInit();
  ERR_clear_error();
  auto bio = MemoryBio(pem);
  OpenSslPtr<X509> cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr)
                            : nullptr);
  if (!cert) {
    const std::string detail = DrainErrors();
    error = "no PEM certificate (\"-----BEGIN CERTIFICATE-----\") could be read";
    if (!detail.empty()) error += ": " + detail;
    return std::nullopt;
  }
  return ToDer(cert.get(), i2d_X509);
}

std::optional<std::vector<uint8_t>> DepOpenSsl::PrivateKeyPemToDer(std::string_view pem,
                                                                   std::string& error) {
  ClassInit();
  ERR_clear_error();
  if (pem.find("ENCRYPTED") != std::string_view::npos) {
    error = "the private key is encrypted; give an unencrypted PEM key";
    return std::nullopt;
  }
  auto bio = MemoryBio(pem);
  OpenSslPtr<EVP_PKEY> key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr)
                               : nullptr);
  if (!key) {
    const std::string detail = DrainErrors();
    error = "no PEM private key (\"-----BEGIN PRIVATE KEY-----\") could be read";
    if (!detail.empty()) error += ": " + detail;
    return std::nullopt;
  }
  return ToDer(key.get(), i2d_PrivateKey);
}

bool DepOpenSsl::PrivateKeyMatchesCertificate(std::span<const uint8_t> certificate_der,
                                              std::span<const uint8_t> private_key_der) {
  ClassInit();
  auto cert = X509FromDer(certificate_der);
  auto key = PrivateKeyFromDer(private_key_der);
  const bool match = cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
  ERR_clear_error();
  return match;
}

std::string DepOpenSsl::CertificateDerToPem(std::span<const uint8_t> certificate_der) {
  ClassInit();
  auto cert = X509FromDer(certificate_der);
  OpenSslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!cert || !bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) {
    throw std::runtime_error("PEM encoding of the certificate failed: " + DrainErrors());
  }
  return BioToString(bio.get());
}

std::string DepOpenSsl::PrivateKeyDerToPem(std::span<const uint8_t> private_key_der) {
  ClassInit();
  auto key = PrivateKeyFromDer(private_key_der);
  OpenSslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!key || !bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("PEM encoding of the private key failed: " + DrainErrors());
  }
  return BioToString(bio.get());
}

std::string DepOpenSsl::DrainErrors() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

void DepOpenSsl::Cleanse(std::span<uint8_t> secret) {
  OPENSSL_cleanse(secret.data(), secret.size());
}

bool DepOpenSsl::ConstantTimeEqual(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool DepOpenSsl::ConstantTimeEqual(std::string_view a, std::string_view b) {
  return ConstantTimeEqual(AsBytes(a), AsBytes(b));
}

}  // namespace tributary::rtc
