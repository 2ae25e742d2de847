#pragma once

// Tells WHIP/WHEP clients (WhipClient, WhepClient) about the sessions they made on a media
// worker. A MediaWorker (or a MediaPlane) has one Listener; whoever owns the workers makes a
// dispatcher that listener, and the dispatcher hands the events of the sessions a client
// registered to that client and every other event to `next` (the node's own listener, or
// nothing):
//
//   http::ClientSessionDispatcher dispatcher(&node_listener);
//   sfu::MediaPlane plane(options, &dispatcher);
//
// Handlers run on the worker thread that owns the session, inside the worker's callback: they
// must copy what they need and return (post to their own thread). Register and Unregister may be
// called from any thread; the registry takes a lock per session event, never per packet.

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sfu/MediaWorker.h"
#include "sfu/Session.h"

namespace tributary::http {

class ClientSessionDispatcher final : public sfu::MediaWorker::Listener {
 public:
  enum class Event { kConnected, kClosed };
  using Handler = std::function<void(Event event, sfu::Session& session)>;

  // `next` (nullable) must outlive the dispatcher.
  explicit ClientSessionDispatcher(sfu::MediaWorker::Listener* next = nullptr) : next_(next) {}

  // The events of session `id` go to `handler` until Unregister; the registration ends with the
  // session's kClosed.
  void Register(const std::string& id, Handler handler);
  // No more events for `id`. While `session_exists`, its coming kClosed is swallowed rather than
  // passed to `next` (which never heard of the session); pass false for a session that was
  // never made or was discarded without a kClosed.
  void Unregister(const std::string& id, bool session_exists = true);
  // Sessions registered (or unregistered and awaiting their kClosed).
  size_t RegisteredCount() const;

  void OnSessionConnected(sfu::MediaWorker& worker, sfu::Session& session) override;
  void OnSessionClosed(sfu::MediaWorker& worker, sfu::Session& session) override;

 private:
  sfu::MediaWorker::Listener* next_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Handler> handlers_;  // empty: unregistered, swallow events
};

}  // namespace tributary::http
