#include "rtc/SdpFragment.h"

#include <utility>

namespace tributary::rtc {

SdpFragment SdpFragment::ForSection(const MediaDescription& section, std::string ufrag,
                                    std::string pwd, std::vector<SdpCandidate> candidates,
                                    bool complete) {
  SdpFragment f;
  MediaDescription m;
  m.media = section.media;
  m.port = 9;
  m.proto = section.proto;
  m.formats = section.formats;
  for (const SdpCodec& codec : section.codecs) {
    SdpCodec bare;
    bare.payload_type = codec.payload_type;
    m.codecs.push_back(bare);
  }
  m.mid = section.mid;
  m.ice_ufrag = std::move(ufrag);
  m.ice_pwd = std::move(pwd);
  m.candidates = std::move(candidates);
  m.end_of_candidates = complete;
  f.media.push_back(std::move(m));
  return f;
}

bool SdpFragment::RestartsIce(std::string_view current_ufrag) const {
  if (!ice_ufrag.empty() && ice_ufrag != current_ufrag) return true;
  for (const MediaDescription& m : media) {
    if (!m.ice_ufrag.empty() && m.ice_ufrag != current_ufrag) return true;
  }
  return false;
}

std::string SdpFragment::UfragFor(const MediaDescription& section) const {
  return section.ice_ufrag.empty() ? ice_ufrag : section.ice_ufrag;
}

std::string SdpFragment::PwdFor(const MediaDescription& section) const {
  return section.ice_pwd.empty() ? ice_pwd : section.ice_pwd;
}

}  // namespace tributary::rtc
