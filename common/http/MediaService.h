#pragma once

// The media side of a node role (origin and edge alike): the media plane (sfu::MediaPlane: the
// DTLS certificate and the workers), the WHIP/WHEP service on the node's HTTP router, and the
// export of the workers' counters to /metrics once a second (and soon after a session ends).
//
//   NodeRunner::Role constructor:  media_ = std::make_unique<MediaService>(runner);  (routes)
//   Role::Start():                 media_->Start();   (binds the UDP ports; throws on failure)
//   Role::Stop():                  media_->Stop();    (ends every session, joins the workers)
//
// Control thread; the workers report their sessions on their own threads and this class moves
// those reports onto the control thread.

#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "http/AdminSessionsRoutes.h"
#include "http/MediaMetricsExporter.h"
#include "http/NodeRunner.h"
#include "http/WhipWhepService.h"
#include "sfu/MediaPlane.h"
#include "sfu/MediaWorker.h"

namespace tributary::http {

class MediaService final : private sfu::MediaWorker::Listener {
 public:
  static constexpr int kStatsIntervalMs = 1000;

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

 private:
  // sfu::MediaWorker::Listener (worker threads)
  void OnSessionConnected(sfu::MediaWorker& worker, sfu::Session& session) override;
  void OnSessionClosed(sfu::MediaWorker& worker, sfu::Session& session) override;

  void ScheduleStats();
  void RefreshStats();

  NodeRunner& runner_;
  WhipWhepService whip_whep_;
  MediaMetricsExporter exporter_;
  AdminSessionsRoutes admin_;
  boost::asio::steady_timer stats_timer_;
  std::unique_ptr<sfu::MediaPlane> plane_;
  bool collecting_ = false;
  bool refresh_again_ = false;
};

}  // namespace tributary::http
