#include "sfu/RtpStreamReceiver.h"

#include <gtest/gtest.h>

#include <vector>

#include "../rtc/AiortcCaptures.h"
#include "rtc/rtcp/ReceiverReport.h"

namespace tributary::sfu {
namespace {

using Status = RtpStreamReceiver::SeqStatus;

TEST(RtpStreamReceiver, ReportsLossAsRfc3550A3Computes_WhenPacketsGoMissing) {
  RtpStreamReceiver receiver(0x11223344, 90000);
  for (uint16_t seq = 0; seq < 10; ++seq) {
    if (seq == 3 || seq == 4) continue;
    receiver.ReceivePacket(seq, seq * 3000u, 1000, seq * 33000u);
  }
  // expected = 9 - 0 + 1 = 10, received 8: cumulative 2, fraction 2 * 256 / 10 = 51.
  auto block = receiver.MakeReportBlock(400000);
  EXPECT_EQ(block.ssrc, 0x11223344u);
  EXPECT_EQ(block.extended_highest_seq, 9u);
  EXPECT_EQ(block.cumulative_lost, 2);
  EXPECT_EQ(block.fraction_lost, 51);
  // 10..19 arrive, and 3 late: this interval expected 10, received 11 -> fraction 0;
  // cumulative 20 - 19 = 1.
  for (uint16_t seq = 10; seq < 20; ++seq)
    receiver.ReceivePacket(seq, seq * 3000u, 1000, seq * 33000u);
  EXPECT_EQ(receiver.ReceivePacket(3, 9000, 1000, 700000), Status::kReordered);
  block = receiver.MakeReportBlock(800000);
  EXPECT_EQ(block.extended_highest_seq, 19u);
  EXPECT_EQ(block.cumulative_lost, 1);
  EXPECT_EQ(block.fraction_lost, 0);
  // The block serializes into a real RR.
  rtc::rtcp::ReceiverReport report;
  report.SetSenderSsrc(1);
  report.SetReportBlocks(std::span<const rtc::rtcp::ReportBlock>(&block, 1));
  std::vector<uint8_t> bytes(report.SerializedSize());
  ASSERT_EQ(report.Serialize(bytes), bytes.size());
  const auto parsed = rtc::rtcp::ReceiverReport::Parse(bytes);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->ReportBlocks()[0], block);
}

TEST(RtpStreamReceiver, CountsCycles_WhenTheSequenceWraps) {
  RtpStreamReceiver receiver(1, 48000);
  for (uint16_t seq : {uint16_t{65534}, uint16_t{65535}, uint16_t{0}, uint16_t{1}})
    EXPECT_EQ(receiver.ReceivePacket(seq, 0, 100, 0), Status::kInOrder);
  EXPECT_EQ(receiver.ExtendedHighestSeq(), 65536u + 1);
  EXPECT_EQ(receiver.Expected(), 4u);
  EXPECT_EQ(receiver.MakeReportBlock(0).cumulative_lost, 0);
}

TEST(RtpStreamReceiver, ReportsNegativeLoss_WhenDuplicatesArrive) {
  RtpStreamReceiver receiver(1, 48000);
  for (uint16_t seq : {uint16_t{0}, uint16_t{1}, uint16_t{2}, uint16_t{2}, uint16_t{2}})
    receiver.ReceivePacket(seq, 0, 100, 0);
  const auto block = receiver.MakeReportBlock(0);
  EXPECT_EQ(block.cumulative_lost, -2);
  EXPECT_EQ(block.fraction_lost, 0);
}

// Arrival times chosen so that the arrival in 90 kHz units is exact (1 ms = 90 units).
// transit: 0, 600, -600, 0 -> D: 600, 1200, 600. Scaled by 16 as in A.8:
//   J16 = 0 + 600 - (0 + 8 >> 4) = 600; 600 + 1200 - (608 >> 4 = 38) = 1762;
//   1762 + 600 - (1770 >> 4 = 110) = 2252 -> J = 2252 >> 4 = 140
// (the floating-point formula gives 37.5, 110.2, 140.8).
TEST(RtpStreamReceiver, ComputesInterarrivalJitterAsA8Does_SkippingPacketsOfTheSameFrame) {
  RtpStreamReceiver receiver(1, 90000);
  receiver.ReceivePacket(0, 0, 1000, 1000000);
  receiver.ReceivePacket(1, 3000, 1000, 1040000);
  EXPECT_EQ(receiver.Jitter(), 600u >> 4);
  receiver.ReceivePacket(2, 6000, 1000, 1060000);
  EXPECT_EQ(receiver.Jitter(), 1762u >> 4);
  receiver.ReceivePacket(3, 9000, 1000, 1100000);
  receiver.ReceivePacket(4, 9000, 1000, 1190000);  // same frame, paced: no jitter sample
  receiver.ReceivePacket(2, 6000, 1000, 1300000);  // reordered duplicate: none either
  EXPECT_EQ(receiver.Jitter(), 140u);
  EXPECT_EQ(receiver.MakeReportBlock(2000000).jitter, 140u);
}

TEST(RtpStreamReceiver, EchoesTheLastSenderReport_WithTheDelaySinceIt) {
  RtpStreamReceiver receiver(0x5ca1ab1e, 48000);
  receiver.ReceivePacket(0, 0, 100, 0);
  EXPECT_EQ(receiver.MakeReportBlock(1000).last_sr, 0u);  // no SR yet
  // aiortc's SR: NTP 0xe8d4a510'12345678.
  const auto report = rtc::rtcp::SenderReport::Parse(rtc::captures::kAiortcSenderReport);
  ASSERT_TRUE(report);
  receiver.ReceiveSenderReport(*report, 5000000);
  const auto block = receiver.MakeReportBlock(6500000);
  EXPECT_EQ(block.last_sr, 0xa5101234u);                 // the middle 32 bits
  EXPECT_EQ(block.delay_since_last_sr, 65536u * 3 / 2);  // 1.5 s in 1/65536 s
  EXPECT_EQ(receiver.LastSenderReportRtpTimestamp(), report->RtpTimestamp());
}

TEST(RtpStreamReceiver, StartsOver_WhenAJumpIsFollowedBySequentialPackets) {
  RtpStreamReceiver receiver(1, 90000);
  for (uint16_t seq = 100; seq < 105; ++seq)
    receiver.ReceivePacket(seq, 0, 100, 0);
  EXPECT_EQ(receiver.ReceivePacket(20000, 0, 100, 0), Status::kJump);
  EXPECT_EQ(receiver.ReceivePacket(105, 0, 100, 0), Status::kInOrder);  // a stray one
  EXPECT_EQ(receiver.ReceivePacket(20000, 0, 100, 0), Status::kJump);
  EXPECT_EQ(receiver.ReceivePacket(20001, 0, 100, 0), Status::kRestarted);
  EXPECT_EQ(receiver.ReceivePacket(20002, 0, 100, 0), Status::kInOrder);
  EXPECT_EQ(receiver.ExtendedHighestSeq(), 20002u);
  EXPECT_EQ(receiver.Expected(), 2u);
  EXPECT_EQ(receiver.Received(), 2u);
  // A packet up to MAX_MISORDER behind is reordering, beyond it a jump.
  EXPECT_EQ(receiver.ReceivePacket(19950, 0, 100, 0), Status::kReordered);
  EXPECT_EQ(receiver.ReceivePacket(19800, 0, 100, 0), Status::kJump);
}

TEST(RtpStreamReceiver, CountsRecoveredPacketsAsReceived) {
  RtpStreamReceiver receiver(1, 90000);
  receiver.ReceivePacket(0, 0, 100, 0);
  receiver.ReceivePacket(2, 0, 100, 0);
  EXPECT_EQ(receiver.CumulativeLost(), 1);
  receiver.ReceiveRecoveredPacket(100);
  EXPECT_EQ(receiver.CumulativeLost(), 0);
  EXPECT_EQ(receiver.RecoveredPackets(), 1u);
}

}  // namespace
}  // namespace tributary::sfu
