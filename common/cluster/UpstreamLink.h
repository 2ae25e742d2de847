#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "cluster/ClusterAuth.h"
#include "cluster/OriginPool.h"
#include "config/NodeConfig.h"
#include "http/ClientError.h"
#include "http/MediaService.h"
#include "http/MediaSessionClient.h"
#include "net/HttpClient.h"
#include "sfu/Session.h"
#include "sfu/StreamKey.h"

namespace tributary::cluster {

// One stream's link between an edge and the origins (docs/cluster.md, "Upstream links"): a
// WHEP pull (UpstreamPull) or a WHIP push (UpstreamPush), carried by one client-role session at
// a time on the stream's home worker (http::WhepClient / WhipClient, signed with the cluster
// credential, following at most max_redirects 307s). A small state machine:
//
//   idle -> connecting -> live -> (failed) -> connecting on the next origin -> ... -> stopped
//
// Each attempt takes the next origin of OriginPool::PickFor(key) not yet tried in this round
// (healthy ones first). An attempt fails on an HTTP error, a refused or unusable answer, a
// session that does not connect within upstream_timeout_ms or ends (ICE consent lost, DTLS
// alert or close), an origin the pool reports down, or no progress for no_media_timeout_ms
// while live (RTP for a pull; anything from the origin, RTCP or STUN, for a push). The next
// origin is tried at once; when every origin of the round failed, the next round starts after
// a backoff (100 ms doubling to 2 s; a pull that was live, whose viewers wait, retries every
// 100 ms for its first 20 rounds) and the listener hears what the round found. Becoming live
// on another origin than the last one counts a failover (OriginPool::RecordFailover).
//
// The local stream is what carries the media across attempts: a pull's sessions are the
// stream's source (each new one rebinds its producers, whose consumers keep their numbering and
// ask for a keyframe), a push's sessions consume the local publisher's producers.
//
// Control thread. The session is reached by posting to its worker.
class UpstreamLink {
 public:
  enum class Kind { kPull, kPush };
  enum class State { kIdle, kConnecting, kLive, kRetrying, kStopped };

  struct Settings {
    uint32_t upstream_timeout_ms = 5000;  // an attempt must connect within this
    uint32_t no_media_timeout_ms = 2000;  // live without progress this long: failed
    uint32_t max_redirects = 3;
    uint32_t retry_min_ms = 100;  // backoff between rounds, doubling
    uint32_t retry_max_ms = 2000;
    uint32_t check_interval_ms = 100;  // progress sampling while live

    // From cluster.{upstream_timeout_ms, no_media_timeout_ms, max_redirects}.
    static Settings FromConfig(const config::ClusterSettings& cluster);
  };

  // What the links of a node share; everything outlives them.
  struct Environment {
    boost::asio::io_context& io;
    net::HttpClient& http;  // on `io`
    const ClusterAuth& auth;
    OriginPool& origins;
    http::MediaService& media;
    Settings settings;
  };

  // What one round of attempts (every origin once) found.
  struct Round {
    size_t attempts = 0;
    size_t not_live = 0;   // WHEP 409 + Retry-After: the stream has no publisher there
    size_t conflicts = 0;  // WHIP 409: the stream is published elsewhere
    std::string last_error;
  };

  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void OnLinkLive(UpstreamLink& link) = 0;
    // Every origin failed once; the next round starts after the backoff.
    virtual void OnLinkRoundFailed(UpstreamLink& link, const Round& round) = 0;
  };

  virtual ~UpstreamLink();
  UpstreamLink(const UpstreamLink&) = delete;
  UpstreamLink& operator=(const UpstreamLink&) = delete;

  // From kIdle or kStopped: the first attempt.
  void Start();
  // Ends the current attempt (its session closed, its resource DELETEd); `done` runs once the
  // DELETEs are answered (or at once when there is nothing to delete). kStopped.
  void Stop(std::function<void()> done);
  // The origin `id` is down: an attempt on it (connecting or live) fails now.
  void OnOriginDown(const std::string& id);

  Kind GetKind() const { return kind_; }
  static const char* KindName(Kind kind);
  static const char* StateName(State state);
  const sfu::StreamKey& Key() const { return key_; }
  State GetState() const { return state_; }
  bool IsLive() const { return state_ == State::kLive; }
  // Whether it was ever live: a pull's producers then exist on the local stream.
  bool EverLive() const { return ever_live_; }
  // The origin of the current attempt (or of the last one); empty before the first.
  const std::string& CurrentOrigin() const { return origin_; }
  const std::string& LastError() const { return last_error_; }
  uint64_t Failovers() const { return failovers_; }
  // {"kind", "node", "state", "url", "session", "attempts", "failovers", "live_for_ms",
  //  "last_error"}
  nlohmann::json ToJson() const;

 protected:
  UpstreamLink(Kind kind, sfu::StreamKey key, Environment& environment, Listener& listener);

  virtual std::unique_ptr<http::MediaSessionClient> MakeClient(
      sfu::MediaWorker& worker, std::string url, http::MediaSessionClient::Options options) = 0;
  boost::asio::io_context& EnvIo() { return env_.io; }
  net::HttpClient& EnvHttp() { return env_.http; }
  http::ClientSessionDispatcher& EnvDispatcher() { return env_.media.Dispatcher(); }

 private:
  void Connect();
  void OnConnected(uint64_t attempt, const http::ClientError& error);
  void OnEnded(uint64_t attempt, const http::ClientError& error);
  // The current attempt failed: retire its client, then the next origin (or the backoff).
  void Fail(const std::string& reason, bool not_live = false, bool conflict = false);
  void ScheduleConnect(std::chrono::milliseconds delay);
  void ScheduleCheck();
  void Check();
  void OnProgress(uint64_t attempt, bool found, uint64_t progress);
  // What grows while a link of `kind` carries media (worker thread): RTP received for a pull,
  // anything received (RTCP, STUN) for a push.
  static uint64_t Progress(Kind kind, const sfu::Session& session);
  // Closes the client (DELETE) and keeps it until that is answered.
  void Retire(std::unique_ptr<http::MediaSessionClient> client);
  void MaybeStopped();
  std::string OriginIdOf(const std::string& endpoint_url) const;

  const Kind kind_;
  const sfu::StreamKey key_;
  Environment& env_;
  Listener& listener_;

  State state_ = State::kIdle;
  uint64_t attempt_ = 0;   // invalidates the callbacks of earlier attempts
  uint64_t attempts_ = 0;  // attempts made (for the admin view)
  std::unique_ptr<http::MediaSessionClient> client_;
  std::vector<std::unique_ptr<http::MediaSessionClient>> retiring_;
  std::string origin_;           // of the current attempt
  std::string url_;              // of the current attempt
  std::string live_origin_;      // where it was last live
  std::set<std::string> tried_;  // origins tried in this round
  Round round_;
  uint32_t failed_rounds_ = 0;
  bool ever_live_ = false;
  uint64_t failovers_ = 0;
  uint64_t live_since_ms_ = 0;
  std::string last_error_;
  uint64_t last_progress_ = 0;
  uint64_t last_progress_ms_ = 0;
  bool progress_known_ = false;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer check_timer_;
  std::function<void()> stopped_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tributary::cluster
