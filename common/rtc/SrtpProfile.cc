#include "rtc/SrtpProfile.h"

#include <array>

namespace tributary::rtc {

namespace {

struct ProfileInfo {
  SrtpProfile profile;
  std::string_view dtls_name;
  std::string_view name;
  uint16_t id;
  size_t key_length;
  size_t salt_length;
};

constexpr std::array<ProfileInfo, 4> kProfiles{{
    {SrtpProfile::kAesCm128HmacSha1_80, "SRTP_AES128_CM_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_80",
     0x0001, 16, 14},
    {SrtpProfile::kAesCm128HmacSha1_32, "SRTP_AES128_CM_HMAC_SHA1_32", "AES_CM_128_HMAC_SHA1_32",
     0x0002, 16, 14},
    {SrtpProfile::kAeadAes128Gcm, "SRTP_AEAD_AES_128_GCM", "AEAD_AES_128_GCM", 0x0007, 16, 12},
    {SrtpProfile::kAeadAes256Gcm, "SRTP_AEAD_AES_256_GCM", "AEAD_AES_256_GCM", 0x0008, 32, 12},
}};

const ProfileInfo* Find(SrtpProfile profile) {
  for (const auto& info : kProfiles) {
    if (info.profile == profile) return &info;
  }
  return nullptr;
}

}  // namespace

std::string_view SrtpProfileDtlsName(SrtpProfile profile) {
  const auto* info = Find(profile);
  return info ? info->dtls_name : std::string_view{};
}

std::string_view SrtpProfileName(SrtpProfile profile) {
  const auto* info = Find(profile);
  return info ? info->name : std::string_view{};
}

std::optional<SrtpProfile> ParseSrtpProfile(std::string_view name) {
  for (const auto& info : kProfiles) {
    if (name == info.name || name == info.dtls_name) return info.profile;
  }
  return std::nullopt;
}

uint16_t SrtpProfileId(SrtpProfile profile) {
  const auto* info = Find(profile);
  return info ? info->id : 0;
}

std::optional<SrtpProfile> SrtpProfileFromId(uint16_t id) {
  for (const auto& info : kProfiles) {
    if (info.id == id) return info.profile;
  }
  return std::nullopt;
}

size_t SrtpProfileMasterKeyLength(SrtpProfile profile) {
  const auto* info = Find(profile);
  return info ? info->key_length : 0;
}

size_t SrtpProfileMasterSaltLength(SrtpProfile profile) {
  const auto* info = Find(profile);
  return info ? info->salt_length : 0;
}

}  // namespace tributary::rtc
