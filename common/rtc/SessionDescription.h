#pragma once

// A whole session description (RFC 8866) as WebRTC uses it: an offer or an answer.
// SdpParser builds one from text, SdpWriter writes one out, SdpAnswerer and SdpOfferer negotiate.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/MediaDescription.h"
#include "rtc/SdpTypes.h"

namespace tributary::rtc {

struct SessionDescription {
  SdpOrigin origin;
  std::string session_name = "-";
  uint64_t start_time = 0;
  uint64_t stop_time = 0;
  std::optional<SdpConnection> connection;
  std::vector<std::string> bandwidths;  // b= lines, "<type>:<value>"

  std::vector<SdpGroup> groups;
  std::optional<SdpMsidSemantic> msid_semantic;
  bool ice_lite = false;
  // Session-level values as written; SdpParser has also copied them into the media sections.
  std::string ice_ufrag;
  std::string ice_pwd;
  std::vector<std::string> ice_options;
  std::vector<SdpFingerprint> fingerprints;
  std::optional<SdpSetup> setup;
  std::optional<SdpDirection> direction;
  bool extmap_allow_mixed = false;
  std::vector<SdpExtmap> extmaps;
  bool end_of_candidates = false;
  std::vector<std::string> attributes;  // unknown session-level attributes, as written

  std::vector<MediaDescription> media;

  bool operator==(const SessionDescription&) const = default;

  // The first a=group:BUNDLE, or nullptr.
  const SdpGroup* BundleGroup() const;
  const MediaDescription* FindMedia(std::string_view mid) const;
};

}  // namespace tributary::rtc
