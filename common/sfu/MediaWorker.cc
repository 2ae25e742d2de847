#include "sfu/MediaWorker.h"

#include <future>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "base/Clock.h"

namespace tributary::sfu {

MediaWorker::MediaWorker(Options options, rtc::DtlsTransport::Context& dtls, Listener* listener)
    : options_(std::move(options)),
      dtls_(dtls),
      listener_(listener),
      thread_("media-" + std::to_string(options_.index)),
      tick_timer_(thread_.Context()),
      socket_(std::make_unique<net::UdpSocket>(thread_.Context(), options_.bind, demux_,
                                               options_.socket)),
      local_endpoint_(socket_->LocalEndpoint()),
      pool_(options_.pool),
      router_(pool_, *this, options_.stream),
      environment_{thread_.Context(), *socket_, demux_, dtls_, router_} {}

MediaWorker::~MediaWorker() {
  Stop();
}

void MediaWorker::Start() {
  if (thread_.Running() || stopped_) return;
  thread_.Start();
  Post([this] {
    next_tick_ = std::chrono::steady_clock::now();
    ArmTick();
  });
}

void MediaWorker::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (thread_.Running()) {
    std::promise<void> done;
    Post([this, &done] {
      CloseAllNow(SessionCloseReason::kShutdown);
      ticking_ = false;
      tick_timer_.cancel();
      socket_->Flush();  // the close_notify alerts
      done.set_value();
    });
    done.get_future().wait();
    thread_.Stop();
  } else {
    CloseAllNow(SessionCloseReason::kShutdown);
  }
}

void MediaWorker::ArmTick() {
  next_tick_ += std::chrono::milliseconds(options_.tick_interval_ms);
  const auto now = std::chrono::steady_clock::now();
  if (next_tick_ < now) next_tick_ = now;  // fell behind: do not burst
  tick_timer_.expires_at(next_tick_);
  tick_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || !ticking_) return;
    OnTick();
    ArmTick();
  });
}

void MediaWorker::OnTick() {
  const uint64_t now_ms = base::NowMs();
  for (auto& [id, session] : sessions_)
    session->Tick(now_ms);
  router_.Tick(now_ms);
}

bool MediaWorker::AtCapacity() const {
  return options_.max_sessions != 0 && sessions_.size() >= options_.max_sessions;
}

template <typename S>
S& MediaWorker::AddSession(SessionInfo info, Session::Role role) {
  if (info.id.empty() || sessions_.count(info.id) != 0) {
    throw std::invalid_argument("session id '" + info.id + "' is empty or taken");
  }
  std::string id = info.id;
  auto session = std::make_unique<S>(std::move(info), role, environment_,
                                     static_cast<Session::Listener&>(*this), options_.session);
  S& ref = *session;
  sessions_.emplace(std::move(id), std::move(session));
  return ref;
}

IngestSession& MediaWorker::CreateIngestSession(SessionInfo info, Session::Role role) {
  return AddSession<IngestSession>(std::move(info), role);
}

EgressSession& MediaWorker::CreateEgressSession(SessionInfo info, Session::Role role) {
  return AddSession<EgressSession>(std::move(info), role);
}

Session* MediaWorker::FindSession(std::string_view id) const {
  const auto it = sessions_.find(std::string(id));
  return it != sessions_.end() ? it->second.get() : nullptr;
}

bool MediaWorker::CloseSession(std::string_view id, SessionCloseReason reason,
                               std::string_view detail) {
  Session* session = FindSession(id);
  if (session == nullptr) return false;
  session->RequestClose(reason, detail);
  return true;
}

void MediaWorker::DiscardSession(std::string_view id) {
  const auto it = sessions_.find(std::string(id));
  if (it == sessions_.end()) return;
  it->second->Close(SessionCloseReason::kError);
  closed_totals_[it->second->Key().vhost] += it->second->GetCounters();
  sessions_.erase(it);
}

void MediaWorker::OnSessionConnected(Session& session) {
  if (listener_ != nullptr) listener_->OnSessionConnected(*this, session);
}

void MediaWorker::OnSessionCloseRequested(Session& session) {
  closing_.push_back(session.Id());
  if (reap_posted_) return;
  reap_posted_ = true;
  Post([this] { ReapClosing(); });
}

void MediaWorker::ReapClosing() {
  reap_posted_ = false;
  std::vector<std::string> ids;
  ids.swap(closing_);
  for (const std::string& id : ids)
    Finish(id);
}

void MediaWorker::Finish(const std::string& id) {
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  Session& session = *it->second;
  session.Close(session.CloseRequested() ? session.GetCloseReason() : SessionCloseReason::kDeleted);
  closed_totals_[session.Key().vhost] += session.GetCounters();
  if (listener_ != nullptr) listener_->OnSessionClosed(*this, session);
  sessions_.erase(it);
}

void MediaWorker::CloseAllNow(SessionCloseReason reason) {
  std::vector<std::string> ids;
  for (const auto& [id, session] : sessions_) {
    session->RequestClose(reason);
    ids.push_back(id);
  }
  closing_.clear();
  for (const std::string& id : ids)
    Finish(id);
}

// ---------------------------------------------------------------------------------------------
// Streams

void MediaWorker::OnStreamLive(Stream& stream) {
  spdlog::info("stream live: vhost={} app={} stream={} worker={} tracks={}", stream.Key().vhost,
               stream.Key().app, stream.Key().stream, options_.index, stream.ProducerCount());
}

void MediaWorker::OnStreamSourceLost(Stream& stream) {
  spdlog::info("stream source lost: vhost={} app={} stream={} viewers={} grace_ms={}",
               stream.Key().vhost, stream.Key().app, stream.Key().stream, stream.ConsumerCount(),
               options_.stream.publisher_grace_ms);
}

void MediaWorker::OnStreamEnded(Stream& stream) {
  spdlog::info("stream ended: vhost={} app={} stream={}", stream.Key().vhost, stream.Key().app,
               stream.Key().stream);
  for (auto& [id, session] : sessions_) {
    if (session->Kind() == SessionKind::kEgress && session->Key() == stream.Key()) {
      session->RequestClose(SessionCloseReason::kSourceEnded);
    }
  }
}

void MediaWorker::OnStreamConsumerCountChanged(Stream& /*stream*/, size_t /*consumers*/) {}

void MediaWorker::OnStreamRemoved(Stream& stream) {
  for (auto& [id, session] : sessions_) {
    if (session->Kind() == SessionKind::kEgress && session->Key() == stream.Key()) {
      static_cast<EgressSession&>(*session).StreamGone(stream);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics

MediaStats MediaWorker::CollectStats() const {
  MediaStats stats;
  for (const auto& [vhost, totals] : closed_totals_)
    stats.vhosts[vhost].traffic += totals;
  for (const auto& [id, session] : sessions_) {
    VhostMediaStats& vhost = stats.vhosts[session->Key().vhost];
    if (session->Kind() == SessionKind::kIngest) {
      ++vhost.publish_sessions;
    } else {
      ++vhost.play_sessions;
    }
    vhost.traffic += session->GetCounters();
  }
  router_.ForEachStream([&stats](const Stream& stream) {
    const auto state = stream.GetState();
    if (stream.ProducerCount() > 0 &&
        (state == Stream::State::kLive || state == Stream::State::kGrace)) {
      ++stats.vhosts[stream.Key().vhost].streams;
    }
    stats.streams.push_back({stream.Key(), std::string(Stream::StateName(state)),
                             stream.ProducerCount(), stream.BoundProducerCount(),
                             stream.ConsumerCount(), stream.GetCounters().packets_in});
  });
  const auto& demux = demux_.GetCounters();
  const auto& socket = socket_->GetCounters();
  auto add = [&stats](DropReason reason, uint64_t count) {
    stats.worker_drops[static_cast<size_t>(reason)] += count;
  };
  add(DropReason::kMalformed, demux.garbage);
  add(DropReason::kUnknownAddress,
      demux.unknown_ufrag + demux.unknown_tuple + demux.not_stun_no_tuple);
  add(DropReason::kQueueFull, socket.send_drops + socket.receive_drops);
  add(DropReason::kLimit, socket.truncated_in);
  return stats;
}

}  // namespace tributary::sfu
