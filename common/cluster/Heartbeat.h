#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cluster/NodeIdentity.h"

namespace tributary::cluster {

// What a node serves right now, as its heartbeats report it.
struct NodeLoad {
  uint64_t sessions = 0;     // WebRTC sessions (publish + play)
  uint64_t bitrate_bps = 0;  // media sent and received, bits per second
};

// The body of POST /cluster/v1/heartbeat (docs/cluster.md):
//   {"node","role","region","url","instance","interval_ms","load":{"sessions","bitrate_bps"},
//    "draining"}
// and its answer, the receiver's {"node","role","region","url","instance"}.
struct Heartbeat {
  NodeIdentity from;
  uint32_t interval_ms = 1000;  // how often the sender sends them: the receiver's miss rule
  NodeLoad load;
  bool draining = false;  // takes no new viewers

  nlohmann::json ToJson() const;
  // nullopt with `error` set for a body that is not a heartbeat.
  static std::optional<Heartbeat> FromJson(const nlohmann::json& json, std::string& error);

  // The answer's body, and its parser (the fields of NodeIdentity).
  static nlohmann::json IdentityJson(const NodeIdentity& identity);
  static std::optional<NodeIdentity> IdentityFromJson(const nlohmann::json& json);
};

}  // namespace tributary::cluster
