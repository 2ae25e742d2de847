#include "cluster/UpstreamLink.h"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "base/Clock.h"
#include "base/Random.h"
#include "net/Url.h"

namespace tributary::cluster {

namespace {

using std::chrono::milliseconds;

// An HTTP request of the signaling: at most this long (the connect timeout covers the rest).
constexpr uint32_t kMaxRequestMs = 2000;
// Rounds an ever-live pull retries without backing off (with retry_min_ms 100: two seconds).
constexpr uint32_t kFastRounds = 20;

}  // namespace

UpstreamLink::Settings UpstreamLink::Settings::FromConfig(const config::ClusterSettings& cluster) {
  Settings settings;
  settings.upstream_timeout_ms = cluster.upstream_timeout_ms;
  settings.no_media_timeout_ms = cluster.no_media_timeout_ms;
  settings.max_redirects = cluster.max_redirects;
  return settings;
}

const char* UpstreamLink::KindName(Kind kind) {
  return kind == Kind::kPull ? "pull" : "push";
}

const char* UpstreamLink::StateName(State state) {
  switch (state) {
    case State::kIdle:
      return "idle";
    case State::kConnecting:
      return "connecting";
    case State::kLive:
      return "live";
    case State::kRetrying:
      return "retrying";
    case State::kStopped:
      return "stopped";
  }
  return "unknown";
}

UpstreamLink::UpstreamLink(Kind kind, sfu::StreamKey key, Environment& environment,
                           Listener& listener)
    : kind_(kind),
      key_(std::move(key)),
      env_(environment),
      listener_(listener),
      retry_timer_(environment.io),
      check_timer_(environment.io) {}

UpstreamLink::~UpstreamLink() {
  alive_.reset();
  retry_timer_.cancel();
  check_timer_.cancel();
  // The clients close their sessions as they go; their resources upstream time out.
}

uint64_t UpstreamLink::Progress(Kind kind, const sfu::Session& session) {
  const auto& counters = session.Transport().GetCounters();
  return kind == Kind::kPull ? counters.rtp_packets_in : counters.packets_in;
}

void UpstreamLink::Start() {
  if (state_ != State::kIdle && state_ != State::kStopped) return;
  stopped_ = nullptr;
  tried_.clear();
  round_ = {};
  failed_rounds_ = 0;
  state_ = State::kConnecting;
  Connect();
}

void UpstreamLink::Connect() {
  if (state_ == State::kStopped) return;
  sfu::MediaPlane* plane = env_.media.Plane();
  if (plane == nullptr) {
    last_error_ = "the media plane is not running";
    state_ = State::kRetrying;
    ScheduleConnect(milliseconds(env_.settings.retry_max_ms));
    return;
  }
  const auto candidates = env_.origins.PickFor(key_);
  const OriginPool::Candidate* next = nullptr;
  for (const auto& candidate : candidates) {
    if (tried_.count(candidate.id) == 0) {
      next = &candidate;
      break;
    }
  }
  if (next == nullptr) {
    // Every origin failed once: back off, then start over.
    const Round round = round_;
    round_ = {};
    tried_.clear();
    ++failed_rounds_;
    const uint32_t shift = std::min<uint32_t>(failed_rounds_ - 1, 16);
    uint64_t delay = std::min<uint64_t>(uint64_t{env_.settings.retry_min_ms} << shift,
                                        env_.settings.retry_max_ms);
    // A pull that was live has viewers waiting in their sessions while its stream moves to
    // another origin (the publisher's edge fails over too: "not live" answers, redirects to the
    // dead owner until the mesh notices): keep asking every retry_min_ms for a while.
    if (kind_ == Kind::kPull && ever_live_ && failed_rounds_ <= kFastRounds) {
      delay = env_.settings.retry_min_ms;
    }
    state_ = State::kRetrying;
    ScheduleConnect(milliseconds(delay));
    listener_.OnLinkRoundFailed(*this, round);  // last: it may stop us
    return;
  }
  tried_.insert(next->id);
  origin_ = next->id;
  url_ = next->url + (kind_ == Kind::kPull ? "/whep/" : "/whip/") +
         net::Url::PercentEncode(key_.app) + "/" + net::Url::PercentEncode(key_.stream) +
         "?vhost=" + net::Url::PercentEncode(key_.vhost);
  const uint64_t attempt = ++attempt_;
  ++attempts_;

  http::MediaSessionClient::Options options;
  options.local_key = key_;
  options.session_id = std::string(KindName(kind_)) + "-" + base::RandomHex(8);
  options.signaling.sign = [auth = &env_.auth](net::HttpClientRequest& request) {
    auth->SignRequest(request);
  };
  options.signaling.max_redirects = env_.settings.max_redirects;
  options.signaling.request_timeout =
      milliseconds(std::min(env_.settings.upstream_timeout_ms, kMaxRequestMs));
  options.connect_timeout = milliseconds(env_.settings.upstream_timeout_ms);
  options.on_ended = [this, attempt](const http::ClientError& error) { OnEnded(attempt, error); };
  state_ = State::kConnecting;
  spdlog::debug("upstream {} of {}: trying origin {} ({})", KindName(kind_), key_.ToString(),
                origin_, url_);
  client_ = MakeClient(plane->HomeWorker(key_), url_, std::move(options));
  client_->Start([this, attempt](const http::ClientError& error) { OnConnected(attempt, error); });
}

void UpstreamLink::OnConnected(uint64_t attempt, const http::ClientError& error) {
  if (attempt != attempt_ || state_ != State::kConnecting) return;
  if (error) {
    const bool not_live = error.kind == http::ClientError::Kind::kNotLive;
    const bool conflict = error.kind == http::ClientError::Kind::kHttpStatus && error.status == 409;
    Fail(error.ToString(), not_live, conflict);
    return;
  }
  const uint64_t now = base::NowMs();
  state_ = State::kLive;
  ever_live_ = true;
  live_since_ms_ = now;
  origin_ = OriginIdOf(client_->LastOffer().endpoint_url);
  if (!live_origin_.empty() && live_origin_ != origin_) {
    env_.origins.RecordFailover(key_, live_origin_, origin_);
    ++failovers_;
  }
  live_origin_ = origin_;
  tried_.clear();
  round_ = {};
  failed_rounds_ = 0;
  progress_known_ = false;
  last_progress_ms_ = now;
  spdlog::info("upstream {} of {}: live on origin {} ({}{})", KindName(kind_), key_.ToString(),
               origin_, client_->LastOffer().endpoint_url,
               client_->LastOffer().redirects.empty()
                   ? std::string()
                   : ", " + std::to_string(client_->LastOffer().redirects.size()) + " redirect(s)");
  ScheduleCheck();
  listener_.OnLinkLive(*this);
}

void UpstreamLink::OnEnded(uint64_t attempt, const http::ClientError& error) {
  if (attempt != attempt_ || state_ != State::kLive) return;
  Fail(error.ToString());
}

void UpstreamLink::Fail(const std::string& reason, bool not_live, bool conflict) {
  last_error_ = "origin " + origin_ + ": " + reason;
  tried_.insert(origin_);  // a live link that failed: the others first
  ++round_.attempts;
  if (not_live) ++round_.not_live;
  if (conflict) ++round_.conflicts;
  round_.last_error = last_error_;
  const bool was_live = state_ == State::kLive;
  spdlog::log(was_live || (!not_live && !conflict) ? spdlog::level::warn : spdlog::level::info,
              "upstream {} of {}: {}", KindName(kind_), key_.ToString(), last_error_);
  check_timer_.cancel();
  ++attempt_;  // nothing more from this attempt
  if (client_) Retire(std::move(client_));
  state_ = State::kConnecting;
  // The next origin at once (outside the client's callback).
  ScheduleConnect(milliseconds(0));
}

void UpstreamLink::OnOriginDown(const std::string& id) {
  if ((state_ == State::kConnecting || state_ == State::kLive) && client_ && origin_ == id) {
    Fail("the origin stopped answering heartbeats");
  }
}

void UpstreamLink::ScheduleConnect(milliseconds delay) {
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait(
      [this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
        if (ec || alive.expired() || state_ == State::kStopped || client_) return;
        Connect();
      });
}

void UpstreamLink::ScheduleCheck() {
  check_timer_.expires_after(milliseconds(env_.settings.check_interval_ms));
  check_timer_.async_wait(
      [this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
        if (ec || alive.expired()) return;
        Check();
      });
}

void UpstreamLink::Check() {
  if (state_ != State::kLive || !client_) return;
  sfu::MediaWorker& worker = client_->Worker();
  worker.Post([&worker, this, id = client_->SessionId(), kind = kind_, io = &env_.io,
               alive = std::weak_ptr<bool>(alive_), attempt = attempt_]() {
    const sfu::Session* session = worker.FindSession(id);
    const uint64_t progress = session != nullptr ? Progress(kind, *session) : 0;
    boost::asio::post(*io, [this, alive, attempt, found = session != nullptr, progress] {
      if (alive.expired()) return;
      OnProgress(attempt, found, progress);
    });
  });
}

void UpstreamLink::OnProgress(uint64_t attempt, bool found, uint64_t progress) {
  if (attempt != attempt_ || state_ != State::kLive) return;
  const uint64_t now = base::NowMs();
  if (found && (!progress_known_ || progress > last_progress_)) {
    if (progress_known_ || progress > 0) last_progress_ms_ = now;
    progress_known_ = true;
    last_progress_ = progress;
  }
  if (now - last_progress_ms_ >= env_.settings.no_media_timeout_ms) {
    Fail(std::string(kind_ == Kind::kPull ? "no media" : "nothing from the origin") + " for " +
         std::to_string(now - last_progress_ms_) + " ms");
    return;
  }
  ScheduleCheck();
}

void UpstreamLink::Retire(std::unique_ptr<http::MediaSessionClient> client) {
  http::MediaSessionClient* raw = client.get();
  retiring_.push_back(std::move(client));
  if (raw->GetState() == http::MediaSessionClient::State::kClosing) return;
  raw->Close([this, raw, alive = std::weak_ptr<bool>(alive_)](const http::ClientError&) {
    // Not from inside the client's own callback.
    boost::asio::post(env_.io, [this, raw, alive] {
      if (alive.expired()) return;
      std::erase_if(retiring_, [raw](const auto& c) { return c.get() == raw; });
      MaybeStopped();
    });
  });
}

void UpstreamLink::Stop(std::function<void()> done) {
  state_ = State::kStopped;
  ++attempt_;
  retry_timer_.cancel();
  check_timer_.cancel();
  if (client_) Retire(std::move(client_));
  stopped_ = std::move(done);
  MaybeStopped();
}

void UpstreamLink::MaybeStopped() {
  if (state_ != State::kStopped || !retiring_.empty() || !stopped_) return;
  boost::asio::post(env_.io, [done = std::move(stopped_)] { done(); });
  stopped_ = nullptr;
}

std::string UpstreamLink::OriginIdOf(const std::string& endpoint_url) const {
  for (const auto& candidate : env_.origins.PickFor(key_)) {
    if (endpoint_url.size() > candidate.url.size() && endpoint_url.starts_with(candidate.url) &&
        endpoint_url[candidate.url.size()] == '/') {
      return candidate.id;
    }
  }
  const auto url = net::Url::Parse(endpoint_url);
  return url ? url->HostHeader() : endpoint_url;
}

nlohmann::json UpstreamLink::ToJson() const {
  return {{"kind", KindName(kind_)},
          {"node", origin_},
          {"state", StateName(state_)},
          {"url", url_},
          {"session", client_ ? client_->SessionId() : std::string()},
          {"attempts", attempts_},
          {"failovers", failovers_},
          {"live_for_ms", state_ == State::kLive ? base::NowMs() - live_since_ms_ : 0},
          {"last_error", last_error_.empty() ? nlohmann::json() : nlohmann::json(last_error_)}};
}

}  // namespace tributary::cluster
