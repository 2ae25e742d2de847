#pragma once

#include <string>

#include "config/NodeConfig.h"

namespace tributary::cluster {

// Who this node is to the rest of the cluster, as heartbeats and their answers say it.
struct NodeIdentity {
  std::string id;
  config::NodeRole role = config::NodeRole::kOrigin;
  std::string region;
  std::string url;  // http.public_url: where clients and nodes reach it
  // Random per process start: a peer whose instance changes has restarted (and lost its state)
  // even if it never missed enough heartbeats to be declared dead.
  std::string instance;

  // From the node's configuration, with a fresh instance.
  static NodeIdentity FromConfig(const config::NodeConfig& config);
};

}  // namespace tributary::cluster
