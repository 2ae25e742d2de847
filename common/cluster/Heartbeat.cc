#include "cluster/Heartbeat.h"

#include <limits>

namespace tributary::cluster {

namespace {

constexpr size_t kMaxField = 1024;

bool ReadString(const nlohmann::json& json, const char* key, std::string& out, bool required) {
  const auto it = json.find(key);
  if (it == json.end()) return !required;
  if (!it->is_string()) return false;
  const auto& value = it->get_ref<const std::string&>();
  if (value.size() > kMaxField || (required && value.empty())) return false;
  out = value;
  return true;
}

bool ReadRole(const nlohmann::json& json, config::NodeRole& out) {
  std::string role;
  if (!ReadString(json, "role", role, true)) return false;
  if (role == "origin") {
    out = config::NodeRole::kOrigin;
  } else if (role == "edge") {
    out = config::NodeRole::kEdge;
  } else {
    return false;
  }
  return true;
}

template <typename T>
bool ReadUnsigned(const nlohmann::json& json, const char* key, T& out) {
  const auto it = json.find(key);
  if (it == json.end()) return true;
  if (!it->is_number_unsigned()) return false;
  const uint64_t value = it->get<uint64_t>();
  if (value > std::numeric_limits<T>::max()) return false;
  out = static_cast<T>(value);
  return true;
}

}  // namespace

nlohmann::json Heartbeat::IdentityJson(const NodeIdentity& identity) {
  return {{"node", identity.id},
          {"role", config::ToString(identity.role)},
          {"region", identity.region},
          {"url", identity.url},
          {"instance", identity.instance}};
}

std::optional<NodeIdentity> Heartbeat::IdentityFromJson(const nlohmann::json& json) {
  NodeIdentity identity;
  if (!json.is_object() || !ReadString(json, "node", identity.id, true) ||
      !ReadRole(json, identity.role) || !ReadString(json, "region", identity.region, false) ||
      !ReadString(json, "url", identity.url, false) ||
      !ReadString(json, "instance", identity.instance, false)) {
    return std::nullopt;
  }
  return identity;
}

nlohmann::json Heartbeat::ToJson() const {
  nlohmann::json json = IdentityJson(from);
  json["interval_ms"] = interval_ms;
  json["load"] = {{"sessions", load.sessions}, {"bitrate_bps", load.bitrate_bps}};
  json["draining"] = draining;
  return json;
}

std::optional<Heartbeat> Heartbeat::FromJson(const nlohmann::json& json, std::string& error) {
  Heartbeat heartbeat;
  auto identity = IdentityFromJson(json);
  if (!identity) {
    error = "a heartbeat needs string fields node, role (origin or edge), region, url, instance";
    return std::nullopt;
  }
  heartbeat.from = std::move(*identity);
  if (!ReadUnsigned(json, "interval_ms", heartbeat.interval_ms) || heartbeat.interval_ms == 0) {
    error = "interval_ms must be a positive whole number";
    return std::nullopt;
  }
  if (const auto load = json.find("load"); load != json.end()) {
    if (!load->is_object() || !ReadUnsigned(*load, "sessions", heartbeat.load.sessions) ||
        !ReadUnsigned(*load, "bitrate_bps", heartbeat.load.bitrate_bps)) {
      error = "load must be {\"sessions\": n, \"bitrate_bps\": n} with whole numbers";
      return std::nullopt;
    }
  }
  if (const auto draining = json.find("draining"); draining != json.end()) {
    if (!draining->is_boolean()) {
      error = "draining must be true or false";
      return std::nullopt;
    }
    heartbeat.draining = draining->get<bool>();
  }
  return heartbeat;
}

}  // namespace tributary::cluster
