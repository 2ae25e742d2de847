#include "cluster/OriginPool.h"

#include <spdlog/spdlog.h>

namespace tributary::cluster {

OriginPool::Options OriginPool::Options::FromConfig(const config::NodeConfig& config) {
  Options options;
  for (const config::ClusterNode* origin : config.Upstreams())
    options.origins.push_back({origin->id, origin->url});
  options.policy = config.cluster.policy;
  options.heartbeat_ms = config.cluster.heartbeat_ms;
  options.dead_after = config.cluster.peer_dead_after;
  return options;
}

std::vector<PeerMonitor::Target> OriginPool::Targets(const std::vector<Origin>& origins) {
  std::vector<PeerMonitor::Target> targets;
  for (const Origin& origin : origins)
    targets.push_back({origin.id, origin.url});
  return targets;
}

OriginPool::OriginPool(boost::asio::io_context& io, const NodeIdentity& self,
                       const ClusterAuth& auth, net::HttpClient::Options http, Options options,
                       metrics::Metrics& metrics, Listener& listener)
    : self_(self),
      options_(std::move(options)),
      metrics_(metrics),
      listener_(listener),
      ring_(
          [this] {
            std::vector<std::string> ids;
            for (const Origin& origin : options_.origins)
              ids.push_back(origin.id);
            return ids;
          }(),
          options_.virtual_nodes),
      client_(io, auth, std::move(http)),
      monitor_(
          io, client_, Targets(options_.origins), {options_.heartbeat_ms, options_.dead_after},
          [this] { return MakeHeartbeat(); }, metrics, *this) {}

void OriginPool::Start() {
  monitor_.Start();
}

void OriginPool::Stop() {
  monitor_.Stop();
}

Heartbeat OriginPool::MakeHeartbeat() const {
  Heartbeat heartbeat;
  heartbeat.from = self_;
  heartbeat.interval_ms = options_.heartbeat_ms;
  if (load_source_) heartbeat.load = load_source_();
  heartbeat.draining = draining_;
  return heartbeat;
}

std::vector<OriginPool::Candidate> OriginPool::PickFor(const sfu::StreamKey& key) const {
  std::vector<size_t> order;
  if (options_.policy == config::OriginPolicy::kHash) {
    order = ring_.Order(key);
  } else {
    for (size_t i = 0; i < options_.origins.size(); ++i)
      order.push_back(i);
  }
  std::vector<Candidate> healthy;
  std::vector<Candidate> down;
  const std::vector<std::string> pins = pinning_.For(key.vhost);
  for (size_t index : order) {
    const Origin& origin = options_.origins[index];
    if (!OriginPinning::Allows(pins, origin.id)) continue;
    const bool up = monitor_.IsAlive(origin.id);
    (up ? healthy : down).push_back({origin.id, origin.url, up});
  }
  healthy.insert(healthy.end(), down.begin(), down.end());
  return healthy;
}

void OriginPool::RecordFailover(const sfu::StreamKey& key, const std::string& from_id,
                                const std::string& to_id) {
  metrics_.Failovers().Increment();
  spdlog::warn("edge: {} fails over from origin {} to origin {}", key.ToString(), from_id, to_id);
}

void OriginPool::OnPeerAlive(const std::string& id, bool restarted) {
  (void)restarted;
  listener_.OnOriginHealthChanged(id, true);
}

void OriginPool::OnPeerDead(const std::string& id) {
  listener_.OnOriginHealthChanged(id, false);
}

nlohmann::json OriginPool::ToJson() const {
  return {{"policy", config::ToString(options_.policy)},
          {"draining", draining_},
          {"origins", monitor_.ToJson()}};
}

}  // namespace tributary::cluster
