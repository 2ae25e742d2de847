#pragma once

// Puts the media workers' counters (sfu::MediaStats, pulled about once a second, never per
// packet) into the metric families metrics::Metrics declares: tributary_sessions{vhost,kind},
// tributary_streams{vhost}, tributary_rtp_packets_total / tributary_rtp_bytes_total
// {vhost,direction}, tributary_nacks_total{direction}, tributary_retransmissions_total,
// tributary_keyframe_requests_total and tributary_dropped_packets_total{reason}. Gauges are
// set; counters are increased by what grew since the last snapshot. Control thread.

#include "metrics/Metrics.h"
#include "sfu/MediaStats.h"

namespace tributary::http {

class MediaMetricsExporter {
 public:
  explicit MediaMetricsExporter(metrics::Metrics& metrics) : metrics_(metrics) {}

  void Apply(const sfu::MediaStats& snapshot);

 private:
  metrics::Metrics& metrics_;
  sfu::MediaStats last_;
};

}  // namespace tributary::http
