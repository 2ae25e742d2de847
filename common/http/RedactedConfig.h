#pragma once

#include <nlohmann/json.hpp>

#include "config/NodeConfig.h"
#include "config/VhostConfig.h"

namespace tributary::http {

// The effective configuration as JSON for GET /api/v1/node, with every secret (cluster secret,
// admin token, ICE server credentials, vhost tokens, JWT secrets) shown as "***" when set and
// "" when not, so that an operator sees that it is configured and nobody sees its value.
nlohmann::json RedactedConfig(const config::NodeConfig& node, const config::VhostSet& vhosts);

// One vhost the same way (GET /api/v1/vhosts).
nlohmann::json RedactedVhost(const config::VhostConfig& vhost);

// "***" for a non-empty secret, "" for an empty one.
const char* RedactSecret(const std::string& secret);

}  // namespace tributary::http
