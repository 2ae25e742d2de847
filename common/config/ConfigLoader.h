#pragma once

#include <string>

#include "config/ConfigError.h"
#include "config/NodeConfig.h"
#include "config/VhostConfig.h"

namespace tributary::config {

// Loads and validates one node's YAML file. Strict: unknown keys, wrong types, missing required
// keys, out-of-range values, duplicate node ids and unresolved references all throw ConfigError
// naming the file, the line and the key. Relative paths in the file resolve against its folder.
NodeConfig LoadNodeConfig(const std::string& path);

// Loads every *.yaml / *.yml file of a vhost directory (sorted by name), validated the same way;
// two vhosts with one name or one domain, or more than one default, is an error. A directory
// with no vhost file is an error too (nothing could be served).
VhostSet LoadVhosts(const std::string& dir);

// The vhosts against the node: every origin a vhost pins its streams to (`origins`) must be an
// origin of the node's cluster.nodes (or the node itself, an origin). Throws ConfigError at the
// vhost file's line of the first one that is not. At start and on every reload.
void CheckVhostOrigins(const NodeConfig& node, const VhostSet& vhosts);

}  // namespace tributary::config
