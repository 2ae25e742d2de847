#pragma once

// RFC 8840 "application/trickle-ice-sdpfrag": what WHIP (RFC 9725) and WHEP PATCH requests carry
// to trickle candidates or restart ICE. Session-level ICE attributes and the BUNDLE group, then
// one pseudo m= section per media stream with its mid, credentials and candidates:
//
//   a=ice-options:trickle ice2
//   a=group:BUNDLE 0 1
//   m=audio 9 UDP/TLS/RTP/SAVPF 111
//   a=mid:0
//   a=ice-ufrag:EsAw
//   a=ice-pwd:bP+XJMM09aR8AiX1jdukzR
//   a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0
//   a=end-of-candidates
//
// SdpParser::ParseFragment reads one, SdpWriter::WriteFragment writes one.

#include <string>
#include <string_view>
#include <vector>

#include "rtc/MediaDescription.h"
#include "rtc/SdpCandidate.h"
#include "rtc/SdpTypes.h"

namespace tributary::rtc {

struct SdpFragment {
  bool ice_lite = false;
  std::vector<std::string> ice_options;
  std::string ice_ufrag;  // session-level credentials (an ICE restart may put them here)
  std::string ice_pwd;
  std::vector<SdpGroup> groups;
  bool end_of_candidates = false;
  // Only the m= line fields, mid, ice_ufrag, ice_pwd, ice_options, candidates and
  // end_of_candidates of each section are used.
  std::vector<MediaDescription> media;

  bool operator==(const SdpFragment&) const = default;

  // A fragment for one transport: the m= line and mid of `section` (the BUNDLE tag of the
  // local description), the credentials, the candidates, and a=end-of-candidates when
  // `complete`. With new credentials it is an ICE restart request.
  static SdpFragment ForSection(const MediaDescription& section, std::string ufrag, std::string pwd,
                                std::vector<SdpCandidate> candidates, bool complete);

  // Whether it carries ICE credentials other than `current_ufrag`: an ICE restart (RFC 8840).
  bool RestartsIce(std::string_view current_ufrag) const;

  // The ufrag/pwd that apply to `section` (its own, else the session-level ones).
  std::string UfragFor(const MediaDescription& section) const;
  std::string PwdFor(const MediaDescription& section) const;
};

}  // namespace tributary::rtc
