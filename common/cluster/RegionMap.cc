#include "cluster/RegionMap.h"

#include <stdexcept>

namespace tributary::cluster {

RegionMap::RegionMap(const std::vector<config::ClusterSettings::RegionRule>& rules) {
  for (const auto& rule : rules) {
    auto block = CidrBlock::Parse(rule.cidr);
    if (!block) throw std::invalid_argument("region_map: bad CIDR '" + rule.cidr + "'");
    rules_.push_back({*block, rule.region});
  }
}

std::optional<std::string> RegionMap::RegionOf(const net::Endpoint& address) const {
  const Rule* best = nullptr;
  for (const Rule& rule : rules_) {
    if (!rule.block.Contains(address)) continue;
    if (!best || rule.block.MappedPrefixLength() > best->block.MappedPrefixLength()) best = &rule;
  }
  if (!best) return std::nullopt;
  return best->region;
}

}  // namespace tributary::cluster
