#pragma once

// The small value types that SDP lines parse into (RFC 8866 and the WebRTC attributes of RFC 8829,
// 8839, 8843, 8285, 8851, 8853, 8841, 8122). Plain structs compared member by member, so that
// parse(serialize(x)) == x can be checked.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::rtc {

enum class SdpDirection { kSendRecv, kSendOnly, kRecvOnly, kInactive };
enum class SdpSetup { kActPass, kActive, kPassive, kHoldConn };
enum class MediaKind { kAudio, kVideo, kApplication, kOther };

std::string_view ToString(SdpDirection direction);
std::string_view ToString(SdpSetup setup);
std::string_view ToString(MediaKind kind);
std::optional<SdpDirection> ParseSdpDirection(std::string_view text);
std::optional<SdpSetup> ParseSdpSetup(std::string_view text);
MediaKind ParseMediaKind(std::string_view media);

// The direction seen from the other side: sendonly <-> recvonly.
SdpDirection Reverse(SdpDirection direction);
bool Sends(SdpDirection direction);
bool Receives(SdpDirection direction);
SdpDirection MakeDirection(bool send, bool receive);

// Where the parser found an element. Always compares equal, so that a description rebuilt from
// its serialization equals the original although its lines moved.
struct SdpSourceLine {
  size_t number = 0;
  bool operator==(const SdpSourceLine&) const { return true; }
};

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct SdpOrigin {
  std::string username = "-";
  std::string session_id = "0";
  std::string session_version = "0";
  std::string net_type = "IN";
  std::string addr_type = "IP4";
  std::string address = "127.0.0.1";
  bool operator==(const SdpOrigin&) const = default;
};

// c=<nettype> <addrtype> <connection-address>
struct SdpConnection {
  std::string net_type = "IN";
  std::string addr_type = "IP4";
  std::string address = "0.0.0.0";
  bool operator==(const SdpConnection&) const = default;
};

// a=group:<semantics> <mid>... (RFC 5888; BUNDLE is RFC 8843)
struct SdpGroup {
  std::string semantics;
  std::vector<std::string> mids;
  bool operator==(const SdpGroup&) const = default;
};

// a=msid-semantic:<token> <id>... (legacy, still sent by browsers and aiortc)
struct SdpMsidSemantic {
  std::string semantic;
  std::vector<std::string> ids;
  bool operator==(const SdpMsidSemantic&) const = default;
};

// a=fingerprint:<hash-func> <hex pairs> (RFC 8122). The algorithm is stored lowercase and the
// value uppercase, the forms in which they compare.
struct SdpFingerprint {
  std::string algorithm;
  std::string value;
  bool operator==(const SdpFingerprint&) const = default;
};

// a=extmap:<id>[/<direction>] <uri> [<attributes>] (RFC 8285)
struct SdpExtmap {
  uint16_t id = 0;
  std::optional<SdpDirection> direction;
  std::string uri;
  std::string attributes;
  bool operator==(const SdpExtmap&) const = default;
};

// a=rtcp-fb:<pt> <type> [<parameter>] (RFC 4585), e.g. "nack pli", "transport-cc".
struct SdpRtcpFeedback {
  std::string type;
  std::string parameter;
  bool operator==(const SdpRtcpFeedback&) const = default;
};

// One payload type of an RTP m= section: its rtpmap, fmtp and rtcp-fb lines together. `name` is
// empty when the offer gave no rtpmap (a static payload type such as 0 for PCMU).
struct SdpCodec {
  uint8_t payload_type = 0;
  std::string name;
  uint32_t clock_rate = 0;
  uint16_t channels = 0;  // 0: not given (1 for audio, by RFC 4566)
  std::string fmtp;       // the parameters as written, e.g. "minptime=10;useinbandfec=1"
  std::vector<SdpRtcpFeedback> feedback;
  bool operator==(const SdpCodec&) const = default;
};

// a=ssrc:<ssrc> <attribute>[:<value>] lines of one SSRC (RFC 5576).
struct SdpSsrc {
  uint32_t ssrc = 0;
  std::string cname;
  std::string msid;                     // "<stream-id> [<track-id>]" as written
  std::vector<std::string> attributes;  // others, "<name>[:<value>]"
  bool operator==(const SdpSsrc&) const = default;
};

// a=ssrc-group:<semantics> <ssrc>... (FID pairs media and RTX; SIM lists simulcast layers)
struct SdpSsrcGroup {
  std::string semantics;
  std::vector<uint32_t> ssrcs;
  bool operator==(const SdpSsrcGroup&) const = default;
};

// a=rid:<id> send|recv [<restrictions>] (RFC 8851)
struct SdpRid {
  std::string id;
  SdpDirection direction = SdpDirection::kSendOnly;  // kSendOnly or kRecvOnly
  std::vector<uint8_t> payload_types;                // from "pt=96,97"
  std::string restrictions;                          // as written, "pt=96;max-width=1280"
  bool operator==(const SdpRid&) const = default;
};

// a=simulcast:send <alternatives>;... recv ... (RFC 8853). Each stream is a list of
// alternative rids, "~" marking a paused one.
struct SdpSimulcastRid {
  std::string rid;
  bool paused = false;
  bool operator==(const SdpSimulcastRid&) const = default;
};
struct SdpSimulcast {
  std::vector<std::vector<SdpSimulcastRid>> send;
  std::vector<std::vector<SdpSimulcastRid>> recv;
  bool operator==(const SdpSimulcast&) const = default;
};

// a=sctpmap:<port> <protocol> <streams> (draft-ietf-mmusic-sctp-sdp-05, "DTLS/SCTP" offers).
struct SdpSctpMap {
  uint16_t port = 0;
  std::string protocol;
  uint32_t streams = 0;
  bool operator==(const SdpSctpMap&) const = default;
};

// Case-insensitive ASCII comparison, for codec names and hash functions.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLower(std::string_view text);

// The value of one parameter of an fmtp line ("a=b;c=d"), keys compared case-insensitively.
std::optional<std::string> FmtpParameter(std::string_view fmtp, std::string_view key);

}  // namespace tributary::rtc
