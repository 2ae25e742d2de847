#pragma once

// The header extensions the SFU understands, and their SDP URIs (a=extmap).

#include <cstdint>
#include <string_view>

namespace tributary::rtc {

enum class RtpExtensionKind : uint8_t {
  kUnknown,
  kMid,              // urn:ietf:params:rtp-hdrext:sdes:mid (RFC 8843)
  kRid,              // urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id (RFC 8852)
  kRepairedRid,      // urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id (RFC 8852)
  kAbsSendTime,      // http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
  kTransportWideCc,  // draft-holmer-rmcat-transport-wide-cc-extensions-01
  kAudioLevel,       // urn:ietf:params:rtp-hdrext:ssrc-audio-level (RFC 6464)
};

RtpExtensionKind RtpExtensionKindFromUri(std::string_view uri);
// The URI of `kind`; empty for kUnknown.
std::string_view RtpExtensionUri(RtpExtensionKind kind);

}  // namespace tributary::rtc
