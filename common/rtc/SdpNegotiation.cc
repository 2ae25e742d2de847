#include "rtc/SdpNegotiation.h"

#include <utility>

namespace tributary::rtc {

const SdpNegotiatedCodec* SdpNegotiatedMedia::FindCodec(uint8_t payload_type) const {
  for (const SdpNegotiatedCodec& codec : codecs) {
    if (codec.payload_type == payload_type) return &codec;
  }
  return nullptr;
}

const SdpNegotiatedMedia* SdpNegotiation::FindMedia(std::string_view mid) const {
  for (const SdpNegotiatedMedia& m : media) {
    if (m.mid == mid) return &m;
  }
  return nullptr;
}

size_t SdpNegotiation::AcceptedCount() const {
  size_t n = 0;
  for (const SdpNegotiatedMedia& m : media)
    n += m.accepted ? 1 : 0;
  return n;
}

void DescribeRemoteSection(const SessionDescription& remote, const MediaDescription& section,
                           SdpNegotiatedMedia& out) {
  SdpRemoteTransport& t = out.remote;
  t.ice_ufrag = section.ice_ufrag;
  t.ice_pwd = section.ice_pwd;
  t.ice_options = section.ice_options;
  t.ice_lite = remote.ice_lite;
  t.fingerprints = section.fingerprints;
  t.setup = section.setup.value_or(SdpSetup::kActPass);
  t.candidates = section.candidates;
  t.end_of_candidates = section.end_of_candidates;

  out.remote_msid_stream = section.MsidStream();
  out.remote_msid_track = section.MsidTrack();
  out.remote_ssrc_groups = section.ssrc_groups;
  out.remote_rids = section.rids;
  out.remote_simulcast = section.simulcast;
  out.remote_ssrcs.clear();
  auto is_rtx = [&](uint32_t ssrc) {
    for (const SdpSsrcGroup& g : section.ssrc_groups) {
      if (g.semantics == "FID" && g.ssrcs.size() == 2 && g.ssrcs[1] == ssrc) return true;
    }
    return false;
  };
  for (const SdpSsrc& s : section.ssrcs) {
    if (is_rtx(s.ssrc)) continue;
    SdpRemoteSsrc r;
    r.ssrc = s.ssrc;
    r.cname = s.cname;
    for (const SdpSsrcGroup& g : section.ssrc_groups) {
      if (g.semantics == "FID" && g.ssrcs.size() == 2 && g.ssrcs[0] == s.ssrc) {
        r.rtx_ssrc = g.ssrcs[1];
      }
    }
    // a=ssrc:<n> msid:<stream> <track> (Plan B style), else the section's a=msid.
    std::string msid = s.msid.empty() ? section.msid : s.msid;
    size_t space = msid.find(' ');
    r.msid_stream = msid.substr(0, space);
    r.msid_track = space == std::string::npos ? std::string() : msid.substr(space + 1);
    out.remote_ssrcs.push_back(std::move(r));
  }
}

bool CheckRemoteTransport(const MediaDescription& section, size_t index, std::string_view role,
                          std::string& error) {
  const char* missing = nullptr;
  if (section.ice_ufrag.empty()) {
    missing = "no a=ice-ufrag";
  } else if (section.ice_pwd.empty()) {
    missing = "no a=ice-pwd";
  } else if (section.fingerprints.empty()) {
    missing = "no a=fingerprint (DTLS-SRTP needs the certificate fingerprint)";
  }
  if (missing == nullptr) return true;
  error = "the " + std::string(role) + "'s " + DescribeSection(section, index) + " has " + missing +
          ", neither in the section nor at session level";
  return false;
}

std::string DescribeSection(const MediaDescription& section, size_t index) {
  std::string out;
  if (section.mid.empty()) {
    out = "m= section " + std::to_string(index);
  } else {
    out = "mid " + section.mid;
  }
  out += " (m=" + section.media;
  if (section.line.number != 0) out += ", line " + std::to_string(section.line.number);
  out += ")";
  return out;
}

}  // namespace tributary::rtc
