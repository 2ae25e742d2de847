#pragma once

// What WhipClient and WhepClient share: one client-role media session on a MediaWorker, set up
// and torn down through WHIP/WHEP (WhipWhepSignaling).
//
// Start():
//   1. (worker) the session is made (an EgressSession to publish the local stream's tracks, or
//      an IngestSession to feed the local stream), and the offer built from its transport's ICE
//      credentials, fingerprint and candidates (rtc::SdpOfferer);
//   2. (client) POST, following redirects; 201 gives the answer and the resource;
//   3. (client) the answer is parsed, passed to answer_filter, checked against the offer
//      (SdpOfferer::ApplyAnswer) and must accept a section;
//   4. (worker) Session::Start with the negotiation: ICE checks begin, then DTLS; on_started
//      runs here, before any media can arrive;
//   5. (client) the connected callback, once DTLS is up and SRTP keyed (or the first failure:
//      every step's error is a ClientError saying what failed, kNotLive with the delay for a
//      WHEP 409). A failure after the POST succeeded deletes the resource (best effort).
// Once connected, the session may still end on its own (ICE consent lost, the server closed it,
// the stream ended): Options::on_ended tells, and the resource is deleted.
// Close() ends the session and DELETEs the resource. RestartIce() PATCHes new credentials.
// Start() may be called again after a failure or Close() (a new session, a new resource): a
// viewer waiting for a stream to go live retries that way.
//
// Threads: every method and callback (but on_started) on the client's io_context, the one the
// HttpClient runs on; the session lives on the worker thread, reached by posting. They may be
// the same io_context (the command-line tools do that). The HttpClient, the worker, the
// dispatcher (the worker's listener, or behind it) and the io_context must outlive the client.
// Destroying the client drops its callbacks and closes its session; it does not DELETE. Do not
// destroy it from inside one of its own callbacks (post that).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http/ClientError.h"
#include "http/ClientSessionDispatcher.h"
#include "http/WhipWhepSignaling.h"
#include "net/HttpClient.h"
#include "rtc/SessionDescription.h"
#include "sfu/MediaWorker.h"
#include "sfu/Session.h"
#include "sfu/StreamKey.h"

namespace tributary::http {

struct MediaSessionClientOptions {
  WhipWhepSignaling::Options signaling;  // bearer token, extra headers, sign hook, redirects
  // The stream on the worker: WHIP sends its tracks, WHEP feeds it.
  sfu::StreamKey local_key;
  // The session id on the worker (unique there); empty: "client-" + random. A restarted client
  // appends "-2", "-3"...
  std::string session_id;
  // WHEP: the kinds to ask for (a recvonly section each). WHIP sends what the stream has.
  bool audio = true;
  bool video = true;
  // From Start() to DTLS connected; then kTransport.
  std::chrono::milliseconds connect_timeout{10000};
  // Client thread, after the answer parsed and before it is checked and applied: may change it
  // (a test relay in front of the server rewrites the candidates).
  std::function<void(rtc::SessionDescription& answer)> answer_filter;
  // Worker thread, once the session started (before media can flow). Must not keep the
  // reference beyond the session's life.
  std::function<void(sfu::Session& session)> on_started;
  // Client thread: the connected session ended without Close() (kClosed, with the reason).
  std::function<void(const ClientError& error)> on_ended;
};

class MediaSessionClient {
 public:
  using Options = MediaSessionClientOptions;
  using DoneCallback = std::function<void(const ClientError& error)>;

  enum class Direction { kSend, kReceive };  // WHIP, WHEP
  enum class State {
    kIdle,
    kPreparing,
    kOffering,
    kConnecting,
    kConnected,
    kClosing,
    kClosed,
    kFailed
  };

  // Times since Start(), for reports.
  struct Timing {
    std::optional<std::chrono::microseconds> answered;   // 201 received
    std::optional<std::chrono::microseconds> connected;  // DTLS up
  };

  ~MediaSessionClient();
  MediaSessionClient(const MediaSessionClient&) = delete;
  MediaSessionClient& operator=(const MediaSessionClient&) = delete;

  // From kIdle, kClosed or kFailed (else std::logic_error). `on_connected` runs once.
  void Start(DoneCallback on_connected);
  // Ends the session (if any) and deletes the resource (if any); `done` runs once the DELETE is
  // answered (its error, if it failed), or soon when there is nothing to delete. The callback
  // of a Start() in progress is dropped.
  void Close(DoneCallback done);
  // ICE restart (RFC 9725 4.3): new local ICE credentials, PATCHed with If-Match; the server's
  // new credentials go to the transport. Only while connected (else kCancelled).
  void RestartIce(DoneCallback done);

  Direction GetDirection() const { return direction_; }
  State GetState() const { return state_; }
  static std::string_view StateName(State state);
  const std::string& Url() const { return url_; }
  // The current (or last) session's id on the worker.
  const std::string& SessionId() const { return session_id_; }
  // The resource URL while one exists.
  std::string ResourceUrl() const;
  // The last offer's HTTP result (status, redirects, resource, etag, links); empty before one.
  const WhipWhepSignaling::OfferResult& LastOffer() const { return last_offer_; }
  const ClientError& LastError() const { return last_error_; }
  const Timing& GetTiming() const { return timing_; }
  sfu::MediaWorker& Worker() { return worker_; }

 protected:
  MediaSessionClient(Direction direction, boost::asio::io_context& io, net::HttpClient& http,
                     sfu::MediaWorker& worker, ClientSessionDispatcher& dispatcher, std::string url,
                     Options options);

 private:
  struct Offer;   // the offer as built on the worker
  struct Handle;  // how the worker's handlers reach the client (and find it gone)

  void OnOfferBuilt(uint64_t attempt, std::shared_ptr<Offer> offer);
  void OnAnswer(uint64_t attempt, std::shared_ptr<Offer> offer,
                WhipWhepSignaling::OfferResult result);
  void OnSessionEvent(uint64_t attempt, ClientSessionDispatcher::Event event,
                      const std::string& detail);
  void OnStartedOnWorker(uint64_t attempt, const std::string& error);
  // Ends the attempt with `error`: the session closed (or discarded), the resource deleted.
  void Fail(ClientError error);
  void ReportConnected(const ClientError& error);
  // Ends session `id` on the worker (if it still exists) without telling us.
  void CloseSessionOnWorker(const std::string& id);
  void DeleteResourceQuietly();
  Handle MakeHandle();

  const Direction direction_;
  boost::asio::io_context& io_;
  net::HttpClient& http_;
  sfu::MediaWorker& worker_;
  ClientSessionDispatcher& dispatcher_;
  const std::string url_;
  Options options_;

  State state_ = State::kIdle;
  uint64_t attempt_ = 0;  // Start() count: events of an older attempt are ignored
  std::string session_id_;
  std::unique_ptr<WhipWhepSignaling> signaling_;
  std::shared_ptr<Offer> offer_;  // of the current attempt, for ICE restarts
  WhipWhepSignaling::OfferResult last_offer_;
  ClientError last_error_;
  DoneCallback on_connected_;
  std::chrono::steady_clock::time_point started_at_;
  Timing timing_;
  boost::asio::steady_timer connect_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tributary::http
