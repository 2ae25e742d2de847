#include "rtc/RtpExtensionKind.h"

#include <array>
#include <utility>

namespace tributary::rtc {

namespace {

constexpr std::array<std::pair<RtpExtensionKind, std::string_view>, 6> kUris = {{
    {RtpExtensionKind::kMid, "urn:ietf:params:rtp-hdrext:sdes:mid"},
    {RtpExtensionKind::kRid, "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"},
    {RtpExtensionKind::kRepairedRid, "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"},
    {RtpExtensionKind::kAbsSendTime, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"},
    {RtpExtensionKind::kTransportWideCc,
     "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"},
    {RtpExtensionKind::kAudioLevel, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"},
}};

}  // namespace

RtpExtensionKind RtpExtensionKindFromUri(std::string_view uri) {
  for (const auto& [kind, known] : kUris) {
    if (known == uri) return kind;
  }
  return RtpExtensionKind::kUnknown;
}

std::string_view RtpExtensionUri(RtpExtensionKind kind) {
  for (const auto& [known, uri] : kUris) {
    if (known == kind) return uri;
  }
  return {};
}

}  // namespace tributary::rtc
