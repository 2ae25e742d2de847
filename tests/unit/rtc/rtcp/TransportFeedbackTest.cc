#include "rtc/rtcp/TransportFeedback.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"
#include "rtc/rtcp/RtcpCompound.h"
#include "rtc/rtcp/RtcpWriter.h"
#include "rtc/rtcp/TransportFeedbackBuilder.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

struct Status {
  uint16_t seq;
  bool received;
  int32_t delta_ticks;
  bool operator==(const Status&) const = default;
};

std::vector<Status> Statuses(const TransportFeedback& feedback) {
  std::vector<Status> statuses;
  feedback.ForEachPacket([&](const TransportFeedbackStatus& s) {
    statuses.push_back({s.seq, s.received, s.delta_ticks});
  });
  return statuses;
}

// Arrival times (in 250 us ticks) of the received packets of one feedback packet.
std::vector<std::pair<uint16_t, int64_t>> ArrivalTicks(const TransportFeedback& feedback) {
  std::vector<std::pair<uint16_t, int64_t>> arrivals;
  int64_t ticks = static_cast<int64_t>(feedback.ReferenceTime()) * 256;
  feedback.ForEachPacket([&](const TransportFeedbackStatus& s) {
    if (!s.received) return;
    ticks += s.delta_ticks;
    arrivals.emplace_back(s.seq, ticks);
  });
  return arrivals;
}

std::vector<uint8_t> Serialize(const TransportFeedbackBuilder& builder) {
  std::vector<uint8_t> out(builder.SerializedSize());
  out.resize(builder.Serialize(out));
  return out;
}

TEST(TransportFeedback, DecodesATwoBitVectorAcrossTheWrap) {
  const auto feedback = TransportFeedback::Parse(kDraftTransportFeedback);
  ASSERT_TRUE(feedback);
  EXPECT_EQ(feedback->SenderSsrc(), 1u);
  EXPECT_EQ(feedback->MediaSsrc(), 0x5ca1ab1eu);
  EXPECT_EQ(feedback->BaseSequenceNumber(), 65533);
  EXPECT_EQ(feedback->PacketStatusCount(), 6);
  EXPECT_EQ(feedback->ReferenceTime(), 0x000102u);
  EXPECT_EQ(feedback->ReferenceTimeUs(), 258 * 64000);
  EXPECT_EQ(feedback->FeedbackPacketCount(), 7);
  EXPECT_EQ(feedback->ReceivedCount(), 4u);
  EXPECT_EQ(Statuses(*feedback), (std::vector<Status>{{65533, true, 4},
                                                      {65534, false, 0},
                                                      {65535, true, -8},
                                                      {0, true, 255},
                                                      {1, false, 0},
                                                      {2, true, 1000}}));
}

TEST(TransportFeedback, DecodesRunLengthAndOneBitChunks) {
  const auto feedback = TransportFeedback::Parse(kDraftTransportFeedbackRun);
  ASSERT_TRUE(feedback);
  const auto statuses = Statuses(*feedback);
  ASSERT_EQ(statuses.size(), 15u);
  for (size_t i = 0; i < statuses.size(); ++i) {
    EXPECT_EQ(statuses[i], (Status{static_cast<uint16_t>(100 + i), true, 1}));
  }
}

TEST(TransportFeedback, GivesTheSameBytes_WhenReserialized) {
  for (const auto& bytes : {Bytes(kDraftTransportFeedback), Bytes(kDraftTransportFeedbackRun)}) {
    const auto feedback = TransportFeedback::Parse(bytes);
    ASSERT_TRUE(feedback);
    std::vector<uint8_t> out(feedback->SerializedSize());
    ASSERT_EQ(feedback->Serialize(out), bytes.size());
    EXPECT_EQ(out, bytes);
  }
}

TEST(TransportFeedback, RejectsTruncationsAndInconsistentCounts) {
  for (const auto& bytes : {Bytes(kDraftTransportFeedback), Bytes(kDraftTransportFeedbackRun)}) {
    testing::ForEachPrefix(bytes, [](std::span<const uint8_t> prefix) {
      EXPECT_FALSE(TransportFeedback::Parse(prefix)) << prefix.size();
    });
  }
  auto bytes = Bytes(kDraftTransportFeedback);
  bytes[15] = 8;  // status count 8: the chunk holds 7
  EXPECT_FALSE(TransportFeedback::Parse(bytes));
  bytes = Bytes(kDraftTransportFeedback);
  bytes[15] = 0;  // no statuses
  EXPECT_FALSE(TransportFeedback::Parse(bytes));
  bytes = Bytes(kDraftTransportFeedback);
  bytes[15] = 2;  // 2 statuses use 3 delta bytes: 5 bytes left over, more than padding
  EXPECT_FALSE(TransportFeedback::Parse(bytes));
  bytes = Bytes(kDraftTransportFeedback);
  bytes[20] = 0xd3;  // the first symbol becomes 11, reserved
  EXPECT_FALSE(TransportFeedback::Parse(bytes));
  bytes = Bytes(kDraftTransportFeedbackRun);
  bytes[20] = 0x00;  // a run of length 0
  bytes[21] = 0x00;
  EXPECT_FALSE(TransportFeedback::Parse(bytes));
}

TEST(TransportFeedback, WalksOnlyWhatParseProved_WhenAnyBitIsFlipped) {
  for (const auto& bytes : {Bytes(kDraftTransportFeedback), Bytes(kDraftTransportFeedbackRun)}) {
    testing::ForEachBitFlip(bytes, [](std::span<const uint8_t> corrupted) {
      const auto feedback = TransportFeedback::Parse(corrupted);
      if (!feedback) return;
      const auto statuses = Statuses(*feedback);
      EXPECT_EQ(statuses.size(), feedback->PacketStatusCount());
      size_t received = 0;
      for (const Status& s : statuses)
        received += s.received ? 1 : 0;
      EXPECT_EQ(received, feedback->ReceivedCount());
    });
  }
}

TEST(TransportFeedbackBuilder, ReproducesTheHandPackedBytes) {
  // kDraftTransportFeedback's arrivals: reference time 258 x 64 ms, then deltas 4, -8, 255, 1000
  // ticks of 250 us.
  TransportFeedbackBuilder builder(1, 0x5ca1ab1e, 7);
  const int64_t reference_us = 258 * 64000;
  EXPECT_TRUE(builder.AddReceivedPacket(65533, reference_us + 1000));
  EXPECT_TRUE(builder.AddReceivedPacket(65535, reference_us + 1000 - 2000));
  EXPECT_TRUE(builder.AddReceivedPacket(0, reference_us - 1000 + 63750));
  EXPECT_TRUE(builder.AddReceivedPacket(2, reference_us + 62750 + 250000));
  EXPECT_EQ(Serialize(builder), Bytes(kDraftTransportFeedback));
}

TEST(TransportFeedbackBuilder, UsesOneRunChunk_ForAnUnbrokenRun) {
  TransportFeedbackBuilder builder(1, 0x5ca1ab1e, 0);
  for (uint16_t i = 0; i < 15; ++i)
    EXPECT_TRUE(builder.AddReceivedPacket(100 + i, 250 * (i + 1)));
  const auto bytes = Serialize(builder);
  ASSERT_EQ(bytes.size(), 40u);  // 20 + one chunk + 15 deltas, padded
  EXPECT_EQ(bytes[20], 0x20);    // run of symbol 1 ...
  EXPECT_EQ(bytes[21], 15);      // ... 15 long
  const auto feedback = TransportFeedback::Parse(bytes);
  ASSERT_TRUE(feedback);
  EXPECT_EQ(Statuses(*feedback), Statuses(*TransportFeedback::Parse(kDraftTransportFeedbackRun)));
}

TEST(TransportFeedbackBuilder, ReportsLongGapsAsRuns_AndKeepsExactArrivalTimes) {
  TransportFeedbackBuilder builder(1, 2, 0);
  const int64_t start_us = 5'000'000'123;
  EXPECT_TRUE(builder.AddReceivedPacket(65000, start_us));
  EXPECT_TRUE(builder.AddReceivedPacket(65001, start_us + 20'000));
  EXPECT_TRUE(builder.AddReceivedPacket(10000, start_us + 30'000));  // 10534 lost (wrapping)
  EXPECT_TRUE(builder.AddReceivedPacket(10001, start_us + 29'000));  // arrived earlier
  const auto bytes = Serialize(builder);
  const auto feedback = TransportFeedback::Parse(bytes);
  ASSERT_TRUE(feedback);
  EXPECT_EQ(feedback->PacketStatusCount(), 2 + 10534 + 2);
  EXPECT_LT(bytes.size(), 40u);
  const auto arrivals = ArrivalTicks(*feedback);
  ASSERT_EQ(arrivals.size(), 4u);
  const int64_t start_ticks = start_us / 250;
  EXPECT_EQ(arrivals[0], std::make_pair(uint16_t{65000}, start_ticks));
  EXPECT_EQ(arrivals[1].second, start_ticks + 80);
  EXPECT_EQ(arrivals[2], std::make_pair(uint16_t{10000}, start_ticks + 120));
  EXPECT_EQ(arrivals[3].second, start_ticks + 116);
}

TEST(TransportFeedbackBuilder, RefusesPackets_ThatDoNotBelongInThisFeedback) {
  TransportFeedbackBuilder builder(1, 2, 0);
  EXPECT_TRUE(builder.AddReceivedPacket(10, 1'000'000));
  EXPECT_FALSE(builder.AddReceivedPacket(10, 1'000'000));  // not newer
  EXPECT_FALSE(builder.AddReceivedPacket(9, 1'000'000));
  EXPECT_FALSE(builder.AddReceivedPacket(11, 1'000'000 + 8'200'000));  // delta past 16 bits
  EXPECT_FALSE(builder.AddReceivedPacket(11, 1'000'000 - 8'200'000));
  EXPECT_TRUE(builder.AddReceivedPacket(11, 1'000'000 + 8'000'000));  // large delta fits
  EXPECT_EQ(builder.PacketStatusCount(), 2);
  EXPECT_EQ(builder.ReceivedCount(), 2u);
  TransportFeedbackBuilder empty(1, 2, 0);
  uint8_t out[64];
  EXPECT_EQ(empty.Serialize(out), 0u);
}

// Random arrivals with losses and reordering: build as many feedback packets as the size limit
// makes necessary, write them into compound packets, walk and parse those, and recover every
// (seq, arrival) exactly.
TEST(TransportFeedbackBuilder, SplitsAndRoundTrips_RandomArrivals) {
  std::mt19937 random(20240601);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::pair<uint16_t, int64_t>> sent;  // seq, arrival in ticks
    uint16_t seq = static_cast<uint16_t>(random());
    int64_t ticks = 1'000'000 + random() % 100'000;
    for (int i = 0; i < 3000; ++i) {
      seq = static_cast<uint16_t>(seq + 1 + (random() % 10 == 0 ? random() % 40 : 0));
      ticks += static_cast<int64_t>(random() % 400) - (random() % 8 == 0 ? 300 : 0);
      sent.emplace_back(seq, ticks);
    }
    const size_t max_size = 200 + random() % 1000;
    std::vector<std::pair<uint16_t, int64_t>> recovered;
    std::vector<uint8_t> datagram(1500);
    uint8_t count = 0;
    TransportFeedbackBuilder builder(1, 2, count, max_size);
    auto flush = [&] {
      RtcpWriter writer(datagram);
      ASSERT_TRUE(writer.Append(builder));
      EXPECT_LE(writer.Size(), max_size);
      RtcpCompound compound(writer.Data());
      auto packet = compound.Next();
      ASSERT_TRUE(packet);
      const auto feedback = TransportFeedback::Parse(packet->Data());
      ASSERT_TRUE(feedback);
      EXPECT_EQ(feedback->FeedbackPacketCount(), count);
      for (const auto& arrival : ArrivalTicks(*feedback))
        recovered.push_back(arrival);
      builder.Reset(++count);
    };
    for (const auto& [s, t] : sent) {
      if (builder.AddReceivedPacket(s, t * 250)) continue;
      flush();
      ASSERT_TRUE(builder.AddReceivedPacket(s, t * 250));
    }
    flush();
    EXPECT_GT(count, 1);
    ASSERT_EQ(recovered.size(), sent.size());
    for (size_t i = 0; i < sent.size(); ++i) {
      EXPECT_EQ(recovered[i].first, sent[i].first) << i;
      // Each feedback's reference time is 24 bits of 64 ms: compare within its period.
      EXPECT_EQ((recovered[i].second - sent[i].second) % (int64_t{1} << 32), 0) << i;
    }
  }
}

}  // namespace
}  // namespace tributary::rtc::rtcp
