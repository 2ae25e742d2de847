#pragma once

#include "config/NodeConfig.h"
#include "http/NodeRunner.h"

namespace tributary::http {

// The whole main() of a node binary (tributary-origin, tributary-edge):
//   --config FILE        run the node
//   --check-config FILE  validate FILE and its vhosts, print "FILE: OK", exit 0
//   --log-level LEVEL    override logging.level of the file
//   --version            print the version
// A configuration error (including a file whose node.role is not this binary's role) is
// printed as "FILE:LINE: key 'a.b': reason" on stderr and exits 2; a node that cannot start
// (port taken) exits 1; a stopped node exits 0.
int NodeMain(config::NodeRole role, int argc, char** argv,
             const NodeRunner::RoleFactory& make_role);

// The node's configuration and vhosts, validated for a binary of `role`. Throws
// config::ConfigError.
struct LoadedNode {
  config::NodeConfig config;
  config::VhostSet vhosts;
};
LoadedNode LoadNode(const std::string& path, config::NodeRole role);

}  // namespace tributary::http
