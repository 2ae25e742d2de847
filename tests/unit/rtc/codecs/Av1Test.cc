#include "rtc/codecs/Av1.h"

#include <gtest/gtest.h>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::codecs {
namespace {

using namespace captures;
using testing::Bytes;

TEST(Av1, FindsTheKeyframe_InLibaomPayloads) {
  EXPECT_TRUE(Av1::IsKeyframe(kAv1Keyframe));
  EXPECT_FALSE(Av1::IsKeyframe(kAv1DeltaFrame));
}

TEST(Av1, FindsTheSequenceHeader_WhenNIsClear) {
  auto payload = Bytes(kAv1Keyframe);
  payload[0] &= ~0x08;
  EXPECT_EQ(Av1::ObuType(payload[2]), Av1::kObuSequenceHeader);
  EXPECT_TRUE(Av1::IsKeyframe(payload));
  payload[0] |= 0x80;  // Z: the first element continues an OBU, so its first byte is no header
  EXPECT_FALSE(Av1::IsKeyframe(payload));
}

TEST(Av1, WalksLengthPrefixedElements_WhenWIsZero) {
  // W = 0: a frame OBU element (2 bytes), then a sequence header element (2 bytes).
  const uint8_t payload[] = {0x00, 0x02, 0x30, 0x00, 0x02, 0x08, 0x00};
  EXPECT_TRUE(Av1::IsKeyframe(payload));
  const uint8_t delta_only[] = {0x00, 0x02, 0x30, 0x00, 0x01, 0x30};
  EXPECT_FALSE(Av1::IsKeyframe(delta_only));
  const uint8_t overrun[] = {0x00, 0x05, 0x30, 0x00, 0x08};
  EXPECT_FALSE(Av1::IsKeyframe(overrun));
}

TEST(Av1, ReadsLeb128_UpToEightBytes) {
  size_t at = 0;
  const uint8_t two[] = {0x80, 0x01};
  EXPECT_EQ(Av1::ReadLeb128(two, at), 128u);
  EXPECT_EQ(at, 2u);
  const uint8_t nine[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  at = 0;
  EXPECT_FALSE(Av1::ReadLeb128(nine, at));
  at = 0;
  EXPECT_FALSE(Av1::ReadLeb128(std::span(two).first(1), at));
}

TEST(Av1, StaysInBounds_ForEveryPrefixAndBitFlip) {
  auto payload = Bytes(kAv1Keyframe);
  payload[0] &= ~0x08;
  testing::ForEachPrefix(payload, [](std::span<const uint8_t> prefix) {
    // The sequence header's first byte is at 2, after its one-byte length.
    EXPECT_EQ(Av1::IsKeyframe(prefix), prefix.size() >= 13) << prefix.size();
  });
  testing::ForEachBitFlip(payload,
                          [](std::span<const uint8_t> corrupted) { Av1::IsKeyframe(corrupted); });
}

}  // namespace
}  // namespace tributary::rtc::codecs
