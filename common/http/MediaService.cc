#include "http/MediaService.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <boost/asio/post.hpp>

#include "base/Clock.h"
#include "http/JsonResponse.h"

namespace tributary::http {

namespace {

using KeyTuple = std::tuple<std::string, std::string, std::string>;

KeyTuple Tuple(const sfu::StreamKey& key) {
  return {key.vhost, key.app, key.stream};
}

}  // namespace

MediaService::MediaService(NodeRunner& runner)
    : runner_(runner),
      whip_whep_(runner),
      exporter_(runner.Metrics()),
      admin_(runner, [this] { return plane_.get(); }),
      dispatcher_(static_cast<sfu::MediaWorker::Listener*>(this)),
      stats_timer_(runner.Io()) {
  // A vhost's admin token may use these, and sees its own vhost's sessions, links and streams.
  runner.AddVhostScopedAdminRoute("/api/v1/sessions");
  runner.AddVhostScopedAdminRoute("/api/v1/upstreams");
  runner.AddVhostScopedAdminRoute("/api/v1/streams");
  runner.Router().Add(
      net::HttpMethod::get, "/api/v1/streams",
      [this](const net::HttpExchange& exchange, const RouteParams&) {
        const AdminAuth::Result rights =
            AdminAuth::Check(runner_.Config().admin_token, *runner_.Vhosts().Current(), exchange);
        if (!rights.Allowed()) {
          exchange.Respond(AdminAuth::Refusal(rights));
          return;
        }
        if (!plane_) {
          exchange.Respond(
              JsonResponse(net::HttpStatus::ok, StreamsJson(sfu::MediaStats(), rights)));
          return;
        }
        CollectStats([this, exchange, rights](sfu::MediaStats stats) {
          exchange.Respond(JsonResponse(net::HttpStatus::ok, StreamsJson(stats, rights)));
        });
      });
}

MediaService::~MediaService() {
  Stop();
}

void MediaService::Start() {
  if (plane_) return;
  plane_ = std::make_unique<sfu::MediaPlane>(
      sfu::MediaPlaneOptions::FromConfig(runner_.Config().media), &dispatcher_);
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

void MediaService::CollectStats(std::function<void(sfu::MediaStats)> done) {
  if (!plane_) return;
  plane_->CollectStats(runner_.Io(), std::move(done));
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
    UpdateLoad(stats);
    if (refresh_again_) {
      refresh_again_ = false;
      RefreshStats();
    }
  });
}

void MediaService::UpdateLoad(const sfu::MediaStats& stats) {
  uint64_t sessions = 0;
  for (const auto& [vhost, figures] : stats.vhosts)
    sessions += figures.publish_sessions + figures.play_sessions;
  load_.sessions = sessions;
  const sfu::SessionCounters total = stats.Total();
  const uint64_t bytes = total.rtp_bytes_in + total.rtp_bytes_out;
  const uint64_t now_us = base::NowUs();
  // Over at least half an interval: the refreshes a session's end triggers come close together.
  if (last_bytes_us_ != 0 && now_us - last_bytes_us_ >= kStatsIntervalMs * 500ull) {
    const uint64_t grown = bytes >= last_bytes_ ? bytes - last_bytes_ : 0;
    load_.bitrate_bps = grown * 8 * 1'000'000 / (now_us - last_bytes_us_);
    last_bytes_ = bytes;
    last_bytes_us_ = now_us;
  } else if (last_bytes_us_ == 0) {
    last_bytes_ = bytes;
    last_bytes_us_ = now_us;
  }
}

nlohmann::json MediaService::StreamsJson(const sfu::MediaStats& stats,
                                         const AdminAuth::Result& rights) const {
  struct Row {
    sfu::StreamKey key;
    const sfu::StreamSnapshot* snapshot = nullptr;
    const nlohmann::json* upstream = nullptr;
  };
  std::map<KeyTuple, Row> rows;
  Row ignored;
  auto row = [&rows, &rights, &ignored](const sfu::StreamKey& key) -> Row& {
    if (!rights.Covers(key.vhost)) return ignored;
    Row& r = rows[Tuple(key)];
    r.key = key;
    return r;
  };
  for (const sfu::StreamSnapshot& snapshot : stats.streams)
    row(snapshot.key).snapshot = &snapshot;
  const SessionTable& table = whip_whep_.Sessions();
  table.ForEach([&](const SessionResource& resource) { row(resource.key); });
  std::vector<std::pair<sfu::StreamKey, nlohmann::json>> links;
  if (upstream_listing_) links = upstream_listing_();
  for (const auto& [key, link] : links)
    row(key).upstream = &link;

  nlohmann::json streams = nlohmann::json::array();
  for (const auto& entry : rows) {
    const auto& r = entry.second;  // (clang 14 cannot capture a structured binding)
    size_t viewers = 0;
    nlohmann::json viewer_nodes = nlohmann::json::array();
    // Where the media comes from: "local" (a publisher here), the id of the node that pushes
    // it here (an edge's WHIP push to an origin) or that this node pulls it from.
    nlohmann::json source;
    table.ForEach([&](const SessionResource& resource) {
      if (!(resource.key == r.key)) return;
      if (resource.kind == sfu::SessionKind::kEgress) {
        ++viewers;
        if (!resource.node.empty()) viewer_nodes.push_back(resource.node);
      } else {
        source = resource.node.empty() ? std::string("local") : resource.node;
      }
    });
    if (source.is_null() && r.upstream != nullptr && r.upstream->value("kind", "") == "pull") {
      source = r.upstream->value("node", "");
    }
    streams.push_back({
        {"vhost", r.key.vhost},
        {"app", r.key.app},
        {"stream", r.key.stream},
        {"state", r.snapshot != nullptr ? r.snapshot->state : std::string("none")},
        {"tracks", r.snapshot != nullptr ? r.snapshot->tracks : 0},
        {"packets_in", r.snapshot != nullptr ? r.snapshot->packets_in : 0},
        {"viewers", viewers},
        {"viewer_nodes", viewer_nodes},
        {"source", source},
        {"upstream", r.upstream != nullptr ? *r.upstream : nlohmann::json()},
    });
  }
  return {{"node", runner_.Config().id}, {"streams", streams}};
}

}  // namespace tributary::http
