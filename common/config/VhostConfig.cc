#include "config/VhostConfig.h"

namespace tributary::config {

const VhostConfig* VhostSet::Find(const std::string& name) const {
  for (const VhostConfig& vhost : vhosts) {
    if (vhost.name == name) return &vhost;
  }
  return nullptr;
}

const VhostConfig* VhostSet::Default() const {
  for (const VhostConfig& vhost : vhosts) {
    if (vhost.is_default) return &vhost;
  }
  return nullptr;
}

}  // namespace tributary::config
