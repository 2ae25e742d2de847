#pragma once

// The client side of WHIP/WHEP (edge pulls and pushes, command-line tools): builds an offer,
// then reads the server's answer into the same SdpNegotiation that SdpAnswerer produces.
//
//   SdpOfferOptions options;
//   options.ice_ufrag = ...; options.ice_pwd = ...; options.fingerprint = ...;
//   options.sections = {SdpOfferSection::Defaults(MediaKind::kAudio, SdpDirection::kSendOnly, "0"),
//                       SdpOfferSection::Defaults(MediaKind::kVideo, SdpDirection::kSendOnly,
//                       "1")};
//   SessionDescription offer = SdpOfferer::BuildOffer(options);
//   POST SdpWriter::Write(offer) ... then, with the 201's body parsed:
//   auto result = SdpOfferer::ApplyAnswer(offer, answer, error);

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rtc/SdpCandidate.h"
#include "rtc/SdpNegotiation.h"
#include "rtc/SessionDescription.h"

namespace tributary::rtc {

// One m= section to offer.
struct SdpOfferSection {
  MediaKind kind = MediaKind::kVideo;
  std::string mid;
  SdpDirection direction = SdpDirection::kSendOnly;
  // The codecs with the payload types to offer, in preference order; rtx_payload_type adds an
  // RTX payload type for the codec.
  std::vector<SdpNegotiatedCodec> codecs;
  std::vector<SdpNegotiatedExtension> extensions;
  bool rtcp_rsize = true;
  // What this side sends (when the direction sends): SSRC, RTX SSRC (0: none), cname, msid.
  uint32_t ssrc = 0;
  uint32_t rtx_ssrc = 0;
  std::string cname;
  std::string stream_id;
  std::string track_id;
  // Simulcast layers to send (a=rid:<id> send and a=simulcast:send <id>;<id>...); when given,
  // no a=ssrc lines are written (the layers are told apart by rid).
  std::vector<std::string> simulcast_rids;

  // The codecs and extensions this project forwards, with the payload types Chromium uses:
  // audio opus 111; video VP8 96 (RTX 97), VP9 profile 0 98 (99), H.264 Constrained Baseline
  // packetization-mode 1 102 (103), AV1 45 (46). Extensions mid, abs-send-time,
  // transport-wide-cc, and ssrc-audio-level (audio) or rtp-stream-id and
  // repaired-rtp-stream-id (video).
  static SdpOfferSection Defaults(MediaKind kind, SdpDirection direction, std::string mid);
};

struct SdpOfferOptions {
  std::string ice_ufrag;
  std::string ice_pwd;
  std::vector<std::string> ice_options = {"trickle"};
  SdpFingerprint fingerprint;
  std::vector<SdpCandidate> candidates;
  bool end_of_candidates = false;
  std::vector<SdpOfferSection> sections;
  bool data_channel = false;  // add an m=application section after the media
  std::string data_mid;       // empty: the section's index
  uint16_t sctp_port = 5000;
  uint64_t max_message_size = 262144;
  std::string session_id;  // empty: random
  std::string origin_address = "127.0.0.1";
};

class SdpOfferer {
 public:
  // Every section in one BUNDLE group, setup actpass.
  static SessionDescription BuildOffer(const SdpOfferOptions& options);
  // Checks the answer against the offer (same sections, payload types and extension ids that
  // were offered, a DTLS role) and says what was agreed.
  static std::optional<SdpNegotiation> ApplyAnswer(const SessionDescription& offer,
                                                   const SessionDescription& answer,
                                                   std::string& error);
};

}  // namespace tributary::rtc
