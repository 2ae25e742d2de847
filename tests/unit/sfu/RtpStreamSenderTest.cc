#include "sfu/RtpStreamSender.h"

#include <gtest/gtest.h>

#include <vector>

#include "rtc/rtcp/SenderReport.h"

namespace tributary::sfu {
namespace {

TEST(RtpStreamSender, ExtrapolatesTheRtpTimestamp_FromTheLastPacketSent) {
  RtpStreamSender sender(0xCAFE, 90000);
  EXPECT_FALSE(sender.HasSent());
  sender.OnPacketSent(87000, 1100, 9'966'667);
  sender.OnPacketSent(90000, 1000, 10'000'000);
  sender.OnPacketSent(90000, 300, 10'004'000);  // same frame: the mapping keeps its first packet
  sender.OnPacketSent(87000, 200, 10'010'000);  // older timestamp (reordered): ignored too
  const uint64_t ntp = 0xE8D4A51012345678ull;
  const auto report = sender.MakeSenderReport(10'500'000, ntp);
  EXPECT_EQ(report.SenderSsrc(), 0xCAFEu);
  EXPECT_EQ(report.NtpTimestamp(), ntp);
  EXPECT_EQ(report.RtpTimestamp(), 90000u + 45000u);  // + 0.5 s x 90 kHz
  EXPECT_EQ(report.PacketCount(), 4u);
  EXPECT_EQ(report.OctetCount(), 2600u);
  // It is a real SR.
  std::vector<uint8_t> bytes(report.SerializedSize());
  ASSERT_EQ(report.Serialize(bytes), bytes.size());
  const auto parsed = rtc::rtcp::SenderReport::Parse(bytes);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->RtpTimestamp(), 135000u);
  EXPECT_EQ(parsed->OctetCount(), 2600u);
}

TEST(RtpStreamSender, CountsRetransmissions_WithoutMovingTheMapping) {
  RtpStreamSender sender(1, 48000);
  sender.OnPacketSent(960, 100, 1'000'000);
  sender.OnRetransmissionSent(100);
  const auto report = sender.MakeSenderReport(1'000'000, 0);
  EXPECT_EQ(report.PacketCount(), 2u);
  EXPECT_EQ(report.OctetCount(), 200u);
  EXPECT_EQ(report.RtpTimestamp(), 960u);
  EXPECT_EQ(sender.RetransmittedPackets(), 1u);
}

// RFC 3550 6.4.1: RTT = A - LSR - DLSR. The SR left at NTP T (compact 0xABCD0000); the receiver
// held it 0.5 s (DLSR 0x8000); its report arrives at T + 0.75 s: RTT = 0.25 s.
TEST(RtpStreamSender, ComputesTheRoundTripTime_FromLsrAndDlsr) {
  RtpStreamSender sender(0x1234, 90000);
  const uint64_t sent_ntp = 0x0000ABCD00000000ull;
  rtc::rtcp::ReportBlock block;
  block.ssrc = 0x1234;
  block.fraction_lost = 26;
  block.cumulative_lost = 7;
  block.jitter = 90;
  block.last_sr = 0xABCD0000u;
  block.delay_since_last_sr = 0x8000;
  sender.ReceiveReportBlock(block, sent_ntp + (3ull << 30));  // + 0.75 s
  ASSERT_TRUE(sender.RttUs());
  EXPECT_EQ(*sender.RttUs(), 250000u);
  EXPECT_EQ(sender.FractionLost(), 26);
  EXPECT_EQ(sender.CumulativeLost(), 7);
  EXPECT_EQ(sender.Jitter(), 90u);
}

TEST(RtpStreamSender, KeepsNoRoundTripTime_WithoutAnLsrOrWhenItComesOutNegative) {
  RtpStreamSender sender(1, 90000);
  rtc::rtcp::ReportBlock block;
  block.ssrc = 1;
  sender.ReceiveReportBlock(block, 0x0000ABCD00000000ull);
  EXPECT_FALSE(sender.RttUs());
  block.last_sr = 0xABCD0000u;
  block.delay_since_last_sr = 0x10000;  // held 1 s, yet back 0.5 s after sending: bogus
  sender.ReceiveReportBlock(block, 0x0000ABCD80000000ull);
  EXPECT_FALSE(sender.RttUs());
  EXPECT_EQ(sender.ReportsReceived(), 2u);
}

}  // namespace
}  // namespace tributary::sfu
