#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace tributary::metrics {

// The node's Prometheus registry and every metric family it exports, declared once, here and
// in the constructor (Metrics.cc), with its name, help, type and labels. Code elsewhere asks for
// a family, looks up its series once (Family::Add with the labels) and keeps the reference: an
// increment is then one atomic operation, fine on the hot path.
//
// Adding a family: a member pointer and an accessor below, one Build*() in the constructor, and
// if it is labelled by vhost, its zero series in AddVhost(); then a row in docs/metrics.md (the
// catalogue: MetricsCatalogueTest fails until it is there). Names follow DESIGN.md and
// Prometheus' conventions: tributary_*, base units (seconds, bytes), _total on counters,
// _seconds on durations, labels vhost/direction/reason/kind/state, never one value per stream
// or client.
//
// Thread-safe: prometheus-cpp series are atomic and families lock on Add; Serialize() takes a
// lock to refresh the process figures.
class Metrics {
 public:
  // `role` is "origin" or "edge", `version` the build's version: both label tributary_build_info.
  Metrics(std::string version, std::string role);
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  prometheus::Registry& Registry() { return *registry_; }

  // Refreshes the process_* figures and the uptime, then renders the Prometheus text format
  // (version 0.0.4).
  std::string Serialize();
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // Counts one HTTP response in tributary_http_requests_total{code="2xx"} (by status class).
  void CountHttpResponse(int status);
  // Creates the zero-valued series of a vhost in the families labelled by vhost, so that a
  // dashboard sees the vhost before its first session. Idempotent.
  void AddVhost(const std::string& vhost);

  // --- media plane (issue 3 increments these; their names are fixed here) ---
  // tributary_sessions{vhost,kind}: WebRTC sessions open now; kind is "publish" or "play".
  prometheus::Family<prometheus::Gauge>& Sessions() { return *sessions_; }
  // tributary_streams{vhost}: live streams (a producer present on this node).
  prometheus::Family<prometheus::Gauge>& Streams() { return *streams_; }
  // tributary_rtp_packets_total{vhost,direction}, direction "in" (received) or "out" (sent).
  prometheus::Family<prometheus::Counter>& RtpPackets() { return *rtp_packets_; }
  // tributary_rtp_bytes_total{vhost,direction}: RTP bytes as on the wire (after SRTP).
  prometheus::Family<prometheus::Counter>& RtpBytes() { return *rtp_bytes_; }
  // tributary_nacks_total{direction}: RTCP NACK packets, "in" from viewers, "out" to publishers.
  prometheus::Family<prometheus::Counter>& Nacks() { return *nacks_; }
  // tributary_retransmissions_total: packets resent from the packet cache.
  prometheus::Counter& Retransmissions() { return *retransmissions_; }
  // tributary_keyframe_requests_total: PLI/FIR sent toward publishers.
  prometheus::Counter& KeyframeRequests() { return *keyframe_requests_; }
  // tributary_dropped_packets_total{reason}: packets dropped on the hot path.
  prometheus::Family<prometheus::Counter>& DroppedPackets() { return *dropped_packets_; }
  // tributary_mirror_packets_total: packets a stream's home worker copied to the other workers
  // that serve its viewers (cross-worker fan-out).
  prometheus::Counter& MirrorPackets() { return *mirror_packets_; }
  // tributary_mirror_drops_total{reason}: packets it could not hand over: "ring_full" (the other
  // worker fell behind) or "too_large" (larger than a ring slot).
  prometheus::Family<prometheus::Counter>& MirrorDrops() { return *mirror_drops_; }
  // tributary_mirror_wakeups_total: eventfd writes that woke a worker to drain its rings (at
  // most one per packet copied; far fewer when packets come in bursts or the worker is busy).
  prometheus::Counter& MirrorWakeups() { return *mirror_wakeups_; }
  // The reasons created at zero; others may be added by the code that drops.
  static constexpr std::array<const char*, 5> kDropReasons = {"malformed", "unknown_ssrc", "srtp",
                                                              "queue_full", "limit"};

  // --- the cluster (issue 4) ---
  // tributary_directory_streams: streams in this origin's directory (its own and its peers').
  prometheus::Gauge& DirectoryStreams() { return *directory_streams_; }
  // tributary_peers{state}: nodes this node heartbeats, "alive" or "dead" (an origin counts its
  // origin peers, an edge its origins).
  prometheus::Gauge& Peers(bool alive) { return alive ? *peers_alive_ : *peers_dead_; }
  // tributary_redirects_total{reason}: 307s sent; "owner" (to the origin that owns the stream),
  // "nearest_edge" (a viewer to the least-loaded edge of its region).
  prometheus::Family<prometheus::Counter>& Redirects() { return *redirects_; }
  static constexpr std::array<const char*, 2> kRedirectReasons = {"owner", "nearest_edge"};
  // tributary_failovers_total: upstream links moved to the next origin.
  prometheus::Counter& Failovers() { return *failovers_; }
  // tributary_upstream_links{kind}: upstream links open now, "pull" (WHEP) or "push" (WHIP).
  prometheus::Family<prometheus::Gauge>& UpstreamLinks() { return *upstream_links_; }
  static constexpr std::array<const char*, 2> kUpstreamKinds = {"pull", "push"};

  // --- tenants (issue 5) ---
  // tributary_limit_rejections_total{vhost,reason}: WHIP/WHEP requests refused (503) by a vhost
  // limit, the reason naming it: publishers, viewers, viewers_per_stream, sessions_per_ip_per_s.
  prometheus::Family<prometheus::Counter>& LimitRejections() { return *limit_rejections_; }
  static constexpr std::array<const char*, 4> kLimits = {
      "publishers", "viewers", "viewers_per_stream", "sessions_per_ip_per_s"};
  // tributary_auth_rejections_total{vhost,code}: requests refused for their credential, code
  // "401" (missing or invalid) or "403" (valid, but not for this request).
  prometheus::Family<prometheus::Counter>& AuthRejections() { return *auth_rejections_; }
  // tributary_bitrate_exceeded_total{vhost}: publishers ended for sending far above
  // limits.bitrate_kbps (their dropped packets count as dropped_packets_total{reason="limit"}).
  prometheus::Family<prometheus::Counter>& BitrateExceeded() { return *bitrate_exceeded_; }

  // --- session timings (issue 3 calls these once per session, from any thread) ---
  enum class SessionKind { kPublish, kPlay };
  // tributary_session_setup_seconds{kind}: from the WHIP/WHEP POST arriving to DTLS connected.
  void ObserveSessionSetup(SessionKind kind, double seconds);
  // tributary_first_media_seconds{kind}: from the POST arriving to the first media packet (publish:
  // the first RTP packet received from the publisher; play: the first one sent to the viewer).
  void ObserveFirstMedia(SessionKind kind, double seconds);
  // The buckets of both histograms, in seconds.
  static const prometheus::Histogram::BucketBoundaries& SessionSetupBuckets();
  static const prometheus::Histogram::BucketBoundaries& FirstMediaBuckets();

 private:
  void RefreshProcess();

  std::shared_ptr<prometheus::Registry> registry_;
  std::mutex refresh_mutex_;
  uint64_t start_us_;
  double cpu_seconds_reported_ = 0;

  // tributary_build_info{version,role} 1
  prometheus::Family<prometheus::Gauge>* build_info_;
  // tributary_uptime_seconds
  prometheus::Gauge* uptime_;
  // tributary_http_requests_total{code}: responses by status class, 1xx..5xx.
  prometheus::Family<prometheus::Counter>* http_requests_;
  std::array<prometheus::Counter*, 5> http_by_class_{};

  // process_* (the standard names), refreshed at scrape time from /proc.
  prometheus::Counter* process_cpu_;
  prometheus::Gauge* process_resident_;
  prometheus::Gauge* process_virtual_;
  prometheus::Gauge* process_open_fds_;
  prometheus::Gauge* process_max_fds_;
  prometheus::Gauge* process_start_time_;
  prometheus::Gauge* process_threads_;

  prometheus::Family<prometheus::Gauge>* sessions_;
  prometheus::Family<prometheus::Gauge>* streams_;
  prometheus::Family<prometheus::Counter>* rtp_packets_;
  prometheus::Family<prometheus::Counter>* rtp_bytes_;
  prometheus::Family<prometheus::Counter>* nacks_;
  prometheus::Counter* retransmissions_;
  prometheus::Counter* keyframe_requests_;
  prometheus::Family<prometheus::Counter>* dropped_packets_;
  prometheus::Counter* mirror_packets_;
  prometheus::Family<prometheus::Counter>* mirror_drops_;
  prometheus::Counter* mirror_wakeups_;

  prometheus::Gauge* directory_streams_;
  prometheus::Gauge* peers_alive_;
  prometheus::Gauge* peers_dead_;
  prometheus::Family<prometheus::Counter>* redirects_;
  prometheus::Counter* failovers_;
  prometheus::Family<prometheus::Gauge>* upstream_links_;

  prometheus::Family<prometheus::Counter>* limit_rejections_;
  prometheus::Family<prometheus::Counter>* auth_rejections_;
  prometheus::Family<prometheus::Counter>* bitrate_exceeded_;

  prometheus::Family<prometheus::Histogram>* session_setup_;
  prometheus::Family<prometheus::Histogram>* first_media_;
  std::array<prometheus::Histogram*, 2> session_setup_by_kind_{};  // by SessionKind
  std::array<prometheus::Histogram*, 2> first_media_by_kind_{};
};

}  // namespace tributary::metrics
