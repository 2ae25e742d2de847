#include "rtc/SdpFragment.h"

namespace tributary::rtc {

std::string SdpFragment::UfragFor(const MediaDescription& section) const {
  return section.ice_ufrag.empty() ? ice_ufrag : section.ice_ufrag;
}

std::string SdpFragment::PwdFor(const MediaDescription& section) const {
  return section.ice_pwd.empty() ? ice_pwd : section.ice_pwd;
}

}  // namespace tributary::rtc
