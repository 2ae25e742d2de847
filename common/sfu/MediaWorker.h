#pragma once

// One media worker (docs/media-plane.md, "Threads"): a thread with its io_context, the UDP socket
// on media.listen_ip:(port + index) that every server-role transport of the worker shares, its
// UdpDemux, a packet buffer pool, a Router with the streams homed here, and the sessions it owns
// (by id). A 10 ms tick drives every session (its transport's timers, its producers' and
// consumers' reports) and the router (streams, producers, grace timers).
//
// Threads: construct, Start(), Stop() and destroy on the control thread. Everything else runs on
// the worker thread: the control thread reaches it with Post(fn) and gets answers back by
// posting onto its own io_context from fn. The Listener hears about sessions on the worker
// thread.
//
// Sessions end in two steps: Session::RequestClose (from a callback, a DELETE, a stream's end)
// records the reason and the worker closes and destroys the session in a handler of its own,
// outside every callback, after telling the Listener (OnSessionClosed). A closed session's last
// counts stay in the worker's totals (CollectStats).
//
// Cross-worker fan-out (docs/media-plane.md, "Threads"): a stream is homed on one worker
// (MediaPlane::HomeWorkerIndex), where its sources run; its viewers may be on any worker. A
// worker asked to serve a stream homed elsewhere (PrepareStream) subscribes to it on the home
// worker and holds a mirror Stream fed through the MirrorRing from the home worker to it, drained
// when the home worker wakes it (its eventfd) and on every tick. The rare control events go
// through Post: subscribe and unsubscribe (mirror -> home), the home stream's parameters and
// state (home -> mirror, a MirrorSnapshot), keyframe requests (mirror -> home). A mirror nobody
// watches for kMirrorLingerMs is removed and unsubscribed. A worker without peers (ConnectPeers
// never called, or one worker) homes everything.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/PacketBufferPool.h"
#include "net/Endpoint.h"
#include "net/IoThread.h"
#include "net/UdpSocket.h"
#include "rtc/DtlsTransport.h"
#include "rtc/UdpDemux.h"
#include "sfu/EgressSession.h"
#include "sfu/IngestSession.h"
#include "sfu/MediaStats.h"
#include "sfu/MirrorRing.h"
#include "sfu/Router.h"
#include "sfu/Session.h"
#include "sfu/Stream.h"

namespace tributary::sfu {

struct MediaWorkerOptions {
  size_t index = 0;
  net::Endpoint bind = *net::Endpoint::Parse("127.0.0.1", 0);  // port 0: any free port
  net::UdpSocketOptions socket;
  // Every session's: transport (announced_ips, consent and connect timeouts), client-role
  // socket binding, consumers.
  SessionOptions session;
  Stream::Options stream;  // publisher grace, producers (packet cache, keyframe throttle)
  base::PacketBufferPoolOptions pool;
  size_t max_sessions = 0;  // 0: no limit
  uint64_t tick_interval_ms = 10;
  // A mirror without viewers (nor sessions about to be) lives on this long, so that a viewer
  // who reloads finds it.
  uint64_t mirror_linger_ms = 2000;
};

// What a mirror needs of its home stream: the producers' parameters and the state. Sent by the
// home worker when a worker subscribes and whenever they change; `exists` false when the home
// has no such stream (any more).
struct MirrorSnapshot {
  StreamKey key;
  uint32_t token = 0;
  bool exists = false;
  Stream::State state = Stream::State::kNoSource;
  std::vector<ProducerParameters> params;  // by track
  std::vector<uint32_t> params_epochs;     // Producer::ParamsEpoch, by track
};

class MediaWorker final : private Router::Listener, private Session::Listener {
 public:
  using Options = MediaWorkerOptions;

  class Listener {
   public:
    virtual ~Listener() = default;
    // Worker thread. The session is connected (DTLS up, SRTP keyed).
    virtual void OnSessionConnected(MediaWorker& worker, Session& session) = 0;
    // Worker thread. The session is closed (GetCloseReason says why) and is destroyed right
    // after this call.
    virtual void OnSessionClosed(MediaWorker& worker, Session& session) = 0;
  };

  // Binds the socket (throws std::system_error naming nothing but the errno: the caller adds
  // the address). `dtls` and `listener` (nullable) must outlive the worker.
  MediaWorker(Options options, rtc::DtlsTransport::Context& dtls, Listener* listener = nullptr);
  // Stop() first if running.
  ~MediaWorker() override;
  MediaWorker(const MediaWorker&) = delete;
  MediaWorker& operator=(const MediaWorker&) = delete;

  // Control thread. Start launches the thread and the tick; Stop closes every session
  // (SessionCloseReason::kShutdown: close_notify to each peer) on the worker thread, waits for
  // it, then joins the thread. Idempotent.
  void Start();
  void Stop();
  bool Running() const { return thread_.Running(); }

  // Any thread: runs `fn` on the worker thread (dropped if the worker stops first).
  template <typename F>
  void Post(F&& fn) {
    boost::asio::post(thread_.Context(), std::forward<F>(fn));
  }
  boost::asio::io_context& Context() { return thread_.Context(); }
  bool InThread() { return thread_.InThread(); }
  size_t Index() const { return options_.index; }
  // The worker socket's address (fixed at construction: readable from any thread).
  const net::Endpoint& LocalEndpoint() const { return local_endpoint_; }
  const Options& GetOptions() const { return options_; }

  // --- worker thread ---

  // A new session, owned by the worker, not started (Session::Start with the negotiation).
  // Throws std::invalid_argument when the id is taken, std::runtime_error (or
  // std::system_error, for a client-role socket) when the transport cannot be made.
  IngestSession& CreateIngestSession(SessionInfo info, Session::Role role);
  EgressSession& CreateEgressSession(SessionInfo info, Session::Role role);
  Session* FindSession(std::string_view id) const;
  // Ends the session soon (deferred, see above); false when there is no such session.
  bool CloseSession(std::string_view id, SessionCloseReason reason, std::string_view detail = {});
  // Destroys a session whose setup failed, at once and without telling the listener. Not from
  // inside the session's callbacks.
  void DiscardSession(std::string_view id);
  size_t SessionCount() const { return sessions_.size(); }
  // No room for another session (Options::max_sessions).
  bool AtCapacity() const;

  Router& GetRouter() { return router_; }
  base::PacketBufferPool& Pool() { return pool_; }
  rtc::UdpDemux& Demux() { return demux_; }
  const net::UdpSocket& Socket() const { return *socket_; }
  rtc::DtlsTransport::Context& DtlsContext() { return dtls_; }

  // A snapshot of the sessions, streams and counters of this worker.
  MediaStats CollectStats() const;

  // --- cross-worker fan-out ---

  // Control thread, before Start: every worker of the plane by index (this one included), the
  // rings from this worker to each other one (`outbound`, by destination; null for this one)
  // and from each other one to this one (`inbound`, by source).
  void ConnectPeers(std::vector<MediaWorker*> peers, std::vector<MirrorRing*> outbound,
                    std::vector<MirrorRing*> inbound);
  // Any thread: the eventfd that wakes this worker to drain its inbound rings.
  int WakeFd() const { return wake_fd_; }
  // Whether `key`'s stream is homed here (its sources run here).
  bool IsHome(const StreamKey& key) const;
  // Worker thread. Runs `then` on this worker once `key`'s stream can be served here: at once
  // when it is homed here or already mirrored, else after subscribing to the home worker (a
  // round trip through Post). `then` always runs; the stream may still be missing or not live.
  void PrepareStream(const StreamKey& key, std::function<void()> then);
  size_t MirrorCount() const { return mirrors_.size(); }

  // Any thread: sessions open now, and sessions placed here whose creation is still on its way
  // (MediaPlane::PlaceSession counts them, PlacementArrived on the worker takes them back).
  size_t Load() const {
    return session_count_.load(std::memory_order_relaxed) +
           pending_placements_.load(std::memory_order_relaxed);
  }
  void AddPendingPlacement() { pending_placements_.fetch_add(1, std::memory_order_relaxed); }
  // Worker thread: a placed session's request arrived (made or refused from here on).
  void PlacementArrived();

  template <typename F>
  void ForEachSession(F&& fn) const {
    for (const auto& [id, session] : sessions_)
      fn(*session);
  }

 private:
  // Router::Listener (Stream::Listener)
  void OnStreamLive(Stream& stream) override;
  void OnStreamSourceLost(Stream& stream) override;
  void OnStreamEnded(Stream& stream) override;
  void OnStreamConsumerCountChanged(Stream& stream, size_t consumers) override;
  void OnStreamSourceAttached(Stream& stream) override;
  void OnStreamMirrorKeyframeRequest(Stream& stream, size_t track, KeyframeRequestReason reason,
                                     uint64_t now_ms) override;
  void OnStreamRemoved(Stream& stream) override;
  // Session::Listener
  void OnSessionConnected(Session& session) override;
  void OnSessionCloseRequested(Session& session) override;

  template <typename S>
  S& AddSession(SessionInfo info, Session::Role role);
  void ArmTick();
  void OnTick();
  void ReapClosing();
  void Finish(const std::string& id);
  void CloseAllNow(SessionCloseReason reason);
  void UpdateSessionCount() { session_count_.store(sessions_.size(), std::memory_order_relaxed); }

  // Cross-worker fan-out. A mirror of a stream homed on worker `home`, known there by `token`.
  struct Mirror {
    size_t home = 0;
    uint32_t token = 0;
    Stream* stream = nullptr;  // in router_, once the first snapshot said the home has it
    bool subscribed = false;   // the subscription is on its way or done
    std::vector<std::function<void()>> waiting;  // PrepareStream callers
    uint64_t idle_since_ms = 0;                  // 0: watched
  };
  static uint64_t MirrorId(size_t home, uint32_t token) {
    return (static_cast<uint64_t>(home) << 32) | token;
  }
  // Home side.
  void Subscribe(const StreamKey& key, size_t mirror_worker, uint32_t token);
  void Unsubscribe(const StreamKey& key, size_t mirror_worker, uint32_t token);
  void RequestHomeKeyframe(const StreamKey& key, size_t track, KeyframeRequestReason reason);
  void SendSnapshot(const StreamKey& key, const Stream* stream, size_t mirror_worker,
                    uint32_t token);
  void SendSnapshots(const Stream& stream);
  // Mirror side.
  void ApplySnapshot(MirrorSnapshot snapshot);
  void WaitWake();
  void DrainMirrors();
  Stream* FindMirror(size_t home, uint32_t token);
  void RetireIdleMirrors(uint64_t now_ms);

  const Options options_;
  rtc::DtlsTransport::Context& dtls_;
  Listener* listener_;
  net::IoThread thread_;  // first: its io_context outlives everything below
  boost::asio::steady_timer tick_timer_;
  rtc::UdpDemux demux_;
  std::unique_ptr<net::UdpSocket> socket_;
  net::Endpoint local_endpoint_;
  base::PacketBufferPool pool_;
  Router router_;
  SessionEnvironment environment_;
  std::atomic<size_t> session_count_{0};
  std::atomic<size_t> pending_placements_{0};

  // Cross-worker fan-out.
  std::vector<MediaWorker*> peers_;
  std::vector<MirrorRing*> outbound_;
  std::vector<MirrorRing*> inbound_;
  int wake_fd_ = -1;  // owned by wake_
  boost::asio::posix::stream_descriptor wake_;
  uint64_t wake_value_ = 0;
  bool drain_posted_ = false;
  std::unordered_map<StreamKey, Mirror, StreamKey::Hash> mirrors_;
  std::unordered_map<uint64_t, Stream*> mirror_streams_;  // by MirrorId
  uint64_t last_mirror_id_ = 0;                           // a one-entry cache of the above
  Stream* last_mirror_stream_ = nullptr;
  uint32_t next_token_ = 1;
  uint64_t next_linger_check_ms_ = 0;
  uint64_t mirror_unrouted_ = 0;  // drained packets of a mirror no longer here
  uint64_t mirror_drains_ = 0;    // DrainMirrors runs (wake-ups, ticks, budget re-posts)

  // Last: destroyed first (sessions detach from the router's streams).
  std::unordered_map<std::string, std::unique_ptr<Session>> sessions_;
  std::vector<std::string> closing_;
  bool reap_posted_ = false;
  bool stopped_ = false;  // control thread
  bool ticking_ = true;   // worker thread
  std::chrono::steady_clock::time_point next_tick_;
  std::unordered_map<std::string, SessionCounters> closed_totals_;  // by vhost
};

}  // namespace tributary::sfu
