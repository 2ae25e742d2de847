#pragma once

// The server side of WHIP/WHEP: answers a client's offer (RFC 8829 JSEP, RFC 8843 BUNDLE).
//
//   SdpAnswerOptions options;
//   options.direction = SdpDirection::kRecvOnly;     // WHIP publish; kSendOnly for WHEP play
//   options.transport = {ufrag, pwd, ice_lite, fingerprint, candidates};
//   options.allowed_codecs = {"opus", "vp8"};        // e.g. the vhost's list
//   std::string error;
//   auto result = SdpAnswerer::Answer(offer, options, error);   // nothing: error says why
//   respond(result->local_sdp); use result->media[i].codecs, .extensions, .remote_ssrcs ...
//
// Each offered section is accepted or rejected (port 0, with the reason in the result). An
// offer of which no section can be accepted is an error. Every accepted section is put on one
// transport (BUNDLE). Payload types and header extension ids are the offerer's.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rtc/SdpCandidate.h"
#include "rtc/SdpCodecCapability.h"
#include "rtc/SdpNegotiation.h"
#include "rtc/SessionDescription.h"

namespace tributary::rtc {

// This endpoint's ICE and DTLS parameters.
struct SdpLocalTransport {
  std::string ice_ufrag;
  std::string ice_pwd;
  bool ice_lite = true;
  std::vector<std::string> ice_options;
  SdpFingerprint fingerprint;  // of the DTLS certificate, e.g. {"sha-256", "AB:CD:..."}
  std::vector<SdpCandidate> candidates;
  bool end_of_candidates = true;
};

// An RTP header extension this endpoint supports, and for which kinds of media.
struct SdpHeaderExtensionCapability {
  std::string uri;
  bool audio = true;
  bool video = true;

  // mid, rtp-stream-id, repaired-rtp-stream-id, abs-send-time, transport-wide-cc-01,
  // ssrc-audio-level, toffset, video-orientation, playout-delay, abs-capture-time.
  static std::vector<SdpHeaderExtensionCapability> Defaults();
};

// A stream this endpoint sends (WHEP play): announced in the answer's section of its kind.
struct SdpLocalTrack {
  MediaKind kind = MediaKind::kVideo;
  uint32_t ssrc = 0;
  uint32_t rtx_ssrc = 0;  // 0: none (only used when an RTX payload type is negotiated)
  std::string cname;
  std::string stream_id;
  std::string track_id;
};

struct SdpAnswerOptions {
  SdpLocalTransport transport;
  // The DTLS role taken when the offer says actpass; an offer that says active or passive gets
  // the other one.
  SdpSetup setup = SdpSetup::kPassive;
  // What this endpoint does: kRecvOnly (WHIP publish), kSendOnly (WHEP play), kSendRecv.
  SdpDirection direction = SdpDirection::kRecvOnly;
  std::vector<SdpCodecCapability> codecs = SdpCodecCapability::Defaults();  // by preference
  std::vector<std::string> allowed_codecs;  // codec names, any case; empty: all of `codecs`
  size_t max_codecs_per_section = 0;        // 0: every codec both sides support
  std::vector<SdpHeaderExtensionCapability> header_extensions =
      SdpHeaderExtensionCapability::Defaults();
  std::vector<SdpLocalTrack> tracks;  // for sending; each kind's sections take them in order
  bool accept_data_channels = true;
  bool require_media = true;  // reject an offer of data channels only
  uint16_t sctp_port = 5000;
  uint64_t max_message_size = 262144;
  std::string session_id;  // o= line; empty: random
  std::string origin_address = "127.0.0.1";
};

class SdpAnswerer {
 public:
  static std::optional<SdpNegotiation> Answer(const SessionDescription& offer,
                                              const SdpAnswerOptions& options, std::string& error);
};

}  // namespace tributary::rtc
