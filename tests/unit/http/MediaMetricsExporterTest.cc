#include "http/MediaMetricsExporter.h"

#include <gtest/gtest.h>

namespace tributary::http {
namespace {

double Value(prometheus::Family<prometheus::Counter>& family,
             const std::map<std::string, std::string>& labels) {
  return family.Add(labels).Value();
}
double Value(prometheus::Family<prometheus::Gauge>& family,
             const std::map<std::string, std::string>& labels) {
  return family.Add(labels).Value();
}

sfu::MediaStats Snapshot(uint64_t packets_in, uint64_t nacks_out, uint64_t srtp_drops,
                         uint64_t publishers) {
  sfu::MediaStats stats;
  sfu::VhostMediaStats& demo = stats.vhosts["demo"];
  demo.publish_sessions = publishers;
  demo.play_sessions = 2;
  demo.streams = publishers;
  demo.traffic.rtp_packets_in = packets_in;
  demo.traffic.rtp_bytes_in = packets_in * 1000;
  demo.traffic.nacks_out = nacks_out;
  demo.traffic.AddDrops(sfu::DropReason::kSrtp, srtp_drops);
  stats.worker_drops[static_cast<size_t>(sfu::DropReason::kMalformed)] = 1;
  return stats;
}

TEST(MediaMetricsExporter, SetsGauges_AndGrowsCountersByWhatGrew) {
  metrics::Metrics metrics("test", "origin");
  MediaMetricsExporter exporter(metrics);
  exporter.Apply(Snapshot(100, 3, 0, 1));
  exporter.Apply(Snapshot(250, 5, 2, 1));
  EXPECT_EQ(Value(metrics.RtpPackets(), {{"vhost", "demo"}, {"direction", "in"}}), 250);
  EXPECT_EQ(Value(metrics.RtpBytes(), {{"vhost", "demo"}, {"direction", "in"}}), 250000);
  EXPECT_EQ(Value(metrics.Nacks(), {{"direction", "out"}}), 5);
  EXPECT_EQ(Value(metrics.DroppedPackets(), {{"reason", "srtp"}}), 2);
  EXPECT_EQ(Value(metrics.DroppedPackets(), {{"reason", "malformed"}}), 1);
  EXPECT_EQ(Value(metrics.Sessions(), {{"vhost", "demo"}, {"kind", "publish"}}), 1);
  EXPECT_EQ(Value(metrics.Sessions(), {{"vhost", "demo"}, {"kind", "play"}}), 2);
  EXPECT_EQ(Value(metrics.Streams(), {{"vhost", "demo"}}), 1);

  // The publisher left: gauges follow, counters stay.
  exporter.Apply(Snapshot(250, 5, 2, 0));
  EXPECT_EQ(Value(metrics.Sessions(), {{"vhost", "demo"}, {"kind", "publish"}}), 0);
  EXPECT_EQ(Value(metrics.Streams(), {{"vhost", "demo"}}), 0);
  EXPECT_EQ(Value(metrics.RtpPackets(), {{"vhost", "demo"}, {"direction", "in"}}), 250);
  // A vhost gone from the snapshot has nothing open.
  exporter.Apply(sfu::MediaStats{});
  EXPECT_EQ(Value(metrics.Sessions(), {{"vhost", "demo"}, {"kind", "play"}}), 0);
  // ... and when it comes back, what it had counted is not counted again.
  exporter.Apply(Snapshot(260, 5, 2, 1));
  EXPECT_EQ(Value(metrics.RtpPackets(), {{"vhost", "demo"}, {"direction", "in"}}), 260);
  EXPECT_EQ(Value(metrics.Nacks(), {{"direction", "out"}}), 5);
}

}  // namespace
}  // namespace tributary::http
