#pragma once

#include <cstdint>
#include <functional>

#include <string>
#include <vector>
#include "cluster/OriginPinning.h"

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "cluster/ClusterClient.h"
#include "cluster/Heartbeat.h"
#include "cluster/NodeIdentity.h"
#include "cluster/OriginRing.h"
#include "cluster/PeerMonitor.h"
#include "config/NodeConfig.h"
#include "metrics/Metrics.h"
#include "sfu/StreamKey.h"

namespace tributary::cluster {

// An edge's origins (cluster.origins, 1..n, in config order) and which one a stream should use.
// Health comes from the edge's own heartbeats (PeerMonitor): an origin that misses
// peer_dead_after heartbeats is down, one answer brings it up; an origin that never answered
// is down, so an edge whose first origin is down at start uses the next one. The heartbeats
// carry this edge's id, region, public URL, load (from the media layer's LoadSource; zeros
// until it sets one) and draining flag: origins send viewers by them.
//
// Policies (cluster.policy):
//   failover  the origins in config order;
//   hash      the key's walk of the consistent-hash ring (OriginRing).
// PickFor() returns every origin the key's vhost may use (its pinned origins, OriginPinning),
// the healthy ones first (each group in policy order), so an upstream link takes the first and
// fails over to the next. Control thread only.
class OriginPool : public PeerMonitor::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // An origin went down (missed heartbeats) or came up (answered).
    virtual void OnOriginHealthChanged(const std::string& id, bool healthy) = 0;
  };

  struct Origin {
    std::string id;
    std::string url;  // base URL
  };
  struct Candidate {
    std::string id;
    std::string url;
    bool healthy = false;
  };
  struct Options {
    std::vector<Origin> origins;
    config::OriginPolicy policy = config::OriginPolicy::kFailover;
    uint32_t heartbeat_ms = 1000;
    uint32_t dead_after = 3;
    size_t virtual_nodes = OriginRing::kDefaultVirtualNodes;

    static Options FromConfig(const config::NodeConfig& config);
  };
  using LoadSource = std::function<NodeLoad()>;

  // `self`, `auth`, `metrics` and `listener` outlive the pool.
  OriginPool(boost::asio::io_context& io, const NodeIdentity& self, const ClusterAuth& auth,
             net::HttpClient::Options http, Options options, metrics::Metrics& metrics,
             Listener& listener);
  OriginPool(const OriginPool&) = delete;
  OriginPool& operator=(const OriginPool&) = delete;

  void Start();
  void Stop();

  // The media layer's figures for the heartbeats.
  void SetLoadSource(LoadSource source) { load_source_ = std::move(source); }
  // The vhosts' origin pins (default: none).
  void SetPinning(OriginPinning pinning) { pinning_ = pinning; }
  // A draining edge asks the origins to send it no new viewers.
  void SetDraining(bool draining) { draining_ = draining; }
  bool Draining() const { return draining_; }

  // Every origin `key`'s vhost may use, healthy ones first, each group in the policy's order.
  std::vector<Candidate> PickFor(const sfu::StreamKey& key) const;
  bool IsHealthy(const std::string& id) const { return monitor_.IsAlive(id); }
  config::OriginPolicy Policy() const { return options_.policy; }
  // An upstream link of the media layer moved from one origin to the next: counts
  // tributary_failovers_total and logs it.
  void RecordFailover(const sfu::StreamKey& key, const std::string& from_id,
                      const std::string& to_id);

  // {"policy", "origins": [PeerMonitor::ToJson() items, config order]}
  nlohmann::json ToJson() const;

  // PeerMonitor::Listener
  void OnPeerAlive(const std::string& id, bool restarted) override;
  void OnPeerDead(const std::string& id) override;

 private:
  Heartbeat MakeHeartbeat() const;
  static std::vector<PeerMonitor::Target> Targets(const std::vector<Origin>& origins);

  const NodeIdentity& self_;
  Options options_;
  metrics::Metrics& metrics_;
  Listener& listener_;
  OriginRing ring_;
  LoadSource load_source_;
  OriginPinning pinning_;
  bool draining_ = false;
  ClusterClient client_;
  PeerMonitor monitor_;
};

}  // namespace tributary::cluster
