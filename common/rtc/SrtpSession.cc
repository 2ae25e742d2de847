#include "rtc/SrtpSession.h"

#include <array>
#include <climits>
#include <cstring>
#include <stdexcept>
#include <string>

#include <arpa/inet.h>
#include <srtp2/srtp.h>

#include "rtc/deps/DepLibSrtp.h"

namespace tributary::rtc {

namespace {

constexpr size_t kRtpHeaderSize = 12;
constexpr size_t kRtcpHeaderSize = 8;
// SRTCP appends the E flag and the 31-bit SRTCP index after the payload (RFC 3711 3.4).
constexpr size_t kSrtcpIndexSize = 4;

SrtpSession::Result FromStatus(srtp_err_status_t status) {
  switch (status) {
    case srtp_err_status_ok:
      return SrtpSession::Result::kOk;
    case srtp_err_status_auth_fail:
      return SrtpSession::Result::kAuthFail;
    case srtp_err_status_replay_fail:
      return SrtpSession::Result::kReplayFail;
    case srtp_err_status_replay_old:
      return SrtpSession::Result::kReplayOld;
    default:
      return SrtpSession::Result::kOther;
  }
}

}  // namespace

SrtpSession::SrtpSession(Direction direction, SrtpProfile profile,
                         std::span<const uint8_t> keying_material)
    : direction_(direction), profile_(profile) {
  DepLibSrtp::ClassInit();

  const size_t expected = SrtpProfileKeyingMaterialLength(profile);
  if (expected == 0) throw std::invalid_argument("SRTP session needs an SRTP profile");
  if (keying_material.size() != expected) {
    throw std::invalid_argument(std::string(SrtpProfileName(profile)) + " needs " +
                                std::to_string(expected) + " bytes of key and salt, got " +
                                std::to_string(keying_material.size()));
  }

  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof(policy));
  switch (profile) {
    case SrtpProfile::kAesCm128HmacSha1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      rtp_trailer_length_ = 10;
      rtcp_trailer_length_ = 10 + kSrtcpIndexSize;
      break;
    case SrtpProfile::kAesCm128HmacSha1_32:
      // RFC 5764 4.1.2: the 32-bit tag applies to SRTP only; SRTCP keeps the 80-bit tag.
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      rtp_trailer_length_ = 4;
      rtcp_trailer_length_ = 10 + kSrtcpIndexSize;
      break;
    case SrtpProfile::kAeadAes128Gcm:
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
      rtp_trailer_length_ = 16;
      rtcp_trailer_length_ = 16 + kSrtcpIndexSize;
      break;
    case SrtpProfile::kAeadAes256Gcm:
      srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp);
      rtp_trailer_length_ = 16;
      rtcp_trailer_length_ = 16 + kSrtcpIndexSize;
      break;
    case SrtpProfile::kNone:
      break;
  }

  // libsrtp copies the key into its own contexts during srtp_create; ours is wiped after.
  std::array<uint8_t, kSrtpMaxKeyingMaterialLength> key{};
  std::memcpy(key.data(), keying_material.data(), keying_material.size());
  policy.key = key.data();
  policy.ssrc.type = direction == Direction::kInbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.window_size = kReplayWindowSize;
  policy.allow_repeat_tx = direction == Direction::kOutbound ? 1 : 0;
  policy.next = nullptr;

  const srtp_err_status_t status = srtp_create(&session_, &policy);
  volatile uint8_t* wipe = key.data();
  for (size_t i = 0; i < key.size(); ++i)
    wipe[i] = 0;
  if (status != srtp_err_status_ok) {
    session_ = nullptr;
    throw std::runtime_error("srtp_create failed for " + std::string(SrtpProfileName(profile)) +
                             ": " + std::string(DepLibSrtp::ErrorName(status)));
  }
}

SrtpSession::~SrtpSession() {
  if (session_ != nullptr) srtp_dealloc(session_);
}

SrtpSession::Result SrtpSession::ProtectRtp(uint8_t* data, size_t& len, size_t capacity) {
  if (direction_ != Direction::kOutbound || len < kRtpHeaderSize) return Result::kOther;
  if (capacity < len + rtp_trailer_length_ || capacity > INT_MAX) return Result::kBufferTooSmall;
  int out_len = static_cast<int>(len);
  const srtp_err_status_t status = srtp_protect(session_, data, &out_len);
  if (status != srtp_err_status_ok) return FromStatus(status);
  len = static_cast<size_t>(out_len);
  return Result::kOk;
}

SrtpSession::Result SrtpSession::ProtectRtcp(uint8_t* data, size_t& len, size_t capacity) {
  if (direction_ != Direction::kOutbound || len < kRtcpHeaderSize) return Result::kOther;
  if (capacity < len + rtcp_trailer_length_ || capacity > INT_MAX) return Result::kBufferTooSmall;
  int out_len = static_cast<int>(len);
  const srtp_err_status_t status = srtp_protect_rtcp(session_, data, &out_len);
  if (status != srtp_err_status_ok) return FromStatus(status);
  len = static_cast<size_t>(out_len);
  return Result::kOk;
}

SrtpSession::Result SrtpSession::UnprotectRtp(uint8_t* data, size_t& len) {
  if (direction_ != Direction::kInbound || len < kRtpHeaderSize + rtp_trailer_length_ ||
      len > INT_MAX) {
    return Result::kOther;
  }
  int out_len = static_cast<int>(len);
  const srtp_err_status_t status = srtp_unprotect(session_, data, &out_len);
  if (status != srtp_err_status_ok) return FromStatus(status);
  len = static_cast<size_t>(out_len);
  return Result::kOk;
}

SrtpSession::Result SrtpSession::UnprotectRtcp(uint8_t* data, size_t& len) {
  if (direction_ != Direction::kInbound || len < kRtcpHeaderSize + rtcp_trailer_length_ ||
      len > INT_MAX) {
    return Result::kOther;
  }
  int out_len = static_cast<int>(len);
  const srtp_err_status_t status = srtp_unprotect_rtcp(session_, data, &out_len);
  if (status != srtp_err_status_ok) return FromStatus(status);
  len = static_cast<size_t>(out_len);
  return Result::kOk;
}

void SrtpSession::RemoveStream(uint32_t ssrc) {
  // libsrtp wants the SSRC in network order, as it appears in packets.
  srtp_remove_stream(session_, htonl(ssrc));
}

std::string_view SrtpSession::ResultName(Result result) {
  switch (result) {
    case Result::kOk:
      return "ok";
    case Result::kAuthFail:
      return "auth_fail";
    case Result::kReplayFail:
      return "replay_fail";
    case Result::kReplayOld:
      return "replay_old";
    case Result::kBufferTooSmall:
      return "buffer_too_small";
    case Result::kOther:
      return "other";
  }
  return "other";
}

}  // namespace tributary::rtc
