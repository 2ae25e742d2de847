#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "cluster/ClusterAuth.h"
#include "cluster/OriginPool.h"
#include "cluster/UpstreamLink.h"
#include "cluster/UpstreamPull.h"
#include "cluster/UpstreamPush.h"
#include "config/NodeConfig.h"
#include "http/MediaService.h"
#include "http/OfferAdmission.h"
#include "metrics/Metrics.h"
#include "net/HttpClient.h"
#include "sfu/StreamKey.h"

namespace tributary::cluster {

// An edge's upstream links, at most one pull and one push per stream (docs/cluster.md,
// "Upstream links"):
//
//   pull  made by the first viewer of a stream the edge does not have (AwaitPull); viewers
//         that come while it connects wait for it, however many, for upstream_timeout_ms at
//         most (then 504, with the reason), and get 409 + Retry-After when no origin has the
//         stream. It stays while the stream has viewers here; when the last leaves it lingers
//         linger_ms, then is deleted (a pull that never went live goes at once).
//   push  made when a publisher publishes here (SetPublisher), deleted when it leaves. When
//         every origin refuses it with 409 (the stream is published elsewhere) for
//         upstream_timeout_ms, the local publisher is ended.
//
// Keeps tributary_upstream_links{kind="pull"|"push"} equal to the links open. Control thread.
class UpstreamLinks final : private UpstreamLink::Listener {
 public:
  struct Settings {
    UpstreamLink::Settings link;
    uint32_t linger_ms = 5000;
    uint32_t housekeeping_ms = 100;  // waiters' deadlines, linger

    // From cluster.{linger_ms, upstream_timeout_ms, no_media_timeout_ms, max_redirects}.
    static Settings FromConfig(const config::ClusterSettings& cluster);
  };

  // Everything referenced outlives the links. `media` runs the sessions (its plane) and knows
  // the viewers (its WHIP/WHEP resources).
  UpstreamLinks(boost::asio::io_context& io, const ClusterAuth& auth, net::HttpClient::Options http,
                OriginPool& origins, http::MediaService& media, metrics::Metrics& metrics,
                Settings settings);
  ~UpstreamLinks() override;
  UpstreamLinks(const UpstreamLinks&) = delete;
  UpstreamLinks& operator=(const UpstreamLinks&) = delete;

  void Start();
  // Every link ends now (sessions closed; upstream resources are not waited for) and viewers
  // still waiting get 503.
  void Stop();

  // A viewer of `key` at this edge: `decide` gets Proceed once the stream's pull is live (at
  // once when it was live already: the local stream has its producers), a 409 when no origin
  // has the stream, a 504 after upstream_timeout_ms. Makes the pull if there is none.
  void AwaitPull(const sfu::StreamKey& key, http::OfferAdmission::Decide decide);
  // A local publisher of `key` is there (true: the push starts) or gone (false: it is deleted).
  void SetPublisher(const sfu::StreamKey& key, bool present);

  const UpstreamLink* FindPull(const sfu::StreamKey& key) const;
  const UpstreamLink* FindPush(const sfu::StreamKey& key) const;
  size_t PullCount() const { return pulls_.size(); }
  size_t PushCount() const { return pushes_.size(); }

  // OriginPool::Listener's news, passed on: links on an origin that went down fail over now.
  void OnOriginHealthChanged(const std::string& id, bool healthy);

  // Every link, by stream, as UpstreamLink::ToJson (for GET /api/v1/streams).
  std::vector<std::pair<sfu::StreamKey, nlohmann::json>> Listing() const;

 private:
  struct Waiter {
    http::OfferAdmission::Decide decide;
    uint64_t deadline_ms = 0;
  };
  struct Pull {
    std::unique_ptr<UpstreamPull> link;
    std::vector<Waiter> waiters;
    uint64_t idle_since_ms = 0;  // 0: has viewers or waiters
  };
  struct Push {
    std::unique_ptr<UpstreamPush> link;
    uint64_t refused_since_ms = 0;  // every origin answered 409 since then
  };

  // UpstreamLink::Listener
  void OnLinkLive(UpstreamLink& link) override;
  void OnLinkRoundFailed(UpstreamLink& link, const UpstreamLink::Round& round) override;

  void ScheduleHousekeeping();
  void Housekeeping();
  // Moves the link out of the table; it is destroyed once its DELETE is answered.
  void Retire(std::unique_ptr<UpstreamLink> link);
  void UpdateGauges();

  metrics::Metrics& metrics_;
  http::MediaService& media_;
  Settings settings_;
  net::HttpClient http_;
  UpstreamLink::Environment environment_;
  std::unordered_map<sfu::StreamKey, Pull> pulls_;
  std::unordered_map<sfu::StreamKey, Push> pushes_;
  std::vector<std::unique_ptr<UpstreamLink>> stopping_;
  boost::asio::steady_timer housekeeping_timer_;
  bool running_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tributary::cluster
