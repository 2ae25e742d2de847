#include "testmedia/ViewerStats.h"

#include <gtest/gtest.h>

#include <vector>

#include "rtc/RtpPacket.h"
#include "testmedia/SeenSet.h"
#include "testmedia/SyntheticAudioSource.h"
#include "testmedia/SyntheticVideoSource.h"

namespace tributary::testmedia {
namespace {

using Track = ViewerStats::Track;

struct Packet {
  std::vector<uint8_t> bytes;
  ProbeInfo info;
};

std::vector<Packet> Video(uint32_t publisher, size_t frames, uint64_t wall_base = 1'000'000'000) {
  SyntheticVideoOptions options;
  options.publisher = publisher;
  options.keyframe_interval_ms = 0;
  SyntheticVideoSource source(options);
  std::vector<Packet> out;
  for (size_t f = 0; f < frames; ++f) {
    const uint64_t t = f * 33'334;
    source.Generate(t, wall_base + t, [&](const SyntheticPacket& p) {
      out.push_back({{p.rtp.begin(), p.rtp.end()}, p.info});
    });
  }
  return out;
}

void Deliver(ViewerStats& stats, const Packet& p, int64_t seq, uint64_t wall_us) {
  const auto rtp = rtc::RtpPacket::Parse(p.bytes);
  ASSERT_TRUE(rtp);
  stats.OnMediaPacket(Track::kVideo, seq, p.info.keyframe && p.info.frame_start, rtp->Payload(), 0,
                      wall_us);
}

TEST(ViewerStats, MaxGapIsTheLongestSilenceBetweenDeliveries) {
  const auto packets = Video(1, 10);
  ViewerStats stats;
  for (size_t i = 0; i < packets.size(); ++i) {
    const auto rtp = rtc::RtpPacket::Parse(packets[i].bytes);
    ASSERT_TRUE(rtp);
    // 10 ms apart, and one silence of 2.5 s (a failover) after the twentieth packet.
    const uint64_t now_us = 1'000'000 + i * 10'000 + (i >= 20 ? 2'500'000 : 0);
    stats.OnMediaPacket(Track::kVideo, static_cast<int64_t>(1000 + i),
                        packets[i].info.keyframe && packets[i].info.frame_start, rtp->Payload(),
                        now_us, packets[i].info.send_time_us);
  }
  EXPECT_DOUBLE_EQ(stats.Report(Track::kVideo).max_gap_ms, 2510.0);
  EXPECT_DOUBLE_EQ(stats.TrackJson(Track::kVideo)["max_gap_ms"].get<double>(), 2510.0);
  EXPECT_DOUBLE_EQ(stats.Report(Track::kAudio).max_gap_ms, 0.0);
}

TEST(ViewerStats, CountsLossLateArrivalsAndDuplicates) {
  const auto packets = Video(1, 30);  // 4 packets a frame, 5 for the keyframe
  ASSERT_GT(packets.size(), 100u);
  ViewerStats stats;
  std::vector<size_t> held;
  for (size_t i = 0; i < packets.size(); ++i) {
    if (i % 10 == 3) {
      held.push_back(i);  // "dropped", recovered later
      continue;
    }
    if (i == 50) continue;  // lost for good
    if (i == 60) {
      Deliver(stats, packets[61], 1061, packets[61].info.send_time_us + 2000);
      Deliver(stats, packets[60], 1060, packets[60].info.send_time_us + 2000);
      ++i;
      continue;
    }
    Deliver(stats, packets[i], static_cast<int64_t>(1000 + i), packets[i].info.send_time_us + 1000);
  }
  for (size_t i : held)
    Deliver(stats, packets[i], static_cast<int64_t>(1000 + i),
            packets[i].info.send_time_us + 50'000);
  Deliver(stats, packets[5], 1005, packets[5].info.send_time_us + 1000);  // duplicate

  const auto report = stats.Report(Track::kVideo);
  EXPECT_EQ(report.unique, packets.size() - 1);
  EXPECT_EQ(report.lost, 1u);
  EXPECT_EQ(report.late, held.size() + 1);  // the recoveries, and 60 after 61
  EXPECT_EQ(report.duplicates, 1u);
  EXPECT_EQ(report.corrupt, 0u);
  EXPECT_EQ(report.keyframes, 1u);
  EXPECT_EQ(report.seq_first, 1000);
  EXPECT_EQ(report.seq_last, static_cast<int64_t>(1000 + packets.size() - 1));
  EXPECT_EQ(report.seq_gaps, 1u);
  ASSERT_EQ(report.publishers.size(), 1u);
  EXPECT_EQ(report.publishers[0].lost, 1u);
  EXPECT_EQ(report.latency.p50_ms, 1.0);
  EXPECT_EQ(report.latency.max_ms, 2.0);
  EXPECT_EQ(report.late_latency.p50_ms, 50.0);
  EXPECT_EQ(report.late_latency.count, held.size() + 1);
}

TEST(ViewerStats, CountsEachPublisherApart_AndSeesContinuousSequenceNumbers) {
  // A publisher that left and came back: its counters start again, the server's seq does not.
  const auto first = Video(0xAAAA, 10);
  const auto second = Video(0xBBBB, 10);
  ViewerStats stats;
  int64_t seq = 0;
  for (size_t i = 0; i < first.size() - 3; ++i)
    Deliver(stats, first[i], seq++, 0);
  for (size_t i = 5; i < second.size(); ++i)
    Deliver(stats, second[i], seq++, 0);
  const auto report = stats.Report(Track::kVideo);
  ASSERT_EQ(report.publishers.size(), 2u);
  EXPECT_EQ(report.publishers[1].first_counter, 5);
  EXPECT_EQ(report.lost, 0u);  // what the publishers never sent is not loss
  EXPECT_EQ(report.seq_gaps, 0u);
  EXPECT_EQ(report.unique, first.size() - 3 + second.size() - 5);
  const auto json = stats.ToJson();
  EXPECT_EQ(json["video"]["publishers"][1]["id"], "0x0000bbbb");
  EXPECT_FALSE(json.contains("audio"));
}

TEST(ViewerStats, ReportsSequenceGaps_WhenTheServerSkipsNumbers) {
  const auto packets = Video(1, 5);
  ViewerStats stats;
  for (size_t i = 0; i < packets.size(); ++i)
    Deliver(stats, packets[i], static_cast<int64_t>(i < 8 ? i : i + 3), 0);
  const auto report = stats.Report(Track::kVideo);
  EXPECT_EQ(report.lost, 0u);
  EXPECT_EQ(report.seq_gaps, 3u);
}

TEST(ViewerStats, IgnoresNewPacketsAfterFreeze_ButCountsLateRecoveries) {
  const auto packets = Video(1, 10);
  ViewerStats stats;
  for (size_t i = 0; i < 20; ++i) {
    if (i == 15) continue;
    Deliver(stats, packets[i], static_cast<int64_t>(i), 0);
  }
  stats.Freeze();
  Deliver(stats, packets[15], 15, 0);
  for (size_t i = 20; i < packets.size(); ++i)
    Deliver(stats, packets[i], static_cast<int64_t>(i), 0);
  const auto report = stats.Report(Track::kVideo);
  EXPECT_EQ(report.unique, 20u);
  EXPECT_EQ(report.lost, 0u);
  EXPECT_EQ(report.late, 1u);
  EXPECT_EQ(report.after_window, packets.size() - 20);
}

TEST(ViewerStats, CountsCorruptProbesAndForeignPayloads) {
  auto packets = Video(1, 2);
  ViewerStats stats;
  packets[1].bytes.back() ^= 0xFF;
  Deliver(stats, packets[0], 0, 0);
  Deliver(stats, packets[1], 1, 0);
  const std::vector<uint8_t> foreign(100, 0x42);
  stats.OnMediaPacket(Track::kVideo, 2, false, foreign, 0, 0);
  const auto report = stats.Report(Track::kVideo);
  EXPECT_EQ(report.corrupt, 1u);
  EXPECT_EQ(report.unprobed, 1u);
  EXPECT_EQ(report.packets, 3u);
  EXPECT_EQ(report.seq_gaps, 0u);
}

TEST(ViewerStats, TimesFirstPacketAndKeyframeFromTheStart) {
  ViewerStats stats(1'000'000);
  stats.OnRtpArrived(1'040'000, true);
  stats.OnRtpArrived(1'050'000, false);
  SyntheticAudioSource audio(SyntheticAudioOptions{});
  audio.Generate(0, 0, [&](const SyntheticPacket& p) {
    stats.OnMediaPacket(Track::kAudio, 0, true, rtc::RtpPacket::Parse(p.rtp)->Payload(), 1'060'000,
                        0);
  });
  EXPECT_EQ(stats.RtpArrived(), 2u);
  EXPECT_EQ(stats.RtpDropped(), 1u);
  EXPECT_EQ(stats.FirstRtpMs(), 40.0);
  const auto report = stats.Report(Track::kAudio);
  EXPECT_EQ(report.first_packet_ms, 60.0);
  EXPECT_EQ(report.first_keyframe_ms, 60.0);
  EXPECT_EQ(stats.MediaPackets(), 1u);
  EXPECT_TRUE(stats.ToJson().contains("audio"));
}

TEST(ViewerStats, ComputesNearestRankPercentiles) {
  std::vector<uint32_t> samples;
  for (uint32_t i = 1; i <= 1000; ++i)
    samples.push_back(i * 1000);
  const auto p = ViewerStats::ComputePercentiles(samples);
  EXPECT_EQ(p.count, 1000u);
  EXPECT_EQ(p.p50_ms, 500.0);
  EXPECT_EQ(p.p99_ms, 990.0);
  EXPECT_EQ(p.max_ms, 1000.0);
  EXPECT_DOUBLE_EQ(p.mean_ms, 500.5);
  EXPECT_EQ(ViewerStats::ComputePercentiles({}).count, 0u);
}

TEST(SeenSet, TracksNumbersGrowingBothWays) {
  SeenSet set;
  EXPECT_EQ(set.Add(10'000), SeenSet::Insert::kNew);
  EXPECT_EQ(set.Add(10'000), SeenSet::Insert::kDuplicate);
  EXPECT_EQ(set.Add(-5), SeenSet::Insert::kNew);
  EXPECT_EQ(set.Add(20'000), SeenSet::Insert::kNew);
  EXPECT_TRUE(set.Contains(-5));
  EXPECT_FALSE(set.Contains(-4));
  EXPECT_EQ(set.Min(), -5);
  EXPECT_EQ(set.Max(), 20'000);
  EXPECT_EQ(set.Count(), 3u);
  EXPECT_EQ(set.Missing(), 20'006u - 3);
  EXPECT_EQ(set.Add(SeenSet::kMaxSpan * 2), SeenSet::Insert::kOutOfRange);
  EXPECT_EQ(set.Count(), 3u);
}

}  // namespace
}  // namespace tributary::testmedia
