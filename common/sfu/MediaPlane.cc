#include "sfu/MediaPlane.h"

#include <stdexcept>
#include <system_error>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace tributary::sfu {

MediaPlaneOptions MediaPlaneOptions::FromConfig(const config::MediaSettings& media) {
  MediaPlaneOptions options;
  options.workers = media.workers == 0 ? 1 : media.workers;
  options.listen_ip = media.listen_ip;
  options.port = media.port;
  options.dtls_certificate_file = media.dtls.cert;
  options.dtls_private_key_file = media.dtls.key;
  MediaWorkerOptions& worker = options.worker;
  worker.max_sessions = media.max_sessions_per_worker;
  worker.session.transport.announced_ips = media.announced_ips;
  worker.session.transport.consent_timeout_ms = media.consent_timeout_ms;
  worker.session.transport.connect_timeout_ms = kConnectTimeoutMs;
  // Client-role links (an edge's pulls and pushes) check consent every second, so that a server
  // with a short consent timeout never drops a live link, and a dead one shows within seconds.
  worker.session.transport.ice_client.consent_interval_ms = kClientConsentIntervalMs;
  if (const auto bind = net::Endpoint::Parse(media.listen_ip, 0))
    worker.session.client_bind = *bind;
  worker.stream.publisher_grace_ms = media.publisher_grace_ms;
  worker.stream.producer.cache.max_age_ms = media.packet_cache_ms;
  worker.stream.producer.nack.max_age_ms = media.packet_cache_ms;
  worker.stream.producer.keyframe_throttle_ms = media.keyframe_throttle_ms;
  return options;
}

MediaPlane::MediaPlane(Options options, MediaWorker::Listener* listener)
    : options_(std::move(options)) {
  if (!options_.dtls_certificate_file.empty()) {
    certificate_ = std::make_unique<rtc::DtlsCertificate>(rtc::DtlsCertificate::LoadPemFiles(
        options_.dtls_certificate_file, options_.dtls_private_key_file));
  } else {
    certificate_ = std::make_unique<rtc::DtlsCertificate>(rtc::DtlsCertificate::Generate());
  }
  dtls_ = std::make_unique<rtc::DtlsTransport::Context>(*certificate_);
  const size_t count = options_.workers == 0 ? 1 : options_.workers;
  for (size_t i = 0; i < count; ++i) {
    MediaWorkerOptions worker = options_.worker;
    worker.index = i;
    const uint16_t port = options_.port == 0 ? 0 : static_cast<uint16_t>(options_.port + i);
    const auto bind = net::Endpoint::Parse(options_.listen_ip, port);
    if (!bind)
      throw std::runtime_error("media.listen_ip '" + options_.listen_ip + "' is not an IP");
    worker.bind = *bind;
    try {
      workers_.push_back(std::make_unique<MediaWorker>(std::move(worker), *dtls_, listener));
    } catch (const std::system_error& e) {
      throw std::runtime_error("media worker " + std::to_string(i) + " cannot bind UDP " +
                               bind->ToString() + ": " + e.what());
    }
  }
  if (count < 2) return;
  // Cross-worker fan-out: a ring for each ordered pair (home -> mirror).
  std::vector<MediaWorker*> peers;
  for (auto& worker : workers_)
    peers.push_back(worker.get());
  std::vector<std::vector<MirrorRing*>> outbound(count, std::vector<MirrorRing*>(count));
  std::vector<std::vector<MirrorRing*>> inbound(count, std::vector<MirrorRing*>(count));
  for (size_t from = 0; from < count; ++from) {
    for (size_t to = 0; to < count; ++to) {
      if (from == to) continue;
      rings_.push_back(
          std::make_unique<MirrorRing>(options_.mirror_ring_slots, workers_[to]->WakeFd()));
      outbound[from][to] = inbound[to][from] = rings_.back().get();
    }
  }
  for (size_t i = 0; i < count; ++i)
    workers_[i]->ConnectPeers(peers, std::move(outbound[i]), std::move(inbound[i]));
}

MediaPlane::~MediaPlane() {
  Stop();
}

void MediaPlane::Start() {
  std::string ports;
  for (auto& worker : workers_) {
    worker->Start();
    if (!ports.empty()) ports += ", ";
    ports += worker->LocalEndpoint().ToString();
  }
  spdlog::info("media: {} worker(s) on UDP {}, DTLS {}", workers_.size(), ports,
               certificate_->SdpFingerprint());
}

void MediaPlane::Stop() {
  for (auto& worker : workers_)
    worker->Stop();
}

size_t MediaPlane::HomeWorkerIndex(const StreamKey& key, size_t worker_count) {
  if (worker_count <= 1) return 0;
  return StreamKey::Hash{}(key) % worker_count;
}

size_t MediaPlane::PlaceSession(const StreamKey& key, SessionKind kind) {
  const size_t count = workers_.size();
  if (kind == SessionKind::kIngest || count <= 1) return HomeWorkerIndex(key, count);
  // Least loaded; among equals, the next one in turn (a burst of joins, before the workers
  // counted the previous ones, still spreads).
  const size_t start = next_placement_.fetch_add(1, std::memory_order_relaxed) % count;
  size_t best = start;
  size_t best_load = workers_[start]->Load();
  for (size_t n = 1; n < count; ++n) {
    const size_t i = (start + n) % count;
    const size_t load = workers_[i]->Load();
    if (load < best_load) {
      best = i;
      best_load = load;
    }
  }
  workers_[best]->AddPendingPlacement();
  return best;
}

void MediaPlane::CollectStats(boost::asio::io_context& reply_to,
                              std::function<void(MediaStats)> done) {
  struct Gather {
    MediaStats merged;
    size_t waiting = 0;
    std::function<void(MediaStats)> done;
  };
  auto gather = std::make_shared<Gather>();
  gather->waiting = workers_.size();
  gather->done = std::move(done);
  for (auto& worker : workers_) {
    MediaWorker* w = worker.get();
    w->Post([w, gather, &reply_to] {
      MediaStats stats = w->CollectStats();
      boost::asio::post(reply_to, [gather, stats = std::move(stats)] {
        gather->merged.Merge(stats);
        if (--gather->waiting == 0) gather->done(std::move(gather->merged));
      });
    });
  }
}

}  // namespace tributary::sfu
