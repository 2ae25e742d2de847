#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "http/VhostCatalog.h"

namespace tributary::cluster {

// The origins a vhost pins its streams to (the vhost file's `origins`; empty: any origin). Read
// from the current vhost set at each call, so a reload applies to the next upstream attempt.
class OriginPinning {
 public:
  OriginPinning() = default;  // pins nothing
  explicit OriginPinning(const http::VhostCatalog& vhosts) : vhosts_(&vhosts) {}

  std::vector<std::string> For(const std::string& vhost) const {
    if (vhosts_ == nullptr) return {};
    const auto set = vhosts_->Current();
    const config::VhostConfig* config = set ? set->Find(vhost) : nullptr;
    return config ? config->origins : std::vector<std::string>{};
  }
  // Whether origin `id` may carry the streams of `vhost`.
  bool Allows(const std::string& vhost, const std::string& id) const {
    return Allows(For(vhost), id);
  }
  // The same against pins already read with For(): one read when checking many origins.
  static bool Allows(const std::vector<std::string>& pins, const std::string& id) {
    return pins.empty() || std::find(pins.begin(), pins.end(), id) != pins.end();
  }

 private:
  const http::VhostCatalog* vhosts_ = nullptr;  // outlives this object
};

}  // namespace tributary::cluster
