#include "cluster/UpstreamLinks.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "base/Clock.h"

namespace tributary::cluster {

namespace {

using std::chrono::milliseconds;

constexpr int kRetryNotLiveS = 1;

}  // namespace

UpstreamLinks::Settings UpstreamLinks::Settings::FromConfig(
    const config::ClusterSettings& cluster) {
  Settings settings;
  settings.link = UpstreamLink::Settings::FromConfig(cluster);
  settings.linger_ms = cluster.linger_ms;
  return settings;
}

UpstreamLinks::UpstreamLinks(boost::asio::io_context& io, const ClusterAuth& auth,
                             net::HttpClient::Options http, OriginPool& origins,
                             http::MediaService& media, metrics::Metrics& metrics,
                             Settings settings)
    : metrics_(metrics),
      media_(media),
      settings_(settings),
      http_(io, std::move(http)),
      environment_{io, http_, auth, origins, media, settings.link},
      housekeeping_timer_(io) {
  UpdateGauges();
}

UpstreamLinks::~UpstreamLinks() {
  Stop();
}

void UpstreamLinks::Start() {
  if (running_) return;
  running_ = true;
  ScheduleHousekeeping();
}

void UpstreamLinks::Stop() {
  running_ = false;
  housekeeping_timer_.cancel();
  for (auto& [key, pull] : pulls_) {
    for (Waiter& waiter : pull.waiters) {
      waiter.decide(
          http::Admission::Refuse(net::HttpStatus::service_unavailable, "the edge is stopping", 5));
    }
  }
  pulls_.clear();
  pushes_.clear();
  stopping_.clear();
  UpdateGauges();
}

// --- viewers and publishers ---

void UpstreamLinks::AwaitPull(const sfu::StreamKey& key, http::OfferAdmission::Decide decide) {
  if (!running_) {
    decide(
        http::Admission::Refuse(net::HttpStatus::service_unavailable, "the edge is stopping", 5));
    return;
  }
  auto [it, made] = pulls_.try_emplace(key);
  Pull& pull = it->second;
  if (made) {
    pull.link = std::make_unique<UpstreamPull>(key, environment_,
                                               static_cast<UpstreamLink::Listener&>(*this));
    spdlog::info("upstream pull of {}: first viewer, pulling from the origins", key.ToString());
    UpdateGauges();
  }
  if (pull.link->EverLive()) {
    // The local stream has the pull's producers (live, or in grace while it fails over).
    decide(http::Admission::Proceed());
    return;
  }
  pull.idle_since_ms = 0;
  pull.waiters.push_back({std::move(decide), base::NowMs() + settings_.link.upstream_timeout_ms});
  if (made) pull.link->Start();
}

void UpstreamLinks::SetPublisher(const sfu::StreamKey& key, bool present) {
  const auto it = pushes_.find(key);
  if (present) {
    if (it != pushes_.end() || !running_) return;
    Push& push = pushes_[key];
    push.link = std::make_unique<UpstreamPush>(key, environment_,
                                               static_cast<UpstreamLink::Listener&>(*this));
    spdlog::info("upstream push of {}: publisher here, pushing to the origins", key.ToString());
    UpdateGauges();
    push.link->Start();
    return;
  }
  if (it == pushes_.end()) return;
  spdlog::info("upstream push of {}: the publisher left, deleting the push", key.ToString());
  std::unique_ptr<UpstreamLink> link = std::move(it->second.link);
  pushes_.erase(it);
  UpdateGauges();
  Retire(std::move(link));
}

const UpstreamLink* UpstreamLinks::FindPull(const sfu::StreamKey& key) const {
  const auto it = pulls_.find(key);
  return it != pulls_.end() ? it->second.link.get() : nullptr;
}

const UpstreamLink* UpstreamLinks::FindPush(const sfu::StreamKey& key) const {
  const auto it = pushes_.find(key);
  return it != pushes_.end() ? it->second.link.get() : nullptr;
}

void UpstreamLinks::OnOriginHealthChanged(const std::string& id, bool healthy) {
  if (healthy) return;
  for (auto& [key, pull] : pulls_)
    pull.link->OnOriginDown(id);
  for (auto& [key, push] : pushes_)
    push.link->OnOriginDown(id);
}

std::vector<std::pair<sfu::StreamKey, nlohmann::json>> UpstreamLinks::Listing() const {
  std::vector<std::pair<sfu::StreamKey, nlohmann::json>> out;
  for (const auto& [key, pull] : pulls_)
    out.emplace_back(key, pull.link->ToJson());
  for (const auto& [key, push] : pushes_)
    out.emplace_back(key, push.link->ToJson());
  return out;
}

// --- the links' news ---

void UpstreamLinks::OnLinkLive(UpstreamLink& link) {
  if (link.GetKind() == UpstreamLink::Kind::kPush) {
    const auto it = pushes_.find(link.Key());
    if (it != pushes_.end()) it->second.refused_since_ms = 0;
    return;
  }
  const auto it = pulls_.find(link.Key());
  if (it == pulls_.end()) return;
  std::vector<Waiter> waiters;
  waiters.swap(it->second.waiters);
  if (!waiters.empty()) {
    spdlog::info("upstream pull of {}: live, {} viewer(s) were waiting", link.Key().ToString(),
                 waiters.size());
  }
  for (Waiter& waiter : waiters)
    waiter.decide(http::Admission::Proceed());
}

void UpstreamLinks::OnLinkRoundFailed(UpstreamLink& link, const UpstreamLink::Round& round) {
  const sfu::StreamKey& key = link.Key();
  if (link.GetKind() == UpstreamLink::Kind::kPull) {
    const auto it = pulls_.find(key);
    if (it == pulls_.end()) return;
    // Every origin says nobody publishes it: the viewers waiting for its first start hear so
    // (a live pull keeps trying: its viewers stay for the stream's grace period).
    if (!link.EverLive() && round.attempts > 0 && round.not_live == round.attempts) {
      std::vector<Waiter> waiters;
      waiters.swap(it->second.waiters);
      for (Waiter& waiter : waiters) {
        waiter.decide(http::Admission::Refuse(
            net::HttpStatus::conflict,
            "stream " + key.app + "/" + key.stream + " is not live on any origin (yet)",
            kRetryNotLiveS));
      }
    }
    return;
  }
  const auto it = pushes_.find(key);
  if (it == pushes_.end()) return;
  Push& push = it->second;
  if (round.attempts == 0 || round.conflicts != round.attempts) {
    push.refused_since_ms = 0;
    return;
  }
  const uint64_t now = base::NowMs();
  if (push.refused_since_ms == 0) push.refused_since_ms = now;
  if (now - push.refused_since_ms < settings_.link.upstream_timeout_ms) return;
  // Published elsewhere: the local publisher cannot be the stream's source.
  const std::string detail = "stream is published elsewhere (" + round.last_error + ")";
  spdlog::warn("upstream push of {}: every origin refuses it; ending the publisher here: {}",
               key.ToString(), round.last_error);
  media_.WhipWhep().EndSessions(key, sfu::SessionKind::kIngest, detail);
}

// --- housekeeping ---

void UpstreamLinks::ScheduleHousekeeping() {
  housekeeping_timer_.expires_after(milliseconds(settings_.housekeeping_ms));
  housekeeping_timer_.async_wait(
      [this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
        if (ec || alive.expired() || !running_) return;
        Housekeeping();
        ScheduleHousekeeping();
      });
}

void UpstreamLinks::Housekeeping() {
  const uint64_t now = base::NowMs();
  const http::SessionTable& table = media_.WhipWhep().Sessions();
  std::vector<sfu::StreamKey> idle;
  for (auto& [key, pull] : pulls_) {
    std::vector<Waiter> expired;
    std::erase_if(pull.waiters, [&](Waiter& waiter) {
      if (waiter.deadline_ms > now) return false;
      expired.push_back(std::move(waiter));
      return true;
    });
    for (Waiter& waiter : expired) {
      const std::string& error = pull.link->LastError();
      waiter.decide(http::Admission::Refuse(
          net::HttpStatus::gateway_timeout,
          "no origin delivered stream " + key.app + "/" + key.stream + " within " +
              std::to_string(settings_.link.upstream_timeout_ms) + " ms" +
              (error.empty() ? std::string() : ": " + error)));
    }
    const size_t demand = table.Count(key, sfu::SessionKind::kEgress) + pull.waiters.size();
    if (demand > 0) {
      pull.idle_since_ms = 0;
      continue;
    }
    if (pull.idle_since_ms == 0) pull.idle_since_ms = now;
    const uint64_t linger = pull.link->EverLive() ? settings_.linger_ms : 0;
    if (now - pull.idle_since_ms >= linger) idle.push_back(key);
  }
  for (const sfu::StreamKey& key : idle) {
    const auto it = pulls_.find(key);
    spdlog::info("upstream pull of {}: {}, deleting the pull", key.ToString(),
                 it->second.link->EverLive() ? "no viewer left after the linger time"
                                             : "no viewer waits for it");
    std::unique_ptr<UpstreamLink> link = std::move(it->second.link);
    pulls_.erase(it);
    Retire(std::move(link));
  }
  if (!idle.empty()) UpdateGauges();
}

void UpstreamLinks::Retire(std::unique_ptr<UpstreamLink> link) {
  UpstreamLink* raw = link.get();
  stopping_.push_back(std::move(link));
  raw->Stop([this, raw, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) return;
    std::erase_if(stopping_, [raw](const auto& l) { return l.get() == raw; });
  });
}

void UpstreamLinks::UpdateGauges() {
  metrics_.UpstreamLinks().Add({{"kind", "pull"}}).Set(static_cast<double>(pulls_.size()));
  metrics_.UpstreamLinks().Add({{"kind", "push"}}).Set(static_cast<double>(pushes_.size()));
}

}  // namespace tributary::cluster
