#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cluster/Heartbeat.h"

namespace tributary::cluster {

// The edges an origin knows from their heartbeats: id, region, URL, load, draining, last seen.
// An edge is live until it misses `dead_after` of its heartbeats (its own interval, which it
// states in each one); a dead edge is kept for the admin view a while (100 intervals), then
// forgotten. Times are base::NowMs() values, passed in so that tests control them. Control
// thread only.
class EdgeRegistry {
 public:
  struct Edge {
    std::string id;
    std::string region;
    std::string url;
    NodeLoad load;
    bool draining = false;
    uint32_t interval_ms = 1000;
    uint64_t last_seen_ms = 0;
    // Viewers sent here since its last heartbeat: the load it reported does not count them yet.
    uint64_t redirects_since_heartbeat = 0;
  };

  explicit EdgeRegistry(uint32_t dead_after);

  void Record(const Heartbeat& heartbeat, uint64_t now_ms);
  bool IsLive(const Edge& edge, uint64_t now_ms) const;

  // The live, non-draining edge of `region` with the fewest sessions (counting the viewers sent
  // since its last heartbeat), then the lowest bitrate, then the smallest id; nullopt if none.
  std::optional<Edge> LeastLoaded(std::string_view region, uint64_t now_ms) const;
  // A viewer was sent to the edge `id`.
  void NoteRedirect(const std::string& id);

  const Edge* Find(const std::string& id) const;
  size_t Size() const { return edges_.size(); }
  // Drops edges dead for long.
  void Prune(uint64_t now_ms);

  // [{"id","region","url","state":"alive"|"dead","draining","sessions","bitrate_bps",
  //   "last_seen_ms_ago"}]
  nlohmann::json ToJson(uint64_t now_ms) const;

 private:
  uint32_t dead_after_;
  std::map<std::string, Edge> edges_;  // by id: the admin view comes out sorted
};

}  // namespace tributary::cluster
