#pragma once

// A snapshot of what a media worker (or all of them) counted, in the shape of the metric
// families (metrics::Metrics): per vhost the open sessions by kind, the live streams and the
// traffic; node-wide the drops of the worker's socket and demux. Traffic counters are
// cumulative: a closed session's last counts stay in its worker's totals, so successive
// snapshots never go down. Built on a worker thread, merged and read on the control thread.

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "sfu/SessionCounters.h"

namespace tributary::sfu {

struct VhostMediaStats {
  uint64_t publish_sessions = 0;  // open now (ingest)
  uint64_t play_sessions = 0;     // open now (egress)
  uint64_t streams = 0;           // live now: producers present (live or in grace)
  SessionCounters traffic;        // cumulative, closed sessions included
};

struct MediaStats {
  std::map<std::string, VhostMediaStats> vhosts;
  // Dropped before any session saw them (socket, demux), cumulative.
  std::array<uint64_t, kDropReasonCount> worker_drops{};

  void Merge(const MediaStats& other);
  // Everything, every vhost and the workers' own drops.
  SessionCounters Total() const;
};

}  // namespace tributary::sfu
