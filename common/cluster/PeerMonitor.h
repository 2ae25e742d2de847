#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "cluster/ClusterClient.h"
#include "cluster/Heartbeat.h"
#include "metrics/Metrics.h"

namespace tributary::cluster {

// Liveness of the nodes this node depends on (an origin's peers, an edge's origins), from its own
// heartbeats: every `interval_ms` it POSTs a signed heartbeat to each target's
// /cluster/v1/heartbeat (each with a timeout just under the interval). A target that answers
// with its identity is alive; one that misses `dead_after` heartbeats in a row (no answer, an
// error status, or the answer of another node) is dead; one answer makes it alive again. Targets
// start dead until their first answer, so that nothing is sent to a node never seen.
//
// Keeps tributary_peers{state="alive"|"dead"} equal to its counts. Control thread only.
class PeerMonitor {
 public:
  struct Target {
    std::string id;
    std::string url;  // base URL
  };

  class Listener {
   public:
    virtual ~Listener() = default;
    // First answer, first answer after being dead, or an answer from a new process of the
    // target (`restarted`: its instance changed, so it lost whatever state it had).
    virtual void OnPeerAlive(const std::string& id, bool restarted) = 0;
    // An alive target missed `dead_after` heartbeats.
    virtual void OnPeerDead(const std::string& id) = 0;
  };

  struct Options {
    uint32_t interval_ms = 1000;
    uint32_t dead_after = 3;
  };
  // Builds the heartbeat to send (called once per round): identity, load, draining.
  using HeartbeatSource = std::function<Heartbeat()>;

  struct PeerState {
    std::string id;
    std::string url;
    bool alive = false;
    uint32_t misses = 0;          // consecutive heartbeats without a good answer
    std::string instance;         // of the last answer
    std::string last_error;       // of the last miss
    uint64_t last_answer_ms = 0;  // base::NowMs() of the last good answer; 0: never
    uint64_t rtt_ms = 0;          // of the last good answer
    bool in_flight = false;
    bool complained = false;  // the current streak of misses has been logged
  };

  // The referenced objects outlive the monitor.
  PeerMonitor(boost::asio::io_context& io, ClusterClient& client, std::vector<Target> targets,
              Options options, HeartbeatSource source, metrics::Metrics& metrics,
              Listener& listener);
  ~PeerMonitor();
  PeerMonitor(const PeerMonitor&) = delete;
  PeerMonitor& operator=(const PeerMonitor&) = delete;

  // Sends the first round now, then one every interval.
  void Start();
  void Stop();

  const std::vector<PeerState>& Peers() const { return peers_; }
  const PeerState* Find(const std::string& id) const;
  bool IsAlive(const std::string& id) const;
  size_t AliveCount() const;
  const Options& Settings() const { return options_; }

  // [{"id","url","state":"alive"|"dead","misses","last_answer_ms_ago","rtt_ms","last_error"}]
  nlohmann::json ToJson() const;

 private:
  void Tick();
  void ScheduleTick();
  void SendHeartbeat(size_t index, const nlohmann::json& body);
  void OnAnswer(size_t index, const net::HttpClientResult& result, uint64_t sent_ms);
  void OnMiss(PeerState& peer, std::string error);
  void UpdateGauges();

  ClusterClient& client_;
  Options options_;
  HeartbeatSource source_;
  metrics::Metrics& metrics_;
  Listener& listener_;
  std::vector<PeerState> peers_;
  boost::asio::steady_timer timer_;
  bool running_ = false;
  std::shared_ptr<int> life_ = std::make_shared<int>(0);  // callbacks hold a weak_ptr
};

}  // namespace tributary::cluster
