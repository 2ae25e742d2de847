#include "config/NodeConfig.h"

namespace tributary::config {

const char* ToString(NodeRole role) {
  switch (role) {
    case NodeRole::kOrigin:
      return "origin";
    case NodeRole::kEdge:
      return "edge";
  }
  return "unknown";
}

const char* ToString(OriginPolicy policy) {
  switch (policy) {
    case OriginPolicy::kFailover:
      return "failover";
    case OriginPolicy::kHash:
      return "hash";
  }
  return "unknown";
}

std::vector<const ClusterNode*> NodeConfig::Upstreams() const {
  const std::vector<std::string>& ids = role == NodeRole::kOrigin ? cluster.peers : cluster.origins;
  std::vector<const ClusterNode*> nodes;
  nodes.reserve(ids.size());
  for (const std::string& id : ids) {
    if (const ClusterNode* node = FindNode(id)) nodes.push_back(node);
  }
  return nodes;
}

const ClusterNode* NodeConfig::FindNode(const std::string& node_id) const {
  for (const ClusterNode& node : cluster.nodes) {
    if (node.id == node_id) return &node;
  }
  return nullptr;
}

}  // namespace tributary::config
