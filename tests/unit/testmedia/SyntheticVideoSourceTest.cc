#include "testmedia/SyntheticVideoSource.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "rtc/RtpPacket.h"
#include "rtc/codecs/Vp8.h"
#include "testmedia/SyntheticAudioSource.h"

namespace tributary::testmedia {
namespace {

struct Seen {
  std::vector<uint8_t> bytes;
  ProbeInfo info;
};

// Drives a source over `duration_us` of simulated time in 1 ms steps.
template <typename Source>
std::vector<Seen> Drive(Source& source, uint64_t duration_us, uint64_t start_us = 1'000'000) {
  std::vector<Seen> out;
  for (uint64_t t = start_us; t < start_us + duration_us; t += 1000) {
    source.Generate(t, 5'000'000'000 + t, [&](const SyntheticPacket& p) {
      out.push_back({{p.rtp.begin(), p.rtp.end()}, p.info});
    });
  }
  return out;
}

SyntheticVideoOptions Options() {
  SyntheticVideoOptions o;
  o.bitrate_bps = 1'000'000;
  o.packet_size = 1200;
  o.fps = 30;
  o.keyframe_interval_ms = 0;
  o.ssrc = 0x11223344;
  o.publisher = 7;
  o.first_sequence_number = 65530;  // wraps during the test
  o.first_timestamp = 0xFFFFF000;
  return o;
}

TEST(SyntheticVideoSource, SendsValidRtpFramesAtTheRateAndBitrateAsked) {
  SyntheticVideoSource source(Options());
  const auto packets = Drive(source, 3'000'000);
  ASSERT_FALSE(packets.empty());
  EXPECT_EQ(source.GetCounters().frames, 90u);
  EXPECT_EQ(source.GetCounters().keyframes, 1u);  // the first frame only
  // 1 Mbit/s for 3 s, the keyframe twice the size of a frame.
  const double bits = static_cast<double>(source.GetCounters().bytes) * 8;
  EXPECT_NEAR(bits, 3'000'000 + source.FrameBytes() * 8, 3'000'000 * 0.02);

  uint16_t seq = 65530;
  uint32_t frame_timestamp = 0;
  uint32_t counter = 0;
  for (size_t i = 0; i < packets.size(); ++i) {
    const auto rtp = rtc::RtpPacket::Parse(packets[i].bytes);
    ASSERT_TRUE(rtp) << i;
    EXPECT_EQ(rtp->PayloadType(), 96);
    EXPECT_EQ(rtp->Ssrc(), 0x11223344u);
    EXPECT_EQ(rtp->SequenceNumber(), seq++);
    const auto probe = ProbePayload::ReadVp8(rtp->Payload());
    ASSERT_TRUE(probe) << i;
    EXPECT_EQ(probe->counter, counter++);
    EXPECT_EQ(probe->publisher, 7u);
    EXPECT_TRUE(probe->filler_ok);
    EXPECT_EQ(rtp->Marker(), probe->frame_end);
    if (probe->frame_start) {
      if (i > 0) {
        EXPECT_EQ(rtp->Timestamp() - frame_timestamp, 3000u) << i;
      }
      frame_timestamp = rtp->Timestamp();
    } else {
      EXPECT_EQ(rtp->Timestamp(), frame_timestamp);
    }
    if (!probe->frame_end) {
      EXPECT_EQ(rtp->Size(), 1200u);
    }
    EXPECT_EQ(rtc::codecs::Vp8::IsKeyframe(rtp->Payload()), i == 0) << i;
  }
  EXPECT_EQ(packets[0].info.send_time_us, 5'001'000'000u);
}

TEST(SyntheticVideoSource, MakesAKeyframeOnRequestAndAtTheInterval) {
  SyntheticVideoOptions options = Options();
  options.keyframe_interval_ms = 1000;
  SyntheticVideoSource source(options);
  Drive(source, 2'500'000);
  EXPECT_EQ(source.GetCounters().keyframes, 3u);  // at 0, 1 and 2 s
  source.RequestKeyframe();
  std::vector<ProbeInfo> next;
  source.Generate(4'000'000, 0, [&](const SyntheticPacket& p) { next.push_back(p.info); });
  ASSERT_FALSE(next.empty());
  EXPECT_TRUE(next.front().keyframe);
  EXPECT_EQ(source.GetCounters().keyframe_requests, 1u);
}

TEST(SyntheticVideoSource, SkipsFramesRatherThanBursting_WhenTheCallerFellBehind) {
  SyntheticVideoSource source(Options());
  size_t packets = 0;
  source.Generate(0, 0, [&](const SyntheticPacket&) { ++packets; });
  const size_t first = packets;
  // 10 s later: at most kMaxLateFrames + 1 frames now, the rest skipped.
  source.Generate(10'000'000, 0, [&](const SyntheticPacket&) { ++packets; });
  EXPECT_LE(source.GetCounters().frames, 1 + SyntheticVideoSource::kMaxLateFrames + 1);
  EXPECT_GT(source.GetCounters().skipped_frames, 290u);
  EXPECT_GT(packets, first);
}

TEST(SyntheticVideoSource, RefusesSettingsItCannotHonour) {
  SyntheticVideoOptions options = Options();
  options.packet_size = 40;
  EXPECT_THROW(SyntheticVideoSource{options}, std::invalid_argument);
  options = Options();
  options.fps = 0;
  EXPECT_THROW(SyntheticVideoSource{options}, std::invalid_argument);
  options = Options();
  options.bitrate_bps = 0;
  EXPECT_THROW(SyntheticVideoSource{options}, std::invalid_argument);
}

TEST(SyntheticAudioSource, SendsA20MsOpusPacketWithAProbe) {
  SyntheticAudioOptions options;
  options.ssrc = 99;
  options.publisher = 3;
  options.first_timestamp = 1000;
  SyntheticAudioSource source(options);
  const auto packets = Drive(source, 1'000'000);
  ASSERT_EQ(packets.size(), 50u);
  for (size_t i = 0; i < packets.size(); ++i) {
    const auto rtp = rtc::RtpPacket::Parse(packets[i].bytes);
    ASSERT_TRUE(rtp);
    EXPECT_EQ(rtp->PayloadType(), 111);
    EXPECT_EQ(rtp->Size(), 172u);
    EXPECT_EQ(rtp->Timestamp(), 1000 + 960 * i);
    EXPECT_EQ(rtp->Marker(), i == 0);
    const auto probe = ProbePayload::ReadOpus(rtp->Payload());
    ASSERT_TRUE(probe);
    EXPECT_TRUE(probe->audio);
    EXPECT_EQ(probe->counter, i);
  }
}

}  // namespace
}  // namespace tributary::testmedia
