#include "http/MediaService.h"

#include <boost/asio/post.hpp>

namespace tributary::http {

MediaService::MediaService(NodeRunner& runner)
    : runner_(runner),
      whip_whep_(runner),
      exporter_(runner.Metrics()),
      admin_(runner, [this] { return plane_.get(); }),
      stats_timer_(runner.Io()) {}

MediaService::~MediaService() {
  Stop();
}

void MediaService::Start() {
  if (plane_) return;
  plane_ =
      std::make_unique<sfu::MediaPlane>(sfu::MediaPlaneOptions::FromConfig(runner_.Config().media),
                                        static_cast<sfu::MediaWorker::Listener*>(this));
  plane_->Start();
  whip_whep_.Attach(plane_.get());
  ScheduleStats();
}

void MediaService::Stop() {
  if (!plane_) return;
  whip_whep_.Attach(nullptr);
  stats_timer_.cancel();
  plane_->Stop();
  plane_.reset();
}

void MediaService::OnSessionConnected(sfu::MediaWorker& /*worker*/, sfu::Session& /*session*/) {
  boost::asio::post(runner_.Io(), [this] { RefreshStats(); });
}

void MediaService::OnSessionClosed(sfu::MediaWorker& /*worker*/, sfu::Session& session) {
  boost::asio::post(runner_.Io(), [this, id = session.Id()] {
    whip_whep_.OnSessionClosed(id);
    RefreshStats();
  });
}

void MediaService::ScheduleStats() {
  stats_timer_.expires_after(std::chrono::milliseconds(kStatsIntervalMs));
  stats_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || !plane_) return;
    RefreshStats();
    ScheduleStats();
  });
}

void MediaService::RefreshStats() {
  if (!plane_) return;
  if (collecting_) {
    refresh_again_ = true;  // one more once this one is in
    return;
  }
  collecting_ = true;
  plane_->CollectStats(runner_.Io(), [this](sfu::MediaStats stats) {
    collecting_ = false;
    exporter_.Apply(stats);
    if (refresh_again_) {
      refresh_again_ = false;
      RefreshStats();
    }
  });
}

}  // namespace tributary::http
