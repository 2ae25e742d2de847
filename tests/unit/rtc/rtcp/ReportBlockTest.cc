#include "rtc/rtcp/ReportBlock.h"

#include <gtest/gtest.h>

#include "../AiortcCaptures.h"

namespace tributary::rtc::rtcp {
namespace {

TEST(ReportBlock, ReadsSignedCumulativeLoss_FromAiortcSenderReport) {
  // The block starts after the 4-byte header and 24 bytes of sender info.
  const auto block = ReportBlock::Parse(std::span(captures::kAiortcSenderReport).subspan(28));
  ASSERT_TRUE(block);
  EXPECT_EQ(block->ssrc, 0x0badf00du);
  EXPECT_EQ(block->fraction_lost, 25);
  EXPECT_EQ(block->cumulative_lost, -3);
  EXPECT_EQ(block->extended_highest_seq, 0x0001fffeu);
  EXPECT_EQ(block->jitter, 77u);
  EXPECT_EQ(block->last_sr, 0xa5100000u);
  EXPECT_EQ(block->delay_since_last_sr, 0x00018000u);
}

TEST(ReportBlock, ClampsCumulativeLoss_ToItsSigned24BitField) {
  ReportBlock block;
  block.cumulative_lost = 10'000'000;
  uint8_t out[ReportBlock::kWireSize];
  ASSERT_EQ(block.Serialize(out), ReportBlock::kWireSize);
  EXPECT_EQ(ReportBlock::Parse(out)->cumulative_lost, ReportBlock::kMaxCumulativeLost);
  block.cumulative_lost = -10'000'000;
  block.Serialize(out);
  EXPECT_EQ(ReportBlock::Parse(out)->cumulative_lost, ReportBlock::kMinCumulativeLost);
}

TEST(ReportBlock, RejectsShortInput) {
  uint8_t out[ReportBlock::kWireSize - 1] = {};
  EXPECT_FALSE(ReportBlock::Parse(out));
  EXPECT_EQ(ReportBlock().Serialize(out), 0u);
}

}  // namespace
}  // namespace tributary::rtc::rtcp
