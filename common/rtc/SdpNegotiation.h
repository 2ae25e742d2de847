#pragma once

// What an offer/answer exchange settled, section by section: what the media layer needs to
// set up ICE, DTLS, SRTP and the RTP streams without looking at SDP again. SdpAnswerer (server)
// and SdpOfferer (client) produce it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/SdpCandidate.h"
#include "rtc/SdpTypes.h"
#include "rtc/SessionDescription.h"

namespace tributary::rtc {

// A codec both sides use, with the offerer's payload type (the answerer keeps it).
struct SdpNegotiatedCodec {
  uint8_t payload_type = 0;
  std::string name;
  uint32_t clock_rate = 0;
  uint16_t channels = 0;
  std::string fmtp;
  std::vector<SdpRtcpFeedback> feedback;    // the RTCP feedback both sides use
  std::optional<uint8_t> rtx_payload_type;  // its RTX payload type, when both sides use RTX

  bool operator==(const SdpNegotiatedCodec&) const = default;
};

// An RTP header extension both sides use, with its id in this section.
struct SdpNegotiatedExtension {
  uint16_t id = 0;
  std::string uri;

  bool operator==(const SdpNegotiatedExtension&) const = default;
};

// An SSRC the remote side announced: a media SSRC, its RTX SSRC (a=ssrc-group:FID), its cname
// and msid.
struct SdpRemoteSsrc {
  uint32_t ssrc = 0;
  std::optional<uint32_t> rtx_ssrc;
  std::string cname;
  std::string msid_stream;
  std::string msid_track;

  bool operator==(const SdpRemoteSsrc&) const = default;
};

// The remote side's ICE and DTLS parameters for one transport.
struct SdpRemoteTransport {
  std::string ice_ufrag;
  std::string ice_pwd;
  std::vector<std::string> ice_options;
  bool ice_lite = false;
  std::vector<SdpFingerprint> fingerprints;
  SdpSetup setup = SdpSetup::kActPass;
  std::vector<SdpCandidate> candidates;
  bool end_of_candidates = false;

  bool operator==(const SdpRemoteTransport&) const = default;
};

struct SdpNegotiatedMedia {
  size_t index = 0;  // of the m= section
  std::string mid;
  MediaKind kind = MediaKind::kOther;
  bool accepted = false;
  std::string rejection;  // why not, when not accepted

  SdpDirection direction = SdpDirection::kInactive;  // this endpoint's direction
  std::vector<SdpNegotiatedCodec> codecs;            // in the answer's order of preference
  std::vector<SdpNegotiatedExtension> extensions;
  bool rtcp_rsize = false;

  std::vector<SdpRemoteSsrc> remote_ssrcs;
  std::vector<SdpSsrcGroup> remote_ssrc_groups;  // all of them, SIM included
  std::string remote_msid_stream;                // from a=msid
  std::string remote_msid_track;
  std::vector<SdpRid> remote_rids;  // the remote side's rids, its own direction
  std::optional<SdpSimulcast> remote_simulcast;

  SdpRemoteTransport remote;  // as given in this section (with BUNDLE, see SdpNegotiation)

  // Data channels (application sections).
  uint16_t remote_sctp_port = 0;
  uint64_t remote_max_message_size = 0;  // 0: no limit
  uint16_t local_sctp_port = 0;
  uint64_t local_max_message_size = 0;

  const SdpNegotiatedCodec* FindCodec(uint8_t payload_type) const;
};

struct SdpNegotiation {
  SessionDescription local;               // the answer (server) or the offer (client)
  std::string local_sdp;                  // the same, written out
  std::vector<SdpNegotiatedMedia> media;  // one per m= section, in order

  // Mids of the accepted sections, which all share one transport (the first one is the BUNDLE
  // tag); with a single accepted section and no BUNDLE, that section's mid.
  std::vector<std::string> bundle_mids;
  SdpRemoteTransport remote;                  // of the shared transport
  SdpSetup local_setup = SdpSetup::kPassive;  // kActive: this side is the DTLS client

  const SdpNegotiatedMedia* FindMedia(std::string_view mid) const;
  size_t AcceptedCount() const;
};

// Shared by SdpAnswerer and SdpOfferer: what the remote description says about one section.
// Fills remote, remote_ssrcs, remote_ssrc_groups, remote_msid_*, remote_rids, remote_simulcast.
void DescribeRemoteSection(const SessionDescription& remote, const MediaDescription& section,
                           SdpNegotiatedMedia& out);
// Checks that a section the remote side wants to use names its ICE credentials and DTLS
// fingerprint; says what is missing otherwise. `role` is "offer" or "answer".
bool CheckRemoteTransport(const MediaDescription& section, size_t index, std::string_view role,
                          std::string& error);
// "mid 0 (m=audio, line 7)", for messages.
std::string DescribeSection(const MediaDescription& section, size_t index);

}  // namespace tributary::rtc
