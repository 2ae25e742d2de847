#include "http/MediaMetricsExporter.h"

#include <string>

namespace tributary::http {

namespace {

void Grow(prometheus::Counter& counter, uint64_t now, uint64_t before) {
  if (now > before) counter.Increment(static_cast<double>(now - before));
}

}  // namespace

void MediaMetricsExporter::Apply(const sfu::MediaStats& snapshot) {
  // A vhost missing from the snapshot has nothing open any more; what it counted stays counted
  // (so that it is not counted twice should it come back).
  sfu::MediaStats stats = snapshot;
  for (const auto& [vhost, before] : last_.vhosts) {
    if (stats.vhosts.count(vhost) != 0) continue;
    stats.vhosts[vhost].traffic = before.traffic;
  }
  static const sfu::VhostMediaStats kNothing;
  for (const auto& [vhost, now] : stats.vhosts) {
    const auto it = last_.vhosts.find(vhost);
    const sfu::VhostMediaStats& before = it != last_.vhosts.end() ? it->second : kNothing;
    metrics_.Sessions()
        .Add({{"vhost", vhost}, {"kind", "publish"}})
        .Set(static_cast<double>(now.publish_sessions));
    metrics_.Sessions()
        .Add({{"vhost", vhost}, {"kind", "play"}})
        .Set(static_cast<double>(now.play_sessions));
    metrics_.Streams().Add({{"vhost", vhost}}).Set(static_cast<double>(now.streams));
    Grow(metrics_.RtpPackets().Add({{"vhost", vhost}, {"direction", "in"}}),
         now.traffic.rtp_packets_in, before.traffic.rtp_packets_in);
    Grow(metrics_.RtpPackets().Add({{"vhost", vhost}, {"direction", "out"}}),
         now.traffic.rtp_packets_out, before.traffic.rtp_packets_out);
    Grow(metrics_.RtpBytes().Add({{"vhost", vhost}, {"direction", "in"}}), now.traffic.rtp_bytes_in,
         before.traffic.rtp_bytes_in);
    Grow(metrics_.RtpBytes().Add({{"vhost", vhost}, {"direction", "out"}}),
         now.traffic.rtp_bytes_out, before.traffic.rtp_bytes_out);
  }
  const sfu::SessionCounters total = stats.Total();
  const sfu::SessionCounters before = last_.Total();
  Grow(metrics_.Nacks().Add({{"direction", "in"}}), total.nacks_in, before.nacks_in);
  Grow(metrics_.Nacks().Add({{"direction", "out"}}), total.nacks_out, before.nacks_out);
  Grow(metrics_.Retransmissions(), total.retransmissions, before.retransmissions);
  Grow(metrics_.KeyframeRequests(), total.keyframe_requests, before.keyframe_requests);
  for (size_t i = 0; i < sfu::kDropReasonCount; ++i) {
    if (total.drops[i] <= before.drops[i]) continue;
    const std::string reason(sfu::DropReasonLabel(static_cast<sfu::DropReason>(i)));
    Grow(metrics_.DroppedPackets().Add({{"reason", reason}}), total.drops[i], before.drops[i]);
  }
  Grow(metrics_.MirrorPackets(), stats.mirror_rings.packets, last_.mirror_rings.packets);
  Grow(metrics_.MirrorDrops().Add({{"reason", "ring_full"}}), stats.mirror_rings.full,
       last_.mirror_rings.full);
  Grow(metrics_.MirrorDrops().Add({{"reason", "too_large"}}), stats.mirror_rings.too_large,
       last_.mirror_rings.too_large);
  Grow(metrics_.MirrorWakeups(), stats.mirror_rings.wakeups, last_.mirror_rings.wakeups);
  last_ = stats;
}

}  // namespace tributary::http
