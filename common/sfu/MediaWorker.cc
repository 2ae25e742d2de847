#include "sfu/MediaWorker.h"

#include <sys/eventfd.h>

#include <future>
#include <stdexcept>
#include <system_error>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "base/Clock.h"
#include "sfu/MediaPlane.h"

namespace tributary::sfu {

namespace {

// Mirror packets drained per ring before the worker's other handlers (its socket) get a turn.
constexpr size_t kMirrorDrainBudget = 256;
constexpr uint64_t kMirrorLingerCheckMs = 500;

int MakeEventFd() {
  const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  return fd;
}

}  // namespace

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
      environment_{thread_.Context(), *socket_, demux_, dtls_, router_},
      wake_fd_(MakeEventFd()),
      wake_(thread_.Context(), wake_fd_) {}

MediaWorker::~MediaWorker() {
  Stop();
}

void MediaWorker::Start() {
  if (thread_.Running() || stopped_) return;
  thread_.Start();
  Post([this] {
    next_tick_ = std::chrono::steady_clock::now();
    ArmTick();
    if (!inbound_.empty()) WaitWake();
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
      boost::system::error_code ignored;
      wake_.cancel(ignored);
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
  // A safety net for the eventfd, and the only drain of a worker whose rings are busy.
  if (!inbound_.empty()) DrainMirrors();
  if (!mirrors_.empty() && now_ms >= next_linger_check_ms_) {
    next_linger_check_ms_ = now_ms + kMirrorLingerCheckMs;
    RetireIdleMirrors(now_ms);
  }
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
  UpdateSessionCount();
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
  UpdateSessionCount();
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
  UpdateSessionCount();
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
  spdlog::info("stream live: vhost={} app={} stream={} worker={} tracks={}{}", stream.Key().vhost,
               stream.Key().app, stream.Key().stream, options_.index, stream.ProducerCount(),
               stream.IsMirror() ? " (mirror)" : "");
}

void MediaWorker::OnStreamSourceLost(Stream& stream) {
  if (stream.IsMirror()) return;  // the home worker says it
  spdlog::info("stream source lost: vhost={} app={} stream={} viewers={} grace_ms={}",
               stream.Key().vhost, stream.Key().app, stream.Key().stream, stream.ConsumerCount(),
               options_.stream.publisher_grace_ms);
  SendSnapshots(stream);
}

void MediaWorker::OnStreamEnded(Stream& stream) {
  if (!stream.IsMirror()) {
    spdlog::info("stream ended: vhost={} app={} stream={}", stream.Key().vhost, stream.Key().app,
                 stream.Key().stream);
    SendSnapshots(stream);
  }
  for (auto& [id, session] : sessions_) {
    if (session->Kind() == SessionKind::kEgress && session->Key() == stream.Key()) {
      session->RequestClose(SessionCloseReason::kSourceEnded);
    }
  }
}

void MediaWorker::OnStreamConsumerCountChanged(Stream& /*stream*/, size_t /*consumers*/) {}

void MediaWorker::OnStreamSourceAttached(Stream& stream) {
  SendSnapshots(stream);
}

void MediaWorker::OnStreamMirrorKeyframeRequest(Stream& stream, size_t track,
                                                KeyframeRequestReason reason, uint64_t /*now_ms*/) {
  const auto it = mirrors_.find(stream.Key());
  if (it == mirrors_.end() || peers_.empty()) return;
  MediaWorker* home = peers_[it->second.home];
  home->Post(
      [home, key = stream.Key(), track, reason] { home->RequestHomeKeyframe(key, track, reason); });
}

void MediaWorker::OnStreamRemoved(Stream& stream) {
  for (auto& [id, session] : sessions_) {
    if (session->Kind() == SessionKind::kEgress && session->Key() == stream.Key()) {
      static_cast<EgressSession&>(*session).StreamGone(stream);
    }
  }
  if (!stream.IsMirror()) {
    // The mirrors end with it (their viewers' sessions close as the home's would).
    stream.ForEachMirror([&](const MirrorRing& ring, uint32_t token) {
      for (size_t i = 0; i < outbound_.size(); ++i) {
        if (outbound_[i] == &ring) SendSnapshot(stream.Key(), nullptr, i, token);
      }
    });
    return;
  }
  const auto it = mirrors_.find(stream.Key());
  if (it == mirrors_.end() || it->second.stream != &stream) return;
  const Mirror mirror = std::move(it->second);
  mirrors_.erase(it);
  mirror_streams_.erase(MirrorId(mirror.home, mirror.token));
  last_mirror_id_ = 0;
  last_mirror_stream_ = nullptr;
  for (const auto& then : mirror.waiting)
    then();
  MediaWorker* home = peers_[mirror.home];
  home->Post([home, key = stream.Key(), me = options_.index, token = mirror.token] {
    home->Unsubscribe(key, me, token);
  });
}

// ---------------------------------------------------------------------------------------------
// Cross-worker fan-out

void MediaWorker::ConnectPeers(std::vector<MediaWorker*> peers, std::vector<MirrorRing*> outbound,
                               std::vector<MirrorRing*> inbound) {
  peers_ = std::move(peers);
  outbound_ = std::move(outbound);
  inbound_ = std::move(inbound);
}

bool MediaWorker::IsHome(const StreamKey& key) const {
  return peers_.size() <= 1 || MediaPlane::HomeWorkerIndex(key, peers_.size()) == options_.index;
}

void MediaWorker::PlacementArrived() {
  if (pending_placements_.load(std::memory_order_relaxed) > 0)
    pending_placements_.fetch_sub(1, std::memory_order_relaxed);
}

void MediaWorker::PrepareStream(const StreamKey& key, std::function<void()> then) {
  if (IsHome(key)) {
    then();
    return;
  }
  Mirror& mirror = mirrors_[key];
  if (mirror.stream != nullptr) {
    then();
    return;
  }
  mirror.waiting.push_back(std::move(then));
  if (mirror.subscribed) return;
  mirror.subscribed = true;
  mirror.home = MediaPlane::HomeWorkerIndex(key, peers_.size());
  mirror.token = next_token_++;
  MediaWorker* home = peers_[mirror.home];
  home->Post(
      [home, key, me = options_.index, token = mirror.token] { home->Subscribe(key, me, token); });
}

void MediaWorker::Subscribe(const StreamKey& key, size_t mirror_worker, uint32_t token) {
  Stream* stream = router_.FindStream(key);
  if (stream != nullptr && !stream->IsMirror() && outbound_[mirror_worker] != nullptr) {
    stream->AddMirror(*outbound_[mirror_worker], token);
    spdlog::debug("stream mirrored: vhost={} app={} stream={} worker={} to={}", key.vhost, key.app,
                  key.stream, options_.index, mirror_worker);
  } else {
    stream = nullptr;
  }
  SendSnapshot(key, stream, mirror_worker, token);
}

void MediaWorker::Unsubscribe(const StreamKey& key, size_t mirror_worker, uint32_t token) {
  Stream* stream = router_.FindStream(key);
  if (stream != nullptr && outbound_[mirror_worker] != nullptr)
    stream->RemoveMirror(*outbound_[mirror_worker], token);
}

void MediaWorker::RequestHomeKeyframe(const StreamKey& key, size_t track,
                                      KeyframeRequestReason reason) {
  Stream* stream = router_.FindStream(key);
  if (stream == nullptr || stream->IsMirror() || track >= stream->ProducerCount()) return;
  stream->ProducerAt(track).RequestKeyframe(reason, base::NowMs());
}

void MediaWorker::SendSnapshot(const StreamKey& key, const Stream* stream, size_t mirror_worker,
                               uint32_t token) {
  MirrorSnapshot snapshot;
  snapshot.key = key;
  snapshot.token = token;
  if (stream != nullptr) {
    snapshot.exists = true;
    snapshot.state = stream->GetState();
    for (size_t i = 0; i < stream->ProducerCount(); ++i) {
      snapshot.params.push_back(stream->ProducerAt(i).Parameters());
      snapshot.params_epochs.push_back(stream->ProducerAt(i).ParamsEpoch());
    }
  }
  MediaWorker* mirror = peers_[mirror_worker];
  mirror->Post([mirror, snapshot = std::move(snapshot)]() mutable {
    mirror->ApplySnapshot(std::move(snapshot));
  });
}

void MediaWorker::SendSnapshots(const Stream& stream) {
  if (stream.IsMirror() || stream.MirrorCount() == 0) return;
  stream.ForEachMirror([&](const MirrorRing& ring, uint32_t token) {
    for (size_t i = 0; i < outbound_.size(); ++i) {
      if (outbound_[i] == &ring) SendSnapshot(stream.Key(), &stream, i, token);
    }
  });
}

void MediaWorker::ApplySnapshot(MirrorSnapshot snapshot) {
  const auto it = mirrors_.find(snapshot.key);
  if (it == mirrors_.end() || it->second.token != snapshot.token) return;  // an old subscription
  Mirror& mirror = it->second;
  std::vector<std::function<void()>> waiting;
  waiting.swap(mirror.waiting);
  const uint64_t now_ms = base::NowMs();
  if (!snapshot.exists) {
    if (mirror.stream != nullptr) {
      // Its viewers' sessions close (OnStreamEnded); the router removes it once they are gone.
      mirror.stream->SetMirrorState(Stream::State::kEnded, now_ms);
    } else {
      mirrors_.erase(it);
    }
    for (const auto& then : waiting)
      then();
    return;
  }
  if (mirror.stream == nullptr) {
    Stream& stream = router_.GetOrCreateStream(snapshot.key);
    if (stream.ProducerCount() > 0 && !stream.IsMirror()) {
      // Sources attached here although the stream is homed elsewhere: serve it as it is.
      mirrors_.erase(it);
      for (const auto& then : waiting)
        then();
      return;
    }
    stream.BecomeMirror();
    mirror.stream = &stream;
    mirror_streams_[MirrorId(mirror.home, mirror.token)] = &stream;
  }
  for (size_t i = 0; i < snapshot.params.size(); ++i)
    mirror.stream->MirrorTrack(i, std::move(snapshot.params[i]), snapshot.params_epochs[i]);
  mirror.stream->SetMirrorState(snapshot.state, now_ms);
  for (const auto& then : waiting)
    then();
}

void MediaWorker::WaitWake() {
  wake_.async_read_some(boost::asio::buffer(&wake_value_, sizeof(wake_value_)),
                        [this](const boost::system::error_code& error, size_t /*bytes*/) {
                          if (error || !ticking_) return;
                          DrainMirrors();
                          WaitWake();
                        });
}

Stream* MediaWorker::FindMirror(size_t home, uint32_t token) {
  const uint64_t id = MirrorId(home, token);
  if (id == last_mirror_id_) return last_mirror_stream_;
  const auto it = mirror_streams_.find(id);
  if (it == mirror_streams_.end()) return nullptr;
  last_mirror_id_ = id;
  last_mirror_stream_ = it->second;
  return it->second;
}

void MediaWorker::DrainMirrors() {
  ++mirror_drains_;
  bool more = false;
  for (size_t home = 0; home < inbound_.size(); ++home) {
    MirrorRing* ring = inbound_[home];
    if (ring == nullptr) continue;
    size_t drained = 0;
    while (drained < kMirrorDrainBudget) {
      const MirrorPacket* packet = ring->Front();
      if (packet == nullptr) break;
      if (Stream* stream = FindMirror(home, packet->token)) {
        stream->ReceiveMirrored(*packet);
      } else {
        ++mirror_unrouted_;
      }
      ring->Pop();
      ++drained;
    }
    // Armed only once empty; a ring left non-empty is drained again from a handler of our own.
    if (drained == kMirrorDrainBudget || !ring->Arm()) more = true;
  }
  socket_->Flush();  // what the mirrors' consumers queued, in sendmmsg batches
  if (more && !drain_posted_) {
    drain_posted_ = true;
    Post([this] {
      drain_posted_ = false;
      if (ticking_) DrainMirrors();
    });
  }
}

void MediaWorker::RetireIdleMirrors(uint64_t now_ms) {
  // Keys with a play session here (connected or not yet): their mirror is needed.
  std::unordered_set<StreamKey, StreamKey::Hash> watched;
  for (const auto& [id, session] : sessions_) {
    if (session->Kind() == SessionKind::kEgress) watched.insert(session->Key());
  }
  for (auto& [key, mirror] : mirrors_) {
    if (mirror.stream == nullptr || mirror.stream->GetState() == Stream::State::kEnded) continue;
    if (mirror.stream->ConsumerCount() > 0 || watched.count(key) != 0) {
      mirror.idle_since_ms = 0;
      continue;
    }
    if (mirror.idle_since_ms == 0) mirror.idle_since_ms = now_ms;
    // Ended quietly: the router removes it on this tick (OnStreamRemoved unsubscribes).
    if (now_ms - mirror.idle_since_ms >= options_.mirror_linger_ms) mirror.stream->RetireMirror();
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
    // A mirror is the same stream as its home's: counted there.
    if (!stream.IsMirror() && stream.ProducerCount() > 0 &&
        (state == Stream::State::kLive || state == Stream::State::kGrace)) {
      ++stats.vhosts[stream.Key().vhost].streams;
    }
    stats.streams.push_back({stream.Key(), std::string(Stream::StateName(state)),
                             stream.ProducerCount(), stream.BoundProducerCount(),
                             stream.ConsumerCount(), stream.GetCounters().packets_in,
                             stream.IsMirror()});
  });
  for (const MirrorRing* ring : outbound_) {
    if (ring == nullptr) continue;
    const MirrorRingCounters counters = ring->GetCounters();
    stats.mirror_rings.packets += counters.packets;
    stats.mirror_rings.full += counters.full;
    stats.mirror_rings.too_large += counters.too_large;
    stats.mirror_rings.wakeups += counters.wakeups;
    stats.worker_drops[static_cast<size_t>(DropReason::kQueueFull)] += counters.full;
    stats.worker_drops[static_cast<size_t>(DropReason::kLimit)] += counters.too_large;
  }
  stats.mirror_unrouted = mirror_unrouted_;
  stats.mirror_drains = mirror_drains_;
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
