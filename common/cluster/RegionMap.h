#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cluster/CidrBlock.h"
#include "config/NodeConfig.h"
#include "net/Endpoint.h"

namespace tributary::cluster {

// cluster.region_map: which region a client address is in. The most specific block that holds
// the address wins (the longest prefix); between equal prefixes, the first listed.
class RegionMap {
 public:
  // Throws std::invalid_argument naming a rule whose CIDR does not parse (the config loader
  // has already refused those).
  explicit RegionMap(const std::vector<config::ClusterSettings::RegionRule>& rules);

  std::optional<std::string> RegionOf(const net::Endpoint& address) const;
  size_t Size() const { return rules_.size(); }

 private:
  struct Rule {
    CidrBlock block;
    std::string region;
  };
  std::vector<Rule> rules_;
};

}  // namespace tributary::cluster
