#include "sfu/SeqRewriter.h"

#include <gtest/gtest.h>

namespace tributary::sfu {
namespace {

uint16_t Seq(SeqRewriter& rewriter, int64_t seq, uint32_t epoch = 1, uint32_t ts = 0,
             uint64_t now_us = 0) {
  const auto out = rewriter.Forward(seq, ts, epoch, now_us);
  EXPECT_TRUE(out) << "seq " << seq;
  return out ? out->seq : 0;
}

TEST(SeqRewriter, KeepsTheSourceNumbers_InTheFirstEpoch) {
  SeqRewriter rewriter(90000);
  const auto out = rewriter.Forward(1000, 5000, 1, 0);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->seq, 1000);
  EXPECT_EQ(out->timestamp, 5000u);
  EXPECT_EQ(Seq(rewriter, 1001), 1001);
  EXPECT_FALSE(rewriter.Forward(999, 0, 1, 0));  // before the first forwarded packet
  EXPECT_EQ(rewriter.SourceSwitches(), 0u);
}

TEST(SeqRewriter, ContinuesSequenceAndTimestamp_WhenTheSourceSwitches) {
  SeqRewriter rewriter(90000);
  for (int64_t i = 0; i < 10; ++i) {
    rewriter.Forward(1000 + i, 5000 + static_cast<uint32_t>(i) * 3000, 1,
                     1'000'000 + static_cast<uint64_t>(i) * 33'333);
  }
  EXPECT_EQ(rewriter.LastTimestamp(), 32000u);
  // The new source, 0.5 s after the newest timestamp went out (at 1.3 s): 32000 + 45000.
  auto out = rewriter.Forward(30000, 777777, 2, 1'299'997 + 500'000);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->seq, 1010);
  EXPECT_EQ(out->timestamp, 77000u);
  out = rewriter.Forward(30001, 780777, 2, 1'833'330);
  EXPECT_EQ(out->seq, 1011);
  EXPECT_EQ(out->timestamp, 80000u);
  EXPECT_EQ(rewriter.SourceSwitches(), 1u);
  // The old source's late packets and numbers are gone.
  EXPECT_FALSE(rewriter.Forward(1005, 20000, 1, 2'000'000));
  EXPECT_FALSE(rewriter.ToSource(1005));
  EXPECT_EQ(rewriter.ToSource(1011), 30001);
  EXPECT_EQ(rewriter.MapTimestamp(780777), 80000u);
}

TEST(SeqRewriter, AdvancesTheTimestampByOne_WhenNoTimePassedAtASwitch) {
  SeqRewriter rewriter(48000);
  rewriter.Forward(5, 960, 1, 100);
  const auto out = rewriter.Forward(9000, 123, 2, 100);
  EXPECT_EQ(out->seq, 6);
  EXPECT_EQ(out->timestamp, 961u);
}

TEST(SeqRewriter, WrapsTheOutput_Continuously) {
  SeqRewriter rewriter(90000);
  EXPECT_EQ(Seq(rewriter, 65534), 65534);
  EXPECT_EQ(Seq(rewriter, 65535), 65535);
  EXPECT_EQ(Seq(rewriter, 65536), 0);
  EXPECT_EQ(Seq(rewriter, 65537), 1);
  EXPECT_EQ(rewriter.ToSource(65535), 65535);
  EXPECT_EQ(rewriter.ToSource(1), 65537);
  // A switch right at the wrap.
  EXPECT_EQ(Seq(rewriter, 40, 2, 0, 1000), 2);
  EXPECT_EQ(rewriter.ToSource(2), 40);
}

TEST(SeqRewriter, ClosesUpBehindDroppedPackets_AndMapsNacksBackAcrossThem) {
  SeqRewriter rewriter(90000);
  EXPECT_EQ(Seq(rewriter, 10), 10);
  EXPECT_EQ(Seq(rewriter, 11), 11);
  EXPECT_TRUE(rewriter.Drop(12, 1));
  EXPECT_EQ(Seq(rewriter, 13), 12);
  EXPECT_TRUE(rewriter.Drop(14, 1));
  EXPECT_TRUE(rewriter.Drop(15, 1));
  EXPECT_EQ(Seq(rewriter, 16), 13);
  EXPECT_EQ(rewriter.ToSource(11), 11);
  EXPECT_EQ(rewriter.ToSource(12), 13);
  EXPECT_EQ(rewriter.ToSource(13), 16);
  EXPECT_FALSE(rewriter.ToSource(14));          // not sent yet
  EXPECT_FALSE(rewriter.Forward(14, 0, 1, 0));  // dropped: never sent
  EXPECT_EQ(rewriter.DropsAbsorbed(), 3u);
}

TEST(SeqRewriter, RefusesToDropAPacketWhoseSlotIsTaken_AndPlacesLatePacketsInTheirSlots) {
  SeqRewriter rewriter(90000);
  Seq(rewriter, 10);
  EXPECT_TRUE(rewriter.Drop(11, 1));
  EXPECT_EQ(Seq(rewriter, 13), 12);    // 12 is missing so far: its slot, 11, stays open
  EXPECT_FALSE(rewriter.Drop(12, 1));  // too late to close up: the consumer sends it
  EXPECT_EQ(Seq(rewriter, 12), 11);
  EXPECT_EQ(rewriter.ToSource(11), 12);
  EXPECT_EQ(rewriter.ToSource(12), 13);
}

TEST(SeqRewriter, NeedsNoRecord_ForDropsBeforeTheFirstForwardedPacketOfAnEpoch) {
  SeqRewriter rewriter(90000);
  Seq(rewriter, 100);
  // A new source whose first packets are skipped (waiting for a keyframe).
  EXPECT_TRUE(rewriter.Drop(7, 2));
  EXPECT_TRUE(rewriter.Drop(8, 2));
  EXPECT_EQ(Seq(rewriter, 9, 2, 0, 1000), 101);
  EXPECT_EQ(rewriter.DropsAbsorbed(), 0u);
}

TEST(SeqRewriter, FoldsOldDropsIntoItsBase_WhenTheRecordIsFull) {
  SeqRewriter rewriter(90000);
  Seq(rewriter, 0);
  for (int64_t i = 1; i <= 300; ++i) {
    ASSERT_TRUE(rewriter.Drop(2 * i - 1, 1));
    ASSERT_EQ(Seq(rewriter, 2 * i), i);
  }
  EXPECT_EQ(rewriter.ToSource(300), 600);
  EXPECT_EQ(rewriter.ToSource(250), 500);
  // The first 44 drops (1 .. 87) were folded: what lies below them is no longer mapped.
  EXPECT_FALSE(rewriter.ToSource(5));
  EXPECT_FALSE(rewriter.Forward(10, 0, 1, 0));
  EXPECT_EQ(rewriter.ToSource(44), 88);
}

}  // namespace
}  // namespace tributary::sfu
