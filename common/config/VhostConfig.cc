#include "config/VhostConfig.h"

namespace tributary::config {

bool VhostConfig::AllowsOrigin(const std::string& id) const {
  if (origins.empty()) return true;
  for (const std::string& origin : origins) {
    if (origin == id) return true;
  }
  return false;
}

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
