#include "rtc/rtcp/ReceiverReport.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

TEST(ReceiverReport, ReadsBlocks_WhenParsingAiortcRr) {
  const auto rr = ReceiverReport::Parse(kAiortcReceiverReport);
  ASSERT_TRUE(rr);
  EXPECT_EQ(rr->SenderSsrc(), 1u);
  ASSERT_EQ(rr->ReportBlocks().size(), 2u);
  std::vector<uint32_t> ssrcs;
  for (const ReportBlock block : rr->ReportBlocks())
    ssrcs.push_back(block.ssrc);
  EXPECT_EQ(ssrcs, (std::vector<uint32_t>{0x5ca1ab1e, 0x0badf00d}));
  EXPECT_EQ(rr->ReportBlocks()[0].cumulative_lost, 12);
  EXPECT_EQ(rr->ReportBlocks()[0].extended_highest_seq, 70000u);
  EXPECT_EQ(rr->ReportBlocks()[1].fraction_lost, 255);
  EXPECT_EQ(rr->ReportBlocks()[1].cumulative_lost, 0x7fffff);
  EXPECT_EQ(rr->ReportBlocks()[1].delay_since_last_sr, 2u);
}

TEST(ReceiverReport, GivesTheSameBytes_WhenReserialized) {
  const auto rr = ReceiverReport::Parse(kAiortcReceiverReport);
  std::vector<uint8_t> out(rr->SerializedSize());
  ASSERT_EQ(rr->Serialize(out), out.size());
  EXPECT_EQ(out, Bytes(kAiortcReceiverReport));
}

TEST(ReceiverReport, ParsesAnEmptyReport_WithPadding) {
  const auto rr = ReceiverReport::Parse(kRfcPaddedReceiverReport);
  ASSERT_TRUE(rr);
  EXPECT_EQ(rr->SenderSsrc(), 1u);
  EXPECT_TRUE(rr->ReportBlocks().empty());
  uint8_t out[8];
  EXPECT_EQ(rr->Serialize(out), 8u);  // written without the padding
  EXPECT_EQ(out[0], 0x80);
  EXPECT_EQ(out[3], 1);
}

TEST(ReceiverReport, RejectsEveryTruncation) {
  testing::ForEachPrefix(kAiortcReceiverReport, [](std::span<const uint8_t> prefix) {
    EXPECT_FALSE(ReceiverReport::Parse(prefix)) << prefix.size();
  });
  auto bytes = Bytes(kAiortcReceiverReport);
  bytes[0] = 0x83;  // three blocks announced
  EXPECT_FALSE(ReceiverReport::Parse(bytes));
}

}  // namespace
}  // namespace tributary::rtc::rtcp
