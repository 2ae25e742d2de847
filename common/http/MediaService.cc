#include "http/MediaService.h"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "base/Clock.h"
#include "http/JsonResponse.h"

namespace tributary::http {

MediaService::MediaService(NodeRunner& runner)
    : runner_(runner), whip_whep_(runner), exporter_(runner.Metrics()), stats_timer_(runner.Io()) {
  AddAdminRoutes();
}

void MediaService::AddAdminRoutes() {
  runner_.AddVhostScopedAdminRoute("/api/v1/sessions");
  runner_.Router().Add(
      net::HttpMethod::get, "/api/v1/sessions",
      [this](const net::HttpExchange& exchange, const RouteParams&) {
        const auto scope = runner_.AdminScope(exchange);
        const auto only = exchange.Target().Param("vhost");
        const uint64_t now_ms = base::NowMs();
        nlohmann::json list = nlohmann::json::array();
        whip_whep_.Sessions().ForEach([&](const SessionResource& resource) {
          if (!scope.Covers(resource.key.vhost)) return;
          if (only && *only != resource.key.vhost) return;
          list.push_back({{"id", resource.id},
                          {"kind", sfu::SessionKindLabel(resource.kind)},
                          {"vhost", resource.key.vhost},
                          {"app", resource.key.app},
                          {"stream", resource.key.stream},
                          {"worker", resource.worker},
                          {"remote", resource.remote},
                          {"age_ms", now_ms - resource.created_ms}});
        });
        exchange.Respond(JsonResponse(net::HttpStatus::ok, {{"sessions", std::move(list)}}));
      });
  runner_.Router().Add(net::HttpMethod::delete_, "/api/v1/sessions/{id}",
                       [this](const net::HttpExchange& exchange, const RouteParams& params) {
                         const std::string& id = params.Get("id");
                         const SessionResource* resource = whip_whep_.Sessions().Find(id);
                         if (resource == nullptr ||
                             !runner_.AdminScope(exchange).Covers(resource->key.vhost) ||
                             !whip_whep_.Kick(id)) {
                           exchange.Respond(JsonError(net::HttpStatus::not_found,
                                                      "no session '" + id.substr(0, 64) + "'"));
                           return;
                         }
                         exchange.Respond(JsonResponse(net::HttpStatus::ok, {{"kicked", id}}));
                       });
}

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
  const bool over_bitrate = session.GetCloseReason() == sfu::SessionCloseReason::kBitrateExceeded;
  boost::asio::post(runner_.Io(),
                    [this, id = session.Id(), vhost = session.Key().vhost, over_bitrate] {
                      if (over_bitrate)
                        runner_.Metrics().BitrateExceeded().Add({{"vhost", vhost}}).Increment();
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
