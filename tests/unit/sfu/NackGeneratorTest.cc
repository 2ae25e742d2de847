#include "sfu/NackGenerator.h"

#include <gtest/gtest.h>

#include <vector>

#include "rtc/rtcp/Nack.h"
#include "sfu/SeqUnwrapper.h"

namespace tributary::sfu {
namespace {

std::vector<uint16_t> Collect(NackGenerator& generator, uint64_t now_ms, size_t room = 64) {
  std::vector<uint16_t> out(room);
  out.resize(generator.CollectNacks(now_ms, out));
  return out;
}

using Seqs = std::vector<uint16_t>;

TEST(NackGenerator, RequestsEachMissingPacketAtOnce_WhenAGapOpens) {
  NackGenerator generator;
  generator.ReceivePacket(100, false, false, 0);
  generator.ReceivePacket(101, false, false, 1);
  const auto result = generator.ReceivePacket(105, false, false, 2);
  EXPECT_EQ(result.missing, 3u);
  EXPECT_EQ(Collect(generator, 2), (Seqs{102, 103, 104}));
  EXPECT_EQ(Collect(generator, 3), Seqs{});  // not again before the retry interval
  EXPECT_EQ(generator.Size(), 3u);
}

TEST(NackGenerator, RetriesEveryRttAtMostMaxRetriesTimes_ThenGivesUp) {
  NackGeneratorOptions options;
  options.max_retries = 3;
  options.max_age_ms = 10000;
  NackGenerator generator(options);
  generator.SetRtt(50);
  generator.ReceivePacket(1, false, false, 0);
  generator.ReceivePacket(3, false, false, 0);
  EXPECT_EQ(Collect(generator, 0), Seqs{2});
  EXPECT_EQ(Collect(generator, 49), Seqs{});
  EXPECT_EQ(Collect(generator, 50), Seqs{2});
  EXPECT_EQ(Collect(generator, 99), Seqs{});
  EXPECT_EQ(Collect(generator, 100), Seqs{2});  // the third and last request
  EXPECT_EQ(generator.Size(), 0u);
  EXPECT_EQ(Collect(generator, 1000), Seqs{});
  EXPECT_EQ(generator.GetCounters().requests, 3u);
  EXPECT_EQ(generator.GetCounters().given_up, 1u);
}

TEST(NackGenerator, SpacesRetriesByTheFloor_WhenTheRttIsTiny) {
  NackGenerator generator;
  generator.SetRtt(2);
  EXPECT_EQ(generator.RetryIntervalMs(), 20u);
  generator.ReceivePacket(1, false, false, 0);
  generator.ReceivePacket(3, false, false, 0);
  EXPECT_EQ(Collect(generator, 0), Seqs{2});
  EXPECT_EQ(Collect(generator, 19), Seqs{});
  EXPECT_EQ(Collect(generator, 20), Seqs{2});
}

TEST(NackGenerator, ForgetsAnEntry_WhenItsPacketArrivesLateOrRetransmitted) {
  NackGenerator generator;
  generator.ReceivePacket(10, false, false, 0);
  generator.ReceivePacket(14, false, false, 0);                          // 11, 12, 13
  EXPECT_TRUE(generator.ReceivePacket(12, false, false, 1).recovered);   // reordered
  EXPECT_FALSE(generator.ReceivePacket(12, false, false, 2).recovered);  // duplicate
  EXPECT_FALSE(generator.ReceivePacket(14, false, false, 2).recovered);  // duplicate of highest
  EXPECT_EQ(Collect(generator, 3), (Seqs{11, 13}));
  EXPECT_TRUE(generator.ReceivePacket(13, false, true, 30).recovered);
  EXPECT_EQ(generator.Size(), 1u);
  EXPECT_EQ(generator.GetCounters().recovered, 2u);
}

TEST(NackGenerator, LearnsTheRtt_FromAnRtxAnswerToASingleRequest) {
  NackGenerator generator;
  EXPECT_EQ(generator.RttMs(), 100u);
  generator.ReceivePacket(1, false, false, 0);
  generator.ReceivePacket(4, false, false, 1000);
  Collect(generator, 1000);
  generator.ReceivePacket(2, false, true, 1020);  // 20 ms after the request
  EXPECT_EQ(generator.RttMs(), (7 * 100 + 20 + 4) / 8u);
  generator.ReceivePacket(3, false, false, 1030);  // reordered, not an RTX answer: no sample
  EXPECT_EQ(generator.RttMs(), 90u);
}

TEST(NackGenerator, ListsNumbersInWraparoundOrder_ForPackLostSequences) {
  NackGenerator generator;
  SeqUnwrapper unwrapper;
  for (uint16_t seq : {uint16_t{65532}, uint16_t{65533}, uint16_t{1}, uint16_t{6}, uint16_t{41}}) {
    generator.ReceivePacket(unwrapper.Unwrap(seq), false, false, 0);
  }
  std::vector<uint16_t> lost = Collect(generator, 0);
  EXPECT_EQ(lost, (Seqs{65534, 65535, 0,  2,  3,  4,  5,  7,  8,  9,  10, 11, 12, 13,
                        14,    15,    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                        28,    29,    30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40}));
  std::vector<rtc::rtcp::NackItem> items(lost.size());
  items.resize(rtc::rtcp::Nack::PackLostSequences(lost, items));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0], (rtc::rtcp::NackItem{65534, 0xFF7B}));  // 65535, 0, 2..5, 7..14
  EXPECT_EQ(items[1], (rtc::rtcp::NackItem{15, 0xFFFF}));     // 16..31
  EXPECT_EQ(items[2], (rtc::rtcp::NackItem{32, 0x00FF}));     // 33..40
}

TEST(NackGenerator, ForgetsEntries_OlderThanTheCacheHorizon) {
  NackGeneratorOptions options;
  options.max_age_ms = 1000;
  NackGenerator generator(options);
  generator.ReceivePacket(1, false, false, 0);
  generator.ReceivePacket(3, false, false, 0);
  EXPECT_EQ(Collect(generator, 0), Seqs{2});
  generator.ReceivePacket(5, false, false, 600);
  EXPECT_EQ(Collect(generator, 600), (Seqs{2, 4}));
  EXPECT_EQ(Collect(generator, 1001), Seqs{4});  // 2 is past the horizon
  EXPECT_EQ(generator.GetCounters().expired, 1u);
}

TEST(NackGenerator, LeavesTheRestDue_WhenTheOutputIsFull) {
  NackGenerator generator;
  generator.ReceivePacket(0, false, false, 0);
  generator.ReceivePacket(11, false, false, 0);
  EXPECT_EQ(Collect(generator, 0, 4), (Seqs{1, 2, 3, 4}));
  EXPECT_TRUE(generator.HasDue(0));
  EXPECT_EQ(Collect(generator, 1, 100), (Seqs{5, 6, 7, 8, 9, 10}));
  EXPECT_FALSE(generator.HasDue(1));
}

TEST(NackGenerator, DropsEntriesBeforeTheLastKeyframe_WhenTheListOverflows) {
  NackGeneratorOptions options;
  options.max_entries = 10;
  NackGenerator generator(options);
  generator.ReceivePacket(0, false, false, 0);
  generator.ReceivePacket(7, false, false, 0);                       // 1..6 missing
  generator.ReceivePacket(8, true, false, 0);                        // a keyframe
  const auto result = generator.ReceivePacket(14, false, false, 0);  // 9..13: 11 entries
  EXPECT_FALSE(result.keyframe_needed);
  EXPECT_EQ(result.missing, 5u);
  EXPECT_EQ(Collect(generator, 0), (Seqs{9, 10, 11, 12, 13}));
  EXPECT_EQ(generator.GetCounters().keyframe_drops, 6u);
}

TEST(NackGenerator, ClearsAndAsksForAKeyframe_WhenNoKeyframeMakesRoom) {
  NackGeneratorOptions options;
  options.max_entries = 10;
  NackGenerator generator(options);
  generator.ReceivePacket(0, false, false, 0);
  generator.ReceivePacket(7, false, false, 0);
  const auto result = generator.ReceivePacket(14, false, false, 0);
  EXPECT_TRUE(result.keyframe_needed);
  EXPECT_EQ(generator.Size(), 0u);
  EXPECT_EQ(generator.GetCounters().overflows, 1u);
  // A single gap larger than the list too.
  EXPECT_TRUE(generator.ReceivePacket(40, false, false, 0).keyframe_needed);
  // Afterwards small gaps are listed again.
  EXPECT_EQ(generator.ReceivePacket(42, false, false, 0).missing, 1u);
}

}  // namespace
}  // namespace tributary::sfu
