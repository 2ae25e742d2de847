#include "metrics/Metrics.h"

#include <prometheus/text_serializer.h>

#include "base/Clock.h"
#include "metrics/ProcessStats.h"

namespace tributary::metrics {

namespace {

prometheus::Gauge& SingleGauge(prometheus::Registry& registry, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({});
}

prometheus::Counter& SingleCounter(prometheus::Registry& registry, const char* name,
                                   const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add({});
}

}  // namespace

Metrics::Metrics(std::string version, std::string role)
    : registry_(std::make_shared<prometheus::Registry>()), start_us_(base::NowUs()) {
  auto& registry = *registry_;

  // --- the node ---
  build_info_ = &prometheus::BuildGauge()
                     .Name("tributary_build_info")
                     .Help("Always 1; labels say which build and role this node runs")
                     .Register(registry);
  build_info_->Add({{"version", std::move(version)}, {"role", std::move(role)}}).Set(1);
  uptime_ = &SingleGauge(registry, "tributary_uptime_seconds", "Seconds since the node started");
  http_requests_ = &prometheus::BuildCounter()
                        .Name("tributary_http_requests_total")
                        .Help("HTTP responses sent, by status class (2xx, 4xx, ...)")
                        .Register(registry);
  for (size_t i = 0; i < http_by_class_.size(); ++i) {
    http_by_class_[i] = &http_requests_->Add({{"code", std::to_string(i + 1) + "xx"}});
  }

  // --- the process (standard names shared by every Prometheus client library) ---
  process_cpu_ = &SingleCounter(registry, "process_cpu_seconds_total",
                                "Total user and system CPU time spent in seconds");
  process_resident_ =
      &SingleGauge(registry, "process_resident_memory_bytes", "Resident memory size in bytes");
  process_virtual_ =
      &SingleGauge(registry, "process_virtual_memory_bytes", "Virtual memory size in bytes");
  process_open_fds_ = &SingleGauge(registry, "process_open_fds", "Number of open file descriptors");
  process_max_fds_ =
      &SingleGauge(registry, "process_max_fds", "Maximum number of open file descriptors");
  process_start_time_ = &SingleGauge(registry, "process_start_time_seconds",
                                     "Start time of the process since unix epoch in seconds");
  process_threads_ = &SingleGauge(registry, "process_threads", "Number of OS threads");

  // --- the media plane ---
  sessions_ = &prometheus::BuildGauge()
                   .Name("tributary_sessions")
                   .Help("WebRTC sessions open now, by vhost and kind (publish, play)")
                   .Register(registry);
  streams_ = &prometheus::BuildGauge()
                  .Name("tributary_streams")
                  .Help("Live streams on this node, by vhost")
                  .Register(registry);
  rtp_packets_ = &prometheus::BuildCounter()
                      .Name("tributary_rtp_packets_total")
                      .Help("RTP packets, by vhost and direction (in, out)")
                      .Register(registry);
  rtp_bytes_ = &prometheus::BuildCounter()
                    .Name("tributary_rtp_bytes_total")
                    .Help("RTP bytes on the wire, by vhost and direction (in, out)")
                    .Register(registry);
  nacks_ = &prometheus::BuildCounter()
                .Name("tributary_nacks_total")
                .Help("RTCP NACK packets, by direction (in from viewers, out to publishers)")
                .Register(registry);
  for (const char* direction : {"in", "out"})
    nacks_->Add({{"direction", direction}});
  retransmissions_ = &SingleCounter(registry, "tributary_retransmissions_total",
                                    "Packets retransmitted from the packet cache");
  keyframe_requests_ = &SingleCounter(registry, "tributary_keyframe_requests_total",
                                      "Keyframe requests (PLI, FIR) sent toward publishers");
  dropped_packets_ = &prometheus::BuildCounter()
                          .Name("tributary_dropped_packets_total")
                          .Help("Packets dropped on the media path, by reason")
                          .Register(registry);
  for (const char* reason : kDropReasons)
    dropped_packets_->Add({{"reason", reason}});
  mirror_packets_ =
      &SingleCounter(registry, "tributary_mirror_packets_total",
                     "Packets a stream's home worker copied to the other workers that "
                     "serve its viewers");
  mirror_drops_ = &prometheus::BuildCounter()
                       .Name("tributary_mirror_drops_total")
                       .Help(
                           "Packets a stream's home worker could not hand to another worker, by "
                           "reason (ring_full, too_large)")
                       .Register(registry);
  for (const char* reason : {"ring_full", "too_large"})
    mirror_drops_->Add({{"reason", reason}});
  mirror_wakeups_ = &SingleCounter(registry, "tributary_mirror_wakeups_total",
                                   "Wake-ups of a worker to drain the packets other workers handed "
                                   "it (eventfd writes)");

  // --- the cluster ---
  directory_streams_ =
      &SingleGauge(registry, "tributary_directory_streams",
                   "Streams in this origin's stream directory (its own and its peers')");
  auto& peers = prometheus::BuildGauge()
                    .Name("tributary_peers")
                    .Help(
                        "Nodes this node heartbeats (an origin's peers, an edge's origins), by "
                        "state (alive, dead)")
                    .Register(registry);
  peers_alive_ = &peers.Add({{"state", "alive"}});
  peers_dead_ = &peers.Add({{"state", "dead"}});
  redirects_ = &prometheus::BuildCounter()
                    .Name("tributary_redirects_total")
                    .Help("Redirects (307) sent, by reason (owner, nearest_edge)")
                    .Register(registry);
  for (const char* reason : kRedirectReasons)
    redirects_->Add({{"reason", reason}});
  failovers_ = &SingleCounter(registry, "tributary_failovers_total",
                              "Upstream links moved to the next origin");
  upstream_links_ = &prometheus::BuildGauge()
                         .Name("tributary_upstream_links")
                         .Help("Upstream links open now, by kind (pull, push)")
                         .Register(registry);
  for (const char* kind : kUpstreamKinds)
    upstream_links_->Add({{"kind", kind}});

  // --- tenants ---
  limit_rejections_ =
      &prometheus::BuildCounter()
           .Name("tributary_limit_rejections_total")
           .Help("WHIP/WHEP requests refused by a vhost limit, by vhost and reason (the limit)")
           .Register(registry);
  auth_rejections_ =
      &prometheus::BuildCounter()
           .Name("tributary_auth_rejections_total")
           .Help("Requests refused for their credential, by vhost and code (401, 403)")
           .Register(registry);
  bitrate_exceeded_ = &prometheus::BuildCounter()
                           .Name("tributary_bitrate_exceeded_total")
                           .Help("Publishers ended for exceeding their vhost's bitrate limit")
                           .Register(registry);

  // --- session timings ---
  session_setup_ = &prometheus::BuildHistogram()
                        .Name("tributary_session_setup_seconds")
                        .Help("Time from the WHIP/WHEP POST to DTLS connected, by kind")
                        .Register(registry);
  first_media_ = &prometheus::BuildHistogram()
                      .Name("tributary_first_media_seconds")
                      .Help("Time from the WHIP/WHEP POST to the first media packet, by kind")
                      .Register(registry);
  for (const SessionKind kind : {SessionKind::kPublish, SessionKind::kPlay}) {
    const auto index = static_cast<size_t>(kind);
    const char* name = kind == SessionKind::kPublish ? "publish" : "play";
    session_setup_by_kind_[index] = &session_setup_->Add({{"kind", name}}, SessionSetupBuckets());
    first_media_by_kind_[index] = &first_media_->Add({{"kind", name}}, FirstMediaBuckets());
  }
}

const prometheus::Histogram::BucketBoundaries& Metrics::SessionSetupBuckets() {
  // ICE-lite + DTLS on a LAN takes tens of milliseconds; across continents, a few hundred.
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.025, 0.05, 0.1, 0.25, 0.5,
                                                                   1,     2.5,  5,   10};
  return kBuckets;
}

const prometheus::Histogram::BucketBoundaries& Metrics::FirstMediaBuckets() {
  // Includes the wait for a keyframe and, on an edge, the upstream pull through the origins.
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.05, 0.1, 0.25, 0.5, 1,
                                                                   2,    3,   5,    10,  30};
  return kBuckets;
}

void Metrics::ObserveSessionSetup(SessionKind kind, double seconds) {
  session_setup_by_kind_[static_cast<size_t>(kind)]->Observe(seconds);
}

void Metrics::ObserveFirstMedia(SessionKind kind, double seconds) {
  first_media_by_kind_[static_cast<size_t>(kind)]->Observe(seconds);
}

void Metrics::AddVhost(const std::string& vhost) {
  for (const char* kind : {"publish", "play"})
    sessions_->Add({{"vhost", vhost}, {"kind", kind}});
  streams_->Add({{"vhost", vhost}});
  for (const char* direction : {"in", "out"}) {
    rtp_packets_->Add({{"vhost", vhost}, {"direction", direction}});
    rtp_bytes_->Add({{"vhost", vhost}, {"direction", direction}});
  }
  for (const char* limit : kLimits)
    limit_rejections_->Add({{"vhost", vhost}, {"reason", limit}});
  for (const char* code : {"401", "403"})
    auth_rejections_->Add({{"vhost", vhost}, {"code", code}});
  bitrate_exceeded_->Add({{"vhost", vhost}});
}

void Metrics::CountHttpResponse(int status) {
  const int status_class = status / 100;
  if (status_class < 1 || status_class > 5) return;
  http_by_class_[static_cast<size_t>(status_class - 1)]->Increment();
}

void Metrics::RefreshProcess() {
  uptime_->Set(static_cast<double>(base::NowUs() - start_us_) / 1e6);
  const auto stats = ProcessStats::ReadSelf();
  if (!stats) return;
  // A counter only grows: add what was spent since the last scrape.
  if (stats->cpu_seconds > cpu_seconds_reported_) {
    process_cpu_->Increment(stats->cpu_seconds - cpu_seconds_reported_);
    cpu_seconds_reported_ = stats->cpu_seconds;
  }
  process_resident_->Set(stats->resident_bytes);
  process_virtual_->Set(stats->virtual_bytes);
  process_open_fds_->Set(stats->open_fds);
  process_max_fds_->Set(stats->max_fds);
  process_start_time_->Set(stats->start_time_seconds);
  process_threads_->Set(stats->threads);
}

std::string Metrics::Serialize() {
  std::lock_guard lock(refresh_mutex_);
  RefreshProcess();
  prometheus::TextSerializer serializer;
  return serializer.Serialize(registry_->Collect());
}

}  // namespace tributary::metrics
