#include "rtc/rtcp/Remb.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

TEST(Remb, ReadsBitrateAndSsrcs_WhenParsingAiortcRemb) {
  const auto remb = Remb::Parse(kAiortcRemb);
  ASSERT_TRUE(remb);
  EXPECT_EQ(remb->SenderSsrc(), 1u);
  EXPECT_EQ(remb->MediaSsrc(), 0u);
  EXPECT_EQ(remb->Exponent(), 3);
  EXPECT_EQ(remb->Mantissa(), 187500u);
  EXPECT_EQ(remb->Bitrate(), 1'500'000u);
  ASSERT_EQ(remb->Ssrcs().size(), 2u);
  EXPECT_EQ(remb->Ssrcs()[1], 0x0badf00du);
}

TEST(Remb, ReproducesAiortcBytes_WhenBuiltOrReserialized) {
  const uint32_t ssrcs[] = {0x5ca1ab1e, 0x0badf00d};
  Remb remb;
  remb.SetSenderSsrc(1);
  remb.SetBitrate(1'500'000);
  remb.SetSsrcs(ssrcs);
  std::vector<uint8_t> out(remb.SerializedSize());
  ASSERT_EQ(remb.Serialize(out), sizeof(kAiortcRemb));
  EXPECT_EQ(out, Bytes(kAiortcRemb));

  const auto parsed = Remb::Parse(kAiortcRemb);
  std::vector<uint8_t> again(parsed->SerializedSize());
  parsed->Serialize(again);
  EXPECT_EQ(again, Bytes(kAiortcRemb));
}

TEST(Remb, RoundsDown_ToWhatAnEighteenBitMantissaHolds) {
  Remb remb;
  remb.SetBitrate((1ull << 40) + 12345);
  EXPECT_EQ(remb.Bitrate(), 1ull << 40);
  remb.SetBitrate(262143);
  EXPECT_EQ(remb.Exponent(), 0);
  remb.SetBitrate(~0ull);
  EXPECT_EQ(remb.Exponent(), 46);
  EXPECT_EQ(remb.Mantissa(), Remb::kMaxMantissa);
}

TEST(Remb, Rejects_OverflowingBitratesOtherAppsAndShortSsrcLists) {
  auto bytes = Bytes(kAiortcRemb);
  bytes[17] = static_cast<uint8_t>(63 << 2 | (bytes[17] & 0x3));  // exponent 63
  EXPECT_FALSE(Remb::Parse(bytes));
  bytes = Bytes(kAiortcRemb);
  bytes[12] = 'X';
  EXPECT_FALSE(Remb::Parse(bytes));
  bytes = Bytes(kAiortcRemb);
  bytes[16] = 3;  // three SSRCs announced, two present
  EXPECT_FALSE(Remb::Parse(bytes));
  testing::ForEachPrefix(
      kAiortcRemb, [](std::span<const uint8_t> prefix) { EXPECT_FALSE(Remb::Parse(prefix)); });
}

}  // namespace
}  // namespace tributary::rtc::rtcp
