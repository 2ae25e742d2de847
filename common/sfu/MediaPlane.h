#pragma once

// The media side of a node: the DTLS certificate (generated at start, or media.dtls from the
// config) with the one DtlsTransport::Context every transport of the process shares, and
// media.workers MediaWorkers, worker i on media.listen_ip:(media.port + i).
//
// A stream lives on its home worker (HomeWorkerIndex), where its sources run: publishers and an
// edge's upstream pulls and pushes. Viewers go to the least-loaded worker (PlaceSession: the one
// place that decides); a worker serving viewers of a stream homed elsewhere mirrors it, fed by a
// MirrorRing from the home worker (one ring per ordered pair of workers, made here; see
// MediaWorker, "Cross-worker fan-out").
//
// Threads: construct, Start(), Stop() and CollectStats() on the control thread; the workers
// run their own threads.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "config/NodeConfig.h"
#include "rtc/DtlsCertificate.h"
#include "rtc/DtlsTransport.h"
#include "sfu/MediaStats.h"
#include "sfu/MediaWorker.h"
#include "sfu/MirrorRing.h"
#include "sfu/Session.h"
#include "sfu/StreamKey.h"

namespace tributary::sfu {

struct MediaPlaneOptions {
  size_t workers = 1;
  std::string listen_ip = "127.0.0.1";
  uint16_t port = 0;  // worker i binds port + i; 0: each an ephemeral port
  // The template of every worker's options (its index and bind address are set per worker).
  MediaWorkerOptions worker;
  // PEM files of the DTLS certificate and key; empty: a new ECDSA P-256 certificate.
  std::string dtls_certificate_file;
  std::string dtls_private_key_file;

  // A session not connected (ICE, DTLS, SRTP) this long after it was made ends with "connect
  // timeout": a publisher that never connects must not hold its stream (409 to the next one)
  // for long.
  static constexpr uint64_t kConnectTimeoutMs = 10000;
  // ICE consent checks of client-role sessions (RFC 7675 suggests 5 s; a second costs nothing).
  static constexpr uint64_t kClientConsentIntervalMs = 1000;
  // Slots of each ring between two workers (about 1.5 KB each, touched only when used): a
  // second of a 10 Mbit/s stream, or 8 s of a 1 Mbit/s one, that the mirror worker may lag.
  size_t mirror_ring_slots = 1024;

  // From the node's media settings. `max_sessions_per_worker` 0: no limit.
  static MediaPlaneOptions FromConfig(const config::MediaSettings& media);
};

class MediaPlane {
 public:
  using Options = MediaPlaneOptions;

  // Makes (or loads) the certificate, the DTLS context and the workers, whose sockets bind
  // now. Throws std::runtime_error naming what failed (a certificate file, an address in use).
  // `listener` (nullable) hears every worker's sessions, on the worker threads; it must outlive
  // the plane.
  explicit MediaPlane(Options options, MediaWorker::Listener* listener = nullptr);
  ~MediaPlane();
  MediaPlane(const MediaPlane&) = delete;
  MediaPlane& operator=(const MediaPlane&) = delete;

  void Start();
  // Ends every session (close_notify to each peer) and joins the workers. Idempotent.
  void Stop();

  size_t WorkerCount() const { return workers_.size(); }
  MediaWorker& Worker(size_t index) { return *workers_[index]; }
  // The worker that owns `key`'s stream: its sources run there.
  static size_t HomeWorkerIndex(const StreamKey& key, size_t worker_count);
  // Any thread. The worker for a new session of `key`: the home worker for a publisher
  // (kIngest); for a viewer (kEgress) the worker with the fewest sessions (MediaWorker::Load,
  // which counts this placement until the worker takes it, PlacementArrived), ties going round.
  size_t PlaceSession(const StreamKey& key, SessionKind kind);
  MediaWorker& HomeWorker(const StreamKey& key) {
    return *workers_[HomeWorkerIndex(key, workers_.size())];
  }

  const rtc::DtlsCertificate& Certificate() const { return *certificate_; }
  rtc::DtlsTransport::Context& DtlsContext() { return *dtls_; }
  const Options& GetOptions() const { return options_; }

  // Asks every worker for its MediaStats; `done` runs on `reply_to` with them merged once all
  // answered (never if the workers stop first).
  void CollectStats(boost::asio::io_context& reply_to, std::function<void(MediaStats)> done);

 private:
  Options options_;
  std::unique_ptr<rtc::DtlsCertificate> certificate_;
  std::unique_ptr<rtc::DtlsTransport::Context> dtls_;
  // Before the workers: they point into them until they are destroyed.
  std::vector<std::unique_ptr<MirrorRing>> rings_;
  std::vector<std::unique_ptr<MediaWorker>> workers_;
  std::atomic<size_t> next_placement_{0};
};

}  // namespace tributary::sfu
