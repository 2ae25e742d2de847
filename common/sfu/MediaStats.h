#pragma once

// A snapshot of what a media worker (or all of them) counted, in the shape of the metric
// families (metrics::Metrics): per vhost the open sessions by kind, the live streams and the
// traffic; node-wide the drops of the worker's socket and demux; and each stream's state (for
// the admin API). Traffic counters are cumulative: a closed session's last counts stay in its
// worker's totals, so successive snapshots never go down. Built on a worker thread, merged and read
// on the control thread.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sfu/MirrorRing.h"
#include "sfu/SessionCounters.h"
#include "sfu/StreamKey.h"

namespace tributary::sfu {

struct VhostMediaStats {
  uint64_t publish_sessions = 0;  // open now (ingest)
  uint64_t play_sessions = 0;     // open now (egress)
  uint64_t streams = 0;           // live now: producers present (live or in grace)
  SessionCounters traffic;        // cumulative, closed sessions included
};

// One stream of a worker's router, as it is now.
struct StreamSnapshot {
  StreamKey key;
  std::string state;        // Stream::StateName
  size_t tracks = 0;        // producers
  size_t bound = 0;         // producers with a source now
  size_t consumers = 0;     // consumers attached (one per viewer track)
  uint64_t packets_in = 0;  // packets the producers delivered, cumulative
  // A worker's mirror of a stream homed on another worker (cross-worker fan-out). Merge folds
  // a mirror's consumers into its home stream's row (or into the first mirror's, until the
  // home's comes).
  bool mirror = false;
};

struct MediaStats {
  std::map<std::string, VhostMediaStats> vhosts;
  std::vector<StreamSnapshot> streams;  // one per stream (mirrors folded in), unordered
  // Dropped before any session saw them (socket, demux), cumulative.
  std::array<uint64_t, kDropReasonCount> worker_drops{};
  // Cross-worker fan-out, cumulative: every worker's outbound rings (a full ring's drops are
  // also in worker_drops, kQueueFull), the packets drained for mirrors gone, the drains.
  MirrorRingCounters mirror_rings;
  uint64_t mirror_unrouted = 0;
  uint64_t mirror_drains = 0;

  void Merge(const MediaStats& other);
  // Everything, every vhost and the workers' own drops.
  SessionCounters Total() const;
};

}  // namespace tributary::sfu
