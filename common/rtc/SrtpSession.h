#pragma once

// One direction of SRTP/SRTCP for one DTLS-SRTP association, over libsrtp2 (RFC 3711, RFC 7714).
//
// An outbound session protects every SSRC we send on the transport (ssrc_any_outbound); an
// inbound session unprotects every SSRC the peer sends (ssrc_any_inbound). libsrtp keeps one
// stream per SSRC, created on the first packet of that SSRC (the only allocation; packets after
// it allocate nothing). Packets are transformed in place.
//
// Replay window: kReplayWindowSize packets for SRTP, so that NACK-driven retransmissions that
// arrive late are still accepted; SRTCP has libsrtp's fixed 128-packet window. Outbound sessions
// allow the same RTP packet (same SSRC and sequence number, same payload) to be protected again,
// which retransmissions from a packet cache need; libsrtp keeps a window on the sending side too,
// so a packet more than kReplayWindowSize behind the newest one sent is refused (kReplayOld).
//
// Not thread-safe: one worker owns a session.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "rtc/SrtpProfile.h"

struct srtp_ctx_t_;

namespace tributary::rtc {

class SrtpSession {
 public:
  enum class Direction { kInbound, kOutbound };
  // Why a packet was dropped, so that callers can count drops by reason.
  enum class Result {
    kOk,
    kAuthFail,        // authentication tag mismatch (tampered, or wrong keys)
    kReplayFail,      // a packet index already received (inbound)
    kReplayOld,       // older than the replay window
    kBufferTooSmall,  // no room for the trailer: capacity < len + trailer length
    kOther,           // malformed packet, wrong direction, or another libsrtp error
  };

  static constexpr unsigned long kReplayWindowSize = 1024;
  // The most bytes ProtectRtp / ProtectRtcp append, over every profile (GCM tag; GCM tag plus
  // the 4-byte E flag and SRTCP index).
  static constexpr size_t kMaxRtpTrailerLength = 16;
  static constexpr size_t kMaxRtcpTrailerLength = 20;

  // `keying_material` is the master key followed by the master salt, of the lengths the profile
  // needs (SrtpProfileKeyingMaterialLength). Throws std::invalid_argument for kNone or a wrong
  // length, std::runtime_error if libsrtp2 refuses the policy.
  SrtpSession(Direction direction, SrtpProfile profile, std::span<const uint8_t> keying_material);
  ~SrtpSession();
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  // In place. `len` is the packet's length on entry and on success; `capacity` is how many bytes
  // `data` can hold (at least len + RtpTrailerLength()). On failure len is unchanged.
  Result ProtectRtp(uint8_t* data, size_t& len, size_t capacity);
  Result ProtectRtcp(uint8_t* data, size_t& len, size_t capacity);
  // In place; on success `len` shrinks by the trailer.
  Result UnprotectRtp(uint8_t* data, size_t& len);
  Result UnprotectRtcp(uint8_t* data, size_t& len);

  // Forgets one SSRC's stream (its rollover counter and replay window), when a sender goes away.
  void RemoveStream(uint32_t ssrc);

  Direction GetDirection() const { return direction_; }
  SrtpProfile GetProfile() const { return profile_; }
  size_t RtpTrailerLength() const { return rtp_trailer_length_; }
  size_t RtcpTrailerLength() const { return rtcp_trailer_length_; }

  static std::string_view ResultName(Result result);

 private:
  Direction direction_;
  SrtpProfile profile_;
  size_t rtp_trailer_length_ = 0;
  size_t rtcp_trailer_length_ = 0;
  srtp_ctx_t_* session_ = nullptr;  // owned; srtp_dealloc in the destructor
};

}  // namespace tributary::rtc
