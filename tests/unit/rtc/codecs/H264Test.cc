#include "rtc/codecs/H264.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::codecs {
namespace {

using namespace captures;
using testing::Bytes;

TEST(H264, FindsTheSps_InAiortcStapA) {
  EXPECT_EQ(H264::NalUnitType(kH264StapAKeyframe[0]), H264::kStapA);
  EXPECT_EQ(H264::NalUnitType(kH264StapAKeyframe[3]), H264::kSps);
  EXPECT_TRUE(H264::IsKeyframe(kH264StapAKeyframe));
}

TEST(H264, FindsTheIdr_OnlyInTheFirstFuAFragment) {
  EXPECT_TRUE(H264::IsKeyframe(kH264FuAStart));
  EXPECT_FALSE(H264::IsKeyframe(kH264FuAMiddle));
}

TEST(H264, FindsAnIdr_InASingleNalUnitPacket) {
  // The IDR slice of kH264FuAStart as one NAL unit: F/NRI of the indicator, type of the header.
  std::vector<uint8_t> single = {static_cast<uint8_t>((kH264FuAStart[0] & 0xe0) | H264::kIdr)};
  single.insert(single.end(), kH264FuAStart + 2, kH264FuAStart + sizeof(kH264FuAStart));
  EXPECT_TRUE(H264::IsKeyframe(single));
  EXPECT_FALSE(H264::IsKeyframe(kH264DeltaFrame));  // a non-IDR slice (type 1)
  const uint8_t pps_only[] = {0x68, 0xce, 0x3c, 0x80};
  EXPECT_FALSE(H264::IsKeyframe(pps_only));
}

TEST(H264, RejectsMalformedAggregates_ForEveryPrefix) {
  // SPS unit: size 0x14 at 1..2, the unit at 3..22; later cuts may leave a valid STAP-A.
  testing::ForEachPrefix(kH264StapAKeyframe, [](std::span<const uint8_t> prefix) {
    if (prefix.size() < 23) {
      EXPECT_FALSE(H264::IsKeyframe(prefix)) << prefix.size();
    }
  });
  auto payload = Bytes(kH264StapAKeyframe);
  payload[1] = 0xff;  // SPS size past the end
  EXPECT_FALSE(H264::IsKeyframe(payload));
  const uint8_t zero_size[] = {0x78, 0x00, 0x00, 0x00, 0x01, 0x67};
  EXPECT_FALSE(H264::IsKeyframe(zero_size));
  const uint8_t fu_indicator_only[] = {0x7c};
  EXPECT_FALSE(H264::IsKeyframe(fu_indicator_only));
  EXPECT_FALSE(H264::IsKeyframe({}));
}

TEST(H264, ReadsStapBAndFuB_WhichCarryADon) {
  const uint8_t stap_b[] = {0x79, 0x00, 0x01, 0x00, 0x02, 0x65, 0x88};
  EXPECT_TRUE(H264::IsKeyframe(stap_b));
  const uint8_t fu_b[] = {0x7d, 0x85, 0x00, 0x01, 0x88};
  EXPECT_TRUE(H264::IsKeyframe(fu_b));
}

}  // namespace
}  // namespace tributary::rtc::codecs
