#pragma once

// One m= section of a session description with the attributes WebRTC uses, parsed. Attributes
// this class does not know are kept as written, in `attributes`, and written back.
//
// After SdpParser::Parse, the transport attributes that may be given at session level
// (ice-ufrag, ice-pwd, ice-options, fingerprint, setup, extmap-allow-mixed, end-of-candidates,
// the direction) are already copied into every section that does not set them itself.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rtc/SdpCandidate.h"
#include "rtc/SdpTypes.h"

namespace tributary::rtc {

struct MediaDescription {
  // m=<media> <port>[/<number of ports>] <proto> <fmt>...
  std::string media = "audio";  // audio, video, application, or another token
  uint16_t port = 9;            // 0: section rejected (or bundle-only)
  std::optional<uint16_t> port_count;
  std::string proto = "UDP/TLS/RTP/SAVPF";
  std::vector<std::string> formats;  // payload types for RTP, "webrtc-datachannel" or 5000 for SCTP

  std::optional<SdpConnection> connection;
  std::vector<std::string> bandwidths;  // b= lines, "<type>:<value>"

  std::string mid;
  std::string msid;  // a=msid value, "<stream-id> [<track-id>]"
  SdpDirection direction = SdpDirection::kSendRecv;
  bool rtcp_mux = false;
  bool rtcp_mux_only = false;
  bool rtcp_rsize = false;
  bool bundle_only = false;

  std::string ice_ufrag;
  std::string ice_pwd;
  std::vector<std::string> ice_options;  // trickle, ice2, renomination...
  std::vector<SdpFingerprint> fingerprints;
  std::optional<SdpSetup> setup;
  std::vector<SdpCandidate> candidates;
  bool end_of_candidates = false;

  // RTP: one entry per format of the m= line, in its order (the offerer's preference).
  std::vector<SdpCodec> codecs;
  std::vector<SdpRtcpFeedback> feedback_all;  // a=rtcp-fb:* lines
  std::vector<SdpExtmap> extmaps;
  bool extmap_allow_mixed = false;
  std::vector<SdpSsrc> ssrcs;
  std::vector<SdpSsrcGroup> ssrc_groups;
  std::vector<SdpRid> rids;
  std::optional<SdpSimulcast> simulcast;

  // SCTP (data channels)
  std::optional<uint16_t> sctp_port;
  std::optional<uint64_t> max_message_size;
  std::optional<SdpSctpMap> sctpmap;

  // Unknown attributes, "<name>[:<value>]" as written (e.g. "rtcp:9 IN IP4 0.0.0.0").
  std::vector<std::string> attributes;

  SdpSourceLine line;  // the m= line

  bool operator==(const MediaDescription&) const = default;

  MediaKind Kind() const { return ParseMediaKind(media); }
  bool IsRtp() const;   // proto carries RTP (".../RTP/...")
  bool IsSctp() const;  // proto carries SCTP (data channels)
  // Appends a codec to `codecs` and its payload type to the m= line's formats.
  void AddCodec(SdpCodec codec);
  const SdpCodec* FindCodec(uint8_t payload_type) const;
  SdpCodec* FindCodec(uint8_t payload_type);
  const SdpSsrc* FindSsrc(uint32_t ssrc) const;
  // The msid's two halves (the track id is empty when absent).
  std::string MsidStream() const;
  std::string MsidTrack() const;
};

}  // namespace tributary::rtc
