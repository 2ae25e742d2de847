#pragma once

// The SRTP protection profiles DTLS-SRTP can negotiate (RFC 5764 4.1.2, RFC 7714 14.2), with
// their names as the IANA registry and SDP spell them and the key sizes each one needs.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tributary::rtc {

enum class SrtpProfile : uint8_t {
  kNone = 0,
  kAesCm128HmacSha1_80,  // SRTP_AES128_CM_HMAC_SHA1_80 (0x0001)
  kAesCm128HmacSha1_32,  // SRTP_AES128_CM_HMAC_SHA1_32 (0x0002)
  kAeadAes128Gcm,        // SRTP_AEAD_AES_128_GCM (0x0007)
  kAeadAes256Gcm,        // SRTP_AEAD_AES_256_GCM (0x0008)
};

// The largest master key + master salt of any profile (AEAD_AES_256_GCM: 32 + 12).
inline constexpr size_t kSrtpMaxKeyingMaterialLength = 44;

// DTLS-SRTP profile name of the IANA registry ("SRTP_AEAD_AES_128_GCM"); "" for kNone.
std::string_view SrtpProfileDtlsName(SrtpProfile profile);
// SRTP crypto-suite name as in RFC 4568/7714 ("AEAD_AES_128_GCM"); "" for kNone.
std::string_view SrtpProfileName(SrtpProfile profile);
// Accepts either kind of name (case-sensitive, as both registries spell them).
std::optional<SrtpProfile> ParseSrtpProfile(std::string_view name);

// The two-byte SRTPProtectionProfile of the use_srtp extension; 0 for kNone.
uint16_t SrtpProfileId(SrtpProfile profile);
std::optional<SrtpProfile> SrtpProfileFromId(uint16_t id);

// Master key and master salt lengths in bytes (RFC 5764 4.1.2, RFC 7714 12): AES-CM 16 + 14,
// AES-128-GCM 16 + 12, AES-256-GCM 32 + 12. 0 for kNone.
size_t SrtpProfileMasterKeyLength(SrtpProfile profile);
size_t SrtpProfileMasterSaltLength(SrtpProfile profile);
// Key followed by salt: the keying material one direction needs.
inline size_t SrtpProfileKeyingMaterialLength(SrtpProfile profile) {
  return SrtpProfileMasterKeyLength(profile) + SrtpProfileMasterSaltLength(profile);
}

}  // namespace tributary::rtc
