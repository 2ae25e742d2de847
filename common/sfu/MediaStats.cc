#include "sfu/MediaStats.h"

namespace tributary::sfu {

void MediaStats::Merge(const MediaStats& other) {
  for (const auto& [name, stats] : other.vhosts) {
    VhostMediaStats& mine = vhosts[name];
    mine.publish_sessions += stats.publish_sessions;
    mine.play_sessions += stats.play_sessions;
    mine.streams += stats.streams;
    mine.traffic += stats.traffic;
  }
  for (size_t i = 0; i < kDropReasonCount; ++i)
    worker_drops[i] += other.worker_drops[i];
  streams.insert(streams.end(), other.streams.begin(), other.streams.end());
}

SessionCounters MediaStats::Total() const {
  SessionCounters total;
  for (const auto& [name, stats] : vhosts)
    total += stats.traffic;
  for (size_t i = 0; i < kDropReasonCount; ++i)
    total.drops[i] += worker_drops[i];
  return total;
}

}  // namespace tributary::sfu
