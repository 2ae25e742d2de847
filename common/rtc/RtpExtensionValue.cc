#include "rtc/RtpExtensionValue.h"

#include "base/ByteIo.h"

namespace tributary::rtc {

std::optional<uint16_t> RtpExtensionValue::ReadTransportWideSeq(std::span<const uint8_t> value) {
  if (value.size() != 2) return std::nullopt;
  return base::Read16(value.data());
}

std::array<uint8_t, 2> RtpExtensionValue::EncodeTransportWideSeq(uint16_t seq) {
  std::array<uint8_t, 2> bytes;
  base::Write16(bytes.data(), seq);
  return bytes;
}

std::optional<uint32_t> RtpExtensionValue::ReadAbsSendTime(std::span<const uint8_t> value) {
  if (value.size() != 3) return std::nullopt;
  return base::Read24(value.data());
}

std::array<uint8_t, 3> RtpExtensionValue::EncodeAbsSendTime(uint32_t abs_send_time) {
  std::array<uint8_t, 3> bytes;
  base::Write24(bytes.data(), abs_send_time & 0xFFFFFF);
  return bytes;
}

uint32_t RtpExtensionValue::AbsSendTimeFromUs(uint64_t time_us) {
  // 18 fractional bits: (time_us % 64 s) * 2^18 / 10^6, which fits in 64 bits.
  const uint64_t within_period = time_us % (64ull * 1000000);
  return static_cast<uint32_t>((within_period << 18) / 1000000) & 0xFFFFFF;
}

uint32_t RtpExtensionValue::AbsSendTimeFromNtp(uint64_t ntp) {
  // NTP has 32 fractional bits: drop 14 of them and keep 6 bits of seconds.
  return static_cast<uint32_t>(ntp >> 14) & 0xFFFFFF;
}

uint64_t RtpExtensionValue::AbsSendTimeToUs(uint32_t abs_send_time) {
  return (static_cast<uint64_t>(abs_send_time & 0xFFFFFF) * 1000000) >> 18;
}

std::optional<RtpExtensionValue::AudioLevel> RtpExtensionValue::ReadAudioLevel(
    std::span<const uint8_t> value) {
  if (value.size() != 1) return std::nullopt;
  return AudioLevel{(value[0] & 0x80) != 0, static_cast<uint8_t>(value[0] & 0x7F)};
}

std::array<uint8_t, 1> RtpExtensionValue::EncodeAudioLevel(AudioLevel level) {
  return {static_cast<uint8_t>((level.voice_activity ? 0x80 : 0) | (level.level & 0x7F))};
}

std::optional<std::string_view> RtpExtensionValue::ReadSdesString(std::span<const uint8_t> value) {
  if (value.empty()) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(value.data()), value.size());
}

}  // namespace tributary::rtc
