#include "cluster/PeerMonitor.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "base/Clock.h"

namespace tributary::cluster {

namespace {

std::string Describe(const net::HttpClientResult& result) {
  if (!result.Ok()) return result.error;
  std::string body = result.body.substr(0, 200);
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r'))
    body.pop_back();
  return "HTTP " + std::to_string(result.status) + (body.empty() ? "" : ": " + body);
}

}  // namespace

PeerMonitor::PeerMonitor(boost::asio::io_context& io, ClusterClient& client,
                         std::vector<Target> targets, Options options, HeartbeatSource source,
                         metrics::Metrics& metrics, Listener& listener)
    : client_(client),
      options_(options),
      source_(std::move(source)),
      metrics_(metrics),
      listener_(listener),
      timer_(io) {
  options_.interval_ms = std::max<uint32_t>(options_.interval_ms, 10);
  options_.dead_after = std::max<uint32_t>(options_.dead_after, 1);
  for (Target& target : targets) {
    PeerState peer;
    peer.id = std::move(target.id);
    peer.url = std::move(target.url);
    peers_.push_back(std::move(peer));
  }
  UpdateGauges();
}

PeerMonitor::~PeerMonitor() {
  Stop();
}

void PeerMonitor::Start() {
  if (running_) return;
  running_ = true;
  Tick();
}

void PeerMonitor::Stop() {
  running_ = false;
  timer_.cancel();
}

void PeerMonitor::ScheduleTick() {
  timer_.expires_after(std::chrono::milliseconds(options_.interval_ms));
  timer_.async_wait([this, life = std::weak_ptr<int>(life_)](boost::system::error_code ec) {
    if (ec || life.expired() || !running_) return;
    Tick();
  });
}

void PeerMonitor::Tick() {
  if (!peers_.empty()) {
    const nlohmann::json body = source_().ToJson();
    for (size_t i = 0; i < peers_.size(); ++i) {
      // Its previous heartbeat is still out (its timeout is shorter than the interval, so this
      // is rare): that one will count.
      if (!peers_[i].in_flight) SendHeartbeat(i, body);
    }
  }
  ScheduleTick();
}

void PeerMonitor::SendHeartbeat(size_t index, const nlohmann::json& body) {
  PeerState& peer = peers_[index];
  peer.in_flight = true;
  const uint64_t sent_ms = base::NowMs();
  const auto timeout = std::chrono::milliseconds(options_.interval_ms * 9 / 10);
  client_.PostJson(
      peer.url + "/cluster/v1/heartbeat", body, timeout,
      [this, index, sent_ms, life = std::weak_ptr<int>(life_)](net::HttpClientResult result) {
        if (life.expired()) return;
        OnAnswer(index, result, sent_ms);
      });
}

void PeerMonitor::OnAnswer(size_t index, const net::HttpClientResult& result, uint64_t sent_ms) {
  PeerState& peer = peers_[index];
  peer.in_flight = false;
  if (!running_) return;
  if (!result.Ok() || result.status != 200) {
    OnMiss(peer, Describe(result));
    return;
  }
  const auto json = nlohmann::json::parse(result.body, nullptr, false);
  const auto identity = Heartbeat::IdentityFromJson(json);
  if (!identity) {
    OnMiss(peer, "the heartbeat answer is not a node identity");
    return;
  }
  if (identity->id != peer.id) {
    OnMiss(peer, "answered as node '" + identity->id + "' (is " + peer.url + " the url of node '" +
                     peer.id + "' in cluster.nodes?)");
    return;
  }
  const uint64_t now = base::NowMs();
  peer.misses = 0;
  peer.last_error.clear();
  peer.last_answer_ms = now;
  peer.rtt_ms = now - sent_ms;
  peer.complained = false;
  const bool restarted = !peer.instance.empty() && peer.instance != identity->instance;
  peer.instance = identity->instance;
  if (peer.alive && !restarted) return;
  peer.alive = true;
  UpdateGauges();
  if (restarted) {
    spdlog::info("cluster: node {} ({}) restarted", peer.id, peer.url);
  } else {
    spdlog::info("cluster: node {} ({}) is alive", peer.id, peer.url);
  }
  listener_.OnPeerAlive(peer.id, restarted);
}

void PeerMonitor::OnMiss(PeerState& peer, std::string error) {
  ++peer.misses;
  peer.last_error = std::move(error);
  if (peer.misses < options_.dead_after) return;
  if (peer.alive) {
    peer.alive = false;
    peer.complained = true;
    UpdateGauges();
    spdlog::warn("cluster: node {} ({}) is dead: {} heartbeats missed, last: {}", peer.id, peer.url,
                 peer.misses, peer.last_error);
    listener_.OnPeerDead(peer.id);
    return;
  }
  if (!peer.complained) {
    peer.complained = true;
    spdlog::warn("cluster: node {} ({}) does not answer heartbeats: {}", peer.id, peer.url,
                 peer.last_error);
  }
}

const PeerMonitor::PeerState* PeerMonitor::Find(const std::string& id) const {
  for (const PeerState& peer : peers_) {
    if (peer.id == id) return &peer;
  }
  return nullptr;
}

bool PeerMonitor::IsAlive(const std::string& id) const {
  const PeerState* peer = Find(id);
  return peer && peer->alive;
}

size_t PeerMonitor::AliveCount() const {
  return static_cast<size_t>(
      std::count_if(peers_.begin(), peers_.end(), [](const PeerState& p) { return p.alive; }));
}

void PeerMonitor::UpdateGauges() {
  const size_t alive = AliveCount();
  metrics_.Peers(true).Set(static_cast<double>(alive));
  metrics_.Peers(false).Set(static_cast<double>(peers_.size() - alive));
}

nlohmann::json PeerMonitor::ToJson() const {
  nlohmann::json out = nlohmann::json::array();
  const uint64_t now = base::NowMs();
  for (const PeerState& peer : peers_) {
    nlohmann::json entry = {{"id", peer.id},
                            {"url", peer.url},
                            {"state", peer.alive ? "alive" : "dead"},
                            {"misses", peer.misses}};
    entry["last_answer_ms_ago"] =
        peer.last_answer_ms ? nlohmann::json(now - peer.last_answer_ms) : nlohmann::json(nullptr);
    entry["rtt_ms"] = peer.rtt_ms;
    entry["instance"] = peer.instance;
    entry["last_error"] = peer.last_error;
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace tributary::cluster
