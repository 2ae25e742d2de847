#pragma once

// The media side of a node role (origin and edge alike): the media plane (sfu::MediaPlane: the
// DTLS certificate and the workers), the WHIP/WHEP service on the node's HTTP router, the
// export of the workers' counters to /metrics once a second (and soon after a session ends),
// the node's load from those counters (sessions, bitrate), and GET /api/v1/streams.
//
//   NodeRunner::Role constructor:  media_ = std::make_unique<MediaService>(runner);  (routes)
//   Role::Start():                 media_->Start();   (binds the UDP ports; throws on failure)
//   Role::Stop():                  media_->Stop();    (ends every session, joins the workers)
//
// Client-role sessions (WhipClient, WhepClient: an edge's pushes and pulls) are made on the
// plane's workers and report through Dispatcher(), which hands the node's own sessions on.
//
// GET /api/v1/streams (docs/api.md), behind AdminAuth like /api/v1/sessions (a vhost's admin
// token sees that vhost's streams only):
//   {"node", "streams": [{"vhost", "app", "stream", "state", "tracks", "packets_in", "viewers",
//     "viewer_nodes", "source": "local" | node id | null, "upstream": {...} | null}]}
// `source` is where the media comes from: a publisher here ("local"), the node that pushes it
// here or that this node pulls it from. `upstream` is what the role's UpstreamListing says of
// the stream's upstream link (an edge's pull or push).
//
// Control thread; the workers report their sessions on their own threads and this class moves
// those reports onto the control thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "http/AdminAuth.h"
#include "http/AdminSessionsRoutes.h"
#include "http/ClientSessionDispatcher.h"
#include "http/MediaMetricsExporter.h"
#include "http/NodeRunner.h"
#include "http/WhipWhepService.h"
#include "sfu/MediaPlane.h"
#include "sfu/MediaStats.h"
#include "sfu/MediaWorker.h"

namespace tributary::http {

class MediaService final : private sfu::MediaWorker::Listener {
 public:
  static constexpr int kStatsIntervalMs = 1000;

  // What the node serves now, from the last snapshot of the workers.
  struct Load {
    uint64_t sessions = 0;     // WebRTC sessions open (publish and play, upstream links too)
    uint64_t bitrate_bps = 0;  // RTP in and out, bits per second over the last interval
  };
  // The node's upstream links, by stream: each a JSON object with at least "node" (the node
  // the link goes to) and "kind" ("pull" or "push").
  using UpstreamListing = std::function<std::vector<std::pair<sfu::StreamKey, nlohmann::json>>()>;

  explicit MediaService(NodeRunner& runner);
  ~MediaService() override;
  MediaService(const MediaService&) = delete;
  MediaService& operator=(const MediaService&) = delete;

  void Start();
  void Stop();

  // nullptr before Start() and after Stop().
  sfu::MediaPlane* Plane() { return plane_.get(); }
  WhipWhepService& WhipWhep() { return whip_whep_; }
  // GET/DELETE /api/v1/sessions, GET /api/v1/upstreams (AddUpstreamSource for the links).
  AdminSessionsRoutes& Admin() { return admin_; }
  ClientSessionDispatcher& Dispatcher() { return dispatcher_; }
  const Load& CurrentLoad() const { return load_; }
  void SetUpstreamListing(UpstreamListing listing) { upstream_listing_ = std::move(listing); }

  // A fresh snapshot of every worker; `done` runs on the control thread (never if the plane
  // stops first).
  void CollectStats(std::function<void(sfu::MediaStats)> done);
  // The body of GET /api/v1/streams for a snapshot: the streams of the vhosts `rights` covers.
  nlohmann::json StreamsJson(const sfu::MediaStats& stats, const AdminAuth::Result& rights) const;

 private:
  // sfu::MediaWorker::Listener (worker threads)
  void OnSessionConnected(sfu::MediaWorker& worker, sfu::Session& session) override;
  void OnSessionClosed(sfu::MediaWorker& worker, sfu::Session& session) override;

  void ScheduleStats();
  void RefreshStats();
  void UpdateLoad(const sfu::MediaStats& stats);

  NodeRunner& runner_;
  WhipWhepService whip_whep_;
  MediaMetricsExporter exporter_;
  AdminSessionsRoutes admin_;
  ClientSessionDispatcher dispatcher_;  // the plane's listener; passes the rest to this
  boost::asio::steady_timer stats_timer_;
  std::unique_ptr<sfu::MediaPlane> plane_;
  UpstreamListing upstream_listing_;
  Load load_;
  uint64_t last_bytes_ = 0;
  uint64_t last_bytes_us_ = 0;
  bool collecting_ = false;
  bool refresh_again_ = false;
};

}  // namespace tributary::http
