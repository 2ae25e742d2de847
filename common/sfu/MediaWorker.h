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

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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
