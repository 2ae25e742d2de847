#include "sfu/MediaStats.h"

#include <unordered_map>

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
  mirror_rings.packets += other.mirror_rings.packets;
  mirror_rings.full += other.mirror_rings.full;
  mirror_rings.too_large += other.mirror_rings.too_large;
  mirror_rings.wakeups += other.mirror_rings.wakeups;
  mirror_unrouted += other.mirror_unrouted;
  mirror_drains += other.mirror_drains;
  // A stream's viewers sum over the workers: its home's row and its mirrors' become one.
  std::unordered_map<StreamKey, size_t, StreamKey::Hash> index;
  for (size_t i = 0; i < streams.size(); ++i)
    index.emplace(streams[i].key, i);
  for (const StreamSnapshot& stream : other.streams) {
    const auto it = index.find(stream.key);
    if (it == index.end()) {
      index.emplace(stream.key, streams.size());
      streams.push_back(stream);
      continue;
    }
    StreamSnapshot& mine = streams[it->second];
    const size_t consumers = mine.consumers + stream.consumers;
    if (mine.mirror && !stream.mirror) mine = stream;
    mine.consumers = consumers;
  }
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
