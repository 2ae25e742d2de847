#include "rtc/rtcp/SenderReport.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

TEST(SenderReport, ReadsSenderInfoAndBlocks_WhenParsingAiortcSr) {
  const auto sr = SenderReport::Parse(kAiortcSenderReport);
  ASSERT_TRUE(sr);
  EXPECT_EQ(sr->SenderSsrc(), 0x5ca1ab1eu);
  EXPECT_EQ(sr->NtpTimestamp(), 0xe8d4a51012345678ull);
  EXPECT_EQ(sr->RtpTimestamp(), 0x12345678u);
  EXPECT_EQ(sr->PacketCount(), 1000u);
  EXPECT_EQ(sr->OctetCount(), 123456u);
  ASSERT_EQ(sr->ReportBlocks().size(), 1u);
  EXPECT_EQ(sr->ReportBlocks()[0].ssrc, 0x0badf00du);
  EXPECT_EQ(sr->ReportBlocks()[0].cumulative_lost, -3);
}

TEST(SenderReport, GivesTheSameBytes_WhenReserialized) {
  const auto sr = SenderReport::Parse(kAiortcSenderReport);
  std::vector<uint8_t> out(sr->SerializedSize());
  ASSERT_EQ(sr->Serialize(out), sizeof(kAiortcSenderReport));
  EXPECT_EQ(out, Bytes(kAiortcSenderReport));
}

TEST(SenderReport, ReproducesAiortcBytes_WhenBuiltFromFields) {
  ReportBlock block;
  block.ssrc = 0x0badf00d;
  block.fraction_lost = 25;
  block.cumulative_lost = -3;
  block.extended_highest_seq = 0x0001fffe;
  block.jitter = 77;
  block.last_sr = 0xa5100000;
  block.delay_since_last_sr = 0x00018000;
  SenderReport sr;
  sr.SetSenderSsrc(0x5ca1ab1e);
  sr.SetNtpTimestamp(0xe8d4a51012345678ull);
  sr.SetRtpTimestamp(0x12345678);
  sr.SetPacketCount(1000);
  sr.SetOctetCount(123456);
  sr.SetReportBlocks(std::span(&block, 1));
  std::vector<uint8_t> out(100);
  out.resize(sr.Serialize(out));
  EXPECT_EQ(out, Bytes(kAiortcSenderReport));
  EXPECT_EQ(SenderReport::Parse(out)->ReportBlocks()[0], block);
}

TEST(SenderReport, RejectsEveryTruncationAndOtherTypes) {
  testing::ForEachPrefix(kAiortcSenderReport, [](std::span<const uint8_t> prefix) {
    EXPECT_FALSE(SenderReport::Parse(prefix)) << prefix.size();
  });
  EXPECT_FALSE(SenderReport::Parse(kAiortcReceiverReport));
  auto bytes = Bytes(kAiortcSenderReport);
  bytes[0] = 0x82;  // two report blocks announced, one present
  EXPECT_FALSE(SenderReport::Parse(bytes));
}

TEST(SenderReport, ReturnsZero_WhenTheBufferIsTooSmallOrThereAreTooManyBlocks) {
  const auto sr = SenderReport::Parse(kAiortcSenderReport);
  std::vector<uint8_t> out(sizeof(kAiortcSenderReport) - 1);
  EXPECT_EQ(sr->Serialize(out), 0u);
  std::vector<ReportBlock> blocks(32);
  SenderReport many;
  many.SetReportBlocks(blocks);
  std::vector<uint8_t> big(2000);
  EXPECT_EQ(many.Serialize(big), 0u);
  many.SetReportBlocks(std::span(blocks).first(31));
  EXPECT_EQ(many.Serialize(big), 4u + 24 + 31 * 24);
}

}  // namespace
}  // namespace tributary::rtc::rtcp
