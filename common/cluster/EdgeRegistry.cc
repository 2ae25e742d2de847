#include "cluster/EdgeRegistry.h"

#include <algorithm>
#include <tuple>

#include <spdlog/spdlog.h>

namespace tributary::cluster {

namespace {

constexpr uint64_t kForgetAfterIntervals = 100;

}  // namespace

EdgeRegistry::EdgeRegistry(uint32_t dead_after) : dead_after_(std::max<uint32_t>(dead_after, 1)) {}

void EdgeRegistry::Record(const Heartbeat& heartbeat, uint64_t now_ms) {
  Prune(now_ms);
  auto [it, added] = edges_.try_emplace(heartbeat.from.id);
  Edge& edge = it->second;
  const bool was_live = !added && IsLive(edge, now_ms);
  edge.id = heartbeat.from.id;
  edge.region = heartbeat.from.region;
  edge.url = heartbeat.from.url;
  edge.load = heartbeat.load;
  edge.draining = heartbeat.draining;
  edge.interval_ms = std::max<uint32_t>(heartbeat.interval_ms, 1);
  edge.last_seen_ms = now_ms;
  edge.redirects_since_heartbeat = 0;
  if (!was_live) {
    spdlog::info("cluster: edge {} ({}, region {}) is alive", edge.id, edge.url,
                 edge.region.empty() ? "-" : edge.region);
  }
}

bool EdgeRegistry::IsLive(const Edge& edge, uint64_t now_ms) const {
  return now_ms <= edge.last_seen_ms + static_cast<uint64_t>(dead_after_) * edge.interval_ms;
}

std::optional<EdgeRegistry::Edge> EdgeRegistry::LeastLoaded(std::string_view region,
                                                            uint64_t now_ms) const {
  const Edge* best = nullptr;
  auto rank = [](const Edge& edge) {
    return std::tuple(edge.load.sessions + edge.redirects_since_heartbeat, edge.load.bitrate_bps,
                      std::string_view(edge.id));
  };
  for (const auto& [id, edge] : edges_) {
    if (edge.region != region || edge.draining || !IsLive(edge, now_ms)) continue;
    if (!best || rank(edge) < rank(*best)) best = &edge;
  }
  if (!best) return std::nullopt;
  return *best;
}

void EdgeRegistry::NoteRedirect(const std::string& id) {
  if (const auto it = edges_.find(id); it != edges_.end()) ++it->second.redirects_since_heartbeat;
}

const EdgeRegistry::Edge* EdgeRegistry::Find(const std::string& id) const {
  const auto it = edges_.find(id);
  return it == edges_.end() ? nullptr : &it->second;
}

void EdgeRegistry::Prune(uint64_t now_ms) {
  std::erase_if(edges_, [now_ms](const auto& item) {
    const Edge& edge = item.second;
    return now_ms > edge.last_seen_ms + kForgetAfterIntervals * edge.interval_ms;
  });
}

nlohmann::json EdgeRegistry::ToJson(uint64_t now_ms) const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [id, edge] : edges_) {
    out.push_back({{"id", edge.id},
                   {"region", edge.region},
                   {"url", edge.url},
                   {"state", IsLive(edge, now_ms) ? "alive" : "dead"},
                   {"draining", edge.draining},
                   {"sessions", edge.load.sessions},
                   {"bitrate_bps", edge.load.bitrate_bps},
                   {"redirects_since_heartbeat", edge.redirects_since_heartbeat},
                   {"last_seen_ms_ago", now_ms - std::min(now_ms, edge.last_seen_ms)}});
  }
  return out;
}

}  // namespace tributary::cluster
