#include "rtc/SessionDescription.h"

namespace tributary::rtc {

const SdpGroup* SessionDescription::BundleGroup() const {
  for (const SdpGroup& group : groups) {
    if (group.semantics == "BUNDLE") return &group;
  }
  return nullptr;
}

const MediaDescription* SessionDescription::FindMedia(std::string_view mid) const {
  for (const MediaDescription& m : media) {
    if (!m.mid.empty() && m.mid == mid) return &m;
  }
  return nullptr;
}

}  // namespace tributary::rtc
