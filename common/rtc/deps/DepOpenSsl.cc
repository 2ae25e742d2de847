#include "rtc/deps/DepOpenSsl.h"

#include <mutex>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>
#include <openssl/ssl.h>

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

std::string DepOpenSsl::VersionString() { return OpenSSL_version(OPENSSL_VERSION); }

namespace {

template <size_t N>
std::array<uint8_t, N> Hmac(const EVP_MD* md, std::span<const uint8_t> key,
                            std::initializer_list<std::span<const uint8_t>> parts) {
  // HMAC_CTX is deprecated in OpenSSL 3 but is still the cheapest one-shot path; EVP_MAC costs
  // a fetch per call. One context per thread, reused: no allocation per STUN packet.
  thread_local HMAC_CTX* ctx = [] {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    return HMAC_CTX_new();
  }();
  std::array<uint8_t, N> out{};
  unsigned int len = 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  HMAC_Init_ex(ctx, key.data(), static_cast<int>(key.size()), md, nullptr);
  for (const auto& part : parts) HMAC_Update(ctx, part.data(), part.size());
  HMAC_Final(ctx, out.data(), &len);
#pragma GCC diagnostic pop
  return out;
}

}  // namespace

DepOpenSsl::Sha1Digest DepOpenSsl::HmacSha1(
    std::span<const uint8_t> key, std::initializer_list<std::span<const uint8_t>> parts) {
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

bool DepOpenSsl::ConstantTimeEqual(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool DepOpenSsl::ConstantTimeEqual(std::string_view a, std::string_view b) {
  return ConstantTimeEqual(AsBytes(a), AsBytes(b));
}

}  // namespace tributary::rtc
