#pragma once

// Parses session descriptions (RFC 8866) in the subset WebRTC uses, from untrusted input: every
// size is bounded by SdpLimits, and every rejection says which line is wrong and why, e.g.
// "line 14: a=rtpmap: payload type 300 out of range 0..127". Lines may end in CRLF or LF.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "rtc/SdpFragment.h"
#include "rtc/SessionDescription.h"

namespace tributary::rtc {

struct SdpLimits {
  size_t max_total_size = 64 * 1024;
  size_t max_line_length = 4 * 1024;
  size_t max_media_sections = 16;
  size_t max_candidates_per_section = 32;
  size_t max_codecs_per_section = 64;
  size_t max_ssrcs_per_section = 64;
  size_t max_rids_per_section = 16;  // a=rid lines, and rids in a=simulcast
};

class SdpParser {
 public:
  // A full session description (v=, o=, s=, t=, then m= sections). Session-level transport
  // attributes are copied into the sections that lack them (see MediaDescription.h).
  static std::optional<SessionDescription> Parse(std::string_view text, std::string& error,
                                                 const SdpLimits& limits = {});
  // An RFC 8840 trickle-ice-sdpfrag body.
  static std::optional<SdpFragment> ParseFragment(std::string_view text, std::string& error,
                                                  const SdpLimits& limits = {});
};

}  // namespace tributary::rtc
